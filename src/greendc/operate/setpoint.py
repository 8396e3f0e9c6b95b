"""Real-time balancing of the rolling-horizon policy: apply a window's set-points to the actual weather,
outages and workload (see :mod:`greendc.operate.rolling`)."""

from __future__ import annotations

import numpy as np
from numba import njit

from greendc.operate.kernel import AUX, csp_step, held_share, restart_step, store_step
from greendc.operate.scheduler import (
    backlog_add,
    backlog_due,
    backlog_expire,
    backlog_serve,
    power_for_work,
    work_done,
)

_EPS = 1e-9


@njit(cache=True)
def _less(x: float, r: float) -> tuple[float, float]:
    """Take up to ``r`` off ``x``: ``(x − y, r − y)``, ``y = min(x, r)``."""
    y = min(x, r)
    return x - y, r - y


@njit(cache=True)
def _more(x: float, x_max: float, r: float) -> tuple[float, float]:
    """Add up to ``r`` to ``x`` within ``x_max``: ``(x + y, r − y)``, ``y = min(x_max − x, r)``."""
    y = max(min(x_max - x, r), 0.0)
    return x + y, r - y


@njit(cache=True)
def setpoint_kernel(
    w,
    pv_av,
    wind_av,
    overhead,
    aux,
    firm_req,
    flex_req,
    flex_min,
    flex_max,
    flex_d_steps,
    cap_floor,
    penalty,
    restart_h,
    batt_p,
    batt_e,
    eta_c,
    eta_d,
    keep,
    el_p,
    h2_e,
    eta_el,
    fc_p,
    eta_fc,
    csp_heat,
    csp_e,
    csp_keep,
    csp_pb,
    eta_pb,
    trip,
    it_cap,
    firm_restart_h,
    plan,
    start,
    stop,
    storage,
    buf,
    head,
    total,
    running,
    debt,
    restart,
    out,
    firm_served,
    flex_served,
    flex_missed,
    flex_backlog,
    flex_resumed,
):  # pragma: no cover - compiled; exercised through RollingHorizonPolicy
    """Apply the set-points ``plan[:, t − start]`` to steps ``[start, stop)``, balancing in real time.

    Arguments as in :func:`greendc.operate.kernel.rule_based_kernel` (site trips, the cooling limit and the
    restart of shed IT included, items 0 and 6 there; the plan's firm reserves are not held: the window LP
    decides), plus ``plan`` (5 + n_flex, ≥ stop − start): battery charge and discharge, electrolyser, fuel
    cell, CSP power-block output, flexible IT power [MW]. Flexible power is its set-point within the
    scheduler's ``[lo, hi]`` (must run: the minimum power and the work due now; at most the envelope, the
    backlog and the cooling limit); storage flows and the block's output are
    clipped to the rule-based kernel's limits (``y ≤ min(P_pb, η_pb (cf P_f + k_s s / w))``); the mismatch
    is balanced in the order of :mod:`greendc.operate.rolling`, the block's output raised before the battery
    in a shortfall and, in a surplus, lowered after the battery discharge but never below what runs on field
    heat the storage cannot take; storage (the CSP heat with
    :func:`~greendc.operate.kernel.csp_step`), scheduler and outputs are updated as in the rule-based kernel.
    """
    n_flex = flex_req.shape[0]
    soc = storage[0]
    h2 = storage[1]
    s_th = storage[2]
    down = restart[0]
    down_left = restart[1]
    lo = np.zeros(n_flex)
    p = np.zeros(n_flex)
    plant = (pv_av, wind_av, batt_p, batt_e, eta_c, eta_d, fc_p, h2_e, eta_el, eta_fc)
    for t in range(start, stop):
        i = t - start
        wt = w[t]
        ov = overhead[t]
        k = keep[t]
        firm_it = firm_req[:, t].sum()
        held, it_room = held_share(firm_it, down, down_left, trip[t], it_cap[t])
        for j in range(n_flex):
            backlog_add(buf, total, j, t, flex_req[j, t] * wt)
        for j in range(n_flex):
            due = backlog_due(buf, head, j, t, flex_d_steps[j])
            due_mw = power_for_work(due, running[j], debt[j], wt, restart_h[j], flex_max[j, t])
            hi = max(min(flex_max[j, t], total[j] / wt, it_room * (1.0 - held)), 0.0)
            it_room = max(it_room - hi, 0.0)
            lo[j] = min(max(flex_min[j, t], due_mw), hi)
            p[j] = max(min(max(plan[5 + j, i], lo[j]), hi), 0.0)
            if p[j] <= 0.0:  # no negative zero from the solver's round-off
                p[j] = 0.0
        g = pv_av[t] + wind_av[t]
        load_firm = (aux[t] + ov * firm_it) * (1.0 - held)
        cmax = max(min(batt_p[t], (batt_e - k * soc) / (eta_c * wt)), 0.0)
        dmax = max(min(batt_p[t], eta_d * k * soc / wt), 0.0)
        emax = max(min(el_p[t], (h2_e - h2) / (eta_el * wt)), 0.0)
        fmax = max(min(fc_p[t], eta_fc * h2 / wt), 0.0)
        c = min(max(plan[0, i], 0.0), cmax)
        d = min(max(plan[1, i], 0.0), dmax)
        e = min(max(plan[2, i], 0.0), emax)
        f = min(max(plan[3, i], 0.0), fmax)
        # CSP block: at most its rating and the heat of the field and the storage; at least, in a surplus,
        # what runs on field heat the storage cannot take (that heat is dumped otherwise)
        qf = csp_heat[t]
        ks = csp_keep[t]
        ymax = max(min(csp_pb[t], eta_pb * (qf + ks * s_th / wt)), 0.0)
        yspill = min(max(eta_pb * (qf - max((csp_e - ks * s_th) / wt, 0.0)), 0.0), ymax)
        y = min(max(plan[4, i], 0.0), ymax)
        can_supply = g + dmax + fmax + ymax
        r = g + y + d + f - c - e - load_firm - ov * p.sum()
        curt = 0.0
        shed = 0.0
        if r >= 0.0:  # more than planned: less fuel cell and discharge, more storage, then curtail
            f, r = _less(f, r)
            d, r = _less(d, r)
            if y > yspill:
                x, r = _less(y - yspill, r)
                y = yspill + x
            c, r = _more(c, cmax, r)
            e, r = _more(e, emax, r)
            curt = r
        else:  # less: stop storing, discharge more, cap flexible work to lo, then below, shed firm last
            r = -r
            e, r = _less(e, r)
            c, r = _less(c, r)
            y, r = _more(y, ymax, r)
            d, r = _more(d, dmax, r)
            f, r = _more(f, fmax, r)
            for j in range(n_flex):
                x, r = _less((p[j] - lo[j]) * ov, r)
                p[j] = lo[j] + x / ov
            for j in range(n_flex):
                x, r = _less(p[j] * ov, r)
                p[j] = x / ov
            if r > _EPS and load_firm > 0.0:
                shed = min(r / load_firm, 1.0)
        # serve the firm classes and auxiliaries less the shed share; run the flexible classes at p (capping,
        # restarts, backlog, deadlines); written out as in kernel.py (see store_step there)
        cut, down, down_left = restart_step(
            held, shed, trip[t], down, down_left, can_supply, aux[t] + ov * min(firm_it, it_cap[t]), wt, firm_restart_h
        )
        for i in range(firm_req.shape[0]):
            firm_served[i, t] = firm_req[i, t] * (1.0 - cut)
        out[AUX, t] = aux[t] * (1.0 - cut)
        for j in range(n_flex):
            work, running[j], resumed, debt[j] = work_done(
                p[j], running[j], debt[j], wt, cap_floor[j], penalty[j], restart_h[j]
            )
            backlog_serve(buf, head, total, j, t, work)
            flex_missed[j, t] = backlog_expire(buf, head, total, j, t, flex_d_steps[j]) / wt
            flex_served[j, t] = p[j]
            flex_backlog[j, t] = total[j]
            flex_resumed[j, t] = resumed
        soc, h2 = store_step(t, wt, k, c, d, e, f, curt, g, soc, h2, plant, out)
        s_th = csp_step(t, wt, y, qf, ks, s_th, csp_e, eta_pb, out)
    storage[0] = soc
    storage[1] = h2
    storage[2] = s_th
    restart[0] = down
    restart[1] = down_left


__all__ = ["setpoint_kernel"]
