"""What workload flexibility is worth: the same plan with every class made firm.

:func:`flexibility_value` solves the plan's inputs again with every flexible class served when requested
(:func:`all_firm`) and reports the difference in cost. Both plans meet the same rules (reserve, land,
reliability) on the same weather; the difference is what the flexible classes' envelopes save, per MWh of IT
energy and per MWh of flexible work.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from greendc.plan.inputs import PlanInputs
from greendc.plan.result import PlanResult
from greendc.plan.solve import SolveOptions, solve

__all__ = ["all_firm", "flexibility_value"]


def all_firm(inputs: PlanInputs) -> PlanInputs:
    """``inputs`` with every workload class firm: served when requested (``min_mw = max_mw = requested_mw``)."""
    firm = tuple(
        replace(w, flexible=False, min_mw=w.requested_mw.copy(), max_mw=w.requested_mw.copy()) for w in inputs.workloads
    )
    return replace(inputs, workloads=firm)


def flexibility_value(inputs: PlanInputs, plan: PlanResult, options: SolveOptions | None = None) -> dict[str, Any]:
    """Cost of ``plan`` beside the cost of the same inputs with every class firm.

    Parameters
    ----------
    inputs : PlanInputs
        The inputs ``plan`` was solved from.
    plan : PlanResult
        The plan with its flexible classes.
    options : SolveOptions, optional
        Solver options of the firm plan.

    Returns
    -------
    dict
        ``flexible_classes`` (names), ``flexible_work_mwh_per_yr`` (requested energy of those classes),
        ``cost_usd_per_mwh_it`` (the plan), ``all_firm_cost_usd_per_mwh_it``, ``value_usd_per_mwh_it`` (their
        difference), ``value_fraction`` (of the all-firm cost), ``value_usd_per_yr``,
        ``value_usd_per_mwh_flexible`` (per MWh of flexible work) and ``all_firm_capacities``; with no flexible
        class, only ``flexible_classes`` (empty) and a ``note``.

    Notes
    -----
    ``value = C_firm − C_flex`` [USD/yr] where both are the plans' objectives; per MWh of IT it divides by the
    served IT energy, which is the same in both plans when both serve all the work.
    """
    names = [w.name for w in inputs.workloads if w.flexible]
    if not names:
        return {"flexible_classes": [], "note": "no flexible workload class: nothing to value"}
    firm = solve(all_firm(inputs), options)
    flexible_mwh = sum(float((w.requested_mw * inputs.weights_h).sum()) for w in inputs.workloads if w.flexible)
    saved = firm.objective_usd_per_yr - plan.objective_usd_per_yr
    return {
        "flexible_classes": names,
        "flexible_work_mwh_per_yr": flexible_mwh / inputs.horizon_years,
        "cost_usd_per_mwh_it": plan.cost_usd_per_mwh_it,
        "all_firm_cost_usd_per_mwh_it": firm.cost_usd_per_mwh_it,
        "value_usd_per_mwh_it": firm.cost_usd_per_mwh_it - plan.cost_usd_per_mwh_it,
        "value_fraction": (firm.cost_usd_per_mwh_it - plan.cost_usd_per_mwh_it) / firm.cost_usd_per_mwh_it,
        "value_usd_per_yr": saved,
        "value_usd_per_mwh_flexible": saved / (flexible_mwh / inputs.horizon_years) if flexible_mwh > 0 else np.nan,
        "all_firm_capacities": {k: float(v) for k, v in firm.capacities.items()},
    }
