"""Infeasible designs are explained: which rule, when, how much (hand-derived numbers in each test)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from greendc.costs import CostRow
from greendc.errors import InfeasibleDesignError
from greendc.plan.diagnose import precheck
from greendc.plan.inputs import BatterySpec, PlanInputs, PlanRules, WorkloadInput
from greendc.plan.solve import solve

HOURS = 48
# annualised cost = capex / 10 at rate 0 over 10 years
COSTS = {
    name: CostRow(name, capex, "USD/unit", 10.0, 0.0, 1.0, "hand-made for the test")
    for name, capex in [
        ("pv", 1000.0),
        ("wind", 3200.0),
        ("battery_energy", 10.0),
        ("battery_power", 50.0),
        ("electrolyser", 1e6),
        ("h2_store", 1e6),
        ("fuel_cell", 1e6),
    ]
}


def day_night() -> np.ndarray:
    """PV at 1.0 for 12 hours, then dark for 12 hours."""
    return np.tile(np.r_[np.ones(12), np.zeros(12)], HOURS // 24)


def make_inputs(pv_cf, battery=None, workloads=None, rules=None) -> PlanInputs:
    return PlanInputs(
        index=pd.date_range("2030-06-01", periods=HOURS, freq="h", tz="UTC"),
        weights_h=np.ones(HOURS),
        pv_cf=np.broadcast_to(pv_cf, HOURS).astype(float),
        wind_cf=np.zeros(HOURS),
        workloads=workloads or (WorkloadInput("firm", np.full(HOURS, 100.0)),),
        costs=COSTS,
        discount_rate=0.0,
        horizon_years=HOURS / 8760.0,
        battery=battery,
        rules=rules or PlanRules(),
    )


def diagnosis_of(inputs) -> list[str]:
    with pytest.raises(InfeasibleDesignError) as info:
        solve(inputs)
    assert info.value.diagnosis, "an infeasible design must come with a diagnosis"
    return info.value.diagnosis


def test_land_limit_too_small_is_named_with_the_numbers():
    # 100 MW at cf 0.5 needs 876 000 MWh/yr; PV at 0.02 km²/MW on 1 km² hosts 50 MW, i.e. 50 x 0.5 x 8760 =
    # 219 000 MWh/yr: 657 000 MWh/yr missing.
    rules = PlanRules(land_limit_km2=1.0, land_km2_per_unit={"pv_mw": 0.02, "wind_mw": 0.3})
    lines = diagnosis_of(make_inputs(0.5, rules=rules, battery=BatterySpec(0.9, 0.9)))
    text = "\n".join(lines)
    assert "land limit 1.00 km²" in text
    assert "219,000 MWh/yr" in text and "876,000 MWh/yr" in text and "657,000 MWh/yr missing" in text


def test_no_storage_names_the_dark_hours():
    # Sun 12 h a day and no storage allowed: the 24 dark hours of the 2 days cannot be served.
    lines = diagnosis_of(make_inputs(day_night()))
    assert len(lines) == 1
    assert lines[0].startswith("storage: no battery or hydrogen may be built, but in 24 hour(s)")
    assert "2030-06-01 12:00 UTC" in lines[0] and "100.0 MW" in lines[0]


def test_reserve_rule_found_by_elastic_resolve():
    # The pre-checks pass (a battery may be built), but the battery is capped at 10 MW. At night it must
    # discharge the whole 100 MW load and still hold 50 % of it (50 MW) as headroom: 150 MW are needed.
    rules = PlanRules(reserve_fraction=0.5, capacity_bounds={"battery_mw": (0.0, 10.0)})
    inputs = make_inputs(day_night(), battery=BatterySpec(1.0, 1.0), rules=rules)
    assert precheck(inputs) == []
    lines = diagnosis_of(inputs)
    assert any("battery_mw needs at least 150.0, above its maximum of 10.0" in line for line in lines), lines


def test_capacity_bound_on_storage_found_by_elastic_resolve():
    # PV-only with a battery capped at 1000 MWh: the night needs 1200 MWh (lossless battery).
    rules = PlanRules(capacity_bounds={"battery_mwh": (0.0, 1000.0)})
    lines = diagnosis_of(make_inputs(day_night(), battery=BatterySpec(1.0, 1.0), rules=rules))
    assert lines == ["capacity bound: battery_mwh needs at least 1,200.0, above its maximum of 1,000.0"]


def test_flexible_minimum_above_the_work_requested():
    # min 150 MW for 48 h = 7 200 MWh of IT energy, but only 100 MW x 48 h = 4 800 MWh of work is requested.
    wl = WorkloadInput("training", np.full(HOURS, 100.0), True, np.full(HOURS, 150.0), np.full(HOURS, 200.0))
    lines = diagnosis_of(make_inputs(0.5, workloads=(wl,)))
    assert lines[0].startswith("flexible class 'training': running at its minimum power uses 7,200 MWh")


def test_reserve_without_any_storage_is_a_precheck():
    lines = precheck(make_inputs(0.5, rules=PlanRules(reserve_fraction=0.1)))
    assert lines == [
        "operating reserve: 10% of the load must be held by battery or fuel-cell headroom, but neither may be built"
    ]
