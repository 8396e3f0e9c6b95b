"""`greendc study` and `greendc compare` end to end: files written, a second run solves nothing, the report
opens in a real browser, plans and study points side by side."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import yaml
from tests.report.browser import open_page
from typer.testing import CliRunner

from greendc.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def study_run(scenario_file, tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli-study")
    study = folder / "study.yaml"
    study.write_text(
        yaml.safe_dump(
            {
                "name": "cli",
                "scenario": str(scenario_file),
                "design": "oat",
                "verify_years": 10,
                "parameters": [
                    {"path": "costs.capex_factors.battery_energy", "label": "battery capex x", "values": [0.5, 1.5]}
                ],
            }
        )
    )
    out = folder / "out"
    first = runner.invoke(app, ["study", str(study), "--out", str(out), "--workers", "2"])
    return study, out, first


def test_study_writes_its_table_and_report_and_resumes(study_run):
    study, out, first = study_run
    assert first.exit_code == 0, first.output
    assert "on 2 workers; dashboard http://" in first.output
    assert "3 points solved, 0 found" in first.output
    rows = pd.read_parquet(out / "study.parquet")
    assert list(rows["point"]) == [0, 1, 2] and set(rows["status"]) == {"optimal"}
    assert rows["oos_years"].eq(10).all()
    # cheaper batteries: the plan costs less (the same design would already cost less)
    assert (
        rows.loc[1, "objective_usd_per_yr"] < rows.loc[0, "objective_usd_per_yr"] < rows.loc[2, "objective_usd_per_yr"]
    )
    assert pd.read_csv(out / "study.csv").shape[0] == 3
    # each point's plan records the weather file it was planned on as the reader saw it (format, partial year);
    # the study records its base scenario, its weather and the run
    point = json.loads(rows.loc[0, "summary_json"])["provenance"]
    assert point["stage"] == "plan" and point["weather"]["source"] == "w.csv" and "format" in point["weather"]
    assert any("partial year accepted" in note for note in point["weather"]["notes"])
    prov = json.loads((out / "provenance.json").read_text())
    assert (prov["stage"], prov["study"], prov["design"]) == ("study", "cli", "oat")
    assert (prov["points"], prov["solved"], prov["skipped"], prov["failed"]) == (3, 3, 0, 0)
    assert prov["weather"]["source"] == "w.csv" and "distributed" in prov["versions"]
    again = runner.invoke(app, ["study", str(study), "--out", str(out), "--workers", "1"])
    assert again.exit_code == 0 and "0 points solved, 3 found" in again.output
    assert json.loads((out / "provenance.json").read_text())["skipped"] == 3


def test_study_report_opens_in_chromium(study_run):
    _, out, _ = study_run
    page = open_page((out / "study.html").as_uri())
    assert not page.console_errors and not page.page_errors
    assert page.plot_count >= 2


def test_compare_study_points_side_by_side(study_run, tmp_path):
    _, out, _ = study_run
    table = tmp_path / "cmp.csv"
    result = runner.invoke(app, ["compare", f"{out}#0", f"{out}#1", "--out", str(table)], terminal_width=200)
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(table, index_col="figure")
    rows = pd.read_parquet(out / "study.parquet")
    assert frame.loc["objective_usd_per_yr", f"{out}#1"] == pytest.approx(rows.loc[1, "objective_usd_per_yr"])
    assert frame.loc["objective_usd_per_yr", f"Δ {out}#1"] == pytest.approx(
        rows.loc[1, "objective_usd_per_yr"] - rows.loc[0, "objective_usd_per_yr"]
    )
    assert frame.loc["oos_firm_hours_per_yr_mean", "unit"] == "h/yr (out of sample)"


def test_bad_study_file_and_sources_are_clear_errors(tmp_path, study_run):
    _, out, _ = study_run
    bad = tmp_path / "bad.yaml"
    bad.write_text("design: oat\nparameters:\n  - path: finance.discount_rate\n    values: [0.5]\n")
    result = runner.invoke(app, ["study", str(bad), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "discount_rate: Input should be less than or equal to 0.3" in result.output
    result = runner.invoke(app, ["compare", f"{out}#0", f"{out}#7"])
    assert result.exit_code == 2 and "0 points match" in result.output
    result = runner.invoke(app, ["compare", str(tmp_path)])
    assert result.exit_code == 2 and "at least two sources" in result.output
