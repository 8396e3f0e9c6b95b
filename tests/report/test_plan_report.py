"""The plan report reads as a committee needs it: an executive summary in words, labels and units instead of field
names, one quantity per axis, no empty panel, every design-weather figure beside its out-of-sample figure (or a
caveat), and an assumptions appendix with sources; checked on the page and in Debian's Chromium.

Wiring tests (STYLE.md point 1) on real plans: the Dakhla full-year design of the session's availability round
(verified on ten unseen years) and a two-week plan without hydrogen.
"""

from __future__ import annotations

import html
import re

import pytest

from greendc.availability.outputs import out_of_sample_summary
from greendc.finance import finance_summary
from greendc.report import figures
from greendc.report.labels import CAPACITIES, number
from greendc.report.plan_report import plan_sections, write_plan_report
from greendc.report.words import dominant_cause, storage_share
from greendc.scenario.io import load_scenario
from greendc.units import PLAN_CAPACITY_UNITS
from tests.report.browser import check_report, open_page, raw_names_in

#: A flexibility value as :func:`greendc.plan.flexibility.flexibility_value` returns it (numbers illustrative).
FLEXIBILITY = {
    "flexible_classes": ["training"],
    "all_firm_cost_usd_per_mwh_it": 140.0,
    "value_usd_per_mwh_it": 6.1,
    "value_fraction": 0.044,
    "value_usd_per_mwh_flexible": 12.2,
}


def _visible(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _headings(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r"<h2>(.*?)</h2>", page)]


@pytest.fixture(scope="module")
def dakhla(design, tmp_path_factory):  # type: ignore[no-untyped-def]
    """The report of the least-cost Dakhla plan with its out-of-sample check, costs, finance and flexibility."""
    r0 = design.rounds[0]
    money = finance_summary(r0.plan, r0.inputs.costs, None, r0.inputs.discount_rate, 25)
    oos = out_of_sample_summary(r0.verification)
    path = write_plan_report(
        r0.plan,
        tmp_path_factory.mktemp("plan") / "report.html",
        "Dakhla <plan>",
        "Africa/Casablanca",
        oos,
        r0.inputs.costs,
        money,
        FLEXIBILITY,
        scenario=load_scenario("dakhla"),
    )
    return r0, oos, path


def test_storage_share_and_dominant_cause_by_hand():
    # 30 + 10 of 100 USD/yr are storage (the battery, and a balance-of-plant row paid per MW of battery)
    assert storage_share({"pv": 60.0, "battery_energy": 30.0, "grid_forming@battery_mw": 10.0}) == pytest.approx(0.4)
    assert storage_share({}) == 0.0
    words, hours, share = dominant_cause({"lull": 3.0, "outage": 1.0})
    assert (words, hours, share) == ("wind and sun lulls", 3.0, 0.75)
    assert dominant_cause({"lull": 0.0}) is None


def test_plan_report_speaks_to_a_committee(dakhla):
    r0, oos, path = dakhla
    page = path.read_text(encoding="utf-8")
    text = _visible(page)
    assert _headings(page) == [
        "Executive summary",
        "What is built and what it costs",
        "Finance",
        "How it runs",
        "Storage",
        "When energy is thrown away or missing",
        "Assumptions",
        "Costs used",
    ]
    # the executive summary: what, cost with the share in storage, reliability on unseen years, cause, risks
    share = storage_share(r0.plan.annualised_cost_usd_per_yr)
    for words in (
        "What is designed",
        f"{number(r0.plan.cost_usd_per_mwh_it, 1)} USD per MWh of IT energy",
        f"{number(100 * share, 0)} % for storage",
        "Main cause of lost hours",
        "Key risks",
        f"the worst unseen year cut firm load for {number(oos['firm_hours_per_yr']['worst'])} h",
        "no tariff stated: the break-even tariff",
    ):
        assert words in text, words
    top = dominant_cause(oos["firm_hours_per_yr_by_cause"])
    assert top is not None and top[0] in text
    # "0 unserved" never stands alone: the design weather and the unseen years in one row
    row = re.search(r"Unserved IT energy</th><td class='num'>(.*?)</td>", page).group(1)
    assert "on the design weather (perfect foresight, no outages)" in row
    assert f"{number(oos['eens_mwh_per_yr'], 0)} MWh/yr over {oos['years']} unseen years" in html.unescape(row)
    # labels with units, never the field names
    assert "Solar PV (DC nameplate) [MW]" in text and "Battery energy [MWh]" in text
    assert raw_names_in(text.split("Costs used")[0]) == []
    # the appendix: every input with its source
    for words in (
        "Discount rate",
        "7 % per year",
        "synthetic: 1 year(s) from 2030, seed 2030",
        "arXiv 2507.00909",
        "Availability target",
        "greendc/data/climatology/dakhla.csv",
        "BloombergNEF Battery Storage System Cost Survey",
    ):
        assert words in text, words


def test_capacity_figure_has_one_quantity_per_axis():
    caps = {
        "pv_mw": 900.0,
        "battery_mw": 300.0,
        "battery_mwh": 1200.0,
        "h2_store_mwh": 0.0,
        "desalination_m3_per_h": 50.0,
    }
    fig = figures.capacity_figure(caps, PLAN_CAPACITY_UNITS)
    axes = {t.yaxis: {PLAN_CAPACITY_UNITS[k] for k, v in CAPACITIES.items() if v.words in t.x} for t in fig.data}
    assert all(len(units) == 1 for units in axes.values())  # each panel one unit
    titles = {fig.layout[a.replace("y", "yaxis")].title.text for a in axes}
    assert titles == {"MW", "MWh", "m³/h"}
    assert "Hydrogen store (LHV)" not in str([t.x for t in fig.data])  # not built: no bar


def test_plan_without_hydrogen_or_check_says_so(two_weeks, tmp_path):
    plan = two_weeks.plan
    assert plan.capacities["h2_store_mwh"] == 0.0 and not figures.has_data(plan.dispatch["unserved_mw"])
    sections = {s.heading: s for s in plan_sections(plan, "Africa/Casablanca", costs=two_weeks.inputs.costs)}
    storage = sections["Storage"]
    assert storage.text == "No hydrogen store is built: its panel is left out."
    assert [a.text for a in storage.figures[0].layout.annotations] == ["Battery"]  # one panel
    losses = sections["When energy is thrown away or missing"]
    assert len(losses.figures) == 1 and "No IT energy is unserved on the design weather" in losses.text
    assert "not verified on unseen years" in losses.text
    assert "not verified on unseen years" in sections["Executive summary"].rows["Unserved IT energy"]
    path = write_plan_report(
        plan, tmp_path / "plan.html", "Two weeks", "Africa/Casablanca", None, two_weeks.inputs.costs
    )
    assert "The scenario was not passed to this report" in _visible(path.read_text(encoding="utf-8"))


def test_plan_reports_open_in_chromium(dakhla, two_weeks, tmp_path):
    _, _, path = dakhla
    page = open_page(path.as_uri(), screenshot=str(tmp_path / "plan.png"))
    check_report(page)
    assert page.title == "Dakhla <plan>" and page.plot_count == 7  # capacity, cost, cash flows, weeks, months,
    # storage, curtailment (no unserved energy on the design weather: no heat map)
    short = write_plan_report(two_weeks.plan, tmp_path / "short.html", "Two weeks", "Africa/Casablanca")
    check_report(open_page(short.as_uri(), screenshot=str(tmp_path / "short.png")))
