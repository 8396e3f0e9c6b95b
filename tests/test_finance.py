"""Project finance of a plan: cash flows, NPV, IRR, payback and cost per MWh by component, against hand-worked
values."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from greendc.costs import CostRow, capital_recovery_factor
from greendc.errors import GreendcError
from greendc.finance import (
    cash_flows_usd,
    discounted_payback_years,
    finance_summary,
    irr,
    lcoe_by_component_usd_per_mwh,
    npv_usd,
    simple_payback_years,
)
from greendc.plan.result import PlanResult, SolveStatus
from greendc.scenario.models import Finance

# A loan of 100 at 10 %/yr repaid in three years: 100 × 1.1 − 50 = 60; 60 × 1.1 − 36 = 30; 30 × 1.1 − 33 = 0.
LOAN = [-100.0, 50.0, 36.0, 33.0]


def cost_row(lifetime_years: float, fom_fraction_per_year: float) -> CostRow:
    """A cost row of 1 MUSD per MW with the given lifetime [yr] and fixed O&M [1/yr] (only these are read)."""
    return CostRow("pv_single_axis", 1.0e6, "USD/MW", lifetime_years, fom_fraction_per_year, 1.0, "test row")


def finance_plan(capex_usd: dict[str, float], annual_usd_per_yr: dict[str, float], it_mwh_per_yr: float) -> PlanResult:
    """A solved plan reduced to what finance reads: capex, annualised costs and served IT energy."""
    total = sum(annual_usd_per_yr.values())
    return PlanResult(
        capacities={"pv_mw": 100.0},
        capex_usd=capex_usd,
        annualised_cost_usd_per_yr=annual_usd_per_yr,
        objective_usd_per_yr=total,
        it_energy_mwh_per_yr=it_mwh_per_yr,
        facility_energy_mwh_per_yr=it_mwh_per_yr,
        cost_usd_per_mwh_it=total / it_mwh_per_yr,
        cost_usd_per_mwh_facility=total / it_mwh_per_yr,
        curtailment_mwh_per_yr=0.0,
        curtailment_fraction=0.0,
        battery_cycles_per_yr=0.0,
        h2_cycles_per_yr=0.0,
        land_km2=0.0,
        land_by_kind_km2={"direct": {}, "spacing": 0.0, "total": 0.0},
        water_m3_per_yr=0.0,
        unserved_mwh_per_yr=0.0,
        dispatch=pd.DataFrame(),
        energy_price_usd_per_mwh=pd.Series(dtype=float),
        weights_h=np.ones(1),
        horizon_years=1.0,
        status=SolveStatus.OPTIMAL,
    )


def test_npv_irr_and_paybacks_of_a_three_year_cash_flow():
    # NPV at 5 %: −100 + 50/1.05 + 36/1.05² + 33/1.05³ = −100 + 47.619048 + 32.653061 + 28.506641 = 8.778750
    assert npv_usd(LOAN, 0.05) == pytest.approx(8.778750, abs=1e-6)
    # IRR: the loan's rate, 10 %
    assert irr(LOAN).rate_per_yr == pytest.approx(0.10, abs=1e-10)
    # cumulative −100, −50, −14, +19: paid back 14/33 of the way into year 3
    assert simple_payback_years(LOAN) == pytest.approx(2.0 + 14.0 / 33.0, abs=1e-12)
    # discounted at 5 %, cumulative −100, −52.380952, −19.727891, +8.778750: 2 + 19.727891/28.506641 = 2.692045
    assert discounted_payback_years(LOAN, 0.05) == pytest.approx(2.692045, abs=1e-6)
    # at the IRR the discounted flows sum to zero exactly at the last year
    assert discounted_payback_years(LOAN, 0.10) == pytest.approx(3.0, abs=1e-9)


def test_irr_is_none_with_a_reason():
    assert irr([-100.0, -5.0]).rate_per_yr is None
    assert "never change sign" in irr([-100.0, -5.0]).reason
    # −100 + 0.5/(1 + r) = 0 at r = −99.5 %, below the searched −99 %
    assert irr([-100.0, 0.5]).rate_per_yr is None
    assert "does not reach zero" in irr([-100.0, 0.5]).reason
    # −100 x² + 230 x − 132 = 0 (x = 1 + r): x = (230 ± 10)/200, r = 10 % and 20 %
    two = irr([-100.0, 230.0, -132.0])
    assert two.rate_per_yr is None and "10.00%, 20.00%" in two.reason


def test_paybacks_are_none_when_never_reached():
    assert simple_payback_years([-100.0, 30.0, 30.0]) is None  # cumulative −40 at the end
    # simple payback at 2 years (cumulative 0), but discounted at 10 % the cumulative is −13.2
    assert simple_payback_years([-100.0, 50.0, 50.0]) == pytest.approx(2.0)
    assert discounted_payback_years([-100.0, 50.0, 50.0], 0.10) is None


def test_replacements_and_straight_line_salvage():
    # a 10-yr inverter (1000 USD) and a 40-yr PV field (400 USD) in a 25-yr project
    t = cash_flows_usd({"inverter": 1000.0, "pv": 400.0}, {"inverter": 10, "pv": 40}, 5.0, 1.0, 10.0, 2.0, 25)
    assert t.index.tolist() == list(range(26))
    assert t.loc[0, "capex_usd"] == -1400.0 and (t.loc[1:, "capex_usd"] == 0.0).all()
    # the inverter is bought again in years 10 and 20, nothing else is replaced
    assert t.loc[t["replacement_usd"] != 0.0, "replacement_usd"].to_dict() == {10: -1000.0, 20: -1000.0}
    # salvage at 25: inverter of year 20 has 5 of 10 years left, 1000 × 5/10 = 500; PV 400 × 15/40 = 150
    assert t.loc[t["salvage_usd"] != 0.0, "salvage_usd"].to_dict() == {25: 650.0}
    # years 1..25: revenue 10 MWh × 2 USD/MWh = 20, fixed −5, variable −1: net 14 (year 10: 14 − 1000)
    assert t.loc[0, "net_usd"] == -1400.0
    assert t.loc[10, "net_usd"] == 14.0 - 1000.0
    assert t.loc[25, "net_usd"] == 14.0 + 650.0
    assert t.loc[7, ["fixed_om_usd", "variable_om_usd", "revenue_usd"]].tolist() == [-5.0, -1.0, 20.0]


def test_a_lifetime_that_is_not_a_whole_number_of_years():
    # 7.5-yr unit in a 10-yr project: bought again at 7.5 yr, booked in year 8; at year 10 it has
    # 7.5 + 7.5 − 10 = 5 of 7.5 years left: salvage 300 × 5/7.5 = 200
    t = cash_flows_usd({"unit": 300.0}, {"unit": 7.5}, 0.0, 0.0, 0.0, 0.0, 10)
    assert t.loc[t["replacement_usd"] != 0.0, "replacement_usd"].to_dict() == {8: -300.0}
    assert t.loc[10, "salvage_usd"] == pytest.approx(200.0)
    # a lifetime equal to the project: no replacement, nothing left
    t = cash_flows_usd({"unit": 300.0}, {"unit": 10}, 0.0, 0.0, 0.0, 0.0, 10)
    assert (t["replacement_usd"] == 0.0).all() and (t["salvage_usd"] == 0.0).all()


def test_npv_is_zero_at_the_plans_cost_per_mwh_when_the_lifetime_is_the_project_life():
    # one component: capex 1e8 USD, 25 yr, fixed O&M 2 %/yr, at 7 %: CRF(0.07, 25) = 0.0858105
    # annualised 1e8 × (0.0858105 + 0.02) = 10,581,052 USD/yr over 1e6 MWh/yr = 10.581052 USD/MWh
    rate, capex, energy = 0.07, 1.0e8, 1.0e6
    annual = capex * (capital_recovery_factor(rate, 25) + 0.02)
    assert annual == pytest.approx(10_581_052, abs=1)
    plan = finance_plan({"pv": capex}, {"pv": annual, "variable_om": 0.0, "unserved_energy": 0.0}, energy)
    s = finance_summary(plan, {"pv": cost_row(25, 0.02)}, plan.cost_usd_per_mwh_it, rate, 25)
    # each year revenue − O&M = capex × CRF: its present value over 25 years is the capex
    assert abs(s.npv_usd) <= 1e-6 * capex
    assert s.irr.rate_per_yr == pytest.approx(rate, abs=1e-9)
    assert s.break_even_tariff_usd_per_mwh == pytest.approx(10.581052, abs=1e-6)
    assert s.discounted_payback_years == pytest.approx(25.0, abs=1e-6)
    assert s.tariff_basis == "stated"


def test_npv_is_not_zero_at_the_plans_cost_when_a_component_is_replaced():
    # lifetime 10 in a 25-yr project, no O&M, at 7 %: revenue capex × CRF(0.07, 10) = 0.1423775 × 1e8 a year,
    # present value 1e8 × 0.1423775 / 0.0858105 = 1.659209e8; costs 1e8 × (1 + 1.07⁻¹⁰ + 1.07⁻²⁰ − 0.5 × 1.07⁻²⁵)
    # = 1e8 × (1 + 0.5083493 + 0.2584190 − 0.0921246) = 1.674644e8: NPV −1.5435e6 USD
    rate, capex = 0.07, 1.0e8
    annual = capex * capital_recovery_factor(rate, 10)
    plan = finance_plan({"pv": capex}, {"pv": annual}, 1.0e6)
    s = finance_summary(plan, {"pv": cost_row(10, 0.0)}, plan.cost_usd_per_mwh_it, rate, 25)
    assert s.npv_usd == pytest.approx(-1.5435e6, rel=1e-3)
    assert s.break_even_tariff_usd_per_mwh > plan.cost_usd_per_mwh_it


def test_without_a_tariff_the_break_even_tariff_is_used_and_said():
    rate, capex = 0.07, 1.0e8
    annual = capex * capital_recovery_factor(rate, 10)
    plan = finance_plan({"pv": capex}, {"pv": annual}, 1.0e6)
    s = finance_summary(plan, {"pv": cost_row(10, 0.0)}, None, rate, 25)
    assert s.tariff_basis == "break_even"
    assert s.tariff_usd_per_mwh == s.break_even_tariff_usd_per_mwh
    # break-even = PV(costs)/PV(energy) = 1.674644e8 / (1e6 / 0.0858105) = 14.3703 USD/MWh
    assert s.tariff_usd_per_mwh == pytest.approx(14.3703, abs=1e-3)
    assert abs(s.npv_usd) <= 1e-6 * capex
    assert s.irr.rate_per_yr == pytest.approx(rate, abs=1e-9)
    assert any("break-even" in c for c in s.conventions)


def test_cost_per_mwh_by_component_sums_to_the_plans_cost():
    # 30 + 10 + 2 + 0.5 million USD/yr over 1e6 MWh/yr = 42.5 USD/MWh
    annual = {"pv": 30e6, "battery_energy": 10e6, "variable_om": 2e6, "unserved_energy": 0.5e6}
    lcoe = lcoe_by_component_usd_per_mwh(annual, 1.0e6)
    assert lcoe == {"pv": 30.0, "battery_energy": 10.0, "variable_om": 2.0, "unserved_energy": 0.5}
    plan = finance_plan({"pv": 2.0e8, "battery_energy": 5.0e7}, annual, 1.0e6)
    rows = {"pv": cost_row(40, 0.02), "battery_energy": cost_row(25, 0.0)}
    s = finance_summary(plan, rows, 50.0, 0.07, 25)
    assert sum(s.lcoe_by_component_usd_per_mwh.values()) == pytest.approx(plan.cost_usd_per_mwh_it, rel=1e-12)
    assert sum(s.lcoe_by_component_usd_per_mwh.values()) == pytest.approx(42.5, rel=1e-12)
    # fixed costs = annualised − capex × CRF: pv 30e6 − 2e8 × 0.07500914 = 14,998,172 USD/yr; battery
    # 10e6 − 5e7 × 0.08581052 = 5,709,474 USD/yr; total 20,707,646; variable 2e6; value of lost load no cash flow
    assert -s.cash_flows.loc[1, "fixed_om_usd"] == pytest.approx(20_707_646, abs=2)
    assert s.cash_flows.loc[1, "variable_om_usd"] == -2.0e6
    json.dumps(s.to_dict())  # JSON-ready


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"tariff_usd_per_mwh": -5.0}, "tariff_usd_per_mwh"),
        ({"project_years": 0}, "project_years"),
        ({"project_years": 2.5}, "project_years"),
        ({"energy_sold_mwh_per_yr": float("nan")}, "energy_sold_mwh_per_yr"),
        ({"capex_usd_by_component": {"pv": -1.0}}, "capex_usd_by_component['pv']"),
        ({"lifetimes_years": {}}, "no lifetime for component 'pv'"),
        ({"lifetimes_years": {"pv": 0.0}}, "lifetimes_years['pv']"),
    ],
)
def test_bad_cash_flow_inputs_name_the_field(kwargs, field):
    args = {
        "capex_usd_by_component": {"pv": 100.0},
        "lifetimes_years": {"pv": 25},
        "fom_usd_per_yr": 1.0,
        "vom_usd_per_yr": 0.0,
        "energy_sold_mwh_per_yr": 10.0,
        "tariff_usd_per_mwh": 5.0,
        "project_years": 25,
    } | kwargs
    with pytest.raises(GreendcError, match=field.replace("[", r"\[")):
        cash_flows_usd(**args)


def test_bad_summary_inputs_name_the_field():
    plan = finance_plan({"pv": 1.0e8}, {"pv": 1.0e7}, 1.0e6)
    rows = {"pv": cost_row(25, 0.0)}
    with pytest.raises(GreendcError, match=r"tariff_usd_per_mwh = -5\.0; expected a finite number >= 0"):
        finance_summary(plan, rows, -5.0, 0.07, 25)
    with pytest.raises(GreendcError, match="project_years = 0; expected a whole number of years >= 1"):
        finance_summary(plan, rows, 50.0, 0.07, 0)
    with pytest.raises(GreendcError, match=r"cost_rows: no cost row for component\(s\) \['pv'\]"):
        finance_summary(plan, {}, 50.0, 0.07, 25)
    # 1e7 USD/yr is below the annuity of 1e8 at 12 % over 25 yr (1.275e7): another discount rate
    with pytest.raises(GreendcError, match="below its capital annuity"):
        finance_summary(plan, rows, 50.0, 0.12, 25)
    with pytest.raises(GreendcError, match="rate"):
        npv_usd(LOAN, -1.0)


def test_scenario_finance_fields():
    f = Finance()
    assert f.tariff_usd_per_mwh is None and f.project_years == 25
    with pytest.raises(ValidationError, match="tariff_usd_per_mwh"):
        Finance(tariff_usd_per_mwh=-5.0)
    with pytest.raises(ValidationError, match="project_years"):
        Finance(project_years=0)
