"""A carbon-free energy target for a site that may import grid energy.

With ``rules.grid.cfe_target`` (:class:`~greendc.plan.inputs.PlanRules` ``grid_cfe_target`` ``τ``) and a grid
whose energy is carbon free at the share ``s`` (``grid_cfe_share``), the energy drawn from the grid that is
not carbon free is at most ``1 − τ`` of the facility's energy over the horizon:

.. math:: (1 - s) \\sum_t w_t m_t \\le (1 - \\tau) \\sum_t w_t L_t

with ``m_t`` the grid import and ``L_t`` the facility load [MW], ``w_t`` the step length [h]. Every other
supply of the site is on-site renewable (directly or through storage), so the carbon-free share of the
energy the site takes in is at least ``τ``: the cost-against-target curves of Riepin & Brown's 24/7 studies
[1] (their hourly-matching row for a consumer whose only other supply is its own plant). The score reported
beside a plan is the hourly, storage-tracked one of :func:`greendc.kpi.cfe.cfe_share`, which counts energy
that charged storage from the grid as grid energy when it comes out, so it can fall below ``τ`` when the
optimum charges storage from the grid; both are shown.

References
----------
.. [1] Riepin, I., Brown, T. (2024). On the means, costs, and system-level impacts of 24/7 carbon-free energy
   procurement. Energy Strategy Reviews 54:101488. doi:10.1016/j.esr.2024.101488
"""

from __future__ import annotations

import linopy

from greendc.plan.inputs import PlanInputs
from greendc.plan.parts import ModelParts, facility_expression, series

#: Name of the row in the model.
CFE_ROW = "cfe_target"


def add_cfe_target(m: linopy.Model, inputs: PlanInputs, parts: ModelParts, elastic: bool = False) -> None:
    """The carbon-free energy row of the module docstring, when the rules allow the grid and set a target.

    Elastic mode subtracts a slack ``excess_grid_mwh ≥ 0`` [MWh over the horizon]: the grid energy that is not
    carbon free beyond what the target allows (:mod:`greendc.plan.diagnose`). It is priced at half the
    balance's shortfall per MWh, so that the diagnosis blames the target before it leaves load unserved.
    """
    rules = inputs.rules
    if not rules.grid_allowed or rules.grid_cfe_target is None or rules.grid_cfe_share >= 1.0:
        return
    w = inputs.weights_h
    not_free = (1.0 - rules.grid_cfe_share) * (series(parts, w) * m.variables["grid_import_mw"]).sum()
    allowed_share = 1.0 - rules.grid_cfe_target
    constant = allowed_share * float((w * parts.facility_const).sum()) if parts.facility_const is not None else 0.0
    facility = facility_expression(parts)
    lhs = not_free if facility is None else not_free - allowed_share * (series(parts, w) * facility).sum()
    if elastic:
        excess = m.add_variables(lower=0.0, name="excess_grid_mwh")
        lhs = lhs - excess
        parts.slack_cost.append(0.5 * excess / inputs.horizon_years)
    m.add_constraints(lhs <= constant, name=CFE_ROW)


__all__ = ["CFE_ROW", "add_cfe_target"]
