"""Real weather files through `greendc plan`, `profiles` and `simulate`, by flag and by scenario.

Each file is written by the test in the real layout of its format (:mod:`tests.weather.files`), with a
year of synthetic Dakhla weather as values. None has the sea temperature that the default seawater
cooling needs, nor the 100 m wind: the commands must fill both from the site climatology, say so, and
record it in the outputs' provenance.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from tests.weather.files import (
    synthetic_year,
    write_epw,
    write_era5_netcdf,
    write_pvgis_hourly_csv,
    write_pvgis_tmy_csv,
)
from typer.testing import CliRunner

from greendc.cli import app

runner = CliRunner()
MEASURED = ["ghi", "dni", "dhi", "temp_air", "relative_humidity", "pressure", "wind_speed"]


FORMATS = {  # writer, file name, the columns the file lacks (filled from the site climatology)
    "epw": (write_epw, "MAR_Dakhla.epw", {"temp_sea", "wind_speed_100m"}),
    "pvgis-hourly-csv": (
        write_pvgis_hourly_csv, "Timeseries_23.710_-15.940_SA3_0deg_0deg_2030_2030.csv",
        {"relative_humidity", "pressure", "temp_sea", "wind_speed_100m"},
    ),
    "era5-netcdf": (write_era5_netcdf, "era5_dakhla_2030.nc", set()),
}  # fmt: skip


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_plan_simulate_and_profiles_on_a_real_weather_file(tmp_path, fmt):
    writer, name, lacking = FORMATS[fmt]
    wx = synthetic_year()
    path = writer(tmp_path / name, wx if fmt == "era5-netcdf" else wx[MEASURED])
    out = tmp_path / "plan"
    args = ["plan", "--weather", str(path), "--aggregate", "4", "--verify-years", "10", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    if "temp_sea" in lacking:  # the default scenario's seawater cooling needs it: filled, and said so
        assert f"weather: temp_sea: not in {name}; filled from the monthly mean sea-surface" in said
    summary = json.loads((out / "summary.json").read_text())
    assert summary["weather"]["source"] == name and summary["weather"]["format"] == fmt
    # the plan's own provenance carries the same reader's metadata (not the scenario's synthetic seed)
    assert summary["provenance"]["weather"] == summary["weather"]
    assert set(summary["weather"].get("fallbacks", {})) == lacking
    assert summary["pv_mw"] > 0 and summary["out_of_sample"]["years"] == 10

    sim = tmp_path / "sim"
    result = runner.invoke(app, ["simulate", "--design", str(out), "--weather", str(path), "--out", str(sim)])
    assert result.exit_code == 0, result.output
    provenance = json.loads((sim / "summary.json").read_text())["provenance"]["weather"]
    assert provenance["format"] == fmt and set(provenance.get("fallbacks", {})) == lacking
    assert len(pd.read_parquet(sim / "dispatch.parquet")) == 8760
    # ... and so does the KPI report of the simulated dispatch: the file carries where it came from
    result = runner.invoke(app, ["kpi", "-t", str(sim / "dispatch.parquet"), "-o", str(tmp_path / "kpi.json")])
    assert result.exit_code == 0, result.output
    kpi = json.loads((tmp_path / "kpi.json").read_text())["provenance"]
    assert (kpi["stage"], kpi["telemetry_from"], kpi["scenario"]) == ("kpi", "simulation", "dakhla")
    assert kpi["weather"]["format"] == fmt and set(kpi["weather"].get("fallbacks", {})) == lacking

    prof = tmp_path / "p.csv"
    result = runner.invoke(app, ["profiles", "--weather", str(path), "--out", str(prof)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(prof, index_col="timestamp")
    assert len(table) == 8760 and table["pue"].min() > 1.0 and 0.0 < table["wind_cf"].mean() < 1.0


def test_profiles_on_a_pvgis_tmy_by_flag_and_an_epw_named_by_the_scenario(tmp_path):
    wx = synthetic_year()[MEASURED]
    tmy = write_pvgis_tmy_csv(tmp_path / "tmy_23.710_-15.940_2005_2023.csv", wx)
    out = tmp_path / "p.csv"
    result = runner.invoke(app, ["profiles", "--weather", str(tmy), "--out", str(out)])
    assert result.exit_code == 0, result.output
    by_flag = pd.read_csv(out, index_col="timestamp")
    assert len(by_flag) == 8760 and by_flag["pue"].min() > 1.0

    write_epw(tmp_path / "dakhla.epw", wx)
    scenario = tmp_path / "site.yaml"
    assert runner.invoke(app, ["scenario", "init", str(scenario)]).exit_code == 0
    text = scenario.read_text()
    assert "  source: synthetic" in text
    scenario.write_text(text.replace("  source: synthetic", "  source: file\n  path: dakhla.epw", 1))  # beside it
    out2 = tmp_path / "p2.csv"
    result = runner.invoke(app, ["profiles", "--scenario", str(scenario), "--out", str(out2)])
    assert result.exit_code == 0, result.output
    by_scenario = pd.read_csv(out2, index_col="timestamp")
    # same weather in two layouts: EPW rounds to 0.1 degC and whole W/m2, PVGIS to 0.01; the PV differs little
    assert abs(by_scenario["pv_cf"].mean() - by_flag["pv_cf"].mean()) < 1e-3


def test_a_truncated_file_is_refused_with_the_way_out(tmp_path):
    epw = write_epw(tmp_path / "cut.epw", synthetic_year()[MEASURED], hours=24 * 30)
    result = runner.invoke(app, ["profiles", "--weather", str(epw), "--out", str(tmp_path / "p.csv")])
    assert result.exit_code != 0
    text = " ".join(result.output.split())
    assert "cut.epw: covers" in text and "--allow-partial-year" in text and "Traceback" not in text
    result = runner.invoke(
        app, ["profiles", "--weather", str(epw), "--allow-partial-year", "--out", str(tmp_path / "p.csv")]
    )
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(tmp_path / "p.csv")) == 24 * 30
