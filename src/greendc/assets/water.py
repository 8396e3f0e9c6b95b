"""Water by kind: seawater withdrawn by once-through cooling, its heat, and the water that cleans the PV modules.

Three kinds of water, three boundaries:

- **fresh water of the data centre** (cooling towers, humidification, adiabatic pads): modelled by
  :mod:`greendc.assets.cooling` (``water_m3_per_mwh_it``), the input of the freshwater WUE;
- **seawater withdrawn** by a once-through seawater system: pumped from the sea, warmed by ``ΔT`` and
  returned; it is a withdrawal (a permitting item with its thermal discharge), not a consumption;
- **energy-plant water** outside the data-centre boundary: the electrolyser's process water and the PV
  cleaning water (:func:`pv_cleaning_water_m3_per_yr`).

Once-through flow (first law on the seawater stream)::

    Q = P / (ρ c_p ΔT)      [m³/s] with P [W], ρ [kg/m³], c_p [J/(kg·K)], ΔT [K]

The pumps run the flow that holds the design ``ΔT`` (Lei & Masanet's seawater pump, ``m = Q/(c_p ΔT)``), so
the outfall is ``ΔT`` above the intake at every load. Permits bound the rise at the edge of the mixing zone,
not at the pipe: e.g. the Dutch cooling-water rules (CIW 2004) allow a 7 K rise of the cooling water in
summer, at most 30 °C discharged and at most 3 K warming of the receiving water [5]; the World Bank Group EHS
guidelines ask for at most 3 K at the edge of the mixing zone [R, not re-read].

PV cleaning::

    V = A_modules × l × n,   A_modules = P_DC / (η_module × 1000 W/m²),   n = 365.25 / interval_days

with ``l`` the water per m² of module per cleaning (:data:`CLEANING_WATER_L_PER_M2`).

References
----------
.. [1] IOC, SCOR and IAPWS (2010). The international thermodynamic equation of seawater – 2010 (TEOS-10).
   Values computed with the Gibbs SeaWater toolbox (``gsw`` 3.6.23): practical salinity 35 (absolute salinity
   35.165 g/kg), 20 °C, sea-level pressure: ρ = 1024.77 kg/m³, c_p = 3996.1 J/(kg·K); the product ρ·c_p
   changes by less than 0.1 % between 15 and 25 °C.
.. [2] Sharqawy, M. H., Lienhard, J. H. and Zubair, S. M. (2010). Thermophysical properties of seawater: a
   review of existing correlations and data. Desalination and Water Treatment 16, 354–380.
   doi:10.5004/dwt.2010.1079
.. [3] Bridge to India (2018), report on water use of Indian PV plants, as reported by pv magazine
   (4 Oct 2018): O&M contractors use from slightly above 1 L up to 4 L per module per cleaning cycle.
.. [4] Lei, N. and Masanet, E. (2020). Energy 201, 117556 (seawater economiser and pump).
   doi:10.1016/j.energy.2020.117556
.. [5] Commissie Integraal Waterbeheer (2004). CIW 4 2004-01, Cooling water studies (helpdeskwater.nl).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from greendc.assets.cooling.design import SEAWATER_CP_KJ_PER_KG_K, SEAWATER_DENSITY_KG_PER_M3
from greendc.errors import ScenarioError
from greendc.scenario.models import PV

#: Irradiance of the standard test conditions that rates a module [W/m²] (IEC 60904-3 / IEC 61215).
STC_IRRADIANCE_W_PER_M2 = 1000.0
#: Water per m² of module per cleaning, by method [L/m²]. ``water_brush``: 1–4 L per module per cycle [3] over
#: a module of about 2 m² [R] gives 0.5–2 L/m²; the value is the middle of that range. ``robotic_dry``:
#: waterless brush robots run along the rows (no water by construction).
CLEANING_WATER_L_PER_M2: dict[str, float] = {"water_brush": 1.0, "robotic_dry": 0.0}
#: Days per year, for cleanings per year from a cleaning interval [d/yr].
DAYS_PER_YEAR = 365.25


def _positive(value: float, name: str) -> float:
    if not (np.isfinite(value) and value > 0.0):
        raise ScenarioError(f"{name} = {value!r} must be a finite number > 0")
    return float(value)


def seawater_withdrawal_m3_per_s(
    heat_mw: ArrayLike,
    delta_t_k: float,
    density_kg_per_m3: float = SEAWATER_DENSITY_KG_PER_M3,
    cp_kj_per_kg_k: float = SEAWATER_CP_KJ_PER_KG_K,
) -> np.ndarray:
    """Seawater a once-through system withdraws (and returns) to carry ``heat_mw`` away [m³/s].

    Parameters
    ----------
    heat_mw : array-like
        Heat rejected to the seawater [MW], ≥ 0.
    delta_t_k : float
        Temperature rise of the seawater between intake and outfall [K], > 0.
    density_kg_per_m3, cp_kj_per_kg_k : float
        Seawater density [kg/m³] and specific heat [kJ/(kg·K)] (TEOS-10 at 35 g/kg, 20 °C, see module).

    Returns
    -------
    numpy.ndarray
        ``Q = P / (ρ c_p ΔT)`` [m³/s].

    Raises
    ------
    ScenarioError
        A non-positive ``delta_t_k``, density or specific heat, or a negative or non-finite heat.

    Examples
    --------
    >>> round(float(seawater_withdrawal_m3_per_s(440.0, 7.5)), 3)  # 440e6 / (1024.8 × 3996 × 7.5)
    14.326
    """
    heat = np.asarray(heat_mw, dtype=float)
    if not np.all(np.isfinite(heat) & (heat >= 0.0)):
        raise ScenarioError(f"heat_mw must be finite numbers >= 0 [MW], got {heat_mw!r}")
    rho_cp_dt = (
        _positive(density_kg_per_m3, "seawater density_kg_per_m3")
        * _positive(cp_kj_per_kg_k, "seawater cp_kj_per_kg_k")
        * 1e3
        * _positive(delta_t_k, "seawater delta_t_k")
    )
    return heat * 1e6 / rho_cp_dt


def outfall_delta_t_k(
    heat_mwh: float,
    seawater_m3: float,
    density_kg_per_m3: float = SEAWATER_DENSITY_KG_PER_M3,
    cp_kj_per_kg_k: float = SEAWATER_CP_KJ_PER_KG_K,
) -> float:
    """Flow-weighted temperature rise of the returned seawater, ``ΔT = E / (ρ c_p V)`` [K].

    Parameters
    ----------
    heat_mwh : float
        Heat carried to the sea over the period [MWh].
    seawater_m3 : float
        Seawater withdrawn over the same period [m³].
    density_kg_per_m3, cp_kj_per_kg_k : float
        As in :func:`seawater_withdrawal_m3_per_s`.

    Returns
    -------
    float
        The rise [K]; NaN when no seawater was withdrawn.

    Examples
    --------
    >>> round(outfall_delta_t_k(440.0, float(seawater_withdrawal_m3_per_s(440.0, 7.5)) * 3600.0), 6)
    7.5
    """
    if seawater_m3 <= 0.0:
        return float("nan")
    return heat_mwh * 3.6e9 / (density_kg_per_m3 * cp_kj_per_kg_k * 1e3 * seawater_m3)


def pv_cleaning_water_m3(module_area_m2: float, water_l_per_m2: float, cleanings: float) -> float:
    """Water of ``cleanings`` cleanings of ``module_area_m2`` of modules, ``V = A l n / 1000`` [m³].

    Parameters
    ----------
    module_area_m2 : float
        Module (aperture) area [m²], ≥ 0.
    water_l_per_m2 : float
        Water per m² of module per cleaning [L/m²], ≥ 0.
    cleanings : float
        Number of cleanings [-], ≥ 0.

    Examples
    --------
    >>> pv_cleaning_water_m3(1000.0, 1.0, 26.0)  # 1000 m² × 1 L/m² × 26 / 1000
    26.0
    """
    for name, v in (("module_area_m2", module_area_m2), ("water_l_per_m2", water_l_per_m2), ("cleanings", cleanings)):
        if not (np.isfinite(v) and v >= 0.0):
            raise ScenarioError(f"pv cleaning: {name} = {v!r} must be a finite number >= 0")
    return module_area_m2 * water_l_per_m2 * cleanings / 1000.0


def pv_module_area_m2(pv_mw_dc: float, module_efficiency: float) -> float:
    """Module area of a PV plant of ``pv_mw_dc`` DC nameplate, ``A = P_DC / (η × 1000 W/m²)`` [m²].

    Examples
    --------
    >>> pv_module_area_m2(1.0, 0.2)  # 1e6 W / (0.2 × 1000 W/m²)
    5000.0
    """
    if not (np.isfinite(pv_mw_dc) and pv_mw_dc >= 0.0):
        raise ScenarioError(f"pv_mw_dc = {pv_mw_dc!r} must be a finite number >= 0 [MW]")
    if not 0.0 < module_efficiency <= 1.0:
        raise ScenarioError(f"technologies.pv.module_efficiency = {module_efficiency!r} must be in (0, 1]")
    return pv_mw_dc * 1e6 / (module_efficiency * STC_IRRADIANCE_W_PER_M2)


def pv_cleaning_water_l_per_m2(pv: PV) -> float:
    """Water per m² per cleaning of ``pv`` [L/m²]: ``pv.cleaning_water_l_per_m2``, else its method's default."""
    if pv.cleaning_water_l_per_m2 is not None:
        return float(pv.cleaning_water_l_per_m2)
    return CLEANING_WATER_L_PER_M2[pv.cleaning_method]


def pv_cleaning_water_m3_per_yr(pv_mw_dc: float, pv: PV) -> float:
    """Cleaning water of a PV plant of ``pv_mw_dc`` with the options ``pv`` [m³/yr].

    Parameters
    ----------
    pv_mw_dc : float
        PV DC nameplate [MW] (the planner's and the simulator's ``pv_mw``).
    pv : greendc.scenario.models.PV
        ``module_efficiency``, ``cleaning_interval_days`` (the soiling model's cleaning cycle),
        ``cleaning_method`` and ``cleaning_water_l_per_m2``.

    Returns
    -------
    float
        ``A l × 365.25 / interval / 1000`` [m³/yr].

    Examples
    --------
    >>> from greendc.scenario.models import PV
    >>> pv = PV(module_efficiency=0.2, cleaning_interval_days=14.0)
    >>> round(pv_cleaning_water_m3_per_yr(100.0, pv), 1)  # 500 000 m² × 1 L/m² × 365.25/14 / 1000
    13044.6
    """
    cleanings = DAYS_PER_YEAR / pv.cleaning_interval_days
    return pv_cleaning_water_m3(
        pv_module_area_m2(pv_mw_dc, pv.module_efficiency), pv_cleaning_water_l_per_m2(pv), cleanings
    )


def water_figures(
    weights_h: np.ndarray,
    years: float,
    datacenter_fresh_m3: np.ndarray,
    electrolyser_m3: np.ndarray,
    seawater_m3: np.ndarray,
    heat_to_sea_mw: np.ndarray,
    pv_cleaning_m3_per_yr: float = 0.0,
) -> dict[str, object]:
    """Water by kind and the seawater figures of a dispatch (planner or simulator).

    Parameters
    ----------
    weights_h : numpy.ndarray
        Step lengths [h].
    years : float
        Length of the dispatch [yr].
    datacenter_fresh_m3, electrolyser_m3, seawater_m3 : numpy.ndarray
        Volumes per step [m³]: cooling fresh water of the data centre, electrolyser process water, seawater
        withdrawn.
    heat_to_sea_mw : numpy.ndarray
        Heat carried to the sea, step means [MW].
    pv_cleaning_m3_per_yr : float
        PV cleaning water [m³/yr] (:func:`pv_cleaning_water_m3_per_yr`).

    Returns
    -------
    dict
        ``water_by_kind_m3_per_yr`` ({``datacenter_fresh``, ``electrolyser``, ``pv_cleaning``,
        ``seawater_withdrawn``} [m³/yr]); ``seawater_withdrawal_m3_per_s`` and ``thermal_discharge_mw``
        ({``mean``, ``peak``}: time mean over the dispatch and largest step mean); ``outfall_delta_t_k``
        (flow-weighted rise [K], NaN without seawater).
    """
    w = np.asarray(weights_h, dtype=float)
    sea = np.asarray(seawater_m3, dtype=float)
    heat = np.asarray(heat_to_sea_mw, dtype=float)
    hours = float(w.sum())
    sea_rate = sea / (w * 3600.0)
    return {
        "water_by_kind_m3_per_yr": {
            "datacenter_fresh": float(np.sum(datacenter_fresh_m3)) / years,
            "electrolyser": float(np.sum(electrolyser_m3)) / years,
            "pv_cleaning": float(pv_cleaning_m3_per_yr),
            "seawater_withdrawn": float(sea.sum()) / years,
        },
        "seawater_withdrawal_m3_per_s": {
            "mean": float(sea.sum()) / (hours * 3600.0),
            "peak": float(sea_rate.max(initial=0.0)),
        },
        "thermal_discharge_mw": {"mean": float(np.sum(heat * w)) / hours, "peak": float(heat.max(initial=0.0))},
        "outfall_delta_t_k": outfall_delta_t_k(float(np.sum(heat * w)), float(sea.sum())),
    }


def dispatch_water_figures(
    dispatch: pd.DataFrame, weights_h: np.ndarray, years: float, pv_cleaning_m3_per_yr: float = 0.0
) -> dict[str, object]:
    """:func:`water_figures` of a dispatch table, from its columns ``water_m3``, ``electrolyser_water_m3``,
    ``seawater_m3`` [m³ per step] and ``heat_to_sea_mw`` [MW] (docs/nomenclature.md)."""
    return water_figures(
        weights_h,
        years,
        dispatch["water_m3"].to_numpy(),
        dispatch["electrolyser_water_m3"].to_numpy(),
        dispatch["seawater_m3"].to_numpy(),
        dispatch["heat_to_sea_mw"].to_numpy(),
        pv_cleaning_m3_per_yr,
    )


__all__ = [
    "CLEANING_WATER_L_PER_M2",
    "DAYS_PER_YEAR",
    "STC_IRRADIANCE_W_PER_M2",
    "dispatch_water_figures",
    "outfall_delta_t_k",
    "pv_cleaning_water_l_per_m2",
    "pv_cleaning_water_m3",
    "pv_cleaning_water_m3_per_yr",
    "pv_module_area_m2",
    "seawater_withdrawal_m3_per_s",
    "water_figures",
]
