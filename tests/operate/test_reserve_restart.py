"""The rule-based kernel's availability rules (:mod:`greendc.operate.kernel`, module docstring items 0-6) on
tiny hand-built systems, every expected trace worked out by hand in the test's docstring:

* restart time ``τ`` (``scenario.datacenter.restart_hours``): IT shed stays down ``τ`` after the supply is back;
* site trips (``site_trip_fraction``) and the cooling IT limit (``it_limit_mw``) of the common-mode series;
* firm-load reserves ``R_b``, ``R_h`` (``Design.battery_reserve_mwh``, ``h2_reserve_mwh``) and
  ``RuleBasedPolicy(fuel_cell_first=...)``.

Units: MW step means, MWh levels at the end of the step; PUE 1 and no auxiliaries, so facility = IT.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from greendc.operate import Design, PerfectForecast, SchedulerParameters, simulate
from greendc.operate.faults import FLEETS, load_reliability
from greendc.operate.policies import DispatchInputs, DispatchState, RuleBasedPolicy
from greendc.operate.result import summarise
from greendc.operate.simulate import dispatch_frame, dispatch_inputs, run_policy
from greendc.scenario.models import Scenario, WorkloadClass

from .support import flexible_batch, toy_profiles, toy_scenario

FIRM = WorkloadClass(name="web", share=0.5, utilisation=1.0)
#: Flexible ``batch`` (share 0.5, 0 to its whole share, 24 h deadline) next to :data:`FIRM`.
BATCH = flexible_batch(0.5, 0.5, 0.0, 24)


def firm_only(restart_hours: float) -> Scenario:
    """One firm class ``web`` on 10 MW of IT."""
    return toy_scenario([WorkloadClass(name="web", share=1.0, utilisation=1.0)], 10.0, restart_hours=restart_hours)


def inputs_of(
    design: Design, sc: Scenario, prof: pd.DataFrame, common_mode: dict[str, np.ndarray] | None = None
) -> DispatchInputs:
    """``dispatch_inputs`` without forced outages, perfect forecast, no restart overhead of the flexible jobs."""
    return dispatch_inputs(
        design,
        sc,
        prof,
        {k: np.ones(len(prof)) for k in FLEETS},
        load_reliability(),
        PerfectForecast(),
        SchedulerParameters(restart_overhead_h=0.0),
        faults=False,
        common_mode=common_mode,
    )


def dispatch(
    design: Design,
    sc: Scenario,
    prof: pd.DataFrame,
    soc_mwh: float = 0.0,
    h2_mwh: float = 0.0,
    policy: RuleBasedPolicy | None = None,
    common_mode: dict[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """:func:`inputs_of` + ``run_policy`` from ``soc_mwh`` and ``h2_mwh`` stored; the dispatch table."""
    inputs = inputs_of(design, sc, prof, common_mode)
    state = DispatchState.initial(inputs, soc_mwh, h2_mwh)
    out = run_policy(policy or RuleBasedPolicy(), inputs, state)
    return dispatch_frame(inputs, out, prof)


def loss_hours(df: pd.DataFrame, design: Design, firm=("web",), flexible=()) -> float:
    s = summarise(df, design, list(firm), list(flexible))
    return s["lolh_h_per_yr"] * s["years"]


def blackout_day(restart_hours: float, first: int, hours: int, pv_cf_during: float = 0.0):
    """24 h, firm 10 MW, PV 20 MW at cf 1 except ``hours`` hours from ``first`` at ``pv_cf_during``; no storage."""
    pv = np.ones(24)
    pv[first : first + hours] = pv_cf_during
    design = Design(pv_mw=20.0)
    res = simulate(design, firm_only(restart_hours), toy_profiles(24, pv, 1.0, {"web": 10.0}), faults=False)
    return res, design


# ---------------------------------------------------------------------------------------------------- restart


def test_blackout_without_restart_time_lasts_its_own_hours():
    """τ = 0, PV 0 in hours 10-12: exactly hours 10, 11, 12 lose the 10 MW firm load (3 h, 30 MWh)."""
    res, _ = blackout_day(0.0, 10, 3)
    unserved = np.zeros(24)
    unserved[10:13] = 10.0
    np.testing.assert_allclose(res.dispatch["unserved_web_mw"], unserved, atol=1e-9)
    assert res.summary["lolh_h_per_yr"] * res.summary["years"] == pytest.approx(3.0)
    assert res.summary["unserved_it_mwh_per_yr"]["web"] * res.summary["years"] == pytest.approx(30.0)
    assert res.summary["longest_interruption_h"] == pytest.approx(3.0)


def test_one_hour_blackout_lasts_one_hour_plus_the_restart():
    """τ = 4 h (restart_hours), PV 0 in hour 10 only: down in hour 10 and, supply back, 4 more hours of restart
    (11-14): 5 h and 50 MWh; served again from hour 15."""
    res, _ = blackout_day(4.0, 10, 1)
    unserved = np.zeros(24)
    unserved[10:15] = 10.0
    np.testing.assert_allclose(res.dispatch["unserved_web_mw"], unserved, atol=1e-9)
    assert res.summary["lolh_h_per_yr"] * res.summary["years"] == pytest.approx(5.0)
    assert res.summary["unserved_it_mwh_per_yr"]["web"] * res.summary["years"] == pytest.approx(50.0)
    assert res.summary["loss_of_load_events_per_yr"] * res.summary["years"] == pytest.approx(1.0)


@pytest.mark.parametrize(("pv_cf_during", "shed_mw"), [(0.0, 10.0), (0.25, 5.0)])
def test_restart_lengthens_a_three_hour_blackout_by_exactly_its_duration(pv_cf_during, shed_mw):
    """PV in hours 10-12 at 0 (whole load down) or 0.25 × 20 = 5 MW (half down). τ = 0: 3 loss hours. τ = 4 h:
    the share down stays down 4 h after the supply is back (hours 13-16): 7 loss hours (= 3 + 4), and the
    firm unserved energy grows by exactly 4 h × the share down (40 or 20 MWh)."""
    base, _ = blackout_day(0.0, 10, 3, pv_cf_during)
    res, _ = blackout_day(4.0, 10, 3, pv_cf_during)
    unserved = np.zeros(24)
    unserved[10:17] = shed_mw
    np.testing.assert_allclose(res.dispatch["unserved_web_mw"], unserved, atol=1e-9)
    assert base.summary["lolh_h_per_yr"] * base.summary["years"] == pytest.approx(3.0)
    assert res.summary["lolh_h_per_yr"] * res.summary["years"] == pytest.approx(7.0)
    grown = (
        res.summary["unserved_it_mwh_per_yr"]["web"] * res.summary["years"]
        - base.summary["unserved_it_mwh_per_yr"]["web"] * base.summary["years"]
    )
    assert grown == pytest.approx(4.0 * shed_mw)


@pytest.mark.parametrize(("freq", "w"), [("15min", 0.25), ("5min", 1.0 / 12.0)])
def test_restart_in_whole_hours_is_exact_on_sub_hourly_steps(freq, w):
    """Profiles on a 15- or 5-minute step (no resampling), PV 0 for one step at 10:00: down for that step and
    τ = 4 h = 16 (48) more steps: 4.25 h (4 h 5 min) of loss, 10 MW × that of unserved energy. τ = 0: one step."""
    n = round(24 / w)
    k = round(10 / w)
    pv = np.ones(n)
    pv[k] = 0.0
    prof = toy_profiles(n, pv, 1.0, {"web": 10.0}, freq=freq)
    design = Design(pv_mw=20.0)
    for tau in (0.0, 4.0):
        res = simulate(design, firm_only(tau), prof, faults=False)
        steps = 1 + round(tau / w)
        unserved = np.zeros(n)
        unserved[k : k + steps] = 10.0
        np.testing.assert_allclose(res.dispatch["unserved_web_mw"], unserved, atol=1e-9)
        s = res.summary
        assert s["lolh_h_per_yr"] * s["years"] == pytest.approx(w + tau)
        assert s["unserved_it_mwh_per_yr"]["web"] * s["years"] == pytest.approx(10.0 * (w + tau))
        assert s["longest_interruption_h"] == pytest.approx(w + tau)


def test_restart_after_a_one_hour_blackout_on_quarter_hours():
    """15-minute steps, PV 0 for the four steps of 10:00-11:00, τ = 4 h: 1 h + 4 h = 5 h of loss (20 steps)."""
    pv = np.ones(96)
    pv[40:44] = 0.0
    res = simulate(
        Design(pv_mw=20.0), firm_only(4.0), toy_profiles(96, pv, 1.0, {"web": 10.0}, freq="15min"), faults=False
    )
    s = res.summary
    assert s["lolh_h_per_yr"] * s["years"] == pytest.approx(5.0)


# ------------------------------------------------------------------------------------------------- site trip


def common_mode(n: int, trip=None, cooling=None) -> dict[str, np.ndarray]:
    """Common-mode series as :func:`~greendc.operate.common_mode.common_mode_series` returns them."""
    return {
        "site_trip_fraction": np.zeros(n) if trip is None else np.asarray(trip, dtype=float),
        "generation_available_fraction": np.ones(n),
        "cooling_available_fraction": np.ones(n) if cooling is None else np.asarray(cooling, dtype=float),
    }


@pytest.mark.parametrize(
    ("tau", "trip_steps", "down_steps"),
    [
        (0.0, {5: 0.25}, [5]),
        (4.0, {5: 0.25}, [5, 6, 7, 8, 9]),
        (4.0, {5: 1.0, 6: 0.5}, [5, 6, 7, 8, 9, 10]),
    ],
)
def test_site_trip_sheds_the_whole_load_then_restarts(tau, trip_steps, down_steps):
    """12 h, firm 10 MW, PV 20 MW at cf 1 and a full 10 MW / 40 MWh battery: supply is ample. A trip during a
    quarter of hour 5 takes the whole firm load down for that hour (storage or not) and, with τ = 4 h, for the
    4 hours after (5-9: 1 + 4 = 5 h, 50 MWh); a trip in hours 5 and 6 restarts from hour 6 (5-10: 6 h). While
    the IT is down the PV surplus charges nothing (battery full) and is curtailed: 20 MW."""
    n = 12
    trip = np.zeros(n)
    for t, share in trip_steps.items():
        trip[t] = share
    design = Design(pv_mw=20.0, battery_mw=10.0, battery_mwh=40.0)
    df = dispatch(
        design,
        firm_only(tau),
        toy_profiles(n, 1.0, 1.0, {"web": 10.0}),
        soc_mwh=40.0,
        common_mode=common_mode(n, trip=trip),
    )
    served = np.full(n, 10.0)
    served[down_steps] = 0.0
    np.testing.assert_allclose(df["it_web_mw"], served, atol=1e-9)
    np.testing.assert_allclose(df["facility_mw"], served, atol=1e-9)
    np.testing.assert_allclose(df["curtailed_mw"], 20.0 - served, atol=1e-9)
    np.testing.assert_allclose(df["battery_discharge_mw"], 0.0, atol=1e-9)
    assert loss_hours(df, design) == pytest.approx(len(down_steps))


# ---------------------------------------------------------------------------------------------- cooling limit


def test_cooling_limit_caps_it_and_sheds_firm_only_below_the_firm_load():
    """20 MW of IT: firm ``web`` 10 MW; flexible ``batch`` (share 0.5: 0-10 MW, 24 h deadline) asks 5 MW an hour.
    PV 100 MW at cf 1 (ample, the surplus raises the flexible class to hi), τ = 0. Cooling available 1, 0.6,
    0.4, 0.6, 1, 1 → IT limit 20, 12, 8, 12, 20, 20 MW.

    Flexible power = min(10, backlog B with this hour's request, limit − firm served):
    h0 B 5 → 5; h1 B 5, room 2 → 2; h2 firm 10 > 8: 2 MW of firm shed, room 0 → 0 (B 8);
    h3 B 13, room 2 → 2; h4 B 16 → 10; h5 B 11 → 10. IT 15, 12, 8, 12, 20, 20: never above the limit, and firm
    load is shed only in h2, the one hour whose limit is below it."""
    n = 6
    sc = toy_scenario([FIRM, BATCH], 20.0)
    cooling = np.array([1.0, 0.6, 0.4, 0.6, 1.0, 1.0])
    prof = toy_profiles(n, 1.0, 1.0, {"web": 10.0, "batch": 5.0})
    design = Design(pv_mw=100.0)
    inputs = inputs_of(design, sc, prof, common_mode(n, cooling=cooling))
    np.testing.assert_allclose(inputs.it_limit_mw, 20.0 * cooling)  # wiring: cooling share × installed IT
    df = dispatch(design, sc, prof, common_mode=common_mode(n, cooling=cooling))
    # backlog after each hour: 5-5=0; 5-2=3; 3+5=8; 8+5-2=11; 11+5-10=6; 6+5-10=1
    np.testing.assert_allclose(df["it_web_mw"], [10, 10, 8, 10, 10, 10], atol=1e-9)
    np.testing.assert_allclose(df["it_batch_mw"], [5, 2, 0, 2, 10, 10], atol=1e-9)
    np.testing.assert_allclose(df["backlog_batch_mwh"], [0, 3, 8, 11, 6, 1], atol=1e-9)
    np.testing.assert_allclose(df["it_mw"], [15, 12, 8, 12, 20, 20], atol=1e-9)
    assert (df["it_mw"].to_numpy() <= 20.0 * cooling + 1e-9).all()
    np.testing.assert_allclose(df["unserved_web_mw"], [0, 0, 2, 0, 0, 0], atol=1e-9)
    assert loss_hours(df, design, flexible=("batch",)) == pytest.approx(1.0)


# --------------------------------------------------------------------------------------------------- reserves


def firm_and_fixed_flex(firm_mw: float, flex_mw: float) -> tuple[Scenario, Callable[[int, object], pd.DataFrame]]:
    """Firm ``web`` asking ``firm_mw``; flexible ``batch`` with min = max = its request ``flex_mw`` (share 0.5 of
    2 × flex_mw of IT), so the scheduler offers lo = mid = hi = ``flex_mw`` every step: the kernel's only
    choice is to run it or cut it."""
    sc = toy_scenario([FIRM, flexible_batch(0.5, 1.0, 1.0, 24)], 2.0 * flex_mw)

    def prof(n: int, pv_cf) -> pd.DataFrame:
        return toy_profiles(n, pv_cf, 1.0, {"web": firm_mw, "batch": flex_mw})

    return sc, prof


def test_battery_reserve_cuts_flexible_work_first_and_keeps_the_rest_for_the_firm_load():
    """Firm 10 MW, flexible 5 MW (lo = mid = hi = 5), no PV; battery 20 MW / 40 MWh, η_c 1, η_d 0.8, full;
    R_b = 20 MWh. d ≤ min(20, 0.8 soc); above the reserve d_free = 0.8 (soc − 20).

    h0  deficit 15; d_free = 16: d = 15, soc 40 − 15/0.8 = 21.25; firm 10, flex 5
    h1  d_free = 0.8 × 1.25 = 1; flex cut (5); the reserve serves the firm rest 9: d = 10, soc 8.75; firm 10, flex 0
    h2  d_free = 0; flex cut; reserve d = 0.8 × 8.75 = 7, soc 0; firm 7 (3 shed), flex 0
    h3  nothing left: firm 0, flex 0

    Same case without a reserve (plain priority order): h0 as above; h1 d = 15 (≤ 17), soc 2.5, firm 10, flex 5;
    h2 d = 2, soc 0, flex cut, firm 2; h3 nothing. The reserve moved 5 MWh of flexible work to 5 MWh of firm."""
    sc, prof = firm_and_fixed_flex(10.0, 5.0)
    p = prof(4, 0.0)
    kw = {
        "battery_mw": 20.0,
        "battery_mwh": 40.0,
        "battery_charge_efficiency": 1.0,
        "battery_discharge_efficiency": 0.8,
    }
    df = dispatch(Design(**kw, battery_reserve_mwh=20.0), sc, p, soc_mwh=40.0)
    np.testing.assert_allclose(df["battery_soc_mwh"], [21.25, 8.75, 0.0, 0.0], atol=1e-9)
    np.testing.assert_allclose(df["battery_discharge_mw"], [15, 10, 7, 0], atol=1e-9)
    np.testing.assert_allclose(df["it_web_mw"], [10, 10, 7, 0], atol=1e-9)
    np.testing.assert_allclose(df["it_batch_mw"], [5, 0, 0, 0], atol=1e-9)
    plain = dispatch(Design(**kw), sc, p, soc_mwh=40.0)
    np.testing.assert_allclose(plain["battery_soc_mwh"], [21.25, 2.5, 0.0, 0.0], atol=1e-9)
    np.testing.assert_allclose(plain["battery_discharge_mw"], [15, 15, 2, 0], atol=1e-9)
    np.testing.assert_allclose(plain["it_web_mw"], [10, 10, 2, 0], atol=1e-9)
    np.testing.assert_allclose(plain["it_batch_mw"], [5, 5, 0, 0], atol=1e-9)


def test_surplus_refills_the_battery_reserve_before_banking_flexible_work():
    """Firm 10 MW; flexible ``batch`` (0-10 MW, 24 h deadline) asks 10 MWh in h0 only; PV 25 MW for 2 h;
    battery 20 MW / 40 MWh lossless at 10 MWh, R_b = 20 MWh. Perfect forecast: 15 MWh of surplus ahead covers
    the 10 MWh backlog, so mid = lo = 0 and hi = 10.

    R_b = 20: h0 surplus 15 → battery to its reserve (10) first, flexible 5, soc 20; h1 flexible its last 5, the
    remaining 10 charges: soc 30. R_b = 0: h0 flexible 10 first, charge 5, soc 15; h1 charge 15, soc 30."""
    sc = toy_scenario([FIRM, BATCH], 20.0)
    prof = toy_profiles(2, 1.0, 1.0, {"web": 10.0, "batch": [10.0, 0.0]})
    kw = {
        "pv_mw": 25.0,
        "battery_mw": 20.0,
        "battery_mwh": 40.0,
        "battery_charge_efficiency": 1.0,
        "battery_discharge_efficiency": 1.0,
    }
    df = dispatch(Design(**kw, battery_reserve_mwh=20.0), sc, prof, soc_mwh=10.0)
    np.testing.assert_allclose(df["battery_charge_mw"], [10, 10], atol=1e-9)
    np.testing.assert_allclose(df["battery_soc_mwh"], [20, 30], atol=1e-9)
    np.testing.assert_allclose(df["it_batch_mw"], [5, 5], atol=1e-9)
    np.testing.assert_allclose(df["it_web_mw"], [10, 10], atol=1e-9)
    np.testing.assert_allclose(df["curtailed_mw"], 0.0, atol=1e-9)
    plain = dispatch(Design(**kw), sc, prof, soc_mwh=10.0)
    np.testing.assert_allclose(plain["battery_charge_mw"], [5, 15], atol=1e-9)
    np.testing.assert_allclose(plain["battery_soc_mwh"], [15, 30], atol=1e-9)
    np.testing.assert_allclose(plain["it_batch_mw"], [10, 0], atol=1e-9)


# Firm 6 MW, flexible 2 MW (lo = mid = hi = 2), no PV; battery 10 MW / 20 MWh lossless, full; fuel cell 4 MW
# (η_fc 0.5) on 20 MWh of hydrogen (of 40): f ≤ min(4, 0.5 h).
STORES = {
    "battery_mw": 10.0,
    "battery_mwh": 20.0,
    "battery_charge_efficiency": 1.0,
    "battery_discharge_efficiency": 1.0,
    "fuel_cell_mw": 4.0,
    "h2_store_mwh": 40.0,
    "fuel_cell_efficiency": 0.5,
}


def stores_dispatch(hours: int, policy: RuleBasedPolicy | None = None, **reserves: float) -> pd.DataFrame:
    """``hours`` hours of firm 6 MW and flexible 2 MW (:func:`firm_and_fixed_flex`) without PV on :data:`STORES`
    with ``reserves`` [MWh], the battery full and 20 MWh of hydrogen at the start; the dispatch table of
    ``policy`` (the default rule-based one when None)."""
    sc, prof = firm_and_fixed_flex(6.0, 2.0)
    return dispatch(Design(**STORES, **reserves), sc, prof(hours, 0.0), soc_mwh=20.0, h2_mwh=20.0, policy=policy)


def assert_trace(df, soc, h2, d, f, firm, flex):
    """The dispatch follows the hand trace: battery and hydrogen levels, their discharge, firm and flexible IT."""
    for column, expected in (
        ("battery_soc_mwh", soc),
        ("h2_level_mwh", h2),
        ("battery_discharge_mw", d),
        ("fuel_cell_mw", f),
        ("it_web_mw", firm),
        ("it_batch_mw", flex),
    ):
        np.testing.assert_allclose(df[column], expected, atol=1e-9, err_msg=column)


@pytest.mark.parametrize(
    ("fc_first", "soc", "h2", "d", "f", "firm", "flex"),
    [
        # battery, fuel cell, flexible, firm:
        # h0 d 8 (soc 12); h1 d 8 (soc 4); h2 d 4 (soc 0), f 4 (h2 12); h3 f 4 (h2 4), flex cut 2, firm shed 2
        (False, [12, 4, 0, 0], [20, 20, 12, 4], [8, 8, 4, 0], [0, 0, 4, 4], [6, 6, 6, 4], [2, 2, 2, 0]),
        # fuel cell first: h0 f 4 (h2 12), d 4 (soc 16); h1 f 4 (h2 4), d 4 (soc 12); h2 f 2 (h2 0), d 6 (soc 6);
        # h3 d 6 (soc 0), flex cut 2, firm served
        (True, [16, 12, 6, 0], [12, 4, 0, 0], [4, 4, 6, 6], [4, 4, 2, 0], [6, 6, 6, 6], [2, 2, 2, 0]),
    ],
)
def test_plain_priority_order_and_fuel_cell_first(fc_first, soc, h2, d, f, firm, flex):
    """No reserves and hydrogen for all load: fuel_cell_first=False is the plain order battery, fuel cell,
    flexible, firm; with True the fuel cell runs first and the battery carries the last hour (traces in the
    parameters)."""
    df = stores_dispatch(4, RuleBasedPolicy(fuel_cell_first=fc_first, hydrogen_for_flexible=True))
    assert_trace(df, soc, h2, d, f, firm, flex)


@pytest.mark.parametrize(
    ("fc_first", "soc", "h2", "d", "f", "firm", "flex"),
    [
        # h0 d_free 10: d 8 (soc 12); h1 d_free 4: d 4 (soc 8), f_free 0.5 × (20 − 12) = 4: f 4 (h2 12);
        # h2 flex cut, battery reserve d 6 (soc 2); h3 flex cut, d 2 (soc 0), f 4 (h2 4); h4 f 2 (h2 0), firm 2
        (
            False,
            [12, 8, 2, 0, 0],
            [20, 12, 12, 4, 0],
            [8, 4, 6, 2, 0],
            [0, 4, 0, 4, 2],
            [6, 6, 6, 6, 2],
            [2, 2, 0, 0, 0],
        ),
        # h0 f_free 4: f 4 (h2 12), d 4 (soc 16); h1 d_free 8: d 8 (soc 8); h2 flex cut, hydrogen reserve f 4
        # (h2 4), battery reserve d 2 (soc 6); h3 flex cut, f 2 (h2 0), d 4 (soc 2); h4 d 2 (soc 0), firm 2
        (True, [16, 8, 6, 2, 0], [12, 12, 4, 0, 0], [4, 8, 2, 4, 2], [4, 0, 4, 2, 0], [6, 6, 6, 6, 2], [2, 2, 0, 0, 0]),
    ],
)
def test_both_reserves_with_either_order(fc_first, soc, h2, d, f, firm, flex):
    """The stores of the plain-order test with R_b = 8 MWh and R_h = 12 MWh of hydrogen, 5 hours: storage above
    the reserves serves any load (in the policy's order); below them only the firm load, after the flexible
    class is cut; the firm load is shed only when both are empty (h4). Traces in the parameters."""
    policy = RuleBasedPolicy(fuel_cell_first=fc_first, hydrogen_for_flexible=True)
    df = stores_dispatch(5, policy, battery_reserve_mwh=8.0, h2_reserve_mwh=12.0)
    assert_trace(df, soc, h2, d, f, firm, flex)


def test_the_rolling_policy_restarts_shed_it_as_the_rule_based_one():
    """The same planted 3-hour blackout (PV 0 in hours 10-12, no storage, τ = 4 h) dispatched by the rolling
    LP with a perfect forecast: the balancing kernel shares the restart step, so hours 10-16 are lost (7 h)."""
    from greendc.operate import PerfectForecast, RollingHorizonPolicy

    pv = np.ones(24)
    pv[10:13] = 0.0
    res = simulate(
        Design(pv_mw=20.0),
        firm_only(4.0),
        toy_profiles(24, pv, 1.0, {"web": 10.0}),
        faults=False,
        policy=RollingHorizonPolicy(horizon_h=6.0),
        forecast=PerfectForecast(),
    )
    unserved = np.zeros(24)
    unserved[10:17] = 10.0
    np.testing.assert_allclose(res.dispatch["unserved_web_mw"], unserved, atol=1e-6)
    assert res.summary["lolh_h_per_yr"] * res.summary["years"] == pytest.approx(7.0)


def test_by_default_hydrogen_serves_the_firm_load_only():
    """The stores of the plain-order test under the default policy (fuel cell first, hydrogen for the firm
    load only): the battery serves everything, then the flexible class is cut, then the fuel cell serves the
    firm load.

    h0  d 8 (soc 12); h1 d 8 (soc 4); h2 d 4 (soc 0), flex cut 2, fuel cell 2 for the firm rest (h2 20 − 4 = 16)
    h3  flex cut 2, fuel cell 4 (h2 8), firm shed 2 of 6
    """
    df = stores_dispatch(4)
    assert_trace(df, [12, 4, 0, 0], [20, 20, 16, 8], [8, 8, 4, 0], [0, 0, 2, 4], [6, 6, 6, 4], [2, 2, 0, 0])
