"""`greendc profiles`: the default scenario end to end, and a weather file given by the user."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from greendc.cli import app

runner = CliRunner()


def test_default_profiles_and_from_a_weather_file(tmp_path):
    out = tmp_path / "p.csv"
    result = runner.invoke(app, ["profiles", "--out", str(out)])
    assert result.exit_code == 0, result.output
    prof = pd.read_csv(out, index_col="timestamp")
    assert len(prof) == 8760
    assert list(prof.columns) == [
        "pv_cf",
        "wind_cf",
        "pue",
        "water_m3_per_mwh_it",
        "desalination_mwh_per_mwh_it",
        "heat_to_sea_mw_per_mw_it",
        "seawater_m3_per_mwh_it",
        "it_inference_mw",
        "it_training_mw",
    ]
    assert prof.index[0] == "2030-01-01T00:00:00+00:00"
    # Physical bounds: per-unit outputs in [0, 1], PUE above 1, IT load never above installed 500 MW.
    assert prof[["pv_cf", "wind_cf"]].min().min() >= 0.0 and prof[["pv_cf", "wind_cf"]].max().max() <= 1.0
    assert prof["pue"].min() > 1.0
    assert (prof["it_inference_mw"] + prof["it_training_mw"]).max() <= 500.0

    weather = tmp_path / "w.csv"
    assert runner.invoke(app, ["weather", "--years", "1", "--seed", "9", "--out", str(weather)]).exit_code == 0
    out2 = tmp_path / "p2.csv"
    result = runner.invoke(app, ["profiles", "--weather", str(weather), "--out", str(out2)])
    assert result.exit_code == 0, result.output
    other = pd.read_csv(out2, index_col="timestamp")
    assert not other["pv_cf"].equals(prof["pv_cf"])  # other weather, other profile


def test_evaporative_scenario_reports_water(tmp_path):
    scenario = tmp_path / "evap.yaml"
    text = runner.invoke(app, ["scenario", "show"]).output  # every field, as YAML
    scenario.write_text(text.replace("technology: seawater", "technology: evaporative"))
    out = tmp_path / "p.csv"
    result = runner.invoke(app, ["profiles", "--scenario", str(scenario), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert pd.read_csv(out)["water_m3_per_mwh_it"].mean() > 0.5  # towers evaporate (datacenter facts §2.3)
