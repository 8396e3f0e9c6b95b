"""The time-stepping loop of the rule-based priority policy, compiled with numba (one call per run).

Priority order of every step ``t`` (all powers are step means [MW], ``w`` the step length [h],
``ω = PUE + q_desal`` the facility power per MW of IT):

1. The scheduler offers each flexible class ``k`` three IT power levels ``lo_k ≤ mid_k ≤ hi_k``
   (:func:`greendc.operate.scheduler.allowance`).
2. Firm load first: ``L = A + ω Σ_firm r_i`` (auxiliaries ``A`` and firm IT requests ``r_i``). Then the
   flexible classes at their ``mid`` pace. The surplus is ``S = G − L − ω Σ_k mid_k`` with
   ``G = G_pv + G_wind`` the available renewable output (after forced outages).
3. Surplus (``S ≥ 0``), in this order: flexible classes up to ``hi`` (banking work), battery charge,
   electrolyser, curtailment.
4. Deficit (``S < 0``), in this order: battery discharge, fuel cell, flexible classes capped from
   ``mid`` down to ``lo`` (their minimum or what is due now), flexible classes below ``lo`` down to 0,
   and last the firm classes and auxiliaries, shed in proportion to their load.

Storage limits within a step:

.. math::
    c \\le \\min\\left(P_b a_b,\\ \\frac{E_b - k\\,soc}{\\eta_c w}\\right), \\quad
    d \\le \\min\\left(P_b a_b,\\ \\frac{\\eta_d k\\,soc}{w}\\right), \\quad
    e \\le \\min\\left(P_{el} a_{el},\\ \\frac{E_{h2} - h}{\\eta_{el} w}\\right), \\quad
    f \\le \\min\\left(P_{fc} a_{fc},\\ \\frac{\\eta_{fc} h}{w}\\right)

    soc_t = k\\,soc_{t-1} + w(\\eta_c c_t - d_t / \\eta_d), \\quad k = (1-\\sigma)^w, \\qquad
    h_t = h_{t-1} + w(\\eta_{el} e_t - f_t / \\eta_{fc})

(``a`` the available share of each fleet, from :mod:`greendc.operate.faults`; the same storage equations
as the planner's :func:`greendc.plan.storage.add_battery` and ``add_hydrogen``). Energy balance, closed
every step by construction:

.. math:: G - \\mathrm{curtailed} + d - c + f - e = \\omega \\sum_k s_k + A_{served}

Reserve headroom after the step, as the planner's reserve rule counts it:
``min(P_b a_b − d, η_d soc / 1 h) + min(P_fc a_fc − f, η_fc h / 1 h)``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from greendc.operate.scheduler import (
    allowance,
    backlog_add,
    backlog_due,
    backlog_expire,
    backlog_serve,
    power_for_work,
    work_done,
)

#: Rows of the per-step output array ``out`` of :func:`rule_based_kernel`.
OUT_ROWS: tuple[str, ...] = (
    "pv_mw",
    "wind_mw",
    "curtailed_mw",
    "battery_charge_mw",
    "battery_discharge_mw",
    "battery_soc_mwh",
    "electrolyser_mw",
    "fuel_cell_mw",
    "h2_store_mwh",
    "auxiliary_served_mw",
    "reserve_mw",
)
(PV, WIND, CURT, CHARGE, DISCHARGE, SOC, EL, FC, H2, AUX, RESERVE) = range(len(OUT_ROWS))
# numba's on-disk cache (cache=True) is keyed on this file only: after editing the scheduler functions
# that the kernel inlines, delete the ``*.nbi``/``*.nbc`` files under ``__pycache__`` to recompile.
_EPS = 1e-9


@njit(cache=True)
def close_step(
    t, wt, k, shed, c, d, e, f, curt, p, g, pv_av, wind_av, aux, firm_req, batt_p, batt_e, eta_c, eta_d,
    fc_p, h2_e, eta_el, eta_fc, flex_d_steps, cap_floor, penalty, restart_h, soc, h2, buf, head, total,
    running, debt, out, firm_served, flex_served, flex_missed, flex_backlog, flex_resumed,
):  # pragma: no cover - compiled; exercised through greendc.operate.simulate
    """Book step ``t`` once its flows are decided; shared by every dispatch kernel.

    Serves the firm classes and auxiliaries less the shed share ``shed`` [-], runs the flexible classes at
    ``p`` [MW] (capping, restarts, backlog, deadlines: :mod:`greendc.operate.scheduler`), updates the
    storage levels (module equations) and writes the output rows, curtailment ``curt`` [MW] shared between
    PV and wind in proportion to their available output ``g`` [MW]. Returns the new ``(soc, h2)`` [MWh].
    """
    for i in range(firm_req.shape[0]):
        firm_served[i, t] = firm_req[i, t] * (1.0 - shed)
    out[AUX, t] = aux[t] * (1.0 - shed)
    for j in range(p.shape[0]):
        work, running[j], resumed, debt[j] = work_done(
            p[j], running[j], debt[j], wt, cap_floor[j], penalty[j], restart_h[j]
        )
        backlog_serve(buf, head, total, j, t, work)
        flex_missed[j, t] = backlog_expire(buf, head, total, j, t, flex_d_steps[j]) / wt
        flex_served[j, t] = p[j]
        flex_backlog[j, t] = total[j]
        flex_resumed[j, t] = resumed
    soc = min(max(k * soc + wt * (eta_c * c - d / eta_d), 0.0), batt_e)
    h2 = min(max(h2 + wt * (eta_el * e - f / eta_fc), 0.0), h2_e)
    pv_share = pv_av[t] / g if g > 0.0 else 0.0
    out[PV, t] = pv_av[t] - curt * pv_share
    out[WIND, t] = wind_av[t] - curt * (1.0 - pv_share)
    out[CURT, t] = curt
    out[CHARGE, t] = c
    out[DISCHARGE, t] = d
    out[SOC, t] = soc
    out[EL, t] = e
    out[FC, t] = f
    out[H2, t] = h2
    out[RESERVE, t] = max(min(batt_p[t] - d, eta_d * soc), 0.0) + max(min(fc_p[t] - f, eta_fc * h2), 0.0)
    return soc, h2


@njit(cache=True)
def rule_based_kernel(
    w, pv_av, wind_av, overhead, aux,
    firm_req,
    flex_req, flex_min, flex_max, flex_d_steps, flex_forecast_mwh,
    cap_floor, penalty, restart_h,
    batt_p, batt_e, eta_c, eta_d, keep,
    el_p, h2_e, eta_el, fc_p, eta_fc,
    start, stop,
    storage, buf, head, total, running, debt,
    out, firm_served, flex_served, flex_missed, flex_backlog, flex_resumed,
):  # pragma: no cover - compiled; exercised through greendc.operate.simulate
    """Run the rule-based policy over steps ``[start, stop)``; see the module docstring.

    Parameters (arrays of ``n`` steps unless said; MW are step means)
    ----------
    w : step lengths [h]; pv_av, wind_av : available output [MW]; overhead : ``PUE + q_desal`` [-];
    aux : auxiliaries [MW]; firm_req : (n_firm, n) firm IT requests [MW]; flex_req, flex_min, flex_max :
    (n_flex, n) flexible requests and envelope [MW]; flex_d_steps : (n_flex,) deadlines [steps];
    flex_forecast_mwh : (n_flex, n) forecast renewable surplus over each class's deadline [MWh];
    cap_floor, penalty, restart_h : (n_flex,) scheduler parameters; batt_p, el_p, fc_p : available power
    ratings [MW]; batt_e, h2_e : energy capacities [MWh]; eta_* : efficiencies [-]; keep : per-step
    self-discharge factor [-]; storage : [soc, h2] at the start [MWh], updated in place; buf, head,
    total, running, debt : scheduler state, updated in place; out, firm_served, flex_* : outputs, written for
    the steps of the block.
    """
    n_firm = firm_req.shape[0]
    n_flex = flex_req.shape[0]
    soc = storage[0]
    h2 = storage[1]
    lo = np.zeros(n_flex)
    mid = np.zeros(n_flex)
    hi = np.zeros(n_flex)
    p = np.zeros(n_flex)
    for t in range(start, stop):
        wt = w[t]
        ov = overhead[t]
        # 1. scheduler: new work joins the backlogs, then the offered power levels
        total_backlog = 0.0
        for j in range(n_flex):
            backlog_add(buf, total, j, t, flex_req[j, t] * wt)
            total_backlog += total[j]
        for j in range(n_flex):
            share = total[j] / total_backlog if total_backlog > _EPS else 0.0
            f_it = flex_forecast_mwh[j, t] / ov * share
            due = backlog_due(buf, head, j, t, flex_d_steps[j])
            due_mw = power_for_work(due, running[j], debt[j], wt, restart_h[j], flex_max[j, t])
            a_lo, a_mid, a_hi = allowance(
                total[j], due_mw, flex_min[j, t], flex_max[j, t], wt, flex_d_steps[j] * wt, f_it
            )
            lo[j] = a_lo
            mid[j] = a_mid
            hi[j] = a_hi
            p[j] = a_mid
        # 2. firm load, then flexible classes at their pace
        g = pv_av[t] + wind_av[t]
        firm_it = 0.0
        for i in range(n_firm):
            firm_it += firm_req[i, t]
        load_firm = aux[t] + ov * firm_it
        s = g - load_firm
        for j in range(n_flex):
            s -= ov * mid[j]
        c = 0.0
        d = 0.0
        e = 0.0
        f = 0.0
        curt = 0.0
        shed = 0.0
        k = keep[t]
        if s >= 0.0:
            # 3. surplus: flexible up to hi, battery, electrolyser, curtail
            for j in range(n_flex):
                x = min((hi[j] - mid[j]) * ov, s)
                p[j] += x / ov
                s -= x
            cmax = max(min(batt_p[t], (batt_e - k * soc) / (eta_c * wt)), 0.0)
            c = min(cmax, s)
            s -= c
            emax = max(min(el_p[t], (h2_e - h2) / (eta_el * wt)), 0.0)
            e = min(emax, s)
            s -= e
            curt = s
        else:
            # 4. deficit: battery, fuel cell, flexible to lo, flexible to 0, firm last
            deficit = -s
            dmax = max(min(batt_p[t], eta_d * k * soc / wt), 0.0)
            d = min(dmax, deficit)
            deficit -= d
            fmax = max(min(fc_p[t], eta_fc * h2 / wt), 0.0)
            f = min(fmax, deficit)
            deficit -= f
            for j in range(n_flex):
                cut = min((p[j] - lo[j]) * ov, deficit)
                p[j] -= cut / ov
                deficit -= cut
            for j in range(n_flex):
                cut = min(p[j] * ov, deficit)
                p[j] -= cut / ov
                deficit -= cut
            if deficit > _EPS and load_firm > 0.0:
                shed = min(deficit / load_firm, 1.0)
        soc, h2 = close_step(
            t, wt, k, shed, c, d, e, f, curt, p, g, pv_av, wind_av, aux, firm_req, batt_p, batt_e, eta_c, eta_d,
            fc_p, h2_e, eta_el, eta_fc, flex_d_steps, cap_floor, penalty, restart_h, soc, h2, buf, head, total,
            running, debt, out, firm_served, flex_served, flex_missed, flex_backlog, flex_resumed,
        )
    storage[0] = soc
    storage[1] = h2
