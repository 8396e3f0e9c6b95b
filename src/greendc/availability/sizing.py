"""Design to an availability target, then prove it out of sample: plan, verify, adjust, plan again.

Each round plans the least-cost design with an energy reserve of ``D`` hours
(:func:`greendc.plan.reserve.add_energy_reserve`; round 0 is the scenario's own ``rules.reserve_hours``,
0 by default: the plain least-cost design) and verifies it on the unseen years
(:func:`greendc.availability.verify.verify`, default policy, outages, restarts). While the target fails, ``D``
is raised (12 h, then doubled); once a round passes, ``D`` is bisected between the last failing and the
cheapest passing value until the bracket is narrower than :data:`BRACKET_H` or the rounds run out. The
cheapest passing round is the answer; every round is kept (it is also a point of the cost-of-availability
curve). Why reserve hours: every loss of load of the least-cost Dakhla design comes after one to three days
of weak wind with the storage empty; a reserve that only the firm load may use is what a back-up fuel tank is
to a diesel plant, and its size in hours is a number an operator can check.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from greendc.availability.verify import Verification, design_seeds, verify
from greendc.constants import HOURS_PER_YEAR
from greendc.errors import ScenarioError
from greendc.operate.design import design_from_summary
from greendc.plan.inputs import PlanInputs
from greendc.plan.result import PlanResult
from greendc.provenance import Provenance, WeatherProvenance
from greendc.scenario.io import scenario_hash
from greendc.scenario.models import AvailabilityTarget, Scenario

#: First reserve tried after a failing round with no reserve [h].
FIRST_RESERVE_H = 12.0
#: Bisection stops when the failing and passing reserves are closer than this [h].
BRACKET_H = 4.0


@dataclass(frozen=True, eq=False)
class Round:
    """One plan-and-verify round.

    Attributes
    ----------
    index : int
    reserve_hours : float
        ``D`` of the energy reserve [h].
    inputs : PlanInputs
        What the round's LP was built from (the scenario with this reserve).
    plan : PlanResult
    verification : Verification
    wall_time_s : float
    """

    index: int
    reserve_hours: float
    inputs: PlanInputs
    plan: PlanResult
    verification: Verification
    wall_time_s: float

    def row(self) -> dict[str, Any]:
        """The round as one flat row: reserve, capacities, cost, out-of-sample figures."""
        t = self.verification.table
        flex = t.get("flexible_work_done_fraction", {})
        return {
            "round": self.index,
            "reserve_hours": self.reserve_hours,
            **{k: float(v) for k, v in self.plan.capacities.items()},
            **{k: float(v) for k, v in self.plan.reserves.items() if k != "reserve_hours"},
            "cost_usd_per_yr": self.plan.objective_usd_per_yr,
            "cost_usd_per_mwh": self.plan.cost_usd_per_mwh_it,
            "land_km2": self.plan.land_km2,
            "firm_hours_mean": t["firm_hours_per_yr"]["mean"],
            "firm_hours_p95": t["firm_hours_per_yr"]["p95"],
            "firm_hours_worst": t["firm_hours_per_yr"]["worst"],
            "share_of_years_meeting": t.get("share_of_years_meeting", float("nan")),
            "events_per_yr": t["events_per_yr"],
            "eens_mwh_per_yr": t["eens_mwh_per_yr"],
            **{f"flexible_done_{k}": v for k, v in flex.items()},
            "passed": bool(t.get("passed", False)),
            "wall_time_s": self.wall_time_s,
        }


@dataclass(frozen=True, eq=False)
class AvailabilityDesign:
    """Result of :func:`design_for_availability`.

    Attributes
    ----------
    target : AvailabilityTarget
    rounds : list of Round
    chosen : Round
        The cheapest passing round, or the round closest to the target when none passed (``met`` False).
    met : bool
    provenance : Provenance
        Scenario and hash, the design weather; in ``details`` the target, the design's weather seeds, the
        number of rounds, the method and the wall time [s].
    """

    target: AvailabilityTarget
    rounds: list[Round]
    chosen: Round
    met: bool
    provenance: Provenance = field(default_factory=lambda: Provenance("sizing"))

    def table(self) -> pd.DataFrame:
        """Every round, one row each (:meth:`Round.row`)."""
        return pd.DataFrame([r.row() for r in self.rounds])

    def premium(self) -> dict[str, float]:
        """Cost of the chosen design over round 0 (the design without the target's reserve) [USD/yr, USD/MWh, -]."""
        base = self.rounds[0].plan
        plan = self.chosen.plan
        return {
            "usd_per_yr": plan.objective_usd_per_yr - base.objective_usd_per_yr,
            "usd_per_mwh": plan.cost_usd_per_mwh_it - base.cost_usd_per_mwh_it,
            "fraction": plan.objective_usd_per_yr / base.objective_usd_per_yr - 1.0,
        }


def next_reserve_hours(history: list[tuple[float, bool]]) -> float | None:
    """The next reserve to try from the ``(reserve_hours, passed)`` rounds so far; None = stop.

    Examples
    --------
    >>> next_reserve_hours([(0.0, False)])
    12.0
    >>> next_reserve_hours([(0.0, False), (12.0, False)])
    24.0
    >>> next_reserve_hours([(0.0, False), (12.0, False), (24.0, True)])
    18.0
    >>> next_reserve_hours([(0.0, False), (12.0, False), (24.0, True), (18.0, True), (15.0, False)]) is None
    True
    >>> next_reserve_hours([(0.0, True)]) is None
    True
    """
    passing = [h for h, ok in history if ok]
    failing = [h for h, ok in history if not ok]
    if not passing:
        top = max(failing)
        return (
            FIRST_RESERVE_H
            if top < FIRST_RESERVE_H
            else min(2.0 * top, HOURS_PER_YEAR)
            if top < HOURS_PER_YEAR
            else None
        )
    best = min(passing)
    below = [h for h in failing if h < best]
    if not below:
        return None
    low = max(below)
    if best - low < BRACKET_H:
        return None
    return (low + best) / 2.0


def design_for_availability(
    scenario: Scenario,
    profiles: pd.DataFrame,
    target: AvailabilityTarget | None = None,
    client: Any = None,
    solve_options: Any = None,
    design_weather_seeds: list[int] | None = None,
    on_round: Callable[[Round], None] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    steps_per_block: int = 1,
    weather: WeatherProvenance | None = None,
) -> AvailabilityDesign:
    """Plan and verify until the target is met (see the module docstring).

    Parameters
    ----------
    scenario : Scenario
    profiles : pandas.DataFrame
        Design profiles (:func:`greendc.assets.profiles.build_profiles` of the design weather).
    target : AvailabilityTarget, optional
        Default ``scenario.rules.availability``.
    client : distributed.Client, optional
        Where the verification runs (default: a local cluster per round).
    solve_options : greendc.plan.solve.SolveOptions, optional
    design_weather_seeds : list of int, optional
        Default :func:`greendc.availability.verify.design_seeds` of ``scenario``.
    on_round : callable, optional
        Called with each finished round.
    progress : callable, optional
        ``progress(stage, done, total)`` during the verification of a round.
    steps_per_block : int
        Plan on blocks of this many steps (:func:`greendc.plan.aggregate.aggregate_time`); 1 = hourly, and
        from :data:`~greendc.plan.certify.CERTIFY_MIN_YEARS` years on a certified segmented design
        (:func:`greendc.plan.certify.plan_many_years`).
    weather : WeatherProvenance, optional
        The design weather behind ``profiles``, recorded in each round's plan
        (:func:`greendc.plan.from_scenario.inputs_from_scenario`).
    """
    from greendc.plan.aggregate import aggregate_time
    from greendc.plan.certify import plan_many_years
    from greendc.plan.from_scenario import inputs_from_scenario

    target = target if target is not None else scenario.rules.availability
    if target is None:
        raise ScenarioError("no availability target: set rules.availability or pass --availability tier-iii|tier-iv")
    seeds = design_weather_seeds if design_weather_seeds is not None else design_seeds(scenario)
    t0 = time.perf_counter()
    rounds: list[Round] = []
    hours: float | None = scenario.rules.reserve_hours
    while hours is not None and len(rounds) < target.max_iterations:
        t = time.perf_counter()
        sc = scenario.model_copy(update={"rules": scenario.rules.model_copy(update={"reserve_hours": hours})})
        inputs = aggregate_time(inputs_from_scenario(sc, profiles, weather=weather), steps_per_block)
        plan, _ = plan_many_years(inputs, solve_options, client=client)
        design = design_from_summary(plan.summary(), sc)
        stage = f"round {len(rounds)}: reserve {hours:g} h, verifying"
        check = verify(
            design,
            sc,
            target,
            design_weather_seeds=seeds,
            client=client,
            progress=None if progress is None else (lambda d, n, s=stage: progress(s, d, n)),
        )
        rnd = Round(len(rounds), float(hours), inputs, plan, check, time.perf_counter() - t)
        rounds.append(rnd)
        if on_round is not None:
            on_round(rnd)
        hours = next_reserve_hours([(r.reserve_hours, bool(r.verification.passed)) for r in rounds])
    passing = [r for r in rounds if r.verification.passed]
    if passing:
        chosen = min(passing, key=lambda r: r.plan.objective_usd_per_yr)
    else:
        chosen = max(rounds, key=lambda r: r.verification.table.get("share_of_years_meeting", 0.0))
    provenance = Provenance(
        "sizing",
        scenario.name,
        scenario_hash(scenario),
        chosen.plan.provenance.weather,
        details={
            "target": target.model_dump(),
            "design_weather_seeds": seeds,
            "rounds": len(rounds),
            "method": "energy reserve for the firm load, raised then bisected on out-of-sample checks",
            "wall_time_s": time.perf_counter() - t0,
        },
    )
    return AvailabilityDesign(target, rounds, chosen, bool(passing), provenance)


__all__ = [
    "BRACKET_H",
    "FIRST_RESERVE_H",
    "AvailabilityDesign",
    "Round",
    "design_for_availability",
    "next_reserve_hours",
]
