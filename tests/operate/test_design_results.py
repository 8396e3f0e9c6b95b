"""Designs from plan summaries, Monte Carlo over weather × fault seeds, return levels, plan comparison."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from greendc.errors import DataFileError, ScenarioError
from greendc.operate import (
    CAPACITY_KEYS,
    Design,
    compare_with_plan,
    design_from_scenario,
    design_from_summary,
    monte_carlo,
    return_levels,
    simulate,
)
from greendc.scenario.models import Battery, Scenario, Technologies, WorkloadClass

from .support import toy_profiles, toy_scenario

SUMMARY = {
    "pv_mw": 1500.0,
    "wind_mw": 900.0,
    "battery_mw": 600.0,
    "battery_mwh": 3000.0,
    "electrolyser_mw": 300.0,
    "h2_store_mwh": 60000.0,
    "fuel_cell_mw": 450.0,
    "objective_usd_per_yr": 1e9,
}


def test_design_from_summary_file(tmp_path):
    """Capacities from summary.json; battery one-way efficiency = sqrt(round trip 0.81) = 0.9; turbine
    rating 4.2 MW from the shipped E-126 EP4 power curve."""
    path = tmp_path / "summary.json"
    path.write_text(json.dumps(SUMMARY))
    sc = Scenario(technologies=Technologies(battery=Battery(round_trip_efficiency=0.81)))
    d = design_from_summary(path, sc)
    assert d.capacities() == {k: SUMMARY[k] for k in CAPACITY_KEYS}
    assert d.battery_charge_efficiency == pytest.approx(0.9) and d.battery_discharge_efficiency == pytest.approx(0.9)
    assert d.wind_turbine_mw == 4.2 and d.fuel_cell_efficiency == 0.5


def test_design_from_summary_errors(tmp_path):
    with pytest.raises(DataFileError, match="'h2_store_mwh'"):
        design_from_summary({k: v for k, v in SUMMARY.items() if k != "h2_store_mwh"}, Scenario())
    with pytest.raises(DataFileError, match="'pv_mw'"):
        design_from_summary(SUMMARY | {"pv_mw": -1.0}, Scenario())
    with pytest.raises(DataFileError, match="not found"):
        design_from_summary(tmp_path / "none.json", Scenario())
    with pytest.raises(ScenarioError, match="battery_charge_efficiency"):
        Design(battery_charge_efficiency=1.2)
    with pytest.raises(ScenarioError, match="nuclear_mw"):
        design_from_scenario(Scenario(), nuclear_mw=1.0)
    # a plan with CSP keeps its CSP plant (efficiency and storage loss from the scenario); absent keys are 0
    d = design_from_summary(SUMMARY | {"csp_field_mw_th": 500.0, "csp_power_block_mw": 100.0}, Scenario())
    assert (d.csp_field_mw_th, d.csp_storage_mwh_th, d.csp_power_block_mw) == (500.0, 0.0, 100.0)
    assert d.has_csp and d.csp_power_block_efficiency == Scenario().technologies.csp.power_block_efficiency
    assert not design_from_summary(SUMMARY | {"csp_field_mw_th": 0.0}, Scenario()).has_csp
    with pytest.raises(DataFileError, match="'csp_storage_mwh_th'"):
        design_from_summary(SUMMARY | {"csp_storage_mwh_th": -1.0}, Scenario())


def test_return_levels_weibull_plotting_positions():
    """Sorted 0..9 get p_i = i/11; the 10-year level is at p = 0.9 = 9.9/11 → 8.9; the 5-year at p = 0.8
    = 8.8/11 → 7.8; 20 years > N + 1 = 11 → not estimable (NaN)."""
    levels = return_levels(np.arange(10.0)[::-1], [5, 10, 20])
    assert levels[5] == pytest.approx(7.8) and levels[10] == pytest.approx(8.9) and math.isnan(levels[20])


def test_compare_with_plan_reports_what_foresight_hid():
    """A plan dispatch identical to the simulation except for no unserved energy: the difference in
    unserved energy is the simulation's, the other figures agree."""
    sc = toy_scenario([WorkloadClass(name="web", share=1.0, utilisation=0.8)], 20.0, restart_hours=4.0)
    pv = np.zeros(24)
    pv[8:16] = 0.5
    prof = toy_profiles(24, pv, 1.25, {"web": 16.0})
    res = simulate(Design(pv_mw=100.0, battery_mw=20.0, battery_mwh=80.0), sc, prof, faults=False)
    plan = res.dispatch.assign(unserved_mw=0.0)
    cmp = compare_with_plan(res, plan)
    years = 24 / 8760
    assert cmp["unserved_mwh_per_yr"]["plan"] == 0.0
    assert cmp["unserved_mwh_per_yr"]["difference"] * years == pytest.approx(res.dispatch.unserved_mw.sum())
    assert cmp["curtailment_fraction"]["difference"] == pytest.approx(0.0)


def test_a_summary_written_before_the_rename_simulates_the_same(tmp_path):
    """An older plan's ``summary.json`` spells the fuel cell ``fuelcell_mw`` (greendc.units.RENAMED_CAPACITIES);
    read at the top level or under ``capacities``, it gives the design, and the simulation, of the current key."""
    sc = toy_scenario([WorkloadClass(name="web", share=1.0, utilisation=0.8)], 20.0)
    pv = np.tile(np.r_[np.zeros(8), np.full(8, 0.7), np.zeros(8)], 2)
    prof = toy_profiles(48, pv, 1.25, {"web": 16.0})
    current = {"pv_mw": 120.0, "wind_mw": 0.0, "battery_mw": 5.0, "battery_mwh": 10.0, "electrolyser_mw": 40.0}
    current |= {"h2_store_mwh": 400.0, "fuel_cell_mw": 20.0}
    old = {("fuelcell_mw" if k == "fuel_cell_mw" else k): v for k, v in current.items()}
    path = tmp_path / "summary.json"
    path.write_text(json.dumps({"capacities": old, "objective_usd_per_yr": 1e9}))
    design = design_from_summary(current, sc)
    assert design_from_summary(path, sc) == design_from_summary(old, sc) == design
    assert design.fuel_cell_mw == 20.0
    runs = [simulate(d, sc, prof, faults=False) for d in (design_from_summary(path, sc), design)]
    assert runs[0].dispatch["fuel_cell_mw"].max() > 0.0
    pd.testing.assert_frame_equal(runs[0].dispatch, runs[1].dispatch, check_exact=True)


def test_compare_with_a_plan_dispatch_written_before_the_rename():
    """An older plan's dispatch names the hydrogen level ``h2_store_mwh`` (greendc.units.RENAMED_COLUMNS): the
    comparison reads it as ``h2_level_mwh``."""
    sc = toy_scenario([WorkloadClass(name="web", share=1.0, utilisation=0.8)], 20.0)
    pv = np.tile(np.r_[np.zeros(8), np.full(8, 0.7), np.zeros(8)], 2)
    prof = toy_profiles(48, pv, 1.25, {"web": 16.0})
    design = Design(
        pv_mw=120.0, battery_mw=5.0, battery_mwh=10.0, electrolyser_mw=40.0, h2_store_mwh=400.0, fuel_cell_mw=20.0
    )
    res = simulate(design, sc, prof, faults=False)
    old = res.dispatch.rename(columns={"h2_level_mwh": "h2_store_mwh"})
    assert compare_with_plan(res, old) == compare_with_plan(res, res.dispatch)
    assert compare_with_plan(res, old)["h2_store_min_fraction"]["difference"] == 0.0


def test_monte_carlo_small_is_reproducible():
    """2 weather seeds × 1 year × 2 fault seeds = 4 year-runs; the same seeds give the same table."""
    sc = Scenario()
    design = design_from_scenario(
        sc,
        pv_mw=700.0,
        wind_mw=450.0,
        battery_mw=300.0,
        battery_mwh=1500.0,
        electrolyser_mw=150.0,
        h2_store_mwh=30000.0,
        fuel_cell_mw=225.0,
    )
    a = monte_carlo(design, sc, weather_seeds=[1, 2], fault_seeds=[0, 1], years=1, progress=False)
    assert len(a.runs) == 4 and set(a.runs["weather_seed"]) == {1, 2}
    assert (a.runs["hours"] == 8760).all()
    assert set(a.summary["return_levels"]["unserved_mwh_per_yr"]) == {"2", "5", "10", "20", "50", "100"}
    assert a.summary["share_of_years_with_loss_of_load"] == pytest.approx((a.runs["lolh_h_per_yr"] > 0).mean())
    b = monte_carlo(design, sc, weather_seeds=[1, 2], fault_seeds=[0, 1], years=1, progress=False)
    pd.testing.assert_frame_equal(a.runs, b.runs)
    with pytest.raises(ScenarioError, match="years"):
        monte_carlo(design, sc, weather_seeds=[1], fault_seeds=[0], years=0, progress=False)
