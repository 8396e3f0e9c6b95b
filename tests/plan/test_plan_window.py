"""The design LP as a dispatch window: capacities fixed, storage and backlogs starting at given levels,
the end free. Every expected value is derived by hand in the test."""

from __future__ import annotations

import numpy as np
import pytest

from greendc.errors import ScenarioError
from greendc.plan.inputs import BatterySpec, HydrogenSpec, PlanRules, WorkloadInput
from greendc.plan.solve import solve
from greendc.plan.workloads import backlog_window_mwh

from .test_plan_model import COSTS, make_inputs, row

N = 12  # twelve dark hours


def fixed(**capacities: float) -> PlanRules:
    return PlanRules(capacity_bounds={k: (v, v) for k, v in capacities.items()})


def test_battery_starts_at_its_initial_level_and_ends_free():
    # 12 dark hours, 100 MW of firm load priced at 1e6 USD/MWh. The battery (100 MW / 2000 MWh, 0.9 on
    # discharge, lossless charge) starts with 1000 MWh: it can deliver 0.9 x 1000 = 900 MWh, so 1200 - 900 =
    # 300 MWh are shed, and it ends empty. A cyclic battery would have to end at its start level and shed all
    # 1200 MWh.
    load = WorkloadInput("firm", np.full(N, 100.0), value_of_lost_load_usd_per_mwh=1e6)
    inp = make_inputs(
        np.zeros(N),
        battery=BatterySpec(1.0, 0.9, initial_soc_mwh=1000.0),
        workloads=(load,),
        rules=fixed(battery_mw=100.0, battery_mwh=2000.0, pv_mw=0.0, wind_mw=0.0),
    )
    d = solve(inp).dispatch
    assert d.unserved_mw.sum() == pytest.approx(300.0, rel=1e-9)
    assert d.battery_discharge_mw.sum() == pytest.approx(900.0, rel=1e-9)
    assert d.battery_soc_mwh.iloc[-1] == pytest.approx(0.0, abs=1e-6)
    # the first step's balance uses the initial level: soc_0 = 1000 - d_0 / 0.9
    assert d.battery_soc_mwh.iloc[0] == pytest.approx(1000.0 - d.battery_discharge_mw.iloc[0] / 0.9, rel=1e-9)


def test_initial_level_loses_self_discharge_in_the_first_step():
    # 1 %/h self-discharge, lossless otherwise, 1200 MWh at the start, 100 MW load over 12 dark hours:
    # the battery delivers 100 MW while it can; what is left after 12 h is
    # 1200 x 0.99^12 - Σ_{k=0..11} 100 x 0.99^k = 1063.53 - 1136.21 < 0, so the last hour is short by
    # 1136.21 - 1063.53 = 72.68 MWh brought back to the last hour's terms (one hour of decay: x 1).
    load = WorkloadInput("firm", np.full(N, 100.0), value_of_lost_load_usd_per_mwh=1e6)
    inp = make_inputs(
        np.zeros(N),
        battery=BatterySpec(1.0, 1.0, 0.01, initial_soc_mwh=1200.0),
        workloads=(load,),
        rules=fixed(battery_mw=100.0, battery_mwh=2000.0, pv_mw=0.0, wind_mw=0.0),
    )
    d = solve(inp).dispatch
    short = sum(100 * 0.99**k for k in range(N)) - 1200 * 0.99**N
    assert d.unserved_mw.sum() == pytest.approx(short, rel=1e-6)


def test_hydrogen_starts_at_its_initial_level():
    # Fuel cell 100 MW at 0.5: 1000 MWh of hydrogen deliver 500 MWh; 1200 - 500 = 700 MWh are shed.
    costs = dict(COSTS) | {k: row(k, 1.0) for k in ("electrolyser", "h2_store", "fuel_cell")}
    load = WorkloadInput("firm", np.full(N, 100.0), value_of_lost_load_usd_per_mwh=1e6)
    inp = make_inputs(
        np.zeros(N),
        hydrogen=HydrogenSpec(0.6, 0.5, initial_h2_mwh=1000.0),
        workloads=(load,),
        rules=fixed(electrolyser_mw=0.0, h2_store_mwh=5000.0, fuel_cell_mw=100.0, pv_mw=0.0, wind_mw=0.0),
    )
    inp = type(inp)(**{**inp.__dict__, "costs": costs})
    d = solve(inp).dispatch
    assert d.fuel_cell_mw.sum() == pytest.approx(500.0, rel=1e-9)
    assert d.unserved_mw.sum() == pytest.approx(700.0, rel=1e-9)
    assert d.h2_level_mwh.iloc[-1] == pytest.approx(0.0, abs=1e-6)


def test_backlog_window_with_initial_backlog_by_hand():
    # 240 MWh waiting at the start, deadline 24 h, nothing new requested: taken as requested evenly over the
    # 24 h before the start (10 MWh/h), at the end of hour t at most what was requested in the last
    # 24 - (t + 1) hours before the start may wait: 240 - 10 (t + 1).
    wl = WorkloadInput("x", np.zeros(N), flexible=True, max_mw=np.full(N, 100.0), initial_backlog_mwh=240.0)
    np.testing.assert_allclose(backlog_window_mwh(wl, np.ones(N)), 240.0 - 10.0 * (np.arange(N) + 1))


def test_initial_backlog_meets_its_deadlines_in_the_dark_by_shedding():
    # The 240 MWh waiting must leave the backlog at 10 MWh/h on average (bound 240 - 10 (t + 1)). With no
    # power in hours 0-5, the 60 MWh due by the end of hour 5 can only be shed (priced at 1e3 USD/MWh);
    # PV (100 MW fixed, cf 1) runs the work in hours 6-11, at least the 60 MWh due there. What is left at
    # the end of the window costs nothing in the LP (the end is free), so only bounds are asserted.
    pv = np.r_[np.zeros(6), np.ones(6)]
    wl = WorkloadInput(
        "x",
        np.zeros(N),
        flexible=True,
        max_mw=np.full(N, 100.0),
        deadline_hours=24.0,
        value_of_lost_load_usd_per_mwh=1e3,
        initial_backlog_mwh=240.0,
    )
    d = solve(make_inputs(pv, workloads=(wl,), rules=fixed(pv_mw=100.0, wind_mw=0.0))).dispatch
    served, shed = d.it_x_mw.to_numpy(), d.unserved_x_mw.to_numpy()
    assert served[:6] == pytest.approx(0.0, abs=1e-9)
    assert shed[:6].sum() == pytest.approx(60.0, rel=1e-9)
    assert shed[6:].sum() == pytest.approx(0.0, abs=1e-9)
    assert served[6:].sum() >= 60.0 - 1e-6
    backlog = 240.0 - np.cumsum(served + shed)
    assert (backlog <= backlog_window_mwh(wl, np.ones(N)) + 1e-6).all()


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda v: BatterySpec(0.9, 0.9, initial_soc_mwh=v), "battery initial_soc_mwh"),
        (lambda v: HydrogenSpec(0.6, 0.5, initial_h2_mwh=v), "hydrogen initial_h2_mwh"),
        (lambda v: WorkloadInput("x", np.zeros(3), True, initial_backlog_mwh=v), "initial_backlog_mwh"),
    ],
)
@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf"), "10", True])
def test_bad_initial_levels_name_the_field(make, field, bad):
    with pytest.raises(ScenarioError, match=field):
        make(bad)
