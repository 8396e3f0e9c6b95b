"""Shared pieces of the design LP's builders: the ``step`` coordinate, :class:`ModelParts` and the helpers
every builder uses (per-step coefficients, sums of terms, capacity variables, storage balances)."""

from __future__ import annotations

from dataclasses import dataclass, field

import linopy
import numpy as np
import xarray as xr

from greendc.plan.inputs import PlanInputs

STEP = "step"


@dataclass
class ModelParts:
    """Expressions shared between builders while a model is assembled.

    Attributes
    ----------
    steps : numpy.ndarray
        The integer time coordinate.
    supply : list
        Terms of the supply side of the energy balance [MW].
    facility : list
        Variable terms of the facility load [MW] (flexible or sheddable IT × overhead, desalination with
        the water balance).
    facility_const : numpy.ndarray
        Constant facility load [MW] (firm IT × overhead + auxiliaries); the overhead is
        :attr:`~greendc.plan.inputs.PlanInputs.it_overhead`.
    operating_cost : list
        Terms of the operating cost [USD per year of horizon].
    slack_cost : list
        Elastic-mode penalty terms.
    """

    steps: np.ndarray
    supply: list = field(default_factory=list)
    facility: list = field(default_factory=list)
    facility_const: np.ndarray | None = None
    operating_cost: list = field(default_factory=list)
    slack_cost: list = field(default_factory=list)


def series(parts_or_steps: ModelParts | np.ndarray, values: np.ndarray | float) -> xr.DataArray:
    """A per-step coefficient as an xarray DataArray on the ``step`` coordinate."""
    steps = parts_or_steps.steps if isinstance(parts_or_steps, ModelParts) else parts_or_steps
    arr = np.broadcast_to(np.asarray(values, dtype=float), steps.shape)
    return xr.DataArray(arr, coords={STEP: steps}, dims=STEP)


def total(terms: list) -> linopy.LinearExpression:
    """Sum of linopy variables and expressions of the same coordinates, in one merge (no repeated copies)."""
    exprs = [t.to_linexpr() if isinstance(t, linopy.Variable) else t for t in terms]
    return exprs[0] if len(exprs) == 1 else linopy.merge(exprs, cls=linopy.LinearExpression)


def facility_expression(parts: ModelParts) -> linopy.LinearExpression | None:
    """Variable part of the facility load [MW] (None when every class is firm and always served)."""
    if not parts.facility:
        return None
    return total(parts.facility)


def step_variable(m: linopy.Model, parts: ModelParts, name: str) -> linopy.Variable:
    """A non-negative variable per step (power [MW], level [MWh], flow), named ``name``."""
    return m.add_variables(lower=0.0, coords=[parts.steps], dims=[STEP], name=name)


def _capacity(m: linopy.Model, inputs: PlanInputs, name: str, elastic: bool) -> linopy.Variable:
    """Capacity variable ``capacity_<name>`` with its bounds (elastic: the upper bound becomes a soft row)."""
    lo, hi = inputs.rules.capacity_bounds.get(name, (0.0, None))
    upper = np.inf if (hi is None or elastic) else hi
    var = m.add_variables(lower=lo, upper=upper, name=f"capacity_{name}")
    if elastic and hi is not None:
        excess = m.add_variables(lower=0.0, name=f"excess_capacity_{name}")
        m.add_constraints(var - excess <= hi, name=f"capacity_bound_{name}")
    return var


def level_change(
    parts: ModelParts, level: linopy.Variable, keep: np.ndarray, initial: float | None
) -> tuple[linopy.LinearExpression, xr.DataArray]:
    """Left side ``x_t - k_t x_{t-1}`` and right-side constant ``a_t`` of a storage balance.

    Cyclic (``initial`` None): ``k_t`` as given, ``a = 0``, the previous of the first step is the last.
    Non-cyclic: ``k_0 = 0`` and ``a_0 = k_0 x^{init}`` (the level before the first step is a constant), so
    that a balance reads ``level_change - inflow + outflow == a``.
    """
    k = np.asarray(keep, dtype=float).copy()
    start = np.zeros_like(k)
    if initial is not None:
        start[0] = k[0] * initial
        k[0] = 0.0
    return level - series(parts, k) * level.roll({STEP: 1}), series(parts, start)


__all__ = ["STEP", "ModelParts", "facility_expression", "level_change", "series", "total"]
