"""Facility overhead PUE(t) and on-site water use of a data center as functions of weather.

Lei & Masanet's (2020, 2022) hyperscale balance, per unit of IT power: IT power, UPS and distribution
losses and lighting all end as heat ``Q`` in the halls; fans and pumps move it; an economiser rejects what it
can without compressors and a chiller the rest at a COP set by the heat-sink temperature::

    PUE = 1 + ups + distribution + lighting + air fans + pumps + (1 − f_econ)·Q / COP + heat-rejection fans
    Q   = 1 + ups + distribution + lighting

Technologies (``Cooling.technology``):

- ``evaporative``: air coils on facility water; cooling towers with a waterside economiser (wet-bulb + tower
  and HX approaches); water-cooled chiller at ``T_wb + tower approach``; evaporation, drift and blowdown.
- ``seawater``: the same with once-through seawater: economiser on ``T_sea + HX approach``, chiller
  condenser at ``T_sea``, seawater pumps; no fresh water.
- ``air_chiller_economiser``: outdoor-air (enthalpy) economiser within dew-point limits, air-cooled chiller
  for the rest; water only to humidify very dry air.
- ``liquid_dry_cooler``: warm-water direct liquid cooling (supply typically 30–40 °C), dry coolers whose fans
  speed up as the air warms, a trim chiller above the approach limit (optional adiabatic pre-cooling).

``pue`` excludes ``Electrical.auxiliary_mw`` (an absolute load the planner adds, so that the profile stays
per MW of IT) and the desalination energy (``desalination_mwh_per_mwh_it``, also added by the planner).
``water_m3_per_mwh_it`` is fresh water consumed on site. Equipment parameters the scenario does not carry
are in :class:`CoolingDesign`, each with its source.

References
----------
.. [1] Lei, N. and Masanet, E. (2020). Statistical analysis for predicting location-specific data center PUE
   and its improvement potential. Energy 201, 117556. doi:10.1016/j.energy.2020.117556
.. [2] Lei, N. and Masanet, E. (2022). Climate- and technology-specific PUE and WUE estimations for U.S. data
   centers using a hybrid statistical and thermodynamics-based approach. Resour. Conserv. Recycl. 182,
   106323. doi:10.1016/j.resconrec.2022.106323
.. [3] Voutchkov, N. (2018). Energy use for membrane seawater desalination – current status and trends.
   Desalination 431, 2–14. doi:10.1016/j.desal.2017.10.033
.. [4] AHRI Standard 550/590 (I-P)-2015, Table 1: standard rating conditions of water-chilling packages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt
import pandas as pd

from greendc.assets import psychrometrics as psy
from greendc.errors import ScenarioError, WeatherDataError
from greendc.scenario.models import Cooling, Electrical
from greendc.weather.schema import RANGES, UNITS

ArrayLike = npt.ArrayLike

AIR_CP_KJ_PER_KG_K = 1.01  #: specific heat of air for air mass flows [kJ/(kg·K)] (Lei & Masanet 2020)
WATER_CP_KJ_PER_KG_K = 4.2  #: specific heat of water for water mass flows [kJ/(kg·K)] (Lei & Masanet 2020)
WATER_DENSITY_KG_PER_M3 = 1000.0
SEAWATER_DENSITY_KG_PER_M3 = 1025.0
COP_REGRESSION_T_MIN_C = 10.0  #: below: chiller regression held at its 10 °C value
COP_REGRESSION_T_MAX_C = 35.0  #: above: regression continued along its tangent
PLR_MIN, PLR_MAX = 0.2, 0.8  #: part-load ratios sampled by Lei & Masanet (hyperscale range)
COP_FLOOR = 1.0  #: lowest COP returned far above the regression's range
MIN_LIFT_K = 10.0  #: smallest compressor lift in the Carnot-fraction model [K]
TECHNOLOGIES: tuple[str, ...] = ("air_chiller_economiser", "evaporative", "liquid_dry_cooler", "seawater")
_AIR_COIL_TECHNOLOGIES = ("air_chiller_economiser", "evaporative", "seawater")


@dataclass(frozen=True)
class CoolingDesign:
    """Equipment parameters of the cooling plant not (yet) in the scenario model.

    Unless stated, a default is the midpoint of Lei & Masanet's hyperscale input range (2022 input table,
    "Case 1/2"; seawater ranges from their 2020 tool), the range in the comment. ``[R]`` marks an
    engineering assumption without a primary source read. Invalid values raise :class:`ScenarioError`.
    """

    # air side (CRAH coils, fan walls)
    air_delta_t_k: float = 14.0  # 13.9–19.4 K; with coil 0.8 and 25 °C air gives the scenario's 21.5 °C water
    coil_effectiveness: float = 0.8  # 0.7–0.9
    air_fan_pressure_pa: float = 500.0  # 400–600 Pa (seawater-economiser range; Case 1: 300–1000 Pa)
    air_fan_efficiency: float = 0.775  # 65–90 %
    # facility water
    water_pump_pressure_pa: float = 143_650.0  # 114.9–172.4 kPa (chilled-water and economiser pumps)
    pump_efficiency: float = 0.70  # 60–80 %
    economiser_hx_approach_k: float = 2.0  # 1.7–2.8 K; 2 K as in the worked seawater example
    # chillers
    chiller_plr_at_full_it: float = 0.8  # 0.2–0.8; duty chillers share the load at full IT power [R]
    chiller_cop_adjustment: float = 0.0  # pCOP, ±11 % around the regression; applied to every chiller
    carnot_efficiency: float = 0.5  # COP 2.95 at the AHRI 550/590 air-cooled rating point [R]
    evaporator_approach_k: float = 2.0  # leaving chilled water − evaporating temperature [R]
    air_condensing_approach_k: float = 16.7  # AHRI 550/590: 125 °F condensing at 95 °F entering air
    # cooling towers
    tower_approach_k: float = 4.75  # 2.8–6.7 K
    tower_delta_t_k: float = 5.0  # 4–6 K
    tower_pump_pressure_pa: float = 208_650.0  # 166.9–250.4 kPa
    tower_fan_pressure_pa: float = 250.0  # 100–400 Pa
    tower_fan_efficiency: float = 0.775  # 65–90 %
    tower_liquid_to_gas_ratio: float = 2.1  # 0.2–4
    tower_drift_fraction: float = 0.00005  # 0.005–0.5 % of tower flow; lower end: high-efficiency eliminators
    # seawater
    seawater_delta_t_k: float = 7.5  # 5–10 K
    seawater_pump_pressure_pa: float = 294_000.0  # 30–150 m head; 30 m for a near-shore intake at sea level [R]
    # airside economiser: supply-air dew-point limits (ASHRAE TC 9.9 recommended envelope)
    supply_dew_point_min_c: float = -9.0  # −12…−9 °C
    supply_dew_point_max_c: float = 15.0  # 15–27 °C; 15 °C as in Lei & Masanet's economiser code
    # direct liquid cooling and dry coolers
    liquid_capture_fraction: float = 0.8  # share of IT heat taken by cold plates; the rest by air [R]
    cdu_pump_pressure_pa: float = 143_650.0  # technology cooling loop, as the chilled-water pump [R]
    dry_cooler_approach_k: float = 6.0  # leaving facility water − entering air [R]
    dry_cooler_air_effectiveness: float = 0.6  # air temperature rise / (return water − air) [R]
    dry_cooler_fan_pressure_pa: float = 250.0  # as tower fans, 100–400 Pa
    dry_cooler_fan_efficiency: float = 0.775  # as tower fans, 65–90 %
    dry_cooler_adiabatic_assist: bool = False  # evaporative pre-cooling of the dry-cooler air when needed
    adiabatic_pad_effectiveness: float = 0.85  # share of the wet-bulb depression achieved by the pads [R]

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, bool):
                continue
            lo, hi, allowed = -np.inf, np.inf, "a finite number"
            if f.name.endswith(("effectiveness", "efficiency", "plr_at_full_it")):
                lo, hi, allowed = 1e-9, 1.0, "in (0, 1]"
            elif f.name == "liquid_capture_fraction":
                lo, hi, allowed = 0.0, 1.0, "in [0, 1]"
            elif f.name.endswith(("_delta_t_k", "_ratio")):
                lo, allowed = 1e-9, "> 0"
            elif f.name.endswith(("_pa", "_approach_k")):
                lo, allowed = 0.0, ">= 0"
            elif f.name == "tower_drift_fraction":
                lo, hi, allowed = 0.0, 0.05, "in [0, 0.05]"
            elif f.name == "chiller_cop_adjustment":
                lo, hi, allowed = -0.5, 1.0, "in [-0.5, 1]"
            if not (np.isfinite(v) and lo <= v <= hi):
                raise ScenarioError(f"CoolingDesign.{f.name} = {v!r} must be {allowed}")
        if self.supply_dew_point_min_c >= self.supply_dew_point_max_c:
            raise ScenarioError(f"CoolingDesign.supply_dew_point_min_c = {self.supply_dew_point_min_c} must be below "
                                f"supply_dew_point_max_c = {self.supply_dew_point_max_c}")


DEFAULT_DESIGN = CoolingDesign()


# --- components: pure functions of arrays ------------------------------------------------------------------------


def power_chain_losses(
    ups_efficiency: float, distribution_loss_fraction: float, lighting_fraction_of_it: float
) -> tuple[float, float, float]:
    """UPS loss, distribution loss and lighting per unit of IT power [MW/MW_IT].

    Parameters
    ----------
    ups_efficiency : float
        UPS efficiency [-].
    distribution_loss_fraction : float
        Share of the power entering distribution that is lost [-].
    lighting_fraction_of_it : float
        Lighting power / IT power [-].

    Notes
    -----
    ``ups = 1/η_UPS − 1``, ``distribution = 1/(1 − λ_PD) − 1``, ``lighting = l`` (Lei & Masanet 2020,
    doi:10.1016/j.energy.2020.117556).

    Examples
    --------
    >>> [round(x, 6) for x in power_chain_losses(0.97, 0.01, 0.001)]
    [0.030928, 0.010101, 0.001]
    """
    return 1.0 / ups_efficiency - 1.0, 1.0 / (1.0 - distribution_loss_fraction) - 1.0, lighting_fraction_of_it


def fan_power_kw(mass_flow_kg_s: ArrayLike, air_density_kg_m3: ArrayLike, pressure_rise_pa: float,
                 efficiency: float) -> np.ndarray:
    """Electric power of a fan, ``P = m / ρ · Δp / η / 1000`` [kW] (Lei & Masanet 2020).

    Parameters
    ----------
    mass_flow_kg_s : array-like
        Air mass flow [kg/s].
    air_density_kg_m3 : array-like
        Air density at the fan [kg/m³].
    pressure_rise_pa : float
        Total pressure rise [Pa].
    efficiency : float
        Fan and motor efficiency [-].
    """
    return np.asarray(mass_flow_kg_s, dtype=float) / np.asarray(air_density_kg_m3) * pressure_rise_pa / efficiency / 1e3


def pump_power_kw(mass_flow_kg_s: ArrayLike, pressure_rise_pa: float, efficiency: float,
                  density_kg_m3: float = WATER_DENSITY_KG_PER_M3) -> np.ndarray:
    """Electric power of a pump, ``P = Δp · m / (1000 · η · ρ)`` [kW] (Lei & Masanet 2020).

    Parameters
    ----------
    mass_flow_kg_s : array-like
        Liquid mass flow [kg/s].
    pressure_rise_pa : float
        Pressure rise [Pa].
    efficiency : float
        Pump and motor efficiency [-].
    density_kg_m3 : float
        Liquid density [kg/m³].
    """
    return pressure_rise_pa * np.asarray(mass_flow_kg_s, dtype=float) / (1e3 * efficiency * density_kg_m3)


def facility_water_supply_temp(supply_air_temp: float, air_delta_t_k: float, coil_effectiveness: float) -> float:
    """Facility-water supply temperature that lets a coil deliver the supply air [°C].

    Parameters
    ----------
    supply_air_temp : float
        Supply-air set point [°C].
    air_delta_t_k : float
        Air temperature rise across the IT equipment [K].
    coil_effectiveness : float
        Coil effectiveness [-].

    Notes
    -----
    ``T_sfw = T_ra − (T_ra − T_sa) / ε`` with ``T_ra = T_sa + ΔT_air`` (Lei & Masanet 2020).

    Examples
    --------
    >>> facility_water_supply_temp(25.0, 14.0, 0.8)  # worked seawater example of the reference notes
    21.5
    """
    t_return = supply_air_temp + air_delta_t_k
    return t_return - (t_return - supply_air_temp) / coil_effectiveness


def economiser_fraction(t_sink_leaving: ArrayLike, t_supply: ArrayLike, t_return: ArrayLike) -> np.ndarray:
    r"""Share of the heat load an economiser removes without compressors [-].

    Parameters
    ----------
    t_sink_leaving : array-like
        Coldest water the heat-rejection path can deliver [°C]: wet-bulb + tower approach + HX approach
        (towers), sea temperature + HX approach (seawater), dry-bulb + approach (dry coolers).
    t_supply, t_return : array-like
        Facility-water supply and return temperatures [°C], ``t_return > t_supply``.

    Notes
    -----
    Lei & Masanet (2020): full free cooling while ``t ≤ T_sfw``, none from ``T_rfw`` up; between, the
    economiser pre-cools the return water to ``t`` and the chiller does the rest:
    :math:`f = \mathrm{clip}((T_{rfw} - t)/(T_{rfw} - T_{sfw}), 0, 1)`.

    Examples
    --------
    >>> float(economiser_fraction(23.5 + 2.0, 21.5, 29.5))  # sea at 23.5 °C, HX approach 2 K
    0.5
    """
    t, ts, tr = (np.asarray(x, dtype=float) for x in (t_sink_leaving, t_supply, t_return))
    return np.clip((tr - t) / (tr - ts), 0.0, 1.0)


def chiller_cop_water_cooled(t_condenser: ArrayLike, part_load_ratio: ArrayLike) -> np.ndarray:
    r"""COP of a water-cooled chiller from Lei & Masanet's regression [kW_th/kW_el].

    Parameters
    ----------
    t_condenser : array-like
        Condenser entering water [°C] (wet-bulb + tower approach, or sea temperature).
    part_load_ratio : array-like
        Chiller part-load ratio [-], within [0.2, 0.8] (the range sampled for the fit).

    Raises
    ------
    ScenarioError
        If a part-load ratio is outside [0.2, 0.8].

    Notes
    -----
    .. math:: COP = 16.798751 + 0.008840\,t^2 - 8.528931\,L^2 + 9.885294\,L - 0.760621\,t + 0.084615\,L t

    (Lei & Masanet 2020, doi:10.1016/j.energy.2020.117556), used as published for 10 ≤ t ≤ 35 °C; held at
    its 10 °C value below, continued along its tangent at 35 °C above (the quadratic would turn upward near
    39–42 °C), never below :data:`COP_FLOOR`.

    Examples
    --------
    >>> round(float(chiller_cop_water_cooled(30.0, 0.5)), 2)  # reference table: 6.02
    6.02
    """
    t = np.asarray(t_condenser, dtype=float)
    plr = np.asarray(part_load_ratio, dtype=float)
    bad = np.atleast_1d(~((plr >= PLR_MIN - 1e-12) & (plr <= PLR_MAX + 1e-12)))
    if bad.any():
        value = np.atleast_1d(plr)[np.flatnonzero(bad)[0]]
        raise ScenarioError(f"chiller part_load_ratio = {value!r} is outside the regression range "
                            f"[{PLR_MIN}, {PLR_MAX}]")
    tc = np.clip(t, COP_REGRESSION_T_MIN_C, COP_REGRESSION_T_MAX_C)
    cop = 16.798751 + 0.008840 * tc**2 - 8.528931 * plr**2 + 9.885294 * plr - 0.760621 * tc + 0.084615 * plr * tc
    slope = 2 * 0.008840 * COP_REGRESSION_T_MAX_C - 0.760621 + 0.084615 * plr
    cop = np.where(t > COP_REGRESSION_T_MAX_C, cop + slope * (t - COP_REGRESSION_T_MAX_C), cop)
    return np.maximum(cop, COP_FLOOR)


def chiller_cop_carnot(t_chilled_water: ArrayLike, t_heat_sink: ArrayLike, carnot_efficiency: float = 0.5,
                       evaporator_approach_k: float = 2.0, condensing_approach_k: float = 16.7) -> np.ndarray:
    r"""COP of a chiller rejecting heat to air, as a fraction of the Carnot COP [kW_th/kW_el].

    Parameters
    ----------
    t_chilled_water : array-like
        Leaving chilled-water temperature [°C].
    t_heat_sink : array-like
        Air entering the condenser or dry cooler [°C].
    carnot_efficiency : float
        Second-law efficiency, condenser fans included [-].
    evaporator_approach_k, condensing_approach_k : float
        Chilled water − evaporating temperature, condensing − entering air temperature [K].

    Notes
    -----
    :math:`COP = \eta_{II} T_{ev} / (T_{cd} - T_{ev})`, :math:`T_{ev} = t_{chw} - a_{ev} + 273.15`,
    :math:`T_{cd} = t_{sink} + a_{cd} + 273.15`, lift not below :data:`MIN_LIFT_K`. The condensing approach
    is AHRI 550/590 (2015) Table 1: 125 °F saturated condensing at 95 °F entering air. At the AHRI rating point
    (44 °F = 6.67 °C chilled water, 35 °C air) the defaults give COP 2.95 (10.1 Btu/Wh). No part-load term:
    the part-load ratio acts on the water-cooled regression only.

    Examples
    --------
    >>> round(float(chiller_cop_carnot(6.67, 35.0)), 2)
    2.95
    """
    t_ev = np.asarray(t_chilled_water, dtype=float) - evaporator_approach_k + 273.15
    t_cd = np.asarray(t_heat_sink, dtype=float) + condensing_approach_k + 273.15
    return carnot_efficiency * t_ev / np.maximum(t_cd - t_ev, MIN_LIFT_K)


def tower_water_kg_s(heat_rejected_kw: ArrayLike, temp_water: ArrayLike, cycles_of_concentration: float,
                     drift_fraction: float = 0.0, tower_water_flow_kg_s: ArrayLike = 0.0
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Water consumed by an evaporative cooling tower: evaporation, drift, blowdown [kg/s].

    Parameters
    ----------
    heat_rejected_kw : array-like
        Heat rejected by the tower [kW].
    temp_water : array-like
        Mean tower water temperature [°C].
    cycles_of_concentration : float
        Dissolved solids in the basin / in the make-up water [-], > 1.
    drift_fraction : float
        Drift (windage) as a share of the circulating flow [-].
    tower_water_flow_kg_s : array-like
        Circulating tower water flow [kg/s].

    Notes
    -----
    Lei & Masanet (2022), doi:10.1016/j.resconrec.2022.106323: ``evap = Q / h_fg(T)``,
    ``drift = windage · m_tower``, ``blowdown = max(evap / (CoC − 1) − drift, 0)``, ``h_fg`` from
    :func:`greendc.assets.psychrometrics.latent_heat_vaporisation`.

    Examples
    --------
    >>> evap, drift, blowdown = tower_water_kg_s(1.0, 30.0, 5.0)
    >>> round(float(evap) * 3600, 3)  # litres per kWh of heat at 30 °C
    1.481
    """
    if not cycles_of_concentration > 1.0:
        raise ScenarioError(f"cycles_of_concentration = {cycles_of_concentration!r} must be > 1")
    evap = np.asarray(heat_rejected_kw, dtype=float) / np.asarray(psy.latent_heat_vaporisation(temp_water))
    drift = drift_fraction * np.asarray(tower_water_flow_kg_s, dtype=float) * np.ones_like(evap)
    return evap, drift, np.maximum(evap / (cycles_of_concentration - 1.0) - drift, 0.0)


def dry_cooler_fan_power_kw(heat_rejected_kw: ArrayLike, temp_air_in: ArrayLike, t_return: ArrayLike,
                            pressure: ArrayLike, design_temperature_difference_k: float, air_effectiveness: float,
                            fan_pressure_pa: float, fan_efficiency: float) -> np.ndarray:
    """Fan power of a variable-speed dry cooler, rising as the entering air warms [kW].

    Parameters
    ----------
    heat_rejected_kw : array-like
        Heat rejected [kW].
    temp_air_in : array-like
        Air entering the coils (ambient or adiabatically pre-cooled) [°C].
    t_return : array-like
        Water entering the dry cooler (facility return) [°C].
    pressure : array-like
        Barometric pressure [Pa].
    design_temperature_difference_k : float
        ``t_return − temp_air_in`` at which the fans reach full speed [K]: approach + water ΔT.
    air_effectiveness : float
        Air temperature rise / (t_return − temp_air_in) at full speed [-].
    fan_pressure_pa, fan_efficiency : float
        Fan pressure rise at full speed [Pa], fan efficiency [-].

    Notes
    -----
    Full-speed air flow ``m = Q / (c_p ε ΔT_d)``. With a larger temperature difference the fans slow to
    ``x = ΔT_d / (t_return − t_air)`` of it (air flow for a given heat ∝ 1/ΔT) and, by the fan affinity
    laws, ``P = m/ρ · Δp/η / 1000 · x³``.
    """
    t_in = np.asarray(temp_air_in, dtype=float)
    x = design_temperature_difference_k / np.maximum(np.asarray(t_return) - t_in, design_temperature_difference_k)
    m_full = np.asarray(heat_rejected_kw, dtype=float) / (
        AIR_CP_KJ_PER_KG_K * air_effectiveness * design_temperature_difference_k)
    return fan_power_kw(m_full, psy.air_density(t_in, pressure), fan_pressure_pa, fan_efficiency) * x**3


# --- one model per technology: components per kW of IT power -----------------------------------------------------

Parts = dict[str, np.ndarray]


def _air_fans(q_air: float, c: Cooling, pressure: np.ndarray, d: CoolingDesign) -> np.ndarray:
    m_sa = q_air / (AIR_CP_KJ_PER_KG_K * d.air_delta_t_k)
    return fan_power_kw(m_sa, psy.air_density(c.supply_air_temp, pressure), d.air_fan_pressure_pa, d.air_fan_efficiency)


def _facility_pump(q: float | np.ndarray, c: Cooling, d: CoolingDesign) -> np.ndarray:
    m = np.asarray(q) / (WATER_CP_KJ_PER_KG_K * c.facility_water_delta_t)
    return pump_power_kw(m, d.water_pump_pressure_pa, d.pump_efficiency)


def _water_economiser(w: Parts, q: float, plr: np.ndarray, c: Cooling, d: CoolingDesign) -> Parts:
    """``evaporative`` (towers) and ``seawater``: waterside economiser + water-cooled chiller."""
    towers = c.technology == "evaporative"
    if towers:
        twb = np.asarray(psy.wet_bulb_temperature(w["temp_air"], w["relative_humidity"], w["pressure"]))
        t_condenser = twb + d.tower_approach_k
    else:
        t_condenser = w["temp_sea"]
    t_sfw = c.facility_water_supply_temp
    f = economiser_fraction(t_condenser + d.economiser_hx_approach_k, t_sfw, t_sfw + c.facility_water_delta_t)
    cop = chiller_cop_water_cooled(t_condenser, plr) * (1.0 + d.chiller_cop_adjustment)
    chiller = (1.0 - f) * q / cop
    q_rejected = q + chiller
    parts = {"air_fans": _air_fans(q, c, w["pressure"], d), "chiller": chiller, "economiser_fraction": f,
             "chiller_cop": cop}
    zero = np.zeros_like(chiller)
    if not towers:
        m_sea = q_rejected / (WATER_CP_KJ_PER_KG_K * d.seawater_delta_t_k)
        sea_pump = pump_power_kw(m_sea, d.seawater_pump_pressure_pa, d.pump_efficiency, SEAWATER_DENSITY_KG_PER_M3)
        return parts | {"pumps": _facility_pump(q, c, d) + sea_pump, "heat_rejection_fans": zero,
                        "evaporated": zero, "drift": zero, "blowdown": zero}
    m_tower = q_rejected / (WATER_CP_KJ_PER_KG_K * d.tower_delta_t_k)
    rho_oa = psy.air_density(w["temp_air"], w["pressure"],
                             psy.humidity_ratio(w["temp_air"], w["relative_humidity"], w["pressure"]))
    tower_fans = fan_power_kw(m_tower / d.tower_liquid_to_gas_ratio, rho_oa, d.tower_fan_pressure_pa,
                              d.tower_fan_efficiency)
    evap, drift, blowdown = tower_water_kg_s(q_rejected, t_condenser + d.tower_delta_t_k / 2, c.cycles_of_concentration,
                                             d.tower_drift_fraction, m_tower)
    tower_pump = pump_power_kw(m_tower, d.tower_pump_pressure_pa, d.pump_efficiency)
    return parts | {"pumps": _facility_pump(q, c, d) + tower_pump, "heat_rejection_fans": tower_fans,
                    "evaporated": evap, "drift": drift, "blowdown": blowdown}


def _air_chiller_economiser(w: Parts, q: float, plr: np.ndarray, c: Cooling, d: CoolingDesign) -> Parts:
    t_sa = c.supply_air_temp
    f, _, humidification = psy.airside_economiser(w["temp_air"], w["relative_humidity"], w["pressure"], t_sa,
                                                  t_sa + d.air_delta_t_k, d.supply_dew_point_min_c,
                                                  d.supply_dew_point_max_c)
    cop = chiller_cop_carnot(c.facility_water_supply_temp, w["temp_air"], d.carnot_efficiency, d.evaporator_approach_k,
                             d.air_condensing_approach_k) * (1.0 + d.chiller_cop_adjustment)
    zero = np.zeros_like(f)
    m_sa = q / (AIR_CP_KJ_PER_KG_K * d.air_delta_t_k)
    return {"air_fans": _air_fans(q, c, w["pressure"], d), "pumps": _facility_pump((1.0 - f) * q, c, d),
            "chiller": (1.0 - f) * q / cop, "heat_rejection_fans": zero,  # condenser fans are inside the COP
            "economiser_fraction": f, "chiller_cop": cop, "evaporated": m_sa * humidification, "drift": zero,
            "blowdown": zero}


def _liquid_dry_cooler(w: Parts, q: float, plr: np.ndarray, c: Cooling, d: CoolingDesign) -> Parts:
    t_sfw = c.facility_water_supply_temp
    t_rfw = t_sfw + c.facility_water_delta_t
    t_db = t_in = w["temp_air"]
    if d.dry_cooler_adiabatic_assist:  # pre-cool only when dry free cooling is not complete
        twb = np.asarray(psy.wet_bulb_temperature(t_db, w["relative_humidity"], w["pressure"]))
        needed = t_db + d.dry_cooler_approach_k > t_sfw
        t_in = np.where(needed, t_db - d.adiabatic_pad_effectiveness * (t_db - twb), t_db)
    f = economiser_fraction(t_in + d.dry_cooler_approach_k, t_sfw, t_rfw)
    cop = chiller_cop_carnot(t_sfw, t_in, d.carnot_efficiency, d.evaporator_approach_k,
                             d.air_condensing_approach_k) * (1.0 + d.chiller_cop_adjustment)
    chiller = (1.0 - f) * q / cop
    q_rejected = q + chiller
    dt_design = d.dry_cooler_approach_k + c.facility_water_delta_t
    fans = dry_cooler_fan_power_kw(q_rejected, t_in, t_rfw, w["pressure"], dt_design, d.dry_cooler_air_effectiveness,
                                   d.dry_cooler_fan_pressure_pa, d.dry_cooler_fan_efficiency)
    # adiabatic pads: the sensible cooling of the air through them is paid in evaporated water
    m_air = (dt_design / np.maximum(t_rfw - t_in, dt_design)) * q_rejected / (
        AIR_CP_KJ_PER_KG_K * d.dry_cooler_air_effectiveness * dt_design)
    evap = m_air * AIR_CP_KJ_PER_KG_K * (t_db - t_in) / np.asarray(psy.latent_heat_vaporisation(t_in))
    m_cdu = d.liquid_capture_fraction * q / (WATER_CP_KJ_PER_KG_K * c.facility_water_delta_t)
    return {"air_fans": _air_fans((1.0 - d.liquid_capture_fraction) * q, c, w["pressure"], d),
            "pumps": _facility_pump(q, c, d) + pump_power_kw(m_cdu, d.cdu_pump_pressure_pa, d.pump_efficiency),
            "chiller": chiller, "heat_rejection_fans": fans, "economiser_fraction": f, "chiller_cop": cop,
            "evaporated": evap, "drift": np.zeros_like(evap), "blowdown": evap / (c.cycles_of_concentration - 1.0)}


_TECHNOLOGY_MODELS: dict[str, Callable[[Parts, float, np.ndarray, Cooling, CoolingDesign], Parts]] = {
    "evaporative": _water_economiser,
    "seawater": _water_economiser,
    "air_chiller_economiser": _air_chiller_economiser,
    "liquid_dry_cooler": _liquid_dry_cooler,
}


# --- orchestrator ------------------------------------------------------------------------------------------------


def required_weather_columns(cooling: Cooling, design: CoolingDesign = DEFAULT_DESIGN) -> tuple[str, ...]:
    """Weather columns the cooling model needs for ``cooling.technology`` and the design options."""
    if cooling.technology not in _TECHNOLOGY_MODELS:
        raise ScenarioError(f"cooling.technology = {cooling.technology!r} is not one of {list(TECHNOLOGIES)}")
    if cooling.technology == "seawater":
        return ("temp_sea", "pressure")
    if cooling.technology == "liquid_dry_cooler" and not design.dry_cooler_adiabatic_assist:
        return ("temp_air", "pressure")
    return ("temp_air", "relative_humidity", "pressure")


def _weather_arrays(weather: pd.DataFrame, columns: tuple[str, ...], technology: str) -> Parts:
    if not isinstance(weather, pd.DataFrame):
        raise WeatherDataError(f"weather must be a pandas DataFrame, got {type(weather).__name__}")
    out: Parts = {}
    for col in columns:
        if col not in weather.columns:
            raise WeatherDataError(f"weather: missing column '{col}' [{UNITS[col]}], needed by cooling technology "
                                   f"'{technology}' (needs {list(columns)})")
        values = pd.to_numeric(weather[col], errors="coerce").to_numpy(dtype=float)
        lo, hi = RANGES[col]
        bad = ~np.isfinite(values) | (values < lo) | (values > hi)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise WeatherDataError(f"weather: column '{col}' = {values[i]!r} {UNITS[col]} at {weather.index[i]} "
                                   f"(row {i}) is missing or outside the physical range [{lo:g}, {hi:g}] {UNITS[col]}")
        out[col] = values
    return out


def _part_load_ratio(it_load_fraction: float | pd.Series, index: pd.Index, d: CoolingDesign) -> np.ndarray:
    if isinstance(it_load_fraction, pd.Series):
        if not it_load_fraction.index.equals(index):
            raise ScenarioError("it_load_fraction: its index differs from the weather index; align it explicitly")
        values = pd.to_numeric(it_load_fraction, errors="coerce").to_numpy(dtype=float)
    elif isinstance(it_load_fraction, int | float | np.number) and not isinstance(it_load_fraction, bool):
        values = np.full(len(index), float(it_load_fraction))
    else:
        kind = type(it_load_fraction).__name__
        raise ScenarioError(f"it_load_fraction must be a number or a pandas Series, got {kind}")
    bad = ~(np.isfinite(values) & (values >= 0.0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ScenarioError(f"it_load_fraction = {values[i]!r} at {index[i]} must be a finite number >= 0")
    return np.clip(values * d.chiller_plr_at_full_it, PLR_MIN, PLR_MAX)


def cooling_breakdown(
    weather: pd.DataFrame, cooling: Cooling, electrical: Electrical, it_load_fraction: float | pd.Series = 0.8,
    design: CoolingDesign = DEFAULT_DESIGN,
) -> pd.DataFrame:
    """Hourly facility power and water components per unit of IT power, for one cooling technology.

    Parameters
    ----------
    weather : pandas.DataFrame
        Weather table with the columns of :func:`required_weather_columns`: ``temp_sea`` [°C] and
        ``pressure`` [Pa] for seawater; ``temp_air`` [°C], ``relative_humidity`` [%], ``pressure`` [Pa] else.
    cooling : greendc.scenario.models.Cooling
        Technology and set points.
    electrical : greendc.scenario.models.Electrical
        Power-chain losses; ``auxiliary_mw`` is not used (absolute load, added by the planner).
    it_load_fraction : float or pandas.Series
        IT power / installed IT power [-], ≥ 0; sets the chiller part-load ratio
        ``clip(it_load_fraction × design.chiller_plr_at_full_it, 0.2, 0.8)`` (0, e.g. before the first
        build-out phase, is accepted: the profile is per unit of IT power). A Series must carry the weather
        index.
    design : CoolingDesign
        Equipment parameters.

    Returns
    -------
    pandas.DataFrame
        On the weather index: ``ups_loss``, ``distribution_loss``, ``lighting``, ``air_fans``, ``pumps``,
        ``chiller``, ``heat_rejection_fans`` (each ``*_mw_per_mw_it``), ``economiser_fraction`` [-],
        ``chiller_cop`` [-], ``water_evaporated``, ``water_drift``, ``water_blowdown`` (each
        ``*_m3_per_mwh_it``), ``pue``, ``water_m3_per_mwh_it``, ``desalination_mwh_per_mwh_it``.

    Raises
    ------
    WeatherDataError
        If a needed weather column is missing, not finite or outside its physical range.
    ScenarioError
        If ``it_load_fraction`` is invalid, or the facility water is not colder than the supply air for a
        technology with air coils.

    Notes
    -----
    Balance in the module docstring. Water in kg/s per kW of IT × 3600 s/h = L/kWh = m³/MWh. Coils run dry
    (facility water above the hall dew point), so coil-based systems carry no humidification or
    dehumidification load (Lei & Masanet's sensible heat ratio taken as 1).
    """
    tech = cooling.technology
    w = _weather_arrays(weather, required_weather_columns(cooling, design), tech)
    plr = _part_load_ratio(it_load_fraction, weather.index, design)
    if tech in _AIR_COIL_TECHNOLOGIES and cooling.facility_water_supply_temp >= cooling.supply_air_temp:
        hint = facility_water_supply_temp(cooling.supply_air_temp, design.air_delta_t_k, design.coil_effectiveness)
        raise ScenarioError(f"cooling.facility_water_supply_temp = {cooling.facility_water_supply_temp} °C must be "
                            f"below supply_air_temp = {cooling.supply_air_temp} °C for technology '{tech}' "
                            f"(air coils), e.g. {hint:g} °C")
    ups, distribution, lighting = power_chain_losses(electrical.ups_efficiency, electrical.distribution_loss_fraction,
                                                     electrical.lighting_fraction_of_it)
    parts = _TECHNOLOGY_MODELS[tech](w, 1.0 + ups + distribution + lighting, plr, cooling, design)
    n = len(weather.index)
    columns: dict[str, np.ndarray] = {}
    for name, value in (("ups_loss", ups), ("distribution_loss", distribution), ("lighting", lighting)):
        columns[f"{name}_mw_per_mw_it"] = np.full(n, value)
    for name in ("air_fans", "pumps", "chiller", "heat_rejection_fans"):
        columns[f"{name}_mw_per_mw_it"] = np.broadcast_to(parts[name], (n,)).astype(float)
    columns["economiser_fraction"] = np.broadcast_to(parts["economiser_fraction"], (n,)).astype(float)
    columns["chiller_cop"] = np.broadcast_to(parts["chiller_cop"], (n,)).astype(float)
    for name in ("evaporated", "drift", "blowdown"):
        columns[f"water_{name}_m3_per_mwh_it"] = np.broadcast_to(parts[name], (n,)).astype(float) * 3600.0
    out = pd.DataFrame(columns, index=weather.index)
    out["pue"] = 1.0 + out[[k for k in columns if k.endswith("_mw_per_mw_it")]].sum(axis=1)
    out["water_m3_per_mwh_it"] = out[[k for k in columns if k.endswith("_m3_per_mwh_it")]].sum(axis=1)
    out["desalination_mwh_per_mwh_it"] = out["water_m3_per_mwh_it"] * cooling.desalination_kwh_per_m3 / 1000.0
    return out


def facility_overhead(
    weather: pd.DataFrame, cooling: Cooling, electrical: Electrical, it_load_fraction: float | pd.Series = 0.8,
    design: CoolingDesign = DEFAULT_DESIGN,
) -> pd.DataFrame:
    """Hourly PUE, on-site water use and desalination energy per unit of IT energy.

    Parameters
    ----------
    weather, cooling, electrical, it_load_fraction, design
        As in :func:`cooling_breakdown`.

    Returns
    -------
    pandas.DataFrame
        On the weather index: ``pue`` [-] (facility power / IT power, excluding ``Electrical.auxiliary_mw``
        and desalination), ``water_m3_per_mwh_it`` [m³/MWh = L/kWh] (fresh water consumed on site) and
        ``desalination_mwh_per_mwh_it`` [MWh/MWh], the energy to make that water from seawater.

    Notes
    -----
    ``desalination = water × desalination_kwh_per_m3 / 1000``; modern seawater reverse-osmosis plants use
    about 3–4 kWh/m³ in total (Voutchkov 2018, doi:10.1016/j.desal.2017.10.033). The annual PUE KPI is the
    energy-weighted ``Σ P_fac / Σ P_IT``, not the mean of this column when the IT power varies.

    Examples
    --------
    >>> from greendc.scenario.models import Cooling, Electrical
    >>> idx = pd.date_range("2030-01-01", periods=2, freq="h", tz="UTC")
    >>> wx = pd.DataFrame({"temp_sea": [18.0, 23.5], "pressure": [101325.0] * 2}, index=idx)
    >>> facility_overhead(wx, Cooling(technology="seawater"), Electrical())["pue"].round(3).tolist()
    [1.102, 1.169]
    """
    return cooling_breakdown(weather, cooling, electrical, it_load_fraction, design)[
        ["pue", "water_m3_per_mwh_it", "desalination_mwh_per_mwh_it"]]
