"""Near-optimal alternatives of the design LP ("modelling to generate alternatives", MGA).

The least-cost design is one point of a flat region: many designs cost little more. The near-optimal
range of a capacity ``P_i`` is its least and its largest value over the designs whose total cost is within
a share ``ε`` of the optimum ``C*`` (Neumann & Brown [3]_, after Brill [1]_ and DeCarolis [2]_):

.. math::
    \\min / \\max \\; P_i \\quad \\text{s.t.} \\quad \\text{every row of the design LP}, \\qquad
    c^\\top x \\le (1 + ε) \\, C^*

with ``c^T x`` the objective of :func:`greendc.plan.model.add_objective` (total annualised cost [USD/yr],
times the objective scale). Each (capacity, sense) pair is one LP,
:func:`near_optimal_design`; a study runs them as independent tasks. :func:`near_optimal_ranges` runs
them in turn for notebooks and tests.

An alternative's :class:`~greendc.plan.result.PlanResult` reports its real cost:
``objective_usd_per_yr`` is the sum of its ``annualised_cost_usd_per_yr`` (not the MGA objective, a
capacity), and the cost per MWh follows from it. The duals of the MGA LP price capacity, not money, so
``energy_price_usd_per_mwh`` is NaN.

References
----------
.. [1] Brill, E. D. (1979). The use of optimization models in public-sector planning. Management
   Science 25(5):413-422. doi:10.1287/mnsc.25.5.413
.. [2] DeCarolis, J. F. (2011). Using modeling to generate alternatives (MGA) to expand our thinking on
   energy futures. Energy Economics 33(2):145-152. doi:10.1016/j.eneco.2010.05.002
.. [3] Neumann, F., Brown, T. (2021). The near-optimal feasible space of a renewable power system model.
   Electric Power Systems Research 190:106690. doi:10.1016/j.epsr.2020.106690
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

import linopy
import numpy as np
import pandas as pd

from greendc.errors import InfeasibleDesignError, ScenarioError
from greendc.plan.inputs import CAPACITY_NAMES, CSP_CAPACITY_NAMES, WATER_CAPACITY_NAMES, PlanInputs
from greendc.plan.model import build_model, capacity_cost_usd_per_yr
from greendc.plan.result import PlanResult, SolveStatus
from greendc.plan.solve import SolveOptions, solve_with_model

#: Directions of a near-optimal search: least or largest capacity within the cost limit.
NEAR_OPTIMAL_SENSES: tuple[str, ...] = ("min", "max")

#: Every capacity name the design LP can have (which of them a model has depends on its inputs).
_KNOWN_CAPACITIES: tuple[str, ...] = CAPACITY_NAMES + WATER_CAPACITY_NAMES + CSP_CAPACITY_NAMES

#: Name of the cost-limit row added to the model.
COST_LIMIT_ROW = "near_optimal_cost_limit"

#: Columns of :func:`near_optimal_ranges`.
RANGE_COLUMNS: tuple[str, ...] = (
    "capacity",
    "optimum",
    "min",
    "max",
    "min_cost_usd_per_yr",
    "max_cost_usd_per_yr",
)


def _is_finite(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)


def _check_epsilon(epsilon: float) -> None:
    if not (_is_finite(epsilon) and 0.0 < epsilon <= 1.0):
        raise ScenarioError(f"epsilon = {epsilon!r}; allowed: a share of the optimal cost with 0 < epsilon <= 1")


def check_near_optimal(
    capacity: str, sense: str, epsilon: float, optimum_usd_per_yr: float, inputs: PlanInputs | None = None
) -> None:
    """Validate a near-optimal request; raise :class:`~greendc.errors.ScenarioError` if it is not valid.

    Parameters
    ----------
    capacity : str
        Capacity name without the ``capacity_`` prefix (``pv_mw``, ``battery_mwh``…).
    sense : str
        ``"min"`` or ``"max"``.
    epsilon : float
        Allowed cost above the optimum, as a share of it [-]; 0 < ε ≤ 1.
    optimum_usd_per_yr : float
        Least total cost of the inputs [USD/yr]; finite and ≥ 0.
    inputs : PlanInputs, optional
        When given, a maximum of a capacity without cost and without upper bound (unbounded) is refused.

    Raises
    ------
    ScenarioError
        Naming the argument, its value and what is allowed.
    """
    if capacity not in _KNOWN_CAPACITIES:
        raise ScenarioError(f"capacity = {capacity!r}; allowed: {', '.join(_KNOWN_CAPACITIES)}")
    if sense not in NEAR_OPTIMAL_SENSES:
        raise ScenarioError(f"sense = {sense!r}; allowed: {', '.join(NEAR_OPTIMAL_SENSES)}")
    _check_epsilon(epsilon)
    if not (_is_finite(optimum_usd_per_yr) and optimum_usd_per_yr >= 0.0):
        raise ScenarioError(f"optimum_usd_per_yr = {optimum_usd_per_yr!r}; allowed: a finite cost >= 0 [USD/yr]")
    if inputs is not None and sense == "max":
        unbounded = inputs.rules.capacity_bounds.get(capacity, (0.0, None))[1] is None
        if unbounded and capacity_cost_usd_per_yr(inputs).get(capacity, 0.0) <= 0.0:
            raise ScenarioError(
                f"capacity = {capacity!r} has no cost and no upper bound, so the cost limit does not bound its "
                "maximum; allowed: a capacity with a cost row or a bound in rules.capacity_bounds"
            )


def model_capacities(m: linopy.Model) -> tuple[str, ...]:
    """Capacity names of a built design LP, in the order of :data:`~greendc.plan.inputs.CAPACITY_NAMES`
    (then water, then CSP)."""
    return tuple(name for name in _KNOWN_CAPACITIES if f"capacity_{name}" in m.variables)


def _add_near_optimal(m: linopy.Model, capacity: str, sense: str, limit: float) -> None:
    """Add the cost-limit row ``objective ≤ limit`` (objective unit) and make ``capacity_<capacity>`` the
    objective, minimised or maximised."""
    if f"capacity_{capacity}" not in m.variables:
        raise ScenarioError(
            f"capacity = {capacity!r} is not in this model (its technology is not offered by the inputs); "
            f"allowed: {', '.join(model_capacities(m))}"
        )
    m.add_constraints(m.objective.expression <= limit, name=COST_LIMIT_ROW)
    m.add_objective(1.0 * m.variables[f"capacity_{capacity}"], overwrite=True, sense=sense)


def _with_real_cost(result: PlanResult) -> PlanResult:
    """``result`` with its objective and costs per MWh rebuilt from its annualised costs [USD/yr], and
    no energy prices (the duals of an MGA LP are not prices)."""
    cost = float(sum(result.annualised_cost_usd_per_yr.values()))
    it, facility = result.it_energy_mwh_per_yr, result.facility_energy_mwh_per_yr
    price = result.energy_price_usd_per_mwh
    return replace(
        result,
        objective_usd_per_yr=cost,
        cost_usd_per_mwh_it=cost / it if it > 0 else float("nan"),
        cost_usd_per_mwh_facility=cost / facility if facility > 0 else float("nan"),
        energy_price_usd_per_mwh=pd.Series(np.nan, index=price.index, name=price.name),
    )


def near_optimal_design(
    inputs: PlanInputs,
    optimum_usd_per_yr: float,
    epsilon: float,
    capacity: str,
    sense: Literal["min", "max"],
    options: SolveOptions | None = None,
) -> PlanResult:
    """The design with the least or largest ``capacity`` among those costing at most ``(1 + ε)`` times the
    optimum.

    Parameters
    ----------
    inputs : PlanInputs
    optimum_usd_per_yr : float
        Least total cost of ``inputs`` [USD/yr] (``solve(inputs).objective_usd_per_yr``).
    epsilon : float
        Cost slack as a share of the optimum [-], 0 < ε ≤ 1.
    capacity : str
        Capacity to minimise or maximise, a key of :attr:`PlanResult.capacities` (``pv_mw``, ``wind_mw``,
        ``battery_mw``, ``battery_mwh``, ``electrolyser_mw``, ``h2_store_mwh``, ``fuel_cell_mw``; water and
        CSP capacities when the inputs have them) [MW, MWh, m³/h, m³ or MW_th].
    sense : {"min", "max"}
    options : SolveOptions, optional

    Returns
    -------
    PlanResult
        The alternative design, with its real annualised cost in ``objective_usd_per_yr`` [USD/yr], no
        energy prices (NaN), and ``provenance.details["near_optimal"]`` = ``{capacity, sense, epsilon,
        optimum_usd_per_yr}``.

    Raises
    ------
    ScenarioError
        Unknown capacity, one these inputs do not offer, a maximum that nothing bounds, ε outside (0, 1],
        an unknown sense or a negative optimum.
    InfeasibleDesignError
        No design within the cost limit (the optimum given is below the least cost of ``inputs``) or none
        at all.
    PlanSolveError
        The solver stopped without an optimal design.

    Notes
    -----
    One LP: the design LP of :func:`greendc.plan.model.build_model`, the row

    .. math:: s \\, c^\\top x \\le (1 + ε) \\, s \\, C^*

    (``s`` the objective scale [1/USD], ``C*`` = ``optimum_usd_per_yr``) and the objective
    ``min`` or ``max`` of ``P_capacity``. It starts cold (no warm start from a coarse LP).

    Examples
    --------
    100 MW of load, PV at cf 0.5 (1 USD/yr per MW), wind at cf 0.25 (3.2 USD/yr per MW): the optimum is
    200 MW of PV, 200 USD/yr. With ε = 0.27 the 54 USD/yr of slack buys at most 54 / (3.2 − 0.5 × 1) = 20 MW
    of wind, each MW displacing 0.5 MW of PV.

    >>> import numpy as np, pandas as pd
    >>> from greendc.costs import CostRow
    >>> from greendc.plan.inputs import WorkloadInput
    >>> idx = pd.date_range("2030-01-01", periods=2, freq="h", tz="UTC")
    >>> costs = {k: CostRow(k, capex, "USD/MW", 10, 0.0, 1.0, "test") for k, capex in (("pv", 10.0), ("wind", 32.0))}
    >>> inputs = PlanInputs(idx, np.ones(2), np.full(2, 0.5), np.full(2, 0.25),
    ...                     (WorkloadInput("it", np.full(2, 100.0)),), costs, 0.0, 2 / 8760)
    >>> res = near_optimal_design(inputs, 200.0, 0.27, "wind_mw", "max")
    >>> round(res.capacities["wind_mw"], 6), round(res.capacities["pv_mw"], 6), round(res.objective_usd_per_yr, 6)
    (20.0, 190.0, 254.0)
    """
    options = options or SolveOptions()
    check_near_optimal(capacity, sense, epsilon, optimum_usd_per_yr, inputs)
    budget_usd = (1.0 + epsilon) * optimum_usd_per_yr
    limit = budget_usd * options.objective_scale(inputs)
    try:
        result, _ = solve_with_model(
            inputs,
            replace(options, diagnose=False),
            extend=lambda m: _add_near_optimal(m, capacity, sense, limit),
        )
    except InfeasibleDesignError as err:
        raise InfeasibleDesignError(
            f"No design costing at most {budget_usd:,.6g} USD/yr ((1 + {epsilon:g}) x {optimum_usd_per_yr:,.6g}) "
            "satisfies the rules:",
            diagnosis=[
                *err.diagnosis,
                "optimum_usd_per_yr must be the least cost of these inputs (solve(inputs).objective_usd_per_yr)",
            ],
        ) from err
    record = {
        "capacity": capacity,
        "sense": sense,
        "epsilon": float(epsilon),
        "optimum_usd_per_yr": float(optimum_usd_per_yr),
    }
    result = _with_real_cost(result)
    return replace(result, provenance=result.provenance.with_details(near_optimal=record))


def near_optimal_ranges(
    inputs: PlanInputs,
    epsilon: float,
    capacities: Sequence[str] | None = None,
    options: SolveOptions | None = None,
    optimum: PlanResult | None = None,
) -> pd.DataFrame:
    """Least and largest value of each capacity among the designs within ``(1 + ε)`` of the optimal cost.

    Solves the optimum (unless given), then ``2 × len(capacities)`` LPs of :func:`near_optimal_design`, one
    after the other.

    Parameters
    ----------
    inputs : PlanInputs
    epsilon : float
        Cost slack as a share of the optimum [-], 0 < ε ≤ 1.
    capacities : sequence of str, optional
        Capacity names; default every capacity of the model with a positive cost
        (:func:`greendc.plan.model.capacity_cost_usd_per_yr`), in the order of ``PlanResult.capacities``.
    options : SolveOptions, optional
    optimum : PlanResult, optional
        The least-cost design of ``inputs``, if already solved (its ``objective_usd_per_yr`` is the
        reference cost).

    Returns
    -------
    pandas.DataFrame
        One row per capacity: ``capacity``, ``optimum``, ``min``, ``max`` [unit of the capacity] and
        ``min_cost_usd_per_yr``, ``max_cost_usd_per_yr`` [USD/yr], the real annualised cost of the
        min and max designs (each ≤ (1 + ε) × optimum, to the solver's tolerance). ``attrs`` holds
        ``epsilon`` and ``optimum_usd_per_yr``.

    Raises
    ------
    ScenarioError, InfeasibleDesignError, PlanSolveError
        As :func:`near_optimal_design`.
    """
    options = options or SolveOptions()
    _check_epsilon(epsilon)  # the arguments before the optimum is solved
    for name in capacities or ():
        check_near_optimal(name, "min", epsilon, 0.0)
    model = None
    if optimum is None:
        optimum, model = solve_with_model(inputs, options)
    elif optimum.status is not SolveStatus.OPTIMAL:
        raise ScenarioError(f"optimum.status = {optimum.status.value!r}; allowed: 'optimal'")
    if capacities is None:
        model = model if model is not None else build_model(inputs, cost_scale=options.objective_scale(inputs))
        unit_cost = capacity_cost_usd_per_yr(inputs)
        capacities = [name for name in model_capacities(model) if unit_cost.get(name, 0.0) > 0.0]
    del model  # only its names were needed
    reference = optimum.objective_usd_per_yr
    rows = []
    for name in capacities:
        low, high = (near_optimal_design(inputs, reference, epsilon, name, s, options) for s in ("min", "max"))
        rows.append(
            {
                "capacity": name,
                "optimum": float(optimum.capacities.get(name, 0.0)),
                "min": float(low.capacities[name]),
                "max": float(high.capacities[name]),
                "min_cost_usd_per_yr": low.objective_usd_per_yr,
                "max_cost_usd_per_yr": high.objective_usd_per_yr,
            }
        )
    frame = pd.DataFrame(rows, columns=list(RANGE_COLUMNS))
    frame.attrs = {"epsilon": float(epsilon), "optimum_usd_per_yr": float(reference)}
    return frame


__all__ = [
    "COST_LIMIT_ROW",
    "NEAR_OPTIMAL_SENSES",
    "RANGE_COLUMNS",
    "check_near_optimal",
    "model_capacities",
    "near_optimal_design",
    "near_optimal_ranges",
]
