"""The LP energy reserve (:func:`greendc.plan.reserve.add_energy_reserve`) on tiny problems solved with HiGHS,
each optimum worked out on paper in the test's docstring.

The system: one firm class of 10 MW, PUE 1, no auxiliaries (firm facility peak ``L = 10 MW``); PV only, 48 h.
Costs as in ``test_plan_model.py``: discount rate 0 and lifetime 10 years make the annualised cost capex / 10
per unit. Reserve rows (docstring of ``add_energy_reserve``):

    soc_t ≥ R_b,  h_t ≥ R_h,  η_d R_b + η_fc R_h ≥ E_R = D L,  η_d R_b ≤ D P_b,  η_fc R_h ≤ D P_fc,
    P_b + P_fc ≥ L,  and with a refill time T_r:  R_b ≤ T_r η_c P_b,  R_h ≤ T_r η_el P_el.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from greendc.costs import CostRow
from greendc.errors import ScenarioError
from greendc.operate.design import design_from_summary
from greendc.plan.inputs import BatterySpec, HydrogenSpec, PlanInputs, PlanRules, WorkloadInput
from greendc.plan.reserve import reserve_energy_mwh
from greendc.plan.solve import solve
from greendc.scenario.models import Scenario

HOURS = 48
LOAD_MW = 10.0
ETA = 0.9  # battery one-way efficiencies


def row(name: str, capex: float) -> CostRow:
    return CostRow(name, capex, "USD/unit", 10.0, 0.0, 1.0, "hand-made for the test")


# annualised per unit: capex / 10
COSTS = {
    "pv": row("pv", 1000.0),  # 100 USD/yr per MW
    "wind": row("wind", 3200.0),
    "battery_energy": row("battery_energy", 10.0),  # 1 USD/yr per MWh
    "battery_power": row("battery_power", 50.0),  # 5 USD/yr per MW
    "electrolyser": row("electrolyser", 100.0),  # 10 USD/yr per MW
    "h2_store": row("h2_store", 1.0),  # 0.1 USD/yr per MWh
    "fuel_cell": row("fuel_cell", 200.0),  # 20 USD/yr per MW
}
A_PV, A_BE, A_BP, A_EL, A_H2, A_FC = 100.0, 1.0, 5.0, 10.0, 0.1, 20.0


def day_night() -> np.ndarray:
    """PV at 1.0 for 12 hours, then dark for 12 hours, twice."""
    return np.tile(np.r_[np.ones(12), np.zeros(12)], HOURS // 24)


def inputs(
    pv_cf, battery: BatterySpec | None = None, hydrogen: HydrogenSpec | None = None, rules: PlanRules | None = None
) -> PlanInputs:
    return PlanInputs(
        index=pd.date_range("2030-06-01", periods=HOURS, freq="h", tz="UTC"),
        weights_h=np.ones(HOURS),
        pv_cf=np.broadcast_to(np.asarray(pv_cf, dtype=float), HOURS).copy(),
        wind_cf=np.zeros(HOURS),
        workloads=(WorkloadInput("firm", np.full(HOURS, LOAD_MW)),),
        costs=COSTS,
        discount_rate=0.0,
        horizon_years=HOURS / 8760.0,
        battery=battery,
        hydrogen=hydrogen,
        rules=rules or PlanRules(),
    )


BATTERY = BatterySpec(ETA, ETA)
# Reserve-free optimum of the day/night case (as test_plan_model.test_storage_carries_the_night, at 10 MW):
# the night needs 12 × 10 / η_d = 133.33 MWh stored; it is charged in 12 h at 133.33 / η_c / 12 = 12.346 MW.
E_NIGHT = 12 * LOAD_MW / ETA
P_CHARGE = E_NIGHT / ETA / 12
PV_DAY = LOAD_MW + P_CHARGE


@pytest.fixture(scope="module")
def no_reserve():
    return solve(inputs(day_night(), battery=BATTERY))


@pytest.fixture(scope="module")
def reserve_20h():
    return solve(inputs(day_night(), battery=BATTERY, rules=PlanRules(reserve_hours=20.0)))


def test_reserve_free_optimum_by_hand(no_reserve):
    """E_b = 133.33 MWh, P_b = 12.346 MW, PV = 22.346 MW; no reserve: ``reserves`` empty, not in the summary."""
    caps = no_reserve.capacities
    assert caps["battery_mwh"] == pytest.approx(E_NIGHT, rel=1e-7)
    assert caps["battery_mw"] == pytest.approx(P_CHARGE, rel=1e-7)
    assert caps["pv_mw"] == pytest.approx(PV_DAY, rel=1e-7)
    assert dict(no_reserve.reserves) == {}
    assert "reserves" not in no_reserve.summary()


def test_battery_reserve_adds_exactly_its_energy(no_reserve, reserve_20h):
    """D = 20 h: E_R = 20 × 10 = 200 MWh delivered, so R_b = 200 / η_d = 222.22 MWh kept at all hours and
    E_b = 133.33 + 222.22 = 355.56 MWh. The other rows do not bind: η_d R_b = 200 ≤ D P_b = 246.9,
    P_b = 12.346 ≥ L = 10, and the default refill time (168 h) asks P_b ≥ 222.22 / (168 × 0.9) = 1.47 MW.
    So power and PV are unchanged and the cost rises by exactly 222.22 × 1 USD/yr."""
    r_b = 20 * LOAD_MW / ETA
    res = reserve_20h
    assert reserve_energy_mwh(inputs(day_night(), battery=BATTERY, rules=PlanRules(reserve_hours=20.0))) == 200.0
    assert res.capacities["battery_mwh"] == pytest.approx(no_reserve.capacities["battery_mwh"] + r_b, rel=1e-7)
    assert res.capacities["battery_mwh"] == pytest.approx(E_NIGHT + r_b, rel=1e-7)
    assert res.capacities["battery_mw"] == pytest.approx(P_CHARGE, rel=1e-7)
    assert res.capacities["pv_mw"] == pytest.approx(PV_DAY, rel=1e-7)
    assert res.objective_usd_per_yr == pytest.approx(no_reserve.objective_usd_per_yr + r_b * A_BE, rel=1e-7)
    assert res.reserves["reserve_hours"] == 20.0
    assert res.reserves["battery_reserve_mwh"] == pytest.approx(r_b, rel=1e-7)
    assert res.reserves["h2_reserve_mwh"] == 0.0
    summary = res.summary()
    assert summary["reserves"]["battery_reserve_mwh"] == pytest.approx(r_b, rel=1e-7)
    assert summary["reserves"]["reserve_hours"] == 20.0
    # the planned dispatch never goes below the reserve, and touches it at the end of each night
    soc = res.dispatch["battery_soc_mwh"].to_numpy()
    assert soc.min() == pytest.approx(r_b, rel=1e-6)
    # the operating design carries the same level (plan → simulator)
    assert design_from_summary(summary, Scenario()).battery_reserve_mwh == pytest.approx(r_b, rel=1e-7)


def test_short_refill_time_sizes_the_battery_power(no_reserve):
    """T_r = 10 h: R_b ≤ T_r η_c P_b binds, P_b = 222.22 / (10 × 0.9) = 24.691 MW (above the 12.346 MW the
    day/night cycle needs). Energy and PV as with the week-long refill; the cost rises by 222.22 × 1 for the
    energy and (24.691 − 12.346) × 5 for the power."""
    r_b = 20 * LOAD_MW / ETA
    p_refill = r_b / (10.0 * ETA)
    res = solve(inputs(day_night(), battery=BATTERY, rules=PlanRules(reserve_hours=20.0, reserve_refill_hours=10.0)))
    assert res.capacities["battery_mw"] == pytest.approx(p_refill, rel=1e-7)
    assert res.capacities["battery_mwh"] == pytest.approx(E_NIGHT + r_b, rel=1e-7)
    assert res.capacities["pv_mw"] == pytest.approx(PV_DAY, rel=1e-7)
    assert res.reserves["battery_reserve_mwh"] == pytest.approx(r_b, rel=1e-7)
    extra = r_b * A_BE + (p_refill - P_CHARGE) * A_BP
    assert res.objective_usd_per_yr == pytest.approx(no_reserve.objective_usd_per_yr + extra, rel=1e-7)


def test_no_refill_rule_leaves_power_free():
    """reserve_refill_hours None drops the refill row (T_r = 1 h would ask 222.22 / 0.9 = 246.9 MW): the power
    stays at the 12.346 MW of the daily cycle, the energy at 133.33 + 222.22 MWh."""
    res = solve(inputs(day_night(), battery=BATTERY, rules=PlanRules(reserve_hours=20.0, reserve_refill_hours=None)))
    assert res.capacities["battery_mw"] == pytest.approx(P_CHARGE, rel=1e-7)
    assert res.capacities["battery_mwh"] == pytest.approx(E_NIGHT + 20 * LOAD_MW / ETA, rel=1e-7)


def test_hydrogen_reserve_sizes_fuel_cell_store_and_electrolyser():
    """Constant PV cf 0.5: without a reserve, PV 20 MW and nothing else (cost 2000 USD/yr). Hydrogen only
    (η_el 0.6, η_fc 0.5), D = 20 h: E_R = 200 MWh → R_h = 200 / 0.5 = 400 MWh of hydrogen kept (store 400);
    the fuel cell delivers it within D: P_fc ≥ η_fc R_h / D = E_R / D = 10 MW (also the firm peak);
    refill in 168 h: P_el ≥ 400 / (168 × 0.6) = 3.968 MW. The store never moves (cyclic), PV stays 20 MW.
    Cost 20 × 100 + 400 × 0.1 + 10 × 20 + 3.968 × 10."""
    h2 = HydrogenSpec(electrolyser_efficiency=0.6, fuel_cell_efficiency=0.5)
    base = solve(inputs(0.5, hydrogen=h2))
    assert base.capacities["pv_mw"] == pytest.approx(20.0, rel=1e-7)
    assert base.capacities["fuel_cell_mw"] == pytest.approx(0.0, abs=1e-7)
    res = solve(inputs(0.5, hydrogen=h2, rules=PlanRules(reserve_hours=20.0)))
    r_h = 200.0 / 0.5
    p_el = r_h / (168.0 * 0.6)
    caps = res.capacities
    assert caps["fuel_cell_mw"] == pytest.approx(200.0 / 20.0, rel=1e-7)
    assert caps["h2_store_mwh"] == pytest.approx(r_h, rel=1e-7)
    assert caps["electrolyser_mw"] == pytest.approx(p_el, rel=1e-7)
    assert caps["pv_mw"] == pytest.approx(20.0, rel=1e-7)
    assert res.reserves == {"reserve_hours": 20.0, "battery_reserve_mwh": 0.0, "h2_reserve_mwh": pytest.approx(r_h)}
    expected = 20.0 * A_PV + r_h * A_H2 + 10.0 * A_FC + p_el * A_EL
    assert res.objective_usd_per_yr == pytest.approx(expected, rel=1e-7)
    assert res.dispatch["h2_level_mwh"].to_numpy() == pytest.approx(r_h, rel=1e-6)


@pytest.mark.parametrize(
    ("rules", "battery", "field"),
    [
        (PlanRules(reserve_hours=20.0), None, "reserve_hours"),
        (PlanRules(reserve_hours=-1.0), BATTERY, "reserve_hours"),
        (PlanRules(reserve_hours=20.0, reserve_refill_hours=0.0), BATTERY, "reserve_refill_hours"),
    ],
)
def test_bad_reserve_rules_raise_naming_the_field(rules, battery, field):
    """No storage to hold a reserve, a negative reserve, a refill time of 0: ScenarioError naming the field."""
    with pytest.raises(ScenarioError, match=field):
        solve(inputs(day_night(), battery=battery, rules=rules))
