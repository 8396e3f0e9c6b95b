"""One model per cooling technology: fan, pump and chiller power, water use and heat to sea per kW of IT power."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from greendc.assets import psychrometrics as psy
from greendc.assets import water  # a module, not a name: greendc.assets.water imports this package
from greendc.assets.cooling.auxiliaries import fan_power_kw, pump_power_kw
from greendc.assets.cooling.chillers import chiller_cop_carnot, chiller_cop_water_cooled
from greendc.assets.cooling.design import (
    AIR_CP_KJ_PER_KG_K,
    SEAWATER_DENSITY_KG_PER_M3,
    WATER_CP_KJ_PER_KG_K,
    CoolingDesign,
)
from greendc.assets.cooling.heat_rejection import dry_cooler_fan_power_kw, economiser_fraction, tower_water_kg_s
from greendc.scenario.models import Cooling

TECHNOLOGIES: tuple[str, ...] = ("air_chiller_economiser", "evaporative", "liquid_dry_cooler", "seawater")
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
    parts = {
        "air_fans": _air_fans(q, c, w["pressure"], d),
        "chiller": chiller,
        "economiser_fraction": f,
        "chiller_cop": cop,
    }
    zero = np.zeros_like(chiller)
    if not towers:
        # first law: every kW of the halls and of the plant ends as heat in the seawater (fan heat reaches the
        # coils, pump work the water), sea pump included; its pump is linear in that heat, H = base / (1 - k)
        k = pump_power_kw(
            water.seawater_withdrawal_m3_per_s(1e-3, d.seawater_delta_t_k) * SEAWATER_DENSITY_KG_PER_M3,
            d.seawater_pump_pressure_pa,
            d.pump_efficiency,
            SEAWATER_DENSITY_KG_PER_M3,
        )
        facility_pump = _facility_pump(q, c, d)
        heat_to_sea = (q_rejected + parts["air_fans"] + facility_pump) / (1.0 - k)
        return parts | {
            "pumps": facility_pump + k * heat_to_sea,
            "heat_rejection_fans": zero,
            "evaporated": zero,
            "drift": zero,
            "blowdown": zero,
            "heat_to_sea": heat_to_sea,
        }
    m_tower = q_rejected / (WATER_CP_KJ_PER_KG_K * d.tower_delta_t_k)
    rho_oa = psy.air_density(
        w["temp_air"], w["pressure"], psy.humidity_ratio(w["temp_air"], w["relative_humidity"], w["pressure"])
    )
    tower_fans = fan_power_kw(
        m_tower / d.tower_liquid_to_gas_ratio, rho_oa, d.tower_fan_pressure_pa, d.tower_fan_efficiency
    )
    evap, drift, blowdown = tower_water_kg_s(
        q_rejected, t_condenser + d.tower_delta_t_k / 2, c.cycles_of_concentration, d.tower_drift_fraction, m_tower
    )
    tower_pump = pump_power_kw(m_tower, d.tower_pump_pressure_pa, d.pump_efficiency)
    return parts | {
        "pumps": _facility_pump(q, c, d) + tower_pump,
        "heat_rejection_fans": tower_fans,
        "evaporated": evap,
        "drift": drift,
        "blowdown": blowdown,
        "heat_to_sea": zero,
    }


def _air_chiller_economiser(w: Parts, q: float, plr: np.ndarray, c: Cooling, d: CoolingDesign) -> Parts:
    t_sa = c.supply_air_temp
    f, _, humidification = psy.airside_economiser(
        w["temp_air"],
        w["relative_humidity"],
        w["pressure"],
        t_sa,
        t_sa + d.air_delta_t_k,
        d.supply_dew_point_min_c,
        d.supply_dew_point_max_c,
    )
    cop = chiller_cop_carnot(
        c.facility_water_supply_temp,
        w["temp_air"],
        d.carnot_efficiency,
        d.evaporator_approach_k,
        d.air_condensing_approach_k,
    ) * (1.0 + d.chiller_cop_adjustment)
    zero = np.zeros_like(f)
    m_sa = q / (AIR_CP_KJ_PER_KG_K * d.air_delta_t_k)
    return {
        "air_fans": _air_fans(q, c, w["pressure"], d),
        "pumps": _facility_pump((1.0 - f) * q, c, d),
        "chiller": (1.0 - f) * q / cop,
        "heat_rejection_fans": zero,  # condenser fans are inside the COP
        "economiser_fraction": f,
        "chiller_cop": cop,
        "evaporated": m_sa * humidification,
        "drift": zero,
        "blowdown": zero,
        "heat_to_sea": zero,
    }


def _liquid_dry_cooler(w: Parts, q: float, plr: np.ndarray, c: Cooling, d: CoolingDesign) -> Parts:
    t_sfw = c.facility_water_supply_temp
    t_rfw = t_sfw + c.facility_water_delta_t
    t_db = t_in = w["temp_air"]
    if d.dry_cooler_adiabatic_assist:  # pre-cool only when dry free cooling is not complete
        twb = np.asarray(psy.wet_bulb_temperature(t_db, w["relative_humidity"], w["pressure"]))
        needed = t_db + d.dry_cooler_approach_k > t_sfw
        t_in = np.where(needed, t_db - d.adiabatic_pad_effectiveness * (t_db - twb), t_db)
    f = economiser_fraction(t_in + d.dry_cooler_approach_k, t_sfw, t_rfw)
    cop = chiller_cop_carnot(t_sfw, t_in, d.carnot_efficiency, d.evaporator_approach_k, d.air_condensing_approach_k) * (
        1.0 + d.chiller_cop_adjustment
    )
    chiller = (1.0 - f) * q / cop
    q_rejected = q + chiller
    dt_design = d.dry_cooler_approach_k + c.facility_water_delta_t
    fans = dry_cooler_fan_power_kw(
        q_rejected,
        t_in,
        t_rfw,
        w["pressure"],
        dt_design,
        d.dry_cooler_air_effectiveness,
        d.dry_cooler_fan_pressure_pa,
        d.dry_cooler_fan_efficiency,
    )
    # adiabatic pads: the sensible cooling of the air through them is paid in evaporated water
    m_air = (
        (dt_design / np.maximum(t_rfw - t_in, dt_design))
        * q_rejected
        / (AIR_CP_KJ_PER_KG_K * d.dry_cooler_air_effectiveness * dt_design)
    )
    evap = m_air * AIR_CP_KJ_PER_KG_K * (t_db - t_in) / np.asarray(psy.latent_heat_vaporisation(t_in))
    m_cdu = d.liquid_capture_fraction * q / (WATER_CP_KJ_PER_KG_K * c.facility_water_delta_t)
    return {
        "air_fans": _air_fans((1.0 - d.liquid_capture_fraction) * q, c, w["pressure"], d),
        "pumps": _facility_pump(q, c, d) + pump_power_kw(m_cdu, d.cdu_pump_pressure_pa, d.pump_efficiency),
        "chiller": chiller,
        "heat_rejection_fans": fans,
        "economiser_fraction": f,
        "chiller_cop": cop,
        "evaporated": evap,
        "drift": np.zeros_like(evap),
        "blowdown": evap / (c.cycles_of_concentration - 1.0),
        "heat_to_sea": np.zeros_like(evap),
    }


TECHNOLOGY_MODELS: dict[str, Callable[[Parts, float, np.ndarray, Cooling, CoolingDesign], Parts]] = {
    "evaporative": _water_economiser,
    "seawater": _water_economiser,
    "air_chiller_economiser": _air_chiller_economiser,
    "liquid_dry_cooler": _liquid_dry_cooler,
}
