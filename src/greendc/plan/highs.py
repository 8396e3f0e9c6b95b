"""The HiGHS call of the design LP: :class:`SolveOptions` and :func:`solve_model` (build, warm start, solve),
without interpreting the status (:mod:`greendc.plan.solve` and :mod:`greendc.plan.diagnose` do).

Default HiGHS settings were chosen by measurement (``python benchmarks/bench_plan_pypsa.py --tune``) on
the default Dakhla scenario, 1 weather year hourly (52 567 columns, 78 840 rows), HiGHS 1.16, 2-core
machine, same optimum 432.7483 MUSD/yr in every case:

=============================================================  =========  ==========
HiGHS settings                                                 solve [s]  iterations
=============================================================  =========  ==========
dual simplex, devex pricing, no presolve, scaling 4 (default)        5.7      34 611
  same with HiGHS's default scaling (strategy 2)                     9.2      38 939
  same with presolve on                                              6.2      34 611
  same with steepest-edge pricing                                    6.5      49 829
  same with costs in USD instead of MUSD                            19.7      58 882
HiGHS defaults ("choose", presolve, USD)                            48.5      65 004
primal simplex                                                      26.5      34 542
IPX interior point, no crossover                                    58.3          59
=============================================================  =========  ==========

The table was measured in MUSD. The objective unit is now chosen per inputs
(:func:`~greendc.plan.model.objective_scale`: the dearest unit of capacity costs 1), because HiGHS's
tolerances are absolute and costs far from 1 per unit end short of the optimum (a three-day site priced in
thousands of USD came out 125 % dearer at the MUSD scale). On the Dakhla scenario model it is 3.2e-6 and
the year solves in the same time (7.7 s at 1e-6, 6.7 s at 1e-5, 8.4 s at 3e-5); on the model above,
warm-started, 4.9 s against 4.7 s in MUSD, same optimum (``--tune``).

The table was measured with cold starts; by default the simplex now starts from the optimal basis of
the same LP on 2-hour blocks (:mod:`greendc.plan.warm_start`), measured 3x faster on the scenario model.

The HiPO interior point solver needs the ``highspy-extras`` package (BLAS and orderings; Apache-2.0) of
the same HiGHS version; with highspy 1.15.1 and highspy-extras 1.15.1 it solved this model in 45 iterations
(13.8 s), but on the full scenario model (flexible class, hydrogen) it stops with "no progress" short of the
optimum at 1 and 10 years (also with HiGHS 1.16 built from source with OpenBLAS); so does IPX after it,
and Clarabel 0.11 reached only "almost solved" in 200 iterations. PDLP did not reach 1e-6 in 120 s.
HiGHS's SIP dual simplex (``simplex_strategy`` 3, 2 threads) solved the scenario model's year cold in
9.4 s instead of 23.4 s, but warm-started it took 8.6 s against 7.4 s, and 10 years did not finish in 24
minutes: the serial dual simplex stays the default. On a 3-year test LP
scaling strategy 4 cut the simplex time by 3x (21 s instead of 58-66 s on the same LP).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import highspy
import linopy

from greendc.errors import GreendcError
from greendc.plan.aggregate import aggregate_time
from greendc.plan.inputs import PlanInputs
from greendc.plan.model import build_model, objective_scale
from greendc.plan.result import SolveStatus
from greendc.plan.warm_start import fine_basis

__all__ = ["SolveOptions", "SolvedModel", "solve_model"]

_MODEL_STATUS = {
    highspy.HighsModelStatus.kOptimal: SolveStatus.OPTIMAL,
    highspy.HighsModelStatus.kInfeasible: SolveStatus.INFEASIBLE,
    highspy.HighsModelStatus.kUnboundedOrInfeasible: SolveStatus.INFEASIBLE,
    highspy.HighsModelStatus.kUnbounded: SolveStatus.UNBOUNDED,
    highspy.HighsModelStatus.kTimeLimit: SolveStatus.TIME_LIMIT,
    highspy.HighsModelStatus.kIterationLimit: SolveStatus.ITERATION_LIMIT,
}


@dataclass(frozen=True)
class SolveOptions:
    """How to solve the design LP.

    Attributes
    ----------
    solver : str
        HiGHS ``solver`` option: ``"simplex"`` (default, measured fastest), ``"ipx"``, ``"ipm"``,
        ``"pdlp"``, ``"choose"``.
    presolve : str
        HiGHS ``presolve``: ``"off"`` (default, measured faster here), ``"on"``, ``"choose"``.
    dual_edge_weight_strategy : int
        HiGHS ``simplex_dual_edge_weight_strategy``: 1 = devex (default), 2 = steepest edge, -1 = choose.
    scale_strategy : int
        HiGHS ``simplex_scale_strategy``: 4 = "max value 0" (default, measured 2-3x faster here than
        HiGHS's default equilibration, 2).
    run_crossover : str
        HiGHS ``run_crossover`` for interior point solvers (``"off"`` default).
    time_limit_s : float
        Wall-clock limit of the solver [s].
    threads : int or None
        HiGHS threads; None = HiGHS default.
    cost_scale : float or None
        Multiplier from USD to the objective's unit [1/USD]; None (default) =
        :func:`~greendc.plan.model.objective_scale` of the inputs (largest capacity cost 1).
    warm_start_block : int or None
        Solve the LP on blocks of this many steps first and start the simplex from its optimal basis
        (:mod:`greendc.plan.warm_start`; the result is the LP's own optimum). Default 2 (measured 3x
        faster on one year hourly); None or 1: cold start. Used with the simplex only, and only when the
        horizon has between ``warm_start_min_steps`` and ``warm_start_max_steps`` steps. The coarse LP is
        warm-started the same way.
    warm_start_min_steps : int
        Shortest horizon [steps] worth a coarse solve first (default 8 000: one year hourly is
        warm-started from its 2-hour LP, which is solved cold).
    warm_start_max_steps : int
        Longest horizon [steps] warm-started (default 30 000, about 3 years hourly). Measured on 10 years
        hourly: after 286 s for the 2-hour LP and 1 000 s of hourly dual simplex from its basis, 150 000 rows
        were still infeasible, no better than the cold start (1 517 s in all), so long horizons start cold.
    highs_options : mapping
        Further HiGHS options, passed as they are (they override the above).
    log_to_console : bool
        Show the HiGHS log.
    diagnose : bool
        On infeasibility, run the elastic re-solve of :mod:`greendc.plan.diagnose` to say why.
    """

    solver: str = "simplex"
    presolve: str = "off"
    dual_edge_weight_strategy: int = 1
    scale_strategy: int = 4
    run_crossover: str = "off"
    time_limit_s: float = 3600.0
    threads: int | None = None
    cost_scale: float | None = None
    warm_start_block: int | None = 2
    warm_start_min_steps: int = 8000
    warm_start_max_steps: int = 30_000
    highs_options: Mapping[str, Any] = field(default_factory=dict)
    log_to_console: bool = False
    diagnose: bool = True

    def objective_scale(self, inputs: PlanInputs) -> float:
        """The multiplier from USD to the objective's unit for ``inputs`` [1/USD]."""
        return objective_scale(inputs) if self.cost_scale is None else float(self.cost_scale)

    def to_highs(self) -> dict[str, Any]:
        """The HiGHS option dictionary."""
        if not self.time_limit_s > 0:
            raise GreendcError(f"time_limit_s must be > 0, got {self.time_limit_s}")
        opts: dict[str, Any] = {
            "solver": self.solver,
            "presolve": self.presolve,
            "simplex_dual_edge_weight_strategy": self.dual_edge_weight_strategy,
            "simplex_scale_strategy": self.scale_strategy,
            "run_crossover": self.run_crossover,
            "time_limit": float(self.time_limit_s),
            "output_flag": bool(self.log_to_console),
            "log_to_console": bool(self.log_to_console),
        }
        if self.threads is not None:
            opts["threads"] = int(self.threads)
        opts.update(self.highs_options)
        return opts


@dataclass(frozen=True)
class SolvedModel:
    """A linopy model after a HiGHS run, with its status and timings [s]."""

    model: linopy.Model
    status: SolveStatus
    build_s: float
    solve_s: float
    highs_status: str
    warm_start_block: int | None = None


def _warm_start_block(inputs: PlanInputs, options: SolveOptions, elastic: bool) -> int | None:
    """The block length of the coarse solve that warm-starts this one, or None for a cold start."""
    k = options.warm_start_block
    if k is None or k <= 1 or elastic or options.solver != "simplex":
        return None
    n = inputs.n_steps
    return int(k) if max(options.warm_start_min_steps, 2 * k) <= n <= options.warm_start_max_steps else None


def solve_model(
    inputs: PlanInputs,
    options: SolveOptions,
    elastic: bool = False,
    extend: Callable[[linopy.Model], None] | None = None,
) -> SolvedModel:
    """Build the LP of ``inputs`` and run HiGHS on it; no interpretation of the status.

    With a warm start (``options.warm_start_block``) the LP of ``inputs`` aggregated into blocks is
    solved first, the same way; a coarse LP that does not reach its optimum only means a cold start.
    Build and solve times include the coarse solve. ``extend`` adds rows to the built model before the
    solve (e.g. the end levels of :mod:`greendc.plan.hourly_check`); such a model starts cold.
    """
    t0 = time.perf_counter()
    k = None if extend is not None else _warm_start_block(inputs, options, elastic)
    coarse = solve_model(aggregate_time(inputs, k), options) if k else None
    t1 = time.perf_counter()
    m = build_model(inputs, cost_scale=options.objective_scale(inputs), elastic=elastic)
    if extend is not None:
        extend(m)
    t2 = time.perf_counter()
    highs_opts = replace(options, time_limit_s=max(options.time_limit_s - (t1 - t0), 1.0)).to_highs()
    solver = linopy.solvers.Solver.from_name("highs", model=m, io_api="direct", options=highs_opts)
    build_s = t2 - t1
    warm = None
    if coarse is not None:
        build_s += coarse.build_s
        if coarse.status is SolveStatus.OPTIMAL:
            basis = fine_basis(m, coarse.model, coarse.model.solver_model.getBasis(), k)
            # a basis HiGHS does not accept leaves the cold start, and the provenance says so
            warm = k if solver.solver_model.setBasis(basis) == highspy.HighsStatus.kOk else None
        del coarse  # the coarse LP is not needed any more: free its memory before the solve
    m.assign_result(solver.solve(), solver=solver)
    h = m.solver_model
    model_status = h.getModelStatus()
    status = _MODEL_STATUS.get(model_status, SolveStatus.ERROR)
    solve_s = time.perf_counter() - t0 - build_s
    return SolvedModel(m, status, build_s, solve_s, h.modelStatusToString(model_status), warm)
