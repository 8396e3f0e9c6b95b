"""Grid import as an explicit scenario choice: hand-derived designs, the import limit, scenario wiring.

Costs as in ``test_plan_model.py``: discount rate 0, lifetime 10 years, no O&M, so the annualised cost is
capex / 10 per unit and per year: PV 100 USD/yr per MW, battery 1 USD/yr per MWh and 5 USD/yr per MW.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tests.plan.test_plan_inputs import scenario_profiles as plan_profiles

from greendc.costs import CostRow
from greendc.errors import InfeasibleDesignError, ScenarioError
from greendc.plan.from_scenario import inputs_from_scenario
from greendc.plan.inputs import BatterySpec, PlanInputs, PlanRules, WorkloadInput
from greendc.plan.solve import solve
from greendc.scenario.io import load_scenario
from greendc.scenario.models import Scenario

HOURS = 48


def row(name: str, capex: float) -> CostRow:
    return CostRow(name, capex, "USD/unit", 10.0, 0.0, 1.0, "hand-made for the test")


COSTS = {
    "pv": row("pv", 1000.0),
    "wind": row("wind", 3200.0),
    "battery_energy": row("battery_energy", 10.0),
    "battery_power": row("battery_power", 50.0),
}


def day_night_inputs(rules: PlanRules) -> PlanInputs:
    """100 MW firm IT, PV at 1.0 for 12 hours and dark for 12, a lossless battery, no hydrogen."""
    n = HOURS
    return PlanInputs(
        index=pd.date_range("2030-06-01", periods=n, freq="h", tz="UTC"),
        weights_h=np.ones(n),
        pv_cf=np.tile(np.r_[np.ones(12), np.zeros(12)], n // 24),
        wind_cf=np.zeros(n),
        workloads=(WorkloadInput("firm", np.full(n, 100.0)),),
        costs=COSTS,
        discount_rate=0.0,
        horizon_years=n / 8760.0,
        battery=BatterySpec(1.0, 1.0),
        rules=rules,
    )


def test_grid_cheaper_than_storage_carries_the_night():
    # A night MWh from storage: 1 MW of PV + 1 MW of battery + 12 MWh (100 + 5 + 12 = 117 USD/yr) per
    # 4380 MWh/yr = 0.02671 USD/MWh; from the grid at 0.025 USD/MWh it is cheaper. A day MWh from PV costs
    # 100 / 4380 = 0.02283 USD/MWh, less than the grid: PV 100 MW for the day, the grid for the night.
    # Cost: 100 x 100 + 0.025 x 100 MW x 12 h x 365 = 10 000 + 10 950 = 20 950 USD/yr
    # (storage alone: 200 x 100 + 100 x 5 + 1200 x 1 = 21 700 USD/yr).
    rules = PlanRules(grid_allowed=True, grid_price_usd_per_mwh=0.025, grid_carbon_kg_per_mwh=500.0)
    res = solve(day_night_inputs(rules))
    assert res.capacities["pv_mw"] == pytest.approx(100.0, rel=1e-9)
    assert res.capacities["battery_mwh"] == pytest.approx(0.0, abs=1e-9)
    assert res.objective_usd_per_yr == pytest.approx(20_950.0, rel=1e-9)
    assert res.annualised_cost_usd_per_yr["grid_import"] == pytest.approx(10_950.0, rel=1e-9)
    night = np.tile(np.r_[np.zeros(12), np.ones(12)], HOURS // 24) == 1
    np.testing.assert_allclose(res.dispatch.grid_import_mw[night], 100.0, rtol=1e-9)
    np.testing.assert_allclose(res.dispatch.grid_import_mw[~night], 0.0, atol=1e-9)
    assert res.grid_import_mwh_per_yr == pytest.approx(1200 * 365, rel=1e-9)
    # 438 000 MWh/yr x 500 kg/MWh = 2.19e8 kg CO2 per year
    assert res.grid_co2_kg_per_yr == pytest.approx(2.19e8, rel=1e-9)
    assert res.summary()["grid_co2_kg_per_yr"] == pytest.approx(2.19e8, rel=1e-9)


def test_grid_import_limit_leaves_the_rest_to_storage():
    # At most 60 MW from the grid: the other 40 MW of the night from the battery (40 MW, 480 MWh), charged
    # by 40 MW more PV. Cost: 140 x 100 + 40 x 5 + 480 x 1 + 0.025 x 60 x 12 x 365 = 14 680 + 6570 = 21 250.
    rules = PlanRules(grid_allowed=True, grid_price_usd_per_mwh=0.025, grid_max_import_mw=60.0)
    res = solve(day_night_inputs(rules))
    assert res.capacities["pv_mw"] == pytest.approx(140.0, rel=1e-9)
    assert res.capacities["battery_mw"] == pytest.approx(40.0, rel=1e-9)
    assert res.capacities["battery_mwh"] == pytest.approx(480.0, rel=1e-9)
    assert res.objective_usd_per_yr == pytest.approx(21_250.0, rel=1e-9)
    assert res.dispatch.grid_import_mw.max() == pytest.approx(60.0, rel=1e-9)
    assert res.grid_co2_kg_per_yr is None  # no carbon intensity given


def test_grid_limit_in_the_pre_check():
    # PV capped at 0, no storage: 100 MW around the clock but only 60 MW from the grid
    rules = PlanRules(
        grid_allowed=True, grid_price_usd_per_mwh=0.025, grid_max_import_mw=60.0, capacity_bounds={"pv_mw": (0, 0)}
    )
    inp = PlanInputs(**{**vars(day_night_inputs(rules)), "battery": None})
    with pytest.raises(InfeasibleDesignError) as info:
        solve(inp)
    text = "\n".join(info.value.diagnosis)
    assert "grid import (at most 60.0 MW)" in text


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (PlanRules(grid_allowed=True), r"grid_price_usd_per_mwh is None; allowed: a number ≥ 0"),
        (PlanRules(grid_allowed=True, grid_price_usd_per_mwh=-1.0), r"grid_price_usd_per_mwh is -1.0"),
        (
            PlanRules(grid_allowed=True, grid_price_usd_per_mwh=1.0, grid_max_import_mw=0.0),
            r"grid_max_import_mw = 0.0; allowed: None \(no limit\) or a number > 0 \[MW\]",
        ),
        (
            PlanRules(grid_allowed=True, grid_price_usd_per_mwh=1.0, grid_carbon_kg_per_mwh=-3.0),
            r"grid_carbon_kg_per_mwh = -3.0",
        ),
    ],
)
def test_bad_grid_rules_name_the_field(rules, message):
    with pytest.raises(ScenarioError, match=message):
        day_night_inputs(rules)


def scenario_profiles(scenario: Scenario) -> pd.DataFrame:
    """The profiles of ``test_plan_inputs`` without water use (48 h)."""
    return plan_profiles(scenario, water_m3_per_mwh_it=0.0, desalination_mwh_per_mwh_it=0.0)


GRID_YAML = """
name: dakhla-with-grid
rules:
  on_site_only: false
  grid:
    price_usd_per_mwh: 80.0
    max_import_mw: 100.0
    carbon_intensity_kg_per_mwh: 600.0
"""


def test_scenario_yaml_with_a_grid_validates_and_plans(tmp_path):
    path = tmp_path / "grid.yaml"
    path.write_text(GRID_YAML)
    sc = load_scenario(path)
    inp = inputs_from_scenario(sc, scenario_profiles(sc))
    rules = inp.rules
    assert rules.grid_allowed and rules.grid_price_usd_per_mwh == 80.0 and rules.grid_max_import_mw == 100.0
    assert rules.grid_carbon_kg_per_mwh == 600.0
    res = solve(inp)
    d = res.dispatch
    assert d.grid_import_mw.max() <= 100.0 + 1e-6
    supply = d.pv_mw + d.wind_mw + d.battery_discharge_mw - d.battery_charge_mw + d.fuel_cell_mw - d.electrolyser_mw
    assert np.abs(supply + d.grid_import_mw - d.facility_mw).max() < 1e-6
    grid_mwh = float(d.grid_import_mw.sum()) / res.horizon_years
    assert res.grid_import_mwh_per_yr == pytest.approx(grid_mwh, rel=1e-9)
    assert res.grid_co2_kg_per_yr == pytest.approx(600.0 * grid_mwh, rel=1e-9)
    assert res.annualised_cost_usd_per_yr["grid_import"] == pytest.approx(80.0 * grid_mwh, rel=1e-9)


def test_default_scenario_stays_on_site_only():
    sc = Scenario()
    inp = inputs_from_scenario(sc, scenario_profiles(sc))
    assert not inp.rules.grid_allowed and inp.rules.grid_price_usd_per_mwh is None
    # a grid described but not allowed is not used
    priced = Scenario.model_validate({"rules": {"grid": {"price_usd_per_mwh": 1.0}}})
    assert not inputs_from_scenario(priced, scenario_profiles(priced)).rules.grid_allowed


def test_cfe_target_binding_at_its_share_moves_the_night_into_storage():
    # tau = 0.75 and a grid without carbon-free energy (s = 0): the grid may bring at most 25 % of the 2400 MWh
    # a day, 600 of the 1200 MWh of the night. A night MW from storage costs 117 USD/yr (1 MW PV + 1 MW battery
    # + 12 MWh) against 109.5 from the grid (0.025 x 12 x 365): the least storage that meets the row, spread
    # over the 12 night hours: 50 MW, 600 MWh, and 150 MW of PV.
    # Cost: 150 x 100 + 50 x 5 + 600 x 1 + 0.025 x 50 x 12 x 365 = 15 000 + 250 + 600 + 5 475 = 21 325 USD/yr.
    rules = PlanRules(grid_allowed=True, grid_price_usd_per_mwh=0.025, grid_cfe_target=0.75)
    res = solve(day_night_inputs(rules))
    assert res.capacities["pv_mw"] == pytest.approx(150.0, rel=1e-9)
    assert res.capacities["battery_mw"] == pytest.approx(50.0, rel=1e-9)
    assert res.capacities["battery_mwh"] == pytest.approx(600.0, rel=1e-9)
    assert res.objective_usd_per_yr == pytest.approx(21_325.0, rel=1e-9)
    assert res.grid_import_mwh_per_yr == pytest.approx(600 * 365, rel=1e-9)


@pytest.mark.parametrize(
    ("target", "share", "cost"),
    [
        (0.5, 0.0, 20_950.0),  # the grid carries the whole night (50 % of the energy): the row just holds
        (0.75, 0.5, 20_950.0),  # half the grid energy is carbon free: 1200 x 0.5 = 600 = 25 % of 2400, it holds
        (1.0, 0.0, 21_700.0),  # no grid energy that is not carbon free: storage alone, the islanded optimum
    ],
)
def test_cfe_target_where_it_holds_exactly(target, share, cost):
    rules = PlanRules(grid_allowed=True, grid_price_usd_per_mwh=0.025, grid_cfe_share=share, grid_cfe_target=target)
    assert solve(day_night_inputs(rules)).objective_usd_per_yr == pytest.approx(cost, rel=1e-9)


def test_cfe_target_out_of_reach_is_diagnosed():
    # No battery: the 1200 MWh of each night can only come from the grid, 600 MWh more a day than tau = 0.75
    # allows: 600 x 365 = 219 000 MWh/yr.
    rules = PlanRules(grid_allowed=True, grid_price_usd_per_mwh=0.025, grid_cfe_target=0.75)
    inp = PlanInputs(**{**vars(day_night_inputs(rules)), "battery": None})
    with pytest.raises(InfeasibleDesignError) as info:
        solve(inp)
    text = "\n".join(info.value.diagnosis)
    assert "carbon-free energy target 75.0%: 219,000.0 MWh/yr more grid energy" in text
