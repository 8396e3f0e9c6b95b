"""Checks of :class:`~greendc.plan.inputs.PlanInputs`: shapes, ranges, time index, rules.

Every failure raises a :class:`~greendc.errors.GreendcError` naming the field, the bad value (and the step
where it occurs) and what is allowed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from greendc.constants import HOURS_PER_YEAR
from greendc.errors import DataFileError, ScenarioError
from greendc.units import capacities

if TYPE_CHECKING:  # pragma: no cover
    from greendc.costs import CostRow
    from greendc.plan.inputs import PlanInputs, PlanRules

#: Capacity names that bounds and land use may refer to (the core components of :data:`greendc.units.COMPONENTS`).
CAPACITY_NAMES: tuple[str, ...] = capacities("core")
#: Capacities of the water balance (built only when the cooling uses water and the scenario sizes them).
WATER_CAPACITY_NAMES: tuple[str, ...] = capacities("water")
#: Capacities of the CSP plant (built only when the scenario enables CSP).
CSP_CAPACITY_NAMES: tuple[str, ...] = capacities("csp")


def _check_series(name: str, values: np.ndarray, n: int, low: float, high: float, index: pd.DatetimeIndex) -> None:
    if values.shape != (n,):
        raise DataFileError(f"'{name}' has shape {values.shape}, expected ({n},) like the time index")
    bad = ~np.isfinite(values) | (values < low) | (values > high)
    if bad.any():
        i = int(np.argmax(bad))
        raise DataFileError(f"'{name}' at {index[i]} (step {i}) is {values[i]!r}; allowed range is [{low:g}, {high:g}]")


def _check_cost_row(key: str, row: CostRow) -> None:
    """A cost row given to the planner: capex, O&M ≥ 0, lifetime > 0, efficiency in (0, 1]."""
    limits = {
        "capex_per_unit": (row.capex_per_unit, 0.0, np.inf, "a number ≥ 0 [USD per unit]"),
        "fom_fraction_per_year": (row.fom_fraction_per_year, 0.0, 1.0, "a number in [0, 1] [1/yr]"),
        "vom_usd_per_mwh": (row.vom_usd_per_mwh, 0.0, np.inf, "a number ≥ 0 [USD/MWh]"),
    }
    for field, (value, low, high, allowed) in limits.items():
        if not (np.isfinite(value) and low <= value <= high):
            raise ScenarioError(f"costs['{key}'].{field} = {value!r}; allowed: {allowed}")
    if not (np.isfinite(row.lifetime_years) and row.lifetime_years > 0):
        raise ScenarioError(f"costs['{key}'].lifetime_years = {row.lifetime_years!r}; allowed: a number > 0 [yr]")
    if not (np.isfinite(row.efficiency) and 0.0 < row.efficiency <= 1.0):
        raise ScenarioError(f"costs['{key}'].efficiency = {row.efficiency!r}; allowed: a number in (0, 1]")
    if key in ("desalination", "water_tank") and row.vom_usd_per_mwh:
        raise ScenarioError(
            f"costs['{key}'].vom_usd_per_mwh = {row.vom_usd_per_mwh!r}; allowed: 0 (a variable cost per m³ of "
            "water is not modelled; the desalination electricity is)"
        )


def check_plan_inputs(inputs: PlanInputs) -> None:
    """Check shapes, ranges and the time index of :class:`PlanInputs`; raise a GreendcError if bad.

    The checks run in this order, each step a function of its own: time index, profiles, workload classes,
    cost rows, economics, grid rules, reserve and reliability rules, capacities and land, storage.
    """
    idx = inputs.index
    n = _check_time_index(idx)
    _check_profiles(inputs, n, idx)
    _check_workloads(inputs, n, idx)
    _check_costs(inputs, n, idx)
    _check_economics(inputs)
    _check_grid_rules(inputs.rules)
    _check_reserve_rules(inputs)
    _check_capacities_and_land(inputs.rules)
    _check_storage(inputs)


def _check_time_index(idx: pd.DatetimeIndex) -> int:
    """A tz-aware UTC index of at least 2 strictly increasing steps; return its length."""
    if not isinstance(idx, pd.DatetimeIndex) or idx.tz is None or str(idx.tz) != "UTC":
        raise DataFileError(f"the time index must be a tz-aware UTC DatetimeIndex, got tz={getattr(idx, 'tz', None)}")
    n = len(idx)
    if n < 2:
        raise DataFileError(f"the time index needs at least 2 steps, got {n}")
    if not idx.is_monotonic_increasing or idx.has_duplicates:
        raise DataFileError("the time index must be strictly increasing without duplicates")
    return n


def _check_profiles(inputs: PlanInputs, n: int, idx: pd.DatetimeIndex) -> None:
    """Step weights and the per-step profiles (capacity factors, PUE, water, auxiliaries) in their ranges."""
    _check_series("weights_h", inputs.weights_h, n, 1e-6, 1e4, idx)
    _check_series("pv_cf", inputs.pv_cf, n, 0.0, 1.0, idx)
    _check_series("wind_cf", inputs.wind_cf, n, 0.0, 1.0, idx)
    _check_series("pue", inputs.pue, n, 1.0, 10.0, idx)
    _check_series("desalination_mwh_per_mwh_it", inputs.desalination_mwh_per_mwh_it, n, 0.0, 1.0, idx)
    _check_series("water_m3_per_mwh_it", inputs.water_m3_per_mwh_it, n, 0.0, 100.0, idx)
    _check_series("auxiliary_mw", inputs.auxiliary_mw, n, 0.0, 1e7, idx)


def _check_workloads(inputs: PlanInputs, n: int, idx: pd.DatetimeIndex) -> None:
    """At least one workload class, unique names, series in range, min ≤ max, deadline and value of lost load."""
    if not inputs.workloads:
        raise ScenarioError("at least one workload class is needed")
    names = [w.name for w in inputs.workloads]
    if len(set(names)) != len(names):
        raise ScenarioError(f"workload class names must be unique, got {names}")
    for w in inputs.workloads:
        _check_series(f"it_{w.name}_mw", w.requested_mw, n, 0.0, 1e7, idx)
        _check_series(f"min_mw of class '{w.name}'", w.min_mw, n, 0.0, 1e7, idx)
        _check_series(f"max_mw of class '{w.name}'", w.max_mw, n, 0.0, 1e7, idx)
        if np.any(w.min_mw > w.max_mw + 1e-9):
            i = int(np.argmax(w.min_mw > w.max_mw + 1e-9))
            raise ScenarioError(f"class '{w.name}': min_mw {w.min_mw[i]:g} above max_mw {w.max_mw[i]:g} at {idx[i]}")
        if not w.deadline_hours > 0:
            raise ScenarioError(f"class '{w.name}': deadline_hours must be > 0, got {w.deadline_hours}")
        voll = w.value_of_lost_load_usd_per_mwh
        if voll is not None and not (np.isfinite(voll) and voll >= 0):
            raise ScenarioError(f"class '{w.name}': value_of_lost_load_usd_per_mwh must be ≥ 0, got {voll}")


def _check_costs(inputs: PlanInputs, n: int, idx: pd.DatetimeIndex) -> None:
    """A cost row for every component the model builds, each row valid (and the CSP heat profile in range)."""
    needed = ["pv", "wind"]
    if inputs.battery is not None:
        needed += ["battery_energy", "battery_power"]
    if inputs.hydrogen is not None:
        needed += ["electrolyser", "h2_store", "fuel_cell"]
    if inputs.water_active:
        needed += ["desalination", "water_tank"]
    if inputs.csp is not None:
        needed += ["csp_field", "csp_storage", "csp_power_block"]
        _check_series("csp_th_cf", inputs.csp.thermal_cf, n, 0.0, 1.5, idx)
    missing = [k for k in needed if k not in inputs.costs]
    if missing:
        raise DataFileError(f"no cost row for model component(s) {missing}")
    for key, row in inputs.costs.items():
        _check_cost_row(key, row)


def _check_economics(inputs: PlanInputs) -> None:
    """Desalination energy, discount rate and horizon."""
    if inputs.water is not None:
        kwh = inputs.water.desalination_kwh_per_m3
        if not (isinstance(kwh, int | float) and np.isfinite(kwh) and 0.0 <= kwh <= 100.0):
            raise ScenarioError(f"water desalination_kwh_per_m3 = {kwh!r}; allowed: a number in [0, 100] [kWh/m³]")
    if not (0.0 <= inputs.discount_rate <= 1.0):
        raise ScenarioError(f"discount_rate must lie in [0, 1], got {inputs.discount_rate}")
    if not inputs.horizon_years > 0:
        raise ScenarioError(f"horizon_years must be > 0, got {inputs.horizon_years}")


def _check_grid_rules(rules: PlanRules) -> None:
    """Grid price, import limit and carbon intensity."""
    if rules.grid_allowed and (rules.grid_price_usd_per_mwh is None or rules.grid_price_usd_per_mwh < 0):
        raise ScenarioError(
            f"grid import is allowed but grid_price_usd_per_mwh is {rules.grid_price_usd_per_mwh!r}; "
            "allowed: a number ≥ 0 [USD/MWh]"
        )
    if rules.grid_max_import_mw is not None and not (
        np.isfinite(rules.grid_max_import_mw) and rules.grid_max_import_mw > 0
    ):
        raise ScenarioError(
            f"grid_max_import_mw = {rules.grid_max_import_mw!r}; allowed: None (no limit) or a number > 0 [MW]"
        )
    if rules.grid_carbon_kg_per_mwh is not None and not (
        np.isfinite(rules.grid_carbon_kg_per_mwh) and rules.grid_carbon_kg_per_mwh >= 0
    ):
        raise ScenarioError(
            f"grid_carbon_kg_per_mwh = {rules.grid_carbon_kg_per_mwh!r}; allowed: None or a number ≥ 0 [kg CO2/MWh]"
        )


def _check_reserve_rules(inputs: PlanInputs) -> None:
    """Reserve share, reserve hours and refill, storage to hold a reserve, reliability target."""
    rules = inputs.rules
    if not (0.0 <= rules.reserve_fraction <= 1.0):
        raise ScenarioError(f"reserve_fraction must lie in [0, 1], got {rules.reserve_fraction}")
    if not (np.isfinite(rules.reserve_hours) and 0.0 <= rules.reserve_hours <= HOURS_PER_YEAR):
        raise ScenarioError(f"reserve_hours = {rules.reserve_hours!r}; allowed: 0 to 8760 [h]")
    refill = rules.reserve_refill_hours
    if refill is not None and not (np.isfinite(refill) and 0.0 < refill <= HOURS_PER_YEAR):
        raise ScenarioError(f"reserve_refill_hours = {refill!r}; allowed: None or more than 0 up to 8760 [h]")
    if rules.reserve_hours > 0.0 and inputs.battery is None and inputs.hydrogen is None:
        raise ScenarioError(
            f"reserve_hours = {rules.reserve_hours!r} needs storage to hold the reserve; enable the battery or "
            "the hydrogen chain, or set reserve_hours to 0"
        )
    if not (0.0 < rules.reliability_target <= 1.0):
        raise ScenarioError(f"reliability_target must lie in (0, 1], got {rules.reliability_target}")


def _check_capacities_and_land(rules: PlanRules) -> None:
    """Land limit, known capacity names, capacity bounds, land per unit and its direct part, PV between turbines."""
    if rules.land_limit_km2 is not None and not rules.land_limit_km2 > 0:
        raise ScenarioError(f"land_limit_km2 must be > 0, got {rules.land_limit_km2}")
    allowed = CAPACITY_NAMES + WATER_CAPACITY_NAMES + CSP_CAPACITY_NAMES
    for key in list(rules.capacity_bounds) + list(rules.land_km2_per_unit) + list(rules.direct_land_km2_per_unit):
        if key not in allowed:
            raise ScenarioError(f"unknown capacity '{key}'; allowed: {list(allowed)}")
    for key, (lo, hi) in rules.capacity_bounds.items():
        if lo < 0 or (hi is not None and hi < lo):
            raise ScenarioError(f"capacity bounds of '{key}' must satisfy 0 ≤ min ≤ max, got ({lo}, {hi})")
    for key, value in rules.land_km2_per_unit.items():
        if not (np.isfinite(value) and value >= 0):
            raise ScenarioError(f"land_km2_per_unit['{key}'] must be ≥ 0, got {value}")
    for key, value in rules.direct_land_km2_per_unit.items():
        land = rules.land_km2_per_unit.get(key, 0.0)
        if not (np.isfinite(value) and 0.0 <= value <= land):
            raise ScenarioError(
                f"direct_land_km2_per_unit['{key}'] = {value!r}; allowed: a number from 0 up to its total land "
                f"land_km2_per_unit['{key}'] = {land!r} [km² per unit]"
            )
    if not isinstance(rules.pv_between_turbines, bool):
        raise ScenarioError(f"pv_between_turbines = {rules.pv_between_turbines!r}; allowed: true or false")


def _check_storage(inputs: PlanInputs) -> None:
    """Battery and hydrogen efficiencies and self-discharge."""
    if inputs.battery is not None:
        b = inputs.battery
        for name in ("charge_efficiency", "discharge_efficiency"):
            if not 0 < getattr(b, name) <= 1:
                raise ScenarioError(f"battery {name} must lie in (0, 1], got {getattr(b, name)}")
        if not 0 <= b.self_discharge_per_hour < 1:
            raise ScenarioError(f"battery self_discharge_per_hour must lie in [0, 1), got {b.self_discharge_per_hour}")
    if inputs.hydrogen is not None:
        h = inputs.hydrogen
        for name in ("electrolyser_efficiency", "fuel_cell_efficiency"):
            if not 0 < getattr(h, name) <= 1:
                raise ScenarioError(f"hydrogen {name} must lie in (0, 1], got {getattr(h, name)}")
