"""The time-stepping loop of the rule-based priority policy, compiled with numba (one call per run).

Priority order of every step ``t`` (all powers are step means [MW], ``w`` the step length [h],
``ω = PUE + q_desal`` the facility power per MW of IT):

0. What cannot run: while the site supply is tripped (a common-mode failure, ``trip_t > 0``) the whole load
   is down; IT shed in an earlier step stays down for the restart time ``τ`` once the supply is back (share
   ``h`` held); IT above what the cooling plant can carry (``it_cap``) is shed, firm last.
1. The scheduler offers each flexible class ``k`` three IT power levels ``lo_k ≤ mid_k ≤ hi_k``
   (:func:`greendc.operate.scheduler.allowance`), within the cooling limit.
2. Firm load first: ``L = (1 − h)(A + ω Σ_firm r_i)`` (auxiliaries ``A`` and firm IT requests ``r_i``). Then
   the flexible classes at their ``mid`` pace. The surplus is ``S = G − L − ω Σ_k mid_k`` with
   ``G = G_pv + G_wind`` the available renewable output (after forced outages).
3. Deficit first met by the CSP power block (dispatchable): ``y_t = min(−S, P_pb, η_pb (cf^{csp}_t P_f +
   k_s s_{t-1} / w))`` from the field's heat, then from its storage; ``S ← S + y_t``.
4. Surplus (``S ≥ 0``), in this order: the battery back up to its reserve level ``R_b``, PV and wind raise
   the flexible classes up to ``hi`` (banking work), charge the battery, run the electrolyser, and the rest
   is curtailed; then the power block runs on field heat it does not use yet (never on stored heat), within
   ``P_pb``, to raise the flexible classes further towards ``hi``, and on field heat the storage cannot take
   (it would be dumped) to charge the battery and run the electrolyser.
5. Deficit (``S < 0``), in this order: battery discharge down to its reserve ``R_b`` and fuel cell on the
   hydrogen above its reserve ``R_h`` (fuel cell first with ``fc_first``), flexible classes capped from
   ``mid`` down to ``lo`` (their minimum or what is due now), flexible classes below ``lo`` down to 0, then
   the reserves (battery and fuel cell below ``R_b`` and ``R_h``, which serve the firm load alone), and last
   the firm classes and auxiliaries, shed in proportion to their load. With ``R_b = R_h = 0`` and no
   ``fc_first`` this is the plain priority order battery, fuel cell, flexible, firm.
6. Restart: a step that sheds firm load (or a trip) sets the held share ``h`` to the share down and the
   restart clock to ``τ``; each later step without new shedding in which the plant could carry the whole
   firm load (renewables, battery, fuel cell and CSP block at what their ratings and levels allow) runs the
   clock down by ``w``, a step in which it could not sets it back to ``τ``; while it runs the share ``h``
   stays down (a blackout of ``k`` steps therefore lasts ``k w + τ``). IT held back by the cooling limit
   (item 0) is an orderly reduction and starts no restart.

Concentrating solar power, with the planner's notation (:func:`greendc.plan.csp.add_csp`): field ``P_f``
[MW_th at the design point], thermal storage ``E_s`` [MWh_th], power block ``P_pb`` [MW] of efficiency
``η_pb``, storage heat loss ``σ_s`` [1/h]. The field collects ``cf^{csp}_t P_f`` [MW_th] (``csp_th_cf``
profile); it goes to the power block (``q_t`` [MW_th], output ``y_t = η_pb q_t`` [MW]), into or out of
storage, or is dumped (``x_t`` [MW_th], mirrors defocused):

.. math::
    s_t = k_s s_{t-1} + w\\,(cf^{csp}_t P_f - x_t - q_t), \\quad k_s = (1 - σ_s)^w, \\quad
    0 \\le s_t \\le E_s, \\quad y_t = η_{pb} q_t \\le P_{pb}

The block draws the field's heat first and the storage only for the rest, so heat is never stored and
withdrawn in the same step. Field heat the block does not take goes into storage up to ``E_s``; the rest is
dumped (``x_t``, reported apart from the electric curtailment, which is PV and wind only). Why this order:
the CSP heat is already collected (or stored) and is lost if left (dumped, or by the standing loss), while
the battery and the hydrogen store are the short-notice reserve the reserve rule counts, so the
dispatchable CSP output comes before them in a deficit. In a surplus the block does not run on stored heat
(that heat is kept for the night) and never while PV or wind is curtailed; the field's heat of the day
does the flexible work that PV and wind leave waiting, as PV surplus would (without it the scheduler's
backlog waits for the night, when the block's rating ``P_pb`` caps what the stored heat can serve). The
CSP plant has no forced-outage model: its field and block are always available.

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

.. math:: G - \\mathrm{curtailed} + y + d - c + f - e = \\omega \\sum_k s_k + A_{served}

(``y`` the CSP block's output, 0 without CSP; the CSP heat balance is the equation of ``s_t`` above.)

Reserve headroom after the step, as the planner's reserve rule counts it (CSP not counted):
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
    "h2_level_mwh",
    "auxiliary_served_mw",
    "reserve_mw",
    "csp_mw",
    "csp_storage_mwh_th",
    "csp_dumped_mw_th",
)
(PV, WIND, CURT, CHARGE, DISCHARGE, SOC, EL, FC, H2, AUX, RESERVE, CSP, CSP_S, CSP_X) = range(len(OUT_ROWS))
# numba's on-disk cache (cache=True) is keyed on this file only: after editing the scheduler functions
# that the kernel inlines, delete the ``*.nbi``/``*.nbc`` files under ``__pycache__`` to recompile.
_EPS = 1e-9


# The storage bookkeeping of a step, shared by both kernels, is inlined into their loops (numba IR
# inlining; the plant's ten arrays and parameters travel in one tuple). Serving the loads is written out in
# each kernel instead: as a shared function (called, or inlined like this one) the kernel took 7 to 15 times
# as long (3 ms → 22-50 ms for a 5-minute year of ``benchmarks/bench_simulate.py``'s microgrid), numba no
# longer optimising the loop around it. Measured again with numba 0.68: a shared serving function with its
# loops over the classes, inlined or called, arrays passed one by one or in tuples, still took 2.5 to 4
# times as long (microgrid 4 → 12-16 ms, Dakhla-like 5-minute year 7-9 → 15-22 ms); a loop-free inlined
# function such as this one costs nothing measurable.
@njit(cache=True, inline="always")
def store_step(t, wt, k, c, d, e, f, curt, g, soc, h2, plant, out):  # pragma: no cover - compiled
    """Update the storage levels of step ``t`` (module equations) and write its supply and storage rows;
    curtailment ``curt`` [MW] is shared between PV and wind in proportion to their available output ``g``
    [MW]. ``plant`` is ``(pv_av, wind_av, batt_p, batt_e, eta_c, eta_d, fc_p, h2_e, eta_el, eta_fc)``, as in
    :func:`rule_based_kernel`. Returns the new ``(soc, h2)`` [MWh]; shared by every dispatch kernel."""
    pv_av, wind_av, batt_p, batt_e, eta_c, eta_d, fc_p, h2_e, eta_el, eta_fc = plant
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


@njit(cache=True, inline="always")
def csp_step(t, wt, y, qf, ks, s_th, csp_e, eta_pb, out):  # pragma: no cover - compiled
    """Update the CSP heat of step ``t`` (module equations) and write its CSP rows: the block's output ``y``
    [MW] draws the field heat ``qf`` [MW_th] first and the storage for the rest; field heat it leaves goes
    into storage up to ``csp_e`` [MWh_th] and the rest is dumped. ``ks`` is the storage's keep factor over
    the step. Returns the new level ``s_th`` [MWh_th]; shared by every dispatch kernel."""
    room = max((csp_e - ks * s_th) / wt, 0.0)
    q = y / eta_pb if eta_pb > 0.0 else 0.0
    from_field = min(q, qf)
    in_th = min(qf - from_field, room)
    x_th = qf - from_field - in_th
    s_th = min(max(ks * s_th + wt * (in_th - (q - from_field)), 0.0), csp_e)
    out[CSP, t] = y
    out[CSP_S, t] = s_th
    out[CSP_X, t] = x_th
    return s_th


@njit(cache=True, inline="always")
def held_share(firm_it, down, down_left, trip_t, it_cap_t):  # pragma: no cover - compiled
    """Step 0 of both kernels: the share ``h`` of the firm IT load that cannot run this step (site tripped,
    IT still restarting, IT above the cooling limit) and the IT power left for the flexible classes [-, MW];
    shared by every dispatch kernel."""
    held = down if down_left > _EPS else 0.0
    if trip_t > 0.0:
        held = 1.0
    if firm_it * (1.0 - held) > it_cap_t:
        held = 1.0 - it_cap_t / firm_it
    return held, (0.0 if held >= 1.0 else max(it_cap_t - firm_it * (1.0 - held), 0.0))


@njit(cache=True, inline="always")
def restart_step(held, shed, trip_t, down, down_left, can_supply, need, wt, tau):  # pragma: no cover - compiled
    """Step 6 of both kernels: the share of the firm load cut this step (held, plus the share ``shed`` of the
    rest) and the new restart state ``(down, down_left)``: a new shedding or trip sets the clock to ``tau``
    [h]; without one, the clock runs down by ``wt`` when the plant could deliver ``can_supply ≥ need`` [MW],
    else it is set back to ``tau``; shared by every dispatch kernel."""
    cut = held + (1.0 - held) * shed
    if shed > _EPS or trip_t > 0.0:
        return cut, cut, tau
    if down_left > _EPS:
        return cut, down, down_left - wt if can_supply >= need - _EPS else tau
    return cut, down, down_left


@njit(cache=True)
def rule_based_kernel(
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
    flex_forecast_mwh,
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
    batt_res,
    h2_res,
    fc_first,
    trip,
    it_cap,
    firm_restart_h,
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
    self-discharge factor [-]; csp_heat : field heat ``cf^{csp}_t P_f`` [MW_th]; csp_e : ``E_s`` [MWh_th];
    csp_keep : ``k_s = (1 − σ_s)^w`` [-]; csp_pb : ``P_pb`` [MW]; eta_pb : ``η_pb`` [-]; batt_res, h2_res :
    reserve levels ``R_b``, ``R_h`` kept for the firm load [MWh]; fc_first : fuel cell before battery in a
    deficit (bool); trip : share of each step the site supply is tripped [-]; it_cap : IT power the cooling
    plant can carry [MW]; firm_restart_h : ``τ`` [h]; storage : [soc, h2, s] at the start [MWh, MWh,
    MWh_th], updated in place; buf, head, total, running, debt : scheduler state, updated in place; restart :
    [share of the firm load down, hours of restart left], updated in place; out, firm_served, flex_* :
    outputs, written for the steps of the block.
    """
    n_firm = firm_req.shape[0]
    n_flex = flex_req.shape[0]
    soc = storage[0]
    h2 = storage[1]
    s_th = storage[2]
    down = restart[0]
    down_left = restart[1]
    lo = np.zeros(n_flex)
    mid = np.zeros(n_flex)
    hi = np.zeros(n_flex)
    p = np.zeros(n_flex)
    plant = (pv_av, wind_av, batt_p, batt_e, eta_c, eta_d, fc_p, h2_e, eta_el, eta_fc)
    for t in range(start, stop):
        wt = w[t]
        ov = overhead[t]
        # 0. what cannot run this step: a tripped site, IT still restarting, IT above the cooling limit
        firm_it = 0.0
        for i in range(n_firm):
            firm_it += firm_req[i, t]
        held, it_room = held_share(firm_it, down, down_left, trip[t], it_cap[t])
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
            hi[j] = min(a_hi, it_room * (1.0 - held))
            mid[j] = min(a_mid, hi[j])
            lo[j] = min(a_lo, hi[j])
            p[j] = mid[j]
            it_room = max(it_room - hi[j], 0.0)
        # 2. firm load (less what cannot run), then flexible classes at their pace
        g = pv_av[t] + wind_av[t]
        load_firm = (aux[t] + ov * firm_it) * (1.0 - held)
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
        # 3. CSP: field heat qf, level ks·s_th before the step's flows; block output y from qf, then storage
        qf = csp_heat[t]
        ks = csp_keep[t]
        room = max((csp_e - ks * s_th) / wt, 0.0)
        # what the plant could deliver this step: the restart clock runs only once this carries the firm load
        can_supply = (
            g
            + max(min(batt_p[t], eta_d * k * soc / wt), 0.0)
            + max(min(fc_p[t], eta_fc * h2 / wt), 0.0)
            + (max(min(csp_pb[t], eta_pb * (qf + ks * s_th / wt)), 0.0) if eta_pb > 0.0 else 0.0)
        )
        y = 0.0
        if s < 0.0 and eta_pb > 0.0:
            y = max(min(-s, csp_pb[t], eta_pb * (qf + ks * s_th / wt)), 0.0)
            s += y
        y0 = y
        if s >= 0.0:
            # 4. surplus: battery up to its reserve, flexible up to hi, battery, electrolyser, curtail
            cmax = max(min(batt_p[t], (batt_e - k * soc) / (eta_c * wt)), 0.0)
            c = min(max(min(cmax, (batt_res - k * soc) / (eta_c * wt)), 0.0), s)
            s -= c
            for j in range(n_flex):
                x = min((hi[j] - mid[j]) * ov, s)
                p[j] += x / ov
                s -= x
            x = min(cmax - c, s)
            c += x
            s -= x
            emax = max(min(el_p[t], (h2_e - h2) / (eta_el * wt)), 0.0)
            e = min(emax, s)
            s -= e
            curt = s
            if eta_pb > 0.0 and csp_pb[t] > y:
                # CSP in surplus: field heat the block does not take yet runs it to raise the flexible
                # classes to hi; field heat storage cannot take then charges the battery and the electrolyser
                q0 = y / eta_pb
                spare = csp_pb[t] - y
                for j in range(n_flex):
                    x = max(min((hi[j] - p[j]) * ov, spare, eta_pb * (qf - q0) - (y - y0)), 0.0)
                    p[j] += x / ov
                    y += x
                    spare -= x
                spill = max(eta_pb * (qf - room) - y, 0.0)
                x = max(min(cmax - c, spare, spill), 0.0)
                c += x
                y += x
                spare -= x
                spill -= x
                x = max(min(emax - e, spare, spill), 0.0)
                e += x
                y += x
        s_th = csp_step(t, wt, y, qf, ks, s_th, csp_e, eta_pb, out)
        if s < 0.0:
            # 5. deficit: battery, fuel cell, flexible to lo, flexible to 0, firm last
            # (storage above its reserve serves any load; the reserve only the firm load)
            deficit = -s
            dmax = max(min(batt_p[t], eta_d * k * soc / wt), 0.0)
            fmax = max(min(fc_p[t], eta_fc * h2 / wt), 0.0)
            d_free = min(max(eta_d * (k * soc - batt_res) / wt, 0.0), dmax)
            f_free = min(max(eta_fc * (h2 - h2_res) / wt, 0.0), fmax)
            if fc_first:
                f = min(f_free, deficit)
                deficit -= f
            d = min(d_free, deficit)
            deficit -= d
            if not fc_first:
                f = min(f_free, deficit)
                deficit -= f
            for j in range(n_flex):
                cut = min((p[j] - lo[j]) * ov, deficit)
                p[j] -= cut / ov
                deficit -= cut
            for j in range(n_flex):
                cut = min(p[j] * ov, deficit)
                p[j] -= cut / ov
                deficit -= cut
            # the reserves, for the firm load alone, in the same order
            if fc_first:
                x = min(fmax - f, deficit)
                f += x
                deficit -= x
            x = min(dmax - d, deficit)
            d += x
            deficit -= x
            if not fc_first:
                x = min(fmax - f, deficit)
                f += x
                deficit -= x
            if deficit > _EPS and load_firm > 0.0:
                shed = min(deficit / load_firm, 1.0)
        # serve the firm classes and auxiliaries less the shed share; run the flexible classes at p (capping,
        # restarts, backlog, deadlines); written out as in setpoint.py (see store_step)
        # IT shed now stays down for firm_restart_h once the supply is back (restart of IT and cooling)
        cut, down, down_left = restart_step(
            held, shed, trip[t], down, down_left, can_supply, aux[t] + ov * min(firm_it, it_cap[t]), wt, firm_restart_h
        )
        for i in range(n_firm):
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
    storage[0] = soc
    storage[1] = h2
    storage[2] = s_th
    restart[0] = down
    restart[1] = down_left
