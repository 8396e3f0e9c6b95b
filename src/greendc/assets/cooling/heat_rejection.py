"""From the halls to the outside: coil water temperature, free cooling, tower water use, dry-cooler fans."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from greendc.assets import psychrometrics as psy
from greendc.assets.cooling.auxiliaries import fan_power_kw
from greendc.assets.cooling.design import AIR_CP_KJ_PER_KG_K
from greendc.errors import ScenarioError


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


def tower_water_kg_s(
    heat_rejected_kw: ArrayLike,
    temp_water: ArrayLike,
    cycles_of_concentration: float,
    drift_fraction: float = 0.0,
    tower_water_flow_kg_s: ArrayLike = 0.0,
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


def dry_cooler_fan_power_kw(
    heat_rejected_kw: ArrayLike,
    temp_air_in: ArrayLike,
    t_return: ArrayLike,
    pressure: ArrayLike,
    design_temperature_difference_k: float,
    air_effectiveness: float,
    fan_pressure_pa: float,
    fan_efficiency: float,
) -> np.ndarray:
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
        AIR_CP_KJ_PER_KG_K * air_effectiveness * design_temperature_difference_k
    )
    return fan_power_kw(m_full, psy.air_density(t_in, pressure), fan_pressure_pa, fan_efficiency) * x**3
