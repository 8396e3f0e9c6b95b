"""Near-optimal capacity ranges (MGA) on a system whose near-optimal space is worked out by hand.

Method: Neumann, F., Brown, T. (2021). The near-optimal feasible space of a renewable power system
model. Electric Power Systems Research 190:106690, doi:10.1016/j.epsr.2020.106690 — minimise and maximise
each capacity subject to total cost ≤ (1 + ε) × optimum.

The system (costs of ``tests.plan.test_plan_model``: discount rate 0, 10-year life, annualised cost =
capex / 10): constant 100 MW load, PUE 1, no auxiliaries (the defaults of ``make_inputs``), PV cf 0.5 and
wind cf 0.25 in every hour, A_PV = 100 and A_WIND = 320 USD/yr per MW. Every hour alike, so the only row
is ``0.5 P_pv + 0.25 P_wind ≥ 100`` (storage cannot help: nothing to shift). The optimum is 200 MW of PV,
C* = 200 × 100 = 20 000 USD/yr (``test_constant_load_constant_capacity_factor``).

Within the budget B = (1 + ε) C*, with the slack εC*:

* wind replaces PV: one MW of wind (0.25 MW of energy) displaces 0.5 MW of PV and adds
  A_WIND − 0.5 A_PV = 320 − 50 = 270 USD/yr, so max P_wind = εC* / 270, and then
  min P_pv = 200 − 0.5 max P_wind (the same design: less PV needs more wind);
* extra PV is curtailed: max P_pv = B / A_PV = 200 (1 + ε);
* min P_wind = 0 (the optimum itself).

ε = 0.27 gives round numbers: εC* = 5 400 USD/yr, max wind 5 400 / 270 = 20 MW, min PV 190 MW, max PV
254 MW, budget 25 400 USD/yr. ε = 0.1: max wind 2 000 / 270 = 7.4074 MW, PV 196.2963 MW, cost 22 000.
"""

from __future__ import annotations

import pytest
from tests.plan.test_plan_model import A_BE, A_BP, A_PV, A_WIND, COSTS, make_inputs, row

from greendc.errors import GreendcError, InfeasibleDesignError, ScenarioError
from greendc.plan.inputs import BatterySpec
from greendc.plan.near_optimal import (
    NEAR_OPTIMAL_SENSES,
    RANGE_COLUMNS,
    near_optimal_design,
    near_optimal_ranges,
)
from greendc.plan.solve import solve

OPTIMUM = 200 * A_PV  # 20 000 USD/yr
TOL = 1e-6


def pv_and_wind(**kw):
    return make_inputs(0.5, wind_cf=0.25, **kw)


def cost_by_hand(caps) -> float:
    """Annualised cost of a design from its capacities [USD/yr] (no O&M, no flows priced)."""
    return caps["pv_mw"] * A_PV + caps["wind_mw"] * A_WIND + caps["battery_mw"] * A_BP + caps["battery_mwh"] * A_BE


def test_max_wind_design_by_hand_and_its_real_cost():
    # ε = 0.1: slack 2 000 USD/yr, 270 USD/yr per MW of wind that displaces PV -> 7.4074 MW of wind and
    # 200 - 3.7037 = 196.2963 MW of PV; real cost 196.2963 x 100 + 7.4074 x 320 = 22 000 USD/yr.
    res = near_optimal_design(pv_and_wind(), OPTIMUM, 0.1, "wind_mw", "max")
    wind = 0.1 * OPTIMUM / (A_WIND - 0.5 * A_PV)
    assert wind == pytest.approx(7.407407, rel=1e-6)
    assert res.capacities["wind_mw"] == pytest.approx(wind, rel=TOL)
    assert res.capacities["pv_mw"] == pytest.approx(200 - 0.5 * wind, rel=TOL)
    # the reported objective is the design's cost, not the MGA objective (a capacity)
    assert res.objective_usd_per_yr == pytest.approx(22_000.0, rel=TOL)
    assert res.objective_usd_per_yr == pytest.approx(cost_by_hand(res.capacities), rel=1e-9)
    # 100 MW all year = 876 000 MWh/yr of IT energy
    assert res.cost_usd_per_mwh_it == pytest.approx(22_000.0 / 876_000.0, rel=TOL)
    assert res.energy_price_usd_per_mwh.isna().all()
    assert res.provenance.details["near_optimal"] == {
        "capacity": "wind_mw",
        "sense": "max",
        "epsilon": 0.1,
        "optimum_usd_per_yr": OPTIMUM,
    }
    assert res.provenance.details["status"] == "optimal"


def test_ranges_by_hand():
    # ε = 0.27 (module docstring): PV 190..254 MW, wind 0..20 MW around the optimum 200 / 0.
    table = near_optimal_ranges(pv_and_wind(), 0.27)
    assert tuple(table.columns) == RANGE_COLUMNS
    # no battery or hydrogen offered: the model has PV and wind only
    assert list(table.capacity) == ["pv_mw", "wind_mw"]
    pv, wind = (table.set_index("capacity").loc[name] for name in ("pv_mw", "wind_mw"))
    assert pv.optimum == pytest.approx(200.0, rel=TOL)
    assert pv["min"] == pytest.approx(190.0, rel=TOL)  # 200 - 0.5 x 20
    assert pv["max"] == pytest.approx(254.0, rel=TOL)  # 200 x 1.27
    assert wind.optimum == pytest.approx(0.0, abs=TOL)
    assert wind["min"] == pytest.approx(0.0, abs=TOL)
    assert wind["max"] == pytest.approx(20.0, rel=TOL)  # 5 400 / 270
    # min PV (190 PV + 20 wind) and max PV (254 PV) both spend the whole budget: 25 400 USD/yr
    assert pv.min_cost_usd_per_yr == pytest.approx(25_400.0, rel=TOL)
    assert pv.max_cost_usd_per_yr == pytest.approx(25_400.0, rel=TOL)
    assert wind.max_cost_usd_per_yr == pytest.approx(25_400.0, rel=TOL)
    budget = (1 + 0.27) * OPTIMUM * (1 + TOL)
    assert (table[["min_cost_usd_per_yr", "max_cost_usd_per_yr"]].to_numpy() <= budget).all()
    assert table.attrs == {"epsilon": 0.27, "optimum_usd_per_yr": pytest.approx(OPTIMUM, rel=1e-9)}


def test_ranges_of_an_idle_battery_by_hand():
    # Same system with a battery of at most 4 h (E ≤ 4 P); storage has nothing to shift, so the optimum
    # builds none and the whole slack 5 400 USD/yr (ε = 0.27) may go to it:
    #   max P_b: E = 0 is allowed, 5 400 / A_BP = 5 400 / 5 = 1 080 MW;
    #   max E_b: needs P ≥ E / 4, i.e. A_BE + A_BP / 4 = 1 + 1.25 = 2.25 USD/yr per MWh -> 2 400 MWh.
    inputs = pv_and_wind(battery=BatterySpec(0.9, 0.9, max_duration_h=4.0))
    optimum = solve(inputs)
    assert optimum.objective_usd_per_yr == pytest.approx(OPTIMUM, rel=1e-9)
    table = near_optimal_ranges(inputs, 0.27, optimum=optimum).set_index("capacity")
    assert list(table.index) == ["pv_mw", "wind_mw", "battery_mw", "battery_mwh"]
    assert table.loc["battery_mw", "max"] == pytest.approx(1080.0, rel=TOL)
    assert table.loc["battery_mwh", "max"] == pytest.approx(2400.0, rel=TOL)
    assert table.loc[["battery_mw", "battery_mwh"], "min"].to_numpy() == pytest.approx(0.0, abs=TOL)
    # the battery changes nothing for PV and wind
    assert table.loc["pv_mw", ["min", "max"]].to_numpy() == pytest.approx([190.0, 254.0], rel=TOL)
    assert table.loc["wind_mw", "max"] == pytest.approx(20.0, rel=TOL)
    budget = (1 + 0.27) * OPTIMUM * (1 + TOL)
    assert (table[["min_cost_usd_per_yr", "max_cost_usd_per_yr"]].to_numpy() <= budget).all()


def test_every_alternative_costs_at_most_the_budget():
    # each design's real cost, rebuilt by hand from its capacities, is within (1 + ε) C* (ε = 0.05)
    inputs = pv_and_wind(battery=BatterySpec(0.9, 0.9))
    for capacity in ("pv_mw", "wind_mw", "battery_mwh"):
        for sense in NEAR_OPTIMAL_SENSES:
            res = near_optimal_design(inputs, OPTIMUM, 0.05, capacity, sense)
            assert res.objective_usd_per_yr == pytest.approx(cost_by_hand(res.capacities), rel=1e-9)
            assert res.objective_usd_per_yr <= 1.05 * OPTIMUM * (1 + TOL)
            assert res.unserved_mwh_per_yr == pytest.approx(0.0, abs=1e-6)


def test_ranges_of_chosen_capacities_from_a_given_optimum():
    inputs = pv_and_wind()
    table = near_optimal_ranges(inputs, 0.27, capacities=["wind_mw"], optimum=solve(inputs))
    assert list(table.capacity) == ["wind_mw"]
    assert table.loc[0, "max"] == pytest.approx(20.0, rel=TOL)


@pytest.mark.parametrize("epsilon", [0.0, -0.1, 1.5, float("nan"), float("inf")])
def test_epsilon_outside_its_range_is_refused(epsilon):
    with pytest.raises(ScenarioError, match=r"epsilon = .*; allowed: .*0 < epsilon <= 1"):
        near_optimal_design(pv_and_wind(), OPTIMUM, epsilon, "pv_mw", "max")
    with pytest.raises(ScenarioError, match="epsilon"):
        near_optimal_ranges(pv_and_wind(), epsilon)


def test_unknown_capacity_lists_the_allowed_names():
    with pytest.raises(ScenarioError, match=r"capacity = 'solar_mw'; allowed: pv_mw, wind_mw, battery_mw"):
        near_optimal_design(pv_and_wind(), OPTIMUM, 0.1, "solar_mw", "max")
    with pytest.raises(ScenarioError, match="solar_mw"):
        near_optimal_ranges(pv_and_wind(), 0.1, capacities=["solar_mw"])


def test_capacity_the_inputs_do_not_offer_is_refused():
    # no BatterySpec: the model has no battery variables; the message lists those it has
    with pytest.raises(ScenarioError, match=r"'battery_mw' is not in this model.*allowed: pv_mw, wind_mw$"):
        near_optimal_design(pv_and_wind(), OPTIMUM, 0.1, "battery_mw", "max")


def test_bad_sense_and_optimum_are_refused():
    with pytest.raises(ScenarioError, match=r"sense = 'maximum'; allowed: min, max"):
        near_optimal_design(pv_and_wind(), OPTIMUM, 0.1, "pv_mw", "maximum")  # type: ignore[arg-type]
    with pytest.raises(ScenarioError, match=r"optimum_usd_per_yr = -1.0; allowed"):
        near_optimal_design(pv_and_wind(), -1.0, 0.1, "pv_mw", "max")


def test_maximum_of_a_free_unbounded_capacity_is_refused():
    # wind at no cost: the cost limit does not bound it, the LP would be unbounded
    inputs = pv_and_wind(costs={**COSTS, "wind": row("wind", 0.0)})
    with pytest.raises(ScenarioError, match="'wind_mw' has no cost and no upper bound"):
        near_optimal_design(inputs, OPTIMUM, 0.1, "wind_mw", "max")


def test_budget_below_the_optimum_is_infeasible():
    # 1.1 x 10 000 = 11 000 USD/yr < 20 000: no design fits
    with pytest.raises(InfeasibleDesignError, match="optimum_usd_per_yr must be the least cost") as info:
        near_optimal_design(pv_and_wind(), 10_000.0, 0.1, "wind_mw", "max")
    assert isinstance(info.value, GreendcError)
    assert "11,000 USD/yr" in str(info.value)


def test_public_names():
    import greendc.plan.near_optimal as module

    assert NEAR_OPTIMAL_SENSES == ("min", "max")
    defined = {n for n, v in vars(module).items() if callable(v) and getattr(v, "__module__", "") == module.__name__}
    assert {n for n in defined if not n.startswith("_")} <= set(module.__all__)
    assert all(hasattr(module, n) for n in module.__all__)
    assert sorted(module.__all__) == module.__all__
