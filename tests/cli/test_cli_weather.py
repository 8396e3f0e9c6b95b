"""`greendc weather`: synthetic generation and file conversion through the command line."""

from __future__ import annotations

import pandas as pd
import pytest
from tests.weather.files import reanalysis_like_years, write_era5_netcdf
from typer.testing import CliRunner

from greendc.cli import app
from greendc.weather.readers import read_csv

runner = CliRunner()


def test_generate_is_reproducible_and_prints_targets(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    for path in (a, b):
        result = runner.invoke(app, ["weather", "--years", "1", "--seed", "5", "--out", str(path)])
        assert result.exit_code == 0, result.output
    assert a.read_bytes() == b.read_bytes()  # same seed, same file
    assert "target" in result.output and "GHI" in result.output
    data, meta = read_csv(a)
    assert len(data) == 8760 and meta["latitude"] == 23.71


def test_convert_a_greendc_csv(tmp_path):
    src, dst = tmp_path / "w.csv", tmp_path / "copy.csv"
    args = ["weather", "--years", "1", "--seed", "1", "--no-stress", "--out", str(src)]
    assert runner.invoke(app, args).exit_code == 0
    result = runner.invoke(app, ["weather", "--from", str(src), "--out", str(dst)])
    assert result.exit_code == 0, result.output
    assert read_csv(dst)[0].equals(read_csv(src)[0])


def test_bad_input_gets_a_message_not_a_traceback(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("timestamp,ghi\n2030-01-01T00:00:00+00:00,0\n")
    result = runner.invoke(app, ["weather", "--from", str(bad), "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 2
    assert "WeatherDataError" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["weather", "--from", str(bad), "--seed", "3", "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 2 and "only apply to synthetic weather" in result.output


def test_calibrate_from_an_era5_file_and_generate_from_it(tmp_path):
    # `greendc weather --calibrate-from` writes a climatology pair and its check; a scenario naming the table
    # generates weather from it.
    era5 = write_era5_netcdf(tmp_path / "era5.nc", reanalysis_like_years(5, 2001, 21))
    table = tmp_path / "clim" / "mysite.csv"
    result = runner.invoke(app, ["weather", "--calibrate-from", str(era5), "--out", str(table), "--seed", "4"])
    assert result.exit_code == 0, result.output
    assert "fitted" in result.output and "Calibration check" in result.output
    assert (tmp_path / "clim" / "mysite_sources.csv").is_file()
    check = pd.read_csv(tmp_path / "clim" / "mysite_check.csv")
    assert {"statistic", "reference", "candidate", "difference", "tolerance", "ok"} <= set(check.columns)
    sources = pd.read_csv(tmp_path / "clim" / "mysite_sources.csv").set_index("name")
    assert sources.loc["wind_shear_exponent", "source"].startswith("Fitted to era5.nc, 5 year(s) 2001-2005")
    scenario = tmp_path / "site.yaml"
    assert runner.invoke(app, ["scenario", "init", str(scenario)]).exit_code == 0
    text = scenario.read_text()
    assert "climatology: dakhla" in text
    scenario.write_text(text.replace("climatology: dakhla", f"climatology: {table}"))
    out = tmp_path / "wx.csv"
    result = runner.invoke(app, ["weather", "--scenario", str(scenario), "--years", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "climatology targets" in result.output
    generated = read_csv(out)[0]
    fitted = pd.read_csv(table)
    # the generated year's July 10 m wind is the fitted target, within a year's sampling spread (5 %)
    july = generated["wind_speed"][generated.index.month == 7].mean()
    assert july == pytest.approx(fitted.loc[6, "wind_speed_10m"], rel=0.05)


def test_calibrate_refuses_generation_options(tmp_path):
    args = ["weather", "--calibrate-from", "x.nc", "--years", "3", "--out", str(tmp_path / "c.csv")]
    result = runner.invoke(app, args)
    assert result.exit_code != 0
    assert "--calibrate-from takes only" in result.output
