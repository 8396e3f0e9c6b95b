"""Concentrating solar power in the simulator: hand-worked hours, energy and heat balances, a CSP plan
operated on its own weather, by the rule-based and by the rolling-horizon policy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from greendc.errors import DataFileError, ScenarioError
from greendc.operate import (
    Design,
    NoisyForecast,
    PerfectForecast,
    RollingHorizonPolicy,
    design_from_summary,
    simulate,
)
from greendc.scenario.models import DataCenter, Electrical, Rules, Scenario, WorkloadClass

from .support import window_lps


def toy_scenario() -> Scenario:
    dc = DataCenter(
        it_capacity_mw=20.0,
        workload_classes=[WorkloadClass(name="web", share=1.0, utilisation=0.8)],
        electrical=Electrical(auxiliary_mw=0.0),
    )
    return Scenario(datacenter=dc, rules=Rules(reserve_fraction=0.0))


def toy_profiles(pv_cf, csp_cf, it_mw: float = 16.0, pue: float = 1.25) -> pd.DataFrame:
    n = len(pv_cf)
    idx = pd.date_range("2030-06-01", periods=n, freq="h", tz="UTC", name="timestamp")
    return pd.DataFrame(
        {
            "pv_cf": pv_cf,
            "wind_cf": 0.0,
            "pue": pue,
            "water_m3_per_mwh_it": 0.0,
            "desalination_mwh_per_mwh_it": 0.0,
            "it_web_mw": it_mw,
            "csp_th_cf": csp_cf,
        },
        index=idx,
    )


#: PV 30 MW; CSP field 100 MW_th, storage 100 MWh_th (empty at the start) losing 1 %/h, block 15 MW at
#: η_pb = 0.4; battery 5 MW / 10 MWh, lossless, half full; firm IT 16 MW at PUE 1.25 = 20 MW facility.
HAND_DESIGN = Design(
    pv_mw=30.0,
    battery_mw=5.0,
    battery_mwh=10.0,
    battery_charge_efficiency=1.0,
    battery_discharge_efficiency=1.0,
    csp_field_mw_th=100.0,
    csp_storage_mwh_th=100.0,
    csp_power_block_mw=15.0,
    csp_power_block_efficiency=0.4,
    csp_storage_loss_per_hour=0.01,
)
HAND_PV = [0.8, 0.8, 0.5, 0.0, 0.0, 0.0]
HAND_CSP = [0.5, 0.8, 0.6, 0.1, 0.0, 0.0]


@pytest.fixture(scope="module")
def hand():
    return simulate(
        HAND_DESIGN,
        toy_scenario(),
        toy_profiles(HAND_PV, HAND_CSP),
        faults=False,
        initial_soc_fraction=0.5,
        initial_csp_fraction=0.0,
    )


def test_csp_hand_worked_hours(hand):
    """Hand trace (k_s = 0.99; field heat q_f = cf × 100; room = 100 − 0.99 s; facility 20 MW):

    00:00  PV 24, surplus 4: battery 4 (soc 9); block idle; q_f = 50 → storage 50, nothing dumped
    01:00  PV 24, surplus 4: battery 1 (soc 10), curtailed 3; q_f = 80, room 100 − 49.5 = 50.5
           → storage 100, dumped 29.5 MW_th
    02:00  PV 15, deficit 5: block y = min(5, 15, 0.4 (60 + 99)) = 5, heat 12.5 from the field, before the
           (full) battery; room 100 − 99 = 1 → storage 100, dumped 60 − 12.5 − 1 = 46.5
    03:00  deficit 20: y = min(20, 15, 0.4 (10 + 99)) = 15 (P_pb), heat 37.5 = 10 field + 27.5 storage
           → storage 99 − 27.5 = 71.5; battery 5 (soc 5); all served
    04:00  y = min(20, 15, 0.4 × 70.785) = 15 from storage → 70.785 − 37.5 = 33.285; battery 5 (soc 0)
    05:00  y = 0.4 × 0.99 × 33.285 = 13.18086 → storage 0; 6.81914 MW facility shed = 5.455312 MW IT
    """
    df = hand.dispatch
    np.testing.assert_allclose(df["csp_mw"], [0, 0, 5, 15, 15, 13.18086], atol=1e-9)
    np.testing.assert_allclose(df["csp_storage_mwh_th"], [50, 100, 100, 71.5, 33.285, 0], atol=1e-9)
    np.testing.assert_allclose(df["csp_dumped_mw_th"], [0, 29.5, 46.5, 0, 0, 0], atol=1e-9)
    np.testing.assert_allclose(df["battery_soc_mwh"], [9, 10, 10, 5, 0, 0], atol=1e-9)
    np.testing.assert_allclose(df["battery_discharge_mw"], [0, 0, 0, 5, 5, 0], atol=1e-9)
    np.testing.assert_allclose(df["curtailed_mw"], [0, 3, 0, 0, 0, 0], atol=1e-9)
    np.testing.assert_allclose(df["unserved_mw"], [0, 0, 0, 0, 0, 5.455312], atol=1e-9)
    s = hand.summary
    assert s["csp_energy_mwh_per_yr"] * s["years"] == pytest.approx(5 + 15 + 15 + 13.18086)
    assert s["csp_dumped_heat_mwh_th_per_yr"] * s["years"] == pytest.approx(29.5 + 46.5)
    assert s["curtailment_mwh_per_yr"] * s["years"] == pytest.approx(3.0)  # electric only, not the heat


def test_csp_heat_storage_cannot_take_charges_the_battery():
    """PV 20 MW = facility (no surplus), q_f = 100 MW_th, no thermal storage, empty 5 MW battery: the heat
    that would be dumped runs the block at the battery's 5 MW (12.5 MW_th), 87.5 MW_th dumped."""
    design = Design(
        pv_mw=20.0,
        battery_mw=5.0,
        battery_mwh=10.0,
        battery_charge_efficiency=1.0,
        battery_discharge_efficiency=1.0,
        csp_field_mw_th=100.0,
        csp_power_block_mw=15.0,
        csp_power_block_efficiency=0.4,
    )
    df = simulate(
        design, toy_scenario(), toy_profiles([1.0, 1.0], [1.0, 1.0]), faults=False, initial_soc_fraction=0.0
    ).dispatch
    np.testing.assert_allclose(df["csp_mw"], [5, 5], atol=1e-9)
    np.testing.assert_allclose(df["battery_charge_mw"], [5, 5], atol=1e-9)
    np.testing.assert_allclose(df["csp_dumped_mw_th"], [87.5, 87.5], atol=1e-9)
    np.testing.assert_allclose(df["curtailed_mw"], 0.0, atol=1e-9)


def balances(
    res, design: Design, initial_csp_mwh_th: float, csp_cf: np.ndarray, step_h: float = 1.0
) -> tuple[float, float]:
    """Largest residual of the electric balance and of the CSP heat balance over the steps [MW, MWh_th], for
    ``csp_cf`` on the dispatch's steps of ``step_h`` hours."""
    df = res.dispatch
    supply = (
        df.pv_mw
        + df.wind_mw
        + df.csp_mw
        + df.battery_discharge_mw
        - df.battery_charge_mw
        + df.fuel_cell_mw
        - df.electrolyser_mw
        + df.grid_import_mw
    )
    electric = float(np.abs(supply - df.facility_mw).max())
    s = np.concatenate([[initial_csp_mwh_th], df.csp_storage_mwh_th])
    k = (1.0 - design.csp_storage_loss_per_hour) ** step_h
    heat_in = csp_cf * design.csp_field_mw_th - df.csp_dumped_mw_th - df.csp_mw / design.csp_power_block_efficiency
    thermal = float(np.abs(s[1:] - (k * s[:-1] + step_h * heat_in)).max())
    return electric, thermal


def test_hand_case_balances_close(hand):
    electric, thermal = balances(hand, HAND_DESIGN, 0.0, np.asarray(HAND_CSP))
    assert electric < 1e-6 and thermal < 1e-6


@pytest.fixture(scope="module")
def csp_plan():
    """Four days of synthetic Dakhla weather with CSP enabled and a 400 km² land limit: the plan builds PV,
    a CSP field, storage and block, no battery, and serves every MWh."""
    from greendc.assets.profiles import build_profiles
    from greendc.plan.from_scenario import inputs_from_scenario
    from greendc.plan.solve import solve
    from greendc.scenario.io import scenario_from_dict
    from greendc.scenario.models import Weather
    from greendc.weather.synthetic import synthetic_weather

    # measured under the projections-2030 cost set (its battery is dear enough that the plan builds none)
    sc = scenario_from_dict(
        {
            "name": "dakhla-csp",
            "technologies": {"csp": {"enabled": True}},
            "rules": {"land_limit_km2": 400},
            "costs": {"set": "projections-2030"},
        }
    )
    profiles = build_profiles(sc, synthetic_weather(sc.site, Weather(years=1, seed=1)).iloc[: 24 * 4])
    res = solve(inputs_from_scenario(sc, profiles))
    return sc, profiles, res


def test_csp_plan_operates_on_its_own_weather(csp_plan):
    """The plan's design, read back from its summary, runs on the plan's own four days: no unserved energy
    (as in the plan), the CSP block supplies, balances close every step. The rule-based policy has no
    foresight: it uses the day's field heat for the flexible work PV leaves waiting; without that rule the
    backlog waits for the night, when the 410 MW block cannot serve it (about 490 MWh of training work
    dropped)."""
    sc, profiles, plan = csp_plan
    assert plan.dispatch["unserved_mw"].sum() == pytest.approx(0.0, abs=1e-6)
    design = design_from_summary(plan.summary(), sc)
    assert design.csp_field_mw_th > 0 and design.csp_storage_mwh_th > 0 and design.csp_power_block_mw > 0
    res = simulate(design, sc, profiles, faults=False)
    df = res.dispatch
    assert df["unserved_mw"].sum() == pytest.approx(0.0, abs=1e-6)
    assert df["csp_mw"].max() == pytest.approx(design.csp_power_block_mw)
    assert (df["csp_mw"] <= design.csp_power_block_mw + 1e-9).all()
    assert (df["csp_storage_mwh_th"] <= design.csp_storage_mwh_th + 1e-9).all()
    electric, thermal = balances(res, design, 0.5 * design.csp_storage_mwh_th, profiles["csp_th_cf"].to_numpy())
    assert electric < 1e-6 and thermal < 1e-6
    # the renewable energy of the KPI code counts the CSP output as on-site renewable
    from greendc.kpi.metrics import renewable_energy_mwh

    ref = renewable_energy_mwh(df)
    assert ref["generated_mwh"] == pytest.approx(float((df.pv_mw + df.wind_mw + df.csp_mw).sum()), rel=1e-9)
    assert ref["generated_mwh"] > float((df.pv_mw + df.wind_mw).sum()) + 1000.0


def test_csp_with_faults_and_quarter_hours_balances(csp_plan):
    """Outages on the other fleets and 15-minute steps (csp_th_cf interpolated, its hourly means kept)."""
    sc, profiles, plan = csp_plan
    design = design_from_summary(plan.summary(), sc)
    res = simulate(design, sc, profiles, step="15min", fault_seed=4)
    from greendc.operate import resample_profiles

    cf = resample_profiles(profiles, "15min")["csp_th_cf"].to_numpy()
    np.testing.assert_allclose(cf.reshape(-1, 4).mean(axis=1), profiles["csp_th_cf"], atol=1e-9)
    electric, thermal = balances(res, design, 0.5 * design.csp_storage_mwh_th, cf, step_h=0.25)
    assert electric < 1e-6 and thermal < 1e-6


def test_csp_needs_its_profile():
    sc = toy_scenario()
    with pytest.raises(DataFileError, match="csp_th_cf"):
        simulate(HAND_DESIGN, sc, toy_profiles(HAND_PV, HAND_CSP).drop(columns="csp_th_cf"), faults=False)
    with pytest.raises(DataFileError, match="csp_th_cf"):
        simulate(
            HAND_DESIGN,
            sc,
            toy_profiles(HAND_PV, HAND_CSP).drop(columns="csp_th_cf"),
            faults=False,
            policy=RollingHorizonPolicy(horizon_h=3),
        )
    with pytest.raises(ScenarioError, match="csp_power_block_efficiency"):
        Design(csp_power_block_efficiency=0.0)
    # without CSP the dispatch has no CSP columns (as the planner's), with either policy
    for policy in (None, RollingHorizonPolicy(horizon_h=3)):
        res = simulate(Design(pv_mw=30.0), sc, toy_profiles(HAND_PV, HAND_CSP), faults=False, policy=policy)
        assert "csp_mw" not in res.dispatch.columns and "csp_energy_mwh_per_yr" not in res.summary


@pytest.mark.parametrize(("replan_every_h", "reuse_model"), [(1.0, True), (3.0, True), (1.0, False)])
def test_rolling_policy_runs_the_block_at_night_from_storage(replan_every_h, reuse_model):
    """The hand case of :func:`test_csp_hand_worked_hours` under the rolling-horizon policy with a perfect
    forecast (6 h window): no dispatch does better, and the LP's follows the same hand count. The storage
    is full at 02:00 (field heat 50 + 80 + 60 MW_th, 76 MW_th dumped); at night the block runs at its
    15 MW on stored heat (71.5 → 33.285 → 0 MWh_th, 13.18086 MW in the last hour), the battery adds 5 MW
    twice, and 6.81914 MW of facility (5.455312 MW of IT) is shed at 05:00. Each window has other field
    heat and another initial storage level: a model reused without them would not follow this count."""
    res = simulate(
        HAND_DESIGN,
        toy_scenario(),
        toy_profiles(HAND_PV, HAND_CSP),
        faults=False,
        initial_soc_fraction=0.5,
        initial_csp_fraction=0.0,
        forecast=PerfectForecast(),
        policy=RollingHorizonPolicy(horizon_h=6, replan_every_h=replan_every_h, reuse_model=reuse_model),
    )
    df = res.dispatch
    np.testing.assert_allclose(df["csp_mw"], [0, 0, 5, 15, 15, 13.18086], atol=1e-6)
    np.testing.assert_allclose(df["csp_storage_mwh_th"], [50, 100, 100, 71.5, 33.285, 0], atol=1e-6)
    np.testing.assert_allclose(df["csp_dumped_mw_th"].sum(), 29.5 + 46.5, atol=1e-6)
    np.testing.assert_allclose(df["battery_discharge_mw"], [0, 0, 0, 5, 5, 0], atol=1e-6)
    np.testing.assert_allclose(df["curtailed_mw"].sum(), 3.0, atol=1e-6)
    np.testing.assert_allclose(df["unserved_mw"], [0, 0, 0, 0, 0, 5.455312], atol=1e-6)
    electric, thermal = balances(res, HAND_DESIGN, 0.0, np.asarray(HAND_CSP))
    assert electric < 1e-6 and thermal < 1e-6


def test_rolling_policy_operates_the_csp_plan(csp_plan):
    """The CSP plan under the rolling-horizon policy (48 h window re-solved every hour): with a perfect
    forecast on its own four days no unserved energy, as planned, the block within its rating and the
    storage within its capacity; with a noisy forecast and outages the real-time balancing still closes
    the electric and the heat balance every step. Measured: the block supplies 27.66 GWh (the plan
    28.0 GWh)."""
    sc, profiles, plan = csp_plan
    design = design_from_summary(plan.summary(), sc)
    cf = profiles["csp_th_cf"].to_numpy()
    res = simulate(
        design, sc, profiles, faults=False, forecast=PerfectForecast(), policy=RollingHorizonPolicy(horizon_h=48)
    )
    df = res.dispatch
    assert df["unserved_mw"].sum() == pytest.approx(0.0, abs=1e-6)
    assert df["csp_mw"].sum() > 0.95 * plan.dispatch["csp_mw"].sum()
    assert (df["csp_mw"] <= design.csp_power_block_mw + 1e-6).all()
    assert (df["csp_storage_mwh_th"] <= design.csp_storage_mwh_th + 1e-6).all()
    night = cf == 0.0
    assert night.any() and df["csp_mw"][night].sum() > 0.0  # the block runs on stored heat at night
    electric, thermal = balances(res, design, 0.5 * design.csp_storage_mwh_th, cf)
    assert electric < 1e-6 and thermal < 1e-6
    noisy = simulate(
        design,
        sc,
        profiles,
        fault_seed=4,
        forecast=NoisyForecast(),
        policy=RollingHorizonPolicy(horizon_h=24, replan_every_h=6),
    )
    electric, thermal = balances(noisy, design, 0.5 * design.csp_storage_mwh_th, cf)
    assert electric < 1e-6 and thermal < 1e-6


def test_setpoint_kernel_balances_the_csp_block_by_hand():
    """The real-time balancing with hand-written set-points (no PV forecast, no flexible class): facility
    20 MW, battery 10 MW / 20 MWh lossless with 10 MWh, CSP storage 100 MWh_th of which 100 full, lossless,
    block 15 MW at η_pb = 0.4.

    step 0  PV 0, set-points all 0: shortfall 20 → the block rises first, to 15 MW (37.5 MW_th from
            storage: 62.5 left), then the battery 5 MW (soc 5);
    step 1  PV 35, block set to 10 MW: surplus 25 → the block is cut to 0 (its heat stays stored: 62.5),
            the battery charges 10 (soc 15), 5 MW curtailed;
    step 2  PV 20, field heat 40 MW_th, block 4 MW charging the battery 4 MW (as the LP plans with heat the
            storage cannot take): applied as planned; 10 MW_th to the block, 30 to storage (92.5), none
            dumped, soc 19.
    """
    from greendc.operate.kernel import OUT_ROWS
    from greendc.operate.setpoint import setpoint_kernel

    n = 3
    z, one = np.zeros(n), np.ones(n)
    flex = np.zeros((0, n))
    out = np.zeros((len(OUT_ROWS), n))
    firm = np.zeros((1, n))
    plan = np.zeros((5, n))
    plan[4] = [0.0, 10.0, 4.0]
    plan[0, 2] = 4.0
    storage = np.array([10.0, 0.0, 100.0])
    setpoint_kernel(
        one,
        np.array([0.0, 35.0, 20.0]),
        z,
        1.25 * one,
        z,
        np.full((1, n), 16.0),
        flex,
        flex,
        flex,
        np.zeros(0, dtype=np.int64),
        np.zeros(0),
        np.zeros(0),
        np.zeros(0),
        np.full(n, 10.0),
        20.0,
        1.0,
        1.0,
        one,
        z,
        0.0,
        0.6,
        z,
        0.5,
        np.array([0.0, 0.0, 40.0]),
        100.0,
        one,
        np.full(n, 15.0),
        0.4,
        z,
        np.full(n, np.inf),
        0.0,
        plan,
        0,
        n,
        storage,
        np.zeros((0, 1)),
        np.zeros(0, dtype=np.int64),
        np.zeros(0),
        np.zeros(0),
        np.zeros(0),
        np.zeros(2),
        out,
        firm,
        flex.copy(),
        flex.copy(),
        flex.copy(),
        flex.copy(),
    )
    row = {k: out[i] for i, k in enumerate(OUT_ROWS)}
    np.testing.assert_allclose(row["csp_mw"], [15, 0, 4], atol=1e-12)
    np.testing.assert_allclose(row["csp_storage_mwh_th"], [62.5, 62.5, 92.5], atol=1e-12)
    np.testing.assert_allclose(row["csp_dumped_mw_th"], [0, 0, 0], atol=1e-12)
    np.testing.assert_allclose(row["battery_discharge_mw"], [5, 0, 0], atol=1e-12)
    np.testing.assert_allclose(row["battery_charge_mw"], [0, 10, 4], atol=1e-12)
    np.testing.assert_allclose(row["battery_soc_mwh"], [5, 15, 19], atol=1e-12)
    np.testing.assert_allclose(row["curtailed_mw"], [0, 5, 0], atol=1e-12)
    np.testing.assert_allclose(firm, 16.0, atol=1e-12)  # nothing shed
    np.testing.assert_allclose(storage, [19.0, 0.0, 92.5], atol=1e-12)


def test_reused_window_lp_matches_a_fresh_one_with_csp(csp_plan):
    """The CSP numbers changed in place (field heat coefficients, initial heat in storage) give each window
    the optimum of its LP built from scratch, for windows at other hours and storage levels."""
    from greendc.operate import DispatchState

    sc, profiles, plan = csp_plan
    design = design_from_summary(plan.summary(), sc)
    inputs, window_at, lp_of = window_lps(design, sc, profiles)
    reused = None
    for k, t0 in enumerate(range(0, len(profiles) - 24, 7)):
        state = DispatchState.initial(inputs, 0.0, 0.0, (0.1 + 0.27 * k) % 1.0 * design.csp_storage_mwh_th)
        window = window_at(state, t0, 24)
        fresh = lp_of(window)
        fresh_plan, _ = fresh.solve(t0)
        if reused is None:
            reused = lp_of(window)
        else:
            reused.set_window(window, builder_data=True)
        reused_plan, _ = reused.solve(t0)
        expected = fresh.highs.getInfo().objective_function_value
        assert reused.highs.getInfo().objective_function_value == pytest.approx(expected, rel=1e-7, abs=1e-6), t0
        assert fresh_plan[4].max() > 0.0 and reused_plan[4].max() <= design.csp_power_block_mw + 1e-6
