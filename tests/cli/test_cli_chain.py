"""Outputs chain (issue 16): every file greendc writes is read back where a greendc command reads that kind of
data, and the messages on the way say what is wrong.

- ``simulate`` → ``dispatch.parquet`` → ``kpi`` (and ``replay``): Parquet and CSV, by suffix or by the
  Parquet magic bytes;
- ``replay`` reads a simulation folder, its Parquet or a CSV (its progress bar against a real server is in
  ``tests/service/test_cli.py``), and the README's replay line sets a speed at which a year takes under a minute;
- ``scenario show > x.yaml`` → ``load_scenario`` gives the same scenario hash;
- the weather and profiles readers name the real expected step of a gap ("1 h");
- ``scenario validate`` reads the turbine, climatology and weather file the scenario names.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from tests.cli.support import design_folder
from typer.testing import CliRunner

from greendc.cli import app
from greendc.errors import ScenarioError, TelemetryError, WeatherDataError
from greendc.kpi.telemetry import read_telemetry
from greendc.scenario.io import load_scenario, scenario_hash, scenario_to_yaml
from greendc.weather.readers import read_weather, write_csv
from greendc.weather.schema import REQUIRED_COLUMNS

runner = CliRunner()
README = Path(__file__).resolve().parents[2] / "README.md"


def test_kpi_reads_the_dispatch_parquet_that_simulate_writes(tmp_path):
    sim = tmp_path / "sim"
    result = runner.invoke(
        app, ["simulate", "--design", str(design_folder(tmp_path)), "--seed", "3", "--out", str(sim)]
    )
    assert result.exit_code == 0, result.output
    out = tmp_path / "kpi.json"
    result = runner.invoke(app, ["kpi", "--telemetry", str(sim / "dispatch.parquet"), "--designed", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "decode" not in result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    dispatch = pd.read_parquet(sim / "dispatch.parquet")
    # PUE = E_DC / E_IT (ISO/IEC 30134-2) on the simulator's own hourly columns
    assert report["pue"] == pytest.approx(dispatch["facility_mw"].sum() / dispatch["it_mw"].sum(), rel=1e-12)
    assert report["hours"] == len(dispatch) == 8760
    # the report says which run the series came from: the simulation's scenario and weather, without wall times
    prov = report["provenance"]
    assert (prov["stage"], prov["telemetry"], prov["telemetry_from"]) == ("kpi", "dispatch.parquet", "simulation")
    assert prov["scenario"] == "dakhla" and prov["weather"]["source"] == "synthetic"
    assert "wall_time_s" not in dispatch.attrs["greendc_provenance"]
    # an odd suffix is read by the Parquet magic bytes; the same table comes back
    odd = tmp_path / "meters.data"
    shutil.copy(sim / "dispatch.parquet", odd)
    pd.testing.assert_frame_equal(read_telemetry(odd), read_telemetry(sim / "dispatch.parquet"))


def test_parquet_telemetry_with_a_timestamp_column_and_a_local_time_zone(tmp_path):
    idx = pd.date_range("2030-06-01 02:00", periods=3, freq="h", tz="Europe/Paris")
    frame = pd.DataFrame({"timestamp": idx, "it_mw": [10.0, 10.0, 10.0], "facility_mw": [12.0, 11.0, 13.0]})
    path = tmp_path / "meters.parquet"
    frame.to_parquet(path, index=False)
    got = read_telemetry(path)
    assert str(got.index.tz) == "UTC" and got.index[0] == pd.Timestamp("2030-06-01T00:00Z")
    assert got["facility_mw"].sum() == 36.0


def test_parquet_telemetry_errors_are_named(tmp_path):
    naive = tmp_path / "naive.parquet"
    pd.DataFrame(
        {"it_mw": [1.0, 1.0], "facility_mw": [1.2, 1.2]}, index=pd.date_range("2030-01-01", periods=2, freq="h")
    ).to_parquet(naive)
    with pytest.raises(TelemetryError, match=r"naive\.parquet: the index must be tz-aware UTC"):
        read_telemetry(naive)
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 not really a parquet file")
    with pytest.raises(TelemetryError, match=r"broken\.parquet: not a readable Parquet file"):
        read_telemetry(broken)
    runs = tmp_path / "runs.parquet"  # a Monte Carlo table: no time index
    pd.DataFrame({"unserved_mwh_per_yr": [1.0, 2.0]}).to_parquet(runs)
    result = runner.invoke(app, ["kpi", "--telemetry", str(runs), "--out", str(tmp_path / "k.json")])
    assert result.exit_code == 2 and "DatetimeIndex or a 'timestamp' column" in result.output
    assert "Traceback" not in result.output


def _sim_folder(folder: Path, hours: int = 30) -> pd.DataFrame:
    idx = pd.date_range("2030-06-01", periods=hours, freq="h", tz="UTC", name="timestamp")
    frame = pd.DataFrame(
        {"it_mw": 100.0, "facility_mw": 115.0, "pv_mw": 115.0, "site_trip_fraction": 0.0, "overhead_training_mw": 0.0},
        index=idx,
    )
    folder.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(folder / "dispatch.parquet")
    (folder / "summary.json").write_text(json.dumps({"design": {"pv_mw": 200.0}}))
    return frame


def test_replay_reads_a_folder_a_parquet_or_a_csv(tmp_path):
    from greendc.service.replay import read_simulation

    frame = _sim_folder(tmp_path / "sim")
    from_folder, caps = read_simulation(tmp_path / "sim")
    assert caps == {"pv_mw": 200.0} and list(from_folder.columns) == list(frame.columns)
    from_file, caps = read_simulation(tmp_path / "sim" / "dispatch.parquet")
    pd.testing.assert_frame_equal(from_file, from_folder)
    assert caps == {"pv_mw": 200.0}
    csv = tmp_path / "meters.csv"
    frame.rename_axis("timestamp").reset_index().assign(
        timestamp=lambda f: f["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    ).to_csv(csv, index=False)
    from_csv, caps = read_simulation(csv)
    pd.testing.assert_frame_equal(from_csv, from_folder, check_index_type=False, check_freq=False)
    assert caps == {}


def test_replay_reads_a_simulation_written_before_the_rename(tmp_path):
    """An older simulation names the hydrogen level ``h2_store_mwh`` and the fuel cell ``fuelcell_mw``
    (greendc.units.RENAMED_COLUMNS, RENAMED_CAPACITIES): replayed under the current names, the level's meter
    bounded by the store."""
    from greendc.service.replay import meter_ranges, read_simulation

    folder = tmp_path / "sim"
    frame = _sim_folder(folder).assign(fuel_cell_mw=5.0, h2_store_mwh=40.0)
    frame.to_parquet(folder / "dispatch.parquet")
    (folder / "summary.json").write_text(json.dumps({"design": {"h2_store_mwh": 50.0, "fuelcell_mw": 8.0}}))
    read, caps = read_simulation(folder)
    assert caps == {"h2_store_mwh": 50.0, "fuel_cell_mw": 8.0}
    pd.testing.assert_frame_equal(read, frame.rename(columns={"h2_store_mwh": "h2_level_mwh"}), check_freq=False)
    ranges = meter_ranges(read, caps)
    assert ranges["h2_level_mwh"][1] == pytest.approx(50.0) and ranges["fuel_cell_mw"][1] == pytest.approx(8.0)


def test_the_readme_replay_line_finishes_in_under_a_minute():
    lines = [line for line in README.read_text(encoding="utf-8").splitlines() if "greendc replay --simulation" in line]
    assert lines, "README: no 'greendc replay' line"
    for line in lines:
        speed = re.search(r"greendc replay [^`]*--speed ([0-9.eE_+]+|inf)", line)
        assert speed, f"README replay line without --speed (default 3600: a year takes 2.4 h): {line}"
        year_s = 365 * 86_400
        assert year_s / float(speed.group(1).replace("_", "")) < 60.0


def test_scenario_show_writes_what_load_scenario_reads(tmp_path):
    result = runner.invoke(app, ["scenario", "show"])
    assert result.exit_code == 0
    original = load_scenario("dakhla")
    assert result.stdout == scenario_to_yaml(original)
    path = tmp_path / "x.yaml"
    path.write_text(result.stdout, encoding="utf-8")
    copy = load_scenario(path)
    assert "on-site" in copy.description
    assert scenario_hash(copy) == scenario_hash(original)


def _weather_file(path: Path, hours: int = 48, drop_row: int | None = None) -> Path:
    idx = pd.date_range("2030-01-01", periods=hours, freq="h", tz="UTC")
    values = {
        "ghi": 100.0,
        "dni": 50.0,
        "dhi": 50.0,
        "temp_air": 20.0,
        "relative_humidity": 50.0,
        "pressure": 101_325.0,
        "wind_speed": 5.0,
    }
    write_csv(pd.DataFrame({c: values[c] for c in REQUIRED_COLUMNS}, index=idx), path)
    if drop_row is not None:  # after writing: write_csv checks the table too
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        header = sum(1 for line in lines if not line[:1].isdigit())
        del lines[header + drop_row]
        path.write_text("".join(lines), encoding="utf-8")
    return path


def test_a_gap_in_hourly_weather_names_the_hourly_step(tmp_path):
    path = _weather_file(tmp_path / "gap.csv", drop_row=8)
    with pytest.raises(
        WeatherDataError,
        match=r"between 2030-01-01T07:00:00\+00:00 and 2030-01-01T09:00:00\+00:00 "
        r"\(2 h; expected 1 h\)",
    ):
        read_weather(path)


def test_a_gap_in_a_profiles_csv_names_the_step(tmp_path):
    idx = pd.date_range("2030-03-01", periods=6, freq="15min", tz="UTC").delete(3)
    frame = pd.DataFrame(
        {"timestamp": idx.strftime("%Y-%m-%dT%H:%M:%S+00:00"), "pv_cf": 0.5, "wind_cf": 0.3, "it_load_mw": 100.0}
    )
    profiles = tmp_path / "p.csv"
    frame.to_csv(profiles, index=False)
    result = runner.invoke(app, ["plan", "--profiles", str(profiles), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "(15 min expected, got 30 min before" in result.output


def _scenario(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _validate(path: Path):  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["scenario", "validate", str(path)])
    assert "Traceback" not in result.output
    return result


def test_validate_resolves_the_turbine(tmp_path):
    result = _validate(_scenario(tmp_path, {"technologies": {"wind": {"turbine": "V999-9.9"}}}))
    assert result.exit_code == 2
    assert "technologies.wind.turbine = V999-9.9" in result.output and "not a shipped power curve" in result.output
    assert "E-126-4.2" in result.output  # what is allowed


def test_validate_resolves_the_climatology(tmp_path):
    result = _validate(_scenario(tmp_path, {"site": {"climatology": "atlantis"}}))
    assert result.exit_code == 2 and "site.climatology = atlantis" in result.output


def test_validate_reads_the_weather_file_as_the_plan_does(tmp_path):
    gap = _weather_file(tmp_path / "gap.csv", drop_row=8)
    result = _validate(_scenario(tmp_path, {"weather": {"source": "file", "path": gap.name}}))
    assert result.exit_code == 2 and "weather.path" in result.output and "expected 1 h" in result.output
    # 14 days of the site's synthetic weather: sound, but not a whole year, which the plan refuses without
    # allow_partial_year
    year = tmp_path / "year.csv"
    assert runner.invoke(app, ["weather", "--years", "1", "--seed", "4", "--out", str(year)]).exit_code == 0
    lines = year.read_text(encoding="utf-8").splitlines(keepends=True)
    header = sum(1 for line in lines[:5] if not line[:1].isdigit())
    short = tmp_path / "short.csv"
    short.write_text("".join(lines[: header + 24 * 14]), encoding="utf-8")
    result = _validate(_scenario(tmp_path, {"weather": {"source": "file", "path": short.name}}))
    assert result.exit_code == 2 and "weather.path" in result.output and "allow_partial_year" in result.output
    result = _validate(
        _scenario(tmp_path, {"weather": {"source": "file", "path": short.name, "allow_partial_year": True}})
    )
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


def test_validate_reports_every_problem_at_once(tmp_path):
    from greendc.scenario.resolve import check_scenario_data

    data = {
        "site": {"climatology": "atlantis"},
        "technologies": {"wind": {"turbine": "V999-9.9"}},
        "weather": {"source": "file", "path": "missing.csv"},
    }
    result = _validate(_scenario(tmp_path, data))
    assert result.exit_code == 2 and "3 problem(s)" in result.output
    with pytest.raises(ScenarioError, match=r"technologies\.wind\.turbine") as err:
        check_scenario_data(load_scenario(tmp_path / "s.yaml"))
    assert "site.climatology" in str(err.value) and "missing.csv" in str(err.value)


def test_the_shipped_scenario_resolves():
    from greendc.scenario.resolve import scenario_data_problems

    assert scenario_data_problems(load_scenario("dakhla")) == []
