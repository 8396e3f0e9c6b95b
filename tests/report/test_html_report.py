"""The self-contained HTML report: built from a dispatch table, opened in a real headless Chromium."""

from __future__ import annotations

import numpy as np
import pandas as pd

from greendc.report import figures
from greendc.report.html import Section, write_html
from tests.report.browser import open_page


def _dispatch(days: int = 400) -> pd.DataFrame:
    # A toy island: 100 MW flat load, PV 0-300 MW by day, battery carries the night (numbers are illustrative).
    idx = pd.date_range("2030-01-01", periods=24 * days, freq="h", tz="UTC")
    hour = idx.hour.to_numpy()
    pv = np.clip(300 * np.sin(np.pi * (hour - 6) / 12), 0, None)
    load = np.full(len(idx), 100.0)
    charge = np.clip(pv - load, 0, 150)
    discharge = np.clip(load - pv, 0, None)
    return pd.DataFrame(
        {
            "pv_mw": pv,
            "battery_charge_mw": charge,
            "battery_discharge_mw": discharge,
            "curtailed_mw": pv - load - charge + discharge,
            "battery_soc_mwh": np.cumsum(charge - discharge) % 1000,
            "facility_mw": load,
            "unserved_mw": np.zeros(len(idx)),
        },
        index=idx,
    )


def test_report_opens_in_chromium_with_its_figures(tmp_path):
    d = _dispatch()
    figs = (
        figures.capacity_figure({"pv_mw": 300.0, "battery_mwh": 1000.0}, {"pv_mw": "MW", "battery_mwh": "MWh"}),
        figures.cost_figure({"PV": 30e6, "Battery": 20e6}),
        figures.dispatch_weeks_figure(d, "Africa/Casablanca"),
        figures.storage_figure(d),
        figures.day_hour_heatmap(d["curtailed_mw"], "Curtailment"),
        figures.monthly_balance_figure(d),
    )
    path = write_html(
        tmp_path / "report.html",
        "Toy plan <test>",
        [Section("Summary", rows={"Cost": "1 USD"}), Section("Figures", figures=figs)],
        footer="provenance",
    )
    text = path.read_text()
    assert text.count("Plotly.newPlot") == len(figs)
    assert "Toy plan &lt;test&gt;" in text  # titles are escaped
    page = open_page(path.as_uri())
    assert page.page_errors == [] and page.console_errors == []
    assert page.plot_count == len(figs)
    assert page.svg_count >= len(figs)
    assert page.title == "Toy plan <test>"


def test_season_weeks_lie_inside_the_index():
    d = _dispatch(days=400)
    weeks = figures.season_weeks(d.index)
    assert [w[0] for w in weeks] == ["January", "April", "July", "October"]
    for _, start in weeks:
        assert start.weekday() == 0 and start.day >= 15


def test_heatmap_conserves_energy():
    d = _dispatch(days=10)
    fig = figures.day_hour_heatmap(d["pv_mw"], "PV")
    assert np.asarray(fig.data[0].z).sum() == d["pv_mw"].sum()  # 1-hour steps: MWh = MW


def test_storage_figure_leaves_out_a_store_that_is_not_built():
    d = _dispatch(days=10).assign(h2_level_mwh=0.0)
    fig = figures.storage_figure(d)
    assert [a.text for a in fig.layout.annotations] == ["Battery"]
    assert figures.has_data(d["battery_soc_mwh"]) and not figures.has_data(d["h2_level_mwh"])
    both = figures.storage_figure(d.assign(h2_level_mwh=5.0))
    assert [a.text for a in both.layout.annotations] == ["Battery", "Hydrogen store (LHV)"]
    assert {both.layout.yaxis.title.text, both.layout.yaxis2.title.text} == {"MWh"}
