"""Land by kind (:mod:`greendc.plan.land`): direct footprint, wind spacing, total area, PV between turbines, in
the planner's land limit and its diagnosis.

Land per unit in the LP tests: PV 0.02 km²/MW (exclusive), wind 0.3 km²/MW total area of which 0.003 km²/MW
direct. Costs at rate 0 and 10-year life: PV 100, wind 320 USD/yr per MW.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from greendc.costs import CostRow
from greendc.errors import InfeasibleDesignError, ScenarioError
from greendc.plan.diagnose import max_renewable_energy_mwh_per_yr, precheck
from greendc.plan.inputs import PlanInputs, PlanRules, WorkloadInput
from greendc.plan.land import land_by_kind_km2, land_limit_rows, total_km2
from greendc.plan.model import build_model
from greendc.plan.solve import solve
from greendc.report.plan_report import plan_sections
from greendc.scenario.models import Rules, Scenario, Wind

HOURS = 48
#: Dakhla's factors [km² per MW or MW_th]: PV 0.024, wind 0.345 total / 0.003 direct, CSP field 0.004.
DAKHLA_LAND = {"pv_mw": 0.024, "wind_mw": 0.345, "csp_field_mw_th": 0.004}
DAKHLA_DIRECT = {"wind_mw": 0.003}
LP_LAND = {"pv_mw": 0.02, "wind_mw": 0.3}
LP_DIRECT = {"wind_mw": 0.003}


def rules(between: bool, limit: float | None = None, **kw) -> PlanRules:
    return PlanRules(
        land_limit_km2=limit,
        land_km2_per_unit=kw.pop("land", LP_LAND),
        direct_land_km2_per_unit=kw.pop("direct", LP_DIRECT),
        pv_between_turbines=between,
        **kw,
    )


def test_land_by_kind_of_a_capacity_mix_side_by_side_and_between_turbines():
    # PV 1000 MW x 0.024 = 24 km²; wind 500 MW: total 500 x 0.345 = 172.5 km², direct 500 x 0.003 = 1.5 km²,
    # spacing 172.5 - 1.5 = 171 km²; CSP field 200 MW_th x 0.004 = 0.8 km².
    # Side by side: total = 24 + 172.5 + 0.8 = 197.3 km².
    # Between turbines: total = max(24 + 1.5 + 0.8, 172.5) = max(26.3, 172.5) = 172.5 km².
    caps = {"pv_mw": 1000.0, "wind_mw": 500.0, "csp_field_mw_th": 200.0, "battery_mwh": 800.0}
    side = land_by_kind_km2(caps, rules(False, land=DAKHLA_LAND, direct=DAKHLA_DIRECT))
    assert side["direct"] == pytest.approx({"pv": 24.0, "wind": 1.5, "csp_field": 0.8}, rel=1e-12)
    assert side["spacing"] == pytest.approx(171.0, rel=1e-12)
    assert side["total"] == pytest.approx(197.3, rel=1e-12)
    between = land_by_kind_km2(caps, rules(True, land=DAKHLA_LAND, direct=DAKHLA_DIRECT))
    assert between["direct"] == side["direct"] and between["spacing"] == side["spacing"]
    assert between["total"] == pytest.approx(172.5, rel=1e-12)


def test_pv_spills_out_of_the_wind_farm_when_it_needs_more_than_its_area():
    # PV 10 000 MW x 0.024 = 240 km² > wind area 172.5 km²: total = 240 + 1.5 + 0.8 = 242.3 km².
    caps = {"pv_mw": 10_000.0, "wind_mw": 500.0, "csp_field_mw_th": 200.0}
    assert total_km2(caps, rules(True, land=DAKHLA_LAND, direct=DAKHLA_DIRECT)) == pytest.approx(242.3, rel=1e-12)


def test_land_limit_rows_are_one_total_row_or_direct_and_wind_area_rows():
    assert land_limit_rows(rules(False)) == [{"pv_mw": 0.02, "wind_mw": 0.3}]
    assert land_limit_rows(rules(True)) == [{"pv_mw": 0.02, "wind_mw": 0.003}, {"wind_mw": 0.3}]
    m = build_model(day_night_inputs(rules(True, limit=31.0)))
    assert {"land_limit", "land_limit_spaced"} <= set(m.constraints)


def day_night_inputs(plan_rules: PlanRules, day_voll: float | None = 1.0) -> PlanInputs:
    """Sun only by day (PV cf 1), wind only by night (wind cf 1), no storage. A firm class needs 100 MW at night;
    a class worth ``day_voll`` USD/MWh (None: firm) asks 100 MW by day."""
    day = np.tile(np.r_[np.ones(12), np.zeros(12)], HOURS // 24)
    row = lambda name, capex: CostRow(name, capex, "USD/MW", 10.0, 0.0, 1.0, "hand-made")  # noqa: E731
    return PlanInputs(
        index=pd.date_range("2030-06-01", periods=HOURS, freq="h", tz="UTC"),
        weights_h=np.ones(HOURS),
        pv_cf=day,
        wind_cf=1.0 - day,
        workloads=(
            WorkloadInput("night", 100.0 * (1.0 - day)),
            WorkloadInput("day", 100.0 * day, value_of_lost_load_usd_per_mwh=day_voll),
        ),
        costs={"pv": row("pv", 1000.0), "wind": row("wind", 3200.0)},
        discount_rate=0.0,
        horizon_years=HOURS / 8760.0,
        rules=plan_rules,
    )


def test_pv_between_turbines_lets_the_planner_build_more_pv_within_the_same_limit():
    # The night needs wind 100 MW: 100 x 0.3 = 30 km² of total area. By day each MW of PV serves 4380 MWh/yr
    # (12 h x 365) for 100 USD/yr, 0.023 USD/MWh below the day class's 1 USD/MWh: all 100 MW are worth it.
    # Side by side, 31 km² leave (31 - 30) / 0.02 = 50 MW of PV: 50 MW x 4380 h = 219 000 MWh/yr unserved;
    # cost 320 x 100 + 100 x 50 + 219 000 x 1 = 256 000 USD/yr; land 0.02 x 50 + 0.3 x 100 = 31 km² (binding).
    # Between turbines: direct 0.02 x 100 + 0.003 x 100 = 2.3 ≤ 31, wind area 30 ≤ 31: PV 100 MW, all served,
    # 320 x 100 + 100 x 100 = 42 000 USD/yr; total land max(2.3, 30) = 30 km².
    side = solve(day_night_inputs(rules(False, limit=31.0)))
    assert side.capacities["pv_mw"] == pytest.approx(50.0, rel=1e-7)
    assert side.capacities["wind_mw"] == pytest.approx(100.0, rel=1e-7)
    assert side.unserved_mwh_per_yr == pytest.approx(219_000.0, rel=1e-7)
    assert side.objective_usd_per_yr == pytest.approx(256_000.0, rel=1e-7)
    pv, wind = side.capacities["pv_mw"], side.capacities["wind_mw"]
    assert side.land_km2 == pytest.approx(0.02 * pv + 0.3 * wind, rel=1e-12) == pytest.approx(31.0, rel=1e-7)

    between = solve(day_night_inputs(rules(True, limit=31.0)))
    assert between.capacities["pv_mw"] == pytest.approx(100.0, rel=1e-7)
    assert between.capacities["wind_mw"] == pytest.approx(100.0, rel=1e-7)
    assert between.unserved_mwh_per_yr == pytest.approx(0.0, abs=1e-3)
    assert between.objective_usd_per_yr == pytest.approx(42_000.0, rel=1e-7)
    pv, wind = between.capacities["pv_mw"], between.capacities["wind_mw"]
    assert between.land_km2 == pytest.approx(max(0.02 * pv + 0.003 * wind, 0.3 * wind), rel=1e-12)
    assert between.land_km2 == pytest.approx(30.0, rel=1e-7) and between.land_km2 <= 31.0 * (1 + 1e-9)
    kinds = between.summary()["land_by_kind_km2"]
    assert kinds["direct"] == pytest.approx({"pv": 2.0, "wind": 0.3}, rel=1e-7)
    assert kinds["spacing"] == pytest.approx(29.7, rel=1e-7) and kinds["total"] == between.land_km2
    key_figures = plan_sections(between)[0].rows
    assert key_figures["Land"] == "30.0 km² total, of which 2.3 km² direct footprint"


def test_an_infeasible_land_limit_is_named_side_by_side_and_between_turbines():
    # The day class is firm now: PV 100 MW and wind 100 MW are both needed. Side by side they take
    # 0.02 x 100 + 0.3 x 100 = 32 km², 1 km² above 31; between turbines max(2.3, 30) = 30 km², 1 km² above 29.
    for between, limit, need in ((False, 31.0, 32.0), (True, 29.0, 30.0)):
        inputs = day_night_inputs(rules(between, limit=limit), day_voll=None)
        assert precheck(inputs) == []
        with pytest.raises(InfeasibleDesignError) as info:
            solve(inputs)
        assert info.value.diagnosis == [
            f"land limit: the cheapest way to meet the other rules needs {need:,.2f} km² of total land, "
            f"1.00 km² more than the limit of {limit:,.2f} km²"
        ]


def test_precheck_counts_the_minimum_capacities_total_land():
    # Minimum PV 100 MW and wind 100 MW: side by side 2 + 30 = 32 km², between turbines max(2.3, 30) = 30 km².
    bounds = {"pv_mw": (100.0, None), "wind_mw": (100.0, None)}
    for between, need in ((False, 32.0), (True, 30.0)):
        lines = precheck(day_night_inputs(rules(between, limit=20.0, capacity_bounds=bounds)))
        assert (
            f"land limit: the minimum capacities alone need {need:,.2f} km² of total land, above the land "
            "limit of 20.00 km²" in lines
        )


def test_most_renewable_energy_on_the_land_with_and_without_pv_between_turbines():
    # PV ≤ 100 MW, 30 km², each MW yields 4380 MWh/yr (PV by day, wind by night).
    # Side by side: PV first (4380 / 0.02 per km²): 100 MW on 2 km², wind (30 - 2) / 0.3 = 93.33 MW:
    # (100 + 93.33) x 4380 = 846 800 MWh/yr.
    # Between turbines: wind ≤ 30 / 0.3 = 100 MW (its area), direct 0.003 x 100 + 0.02 x 100 = 2.3 ≤ 30:
    # 200 x 4380 = 876 000 MWh/yr.
    bounds = {"pv_mw": (0.0, 100.0)}
    energy, caps = max_renewable_energy_mwh_per_yr(day_night_inputs(rules(False, limit=30.0, capacity_bounds=bounds)))
    assert energy == pytest.approx(846_800.0, rel=1e-9) and caps["wind_mw"] == pytest.approx(280 / 3, rel=1e-9)
    energy, caps = max_renewable_energy_mwh_per_yr(day_night_inputs(rules(True, limit=30.0, capacity_bounds=bounds)))
    assert energy == pytest.approx(876_000.0, rel=1e-9) and caps == pytest.approx({"pv_mw": 100.0, "wind_mw": 100.0})


def test_bad_land_inputs_are_named():
    with pytest.raises(ScenarioError, match=r"direct_land_km2_per_unit\['wind_mw'\] = 0.5"):
        day_night_inputs(rules(True, direct={"wind_mw": 0.5}))
    with pytest.raises(ScenarioError, match=r"direct_land_km2_per_unit\['pv_mw'\]"):
        day_night_inputs(rules(True, land={"wind_mw": 0.3}, direct={"pv_mw": 0.01}))
    with pytest.raises(ValidationError, match="direct_land_km2_per_mw"):
        Wind(land_km2_per_mw=0.002, direct_land_km2_per_mw=0.003)


def test_scenario_defaults_carry_the_two_wind_areas_and_side_by_side_layout():
    # Denholm et al. (2009): 34.5 ha/MW total project area, 0.3 ha/MW permanent direct impact.
    sc = Scenario()
    assert sc.technologies.wind.land_km2_per_mw == 0.345
    assert sc.technologies.wind.direct_land_km2_per_mw == 0.003
    assert sc.rules.pv_between_turbines is False
    assert Rules(pv_between_turbines=True).pv_between_turbines is True
