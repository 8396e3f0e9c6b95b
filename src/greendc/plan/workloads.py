"""IT workload classes in the design LP: firm and flexible (backlog) classes and the facility load they cause.

Notation and references: :mod:`greendc.plan.model`."""

from __future__ import annotations

import linopy
import numpy as np

from greendc.plan.inputs import PlanInputs, WorkloadInput
from greendc.plan.parts import ModelParts, level_change, series


def backlog_window_mwh(workload: WorkloadInput, weights_h: np.ndarray) -> np.ndarray:
    """Work requested in the ``deadline_hours`` before the end of each step, cyclic [MWh].

    .. math:: W_t = R(\\tau_t) - R(\\tau_t - D), \\quad R(\\tau) = \\int_0^{\\tau} r \\, d\\tau'

    with ``τ_t`` the end of step ``t`` [h], ``r`` piecewise constant and ``R`` extended periodically
    before the start (the horizon is cyclic). With an initial backlog ``b_0`` (non-cyclic), that work is
    taken as requested evenly over the ``D`` hours before the start: ``R(τ) = b_0 τ / D`` for
    ``-D ≤ τ ≤ 0``.
    """
    w = weights_h
    energy = workload.requested_mw * w
    end_h = np.cumsum(w)
    total_h, total_e = end_h[-1], energy.sum()
    cum_e = np.cumsum(energy)
    if workload.initial_backlog_mwh is not None:
        b0, d_h = workload.initial_backlog_mwh, workload.deadline_hours
        start_h = end_h - d_h
        knots_h = np.concatenate([[-d_h, 0.0], end_h])
        knots_e = np.concatenate([[-b0, 0.0], cum_e])
        return np.maximum(cum_e - np.interp(start_h, knots_h, knots_e), 0.0)
    # cumulative curve on [-total_h, total_h] (one period before the start), breakpoints at step ends
    knots_h = np.concatenate([[-total_h], end_h - total_h, end_h])
    knots_e = np.concatenate([[-total_e], cum_e - total_e, cum_e])
    start_h = end_h - min(workload.deadline_hours, total_h)
    return np.maximum(cum_e - np.interp(start_h, knots_h, knots_e), 0.0)


def add_workloads(m: linopy.Model, inputs: PlanInputs, parts: ModelParts, elastic: bool = False) -> None:
    """IT workload classes and the facility load they cause.

    Firm class ``k`` (served when requested, ``r_{k,t}``): ``s_{k,t} = r_{k,t} - u_{k,t}``, with
    ``0 ≤ u ≤ r`` when the class has a value of lost load or the reliability target is below 1, else
    ``u = 0``. Flexible class (backlog formulation):

    .. math::
        b_{k,t} = b_{k,t-1} + w_t (r_{k,t} - s_{k,t} - u_{k,t}), \\quad b_{k,-1} = b_{k,T-1}
        \\ \\text{(cyclic) or } b^{init}_k

        s^{min}_{k,t} \\le s_{k,t} \\le s^{max}_{k,t}, \\quad 0 \\le b_{k,t} \\le W_{k,t}

    where ``W`` is the work requested in the last ``D_k`` hours (:func:`backlog_window_mwh`): whatever
    is still waiting was requested less than ``D_k`` hours ago, i.e. every MWh is done by its deadline.
    Unserved flexible work (priced) is dropped when requested, ``0 ≤ u_{k,t} ≤ r_{k,t}`` (``+ b^{init}_k /
    w_0`` in the first step). Facility load:

    .. math:: L_t = \\sum_k s_{k,t} (PUE_t + q^{desal}_t) + A_t

    (``q^{desal}`` left out when :func:`~greendc.plan.storage.add_water` charges the desalination by its
    production).

    Unserved energy costs ``VOLL_k`` per MWh; with a reliability target ``ρ < 1``:
    ``Σ_{firm k,t} w_t u_{k,t} ≤ (1 - ρ) Σ_{firm k,t} w_t r_{k,t}``.
    """
    w = inputs.weights_h
    overhead = inputs.it_overhead
    overhead_da = series(parts, overhead)
    const = inputs.auxiliary_mw.astype(float).copy()
    rho = inputs.rules.reliability_target
    firm_unserved = []
    firm_requested_mwh = 0.0
    for wl in inputs.workloads:
        voll = wl.value_of_lost_load_usd_per_mwh
        if not wl.flexible:
            firm_requested_mwh += float((wl.requested_mw * w).sum())
            const += wl.requested_mw * overhead
            if voll is not None or rho < 1.0:
                u = m.add_variables(lower=0.0, upper=series(parts, wl.requested_mw), name=f"unserved_{wl.name}_mw")
                parts.facility.append(-1.0 * overhead_da * u)
                firm_unserved.append(u)
                if voll:
                    parts.operating_cost.append((series(parts, w * voll / inputs.horizon_years) * u).sum())
            continue
        s = m.add_variables(lower=series(parts, wl.min_mw), upper=series(parts, wl.max_mw), name=f"it_{wl.name}_mw")
        b = m.add_variables(lower=0.0, upper=series(parts, backlog_window_mwh(wl, w)), name=f"backlog_{wl.name}_mwh")
        change, start = level_change(parts, b, np.ones_like(w), wl.initial_backlog_mwh)
        lhs = change + series(parts, w) * s
        if voll is not None or elastic:
            # work is dropped when requested (never later: that would only tighten the backlog); an initial
            # backlog may be dropped in the first step
            u = m.add_variables(
                lower=0.0,
                upper=series(parts, wl.requested_mw) + start / series(parts, w),
                name=f"unserved_{wl.name}_mw",
            )
            lhs = lhs + series(parts, w) * u
            if elastic and voll is None:
                parts.slack_cost.append((series(parts, w / inputs.horizon_years) * u).sum())
            elif voll:
                parts.operating_cost.append((series(parts, w * voll / inputs.horizon_years) * u).sum())
        m.add_constraints(lhs == series(parts, w * wl.requested_mw) + start, name=f"backlog_balance_{wl.name}")
        parts.facility.append(overhead_da * s)
    parts.facility_const = const
    if firm_unserved and rho < 1.0:
        total = sum((series(parts, w) * u).sum() for u in firm_unserved)
        allowed = (1.0 - rho) * firm_requested_mwh
        if elastic:
            excess = m.add_variables(lower=0.0, name="excess_unserved_mwh")
            m.add_constraints(total - excess <= allowed, name="reliability")
            parts.slack_cost.append(excess / inputs.horizon_years)
        else:
            m.add_constraints(total <= allowed, name="reliability")


__all__ = ["add_workloads", "backlog_window_mwh"]
