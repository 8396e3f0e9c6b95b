"""Solve the design LP and read back a :class:`~greendc.plan.result.PlanResult`: pre-checks, the HiGHS call
(:mod:`greendc.plan.highs`, where its settings and their measurements are), the diagnosis of an infeasible
design (:mod:`greendc.plan.diagnose`), the provenance of the result.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import linopy

from greendc.errors import InfeasibleDesignError, PlanSolveError
from greendc.plan.diagnose import diagnose_infeasibility, precheck
from greendc.plan.highs import SolveOptions, solve_model
from greendc.plan.inputs import PlanInputs
from greendc.plan.result import PlanResult, SolveStatus, result_from_model
from greendc.provenance import package_versions

__all__ = ["PLAN_PACKAGES", "SolveOptions", "solve", "solve_with_model"]

#: Packages whose versions a plan records.
PLAN_PACKAGES: tuple[str, ...] = ("greendc", "linopy", "highspy", "numpy", "pandas", "xarray")


def solve(inputs: PlanInputs, options: SolveOptions | None = None) -> PlanResult:
    """Least-cost design of ``inputs``; :func:`solve_with_model` with the model dropped."""
    return solve_with_model(inputs, options)[0]


def solve_with_model(
    inputs: PlanInputs,
    options: SolveOptions | None = None,
    extend: Callable[[linopy.Model], None] | None = None,
) -> tuple[PlanResult, linopy.Model]:
    """Least-cost design of ``inputs``, and the solved linopy model (its levels, duals).

    Parameters
    ----------
    inputs : PlanInputs
    options : SolveOptions, optional
    extend : callable, optional
        Adds rows to the model before the solve (see :func:`solve_model`).

    Returns
    -------
    PlanResult, linopy.Model

    Raises
    ------
    InfeasibleDesignError
        No design satisfies the rules; ``diagnosis`` names the rule, the hours and the amount missing
        (pre-checks first, then an elastic re-solve).
    PlanSolveError
        The solver stopped without a design (time limit, numerical error).
    """
    options = options or SolveOptions()
    t_start = time.perf_counter()
    problems = precheck(inputs)
    if problems:
        raise InfeasibleDesignError("No design can satisfy the rules:", diagnosis=problems)
    solved = solve_model(inputs, options, extend=extend)
    if solved.status is SolveStatus.INFEASIBLE:
        diagnosis = diagnose_infeasibility(inputs, options) if options.diagnose else []
        if not diagnosis:
            diagnosis = ["the solver proved that no design satisfies the rules (diagnosis was not run)"]
        raise InfeasibleDesignError("No design satisfies the rules:", diagnosis=diagnosis)
    if solved.status is not SolveStatus.OPTIMAL:
        hint = (
            f"; raise SolveOptions.time_limit_s (now {options.time_limit_s:g} s) or aggregate time steps"
            if solved.status is SolveStatus.TIME_LIMIT
            else ""
        )
        raise PlanSolveError(
            f"HiGHS stopped without an optimal design: {solved.highs_status}{hint}", status=solved.status
        )
    h = solved.model.solver_model
    info = h.getInfo()
    provenance = replace(inputs.provenance, versions=package_versions(PLAN_PACKAGES)).with_details(
        solver=f"HiGHS {h.version()}",
        solver_options={k: v for k, v in options.to_highs().items() if k not in ("output_flag", "log_to_console")},
        status=solved.status.value,
        objective_scale_per_usd=options.objective_scale(inputs),
        simplex_iterations=int(info.simplex_iteration_count),
        warm_start_block=solved.warm_start_block,
        ipm_iterations=int(info.ipm_iteration_count),
        n_variables=int(solved.model.nvars),
        n_constraints=int(solved.model.ncons),
        build_s=round(solved.build_s, 3),
        solve_s=round(solved.solve_s, 3),
    )
    result = result_from_model(solved.model, inputs, solved.status, options.objective_scale(inputs), provenance)
    wall_s = round(time.perf_counter() - t_start, 3)
    return replace(result, provenance=result.provenance.with_details(wall_s=wall_s)), solved.model
