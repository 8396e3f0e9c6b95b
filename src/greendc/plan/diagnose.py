"""Why no design satisfies the rules, in the user's terms.

Two steps:

1. :func:`precheck` — necessary conditions checked by arithmetic before any solve: can the land and the
   capacity bounds host enough PV and wind for the energy the data center needs; can any storage carry
   the hours without sun or wind; can a flexible class do its work inside its envelope; can the reserve
   be provided at all.
2. :func:`diagnose_infeasibility` — an elastic re-solve: every rule gets a slack (energy shortfall per
   step, land above the limit, capacity above its bound, reserve shortfall, work past its deadline,
   unserved energy above the reliability allowance) and the LP minimises the slacks (shortfall in MWh per
   year; a unit of rule relaxation is priced lower, so that a rule is named before energy is declared
   missing). Non-zero slacks become one line each: which rule, which hours, how much.

Reference: Chinneck, J. W. (2008). Feasibility and Infeasibility in Optimization, ch. 7 (elastic
programming). Springer. doi:10.1007/978-0-387-74932-7
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from greendc.plan.highs import SolveOptions, solve_model
from greendc.plan.inputs import PlanInputs
from greendc.plan.land import direct_land_per_unit, spaced_capacities, total_km2
from greendc.plan.result import SolveStatus

if TYPE_CHECKING:  # pragma: no cover
    import linopy

#: Slacks smaller than this (relative to the mean facility load, MW or MWh) are rounding, not violations.
RELATIVE_TOLERANCE = 1e-6
_MAX_HOURS_LISTED = 5


def _fmt_time(ts: pd.Timestamp) -> str:
    return ts.strftime("%Y-%m-%d %H:%M UTC")


def _hours_text(index: pd.DatetimeIndex, mask: np.ndarray) -> str:
    hours = index[mask]
    listed = ", ".join(_fmt_time(t) for t in hours[:_MAX_HOURS_LISTED])
    more = f" and {len(hours) - _MAX_HOURS_LISTED} more" if len(hours) > _MAX_HOURS_LISTED else ""
    return listed + more


def required_facility_mw(inputs: PlanInputs) -> np.ndarray:
    """Facility load that must be served in each step whatever the design [MW] (a lower bound).

    Auxiliaries, plus firm classes that may not be shed (no value of lost load, reliability target 1) at
    their requested power, plus flexible classes without value of lost load at their minimum power.
    """
    overhead = inputs.pue + inputs.desalination_mwh_per_mwh_it
    need = inputs.auxiliary_mw.copy()
    for wl in inputs.workloads:
        if wl.value_of_lost_load_usd_per_mwh is not None:
            continue
        if wl.flexible:
            need = need + wl.min_mw * overhead
        elif inputs.rules.reliability_target >= 1.0:
            need = need + wl.requested_mw * overhead
    return need


def required_energy_mwh_per_yr(inputs: PlanInputs) -> float:
    """Facility energy that must be served over the horizon, per year [MWh/yr] (a lower bound)."""
    w = inputs.weights_h
    overhead = inputs.pue + inputs.desalination_mwh_per_mwh_it
    energy = float((inputs.auxiliary_mw * w).sum())
    rho = inputs.rules.reliability_target
    for wl in inputs.workloads:
        if wl.value_of_lost_load_usd_per_mwh is not None:
            continue
        requested = float((wl.requested_mw * w).sum())
        if wl.flexible:
            energy += requested * float(overhead.min())
        else:
            full = float((wl.requested_mw * overhead * w).sum())
            energy += max(full - (1.0 - rho) * requested * float(overhead.max()), 0.0)
    return energy / inputs.horizon_years


def max_renewable_energy_mwh_per_yr(inputs: PlanInputs) -> tuple[float, dict[str, float]]:
    """Most renewable energy the capacity bounds and the land limit allow [MWh/yr], and those capacities.

    Maximises ``Σ_i y_i P_i`` (``y_i`` the yearly yield per MW) under ``P_i ≤ P_i^max`` and
    ``Σ_i a_i P_i ≤ A``: greedy by yield per km² (the LP has one row, so greedy is exact). With PV between
    turbines the rows of :func:`greendc.plan.land.land_limit_rows` are ``Σ_i d_i P_i ≤ A`` and
    ``Σ_{spaced} a_i P_i ≤ A``; the second becomes a bound ``P_i ≤ P_i^{min} + (A − Σ_{spaced} a_j P_j^{min}) / a_i``
    on each spaced capacity, then greedy on the first: exact with one spaced capacity (wind), an upper bound
    otherwise (enough for a necessary condition).
    """
    rules = inputs.rules
    w = inputs.weights_h
    yields = {
        "pv_mw": float((inputs.pv_cf * w).sum()) / inputs.horizon_years,
        "wind_mw": float((inputs.wind_cf * w).sum()) / inputs.horizon_years,
    }
    upper = {k: (rules.capacity_bounds.get(k, (0.0, None))[1]) for k in yields}
    lower = {k: rules.capacity_bounds.get(k, (0.0, None))[0] for k in yields}
    limit = rules.land_limit_km2
    per_unit = direct_land_per_unit(rules) if rules.pv_between_turbines else rules.land_km2_per_unit
    land = {k: per_unit.get(k, 0.0) for k in yields}
    if limit is not None and rules.pv_between_turbines:
        outer = rules.land_km2_per_unit
        spaced = spaced_capacities(rules)
        outer_left = max(limit - sum(outer[k] * rules.capacity_bounds.get(k, (0.0, None))[0] for k in spaced), 0.0)
        for k in spaced:
            if k in yields:
                most = lower[k] + outer_left / outer[k]
                upper[k] = most if upper[k] is None else min(upper[k], most)
    caps = dict(lower)
    left = np.inf if limit is None else limit - sum(land[k] * lower[k] for k in yields)
    order = sorted(yields, key=lambda k: -(yields[k] / land[k]) if land[k] > 0 else -np.inf)
    for k in order:
        if yields[k] <= 0:
            continue
        room = np.inf if upper[k] is None else upper[k] - lower[k]
        if land[k] > 0:
            room = min(room, max(left, 0.0) / land[k])
        caps[k] += room
        if land[k] > 0 and np.isfinite(room):
            left -= room * land[k]
    energy = sum(yields[k] * caps[k] for k in yields)
    return float(energy), caps


def _storage_possible(inputs: PlanInputs) -> bool:
    bounds = inputs.rules.capacity_bounds

    def allowed(name: str) -> bool:
        hi = bounds.get(name, (0.0, None))[1]
        return hi is None or hi > 0

    battery = inputs.battery is not None and allowed("battery_mw") and allowed("battery_mwh")
    hydrogen = inputs.hydrogen is not None and all(
        allowed(k) for k in ("electrolyser_mw", "h2_store_mwh", "fuel_cell_mw")
    )
    return battery or hydrogen


def _csp_possible(inputs: PlanInputs) -> tuple[bool, bool]:
    """Whether a CSP field with a power block may be built and deliver heat in some step, and whether it may
    also have thermal storage (capacity bounds not 0)."""
    if inputs.csp is None or not np.any(inputs.csp.thermal_cf > 0):
        return False, False
    bounds = inputs.rules.capacity_bounds
    field = all(bounds.get(k, (0.0, None))[1] != 0 for k in ("csp_field_mw_th", "csp_power_block_mw"))
    return field, field and bounds.get("csp_storage_mwh_th", (0.0, None))[1] != 0


def precheck(inputs: PlanInputs) -> list[str]:
    """Necessary conditions for a design to exist, checked without solving; one line per failure.

    Returns
    -------
    list of str
        Empty when nothing is obviously impossible (the LP may still be infeasible).
    """
    out: list[str] = []
    rules = inputs.rules
    idx = inputs.index
    w = inputs.weights_h
    for wl in inputs.workloads:
        if not wl.flexible:
            continue
        need, floor, ceiling = (float((x * w).sum()) for x in (wl.requested_mw, wl.min_mw, wl.max_mw))
        if floor > need * (1 + 1e-9) + 1e-9:
            out.append(
                f"flexible class '{wl.name}': running at its minimum power uses {floor:,.0f} MWh of IT "
                f"energy, more than the {need:,.0f} MWh of work requested over the horizon; "
                "lower its min_power_fraction"
            )
        if wl.value_of_lost_load_usd_per_mwh is None and ceiling < need * (1 - 1e-9):
            out.append(
                f"flexible class '{wl.name}': even at maximum power it can do {ceiling:,.0f} MWh of the "
                f"{need:,.0f} MWh of work requested; raise its max_power_fraction"
            )
    if rules.land_limit_km2 is not None:
        min_land = total_km2({k: lo for k, (lo, _hi) in rules.capacity_bounds.items()}, rules)
        if min_land > rules.land_limit_km2:
            out.append(
                f"land limit: the minimum capacities alone need {min_land:,.2f} km² of total land, above the land "
                "limit of "
                f"{rules.land_limit_km2:,.2f} km²"
            )
    grid_mw = 0.0
    if rules.grid_allowed:
        if rules.grid_max_import_mw is None:
            return out
        grid_mw = rules.grid_max_import_mw
    need_mwh = required_energy_mwh_per_yr(inputs)
    max_mwh, caps = max_renewable_energy_mwh_per_yr(inputs)
    grid_mwh = grid_mw * float(w.sum()) / inputs.horizon_years
    # CSP (when it may be built) is an energy source without a bound here, and its storage covers dark hours
    csp_field, csp_store = _csp_possible(inputs)
    if not csp_field and max_mwh + grid_mwh < need_mwh * (1 - 1e-9):
        limits = []
        for k in ("pv_mw", "wind_mw"):
            hi = rules.capacity_bounds.get(k, (0.0, None))[1]
            if hi is not None:
                limits.append(f"{k} ≤ {hi:,.0f}")
        if rules.land_limit_km2 is not None:
            limits.append(f"land limit {rules.land_limit_km2:,.2f} km²")
        detail = f" ({', '.join(limits)})" if limits else ""
        grid_text = f" and {grid_mwh:,.0f} MWh/yr of grid import (at most {grid_mw:,.1f} MW)" if grid_mw else ""
        out.append(
            f"energy: the rules{detail} allow at most {max_mwh:,.0f} MWh/yr of PV and wind "
            f"(PV {caps['pv_mw']:,.0f} MW, wind {caps['wind_mw']:,.0f} MW){grid_text}, but the data center "
            "needs at least "
            f"{need_mwh:,.0f} MWh/yr before storage losses: {need_mwh - max_mwh - grid_mwh:,.0f} MWh/yr missing"
        )
    need_mw = required_facility_mw(inputs)
    if not _storage_possible(inputs) and not csp_store:
        pv_on = rules.capacity_bounds.get("pv_mw", (0.0, None))[1] != 0
        wind_on = rules.capacity_bounds.get("wind_mw", (0.0, None))[1] != 0
        dark = (need_mw > grid_mw) & ~((inputs.pv_cf > 0) & pv_on) & ~((inputs.wind_cf > 0) & wind_on)
        if csp_field and inputs.csp is not None:
            dark &= ~(inputs.csp.thermal_cf > 0)
        if dark.any():
            out.append(
                "storage: no battery or hydrogen may be built, but in "
                f"{int(dark.sum())} hour(s) neither PV nor "
                f"wind produce while the data center needs up to {need_mw[dark].max():,.1f} MW "
                + (f"(more than the grid's {grid_mw:,.1f} MW) " if grid_mw else "")
                + f"({_hours_text(idx, dark)})"
            )
    if rules.reserve_fraction > 0:
        bounds = rules.capacity_bounds
        battery = inputs.battery is not None and bounds.get("battery_mw", (0, None))[1] != 0
        fuel_cell = inputs.hydrogen is not None and bounds.get("fuel_cell_mw", (0, None))[1] != 0
        if not (battery or fuel_cell) and (need_mw > 0).any():
            out.append(
                f"operating reserve: {rules.reserve_fraction:.0%} of the load must be held by battery or "
                "fuel-cell headroom, but neither may be built"
            )
    return out


def explain_slacks(m: linopy.Model, inputs: PlanInputs) -> list[str]:
    """Turn the non-zero slacks of a solved elastic model into one line per violated rule."""
    idx = inputs.index
    w = inputs.weights_h
    years = inputs.horizon_years
    scale = max(float(required_facility_mw(inputs).mean()), 1.0)
    tol = RELATIVE_TOLERANCE * scale
    out: list[str] = []

    def values(name: str) -> np.ndarray | None:
        if name not in m.variables:
            return None
        return np.nan_to_num(np.asarray(m.variables[name].solution.values, dtype=float).reshape(-1))

    short = values("shortfall_mw")
    if short is not None and (short > tol).any():
        mask = short > tol
        worst = int(np.argmax(short))
        out.append(
            f"energy balance (facility demand met every hour): short in {int(mask.sum())} hour(s), "
            f"{float((short * w).sum()) / years:,.1f} MWh/yr in all, worst {short[worst]:,.1f} MW at "
            f"{_fmt_time(idx[worst])} ({_hours_text(idx, mask)})"
        )
    land = values("excess_land_km2")
    if land is not None and land[0] > RELATIVE_TOLERANCE:
        limit = inputs.rules.land_limit_km2 or 0.0
        out.append(
            f"land limit: the cheapest way to meet the other rules needs {limit + land[0]:,.2f} km² of total land, "
            f"{land[0]:,.2f} km² more than the limit of {limit:,.2f} km²"
        )
    for name, (_lo, hi) in inputs.rules.capacity_bounds.items():
        excess = values(f"excess_capacity_{name}")
        if excess is not None and hi is not None and excess[0] > RELATIVE_TOLERANCE * max(hi, 1.0):
            out.append(f"capacity bound: {name} needs at least {hi + excess[0]:,.1f}, above its maximum of {hi:,.1f}")
    reserve = values("reserve_shortfall_mw")
    if reserve is not None and (reserve > tol).any():
        mask = reserve > tol
        worst = int(np.argmax(reserve))
        out.append(
            f"operating reserve ({inputs.rules.reserve_fraction:.0%} of load as battery and fuel-cell "
            "headroom): "
            f"short in {int(mask.sum())} hour(s), worst {reserve[worst]:,.1f} MW at {_fmt_time(idx[worst])} "
            f"({_hours_text(idx, mask)})"
        )
    rel = values("excess_unserved_mwh")
    if rel is not None and rel[0] / years > tol:
        out.append(
            f"reliability target {inputs.rules.reliability_target:.4%}: {rel[0] / years:,.1f} MWh/yr "
            "more firm "
            "IT energy would have to go unserved than the target allows"
        )
    grid = values("excess_grid_mwh")
    if grid is not None and grid[0] / years > tol:
        out.append(
            f"carbon-free energy target {inputs.rules.grid_cfe_target:.1%}: {grid[0] / years:,.1f} MWh/yr more grid "
            "energy that is not carbon free would be needed than the target allows (on-site supply or storage "
            "cannot cover those hours within the other rules)"
        )
    for wl in inputs.workloads:
        if not wl.flexible or wl.value_of_lost_load_usd_per_mwh is not None:
            continue
        miss = values(f"unserved_{wl.name}_mw")
        if miss is not None and (miss > tol).any():
            mask = miss > tol
            out.append(
                f"deadline of flexible class '{wl.name}' ({wl.deadline_hours:g} h): "
                f"{float((miss * w).sum()) / years:,.1f} MWh/yr of work cannot be done in time "
                f"({_hours_text(idx, mask)})"
            )
    return out


def diagnose_infeasibility(inputs: PlanInputs, options: SolveOptions | None = None) -> list[str]:
    """Pre-checks, then an elastic re-solve; one line per violated rule (empty if none is found)."""
    lines = precheck(inputs)
    if lines:
        return lines
    solved = solve_model(inputs, options or SolveOptions(), elastic=True)
    if solved.status is not SolveStatus.OPTIMAL:
        return [f"the elastic re-solve used for the diagnosis stopped with status '{solved.highs_status}'"]
    lines = explain_slacks(solved.model, inputs)
    if not lines:
        lines = [
            "HiGHS reported the design problem infeasible, but relaxing every rule found no violation: "
            "probably numerical trouble; try SolveOptions(solver='ipx') or check extreme input values"
        ]
    return lines
