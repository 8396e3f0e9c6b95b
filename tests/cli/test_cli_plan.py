"""`greendc plan`: both modes end to end, files written, report opened in a real browser."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from tests.report.browser import check_report, open_page
from typer.testing import CliRunner

from greendc.cli import app
from greendc.plan.inputs import CAPACITY_NAMES

runner = CliRunner()
SUMMARY_KEYS = ("objective_usd_per_yr", *CAPACITY_NAMES)


def test_bring_your_own_data(tmp_path):
    # Three days: PV by day, steady wind, a flat 100 MW load (PUE applied).
    idx = pd.date_range("2030-03-01", periods=72, freq="h", tz="UTC")
    hour = idx.hour.to_numpy()
    frame = pd.DataFrame(
        {
            "timestamp": idx.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
            "pv_cf": np.clip(np.sin(np.pi * (hour - 6) / 12), 0, None) * 0.8,
            "wind_cf": 0.3 + 0.1 * np.cos(2 * np.pi * hour / 24),
            "it_load_mw": 100.0,
        }
    )
    profiles = tmp_path / "profiles.csv"
    frame.to_csv(profiles, index=False)
    out = tmp_path / "out"
    args = ["plan", "--profiles", str(profiles), "--discount-rate", "0.05", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    for key in SUMMARY_KEYS:
        assert key in summary
    dispatch = pd.read_parquet(out / "dispatch.parquet")
    # Islanded: the served facility load equals the requested 100 MW every hour.
    assert np.allclose(dispatch["facility_mw"], 100.0, atol=1e-6)
    assert (out / "report.html").stat().st_size > 100_000
    # no weather model, no unseen years: the summary says so instead of leaving "0 unserved" alone
    assert summary["out_of_sample"].startswith("not verified")
    assert "not verified" in result.output
    # the profiles carry no land per MW: the summary says so instead of printing "0.0 km²"
    assert "not computed" in result.output and "km²" not in result.output
    # the plan's dispatch.parquet is telemetry greendc kpi reads (issue 16)
    kpi = runner.invoke(
        app, ["kpi", "--telemetry", str(out / "dispatch.parquet"), "--designed", "--out", str(out / "kpi.json")]
    )
    assert kpi.exit_code == 0, kpi.output
    assert json.loads((out / "kpi.json").read_text())["it_mwh"] == pytest.approx(dispatch["it_mw"].sum())

    # Two-hour blocks: half the steps, and with a flat load the same energy is served.
    out2 = tmp_path / "out2"
    result = runner.invoke(app, [*args[:-1], str(out2), "--aggregate", "2"])
    assert result.exit_code == 0, result.output
    coarse = pd.read_parquet(out2 / "dispatch.parquet")
    assert len(coarse) == 36
    assert (coarse["facility_mw"] * 2).sum() == pytest.approx((dispatch["facility_mw"]).sum())


def test_scenario_mode_on_a_short_weather_file_and_the_report_in_chromium(tmp_path):
    weather = tmp_path / "w.csv"
    assert runner.invoke(app, ["weather", "--years", "1", "--seed", "4", "--out", str(weather)]).exit_code == 0
    lines = weather.read_text().splitlines()
    short = tmp_path / "w14.csv"
    header = sum(1 for line in lines[:5] if line.startswith("#")) + 1  # comments and column names
    short.write_text("\n".join(lines[: header + 24 * 14]) + "\n")  # 14 days
    out = tmp_path / "plan"
    result = runner.invoke(
        app, ["plan", "--weather", str(short), "--allow-partial-year", "--out", str(out), "--verify-years", "10"]
    )
    assert result.exit_code == 0, result.output
    assert "Least-cost design" in result.output
    # the design-weather figure never stands alone: the out-of-sample check sits beside it
    assert "unseen years" in result.output
    oos = json.loads((out / "summary.json").read_text())["out_of_sample"]
    runs = pd.read_parquet(out / "verification_years.parquet")
    assert oos["years"] == len(runs) == 10
    assert oos["firm_hours_per_yr"]["mean"] == pytest.approx(runs["lolh_h_per_yr"].mean())
    assert (out / "availability.html").is_file() and (out / "loss_events.csv").is_file()
    dispatch = pd.read_parquet(out / "dispatch.parquet")
    assert len(dispatch) == 24 * 14 and "price_usd_per_mwh" in dispatch
    page = open_page((out / "report.html").as_uri())
    assert page.page_errors == [] and page.console_errors == []
    check_report(page)  # no errors, no empty figure, no raw field name
    assert page.plot_count == 7  # the unserved heat map is left out when nothing is unserved


def test_mode_mixing_is_refused(tmp_path):
    result = runner.invoke(app, ["plan", "--discount-rate", "0.05", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "--profiles mode" in result.output


def test_design_to_an_availability_target_from_a_scenario_file(tmp_path):
    """A target in the scenario file (two rounds of ten unseen years on a 14-day design weather file): every
    round is written, and the chosen one is the cheapest passing round or, if none passed, the closest."""
    weather = tmp_path / "w.csv"
    assert runner.invoke(app, ["weather", "--years", "1", "--seed", "4", "--out", str(weather)]).exit_code == 0
    lines = weather.read_text().splitlines()
    header = sum(1 for line in lines[:5] if line.startswith("#")) + 1
    short = tmp_path / "w14.csv"
    short.write_text("\n".join(lines[: header + 24 * 14]) + "\n")
    scenario = tmp_path / "s.yaml"
    assert runner.invoke(app, ["scenario", "init", str(scenario)]).exit_code == 0
    text = scenario.read_text().replace(
        "  availability: null",
        "  availability: {name: test, firm_hours_per_year: 1.6, verification_years: 10, max_iterations: 2}",
    )
    scenario.write_text(text)
    out = tmp_path / "plan"
    result = runner.invoke(
        app, ["plan", "--scenario", str(scenario), "--weather", str(short), "--allow-partial-year", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "round 0: reserve 0 h" in result.output and "round 1: reserve 12 h" in result.output
    report = json.loads((out / "availability.json").read_text())
    rounds = pd.read_csv(out / "availability_rounds.csv")
    assert list(rounds["reserve_hours"]) == [0.0, 12.0]
    assert report["target"]["name"] == "test" and len(report["rounds"]) == 2
    chosen = rounds.iloc[report["chosen_round"]]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["objective_usd_per_yr"] == pytest.approx(chosen["cost_usd_per_yr"])
    assert report["premium_over_round_0"]["usd_per_yr"] == pytest.approx(
        chosen["cost_usd_per_yr"] - rounds["cost_usd_per_yr"].iloc[0]
    )
    # a 12 h reserve for the firm load is in the plan when round 1 is chosen
    if report["chosen_round"] == 1:
        assert summary["reserves"]["reserve_hours"] == 12.0


def test_unknown_availability_preset_is_refused(tmp_path):
    result = runner.invoke(app, ["plan", "--availability", "tier-v", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "tier-iii" in result.output


def test_plan_under_a_climate_case(tmp_path):
    # --climate morphs the design weather and the unseen years of the check; the case is in the provenance.
    out = tmp_path / "hot"
    result = runner.invoke(
        app, ["plan", "--climate", "ssp585-2080", "--aggregate", "4", "--verify-years", "10", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "climate stress ssp585-2080" in result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["weather"]["climate"] == "ssp585-2080"
    assert summary["out_of_sample"]["years"] == 10
    result = runner.invoke(app, ["plan", "--climate", "ssp999-2050", "--out", str(tmp_path / "x")])
    assert result.exit_code != 0
    assert "ssp999-2050" in result.output and "Traceback" not in result.output


def test_plan_on_three_years_is_certified(tmp_path):
    # From three years on, greendc plan certifies a segmented design: summary.json carries the bounds and the
    # gap, the dispatch is hourly over the whole horizon, and the report shows the certificate.
    out = tmp_path / "three"
    result = runner.invoke(app, ["plan", "--years", "3", "--verify-years", "10", "--gap", "0.01", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "certified:" in result.output
    summary = json.loads((out / "summary.json").read_text())
    cert = summary["provenance"]["certificate"]
    assert cert["served_every_hour"] and cert["converged"]
    assert cert["lower_bound_usd_per_yr"] <= cert["upper_bound_usd_per_yr"]
    assert cert["gap"] <= 0.01
    assert summary["objective_usd_per_yr"] == pytest.approx(cert["upper_bound_usd_per_yr"], rel=1e-6)
    assert summary["unserved_mwh_per_yr"] == pytest.approx(0.0, abs=1e-2)
    dispatch = pd.read_parquet(out / "dispatch.parquet")
    assert len(dispatch) == 3 * 8760 + 24  # 2030-2032, one leap day
    assert "Lower bound (no design costs less)" in (out / "report.html").read_text()
