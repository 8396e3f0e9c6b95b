"""The IT energy ledger of a simulation (greendc.operate.accounting): requested = work done + unserved + change
of the backlog, the served IT energy of a flexible class being work plus restart and capping overhead.

Sources: the overhead equations of :func:`greendc.operate.scheduler.work_done` worked out by hand (restart
``t_r`` hours of full-power compute per MW resumed, ``1 − ρ (1 − f)`` MWh of work per MWh at a cap ``f``);
the ledger under both dispatch policies on a few hand-made days.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from greendc.errors import DataFileError
from greendc.operate import (
    Design,
    NoisyForecast,
    RollingHorizonPolicy,
    RuleBasedPolicy,
    SchedulerParameters,
    simulate,
)
from greendc.operate.accounting import LEDGER_KEYS, energy_accounting, flexible_overhead_mw
from greendc.scenario.models import WorkloadClass

from .support import flexible_batch, toy_profiles, toy_scenario
from .test_simulate import flexible_case


def test_overhead_of_restarts_and_caps_hand_worked():
    """Hourly, jobs of 10 MW, cap floor 0.6, ρ = 0.2, t_r = 0.1 h/MW; p = 10, 0, 10, 10, 4, 10, 8 MW:

    hour 0  first step, no history: no overhead
    hour 1  off (jobs suspended, R = 0)
    hour 2  10 MW resumed → 0.1 × 10 = 1 MWh without progress
    hour 3  running: 0
    hour 4  4 MW < 0.6 × 10: jobs suspended (R = 4), no cap: 0
    hour 5  6 MW resumed → 0.6 MWh
    hour 6  8 MW ≥ 0.6 × 10: capped at f = 0.8, work 8 (1 − 0.2 × 0.2) = 7.68 → 0.32 MWh
    """
    p = np.array([10.0, 0.0, 10.0, 10.0, 4.0, 10.0, 8.0])
    sched = SchedulerParameters(cap_floor_fraction=0.6, capping_efficiency_penalty=0.2, restart_overhead_h=0.1)
    backlog = np.full(p.size, 100.0)  # always more work waiting than a step can do
    o = flexible_overhead_mw(p, np.zeros(p.size), backlog, np.ones(p.size), sched, initial_backlog_mwh=100.0)
    np.testing.assert_allclose(o, [0, 0, 1.0, 0, 0, 0.6, 0.32], atol=1e-12)


def test_restart_overhead_longer_than_a_step_is_paid_over_two_steps():
    """5-minute steps, 10 MW resumed from 0: 1 MWh owed, 10/12 = 0.8333 MWh drawn per step → the whole first
    step (10 MW) and 0.1667 MWh of the second (2 MW) are overhead."""
    w = np.full(3, 1.0 / 12.0)
    p = np.array([0.0, 10.0, 10.0])
    o = flexible_overhead_mw(p, np.zeros(3), np.full(3, 50.0), w, SchedulerParameters(), initial_backlog_mwh=50.0)
    np.testing.assert_allclose(o, [0.0, 10.0, 2.0], atol=1e-9)


def test_energy_saving_caps_cannot_do_more_work_than_waits():
    """ρ = −0.5 (a cap saves energy): hour 0 runs 10 MW (work 10); hour 1 capped at 8 MW (f = 0.8) would do
    8 (1 + 0.5 × 0.2) = 8.8 MWh of work — negative overhead −0.8 MW when 10 MWh wait, but only the 8 MWh
    waiting when 18 MWh were requested in all (overhead 0)."""
    p = np.array([10.0, 8.0])
    sched = SchedulerParameters(capping_efficiency_penalty=-0.5)
    o = flexible_overhead_mw(p, np.array([20.0, 0.0]), np.array([10.0, 1.2]), np.ones(2), sched)
    np.testing.assert_allclose(o, [0.0, -0.8], atol=1e-12)
    o = flexible_overhead_mw(p, np.array([18.0, 0.0]), np.array([8.0, 0.0]), np.ones(2), sched)
    np.testing.assert_allclose(o, [0.0, 0.0], atol=1e-12)


def test_rule_based_toy_run_restart_overhead_hand_worked():
    """6 MWh of batch work requested in hours 0 and 1, deadline 2 h, 10 MW of PV in hours 2 and 3 only,
    perfect forecast, t_r = 0.1 h/MW (the case of test_simulate's scheduler tests, with restarts):

    hours 0–1  the forecast sun covers the backlog: wait (p = 0, jobs suspended)
    hour 2     packet 0 due; surplus runs the class at 10 MW: 10 MW resumed from 0 → 1 MWh of overhead,
               9 MWh of work (packet 0, then 3 of packet 1's 6 MWh)
    hour 3     packet 1's last 3 MWh at 3 MW (below 0.6 × 10: jobs suspended, no cap)

    Served 13 MWh for 12 requested, nothing dropped, nothing left: the 1 MWh is the restart overhead, and the
    ledger closes on the work (12 MWh).
    """
    df = flexible_case([0.0, 0.0, 1.0, 1.0, 0.0, 0.0], restart_overhead_h=0.1)
    np.testing.assert_allclose(df["it_batch_mw"], [0, 0, 10, 3, 0, 0], atol=1e-9)
    np.testing.assert_allclose(df["backlog_batch_mwh"], [6, 12, 3, 0, 0, 0], atol=1e-9)
    ledger = energy_accounting(df, [], ["batch"])["classes"]["batch"]
    assert ledger["requested_mwh"] == pytest.approx(12.0)
    assert ledger["served_mwh"] == pytest.approx(13.0)
    assert ledger["overhead_mwh"] == pytest.approx(1.0)
    assert ledger["work_mwh"] == pytest.approx(12.0)
    assert ledger["unserved_mwh"] == pytest.approx(0.0, abs=1e-12)
    assert ledger["backlog_change_mwh"] == pytest.approx(0.0, abs=1e-12)
    assert abs(ledger["residual_mwh"]) < 1e-9


def few_days(policy, scheduler: SchedulerParameters, days: int = 4) -> pd.DataFrame:
    """``days`` days: PV 60 MW (a clipped sine from 06:00 to 18:00), battery 10 MW / 30 MWh; firm web 8 MW and
    flexible batch 3–9 MW (deadline 12 h, floor 10 % of its 10 MW share) at PUE 1.2; forced outages on."""
    n = 24 * days
    hour = np.arange(n) % 24
    pv = np.clip(np.sin((hour - 6) / 12 * np.pi), 0.0, None)
    batch = 6.0 + 3.0 * np.sin(np.arange(n) / 7.0)
    sc = toy_scenario(
        [WorkloadClass(name="web", share=0.5, utilisation=0.8), flexible_batch(0.5, 0.6, 0.1, 12)], it_capacity_mw=20.0
    )
    prof = toy_profiles(n, pv, 1.2, {"web": 8.0, "batch": batch})
    design = Design(pv_mw=60.0, battery_mw=10.0, battery_mwh=30.0)
    return simulate(
        design,
        sc,
        prof,
        fault_seed=2,
        policy=policy,
        forecast=NoisyForecast(),
        scheduler=scheduler,
        initial_soc_fraction=0.5,
    ).dispatch


POLICIES = {
    "rule": RuleBasedPolicy,
    "rolling": lambda: RollingHorizonPolicy(horizon_h=24, replan_every_h=3),
}
SCHEDULERS = {
    "default": SchedulerParameters(),
    "capping_penalty": SchedulerParameters(capping_efficiency_penalty=0.3, restart_overhead_h=0.25),
    "capping_saving": SchedulerParameters(capping_efficiency_penalty=-0.2, cap_floor_fraction=0.5),
}


@pytest.mark.parametrize("scheduler", list(SCHEDULERS))
@pytest.mark.parametrize("policy", list(POLICIES))
def test_ledger_closes_under_both_policies(policy, scheduler):
    """requested − work − unserved − Δbacklog < 1e-6 of the requested energy, per class and in total, under
    both policies with a noisy forecast and outages; the restart and capping overhead is what separates the
    served IT energy from the work (the ledger on served energy alone does not close)."""
    df = few_days(POLICIES[policy](), SCHEDULERS[scheduler])
    acc = energy_accounting(df, ["web"], ["batch"], scheduler=SCHEDULERS[scheduler])
    total = acc["total"]
    assert set(total) == set(LEDGER_KEYS)
    assert total["requested_mwh"] == pytest.approx(96 * 8.0 + float(df["requested_batch_mw"].sum()))
    for ledger in [*acc["classes"].values(), total]:
        assert abs(ledger["residual_mwh"]) < 1e-6 * total["requested_mwh"]
        assert ledger["served_mwh"] == pytest.approx(ledger["work_mwh"] + ledger["overhead_mwh"])
    batch = acc["classes"]["batch"]
    assert abs(batch["overhead_mwh"]) > 1e-3 * batch["requested_mwh"]  # the case exercises the overhead
    naive = batch["requested_mwh"] - batch["served_mwh"] - batch["unserved_mwh"] - batch["backlog_change_mwh"]
    assert naive == pytest.approx(-batch["overhead_mwh"])
    assert acc["classes"]["web"]["overhead_mwh"] == 0.0


def test_overhead_column_is_used_when_present_and_missing_columns_are_named():
    """A table carrying ``overhead_<class>_mw`` is read as it is (no replay); a missing column is named."""
    df = few_days(RuleBasedPolicy(), SchedulerParameters(), days=2)
    replayed = energy_accounting(df, ["web"], ["batch"])["classes"]["batch"]
    w = np.ones(len(df))
    df["overhead_batch_mw"] = flexible_overhead_mw(
        df["it_batch_mw"].to_numpy(), df["requested_batch_mw"].to_numpy(), df["backlog_batch_mwh"].to_numpy(), w
    )
    from_column = energy_accounting(df, ["web"], ["batch"], scheduler=SchedulerParameters(restart_overhead_h=0.0))[
        "classes"
    ]["batch"]
    assert from_column == pytest.approx(replayed)
    with pytest.raises(DataFileError, match="backlog_batch_mwh"):
        energy_accounting(df.drop(columns="backlog_batch_mwh"), ["web"], ["batch"])
    with pytest.raises(DataFileError, match="regular"):
        energy_accounting(df.iloc[[0, 1, 3]], ["web"], ["batch"])
