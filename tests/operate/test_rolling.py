"""The rolling-horizon policy: a hand-known day, real-time balancing, the fast path against rebuilding
every window, and a year of the default Dakhla plan with perfect forecasts against the plan itself."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tests.plan.test_plan_model import balance_residual

from greendc.errors import ScenarioError
from greendc.operate import (
    Design,
    NoisyForecast,
    PerfectForecast,
    RollingHorizonPolicy,
    SchedulerParameters,
    design_from_summary,
    simulate,
)
from greendc.scenario.models import WorkloadClass

from .support import toy_profiles, toy_scenario, window_lps
from .test_simulate import week  # noqa: F401  (week is a fixture)


def toy_day(policy: RollingHorizonPolicy):
    """The toy day of test_simulate: PV 100 MW at 0.5 from 08:00 to 16:00, firm IT 16 MW at PUE 1.25,
    battery 20 MW / 80 MWh, 0.9 each way, half full at the start."""
    sc = toy_scenario([WorkloadClass(name="web", share=1.0, utilisation=0.8)], it_capacity_mw=20.0)
    pv = np.zeros(24)
    pv[8:16] = 0.5
    design = Design(
        pv_mw=100.0, battery_mw=20.0, battery_mwh=80.0, battery_charge_efficiency=0.9, battery_discharge_efficiency=0.9
    )
    return simulate(
        design,
        sc,
        toy_profiles(24, pv, 1.25, {"web": 16.0}),
        faults=False,
        policy=policy,
        forecast=PerfectForecast(),
        initial_soc_fraction=0.5,
    )


@pytest.mark.parametrize(("replan_every_h", "reuse_model"), [(1.0, True), (6.0, True), (24.0, True), (6.0, False)])
def test_toy_day_sheds_the_least_possible(replan_every_h, reuse_model):
    """No policy can do better than this hand count (facility 20 MW all day, 1.25 MW per MW of IT):

    00–07  the battery's 40 MWh deliver 36 MWh of the 160 needed: 124 MWh facility shed = 99.2 MWh IT;
    08–15  PV 50 MW covers the load and charges at 20 MW (18 MWh/h stored): full (80 MWh) after 12:00;
    16–23  the full battery delivers 72 MWh of 160: 88 MWh facility shed = 70.4 MWh IT.

    Total 169.6 MWh of IT shed, the battery full at 16:00 and empty at midnight.
    """
    res = toy_day(RollingHorizonPolicy(horizon_h=24, replan_every_h=replan_every_h, reuse_model=reuse_model))
    df = res.dispatch
    assert df["unserved_mw"].sum() == pytest.approx(169.6, abs=1e-6)
    assert df["battery_soc_mwh"].iloc[15] == pytest.approx(80.0, abs=1e-6)
    assert df["battery_soc_mwh"].iloc[-1] == pytest.approx(0.0, abs=1e-6)
    assert df["battery_discharge_mw"].sum() == pytest.approx(36.0 + 72.0, abs=1e-6)


def test_a_window_without_any_supply_is_solved_by_shedding():
    """No PV, an empty battery, a flexible class with a must-run floor and site auxiliaries: the window's
    LP still has a solution (auxiliaries shed as firm load, floor soft) and everything is shed, 10 MW of
    IT (firm 5, flexible 5) and 1 MW of auxiliaries every hour."""
    from greendc.scenario.models import DataCenter, Electrical, Scenario

    classes = [
        WorkloadClass(name="web", share=0.5, utilisation=1.0),
        WorkloadClass(
            name="batch", share=0.5, utilisation=1.0, flexible=True, min_power_fraction=0.5, deadline_hours=6
        ),
    ]
    sc = Scenario(
        datacenter=DataCenter(it_capacity_mw=10.0, workload_classes=classes, electrical=Electrical(auxiliary_mw=1.0))
    )
    prof = toy_profiles(24, 0.0, 1.2, {"web": 5.0, "batch": 5.0})
    design = Design(pv_mw=0.0, battery_mw=5.0, battery_mwh=20.0)
    res = simulate(
        design,
        sc,
        prof,
        faults=False,
        policy=RollingHorizonPolicy(horizon_h=12, replan_every_h=3),
        initial_soc_fraction=0.0,
    )
    df = res.dispatch
    assert df["facility_mw"].abs().max() == pytest.approx(0.0, abs=1e-9)
    assert df["it_mw"].abs().max() == pytest.approx(0.0, abs=1e-9)
    assert df["unserved_web_mw"].to_numpy() == pytest.approx(5.0)


@pytest.fixture(scope="module")
def noisy_run(week):  # noqa: F811
    """Two weeks with forced outages and a noisy forecast; the result and the policy's counters."""
    sc, prof, design = week
    policy = RollingHorizonPolicy(horizon_h=48, replan_every_h=12)
    return simulate(design, sc, prof, fault_seed=3, policy=policy, forecast=NoisyForecast()), policy.stats


def test_real_time_balance_closes_and_storage_stays_in_bounds(noisy_run, week):  # noqa: F811
    _, _, design = week
    res, stats = noisy_run
    df = res.dispatch
    assert np.abs(balance_residual(df)).max() < 1e-6
    assert df["battery_soc_mwh"].between(-1e-9, design.battery_mwh + 1e-9).all()
    assert df["h2_level_mwh"].between(-1e-9, design.h2_store_mwh + 1e-9).all()
    assert (df[["battery_charge_mw", "battery_discharge_mw", "electrolyser_mw", "fuel_cell_mw"]] >= -1e-9).all().all()
    avail = res.availability
    assert (df["battery_discharge_mw"] <= design.battery_mw * avail["battery_available_fraction"] + 1e-6).all()
    assert stats.solves == 28  # 14 days, a window every 12 h


def test_fast_path_gives_each_window_the_optimum_of_its_own_lp(week):  # noqa: F811
    """The LP built once and given another window's numbers (forecast outputs, outage-reduced ratings,
    storage levels, backlogs) has the optimum of that window's LP built from scratch.

    Whole runs are not compared: these LPs have alternative optima (when to charge from a surplus that
    fills the store either way), so a warm-started and a cold solve may apply different, equally good
    set-points and the runs then drift apart (measured on this fortnight: 3 of 28 windows, the same
    objective to 1e-6).
    """
    from greendc.operate import DispatchState

    sc, prof, design = week
    inputs, window_at, lp_of = window_lps(design, sc, prof)
    reused = None
    for k, t0 in enumerate(range(0, len(prof) - 48, 29)):
        state = DispatchState.initial(inputs, (0.2 + 0.1 * k) % 1.0 * design.battery_mwh, 0.5 * design.h2_store_mwh)
        state.backlog_buffer_mwh[:] = 5.0 * k  # work waiting from earlier steps
        window = window_at(state, t0, 48)
        fresh = lp_of(window)
        fresh.solve(t0)
        if reused is None:
            reused = lp_of(window)
        else:
            reused.set_window(window, builder_data=True)
        reused.solve(t0)
        expected = fresh.highs.getInfo().objective_function_value
        assert reused.highs.getInfo().objective_function_value == pytest.approx(expected, rel=1e-7, abs=1e-6), t0


def test_same_seed_same_run(noisy_run, week):  # noqa: F811
    sc, prof, design = week
    again = simulate(
        design,
        sc,
        prof,
        fault_seed=3,
        forecast=NoisyForecast(),
        policy=RollingHorizonPolicy(horizon_h=48, replan_every_h=12),
    )
    pd.testing.assert_frame_equal(again.dispatch, noisy_run[0].dispatch)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"horizon_h": 0.0}, "horizon_h"),
        ({"horizon_h": float("nan")}, "horizon_h"),
        ({"replan_every_h": -1.0}, "replan_every_h"),
        ({"horizon_h": 24.0, "replan_every_h": 48.0}, "replan_every_h"),
        ({"firm_voll_usd_per_mwh": "high"}, "firm_voll_usd_per_mwh"),
    ],
)
def test_bad_parameters_name_the_field(kwargs, field):
    with pytest.raises(ScenarioError, match=field):
        RollingHorizonPolicy(**kwargs)


def test_terminal_value_above_the_price_of_flexible_work_is_refused():
    with pytest.raises(ScenarioError, match="terminal_value_usd_per_mwh"):
        toy_day(RollingHorizonPolicy(terminal_value_usd_per_mwh=9_000.0, flexible_voll_usd_per_mwh=10_000.0))


@pytest.fixture(scope="module")
def dakhla_plan():
    """The default Dakhla plan (1 synthetic year, hourly) and the profiles it was sized on."""
    from greendc.assets.profiles import build_profiles
    from greendc.plan.from_scenario import inputs_from_scenario
    from greendc.plan.solve import solve
    from greendc.scenario.io import load_scenario
    from greendc.weather.source import scenario_weather

    # the acceptance figures below were measured with the deep-70 envelope of the training class and the
    # projections-2030 cost set (the design before the cost revision)
    sc = load_scenario("dakhla")
    sc = sc.model_copy(update={"costs": sc.costs.model_copy(update={"set": "projections-2030"})})
    training = sc.datacenter.workload_classes[1].model_validate(
        sc.datacenter.workload_classes[1].model_dump(
            exclude={"min_power_fraction", "max_power_fraction", "deadline_hours"}
        )
        | {"envelope": "deep-70"}
    )
    sc = sc.model_copy(
        update={
            "datacenter": sc.datacenter.model_copy(
                update={"workload_classes": [sc.datacenter.workload_classes[0], training]}
            )
        }
    )
    profiles = build_profiles(sc, scenario_weather(sc)[0])
    return sc, profiles, solve(inputs_from_scenario(sc, profiles))


def test_perfect_forecast_serves_what_the_plan_served(dakhla_plan):
    """Issue acceptance: on the year the plan was sized on, with perfect forecasts, a 48 h window re-solved
    every hour serves at least the plan's IT energy, within 1e-5 of the requested energy.

    The plan saw the whole year at once; the policy sees 48 h, starts with the battery at the plan's level
    before the first hour and must respect the simulator's scheduler. The scheduler here has no restart
    overhead: the plan's workload model has none, and with the default 0.1 h per MW resumed the jobs need
    about 0.3 % more IT energy than requested, which the plan did not size for. Measured: 4.8 MWh of
    3.504 TWh short (1.4e-6); rolling the 48 h window only once a day: 130 MWh (3.7e-5).
    """
    sc, profiles, plan = dakhla_plan
    design = design_from_summary(plan.summary(), sc)
    soc0 = float(plan.dispatch["battery_soc_mwh"].iloc[-1]) / design.battery_mwh
    policy = RollingHorizonPolicy(horizon_h=48, replan_every_h=1)
    res = simulate(
        design,
        sc,
        profiles,
        faults=False,
        policy=policy,
        forecast=PerfectForecast(),
        scheduler=SchedulerParameters(restart_overhead_h=0.0),
        initial_soc_fraction=soc0,
    )
    requested_mwh = sum(plan.dispatch[c].sum() for c in plan.dispatch if c.startswith("requested_"))
    plan_served_mwh = requested_mwh - plan.dispatch["unserved_mw"].sum()
    served_mwh = requested_mwh - res.dispatch["unserved_mw"].sum()
    assert served_mwh >= plan_served_mwh - 1e-5 * requested_mwh
    assert policy.stats.solves == 8760 and policy.stats.builds == 1
