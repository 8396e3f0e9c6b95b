"""The simulation and Monte Carlo reports: an executive summary in words, summaries as readable tables (labels,
units, thousands separators, no scientific notation), the plan's design-weather figures beside the run's, no
empty panel, an assumptions appendix; checked on the page and in Debian's Chromium. Wiring tests on a real
two-week simulation and a real Monte Carlo of four year-runs."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from greendc.operate import monte_carlo
from greendc.operate.result import COMPARED, MonteCarloResult, monte_carlo_summary
from greendc.report.labels import FIGURES, SUB_FIGURES, number
from greendc.report.simulation_report import monte_carlo_sections, write_simulation_report
from tests.report.browser import check_report, open_page, raw_names_in


def _visible(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.fixture(scope="module")
def mc(two_weeks) -> MonteCarloResult:  # type: ignore[no-untyped-def]
    """2 weather seeds × 1 year × 2 fault seeds = 4 year-runs of the two-week plan's design (~10 s)."""
    return monte_carlo(
        two_weeks.simulation.design,
        two_weeks.scenario,
        weather_seeds=[1, 2],
        fault_seeds=[0, 1],
        years=1,
        progress=False,
    )


def test_every_summary_figure_has_a_label(two_weeks, mc):
    summary = two_weeks.simulation.summary
    assert [k for k in summary if k not in FIGURES] == []
    subs = {s for v in summary.values() if isinstance(v, dict) for s in v if s not in ("inference", "training")}
    assert subs <= set(SUB_FIGURES)
    assert [
        k
        for k in (*COMPARED, *mc.summary["mean"], *mc.summary)
        if k not in FIGURES and k not in ("mean", "worst", "return_levels")
    ] == []


def test_simulation_report_beside_the_plan(two_weeks, tmp_path):
    sim = two_weeks.simulation
    comparison = sim.compare_with_plan(two_weeks.plan.dispatch)
    path = write_simulation_report(sim, tmp_path / "sim.html", "Two weeks", "Africa/Casablanca", comparison)
    text = _visible(path.read_text(encoding="utf-8"))
    for words in (
        "Executive summary",
        "What was run",
        "Key risks",
        "Beside the plan",
        f"{number(sim.summary['unserved_mwh_per_yr'], 0)} MWh of IT energy not served per year",
        "the plan, solved with perfect foresight and no outages on its design weather",
        "plan (design weather, perfect foresight)",
        "Firm hours cut (hours with firm IT load shed) [h/yr]",
        "Share of requested IT energy served [%]",
        "class training",
        "Assumptions",
        "Time step",
        "1 h",
    ):
        assert words in text, words
    assert not re.search(r"\de[+-]\d", text)  # no scientific notation
    assert raw_names_in(text) == []
    page = open_page(path.as_uri(), screenshot=str(tmp_path / "sim.png"))
    check_report(page)
    assert page.plot_count == 5  # weeks, months, storage, curtailment and unserved heat maps


def test_monte_carlo_summary_is_a_readable_table(mc, tmp_path):
    path = write_simulation_report(mc, tmp_path / "mc.html", "Monte Carlo")
    page = path.read_text(encoding="utf-8")
    text = _visible(page)
    mean = mc.summary["mean"]["unserved_mwh_per_yr"]
    assert mean > 1000  # large enough that the old page wrote it in scientific notation
    row = re.search(r"Unserved IT energy \[MWh/yr\]</th>(.*?)</tr>", page).group(1)
    assert f"<td class='num'>{number(mean, 0)}</td>" in row and "," in number(mean, 0)
    assert not re.search(r"\de[+-]\d", text) and not re.search(r"\bnan\b", text)
    assert "exceeded once in 5 years" in text and "exceeded once in 20 years" not in text  # 4 runs: up to 5 years
    assert "are too few for the 10, 20, 50, 100-year levels" in text
    assert "4 year-runs" in text and "Assumptions" in text and "seeds 1, 2" in text
    assert raw_names_in(text) == []
    report = open_page(path.as_uri(), screenshot=str(tmp_path / "mc.png"))
    check_report(report)
    assert report.plot_count == 2  # unserved energy and firm hours cut per year-run


def test_monte_carlo_without_losses_draws_no_empty_histogram(mc):
    runs = mc.runs.assign(unserved_mwh_per_yr=0.0, lolh_h_per_yr=0.0, longest_interruption_h=0.0)
    quiet = MonteCarloResult(runs, monte_carlo_summary(runs), mc.design, mc.provenance)
    section = next(s for s in monte_carlo_sections(quiet) if s.heading == "Distribution over the year-runs")
    assert section.figures == ()
    assert section.text == "No year-run left IT energy unserved. No year-run cut the firm load."
    assert isinstance(runs, pd.DataFrame)
