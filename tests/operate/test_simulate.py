"""The simulator against hand calculations: a traced toy day, the scheduler's deadlines, energy balances,
sub-hourly steps."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from greendc.errors import DataFileError, ScenarioError
from greendc.operate import (
    Design,
    PerfectForecast,
    SchedulerParameters,
    design_from_scenario,
    resample_profiles,
    simulate,
)
from greendc.scenario.models import Scenario, WorkloadClass

from .support import flexible_batch, toy_profiles, toy_scenario


@pytest.fixture(scope="module")
def toy_day():
    """24 h: PV 100 MW at 0.5 per unit from 08:00 to 16:00, firm IT 16 MW at PUE 1.25 (20 MW facility),
    battery 20 MW / 80 MWh with 0.9 each way, half full at the start; no hydrogen, no faults."""
    sc = toy_scenario([WorkloadClass(name="web", share=1.0, utilisation=0.8)], it_capacity_mw=20.0)
    pv = np.zeros(24)
    pv[8:16] = 0.5
    prof = toy_profiles(24, pv, 1.25, {"web": 16.0})
    design = Design(
        pv_mw=100.0, battery_mw=20.0, battery_mwh=80.0, battery_charge_efficiency=0.9, battery_discharge_efficiency=0.9
    )
    return simulate(design, sc, prof, faults=False, initial_soc_fraction=0.5)


def test_toy_day_hand_traced(toy_day):
    """Hand trace (written out; d ≤ min(20, 0.9 soc), c ≤ min(20, (80 − soc)/0.9), facility 20 MW):

    00:00  deficit 20, d = 20,            soc 40 − 20/0.9 = 17.778
    01:00  d = 0.9 × 17.778 = 16.0,       soc 0, 4 MW facility shed = 3.2 MW IT
    02–07  nothing stored: 16 MW IT shed each hour
    08–11  surplus 50 − 20 = 30, c = 20 (power limit), curtailed 10, soc 18, 36, 54, 72
    12:00  c = (80 − 72)/0.9 = 8.889,     soc 80, curtailed 30 − 8.889 = 21.111
    13–15  battery full, curtailed 30
    16–18  d = 20,                        soc 57.778, 35.556, 13.333
    19:00  d = 0.9 × 13.333 = 12,         soc 0, 8 MW facility shed = 6.4 MW IT
    20–23  16 MW IT shed each hour
    """
    soc = [17.778, 0, 0, 0, 0, 0, 0, 0, 18, 36, 54, 72, 80, 80, 80, 80, 57.778, 35.556, 13.333, 0, 0, 0, 0, 0]
    unserved = [0, 3.2] + [16.0] * 6 + [0] * 11 + [6.4] + [16.0] * 4
    curtailed = [0] * 8 + [10, 10, 10, 10, 21.111, 30, 30, 30] + [0] * 8
    charge = [0] * 8 + [20, 20, 20, 20, 8.889] + [0] * 11
    discharge = [20, 16] + [0] * 14 + [20, 20, 20, 12] + [0] * 4
    df = toy_day.dispatch
    np.testing.assert_allclose(df["battery_soc_mwh"], soc, atol=1e-3)
    np.testing.assert_allclose(df["unserved_mw"], unserved, atol=1e-9)
    np.testing.assert_allclose(df["curtailed_mw"], curtailed, atol=1e-3)
    np.testing.assert_allclose(df["battery_charge_mw"], charge, atol=1e-3)
    np.testing.assert_allclose(df["battery_discharge_mw"], discharge, atol=1e-9)
    np.testing.assert_allclose(df["facility_mw"], (16.0 - np.array(unserved)) * 1.25, atol=1e-9)


def test_toy_day_summary(toy_day):
    """Same trace: loss of load 01–07 and 19–23 (12 h, longest 7 h); IT unserved 3.2 + 96 + 6.4 + 64 MWh;
    curtailed 4 × 10 + 21.111 + 3 × 30 = 151.111 MWh; discharged 108 MWh = 1.35 equivalent full cycles of 80 MWh."""
    s = toy_day.summary
    assert s["lolh_h_per_yr"] * s["years"] == pytest.approx(12.0)
    assert s["longest_interruption_h"] == pytest.approx(7.0)
    assert s["unserved_mwh_per_yr"] * s["years"] == pytest.approx(3.2 + 96.0 + 6.4 + 64.0)
    assert s["eens_facility_mwh_per_yr"] * s["years"] == pytest.approx((3.2 + 96.0 + 6.4 + 64.0) * 1.25)
    assert s["curtailment_mwh_per_yr"] * s["years"] == pytest.approx(151.111, abs=1e-3)
    assert s["battery_cycles_per_yr"] * s["years"] == pytest.approx(108.0 / 80.0)
    assert s["battery_soc_min_fraction"] == 0.0


def flexible_case(pv_cf, restart_overhead_h: float = 0.0) -> pd.DataFrame:
    """6 h: flexible ``batch`` (10 MW of IT, 0-10 MW, deadline 2 h) asks 6 MWh in hours 0 and 1; PV 10 MW at
    ``pv_cf``, no storage, perfect forecast, jobs restarting with ``restart_overhead_h`` [h/MW]; the dispatch
    table."""
    sc = toy_scenario([flexible_batch(1.0, 0.6, 0.0, 2)], it_capacity_mw=10.0)
    prof = toy_profiles(6, pv_cf, 1.0, {"batch": [6.0, 6.0, 0.0, 0.0, 0.0, 0.0]})
    result = simulate(
        Design(pv_mw=10.0),
        sc,
        prof,
        faults=False,
        forecast=PerfectForecast(),
        scheduler=SchedulerParameters(restart_overhead_h=restart_overhead_h),
    )
    return result.dispatch


def test_scheduler_waits_for_forecast_sun_and_meets_deadlines():
    """Hand example: 6 MWh requested in hours 0 and 1, deadline 2 h (due at the end of hours 2 and 3);
    10 MW of PV in hours 2 and 3 only, no storage, perfect forecast.

    Hours 0–1: the forecast surplus of the next 2 h (10, then 20 MWh) covers the backlog: wait.
    Hour 2: packet 0 is due (lo = 6 MW); surplus lets the class run at 10 MW: packet 0 done, 4 MWh of
    packet 1. Hour 3: packet 1's last 2 MWh. Nothing missed.
    """
    df = flexible_case([0.0, 0.0, 1.0, 1.0, 0.0, 0.0])
    np.testing.assert_allclose(df["it_batch_mw"], [0, 0, 10, 2, 0, 0], atol=1e-9)
    np.testing.assert_allclose(df["backlog_batch_mwh"], [6, 12, 2, 0, 0, 0], atol=1e-9)
    np.testing.assert_allclose(df["unserved_batch_mw"], 0.0, atol=1e-9)
    np.testing.assert_allclose(df["curtailed_mw"], [0, 0, 0, 8, 0, 0], atol=1e-9)


def test_scheduler_drops_work_exactly_at_its_deadline():
    """Hand example: PV only in hour 3. Packet 0 (due end of hour 2) cannot be run: 6 MWh dropped in hour 2,
    not before; packet 1 (due end of hour 3) runs at 6 MW in hour 3, its last hour."""
    df = flexible_case([0.0, 0.0, 0.0, 1.0, 0.0, 0.0])
    np.testing.assert_allclose(df["unserved_batch_mw"], [0, 0, 6, 0, 0, 0], atol=1e-9)
    np.testing.assert_allclose(df["it_batch_mw"], [0, 0, 0, 6, 0, 0], atol=1e-9)
    np.testing.assert_allclose(df["backlog_batch_mwh"], [6, 12, 6, 0, 0, 0], atol=1e-9)


@pytest.fixture(scope="module")
def week():
    """A Dakhla-like design on two synthetic weeks, faults on, hydrogen, both workload classes."""
    from greendc.assets.profiles import build_profiles
    from greendc.scenario.models import Weather
    from greendc.weather.synthetic import synthetic_weather

    sc = Scenario()
    wx = synthetic_weather(sc.site, Weather(years=1, seed=11)).iloc[24 * 150 : 24 * 164]
    prof = build_profiles(sc, wx)
    design = design_from_scenario(
        sc,
        pv_mw=900.0,
        wind_mw=500.0,
        battery_mw=300.0,
        battery_mwh=1200.0,
        electrolyser_mw=150.0,
        h2_store_mwh=20000.0,
        fuel_cell_mw=300.0,
    )
    return sc, prof, design


def test_energy_balance_closes_every_step(week):
    """Balance of the canonical columns (as the planner writes it), storage balances and the flexible
    work ledger (requested = served + dropped + still waiting, without restart overhead) close."""
    sc, prof, design = week
    res = simulate(design, sc, prof, fault_seed=3, scheduler=SchedulerParameters(restart_overhead_h=0.0))
    df = res.dispatch
    supply = df.pv_mw + df.wind_mw + df.battery_discharge_mw - df.battery_charge_mw + df.fuel_cell_mw
    np.testing.assert_allclose(supply - df.electrolyser_mw + df.grid_import_mw, df.facility_mw, atol=1e-6)
    soc = np.concatenate([[0.5 * design.battery_mwh], df.battery_soc_mwh])
    eta_c, eta_d = design.battery_charge_efficiency, design.battery_discharge_efficiency
    np.testing.assert_allclose(np.diff(soc), eta_c * df.battery_charge_mw - df.battery_discharge_mw / eta_d, atol=1e-6)
    h2 = np.concatenate([[0.5 * design.h2_store_mwh], df.h2_level_mwh])
    eta_el, eta_fc = design.electrolyser_efficiency, design.fuel_cell_efficiency
    np.testing.assert_allclose(np.diff(h2), eta_el * df.electrolyser_mw - df.fuel_cell_mw / eta_fc, atol=1e-6)
    ledger = df.it_training_mw.sum() + df.unserved_training_mw.sum() + df.backlog_training_mwh.iloc[-1]
    assert ledger == pytest.approx(df.requested_training_mw.sum(), rel=1e-9)
    assert (df.battery_charge_mw * df.battery_discharge_mw == 0).all()
    assert (df.curtailed_mw >= -1e-9).all() and (df.unserved_mw >= -1e-9).all()


def test_same_seed_same_run_other_seed_other_outages(week):
    sc, prof, design = week
    a = simulate(design, sc, prof, fault_seed=5)
    b = simulate(design, sc, prof, fault_seed=5)
    c = simulate(design, sc, prof, fault_seed=6)
    pd.testing.assert_frame_equal(a.dispatch, b.dispatch)
    assert not a.availability.equals(c.availability)


def test_constant_profile_same_energy_hourly_and_15_min():
    """Constant sun and load: a 15-minute run gives the hourly run's energies (nothing varies within an
    hour, so every quarter repeats the hour)."""
    sc = toy_scenario([WorkloadClass(name="web", share=1.0, utilisation=0.8)], it_capacity_mw=20.0)
    prof = toy_profiles(48, 0.15, 1.25, {"web": 16.0})
    design = Design(pv_mw=100.0, battery_mw=20.0, battery_mwh=80.0)
    hourly = simulate(design, sc, prof, faults=False).summary
    quarter = simulate(design, sc, prof, step="15min", faults=False).summary
    for key in (
        "pv_energy_mwh_per_yr",
        "facility_energy_mwh_per_yr",
        "unserved_mwh_per_yr",
        "battery_discharge_mwh_per_yr",
        "curtailment_mwh_per_yr",
    ):
        assert quarter[key] == pytest.approx(hourly[key], rel=1e-9, abs=1e-9), key


def test_resampling_keeps_hourly_means_and_holds_requests():
    """Mid-point interpolation corrected per hour: every hour keeps its mean, no sub-step leaves the range
    of its hour and the neighbouring hours (a sharp rise after a calm hour stays ≤ 0.87); requests held."""
    pv = [0.0, 0.1, 0.5, 0.8, 0.4, 0.0]
    wind = [0.0, 0.0, 0.87, 0.87, 0.1, 0.3]
    prof = toy_profiles(6, pv, 1.2, {"web": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]}).assign(wind_cf=wind)
    fine = resample_profiles(prof, "5min")
    assert len(fine) == 72
    for col, hourly in (("pv_cf", pv), ("wind_cf", wind)):
        np.testing.assert_allclose(fine[col].to_numpy().reshape(6, 12).mean(axis=1), hourly, atol=1e-9)
        assert fine[col].max() <= max(hourly) + 1e-12 and fine[col].min() >= 0.0
    held = np.repeat(np.arange(1.0, 7.0)[:, None], 12, axis=1)
    np.testing.assert_allclose(fine["it_web_mw"].to_numpy().reshape(6, 12), held)


def test_bad_inputs_raise_greendc_errors(toy_day):
    sc = toy_scenario([WorkloadClass(name="web", share=1.0, utilisation=0.8)], it_capacity_mw=20.0)
    prof = toy_profiles(24, 0.2, 1.2, {"web": 16.0})
    with pytest.raises(DataFileError, match="it_web_mw"):
        simulate(Design(), sc, prof.drop(columns="it_web_mw"))
    with pytest.raises(ScenarioError, match="step"):
        simulate(Design(), sc, prof, step="7min")
    with pytest.raises(ScenarioError, match="initial_soc_fraction"):
        simulate(Design(), sc, prof, initial_soc_fraction=1.5)


def test_outputs_written(toy_day, tmp_path):
    path = toy_day.to_parquet(tmp_path / "dispatch.parquet")
    back = pd.read_parquet(path)
    assert {"battery_soc_mwh", "unserved_web_mw", "pv_available_fraction"} <= set(back.columns)
    doc = json.loads(toy_day.to_json(tmp_path / "summary.json").read_text())
    assert doc["summary"]["longest_interruption_h"] == 7.0
    assert doc["design"]["battery_mwh"] == 80.0


def test_reserve_rule_hours_hand_traced():
    """Toy day with a 50 % reserve rule; headroom = min(20 − d, 0.9 soc) (battery only, planner's rule):
    00:00 d = 20 → 0 < 10; 01:00 soc 0 → 0 < 0.5 × 16 (served facility); 02–07 nothing served, nothing
    required; 08–15 ≥ 16.2 ≥ 10; 16–18 d = 20 → 0; 19:00 soc 0 → 0 < 0.5 × 12. Six hours below the rule."""
    sc = toy_scenario(
        [WorkloadClass(name="web", share=1.0, utilisation=0.8)], it_capacity_mw=20.0, reserve_fraction=0.5
    )
    pv = np.zeros(24)
    pv[8:16] = 0.5
    design = Design(
        pv_mw=100.0, battery_mw=20.0, battery_mwh=80.0, battery_charge_efficiency=0.9, battery_discharge_efficiency=0.9
    )
    res = simulate(design, sc, toy_profiles(24, pv, 1.25, {"web": 16.0}), faults=False)
    assert res.summary["reserve_below_rule_h_per_yr"] * res.summary["years"] == pytest.approx(6.0)
