"""A design over many weather years with a certificate: segmented design, exact hourly check, repair.

1. **Lower bound.** The horizon is cut into segments (:func:`greendc.plan.segment.segment_starts`), the LP is
   solved on them (:func:`greendc.plan.aggregate.aggregate_segments`): a relaxation of the hourly LP (see
   :mod:`greendc.plan.segment` for the exact conditions), so its optimum is a lower bound on the cost of
   the best hourly design.
2. **Check.** That design's capacities are fixed and its dispatch solved at full resolution, year by year
   from one mid-summer noon to the next (:func:`greendc.plan.segment.check_starts`,
   :func:`greendc.plan.hourly_check.hourly_check`).
3. **Upper bound.** A design that serves every hour of every year costs its annualised capital plus the
   checked operating cost: an upper bound on the optimum. A design the check finds short is first
   *raised*: failing year after failing year, worst first, is solved again at full resolution with the
   capacities so far as lower bounds (:func:`greendc.plan.hourly_check.grow_design`).
4. **Refinement.** While ``(upper − lower) / lower`` is above the tolerance, the steps around each shortfall
   of the segmented design (the day of it and :data:`REPAIR_DAYS_BEFORE` days before, when the stores ran
   down) are kept at full resolution; without a new shortfall to keep, the number of segments and the days
   kept before a shortfall are doubled. The segmented LP is solved again: still a relaxation, a tighter one.

After Bahl et al., Typical periods for two-stage synthesis by time-series aggregation with bounded error in
objective function, Front. Energy Res. 5:35 (2018), doi:10.3389/fenrg.2017.00035, with chronological
segments instead of typical periods.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from greendc.errors import PlanSolveError, ScenarioError
from greendc.plan.aggregate import aggregate_segments
from greendc.plan.combine import combine_year_results
from greendc.plan.hourly_check import UNSERVED_TOLERANCE_MWH, HourlyCheck, grow_design, hourly_check, levels_at
from greendc.plan.inputs import PlanInputs
from greendc.plan.model import capacity_cost_usd_per_yr
from greendc.plan.result import PlanResult, SolveStatus
from greendc.plan.segment import check_starts, segment_starts, year_starts
from greendc.plan.solve import SolveOptions, solve, solve_with_model

__all__ = [
    "CERTIFY_MIN_YEARS",
    "DEFAULT_GAP",
    "DEFAULT_SEGMENTS_PER_YEAR",
    "Certificate",
    "CertifyRound",
    "certify",
    "plan_many_years",
]

#: Largest relative gap between the certified design's cost and the lower bound (0.5 %).
DEFAULT_GAP = 0.005
#: Segments per year of the first round (the hourly year has 8760 steps).
DEFAULT_SEGMENTS_PER_YEAR = 1095
#: From this many calendar years on, ``greendc plan`` certifies a segmented design instead of solving one
#: monolithic hourly LP: measured on the default Dakhla scenario, 2 years take 25 s monolithic and 26 s
#: certified; 10 years 25-33 min monolithic, 4 min certified (``benchmarks/bench_certify.py``).
CERTIFY_MIN_YEARS = 3
#: Days before a shortfall kept at full resolution with it.
REPAIR_DAYS_BEFORE = 7


@dataclass(frozen=True)
class CertifyRound:
    """One round: the segmented solve, its hourly check and the bounds after it.

    Attributes
    ----------
    n_segments : int
        Steps of the segmented LP.
    full_resolution_steps : int
        Hourly steps kept as they are (repaired periods).
    lower_bound_usd_per_yr : float
        Optimum of the segmented LP [USD/yr].
    unserved_mwh_per_yr : float
        What the check found the segmented design cannot serve [MWh/yr].
    upper_bound_usd_per_yr : float or None
        Cost of the round's design, raised where it fell short, when it serves every hour: capital +
        checked operating cost [USD/yr].
    raised : bool
        Whether the design had to be raised.
    solve_s, check_s : float
        Wall times: segmented solve; checks and raising [s].
    """

    n_segments: int
    full_resolution_steps: int
    lower_bound_usd_per_yr: float
    unserved_mwh_per_yr: float
    upper_bound_usd_per_yr: float | None
    raised: bool
    solve_s: float
    check_s: float


@dataclass(frozen=True)
class Certificate:
    """A design that serves every hour of every year, and how far from the best it can be.

    Attributes
    ----------
    capacities : mapping or None
        The certified design [MW, MWh, …]; None when no round found one.
    result : PlanResult or None
        The certified design operated at full resolution over the whole horizon (its hourly check, years
        joined: :func:`greendc.plan.combine.combine_year_results`), with the certificate in its provenance.
    segmented : PlanResult or None
        The segmented solve the certified design comes from (its capacities may be lower where the design
        was raised).
    segmented_inputs : PlanInputs or None
        Its inputs (the segments).
    lower_bound_usd_per_yr : float
        No hourly design costs less [USD/yr] (the last, tightest segmented optimum).
    upper_bound_usd_per_yr : float or None
        Cost of the certified design [USD/yr]: capital plus the operating cost of its hourly check.
    gap : float or None
        ``(upper − lower) / lower`` [-].
    converged : bool
        Whether the gap met the requested tolerance within the rounds allowed.
    check : HourlyCheck or None
        The certified design's hourly check.
    rounds : list of CertifyRound
    wall_s : float
    """

    capacities: Mapping[str, float] | None
    result: PlanResult | None
    segmented: PlanResult | None
    segmented_inputs: PlanInputs | None
    lower_bound_usd_per_yr: float
    upper_bound_usd_per_yr: float | None
    gap: float | None
    converged: bool
    check: HourlyCheck | None
    rounds: list[CertifyRound] = field(default_factory=list)
    wall_s: float = 0.0

    def summary(self) -> dict[str, Any]:
        """JSON-ready bounds, gap and rounds."""
        return {
            "lower_bound_usd_per_yr": self.lower_bound_usd_per_yr,
            "upper_bound_usd_per_yr": self.upper_bound_usd_per_yr,
            "gap": self.gap,
            "converged": self.converged,
            "served_every_hour": self.check is not None and self.check.served_every_hour,
            "rounds": [r.__dict__ for r in self.rounds],
            "wall_s": round(self.wall_s, 3),
        }


def _capital_usd_per_yr(inputs: PlanInputs, capacities: Mapping[str, float]) -> float:
    """Yearly cost of the capacities alone (annuity, fixed O&M, PV and wind O&M per available MWh) [USD/yr]."""
    unit = capacity_cost_usd_per_yr(inputs)
    return float(sum(unit.get(name, 0.0) * value for name, value in capacities.items()))


def _repair_mask(unserved_mw: np.ndarray, steps_per_day: int, keep: np.ndarray, days_before: int) -> np.ndarray:
    """``keep`` plus the days with a shortfall and ``days_before`` days before each."""
    mask = keep.copy()
    for t in np.flatnonzero(unserved_mw > 1e-6):
        day_start = (t // steps_per_day) * steps_per_day
        mask[max(day_start - days_before * steps_per_day, 0) : day_start + steps_per_day] = True
    return mask


def certify(
    inputs: PlanInputs,
    gap: float = DEFAULT_GAP,
    segments_per_year: int = DEFAULT_SEGMENTS_PER_YEAR,
    max_rounds: int = 8,
    options: SolveOptions | None = None,
    client: Any | None = None,
    on_round: Callable[[CertifyRound], None] | None = None,
) -> Certificate:
    """Least-cost design of many years, certified to serve every hour, within ``gap`` of the optimum.

    Parameters
    ----------
    inputs : PlanInputs
        Full-resolution inputs (regular steps of at most an hour), whole calendar years.
    gap : float
        Largest relative gap between the certified cost and the lower bound [-].
    segments_per_year : int
        Segments per calendar year in the first round; doubled when a round serves every hour but the gap
        is still too wide.
    max_rounds : int
        Most segmented solves.
    options : SolveOptions, optional
        For every solve (segmented and hourly).
    client : dask.distributed.Client, optional
        Runs the years of each hourly check in parallel.
    on_round : callable, optional
        Called with each :class:`CertifyRound` (progress).

    Returns
    -------
    Certificate
        ``converged`` False when the gap is still above ``gap`` after ``max_rounds`` (the best bounds
        found are kept); ``upper_bound_usd_per_yr`` None when no round's design served every hour.
    """
    if not 0.0 < gap < 1.0:
        raise ScenarioError(f"gap = {gap!r}; allowed: a fraction between 0 and 1, e.g. 0.005")
    t0 = time.perf_counter()
    options = options or SolveOptions()
    firsts = check_starts(inputs)
    n_years = len(year_starts(inputs))
    step_h = float(np.median(inputs.weights_h))
    steps_per_day = max(round(24.0 / step_h), 1)
    keep = np.zeros(inputs.n_steps, dtype=bool)
    days_before = REPAIR_DAYS_BEFORE
    rounds: list[CertifyRound] = []
    lower = -np.inf
    best: tuple[float, dict[str, float], PlanResult, PlanInputs, HourlyCheck] | None = None
    n_seg = int(segments_per_year) * n_years
    for _ in range(int(max_rounds)):
        t1 = time.perf_counter()
        starts = segment_starts(inputs, n_seg + int(keep.sum()), forced_starts=firsts, full_resolution=keep)
        seg_inputs = aggregate_segments(inputs, starts)
        result, model = solve_with_model(seg_inputs, options)
        lower = max(lower, result.objective_usd_per_yr)
        t2 = time.perf_counter()
        position = np.searchsorted(starts, firsts)  # segment of each year's first step
        before = np.where(position > 0, position - 1, len(starts) - 1)
        levels = levels_at(model, inputs, before)
        del model
        design = dict(result.capacities)
        check = first = hourly_check(inputs, design, levels, firsts, options, client)
        raised = not check.served_every_hour
        if raised:
            short = sorted(
                (y for y in check.years if y.unserved_mwh > UNSERVED_TOLERANCE_MWH), key=lambda y: -y.unserved_mwh
            )  # the worst year first: it raises the most
            design = grow_design(inputs, design, levels, firsts, [y.start for y in short], options)
            check = hourly_check(inputs, design, levels, firsts, options, client)
        cost = (
            _capital_usd_per_yr(inputs, design) + check.operating_cost_usd_per_yr if check.served_every_hour else None
        )
        record = CertifyRound(
            len(starts),
            int(keep.sum()),
            result.objective_usd_per_yr,
            first.unserved_mwh_per_yr,
            cost,
            raised,
            t2 - t1,
            time.perf_counter() - t2,
        )
        rounds.append(record)
        if on_round is not None:
            on_round(record)
        if cost is not None and (best is None or cost < best[0]):
            best = (cost, design, result, seg_inputs, check)
        if best is not None and (best[0] - lower) / lower <= gap:
            break
        grown = None if first.served_every_hour else _repair_mask(first.unserved_mw, steps_per_day, keep, days_before)
        if grown is None or not (grown & ~keep).any():
            # served, or short only where the LP already sees every hour: the levels it brings into those
            # windows come from the segments before them, so refine everywhere and look further back
            n_seg *= 2
            days_before *= 2
        else:
            keep = grown
    if best is None:
        return Certificate(None, None, None, None, lower, None, None, False, None, rounds, time.perf_counter() - t0)
    cost, design, segmented, seg_inputs, check = best
    achieved = (cost - lower) / lower
    cert = Certificate(
        design,
        None,
        segmented,
        seg_inputs,
        lower,
        cost,
        achieved,
        achieved <= gap,
        check,
        rounds,
        time.perf_counter() - t0,
    )
    provenance = segmented.provenance.with_details(
        time_aggregation_steps="hourly (certified)", certificate=cert.summary()
    )
    combined = combine_year_results(
        [y.result for y in check.years], inputs.pv_cleaning_m3_per_mw_yr * design.get("pv_mw", 0.0), provenance
    )
    return replace(cert, result=combined)


def plan_many_years(
    inputs: PlanInputs,
    options: SolveOptions | None = None,
    exact: bool = False,
    gap: float = DEFAULT_GAP,
    client: Any | None = None,
    on_round: Callable[[CertifyRound], None] | None = None,
) -> tuple[PlanResult, Certificate | None]:
    """The least-cost design: certified from :data:`CERTIFY_MIN_YEARS` calendar years of regular steps of at
    most an hour on, one monolithic LP otherwise or with ``exact``.

    Returns
    -------
    result : PlanResult
        The certified design at full resolution (its certificate in ``provenance.details["certificate"]``), or the
        monolithic optimum.
    certificate : Certificate or None

    Raises
    ------
    PlanSolveError
        No round of the certification found a design that serves every hour.
    """
    hourly = float(np.max(inputs.weights_h)) <= 1.0 and float(np.min(inputs.weights_h)) == float(
        np.max(inputs.weights_h)
    )
    if exact or not hourly or len(year_starts(inputs)) < CERTIFY_MIN_YEARS:
        return solve(inputs, options), None
    cert = certify(inputs, gap, options=options, client=client, on_round=on_round)
    if cert.result is None:
        raise PlanSolveError(
            f"no design served every hour of every year within {len(cert.rounds)} rounds of certification; "
            "plan with --exact, or on aggregated steps (--aggregate)",
            status=SolveStatus.ERROR,
        )
    return cert.result, cert
