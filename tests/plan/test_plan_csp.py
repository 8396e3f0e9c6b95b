"""CSP in the design LP (:mod:`greendc.plan.csp`) on small problems whose optimum is derived by hand.

Costs at discount rate 0, lifetime 10 years and no O&M: the annualised cost is capex / 10 per unit and year.
Power block efficiency η = 0.4 throughout.
"""

from __future__ import annotations

import numpy as np
import pytest
from tests.plan.test_plan_model import balance_residual
from tests.plan.test_plan_model import make_inputs as one_bus_inputs

from greendc.costs import CostRow
from greendc.errors import ScenarioError
from greendc.plan.aggregate import aggregate_time
from greendc.plan.inputs import BatterySpec, CspSpec, PlanInputs
from greendc.plan.model import build_model, capacity_cost_usd_per_yr
from greendc.plan.solve import solve

ETA = 0.4


def row(name: str, capex: float) -> CostRow:
    return CostRow(name, capex, "USD/unit", 10.0, 0.0, 1.0, "hand-made for the test")


COSTS = {
    "pv": row("pv", 1000.0),  # 100 USD/yr per MW
    "wind": row("wind", 3200.0),  # 320 USD/yr per MW
    "battery_energy": row("battery_energy", 500.0),  # 50 USD/yr per MWh (dear: the night goes to CSP)
    "battery_power": row("battery_power", 50.0),  # 5 USD/yr per MW
    "csp_field": row("csp_field", 1000.0),  # 100 USD/yr per MW_th of field
    "csp_storage": row("csp_storage", 1.0),  # 0.1 USD/yr per MWh_th
    "csp_power_block": row("csp_power_block", 2000.0),  # 200 USD/yr per MW_e
}
A_PV, A_F, A_S, A_PB = 100.0, 100.0, 0.1, 200.0


def make_inputs(pv_cf, csp_cf, load_mw=100.0, battery=None, loss_per_hour=0.0, **kw) -> PlanInputs:
    return one_bus_inputs(
        np.broadcast_to(np.asarray(pv_cf, dtype=float), len(csp_cf)),
        load_mw=load_mw,
        battery=battery,
        costs=COSTS,
        csp=CspSpec(
            thermal_cf=np.asarray(csp_cf, dtype=float), power_block_efficiency=ETA, storage_loss_per_hour=loss_per_hour
        ),
        **kw,
    )


def day_night(days: int = 2) -> np.ndarray:
    return np.tile(np.r_[np.ones(12), np.zeros(12)], days)


def rebuilt_objective(res, inputs: PlanInputs) -> float:
    unit = capacity_cost_usd_per_yr(inputs)
    return sum(unit[k] * v for k, v in res.capacities.items() if k in unit)


def test_constant_field_and_load():
    # Field cf 0.5 every hour, 100 MW load, PV cf 0: block output 100 MW -> P_pb = 100 MW_e, heat into the
    # block q = 100 / 0.4 = 250 MW_th -> field P_f = 250 / 0.5 = 500 MW_th; nothing to store.
    # Cost 500 x 100 + 100 x 200 = 70 000 USD/yr.
    inputs = make_inputs(0.0, np.full(24, 0.5))
    res = solve(inputs)
    assert res.capacities["csp_power_block_mw"] == pytest.approx(100.0, rel=1e-9)
    assert res.capacities["csp_field_mw_th"] == pytest.approx(500.0, rel=1e-9)
    assert res.capacities["csp_storage_mwh_th"] == pytest.approx(0.0, abs=1e-9)
    assert res.objective_usd_per_yr == pytest.approx(70_000.0, rel=1e-9)
    np.testing.assert_allclose(res.dispatch.csp_mw.to_numpy(), 100.0, rtol=1e-9)
    np.testing.assert_allclose(balance_residual(res.dispatch), 0.0, atol=1e-6)


def test_thermal_storage_carries_the_night_instead_of_a_battery():
    # 12 h of sun (PV cf 1, field cf 1), 12 h dark, 100 MW load. Per MW of night load (12 MWh_e a night):
    #   battery: 12 MWh x 50 + 1 MW x 5 + 1 MW more PV x 100 = 705 USD/yr;
    #   CSP:     block 1 MW x 200 + storage 12 / 0.4 = 30 MWh_th x 0.1 + field 30 MWh_th / 12 h = 2.5 MW_th
    #            x 100 = 453 USD/yr -> CSP carries the night.
    # By day PV (100 USD/yr per MW) beats more field (2.5 MW_th x 100 = 250 per MW_e, block already built).
    # Design: PV 100 MW, P_pb 100 MW_e, E_s = 12 x 250 = 3000 MWh_th, P_f = 3000 / 12 = 250 MW_th, no
    # battery. Cost 100 x 100 + 250 x 100 + 3000 x 0.1 + 100 x 200 = 55 300 USD/yr.
    inputs = make_inputs(day_night(), day_night(), battery=BatterySpec(1.0, 1.0))
    res = solve(inputs)
    caps = res.capacities
    assert caps["pv_mw"] == pytest.approx(100.0, rel=1e-7)
    assert caps["csp_power_block_mw"] == pytest.approx(100.0, rel=1e-7)
    assert caps["csp_storage_mwh_th"] == pytest.approx(3000.0, rel=1e-7)
    assert caps["csp_field_mw_th"] == pytest.approx(250.0, rel=1e-7)
    assert caps["battery_mwh"] == pytest.approx(0.0, abs=1e-6)
    assert res.objective_usd_per_yr == pytest.approx(55_300.0, rel=1e-9)
    d = res.dispatch
    np.testing.assert_allclose(d.csp_mw.to_numpy()[day_night() == 0], 100.0, rtol=1e-7)
    np.testing.assert_allclose(balance_residual(d), 0.0, atol=1e-6)
    # storage full at dusk, empty at dawn (cyclic)
    level = d.csp_storage_mwh_th.to_numpy()
    assert level[11] == pytest.approx(3000.0, rel=1e-7) and level[23] == pytest.approx(0.0, abs=1e-6)
    assert res.objective_usd_per_yr == pytest.approx(rebuilt_objective(res, inputs), rel=1e-9)
    assert res.annualised_cost_usd_per_yr["csp_storage"] == pytest.approx(300.0, rel=1e-7)


def test_storage_loss_by_hand():
    # Two 1-hour steps: field cf [1, 0], 100 MW load, PV cf 0, storage loss σ = 1 %/h.
    # q = 250 MW_th in both steps. Night: s_1 = 0.99 s_0 - 250 ≥ 0 -> s_0 = 250 / 0.99 = 252.5253 MWh_th.
    # Day (cyclic, s_{-1} = s_1 = 0): s_0 = P_f - 250 -> P_f = 250 + 250 / 0.99 = 502.5253 MW_th.
    res = solve(make_inputs(0.0, np.array([1.0, 0.0]), loss_per_hour=0.01))
    assert res.capacities["csp_storage_mwh_th"] == pytest.approx(250 / 0.99, rel=1e-7)
    assert res.capacities["csp_field_mw_th"] == pytest.approx(250 + 250 / 0.99, rel=1e-7)
    assert res.capacities["csp_power_block_mw"] == pytest.approx(100.0, rel=1e-7)


def test_dumped_heat_when_the_field_is_oversized_by_a_bound():
    # The field is forced to 1000 MW_th (bounds) at cf 0.5: 500 MW_th, of which the block needs 250; the
    # storage is not worth building for a constant load, so 250 MW_th are dumped every hour.
    from greendc.plan.inputs import PlanRules

    inputs = make_inputs(0.0, np.full(6, 0.5), rules=PlanRules(capacity_bounds={"csp_field_mw_th": (1000.0, None)}))
    res = solve(inputs)
    assert res.capacities["csp_field_mw_th"] == pytest.approx(1000.0, rel=1e-9)
    np.testing.assert_allclose(res.dispatch.csp_dumped_mw_th.to_numpy(), 250.0, rtol=1e-7)
    np.testing.assert_allclose(balance_residual(res.dispatch), 0.0, atol=1e-6)


def test_land_use_of_the_field():
    # 0.005 km² per MW_th of field and 0.02 per MW of PV; the constant case needs 500 MW_th of field:
    # 2.5 km² (PV, at cf 0, is not built).
    from greendc.plan.inputs import PlanRules

    rules = PlanRules(land_km2_per_unit={"csp_field_mw_th": 0.005, "pv_mw": 0.02})
    res = solve(make_inputs(0.0, np.full(4, 0.5), rules=rules))
    assert res.land_km2 == pytest.approx(2.5, rel=1e-9)


def test_csp_is_absent_when_disabled():
    inputs = make_inputs(0.5, np.full(4, 0.5))
    from dataclasses import replace

    m = build_model(replace(inputs, csp=None))
    assert not any(name.startswith("csp") or "csp" in name for name in m.variables)
    assert not any("csp" in name for name in m.constraints)


def test_aggregation_keeps_the_field_energy():
    inputs = make_inputs(day_night(), day_night())
    agg = aggregate_time(inputs, 6)
    assert agg.csp is not None
    np.testing.assert_allclose((agg.csp.thermal_cf * agg.weights_h).sum(), day_night().sum())


def test_bad_csp_parameters_are_named():
    with pytest.raises(ScenarioError, match="power_block_efficiency"):
        CspSpec(thermal_cf=np.zeros(3), power_block_efficiency=1.4)
    with pytest.raises(ScenarioError, match="storage_loss_per_hour"):
        CspSpec(thermal_cf=np.zeros(3), power_block_efficiency=0.4, storage_loss_per_hour=-0.1)
    with pytest.raises(ScenarioError, match="csp_th_cf"):
        CspSpec(thermal_cf=np.array([0.1, np.nan]), power_block_efficiency=0.4)


SCENARIO_YAML = """
name: dakhla-csp
technologies:
  csp:
    enabled: true
    power_block_efficiency: 0.34
rules:
  land_limit_km2: 400
"""


def test_scenario_with_csp_validates_profiles_and_plans(tmp_path):
    # End to end on four days of synthetic Dakhla weather: the profiles get csp_th_cf, the plan gets the
    # three CSP capacities, columns and cost rows, the bus balances every hour and the objective equals
    # the annualised costs rebuilt from the capacities (no variable O&M, no unserved energy here).
    from greendc.assets.profiles import build_profiles
    from greendc.plan.from_scenario import inputs_from_scenario
    from greendc.scenario.io import load_scenario
    from greendc.scenario.models import Weather
    from greendc.weather.synthetic import synthetic_weather

    path = tmp_path / "csp.yaml"
    path.write_text(SCENARIO_YAML, encoding="utf-8")
    sc = load_scenario(path)
    assert sc.technologies.csp.enabled
    weather = synthetic_weather(sc.site, Weather(years=1, seed=1)).iloc[: 24 * 4]
    profiles = build_profiles(sc, weather)
    assert "csp_th_cf" in profiles.columns
    assert profiles["csp_th_cf"].max() > 0.0 and profiles["csp_th_cf"].min() == 0.0
    inputs = inputs_from_scenario(sc, profiles)
    assert inputs.csp is not None and inputs.rules.land_km2_per_unit["csp_field_mw_th"] == pytest.approx(0.004)
    res = solve(inputs)
    for name in ("csp_field_mw_th", "csp_storage_mwh_th", "csp_power_block_mw"):
        assert name in res.capacities and name in res.summary()
    for comp in ("csp_field", "csp_storage", "csp_power_block"):
        assert comp in res.annualised_cost_usd_per_yr
    np.testing.assert_allclose(balance_residual(res.dispatch), 0.0, atol=1e-6)
    assert res.objective_usd_per_yr == pytest.approx(rebuilt_objective(res, inputs), rel=1e-6)
    assert res.land_km2 <= 400 * (1 + 1e-9)


def test_default_scenario_has_no_csp():
    from greendc.assets.profiles import build_profiles
    from greendc.plan.from_scenario import inputs_from_scenario
    from greendc.scenario.models import Scenario, Weather
    from greendc.weather.synthetic import synthetic_weather

    sc = Scenario()
    assert not sc.technologies.csp.enabled
    profiles = build_profiles(sc, synthetic_weather(sc.site, Weather(years=1, seed=1)).iloc[:48])
    assert "csp_th_cf" not in profiles.columns
    inputs = inputs_from_scenario(sc, profiles)
    assert inputs.csp is None and "csp_field" not in inputs.costs
    assert not any("csp" in name for name in build_model(inputs).variables)


def test_bad_csp_scenario_field_is_named():
    from greendc.errors import ScenarioError as _ScenarioError
    from greendc.scenario.io import scenario_from_dict

    with pytest.raises(_ScenarioError, match="power_block_efficiency"):
        scenario_from_dict({"technologies": {"csp": {"enabled": True, "power_block_efficiency": 1.5}}})
    with pytest.raises(_ScenarioError, match="outlet_temp_c"):
        scenario_from_dict({"technologies": {"csp": {"inlet_temp_c": 400, "outlet_temp_c": 300}}})
