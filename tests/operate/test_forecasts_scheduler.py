"""Forecasters and the scheduler's building blocks against hand calculations."""

from __future__ import annotations

import numpy as np
import pytest

from greendc.operate import Design, NoisyForecast, PerfectForecast, PersistenceForecast, RuleBasedPolicy
from greendc.operate.policies import DispatchInputs
from greendc.operate.scheduler import (
    allowance,
    backlog_add,
    backlog_expire,
    backlog_serve,
    power_for_work,
    work_done,
)


def test_perfect_window_hand_example():
    """Surplus s = max(G − L, 0) = [4, 0, 9, 2]; next two steps: [0+9, 9+2, 2, 0]."""
    f = PerfectForecast().surplus_window_mwh([5.0, 0.0, 10.0, 3.0], [1.0] * 4, [1.0] * 4, 2)
    np.testing.assert_allclose(f, [9.0, 11.0, 2.0, 0.0])


def test_persistence_window_hand_example():
    """Period 2 steps: Ĝ(t+k|t) = G(t+k−2) for k = 1, 2 (the first day repeats the first value):
    t=0: G0+G0 = 2; t=1: G0+G1 = 3; t=2: G1+G2 = 5; t=3: G2+G3 = 7; t=4: G3 = 4 (end); t=5: 0."""
    g = np.array([1.0, 2, 3, 4, 5, 6])
    fc = PersistenceForecast(period_h=2.0)
    np.testing.assert_allclose(fc.surplus_window_mwh(g, np.zeros(6), np.ones(6), 2), [2, 3, 5, 7, 4, 0])
    np.testing.assert_allclose(fc.predict(g, 3, 2), [3.0, 4.0])


def test_noisy_error_grows_with_lead_time_as_stated():
    """Relative error std at lead k: σ sqrt(1 − exp(−2 k w / τ)); 3000 issues, tolerance 10 % (≫ 1/sqrt(2N))."""
    fc = NoisyForecast(sigma=0.1, tau_h=6.0)
    ones = np.ones(3100)
    errors = np.array([fc.predict(ones, t, 24, seed=1) - 1.0 for t in range(3000)])
    for lead in (1, 6, 24):
        assert errors[:, lead - 1].std() == pytest.approx(float(fc.error_std(lead)), rel=0.1)
    np.testing.assert_array_equal(fc.predict(ones, 5, 24, seed=1), fc.predict(ones, 5, 24, seed=1))
    w1 = fc.surplus_window_mwh(ones * 3, ones, ones, 12, seed=2)
    np.testing.assert_array_equal(w1, fc.surplus_window_mwh(ones * 3, ones, ones, 12, seed=2))


def test_backlog_serves_oldest_first_and_drops_at_deadline():
    """Packets of 3, 5, 2 MWh requested in steps 0, 1, 2 (deadline 2 steps). Serving 4 MWh in step 1
    empties packet 0 and takes 1 of packet 1; at the end of step 3 packet 1 (due) has 4 MWh left: dropped."""
    buf, head, total = np.zeros((1, 3)), np.zeros(1, dtype=np.int64), np.zeros(1)
    backlog_add(buf, total, 0, 0, 3.0)
    assert backlog_expire(buf, head, total, 0, 0, 2) == 0.0
    backlog_add(buf, total, 0, 1, 5.0)
    assert backlog_serve(buf, head, total, 0, 1, 4.0) == pytest.approx(4.0)
    np.testing.assert_allclose(buf[0, :2], [0.0, 4.0])
    backlog_expire(buf, head, total, 0, 1, 2)
    backlog_add(buf, total, 0, 2, 2.0)
    assert backlog_expire(buf, head, total, 0, 2, 2) == 0.0  # packet 0 already done
    assert backlog_expire(buf, head, total, 0, 3, 2) == pytest.approx(4.0)
    assert total[0] == pytest.approx(2.0)


def test_capping_and_restart_accounting_hand_example():
    """Jobs of 10 MW nominal, cap floor 0.6, penalty ρ = 0.5, restart 0.1 h/MW, hourly:
    8 MW → capped at f = 0.8, work 8 (1 − 0.5 × 0.2) = 7.2; 5 MW < 6 → 5 MW of jobs suspended, work 5;
    back to 10 MW → 5 MW resumed, overhead 0.5 MWh, work 9.5."""
    work, run, resumed, debt = work_done(8.0, 10.0, 0.0, 1.0, 0.6, 0.5, 0.1)
    assert (work, run, resumed, debt) == pytest.approx((7.2, 10.0, 0.0, 0.0))
    work, run, resumed, debt = work_done(5.0, 10.0, 0.0, 1.0, 0.6, 0.5, 0.1)
    assert (work, run) == pytest.approx((5.0, 5.0))
    work, run, resumed, debt = work_done(10.0, 5.0, 0.0, 1.0, 0.6, 0.5, 0.1)
    assert (work, run, resumed, debt) == pytest.approx((9.5, 10.0, 5.0, 0.0))


def test_restart_overhead_longer_than_a_step_is_carried():
    """5-min steps, 10 MW resumed from 0 with 0.1 h/MW: 1 MWh of overhead against 0.8333 MWh drawn per
    step → no work in the first step, 0.1667 MWh owed, then 0.6667 MWh of work."""
    w = 1.0 / 12.0
    work, run, _, debt = work_done(10.0, 0.0, 0.0, w, 0.6, 0.0, 0.1)
    assert work == 0.0 and debt == pytest.approx(1.0 - 10.0 * w)
    work, _, _, debt = work_done(10.0, run, debt, w, 0.6, 0.0, 0.1)
    assert work == pytest.approx(10.0 * w - (1.0 - 10.0 * w)) and debt == 0.0


def test_power_for_work_and_allowance():
    """Do 6 MWh in 1 h with 2 MW running and 0.1 h/MW to resume: p − 0.1 (p − 2) = 6 → p = 6.4444."""
    assert power_for_work(6.0, 2.0, 0.0, 1.0, 0.1, 100.0) == pytest.approx(5.8 / 0.9)
    assert power_for_work(6.0, 10.0, 0.5, 1.0, 0.1, 100.0) == pytest.approx(6.5)
    # backlog 12 MWh, 6 MW due, envelope [1, 10] MW, forecast covers 8 of it over 2 h → (6, 6, 10)
    assert allowance(12.0, 6.0, 1.0, 10.0, 1.0, 2.0, 8.0) == pytest.approx((6.0, 6.0, 10.0))
    # nothing due, nothing covered: pace 12/2 = 6 MW
    assert allowance(12.0, 0.0, 1.0, 10.0, 1.0, 2.0, 0.0) == pytest.approx((1.0, 6.0, 10.0))


def test_each_forecast_segment_draws_its_own_noise():
    """Two segments (steps 0-47 and 48-95, seeds 11 and 22): the rule-based policy's forecast surplus of each
    is the noisy forecast drawn with that segment's seed, so the second year of a chain shares no noise with
    the first; without segments the run's single seed is used throughout."""
    n = 96
    hour = np.arange(n) % 24
    g = np.clip(np.sin(np.pi * (hour - 6) / 12), 0.0, None) * 100.0
    one = np.ones(n)
    base = dict(
        weights_h=one,
        pv_available_mw=g,
        wind_available_mw=np.zeros(n),
        overhead=one,
        auxiliary_mw=np.zeros(n),
        firm_names=("web",),
        firm_requested_mw=np.full((1, n), 30.0),
        flexible_names=("batch",),
        flexible_requested_mw=np.full((1, n), 10.0),
        flexible_min_mw=np.zeros((1, n)),
        flexible_max_mw=np.full((1, n), 20.0),
        flexible_deadline_h=np.array([12.0]),
        battery_power_mw=np.zeros(n),
        electrolyser_power_mw=np.zeros(n),
        fuel_cell_power_mw=np.zeros(n),
        design=Design(pv_mw=100.0),
        forecast=NoisyForecast(),
    )
    policy = RuleBasedPolicy()
    split = policy.forecast_surplus_mwh(DispatchInputs(**base, forecast_segments=((0, 11), (48, 22))))[0]
    first = policy.forecast_surplus_mwh(DispatchInputs(**base, forecast_seed=11))[0]
    second = policy.forecast_surplus_mwh(DispatchInputs(**base, forecast_seed=22))[0]
    np.testing.assert_array_equal(split[:48], first[:48])
    np.testing.assert_array_equal(split[48:], second[48:])
    assert not np.allclose(first[48:], second[48:])
