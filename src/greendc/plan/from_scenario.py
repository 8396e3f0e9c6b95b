"""Plan inputs of a scenario on its profiles (:func:`inputs_from_scenario`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from greendc.assets.water import pv_cleaning_water_m3_per_yr
from greendc.constants import HOURS_PER_YEAR
from greendc.costs import CostTable, load_cost_table
from greendc.errors import DataFileError, ScenarioError
from greendc.plan.inputs import (
    BatterySpec,
    CspSpec,
    HydrogenSpec,
    PlanInputs,
    PlanRules,
    WaterSpec,
    WorkloadInput,
    with_balance_of_plant,
)
from greendc.provenance import Provenance, WeatherProvenance

if TYPE_CHECKING:  # pragma: no cover
    from greendc.scenario.models import DataCenter, Scenario, Technologies

SCENARIO_PROFILE_COLUMNS: tuple[str, ...] = (
    "pv_cf",
    "wind_cf",
    "pue",
    "water_m3_per_mwh_it",
    "desalination_mwh_per_mwh_it",
)


def inputs_from_scenario(
    scenario: Scenario,
    profiles: pd.DataFrame,
    cost_table: CostTable | None = None,
    weather: WeatherProvenance | None = None,
) -> PlanInputs:
    """Plan inputs of a scenario on its profiles.

    Parameters
    ----------
    scenario : greendc.scenario.models.Scenario
    profiles : pandas.DataFrame
        Output of the profiles orchestrator on a regular UTC index: ``pv_cf``, ``wind_cf``, ``pue``,
        ``water_m3_per_mwh_it``, ``desalination_mwh_per_mwh_it`` and one ``it_<class>_mw`` per workload
        class [MW of requested IT power].
    cost_table : CostTable, optional
        Overrides ``scenario.costs`` (table, set and money year); ``costs.capex_factors`` still apply.
    weather : WeatherProvenance, optional
        The weather the profiles were built on (:meth:`~greendc.provenance.WeatherProvenance.from_metadata` of
        the reader's metadata); default what the scenario says of it
        (:func:`greendc.weather.source.scenario_weather_provenance`).

    Notes
    -----
    A flexible class may run between ``min_power_fraction`` and ``max_power_fraction`` of its installed
    share; the installed share per step is taken as ``requested / utilisation`` so that build-out phases
    carry over. Its deadline is ``deadline_hours``. Facility power is
    ``Σ_c IT_c (PUE + desalination) + auxiliary_mw``, the PUE covering cooling and the power chain. When
    the cooling uses water and ``technologies.water.enabled``, the desalination plant and a water tank are
    sized instead (:class:`~greendc.plan.inputs.WaterSpec`; cost rows ``desalination`` and ``water_tank``),
    and the desalination energy follows the plant's production. ``rules.on_site_only: false`` allows grid import at
    ``rules.grid.price_usd_per_mwh``, up to ``rules.grid.max_import_mw``. With
    ``technologies.csp.enabled`` the profiles need ``csp_th_cf`` and the cost table the rows ``csp_field``,
    ``csp_storage`` and ``csp_power_block`` (:class:`~greendc.plan.inputs.CspSpec`).
    Efficiencies of battery and hydrogen come from ``scenario.technologies``, prices from the cost table.
    The optional profile columns ``heat_to_sea_mw_per_mw_it`` and ``seawater_m3_per_mwh_it`` (once-through
    seawater cooling) give the seawater per MWh of heat; the PV cleaning water per MW comes from
    ``technologies.pv`` (:func:`greendc.assets.water.pv_cleaning_water_m3_per_yr`); both are reported only.
    The horizon is ``scenario.weather.years`` when the profiles cover exactly that many calendar years,
    else their length in hours / 8760.
    """
    from greendc.scenario.io import scenario_hash
    from greendc.weather.source import scenario_weather_provenance

    dc = scenario.datacenter
    index, step = _regular_index(profiles, dc)
    step_h = step / pd.Timedelta(hours=1)
    c = scenario.costs
    if cost_table is None:
        cost_table = load_cost_table(c.table, c.set if c.table == "default" else None, c.money_year)
    table = cost_table.scaled(c.capex_factors)
    tech = scenario.technologies
    pv_row = {"single_axis": "pv_single_axis", "fixed": "pv_fixed"}[tech.pv.mount]
    costs = {"pv": table[pv_row], "wind": table["wind_onshore"]}
    costs |= {"battery_energy": table["battery_energy"], "battery_power": table["battery_power"]}
    hydrogen = _hydrogen(tech, table, costs)
    battery = _battery(tech)
    rules = scenario.rules
    grid = rules.grid
    if not rules.on_site_only and grid.price_usd_per_mwh is None:
        raise ScenarioError(
            "rules.on_site_only: false allows grid import, which needs rules.grid.price_usd_per_mwh "
            "(a number ≥ 0 [USD/MWh]); set it, or use on_site_only: true"
        )
    cooling_water = profiles["water_m3_per_mwh_it"].to_numpy(dtype=float)
    water = _water(scenario, table, costs, cooling_water)
    land = {"pv_mw": tech.pv.land_km2_per_mw, "wind_mw": tech.wind.land_km2_per_mw}
    csp = _csp(tech, profiles, table, costs, land)
    costs = with_balance_of_plant(costs, table)
    n = len(index)
    utc_index = index.tz_convert("UTC") if index.tz is not None else index.tz_localize("UTC")
    return PlanInputs(
        index=utc_index,
        weights_h=np.full(n, step_h),
        pv_cf=profiles["pv_cf"].to_numpy(dtype=float),
        wind_cf=profiles["wind_cf"].to_numpy(dtype=float),
        workloads=_workloads(dc, profiles),
        costs=costs,
        discount_rate=scenario.finance.discount_rate,
        horizon_years=_horizon_years(scenario, index, step),
        pue=profiles["pue"].to_numpy(dtype=float),
        desalination_mwh_per_mwh_it=profiles["desalination_mwh_per_mwh_it"].to_numpy(dtype=float),
        water_m3_per_mwh_it=cooling_water,
        auxiliary_mw=np.full(n, dc.electrical.auxiliary_mw),
        battery=battery,
        hydrogen=hydrogen,
        water=water,
        csp=csp,
        seawater_m3_per_mwh_heat=_seawater_per_heat(profiles),
        pv_cleaning_m3_per_mw_yr=pv_cleaning_water_m3_per_yr(1.0, tech.pv),
        rules=PlanRules(
            grid_allowed=not rules.on_site_only,
            grid_price_usd_per_mwh=None if rules.on_site_only else grid.price_usd_per_mwh,
            grid_max_import_mw=None if rules.on_site_only else grid.max_import_mw,
            grid_carbon_kg_per_mwh=None if rules.on_site_only else grid.carbon_intensity_kg_per_mwh,
            grid_cfe_share=grid.cfe_share,
            grid_cfe_target=None if rules.on_site_only else grid.cfe_target,
            reserve_fraction=rules.reserve_fraction,
            land_limit_km2=rules.land_limit_km2,
            land_km2_per_unit=land,
            direct_land_km2_per_unit={"wind_mw": tech.wind.direct_land_km2_per_mw},
            pv_between_turbines=rules.pv_between_turbines,
            reliability_target=rules.reliability_target,
            reserve_hours=rules.reserve_hours,
            reserve_refill_hours=rules.reserve_refill_hours,
        ),
        provenance=Provenance(
            "plan",
            scenario.name,
            scenario_hash(scenario),
            weather if weather is not None else scenario_weather_provenance(scenario),
            details={"costs": table.origin, "currency": table.currency_label, "mode": "scenario"},
        ),
    )


def _regular_index(profiles: pd.DataFrame, dc: DataCenter) -> tuple[pd.DatetimeIndex, pd.Timedelta]:
    """The profiles' index and step, after checking the required columns and a regular index of 2+ steps."""
    required = list(SCENARIO_PROFILE_COLUMNS) + [f"it_{w.name}_mw" for w in dc.workload_classes]
    missing = [c for c in required if c not in profiles.columns]
    if missing:
        raise DataFileError(f"profiles: missing column(s) {missing}; required: {required}")
    index = profiles.index
    if not isinstance(index, pd.DatetimeIndex) or len(index) < 2:
        raise DataFileError("profiles: the index must be a DatetimeIndex of at least 2 steps")
    step = index[1] - index[0]
    if not ((index[1:] - index[:-1]) == step).all():
        raise DataFileError("profiles: the time index must be regular")
    return index, step


def _hydrogen(tech: Technologies, table: CostTable, costs: dict) -> HydrogenSpec | None:
    """The hydrogen chain when enabled (its cost rows added to ``costs``), else None."""
    if not tech.hydrogen.enabled:
        return None
    costs |= {k: table[k] for k in ("electrolyser", "h2_store", "fuel_cell")}
    return HydrogenSpec(
        electrolyser_efficiency=tech.hydrogen.electrolyser_efficiency,
        fuel_cell_efficiency=tech.hydrogen.fuel_cell_efficiency,
        water_l_per_kg_h2=tech.hydrogen.water_l_per_kg_h2,
    )


def _battery(tech: Technologies) -> BatterySpec:
    """The battery, its round-trip efficiency split evenly between charge and discharge."""
    one_way = float(np.sqrt(tech.battery.round_trip_efficiency))
    return BatterySpec(
        charge_efficiency=one_way,
        discharge_efficiency=one_way,
        self_discharge_per_hour=tech.battery.self_discharge_per_hour,
        min_duration_h=tech.battery.min_duration_h or None,
        max_duration_h=tech.battery.max_duration_h,
    )


def _water(scenario: Scenario, table: CostTable, costs: dict, cooling_water: np.ndarray) -> WaterSpec | None:
    """The water balance (desalination and tank, cost rows added) when the cooling uses water, else None."""
    if not (scenario.technologies.water.enabled and np.any(cooling_water > 0.0)):
        return None
    absent = [k for k in ("desalination", "water_tank") if k not in table]
    if absent:
        raise DataFileError(
            f"cost table {table.origin}: the cooling uses water (water_m3_per_mwh_it > 0), so the planner "
            f"sizes a desalination plant and a water tank, but the table has no row {absent}; add the rows "
            "(see greendc/data/costs/costs.csv) or set technologies.water.enabled: false"
        )
    costs |= {"desalination": table["desalination"], "water_tank": table["water_tank"]}
    return WaterSpec(desalination_kwh_per_m3=scenario.datacenter.cooling.desalination_kwh_per_m3)


def _seawater_per_heat(profiles: pd.DataFrame) -> float:
    """Seawater per MWh of heat to the sea [m³/MWh] of once-through cooling (0 without it), reported only."""
    heat_to_sea = profiles.get("heat_to_sea_mw_per_mw_it", pd.Series(0.0, index=profiles.index)).to_numpy(float)
    seawater = profiles.get("seawater_m3_per_mwh_it", pd.Series(0.0, index=profiles.index)).to_numpy(float)
    return float(seawater.sum() / heat_to_sea.sum()) if heat_to_sea.sum() > 0.0 else 0.0


def _csp(tech: Technologies, profiles: pd.DataFrame, table: CostTable, costs: dict, land: dict) -> CspSpec | None:
    """The CSP plant when enabled (cost rows added to ``costs``, its field's land to ``land``), else None."""
    if not tech.csp.enabled:
        return None
    if "csp_th_cf" not in profiles.columns:
        raise DataFileError(
            "profiles: technologies.csp.enabled needs the column 'csp_th_cf' (heat per MW_th of field); "
            "build the profiles with CSP enabled (greendc.assets.profiles.build_profiles)"
        )
    absent = [k for k in ("csp_field", "csp_storage", "csp_power_block") if k not in table]
    if absent:
        raise DataFileError(
            f"cost table {table.origin}: technologies.csp.enabled needs the rows {absent}; add them (see "
            "greendc/data/costs/costs.csv) or set technologies.csp.enabled: false"
        )
    costs |= {k: table[k] for k in ("csp_field", "csp_storage", "csp_power_block")}
    land["csp_field_mw_th"] = tech.csp.land_km2_per_mw_th
    return CspSpec(
        thermal_cf=profiles["csp_th_cf"].to_numpy(dtype=float),
        power_block_efficiency=tech.csp.power_block_efficiency,
        storage_loss_per_hour=tech.csp.storage_loss_per_hour,
    )


def _workloads(dc: DataCenter, profiles: pd.DataFrame) -> tuple[WorkloadInput, ...]:
    """One planner class per workload class: a flexible one between its power fractions of the installed
    share (``requested / utilisation``), a firm one exactly as requested."""
    workloads = []
    for wc in dc.workload_classes:
        req = profiles[f"it_{wc.name}_mw"].to_numpy(dtype=float)
        if wc.flexible:
            installed = req / wc.utilisation if wc.utilisation > 0 else np.zeros_like(req)
            lo, hi = installed * wc.min_power_fraction, installed * wc.max_power_fraction
        else:
            lo, hi = req, req
        workloads.append(
            WorkloadInput(
                name=wc.name,
                requested_mw=req,
                flexible=wc.flexible,
                min_mw=lo,
                max_mw=hi,
                deadline_hours=float(wc.deadline_hours),
                value_of_lost_load_usd_per_mwh=wc.value_of_lost_load_usd_per_mwh,
            )
        )
    return tuple(workloads)


def _horizon_years(scenario: Scenario, index: pd.DatetimeIndex, step: pd.Timedelta) -> float:
    """Whole calendar years (leap days kept) count as exactly that many years, else hours / 8760."""
    whole = scenario.weather.years
    calendar_end = index[0] + pd.DateOffset(years=whole)
    if index[-1] + step == calendar_end:
        return float(whole)
    return len(index) * (step / pd.Timedelta(hours=1)) / HOURS_PER_YEAR
