"""Reading and checking telemetry: good files read to a UTC index, bad ones name the column and the row.

Source of the rules: the telemetry format documented in ``greendc.kpi.telemetry`` (timestamps ISO 8601 with
offset, period starts, one regular step; power ≥ 0; ``docs/nomenclature.md`` column names).
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from greendc.errors import DataFileError, GreendcError, TelemetryError
from greendc.kpi.telemetry import check_telemetry, read_telemetry, step_hours

HEADER = "timestamp,it_mw,facility_mw,pv_mw,grid_import_mw,water_m3"
GOOD_ROWS = [
    "2030-01-01T01:00:00+01:00,10,12,15,0,2.5",
    "2030-01-01T02:00:00+01:00,10,11,0,11,2.5",
    "2030-01-01T03:00:00+01:00,10,13,13,0,2.5",
]


def write(tmp_path, rows, header=HEADER, comments=()):
    path = tmp_path / "meters.csv"
    path.write_text("\n".join([*comments, header, *rows]) + "\n", encoding="utf-8")
    return path


def frame(**columns) -> pd.DataFrame:
    idx = pd.date_range("2030-01-01", periods=3, freq="h", tz="UTC")
    return pd.DataFrame({"it_mw": 10.0, "facility_mw": 12.0, **columns}, index=idx)


def test_reads_a_good_file_to_utc(tmp_path):
    data = read_telemetry(write(tmp_path, GOOD_ROWS, comments=["# site meters, MW", "# second comment"]))
    # +01:00 local stamps become UTC: 01:00+01:00 is 00:00 UTC
    assert data.index[0] == pd.Timestamp("2030-01-01T00:00:00Z")
    assert str(data.index.tz) == "UTC"
    assert list(data.columns) == ["it_mw", "facility_mw", "pv_mw", "grid_import_mw", "water_m3"]
    assert data["facility_mw"].tolist() == [12.0, 11.0, 13.0]
    assert step_hours(data) == 1.0
    assert issubclass(TelemetryError, DataFileError) and issubclass(TelemetryError, GreendcError)


def test_offsets_may_change_across_daylight_saving(tmp_path):
    # Europe/Paris leaves summer time on 2030-10-27: 02:45+02:00 then 02:00+01:00 are 15 min apart in UTC.
    rows = ["2030-10-27T02:30:00+02:00,1,2", "2030-10-27T02:45:00+02:00,1,2", "2030-10-27T02:00:00+01:00,1,2"]
    data = read_telemetry(write(tmp_path, rows, header="timestamp,it_mw,facility_mw"))
    assert step_hours(data) == 0.25
    assert data.index[-1] == pd.Timestamp("2030-10-27T01:00:00Z")


def test_missing_required_column(tmp_path):
    rows = [r.split(",", 2)[0] + "," + r.split(",", 2)[2] for r in GOOD_ROWS]  # drop it_mw
    with pytest.raises(TelemetryError, match=r"missing required column\(s\) \['it_mw'\]"):
        read_telemetry(write(tmp_path, rows, header="timestamp,facility_mw,pv_mw,grid_import_mw,water_m3"))


def test_unknown_column_lists_what_is_allowed(tmp_path):
    rows = [r + ",1" for r in GOOD_ROWS]
    with pytest.raises(TelemetryError, match=r"unknown column\(s\) \['solar_mw'\]; allowed: required") as err:
        read_telemetry(write(tmp_path, rows, header=HEADER + ",solar_mw"))
    assert "pv_mw" in str(err.value) and "it_<class>_mw" in str(err.value)
    data = read_telemetry(write(tmp_path, rows, header=HEADER + ",solar_mw"), allow_unknown=True)
    assert "solar_mw" in data.columns
    with pytest.raises(TelemetryError, match=r"duplicated column\(s\) \['pv_mw'\] in the header \(line 1\)"):
        read_telemetry(write(tmp_path, rows, header=HEADER + ",pv_mw"))


def test_negative_power_names_column_time_row_and_line(tmp_path):
    rows = [*GOOD_ROWS]
    rows[1] = "2030-01-01T02:00:00+01:00,10,11,-3,11,2.5"
    with pytest.raises(TelemetryError, match=r"'pv_mw' = -3 MW at 2030-01-01T01:00:00\+00:00 \(row 1, line 3\)"):
        read_telemetry(write(tmp_path, rows))


def test_negative_water_in_memory_names_row():
    with pytest.raises(TelemetryError, match=r"'water_m3' = -1 m3 at 2030-01-01T02:00:00\+00:00 \(row 2\)"):
        check_telemetry(frame(water_m3=[1.0, 1.0, -1.0]))


def test_solver_round_off_is_not_negative():
    check_telemetry(frame(battery_charge_mw=[0.0, -1e-9, 2.0]))  # LP round-off within NEGATIVE_TOLERANCE


def test_empty_cell_and_text_are_errors(tmp_path):
    rows = [*GOOD_ROWS]
    rows[2] = "2030-01-01T03:00:00+01:00,10,,13,0,2.5"
    with pytest.raises(
        TelemetryError, match=r"'facility_mw' has a missing or non-numeric value '' at .*\(row 2, line 4\)"
    ):
        read_telemetry(write(tmp_path, rows))
    rows[2] = "2030-01-01T03:00:00+01:00,10,13,abc,0,2.5"
    with pytest.raises(TelemetryError, match=r"'pv_mw' has a missing or non-numeric value 'abc'.*\(row 2, line 4\)"):
        read_telemetry(write(tmp_path, rows))
    with pytest.raises(TelemetryError, match=r"'it_mw' has a missing or non-numeric value nan at .*\(row 0\)"):
        check_telemetry(frame(it_mw=[float("nan"), 1.0, 1.0]))


def test_non_monotonic_time(tmp_path):
    rows = [GOOD_ROWS[0], GOOD_ROWS[2], GOOD_ROWS[1]]
    with pytest.raises(TelemetryError, match=r"not increasing at 2030-01-01T01:00:00\+00:00 \(row 2, line 4\)"):
        read_telemetry(write(tmp_path, rows))


def test_duplicated_time(tmp_path):
    rows = [GOOD_ROWS[0], GOOD_ROWS[1], GOOD_ROWS[1]]
    with pytest.raises(TelemetryError, match=r"duplicated timestamp 2030-01-01T01:00:00\+00:00 \(row 2, line 4\)"):
        read_telemetry(write(tmp_path, rows))


def test_irregular_step(tmp_path):
    rows = [*GOOD_ROWS, "2030-01-01T05:00:00+01:00,10,12,0,12,2.5"]
    with pytest.raises(TelemetryError, match=r"irregular time step between 2030-01-01T02:00:00\+00:00 \(row 2"):
        read_telemetry(write(tmp_path, rows))


def test_timestamp_without_offset_or_unparseable(tmp_path):
    rows = [*GOOD_ROWS]
    rows[1] = "2030-01-01T02:00:00,10,11,0,11,2.5"
    with pytest.raises(TelemetryError, match=r"'timestamp' value '2030-01-01T02:00:00' at row 1 \(line 3\) has no UTC"):
        read_telemetry(write(tmp_path, rows))
    rows[1] = "yesterday,10,11,0,11,2.5"
    with pytest.raises(TelemetryError, match=r"'yesterday' at row 1 \(line 3\) is not an ISO 8601"):
        read_telemetry(write(tmp_path, rows))
    with pytest.raises(TelemetryError, match="first column must be 'timestamp'"):
        read_telemetry(write(tmp_path, GOOD_ROWS, header=HEADER.replace("timestamp", "time")))


def test_class_columns_and_ignored_columns():
    check_telemetry(
        frame(
            it_inference_mw=8.0,
            unserved_inference_mw=0.0,
            requested_inference_mw=8.0,
            battery_soc_mwh=50.0,
            price_usd_per_mwh=[-5.0, 10.0, float("nan")],
        )
    )
    with pytest.raises(TelemetryError, match=r"'unserved_training_mw' has no matching served column 'it_training_mw'"):
        check_telemetry(frame(unserved_training_mw=1.0))


def test_index_must_be_utc_and_regular_in_memory():
    f = frame()
    with pytest.raises(TelemetryError, match="tz-aware UTC"):
        check_telemetry(f.tz_convert(None))
    with pytest.raises(TelemetryError, match="DatetimeIndex"):
        check_telemetry(f.reset_index(drop=True))
    with pytest.raises(TelemetryError, match="at least two time steps"):
        check_telemetry(
            pd.DataFrame({"it_mw": [1.0], "facility_mw": [1.2]}, index=pd.DatetimeIndex(["2030-01-01T00:00Z"]))
        )
    one = pd.DataFrame(
        {"it_mw": [1.0], "facility_mw": [1.2]}, index=pd.date_range("2030-01-01", periods=1, freq="15min", tz="UTC")
    )
    check_telemetry(one)  # one row with a freq is enough
    assert step_hours(one) == 0.25


#: A dispatch whose CFE score depends on the hydrogen level: grid energy charges a store that already holds
#: clean hydrogen, which the fuel cell gives back in the next hour.
STORE_DISPATCH = pd.DataFrame(
    {
        "it_mw": 10.0,
        "facility_mw": [15.0, 10.0, 10.0],
        "pv_mw": [0.0, 0.0, 10.0],
        "grid_import_mw": [15.0, 0.0, 0.0],
        "electrolyser_mw": [5.0, 0.0, 0.0],
        "fuel_cell_mw": [0.0, 10.0, 0.0],
        "h2_level_mwh": [103.0, 83.0, 83.0],
    },
    index=pd.date_range("2030-06-01", periods=3, freq="h", tz="UTC", name="timestamp"),
)


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_a_dispatch_written_before_the_rename_gives_the_same_kpis(tmp_path, suffix):
    """An older dispatch names the hydrogen level ``h2_store_mwh`` (greendc.units.RENAMED_COLUMNS): it is read as
    ``h2_level_mwh``, and ``greendc kpi`` reports the same figures as for the current name."""
    from typer.testing import CliRunner

    from greendc.cli import app
    from greendc.kpi.cfe import cfe_share

    assert cfe_share(STORE_DISPATCH) != cfe_share(STORE_DISPATCH.drop(columns="h2_level_mwh"))  # the level counts
    reports = []
    for name, frame in (
        ("old", STORE_DISPATCH.rename(columns={"h2_level_mwh": "h2_store_mwh"})),
        ("new", STORE_DISPATCH),
    ):
        path = tmp_path / name / f"dispatch.{suffix}"
        path.parent.mkdir()
        if suffix == "csv":
            frame.to_csv(path, date_format="%Y-%m-%dT%H:%M:%SZ")
        else:
            frame.to_parquet(path)
        pd.testing.assert_frame_equal(read_telemetry(path), STORE_DISPATCH, check_exact=True, check_freq=False)
        out = tmp_path / name / "kpi.json"
        result = CliRunner().invoke(app, ["kpi", "--telemetry", str(path), "--out", str(out)])
        assert result.exit_code == 0, result.output
        reports.append({k: v for k, v in json.loads(out.read_text(encoding="utf-8")).items() if k != "provenance"})
    assert reports[0] == reports[1]
    assert reports[0]["cfe_share"] == pytest.approx(cfe_share(STORE_DISPATCH), rel=1e-12)
