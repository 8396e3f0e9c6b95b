"""The exact hourly check of a design: its capacities fixed, the full-resolution dispatch solved year by year.

A design found on segmented (or otherwise aggregated) inputs has not yet been shown to serve every hour.
:func:`hourly_check` fixes its capacities and solves the planner's own LP (:func:`greendc.plan.model.build_model`)
at full resolution, one piece of the horizon at a time (a year, cut where :func:`greendc.plan.segment.check_starts`
says: mid-summer noon), with every unserved MWh priced at
:data:`CHECK_VALUE_OF_LOST_LOAD_USD_PER_MWH` so that the LP serves whatever the design can serve.

**How the pieces are joined.** Each piece (called a year below) starts from the storage levels and backlogs
the design's own (segmented) solution has at its start, and must end with at least as much stored energy (no
more backlog) as that solution has at the next piece's start; the last ends at the level the first began
with (the horizon is cyclic). If every year serves every hour under these conditions, the years laid end
to end are a feasible dispatch of the whole horizon: a year that ends with more energy than the next one
assumes can always give the excess away (charge less, curtail more), so the next year's dispatch stays
feasible. The years are then independent problems, solved in parallel (dask.distributed when a client is
given). The check is *conservative*: a shortfall it reports might be avoidable with other boundary levels,
never the other way round, so a design it passes is certified.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import linopy
import numpy as np

from greendc.constants import HOURS_PER_YEAR
from greendc.plan.inputs import PlanInputs
from greendc.plan.parts import STEP
from greendc.plan.result import PlanResult, SolveStatus
from greendc.plan.solve import SolveOptions, solve_with_model

__all__ = [
    "CHECK_VALUE_OF_LOST_LOAD_USD_PER_MWH",
    "HourlyCheck",
    "YearCheck",
    "check_year",
    "grow_design",
    "grow_year",
    "hourly_check",
    "level_variables",
    "levels_at",
    "year_inputs",
]

#: Price of a MWh the checked design fails to serve [USD/MWh]: far above any energy cost, so the LP serves
#: all it can; it only ranks dispatches, it is not a cost of the design.
CHECK_VALUE_OF_LOST_LOAD_USD_PER_MWH = 100_000.0
#: Storage level variables of the LP -> (spec attribute on PlanInputs, its initial-level field, its capacity).
_STORES: dict[str, tuple[str, str, str]] = {
    "battery_soc_mwh": ("battery", "initial_soc_mwh", "battery_mwh"),
    "h2_level_mwh": ("hydrogen", "initial_h2_mwh", "h2_store_mwh"),
    "csp_storage_mwh_th": ("csp", "initial_storage_mwh_th", "csp_storage_mwh_th"),
    "water_tank_m3": ("water", "initial_tank_m3", "water_tank_m3"),
}
#: Shortfall below this [MWh] is solver tolerance, not unserved energy.
UNSERVED_TOLERANCE_MWH = 1e-3


def level_variables(inputs: PlanInputs) -> list[str]:
    """Names of the LP's level variables for ``inputs``: stores that may be built and flexible backlogs."""
    names = [name for name, (spec, _, _) in _STORES.items() if getattr(inputs, spec) is not None]
    if inputs.water is not None and not inputs.water_active:
        names.remove("water_tank_m3")
    return names + [f"backlog_{wl.name}_mwh" for wl in inputs.workloads if wl.flexible]


def levels_at(model: linopy.Model, inputs: PlanInputs, steps: np.ndarray) -> dict[str, np.ndarray]:
    """Level of every store and backlog at the *end* of each of ``steps`` in a solved model [MWh or m³]."""
    return {name: model.variables[name].solution.to_numpy()[np.asarray(steps)] for name in level_variables(inputs)}


def year_inputs(
    inputs: PlanInputs,
    start: int,
    stop: int,
    capacities: Mapping[str, float],
    initial: Mapping[str, float],
    may_grow: bool = False,
) -> PlanInputs:
    """Steps ``start:stop`` of ``inputs`` with the capacities fixed and the levels starting at ``initial``.

    Checking (``may_grow`` False): the capacities are fixed and every workload class gets
    :data:`CHECK_VALUE_OF_LOST_LOAD_USD_PER_MWH` as value of lost load. Repairing (``may_grow`` True): the
    capacities are lower bounds and the classes keep their own rules, so that the LP finds the least
    capacity to add for the year to be served. The horizon is the slice's length in years of 8760 h (the
    unit of the plan's per-year costs).
    """
    sl = slice(start, stop)
    w = inputs.weights_h[sl]
    voll = {} if may_grow else {"value_of_lost_load_usd_per_mwh": CHECK_VALUE_OF_LOST_LOAD_USD_PER_MWH}
    workloads = tuple(
        replace(
            wl,
            requested_mw=wl.requested_mw[sl],
            min_mw=wl.min_mw[sl],
            max_mw=wl.max_mw[sl],
            **voll,
            initial_backlog_mwh=max(float(initial[f"backlog_{wl.name}_mwh"]), 0.0) if wl.flexible else None,
        )
        for wl in inputs.workloads
    )
    specs: dict[str, Any] = {}
    for name, (spec, attr, capacity) in _STORES.items():
        if getattr(inputs, spec) is not None and name in initial:
            # a level off its bounds by the solver's tolerance would make the year infeasible
            level = min(max(float(initial[name]), 0.0), float(capacities.get(capacity, np.inf)))
            specs[spec] = replace(getattr(inputs, spec), **{attr: level})
    if inputs.csp is not None:
        specs["csp"] = replace(specs.get("csp", inputs.csp), thermal_cf=inputs.csp.thermal_cf[sl])
    bounds = {name: (float(v), None if may_grow else float(v)) for name, v in capacities.items()}
    rules = replace(
        inputs.rules,
        capacity_bounds=bounds,
        reliability_target=1.0 if not may_grow else inputs.rules.reliability_target,
    )
    return replace(
        inputs, index=inputs.index[sl], weights_h=w, pv_cf=inputs.pv_cf[sl], wind_cf=inputs.wind_cf[sl],
        workloads=workloads, pue=inputs.pue[sl], desalination_mwh_per_mwh_it=inputs.desalination_mwh_per_mwh_it[sl],
        water_m3_per_mwh_it=inputs.water_m3_per_mwh_it[sl], auxiliary_mw=inputs.auxiliary_mw[sl],
        horizon_years=float(w.sum()) / HOURS_PER_YEAR, rules=rules, **specs,
    )  # fmt: skip


@dataclass(frozen=True)
class YearCheck:
    """One checked year.

    Attributes
    ----------
    start, stop : int
        Steps of the full horizon the year covers.
    unserved_mwh : float
        IT energy the design could not serve in the year [MWh] (firm and flexible).
    unserved_mw : numpy.ndarray
        Unserved IT power by step [MW].
    operating_cost_usd : float
        Variable O&M (and grid energy, where allowed) of the year's dispatch [USD].
    status : str
        Solver status.
    solve_s : float
        Build and solve wall time [s].
    result : PlanResult
        The year's full-resolution dispatch and figures (:mod:`greendc.plan.combine` joins the years).
    """

    start: int
    stop: int
    unserved_mwh: float
    unserved_mw: np.ndarray
    operating_cost_usd: float
    status: str
    solve_s: float
    result: PlanResult = field(repr=False)


def _solve_year(inputs: PlanInputs, end_levels: Mapping[str, float], options: SolveOptions | None) -> PlanResult:
    """Solve one year's LP with its end levels bounded: stores at least, backlogs at most ``end_levels``."""

    def bound_the_end(m: linopy.Model) -> None:
        last = {STEP: inputs.n_steps - 1}
        for name, level in end_levels.items():
            var = m.variables[name].isel(last)
            if name.startswith("backlog_"):
                m.add_constraints(var <= float(level) + 1e-6, name=f"end_{name}")
            else:
                m.add_constraints(var >= max(float(level) - 1e-6, 0.0), name=f"end_{name}")

    options = replace(options or SolveOptions(), diagnose=False)
    return solve_with_model(inputs, options, extend=bound_the_end)[0]


def grow_year(
    inputs: PlanInputs, end_levels: Mapping[str, float], options: SolveOptions | None = None
) -> dict[str, float]:
    """Least capacities, at least the design's, that serve every hour of one year.

    Parameters
    ----------
    inputs : PlanInputs
        :func:`year_inputs` of the year with ``may_grow=True``.
    end_levels : mapping
        As in :func:`check_year`.
    options : SolveOptions, optional

    Returns
    -------
    dict
        Capacity name -> value [MW, MWh, …].
    """
    return dict(_solve_year(inputs, end_levels, options).capacities)


def check_year(
    inputs: PlanInputs,
    end_levels: Mapping[str, float],
    start: int = 0,
    options: SolveOptions | None = None,
) -> YearCheck:
    """Solve one year of :func:`year_inputs` with its end levels bounded (see the module docstring).

    Parameters
    ----------
    inputs : PlanInputs
        :func:`year_inputs` of the year.
    end_levels : mapping
        Level each store must at least end with, and each backlog at most [MWh or m³].
    start : int
        First step of the year in the full horizon (reported back).
    options : SolveOptions, optional
    """
    t0 = time.perf_counter()
    result = _solve_year(inputs, end_levels, options)
    costs = result.annualised_cost_usd_per_yr
    unserved_mw = result.dispatch["unserved_mw"].to_numpy()
    operating = (costs.get("variable_om", 0.0) + costs.get("grid_import", 0.0)) * inputs.horizon_years
    return YearCheck(
        start,
        start + inputs.n_steps,
        float((unserved_mw * inputs.weights_h).sum()),
        unserved_mw,
        float(operating),
        result.status.value,
        time.perf_counter() - t0,
        result,
    )


@dataclass(frozen=True)
class HourlyCheck:
    """A design checked at full resolution over the whole horizon.

    Attributes
    ----------
    years : list of YearCheck
    unserved_mwh_per_yr : float
        Unserved IT energy per year of horizon [MWh/yr].
    operating_cost_usd_per_yr : float
        Variable O&M per year of horizon [USD/yr].
    served_every_hour : bool
        No year left more than :data:`UNSERVED_TOLERANCE_MWH` unserved.
    wall_s : float
    """

    years: list[YearCheck]
    unserved_mwh_per_yr: float
    operating_cost_usd_per_yr: float
    served_every_hour: bool
    wall_s: float

    @property
    def unserved_mw(self) -> np.ndarray:
        """Unserved IT power over the whole horizon, step by step [MW]."""
        return np.concatenate([y.unserved_mw for y in self.years])


def _year_jobs(
    inputs: PlanInputs,
    capacities: Mapping[str, float],
    boundary_levels: Mapping[str, np.ndarray],
    year_first_steps: np.ndarray,
    may_grow: bool,
    only: int | None = None,
) -> list[tuple[PlanInputs, dict[str, float], int]]:
    """(year inputs, end levels, first step) of every year, or of the year starting at step ``only``."""
    firsts = [int(s) for s in year_first_steps]
    stops = [*firsts[1:], inputs.n_steps]
    jobs = []
    for k, (a, b) in enumerate(zip(firsts, stops, strict=True)):
        if only is not None and a != only:
            continue
        initial = {name: float(v[k]) for name, v in boundary_levels.items()}
        end = {name: float(v[(k + 1) % len(firsts)]) for name, v in boundary_levels.items()}
        jobs.append((year_inputs(inputs, a, b, capacities, initial, may_grow), end, a))
    return jobs


def grow_design(
    inputs: PlanInputs,
    capacities: Mapping[str, float],
    boundary_levels: Mapping[str, np.ndarray],
    year_first_steps: np.ndarray,
    failing: list[int],
    options: SolveOptions | None = None,
) -> dict[str, float]:
    """The design raised until the ``failing`` years (their first steps) are served at full resolution.

    The failing years are taken one after the other: each is checked again with the design raised so far,
    and if still short, given the least capacities, at least the current ones, that serve it with the same
    joins as the check (:func:`grow_year`). More capacity never hurts a year that already passed (with
    free disposal its dispatch stays feasible), so the raised design serves every year with these joins;
    raising one year after another, rather than each from the original design, lets a year benefit from
    what an earlier one added.
    """
    design = dict(capacities)
    for first in failing:
        # the year's inputs with the capacities raised so far, fixed (check) or as lower bounds (growth)
        ((x, end, a),) = _year_jobs(inputs, design, boundary_levels, year_first_steps, False, only=first)
        if check_year(x, end, a, options).unserved_mwh <= UNSERVED_TOLERANCE_MWH:
            continue
        ((x, end, _),) = _year_jobs(inputs, design, boundary_levels, year_first_steps, True, only=first)
        for name, value in grow_year(x, end, options).items():
            design[name] = max(design.get(name, 0.0), float(value))
    return design


def hourly_check(
    inputs: PlanInputs,
    capacities: Mapping[str, float],
    boundary_levels: Mapping[str, np.ndarray],
    year_first_steps: np.ndarray,
    options: SolveOptions | None = None,
    client: Any | None = None,
) -> HourlyCheck:
    """Check a design on full-resolution ``inputs``, year by year (see the module docstring).

    Parameters
    ----------
    inputs : PlanInputs
        The full-resolution (hourly) inputs of the whole horizon.
    capacities : mapping
        The design, ``{capacity name: value}`` (:attr:`greendc.plan.result.PlanResult.capacities`).
    boundary_levels : mapping
        For each level variable (:func:`level_variables`), its level at the start of each year, one value
        per entry of ``year_first_steps`` [MWh or m³]: the level at the end of the step before (the last
        step of the horizon for the first year, which is cyclic).
    year_first_steps : array of int
        First step of each year, starting with 0.
    options : SolveOptions, optional
    client : dask.distributed.Client, optional
        Solve the years in parallel on it; None solves them here, one after the other.

    Returns
    -------
    HourlyCheck
    """
    t0 = time.perf_counter()
    jobs = _year_jobs(inputs, capacities, boundary_levels, year_first_steps, may_grow=False)
    if client is None:
        years = [check_year(x, end, a, options) for x, end, a in jobs]
    else:
        futures = [client.submit(check_year, x, end, a, options, pure=False) for x, end, a in jobs]
        years = client.gather(futures)
    horizon = inputs.horizon_years
    unserved = sum(y.unserved_mwh for y in years)
    return HourlyCheck(
        years=years,
        unserved_mwh_per_yr=unserved / horizon,
        operating_cost_usd_per_yr=sum(y.operating_cost_usd for y in years) / horizon,
        served_every_hour=all(y.unserved_mwh <= UNSERVED_TOLERANCE_MWH for y in years)
        and all(y.status == SolveStatus.OPTIMAL.value for y in years),
        wall_s=time.perf_counter() - t0,
    )
