"""`greendc simulate` on the output of `greendc plan`: one command, files and report written."""

from __future__ import annotations

import json

import pandas as pd
from tests.cli.support import design_folder
from typer.testing import CliRunner

from greendc.cli import app

runner = CliRunner()


def test_simulate_a_design_at_15_minutes(tmp_path):
    out = tmp_path / "sim"
    args = ["simulate", "--design", str(design_folder(tmp_path)), "--seed", "3", "--step", "15min", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    dispatch = pd.read_parquet(out / "dispatch.parquet")
    assert len(dispatch) == 4 * 8760
    summary = json.loads((out / "summary.json").read_text())
    assert summary["provenance"]["fault_seed"] == 0
    assert (out / "report.html").stat().st_size > 100_000


def test_monte_carlo_runs(tmp_path):
    out = tmp_path / "mc"
    args = ["simulate", "--design", str(design_folder(tmp_path)), "--runs", "3", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert len(pd.read_parquet(out / "runs.parquet")) == 3


def test_missing_design_and_bad_step(tmp_path):
    result = runner.invoke(app, ["simulate", "--design", str(tmp_path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "greendc plan" in result.output
    args = ["simulate", "--design", str(design_folder(tmp_path)), "--step", "7min", "--out", str(tmp_path / "o")]
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and "--step" in result.output


def test_rolling_horizon_policy_with_a_noisy_forecast(tmp_path):
    out = tmp_path / "rolling"
    args = [
        "simulate",
        "--design",
        str(design_folder(tmp_path)),
        "--policy",
        "rolling",
        "--horizon",
        "48",
        "--replan",
        "24",
        "--forecast",
        "noisy",
        "--out",
        str(out),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    provenance = json.loads((out / "summary.json").read_text())["provenance"]
    assert provenance["policy"] == "rolling_horizon (48 h window re-solved every 24 h)"
    assert provenance["forecast"].startswith("noisy")
    dispatch = pd.read_parquet(out / "dispatch.parquet")
    assert len(dispatch) == 8760 and dispatch["battery_discharge_mw"].sum() > 0.0


def test_unknown_policy_and_forecast_are_named(tmp_path):
    design = str(design_folder(tmp_path))
    for flag, value in (("--policy", "greedy"), ("--forecast", "oracle")):
        result = runner.invoke(app, ["simulate", "--design", design, flag, value, "--out", str(tmp_path / "o")])
        assert result.exit_code == 2 and flag in result.output and value in result.output
