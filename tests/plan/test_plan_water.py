"""The planner's water balance (desalination plant and fresh-water tank), on problems solved by hand.

Costs as in ``test_plan_model.py``: discount rate 0, lifetime 10 years and no O&M give a capital recovery
factor of 1/10, i.e. the annualised cost is capex / 10 per unit and per year. The solver sees costs in
MUSD/yr: a unit cost below ~1 USD/yr is under HiGHS's optimality tolerance (1e-7), so the trade-offs
tested here are priced in tens to thousands of USD per year.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from tests.plan.test_plan_inputs import scenario_profiles as plan_profiles
from tests.plan.test_plan_model import make_inputs as one_bus_inputs
from tests.plan.test_plan_model import small_full_inputs

from greendc.constants import H2_LHV_MWH_PER_KG
from greendc.costs import CostRow, capital_recovery_factor, load_cost_table
from greendc.errors import DataFileError, ScenarioError
from greendc.plan.from_csv import inputs_from_profiles_csv
from greendc.plan.from_scenario import inputs_from_scenario
from greendc.plan.inputs import (
    BatterySpec,
    PlanInputs,
    PlanRules,
    WaterSpec,
)
from greendc.plan.solve import solve
from greendc.scenario.models import Costs, Scenario

HOURS = 48


def row(name: str, capex: float, efficiency: float = 1.0, lifetime: float = 10.0) -> CostRow:
    return CostRow(name, capex, "USD/unit", lifetime, 0.0, efficiency, "hand-made for the test")


# annualised cost per unit at rate 0: capex / 10
COSTS = {
    "pv": row("pv", 1000.0),  # 100 USD/yr per MW
    "wind": row("wind", 3200.0),
    "battery_energy": row("battery_energy", 10.0),  # 1 USD/yr per MWh
    "battery_power": row("battery_power", 50.0),  # 5 USD/yr per MW
    "electrolyser": row("electrolyser", 1e6),
    "h2_store": row("h2_store", 1e6),
    "fuel_cell": row("fuel_cell", 1e6),
}


# dearer: PV 10 000 USD/yr per MW, battery 1000 USD/yr per MWh and 5000 USD/yr per MW
DEAR = COSTS | {
    "pv": row("pv", 1e5),
    "wind": row("wind", 3.2e5),
    "battery_energy": row("battery_energy", 1e4),
    "battery_power": row("battery_power", 5e4),
}


def water_costs(desal_capex: float, tank_capex: float, base: dict[str, CostRow] = COSTS) -> dict[str, CostRow]:
    return base | {"desalination": row("desalination", desal_capex), "water_tank": row("water_tank", tank_capex)}


def day_night(hours: int = HOURS) -> np.ndarray:
    """PV at 1.0 for 12 hours, then dark for 12 hours."""
    return np.tile(np.r_[np.ones(12), np.zeros(12)], hours // 24)


def make_inputs(
    pv_cf,
    water_m3_per_mwh_it: float,
    kwh_per_m3: float | None,
    costs: dict[str, CostRow],
    battery: BatterySpec | None = None,
    rules: PlanRules | None = None,
    initial_tank_m3: float | None = None,
    load_mw: float = 100.0,
) -> PlanInputs:
    water = None if kwh_per_m3 is None else WaterSpec(kwh_per_m3, initial_tank_m3=initial_tank_m3)
    return one_bus_inputs(
        np.broadcast_to(np.asarray(pv_cf, dtype=float), HOURS),
        load_mw=load_mw,
        battery=battery,
        rules=rules,
        costs=costs,
        water_m3_per_mwh_it=np.full(HOURS, water_m3_per_mwh_it),
        desalination_mwh_per_mwh_it=np.full(HOURS, water_m3_per_mwh_it * max(kwh_per_m3 or 0.0, 0.0) / 1000.0),
        water=water,
    )


def tank_residual(d: pd.DataFrame, initial_tank_m3: float | None = None) -> np.ndarray:
    """v_t - v_{t-1} - (desalinated - used) in every step [m³] (cyclic unless an initial level is given)."""
    tank = d.water_tank_m3.to_numpy()
    previous = np.roll(tank, 1)
    if initial_tank_m3 is not None:
        previous[0] = initial_tank_m3
    used = d.water_m3.to_numpy() + d.electrolyser_water_m3.to_numpy()  # the plant supplies both
    return tank - previous - (d.desalination_m3_per_h.to_numpy() * 1.0 - used)


def test_constant_sun_and_demand_need_no_tank():
    # 100 MW of IT x 0.3 m³/MWh = 30 m³/h of water all the time; at 3.5 kWh/m³ the plant draws 0.105 MW.
    # Constant sun (cf 0.5): the plant runs at 30 m³/h every hour, so Q = 30 m³/h and no tank (it costs).
    # PV = (100 + 0.105) / 0.5 = 200.21 MW. Cost: 200.21 x 100 + 30 x (50 / 10) = 20 171 USD/yr.
    res = solve(make_inputs(0.5, 0.3, 3.5, water_costs(50.0, 10.0)))
    assert res.capacities["desalination_m3_per_h"] == pytest.approx(30.0, rel=1e-9)
    assert res.capacities["water_tank_m3"] == pytest.approx(0.0, abs=1e-9)
    assert res.capacities["pv_mw"] == pytest.approx(200.21, rel=1e-9)
    assert res.objective_usd_per_yr == pytest.approx(20_171.0, rel=1e-9)
    d = res.dispatch
    np.testing.assert_allclose(d.desalination_m3_per_h, 30.0, rtol=1e-9)
    # the same facility load as the old per-MWh-of-IT overhead: 100 x (1 + 0.3 x 3.5 / 1000)
    np.testing.assert_allclose(d.facility_mw, 100.105, rtol=1e-12)
    assert res.annualised_cost_usd_per_yr["desalination"] == pytest.approx(150.0, rel=1e-9)
    assert res.capex_usd["desalination"] == pytest.approx(30 * 50.0, rel=1e-9)


def test_tank_lets_the_plant_run_in_the_sun():
    # 12 h sun / 12 h dark, 100 MW firm IT, 1 m³/MWh -> D = 100 m³/h; 10 kWh/m³ -> 0.01 MW per m³/h;
    # lossless battery (1000 USD/yr per MWh, 5000 USD/yr per MW), PV 10 000 USD/yr per MW, plant 10 and
    # tank 1 USD/yr per unit. With a day rate q1 and a night rate q2 = 200 - q1 (the day's 2400 m³),
    # moving 1 m³/h of production from night to day adds 1 m³/h of plant and 12 m³ of tank (10 + 12 USD/yr)
    # and saves 0.01 MW of battery power and 0.12 MWh of battery energy (50 + 120 USD/yr); PV is 202 MW
    # either way (100 IT + 2 plant + 100 charging): all the water is made in the sun.
    # Plant Q = 24/12 x 100 = 200 m³/h, tank = the night's 1200 m³; battery 100 MW / 1200 MWh for the IT.
    # Cost: 202 x 10 000 + 100 x 5000 + 1200 x 1000 + 200 x 10 + 1200 x 1 = 3 723 200 USD/yr.
    inp = make_inputs(day_night(), 1.0, 10.0, water_costs(100.0, 10.0, DEAR), battery=BatterySpec(1.0, 1.0))
    res = solve(inp)
    caps = res.capacities
    assert caps["desalination_m3_per_h"] == pytest.approx(200.0, rel=1e-9)
    assert caps["water_tank_m3"] == pytest.approx(1200.0, rel=1e-9)
    assert caps["battery_mwh"] == pytest.approx(1200.0, rel=1e-9)
    assert caps["battery_mw"] == pytest.approx(100.0, rel=1e-9)
    assert caps["pv_mw"] == pytest.approx(202.0, rel=1e-9)
    assert res.objective_usd_per_yr == pytest.approx(3_723_200.0, rel=1e-9)
    d = res.dispatch
    sun = day_night() == 1
    np.testing.assert_allclose(d.desalination_m3_per_h[sun], 200.0, rtol=1e-9)
    np.testing.assert_allclose(d.desalination_m3_per_h[~sun], 0.0, atol=1e-9)
    assert d.water_tank_m3.max() == pytest.approx(1200.0, rel=1e-9)
    assert np.abs(tank_residual(d)).max() < 1e-6


def test_expensive_tank_keeps_the_plant_running_at_night():
    # Same site, tank at 100 USD/yr per m³: moving production into the day now costs 10 + 1200 USD/yr per
    # m³/h against 170 saved, so the plant runs at D = 100 m³/h around the clock with no tank, and the
    # battery also carries the plant's 1 MW at night: 101 MW / 1212 MWh. PV 202 MW.
    # Cost: 202 x 10 000 + 101 x 5000 + 1212 x 1000 + 100 x 10 = 3 738 000 USD/yr.
    inp = make_inputs(day_night(), 1.0, 10.0, water_costs(100.0, 1000.0, DEAR), battery=BatterySpec(1.0, 1.0))
    res = solve(inp)
    assert res.capacities["desalination_m3_per_h"] == pytest.approx(100.0, rel=1e-9)
    assert res.capacities["water_tank_m3"] == pytest.approx(0.0, abs=1e-9)
    assert res.capacities["battery_mwh"] == pytest.approx(1212.0, rel=1e-9)
    assert res.capacities["battery_mw"] == pytest.approx(101.0, rel=1e-9)
    assert res.objective_usd_per_yr == pytest.approx(3_738_000.0, rel=1e-9)


def test_tank_bound_of_zero_forces_the_plant_to_follow_demand():
    # The cheap tank of the day/night case, but capped at 0 m³: the design of the expensive-tank case.
    rules = PlanRules(capacity_bounds={"water_tank_m3": (0.0, 0.0)})
    costs = water_costs(100.0, 10.0, DEAR)
    res = solve(make_inputs(day_night(), 1.0, 10.0, costs, battery=BatterySpec(1.0, 1.0), rules=rules))
    assert res.capacities["desalination_m3_per_h"] == pytest.approx(100.0, rel=1e-9)
    assert res.capacities["water_tank_m3"] == pytest.approx(0.0, abs=1e-9)
    assert res.objective_usd_per_yr == pytest.approx(3_738_000.0, rel=1e-9)


def test_initial_tank_level_is_used_and_the_end_is_free():
    # Constant sun (cf 0.5), D = 100 m³/h for 48 h = 4800 m³, 600 m³ in the tank before the first hour
    # and the end free: 4200 m³ to make. Plant 100 USD/yr per m³/h, tank 1: the cheapest is a constant
    # 4200 / 48 = 87.5 m³/h (a smaller plant cannot make the water; a first hour below 87.5 m³/h would
    # shrink the tank by as much but need 1/47 of it more plant, 100/47 > 1 USD/yr), the tank drawn down
    # 12.5 m³ per hour from 600: V = 587.5 m³ after the first hour. PV = 2 x (100 + 0.875) = 201.75 MW.
    # Cost: 201.75 x 10 000 + 87.5 x 100 + 587.5 x 1 = 2 026 837.5 USD/yr.
    res = solve(make_inputs(0.5, 1.0, 10.0, water_costs(1000.0, 10.0, DEAR), initial_tank_m3=600.0))
    assert res.capacities["desalination_m3_per_h"] == pytest.approx(87.5, rel=1e-9)
    assert res.capacities["water_tank_m3"] == pytest.approx(587.5, rel=1e-9)
    assert res.objective_usd_per_yr == pytest.approx(2_026_837.5, rel=1e-9)
    d = res.dispatch
    assert d.water_tank_m3.iloc[-1] == pytest.approx(0.0, abs=1e-6)
    assert np.abs(tank_residual(d, initial_tank_m3=600.0)).max() < 1e-6


def full_inputs(water: WaterSpec | None, battery: bool = True, **rule_kw) -> PlanInputs:
    """The three varied days of ``small_full_inputs`` (sun, wind, PUE, a firm and a flexible class,
    hydrogen) with cooling water, its desalination energy and cheaper storage."""
    base = small_full_inputs(**rule_kw)
    water_m3 = 1.5 + 0.5 * np.sin(np.arange(base.n_steps) / 4.0)
    costs = water_costs(600.0, 20.0) | {
        "electrolyser": row("electrolyser", 300.0, 0.62),
        "h2_store": row("h2_store", 2.0),
        "fuel_cell": row("fuel_cell", 400.0, 0.5),
        "battery_energy": row("battery_energy", 40.0),
    }
    return replace(
        base,
        costs=costs,
        desalination_mwh_per_mwh_it=water_m3 * 3.5e-3,
        water_m3_per_mwh_it=water_m3,
        battery=base.battery if battery else None,
        water=water,
    )


def test_water_and_energy_balances_close_every_hour():
    # without a battery the 10 % reserve is fuel-cell headroom backed by stored hydrogen: the electrolyser runs
    inp = full_inputs(WaterSpec(3.5), battery=False, reserve_fraction=0.1)
    res = solve(inp)
    d = res.dispatch
    # water used = cooling of the served IT + electrolysis (0.62 MWh_H2/MWh_el / 0.03333 MWh/kg x 15 L/kg)
    electrolysis = d.electrolyser_mw * 0.62 / H2_LHV_MWH_PER_KG * 15.0 / 1000.0
    assert electrolysis.sum() > 1.0  # the hydrogen chain runs, so its water is in the balance
    # the data centre's water (cooling) and the electrolyser's (energy plant) in columns of their own
    np.testing.assert_allclose(d.water_m3, d.it_mw * inp.water_m3_per_mwh_it, rtol=1e-9)
    np.testing.assert_allclose(d.electrolyser_water_m3, electrolysis, rtol=1e-9)
    assert res.water_m3_per_yr == pytest.approx(d.water_m3.sum() / inp.horizon_years, rel=1e-12)
    assert np.abs(tank_residual(d)).max() < 1e-6
    assert (d.desalination_m3_per_h <= res.capacities["desalination_m3_per_h"] + 1e-6).all()
    # facility = IT x PUE + auxiliaries + plant production x 3.5 kWh/m³
    fac = d.it_mw * inp.pue + 2.0 + d.desalination_m3_per_h * 3.5e-3
    np.testing.assert_allclose(d.facility_mw, fac, rtol=1e-9)
    supply = d.pv_mw + d.wind_mw + d.battery_discharge_mw - d.battery_charge_mw + d.fuel_cell_mw - d.electrolyser_mw
    assert np.abs(supply - d.facility_mw).max() < 1e-6


def test_objective_equals_costs_rebuilt_from_capacities():
    inp = full_inputs(WaterSpec(3.5))
    res = solve(inp)
    crf = capital_recovery_factor(0.05, 10.0)
    pairs = [
        ("pv", "pv_mw"),
        ("wind", "wind_mw"),
        ("battery_energy", "battery_mwh"),
        ("battery_power", "battery_mw"),
        ("electrolyser", "electrolyser_mw"),
        ("h2_store", "h2_store_mwh"),
        ("fuel_cell", "fuel_cell_mw"),
        ("desalination", "desalination_m3_per_h"),
        ("water_tank", "water_tank_m3"),
    ]
    rebuilt = sum(inp.costs[comp].capex_per_unit * crf * res.capacities[cap] for comp, cap in pairs)
    assert res.capacities["desalination_m3_per_h"] > 0
    assert res.objective_usd_per_yr == pytest.approx(rebuilt, rel=1e-9)
    assert sum(res.annualised_cost_usd_per_yr.values()) == pytest.approx(rebuilt, rel=1e-9)
    summary = res.summary()
    assert summary["desalination_m3_per_h"] == res.capacities["desalination_m3_per_h"]
    assert summary["water_tank_m3"] == res.capacities["water_tank_m3"]


def test_no_water_balance_without_cooling_water_or_without_spec():
    # No cooling water: a WaterSpec changes nothing (electrolysis water alone does not build a plant).
    dry = full_inputs(WaterSpec(3.5))
    dry = PlanInputs(**{**vars(dry), "water_m3_per_mwh_it": np.zeros(72), "desalination_mwh_per_mwh_it": None})
    plain = PlanInputs(**{**vars(dry), "water": None})
    a, b = solve(dry), solve(plain)
    assert not dry.water_active
    assert a.objective_usd_per_yr == pytest.approx(b.objective_usd_per_yr, rel=1e-12)
    assert "desalination_m3_per_h" not in a.capacities and "water_tank_m3" not in a.summary()
    assert "desalination_m3_per_h" not in a.dispatch.columns
    # Cooling water but no WaterSpec: the desalination energy follows the IT load, as before.
    tied = solve(full_inputs(None))
    inp = full_inputs(None)
    fac = tied.dispatch.it_mw * (inp.pue + inp.desalination_mwh_per_mwh_it) + 2.0
    np.testing.assert_allclose(tied.dispatch.facility_mw, fac, rtol=1e-12)
    assert "water_tank_m3" not in tied.dispatch.columns


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"water_tank": row("water_tank", -1.0)}, ScenarioError, r"costs\['water_tank'\].capex_per_unit = -1.0"),
        ({"desalination": row("desalination", 50.0, lifetime=0.0)}, ScenarioError, r"'desalination'\].lifetime"),
        (
            {"desalination": CostRow("desalination", 50.0, "USD/(m3/h)", 30.0, 0.0, 1.0, "t", 0.2)},
            ScenarioError,
            r"costs\['desalination'\].vom_usd_per_mwh",
        ),
        ({"water_tank": None}, DataFileError, r"no cost row for model component\(s\) \['water_tank'\]"),
    ],
)
def test_bad_water_costs_name_the_field(change, error, message):
    costs = {k: v for k, v in (water_costs(50.0, 1.0) | change).items() if v is not None}
    with pytest.raises(error, match=message):
        make_inputs(0.5, 0.3, 3.5, costs)


def test_bad_water_spec_names_the_field():
    with pytest.raises(ScenarioError, match=r"desalination_kwh_per_m3 = -1.0; allowed: a number in \[0, 100\]"):
        make_inputs(0.5, 0.3, -1.0, water_costs(50.0, 1.0))
    with pytest.raises(ScenarioError, match=r"initial_tank_m3 = -5.0; allowed: None \(cyclic\).*\[m³\]"):
        WaterSpec(3.5, initial_tank_m3=-5.0)


def scenario_profiles(scenario: Scenario, water_m3_per_mwh_it: float) -> pd.DataFrame:
    """The profiles of ``test_plan_inputs`` (48 h) with ``water_m3_per_mwh_it`` [m³/MWh_IT] desalinated at the
    scenario's energy per m³."""
    kwh = scenario.datacenter.cooling.desalination_kwh_per_m3
    return plan_profiles(scenario, 48, water_m3_per_mwh_it, water_m3_per_mwh_it * kwh / 1000.0)


def test_scenario_wires_the_water_balance_and_its_cost_rows(tmp_path):
    sc = Scenario()
    table = load_cost_table()
    wet = inputs_from_scenario(sc, scenario_profiles(sc, 1.8))
    assert wet.water_active and wet.water.desalination_kwh_per_m3 == sc.datacenter.cooling.desalination_kwh_per_m3
    assert wet.costs["desalination"] == table["desalination"] and wet.costs["water_tank"] == table["water_tank"]
    # seawater cooling (no fresh water), or the balance switched off: no plant, no tank, no cost rows needed
    dry = inputs_from_scenario(sc, scenario_profiles(sc, 0.0))
    assert not dry.water_active and "desalination" not in dry.costs
    off = Scenario.model_validate({"technologies": {"water": {"enabled": False}}})
    assert inputs_from_scenario(off, scenario_profiles(off, 1.8)).water is None
    # a cost table without the rows works while water is not needed, and says what to do when it is
    path = load_cost_table().to_csv(tmp_path / "costs.csv", drop=("desalination", "water_tank"))
    own = sc.model_copy(update={"costs": Costs(table=str(path))})
    assert inputs_from_scenario(own, scenario_profiles(own, 0.0)).water is None
    with pytest.raises(DataFileError, match=r"no row \['desalination', 'water_tank'\].*technologies.water.enabled"):
        inputs_from_scenario(own, scenario_profiles(own, 1.8))


def test_bring_your_own_data_needs_only_the_seven_rows(tmp_path):
    costs = load_cost_table().to_csv(tmp_path / "costs.csv", drop=("desalination", "water_tank"))
    ts = pd.date_range("2030-01-01T00:00Z", periods=48, freq="h")
    pv = np.where((np.arange(48) % 24 >= 6) & (np.arange(48) % 24 < 18), 0.8, 0.0)
    frame = pd.DataFrame(
        {"timestamp": ts.strftime("%Y-%m-%dT%H:%MZ"), "pv_cf": pv, "wind_cf": 0.5, "it_load_mw": 100.0}
    )
    frame.to_csv(tmp_path / "p.csv", index=False)
    inp = inputs_from_profiles_csv(tmp_path / "p.csv", costs, 0.07)
    assert inp.water is None and "desalination" not in inp.costs
    res = solve(inp)
    np.testing.assert_allclose(res.dispatch.facility_mw, 100.0)
    assert "desalination_m3_per_h" not in res.capacities


@pytest.fixture(scope="module")
def evaporative_plan():
    from greendc.assets.profiles import build_profiles
    from greendc.scenario.models import Weather
    from greendc.weather.synthetic import synthetic_weather

    sc = Scenario.model_validate({"datacenter": {"cooling": {"technology": "evaporative"}}})
    weather = synthetic_weather(sc.site, Weather(years=1, seed=1))
    profiles = build_profiles(sc, weather.iloc[: 24 * 3])
    inputs = inputs_from_scenario(sc, profiles)
    return sc, inputs, solve(inputs)


def test_evaporative_cooling_scenario_plans_a_desalination_plant_and_a_tank(evaporative_plan):
    sc, inputs, res = evaporative_plan
    assert inputs.water_active
    d = res.dispatch
    hours = len(d)
    # the plant makes at least the mean water use; the tank closes every hour
    assert res.capacities["desalination_m3_per_h"] >= d.water_m3.sum() / hours * (1 - 1e-9)
    assert res.capacities["desalination_m3_per_h"] > 0
    assert np.abs(tank_residual(d)).max() < 1e-6 * max(1.0, d.water_m3.max())
    summary = res.summary()
    for key in ("desalination_m3_per_h", "water_tank_m3"):
        assert key in summary and key in d.columns  # capacity in the summary, its series in the dispatch
    assert {"desalination", "water_tank"} <= set(res.annualised_cost_usd_per_yr)
    kwh = sc.datacenter.cooling.desalination_kwh_per_m3
    fac = d.it_mw * inputs.pue + sc.datacenter.electrical.auxiliary_mw + d.desalination_m3_per_h * kwh / 1000
    np.testing.assert_allclose(d.facility_mw, fac, rtol=1e-9)
