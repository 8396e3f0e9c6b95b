"""The study report from hand-built study rows: the sections that apply are there and the others are not,
out-of-sample figures say so, diagnoses are shown escaped, and the page needs nothing from the network.

Wiring tests (STYLE.md point 1): the numbers come from :mod:`greendc.study.analysis`, tested in
tests/study/test_analysis.py.
"""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pandas as pd

from greendc.report.study_report import parameter_unit, write_study_report
from greendc.study.designs import study_points
from greendc.study.spec import StudySpec
from tests.report.browser import check_report, open_page

COST = "cost_usd_per_mwh_it"
CAPS = {
    "pv_mw": 100.0,
    "wind_mw": 200.0,
    "battery_mw": 50.0,
    "battery_mwh": 400.0,
    "electrolyser_mw": 0.0,
    "h2_store_mwh": 0.0,
    "fuel_cell_mw": 0.0,
}


def _row(point: int, values: dict, cost: float, status: str = "optimal", varied: str | None = None, **more) -> dict:
    ok = status == "optimal"
    figures = {
        COST: cost,
        "objective_usd_per_yr": cost * 4e6,
        "land_km2": 300.0 + cost,
        "water_m3_per_yr": 0.0,
        "oos_availability": 0.99 - cost / 1e4,
        "oos_firm_hours_per_yr_p95": cost / 10,
        "oos_years": 10,
    } | CAPS
    row = {
        "key": f"k{point}",
        "study": "hand",
        "point": point,
        "varied": varied,
        "values_json": json.dumps(values, sort_keys=True),
        "status": status,
        "diagnosis": "" if ok else "infeasible: land limit <100 km²> binds & reliability target 1.0",
        **{f"p:{k}": v for k, v in values.items()},
        "greendc_version": "0.1.0",
        "run_id": "r1",
        "worker": "vm:1",
        "wall_s": 2.0,
    }
    row |= {k: (v if ok else np.nan) for k, v in figures.items()} | more
    return row


def _near(point: int, cap: str, sense: str, value: float) -> dict:
    return _row(point, {}, 72.0, near_optimal_capacity=cap, near_optimal_sense=sense, epsilon=0.05, **{cap: value})


def _headings(text: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r"<h2>(.*?)</h2>", text)]


def _assert_self_contained(text: str) -> None:
    assert not re.search(r"<script[^>]*\bsrc\s*=\s*[\"']?https?:", text, flags=re.I)
    assert not re.search(r"<link[^>]*\bhref\s*=\s*[\"']?https?:", text, flags=re.I)
    assert text.count("* plotly.js v") == 1  # plotly.js embedded once (its banner names the version)
    assert len(text) > 3_000_000  # … and that is the whole library, not a loader


def _oat() -> tuple[StudySpec, pd.DataFrame]:
    spec = StudySpec(
        name="hand",
        design="oat",
        verify_years=10,
        near_optimal={"epsilon": 0.05},
        parameters=[
            {"path": "finance.discount_rate", "values": [0.05, 0.10]},
            {"path": "rules.land_limit_km2", "values": [200.0, 400.0], "label": "land limit"},
        ],
    )
    rows = pd.DataFrame(
        [
            _row(0, {}, 70.0),
            _row(1, {"finance.discount_rate": 0.05}, 61.0, varied="finance.discount_rate"),
            _row(2, {"finance.discount_rate": 0.10}, 85.0, varied="finance.discount_rate"),
            _row(3, {"rules.land_limit_km2": 200.0}, np.nan, "infeasible", varied="rules.land_limit_km2"),
            _row(4, {"rules.land_limit_km2": 400.0}, 70.0, varied="rules.land_limit_km2"),
            _near(5, "pv_mw", "min", 20.0),
            _near(6, "pv_mw", "max", 300.0),
            _near(7, "wind_mw", "min", 150.0),
            _near(8, "wind_mw", "max", 260.0),
        ]
    )
    return spec, rows


def test_oat_study_with_near_optimal_and_an_infeasible_point(tmp_path):
    spec, rows = _oat()
    path = write_study_report(rows, spec, tmp_path / "study.html")
    text = path.read_text(encoding="utf-8")
    assert _headings(text) == [
        "Study",
        "Points",
        "Sensitivity one parameter at a time",
        "Trade-offs: Pareto fronts",
        "Cost against each parameter",
        "Near-optimal alternatives",
        "Points without a plan",
        "Assumptions",
    ]
    assert "<title>Study hand</title>" in text
    _assert_self_contained(text)
    # header counts: 5 design points, 4 directions; 8 optimal, 1 infeasible; 10 unseen years
    assert "5 design points and 4 near-optimal directions" in text
    assert "8 optimal, 1 infeasible, 0 error" in text
    assert "each design on 10 unseen synthetic years" in text
    # out-of-sample figures are labelled as such, with the number of unseen years
    assert "availability, out of sample (10 unseen years) [%]" in text
    # the diagnosis is shown, escaped
    assert "land limit &lt;100 km²&gt; binds &amp; reliability target" in text
    assert "<100 km²>" not in text
    # units on the axes: cost, parameters, capacities
    assert "cost of IT energy [USD/MWh]" in text
    assert "finance.discount_rate [-]" in text and "land limit [km²]" in text
    assert "Solar PV (DC nameplate) [MW]" in text
    # 1 tornado + 2 Pareto fronts (availability, land; water is 0 everywhere) + 2 curves + ranges + parallel axes
    assert text.count("Plotly.newPlot") == 7
    assert "water use [m³/yr] is 0 at every point" in text


def test_morris_study_without_near_optimal_rows(tmp_path):
    spec = StudySpec(
        name="screen",
        design="morris",
        samples=4,
        levels=4,
        seed=2,
        parameters=[
            {"path": "finance.discount_rate", "low": 0.04, "high": 0.1},
            {"path": "costs.capex_factors.battery_energy", "low": 0.5, "high": 1.5},
        ],
    )
    rows = pd.DataFrame(
        [_row(p.index, p.values, 50 + 300 * p.values["finance.discount_rate"]) for p in study_points(spec)]
    )
    rows = rows.drop(columns=[c for c in rows.columns if c.startswith("oos")])  # not verified
    text = write_study_report(rows, spec, tmp_path / "m.html", title="Screening").read_text(encoding="utf-8")
    assert _headings(text) == ["Study", "Points", "Morris screening", "Trade-offs: Pareto fronts", "Assumptions"]
    assert "elementary effect| [USD\\u002fMWh over the parameter's range]" in text  # axis title, in plotly's JSON
    assert "μ* [USD/MWh]" in text  # table header
    assert "out of sample" not in text  # nothing verified, nothing claimed
    _assert_self_contained(text)


def test_morris_with_a_point_without_a_plan_says_why(tmp_path):
    spec = StudySpec(
        name="screen",
        design="morris",
        samples=2,
        parameters=[{"path": "finance.discount_rate", "low": 0.04, "high": 0.1}],
    )
    rows = pd.DataFrame(
        [_row(p.index, p.values, 60.0, "error" if p.index == 1 else "optimal") for p in study_points(spec)]
    )
    text = write_study_report(rows, spec, tmp_path / "m.html").read_text(encoding="utf-8")
    assert "Morris screening" in _headings(text) and "Not computed" in text and "point 1 error" in text
    assert _headings(text)[-2:] == ["Points without a plan", "Assumptions"]


def test_a_study_without_rows_has_only_its_header(tmp_path):
    spec = StudySpec(design="grid", parameters=[{"path": "finance.discount_rate", "values": [0.05]}])
    text = write_study_report(pd.DataFrame(), spec, tmp_path / "e.html").read_text(encoding="utf-8")
    assert _headings(text) == ["Study"] and "no point has finished yet" in text


def test_parameter_units_from_field_names():
    assert [
        parameter_unit(p)
        for p in (
            "rules.land_limit_km2",
            "finance.tariff_usd_per_mwh",
            "costs.capex_factors.pv",
            "rules.reliability_target",
            "datacenter.it_capacity_mw",
        )
    ] == ["km²", "USD/MWh", "×", "-", "MW"]


def test_executive_summary_and_appendix(tmp_path):
    spec, rows = _oat()
    text = html.unescape(
        re.sub(r"<[^>]+>", " ", write_study_report(rows, spec, tmp_path / "s.html").read_text(encoding="utf-8"))
    )
    # cost range over the 8 solved points: 61 to 85 USD/MWh; the discount rate swings it by 85 - 61 = 24
    assert "the cost of IT energy runs from 61.0 to 85.0 USD/MWh over the 8 solved points" in text
    assert "finance.discount_rate moves the cost of IT energy most: +24.0 USD/MWh" in text
    assert "on 10 unseen years each, the worst year in twenty (P95) cuts firm load 6.1 to 8.5 h" in text
    assert "Points without a plan : 1" in text
    assert "The inputs of the base scenario dakhla" in text and "Discount rate" in text


def test_study_report_opens_in_chromium(tmp_path):
    spec, rows = _oat()
    path = write_study_report(rows, spec, tmp_path / "study.html")
    page = open_page(path.as_uri(), screenshot=str(tmp_path / "study.png"))
    check_report(page)
    assert page.plot_count == 7
