"""Concentrating solar power in the design LP: solar field, thermal storage and power block.

Built only when :attr:`~greendc.plan.inputs.PlanInputs.csp` (a :class:`~greendc.plan.inputs.CspSpec`) is
given (the scenario's ``technologies.csp.enabled``); without it the LP has no CSP variable, so the default plan and the
rolling-horizon dispatch (which reuse :func:`greendc.plan.model.build_model`) are unchanged.

Notation (per step ``t``; ``w_t`` [h] step length):

* capacities: ``P_f`` solar field [MW_th at the design point, aperture × 950 W/m²], ``E_s`` thermal storage
  [MWh_th], ``P_pb`` power block [MW_e];
* dispatch: ``q_t`` heat into the power block [MW_th], ``x_t`` heat dumped (mirrors defocused) [MW_th];
  level ``s_t`` heat in storage at the end of the step [MWh_th].

The structure is PyPSA's for CSP (a heat bus with the field as a generator, the storage as a store and the
power block as a link, as in the TRACE model and PyPSA-Eur's 'csp-tower' components) written as rows.
"""

from __future__ import annotations

import linopy

from greendc.plan.inputs import PlanInputs
from greendc.plan.parts import ModelParts, _capacity, level_change, series, step_variable


def add_csp(m: linopy.Model, inputs: PlanInputs, parts: ModelParts, elastic: bool = False) -> None:
    """CSP plant: solar field ``P_f``, thermal storage ``E_s`` and power block ``P_pb``, sized independently.

    .. math::
        s_t = (1 - \\sigma)^{w_t} s_{t-1} + w_t \\big(cf^{csp}_t P_f - x_t - q_t\\big),
        \\quad s_{-1} = s_{T-1} \\ \\text{(cyclic) or } s^{init}

        0 \\le s_t \\le E_s, \\quad x_t \\ge 0, \\quad q_t \\ge 0, \\quad
        \\eta_{pb} \\, q_t \\le P_{pb}

    The field's heat ``cf_t P_f`` goes to the power block (``q_t``), into or out of storage (the change of
    ``s``), or is dumped (``x_t``, mirrors defocused); with ``E_s = 0`` it reduces to ``q_t + x_t =
    cf_t P_f``. The block's electric output ``η_pb q_t`` joins the supply side of the bus balance.
    ``σ`` is the storage's heat loss per hour. Costs: rows ``csp_field`` (per MW_th,dp), ``csp_storage``
    (per MWh_th) and ``csp_power_block`` (per MW_e; its variable O&M on ``η_pb q_t``).
    """
    spec = inputs.csp
    if spec is None:
        return
    p_f = _capacity(m, inputs, "csp_field_mw_th", elastic)
    e_s = _capacity(m, inputs, "csp_storage_mwh_th", elastic)
    p_pb = _capacity(m, inputs, "csp_power_block_mw", elastic)
    q = step_variable(m, parts, "csp_heat_to_block_mw_th")
    x = step_variable(m, parts, "csp_dumped_mw_th")
    s = step_variable(m, parts, "csp_storage_mwh_th")
    w = inputs.weights_h
    change, start = level_change(parts, s, (1.0 - spec.storage_loss_per_hour) ** w, spec.initial_storage_mwh_th)
    m.add_constraints(
        change - series(parts, w * spec.thermal_cf) * p_f + series(parts, w) * x + series(parts, w) * q == start,
        name="csp_storage_balance",
    )
    m.add_constraints(s - e_s <= 0.0, name="csp_storage_limit")
    m.add_constraints(spec.power_block_efficiency * q - p_pb <= 0.0, name="csp_power_block_limit")
    parts.supply.append(spec.power_block_efficiency * q)
    row = inputs.costs.get("csp_power_block")
    vom = row.vom_usd_per_mwh if row is not None else 0.0
    if vom:
        parts.operating_cost.append(
            (series(parts, w * vom * spec.power_block_efficiency / inputs.horizon_years) * q).sum()
        )


__all__ = ["add_csp"]
