"""`greendc weather`: synthetic generation and file conversion through the command line."""

from __future__ import annotations

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
