"""The availability report: built from a small real design-for-availability run (the Dakhla scenario, one
plan-and-verify round on ten unseen years), checked for what a steering committee must read, and opened in
Debian's Chromium.

These are wiring tests (STYLE.md point 1): the figures themselves come from :mod:`greendc.availability`, tested
there; here the page must carry them, in words and units, without raw field names.
"""

from __future__ import annotations

import dataclasses
import html
import re

import pytest

from greendc.availability.events import CAUSES
from greendc.availability.sizing import AvailabilityDesign, Round
from greendc.availability.verify import Verification
from greendc.errors import GreendcError
from greendc.report.availability_report import availability_sections, write_availability_report
from greendc.report.labels import number
from greendc.report.verification_report import CAPACITY_LABELS, CAUSE_LABELS, write_verification_report
from greendc.report.words import storage_share
from greendc.units import PLAN_CAPACITY_UNITS
from tests.report.browser import check_report, open_page


@pytest.fixture(scope="module")
def dearer(design: AvailabilityDesign) -> AvailabilityDesign:
    """Two rounds: the real one, then the same design made 12.5 USD/MWh and 10 % dearer and called a pass, so the
    premium over the least-cost design is known exactly without a second solve."""
    r0 = design.rounds[0]
    plan = dataclasses.replace(
        r0.plan,
        objective_usd_per_yr=1.1 * r0.plan.objective_usd_per_yr,
        cost_usd_per_mwh_it=r0.plan.cost_usd_per_mwh_it + 12.5,
    )
    r1 = Round(1, 12.0, r0.inputs, plan, r0.verification, 1.0)
    return AvailabilityDesign(design.target, [r0, r1], r1, True, design.provenance)


def _visible_text(page: str) -> str:
    """Text outside scripts and styles, tags removed, entities decoded."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _figure_text(fig) -> str:  # type: ignore[no-untyped-def]
    """Every text a figure shows: titles, axis titles, annotations, trace names, category labels, bar texts."""
    layout = fig.layout
    parts = [layout.title.text, layout.xaxis.title.text, layout.yaxis.title.text]
    parts += [a.text for a in layout.annotations]
    for trace in fig.data:
        parts.append(trace.name)
        for attr in ("y", "text"):
            values = getattr(trace, attr, None)
            if values is not None and len(values) and isinstance(values[0], str):
                parts += list(values)
    return " ".join(str(p) for p in parts if p)


def _raw_names(design: AvailabilityDesign) -> set[str]:
    """Field names a reader must never see: capacity keys, the round table's columns, the verification keys."""
    names = set(PLAN_CAPACITY_UNITS) | set(design.table().columns) | set(design.chosen.verification.table)
    return {n for n in names if "_" in n}


def test_labels_cover_the_glossary():
    assert set(CAPACITY_LABELS) == set(PLAN_CAPACITY_UNITS)
    assert set(CAUSE_LABELS) == set(CAUSES)


def test_page_says_what_the_committee_needs(design, dearer, tmp_path):
    path = write_availability_report(
        dearer, tmp_path / "availability.html", "Dakhla <availability>", "Africa/Casablanca"
    )
    page = path.read_text(encoding="utf-8")
    text = _visible_text(page)
    assert "Dakhla &lt;availability&gt;" in page  # the title is escaped
    assert "tier-iii" in text and "Tier III" in text
    assert "Target met" in text
    premium = dearer.premium()
    assert premium["usd_per_mwh"] == pytest.approx(12.5)
    assert "12.5 USD/MWh (+10.0%" in text  # the premium over the least-cost design, in USD/MWh and per cent
    assert "start (Africa/Casablanca)" in text
    # plotly.js inlined once, three figures: the curve, the heat map, the hours by cause
    assert page.count("plotly.js v") == 1 and "<script src=" not in page
    assert page.count("Plotly.newPlot") == 3
    assert '"type":"heatmap"' in page and "Cost of availability" in page and "with flexible work" in page
    figure_text = " ".join(
        _figure_text(f) for s in availability_sections(dearer, "Africa/Casablanca") for f in s.figures
    )
    for name in _raw_names(design):
        assert not re.search(rf"\b{re.escape(name)}\b", text), name
        assert not re.search(rf"\b{re.escape(name)}\b", figure_text), name
    for label in (
        "Solar PV (DC nameplate)",
        "Battery energy [MWh]",
        "Uptime Institute",
        "persistence",
        "Restart after a loss of load",
        "Reserve refill",
        "common-mode trips [h/yr]",
    ):
        assert label in text, label


def test_least_cost_round_costs_nothing_extra(design, tmp_path):
    assert design.premium()["usd_per_mwh"] == 0.0
    text = _visible_text(write_availability_report(design, tmp_path / "a.html", "one round").read_text())
    assert "This is the least-cost design" in text and "USD/MWh (+" not in text
    assert "least cost" in " ".join(_figure_text(f) for s in availability_sections(design) for f in s.figures)


def test_bars_by_cause_add_up_to_the_firm_hours_cut(design):
    sections = availability_sections(design)
    bars = next(f for s in sections for f in s.figures if f.layout.title.text.startswith("Firm hours cut per year"))
    table = design.chosen.verification.table
    assert table["firm_hours_per_yr"]["mean"] > 0  # the least-cost design loses load: the bars are not empty
    assert sum(bars.data[0].x) == pytest.approx(table["firm_hours_per_yr"]["mean"])


def test_verification_report_with_and_without_a_target(design, tmp_path):
    v = design.chosen.verification
    summary = design.chosen.plan.summary()
    page = write_verification_report(v, summary, tmp_path / "v.html", "one design").read_text()
    assert page.count("Plotly.newPlot") == 2 and page.count("plotly.js v") == 1  # no rounds, no curve
    assert "tier-iii" in _visible_text(page)
    keys = (
        "target",
        "share_of_years_meeting",
        "share_of_years_meeting_ci95",
        "firm_target_met",
        "flexible_target_met",
        "passed",
    )
    bare = Verification(v.runs, v.events, v.heatmap, {k: x for k, x in v.table.items() if k not in keys}, v.provenance)
    text = _visible_text(write_verification_report(bare, summary, tmp_path / "b.html", "no target").read_text())
    assert "No availability target set" in text and "Share of years within" not in text


def test_unknown_timezone_is_refused(design, tmp_path):
    with pytest.raises(GreendcError, match="timezone"):
        write_availability_report(design, tmp_path / "x.html", "x", timezone="Mars/Olympus")


def test_summary_names_the_risks_and_the_appendix_the_scenario(design, tmp_path):
    from greendc.scenario.io import load_scenario

    text = _visible_text(
        write_availability_report(design, tmp_path / "a.html", "risks", scenario=load_scenario("dakhla")).read_text(
            encoding="utf-8"
        )
    )
    plan = design.chosen.plan
    share = storage_share(plan.annualised_cost_usd_per_yr)
    worst = design.chosen.verification.table["firm_hours_per_yr"]["worst"]
    for words in (
        f"Storage (battery, hydrogen) is {number(100 * share, 0)} % of the annual cost",
        "on its own design weather, solved with perfect foresight and no outages",
        f"the worst of 10 unseen years cut firm load for {number(worst)} h",
        "most firm hours cut come from",
        "The inputs of scenario dakhla",
        "Discount rate",
        "arXiv 2507.00909",
    ):
        assert words in text, words


def test_report_opens_in_chromium(dearer, tmp_path):
    path = write_availability_report(dearer, tmp_path / "availability.html", "Availability", "Africa/Casablanca")
    page = open_page(path.as_uri(), screenshot=str(tmp_path / "availability.png"))
    check_report(page)
    assert page.plot_count == 3 and page.svg_count >= 3
    assert page.title == "Availability"
    verified = write_verification_report(
        dearer.chosen.verification,
        dearer.chosen.plan.summary(),
        tmp_path / "verification.html",
        "Verification",
        "Africa/Casablanca",
    )
    check_report(open_page(verified.as_uri(), screenshot=str(tmp_path / "verification.png")))
