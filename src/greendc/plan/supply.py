"""Electricity sources of the site bus in the design LP: PV, wind and (when the rules allow it) grid import."""

from __future__ import annotations

import linopy
import numpy as np

from greendc.plan.inputs import PlanInputs
from greendc.plan.parts import STEP, ModelParts, _capacity, series


def add_pv(m: linopy.Model, inputs: PlanInputs, parts: ModelParts, elastic: bool = False) -> linopy.LinearExpression:
    """PV plant: capacity ``P_pv`` [MW DC] and its available output.

    .. math::
        \\mathrm{avail}^{pv}_t = cf^{pv}_t \\, P_{pv}, \\qquad P^{min}_{pv} \\le P_{pv} \\le P^{max}_{pv}

    Variable O&M is charged on the available output (curtailment is not credited).
    Returns the available output [MW] per step.
    """
    cap = _capacity(m, inputs, "pv_mw", elastic)
    return series(parts, inputs.pv_cf) * cap


def add_wind(m: linopy.Model, inputs: PlanInputs, parts: ModelParts, elastic: bool = False) -> linopy.LinearExpression:
    """Wind farm: capacity ``P_wind`` [MW] and its available output.

    .. math:: \\mathrm{avail}^{wind}_t = cf^{wind}_t \\, P_{wind}

    Returns the available output [MW] per step.
    """
    cap = _capacity(m, inputs, "wind_mw", elastic)
    return series(parts, inputs.wind_cf) * cap


def add_grid(m: linopy.Model, inputs: PlanInputs, parts: ModelParts) -> None:
    """Grid import, only when the rules allow it.

    .. math:: 0 \\le m_t \\le M^{max}, \\qquad \\text{cost } \\frac{1}{Y} \\sum_t p^{grid} w_t m_t

    ``M^{max}`` is ``rules.grid_max_import_mw`` (no bound when None).
    """
    if not inputs.rules.grid_allowed:
        return
    limit = inputs.rules.grid_max_import_mw
    g = m.add_variables(
        lower=0.0, upper=np.inf if limit is None else limit, coords=[parts.steps], dims=[STEP], name="grid_import_mw"
    )
    parts.supply.append(g)
    price = inputs.rules.grid_price_usd_per_mwh or 0.0
    parts.operating_cost.append((series(parts, inputs.weights_h * price / inputs.horizon_years) * g).sum())


__all__ = ["add_grid", "add_pv", "add_wind"]
