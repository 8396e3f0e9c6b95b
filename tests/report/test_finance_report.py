"""The finance section of the plan report: key figures in words and units, the cost per MWh by component, the
cash-flow figure, and the page opened in Debian's Chromium."""

from __future__ import annotations

import html

import numpy as np
import pytest

from greendc.finance import FinanceSummary, finance_summary
from greendc.report.finance_report import cash_flow_figure, component_label, finance_section
from greendc.report.html import write_html
from tests.report.browser import open_page
from tests.test_finance import cost_row, finance_plan

# PV 200 MUSD (40 yr), inverters 50 MUSD (10 yr); 30 + 10 + 2 + 0.5 MUSD/yr over 1e6 MWh/yr = 42.5 USD/MWh
CAPEX = {"pv": 2.0e8, "battery_power": 5.0e7, "wind": 0.0}
ANNUAL = {"pv": 30e6, "battery_power": 10e6, "wind": 0.0, "variable_om": 2e6, "unserved_energy": 0.5e6}
ROWS = {"pv": cost_row(40, 0.02), "battery_power": cost_row(10, 0.0), "wind": cost_row(30, 0.02)}


def _summary(tariff_usd_per_mwh: float | None) -> FinanceSummary:
    return finance_summary(finance_plan(CAPEX, ANNUAL, 1.0e6), ROWS, tariff_usd_per_mwh, 0.07, 25)


def test_finance_section_states_the_figures_in_words_and_units():
    s = _summary(60.0)
    section = finance_section(s)
    assert section.heading == "Finance"
    rows = section.rows
    assert rows["Tariff"] == "60.0 USD per MWh of IT energy (stated in the scenario)"
    assert rows["Project life"] == "25 yr"
    assert rows["Net present value"] == f"{s.npv_usd / 1e6:,.1f} million USD"
    assert rows["Internal rate of return"] == f"{s.irr.rate_per_yr:.2%} per yr"
    assert rows["Cost per MWh of IT energy"].startswith("42.5 USD/MWh")
    # capex 200 + 50 = 250 MUSD; inverters bought again in years 10 and 20: 100 MUSD
    assert rows["Capital expenditure, year 0"] == "0.25 billion USD"
    assert rows["Replacements"] == "0.10 billion USD over 25 yr (undiscounted)"
    # salvage: PV 200 × 15/40 = 75 MUSD, year-20 inverters 50 × 5/10 = 25 MUSD
    assert rows["Salvage value, year 25"] == "0.10 billion USD"
    assert "straight-line" in section.text


def test_cost_per_mwh_table_lists_components_with_a_cost_and_the_total():
    table = html.unescape(finance_section(_summary(60.0)).html)
    for label, value in (
        ("Solar PV", "30"),
        ("Battery power (inverters)", "10"),
        ("Variable O&M", "2"),
        ("Value of lost load (unserved work)", "0.5"),
        ("Total", "42.5"),
    ):
        assert f'<td>{label}</td><td class="num">{value}</td>' in table
    assert "Wind turbines" not in table  # no cost, not shown
    # shares: 30/42.5 = 70.59 %
    assert "70.59" in table


def test_cash_flow_figure_bars_and_cumulative_lines():
    s = _summary(60.0)
    fig = cash_flow_figure(s.cash_flows, s.discount_rate)
    names = [t.name for t in fig.data]
    assert names[:6] == [
        "Capital expenditure",
        "Replacements",
        "Fixed O&M",
        "Variable costs",
        "Revenue at the tariff",
        "Salvage value",
    ]
    net = s.cash_flows["net_usd"].to_numpy()
    assert fig.data[6].y[-1] == pytest.approx(net.sum() / 1e6)
    # the discounted cumulative ends at the NPV
    assert fig.data[7].y[-1] == pytest.approx(s.npv_usd / 1e6)
    assert np.asarray(fig.data[1].y)[[10, 20]].tolist() == [-50.0, -50.0]


def test_without_a_tariff_and_without_an_irr_the_section_says_why():
    assert "none stated: the break-even tariff" in finance_section(_summary(None)).rows["Tariff"]
    # one 25-yr component sold at 0 USD/MWh: every flow is paid (no salvage), so no payback and no IRR
    plan = finance_plan({"pv": 1.0e8}, {"pv": 1.0e7}, 1.0e6)
    rows = finance_section(finance_summary(plan, {"pv": cost_row(25, 0.0)}, 0.0, 0.07, 25)).rows
    assert rows["Internal rate of return"] == (
        "none: the cash flows never change sign (all paid or all received): no rate makes the NPV zero"
    )
    assert rows["Simple payback"] == "not within the project life (cumulative cash flow stays negative)"
    assert component_label("grid_connection@pv_mw") == "Grid connection, for Solar PV (DC nameplate)"
    assert component_label("new_row@wind_mw") == "New row, for Wind turbines"


def test_finance_section_opens_in_chromium(tmp_path):
    path = write_html(tmp_path / "finance.html", "Finance", [finance_section(_summary(60.0))])
    page = open_page(path.as_uri())
    assert page.page_errors == [] and page.console_errors == []
    assert page.plot_count == 1
