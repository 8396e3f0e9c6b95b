"""Tests of the weather readers (EPW, PVGIS TMY CSV/JSON, greendc CSV), the writer and check_weather.

Every sample is written into ``tmp_path`` in the real layout of its format:

* EPW: the 8 header lines and 35-field hourly rows of the EnergyPlus EPW data dictionary (EnergyPlus
  Auxiliary Programs, "Weather Converter Program"), as in pvlib's own EPW reader tests;
* PVGIS TMY: the CSV and JSON layouts of PVGIS 5.3 TMY outputs as stored in pvlib's test data
  (``tests/data/tmy_45.000_8.000_2005_2023.csv`` / ``.json``): site lines, irradiance time offset,
  ``month,year`` table, ``time(UTC),T2m,RH,G(h),Gb(n),Gd(h),IR(h),WS10m,WD10m,SP`` rows stamped
  ``YYYYMMDD:HH00``, then the variable descriptions;
* greendc CSV: the layout documented in :mod:`greendc.weather.readers.greendc_csv`.

Cells are checked against values written by hand in the test, with the expected time stamp worked out
in a comment.
"""

from __future__ import annotations

import calendar
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest

from greendc.errors import GreendcError, WeatherDataError
from greendc.weather.readers import read_csv, read_epw, read_pvgis_tmy, read_weather, write_csv
from greendc.weather.schema import check_weather

LAT, LON, ELEV = 23.71, -15.94, 10.0  # Dakhla (site of the reference case)


def _clear_sky(period_start_utc: pd.DatetimeIndex) -> pd.DataFrame:
    """Plausible clear-sky hour means at Dakhla: Ineichen model at mid-period (Linke turbidity 3.5)."""
    loc = pvlib.location.Location(LAT, LON, altitude=ELEV)
    cs = loc.get_clearsky(period_start_utc + pd.Timedelta(minutes=30), model="ineichen", linke_turbidity=3.5)
    cs.index = period_start_utc
    return cs.round(0)


# ------------------------------------------------------------------------------------------- EPW samples
EPW_FLAGS = "?9?9?9?9E0?9?9?9?9?9?9?9?9?9?9?9?9?9*9*9?9*9*9"


def _epw_header(tz: float, per_hour: int = 1) -> list[str]:
    return [
        f"LOCATION,Dakhla,-,MAR,SRC-TMYx,600960,{LAT},{LON},{tz},{ELEV}",
        "DESIGN CONDITIONS,0",
        "TYPICAL/EXTREME PERIODS,0",
        "GROUND TEMPERATURES,0",
        "HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0",
        "COMMENTS 1,Test sample written by greendc tests",
        "COMMENTS 2,Rows built from a clear-sky day at Dakhla",
        f"DATA PERIODS,1,{per_hour},Data,Sunday, 1/ 1,12/31",
    ]


def _epw_rows(tz: float, years: tuple[int, int] = (2005, 2012)) -> list[dict]:
    """Two days (1 and 2 January, 48 hourly rows), TMY-style: day 1 from years[0], day 2 from years[1].

    Row (day, hour h) covers the hour ending h:00 local standard time, i.e. the UTC period starting at
    (h - 1):00 - tz; irradiance is the clear-sky hour mean of that UTC hour.
    """
    rows = []
    for day, yr in ((1, years[0]), (2, years[1])):
        for h in range(1, 25):
            start_utc = pd.Timestamp(2005, 1, day, h - 1) - pd.Timedelta(hours=tz)
            cs = _clear_sky(pd.DatetimeIndex([start_utc]).tz_localize("UTC")).iloc[0]
            rows.append(
                {
                    "year": yr, "month": 1, "day": day, "hour": h,
                    "temp_air": round(17.0 + 5.0 * np.sin(np.pi * (h - 9) / 12), 1),
                    "relative_humidity": 70 - h % 7,
                    "pressure": 101500 - 10 * h,
                    "ghi": int(cs["ghi"]), "dni": int(cs["dni"]), "dhi": int(cs["dhi"]),
                    "wind_speed": round(4.0 + 0.1 * h, 1),
                }
            )  # fmt: skip
    return rows


def _epw_line(r: dict) -> str:
    # 35 fields: date/time, flags, then the EPW data dictionary order (N6 ... N35)
    fields = [
        r["year"], r["month"], r["day"], r["hour"], 60, EPW_FLAGS,
        r["temp_air"], 12.0, r["relative_humidity"], r["pressure"],
        1415, 1415, 350, r["ghi"], r["dni"], r["dhi"],
        999999, 999999, 999999, 9999,
        20, r["wind_speed"], 0, 0, 16.0, 77777, 9, 999999999, 2.1, 0.15, 0, 88, 0.2, 0.0, 1.0,
    ]  # fmt: skip
    return ",".join(str(v) for v in fields)


def write_epw(path: Path, rows: list[dict], tz: float = 1.0, per_hour: int = 1) -> Path:
    path.write_text("\n".join(_epw_header(tz, per_hour) + [_epw_line(r) for r in rows]) + "\n")
    return path


@pytest.fixture
def epw_rows() -> list[dict]:
    return _epw_rows(tz=1.0)


# ----------------------------------------------------------------------------------------- PVGIS samples
MONTHS_SELECTED = {1: 2016, 2: 2007, 3: 2009, 4: 2013, 5: 2008, 6: 2006, 7: 2011, 8: 2010, 9: 2020, 10: 2006,
                   11: 2007, 12: 2017}  # fmt: skip
PVGIS_COLUMNS = ["T2m", "RH", "G(h)", "Gb(n)", "Gd(h)", "IR(h)", "WS10m", "WD10m", "SP"]
PVGIS_DESCRIPTIONS = {
    "T2m": ("2-m air temperature", "degree Celsius"),
    "RH": ("relative humidity", "%"),
    "G(h)": ("Global irradiance on the horizontal plane", "W/m2"),
    "Gb(n)": ("Beam/direct irradiance on a plane always normal to sun rays", "W/m2"),
    "Gd(h)": ("Diffuse irradiance on the horizontal plane", "W/m2"),
    "IR(h)": ("Surface infrared (thermal) irradiance on a horizontal plane", "W/m2"),
    "WS10m": ("10-m total wind speed", "m/s"),
    "WD10m": ("10-m wind direction (0 = N, 90 = E)", "degree"),
    "SP": ("Surface (air) pressure", "Pa"),
}
# hand-set row: 1 January 12:00 UTC of the January year (2016)
HAND_ROW = {"T2m": 19.5, "RH": 64.25, "WS10m": 5.5, "SP": 101325.0}


def _pvgis_rows() -> list[dict]:
    """A full TMY (8760 rows, no 29 February): month m from year MONTHS_SELECTED[m], stamped HH:00 UTC."""
    stamps = []
    for m, yr in MONTHS_SELECTED.items():
        days = 28 if m == 2 else calendar.monthrange(yr, m)[1]
        stamps += [pd.Timestamp(yr, m, d, h) for d in range(1, days + 1) for h in range(24)]
    idx = pd.DatetimeIndex(stamps)
    # irradiance: clear-sky hour means computed on the 2015 calendar (same sun geometry to a few W/m2)
    cs = _clear_sky(pd.DatetimeIndex([t.replace(year=2015) for t in idx]).tz_localize("UTC"))
    hours = idx.hour.to_numpy()
    temp = np.round(20.0 + 4.0 * np.sin(np.pi * (hours - 9) / 12), 2)
    rows = []
    for i, t in enumerate(idx):
        rows.append(
            {
                "time(UTC)": t.strftime("%Y%m%d:%H%M"), "T2m": float(temp[i]), "RH": 70.0,
                "G(h)": float(cs["ghi"].iloc[i]), "Gb(n)": float(cs["dni"].iloc[i]), "Gd(h)": float(cs["dhi"].iloc[i]),
                "IR(h)": 350.0, "WS10m": 6.0, "WD10m": 10.0, "SP": 101200.0,
            }
        )  # fmt: skip
    rows[12].update(HAND_ROW)  # row 12 = 20160101:1200
    return rows


@pytest.fixture(scope="module")
def pvgis_rows() -> list[dict]:
    return _pvgis_rows()


def write_pvgis_csv(path: Path, rows: list[dict], offset: float | None = 0.1761) -> Path:
    lines = [
        f"Latitude (decimal degrees): {LAT:.3f}",
        f"Longitude (decimal degrees): {LON:.3f}",
        f"Elevation (m): {ELEV}",
    ]
    if offset is not None:
        lines.append(f"Irradiance Time Offset (h): {offset}")
    lines += ["month,year"] + [f"{m},{y}" for m, y in MONTHS_SELECTED.items()]
    lines.append(",".join(["time(UTC)", *PVGIS_COLUMNS]))
    lines += [",".join([r["time(UTC)"]] + [repr(float(r[c])) for c in PVGIS_COLUMNS]) for r in rows]
    lines += [""] + [f"{k}: {d} ({u})" for k, (d, u) in PVGIS_DESCRIPTIONS.items()]
    lines += ["", "PVGIS (c) European Union, 2001-2025"]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    return path


def write_pvgis_json(path: Path, rows: list[dict], offset: float = 0.1761, columns: list[str] | None = None) -> Path:
    cols = PVGIS_COLUMNS if columns is None else columns
    doc = {
        "inputs": {
            "location": {"latitude": LAT, "longitude": LON, "elevation": ELEV, "irradiance_time_offset": offset},
            "meteo_data": {"radiation_db": "PVGIS-SARAH3", "meteo_db": "ERA5", "year_min": 2005, "year_max": 2023,
                           "use_horizon": True, "horizon_db": "DEM-calculated"},
        },
        "outputs": {
            "months_selected": [{"month": m, "year": y} for m, y in MONTHS_SELECTED.items()],
            "tmy_hourly": [{"time(UTC)": r["time(UTC)"], **{c: r[c] for c in cols}} for r in rows],
        },
        "meta": {
            "inputs": {"location": {"description": "Selected location"}},
            "outputs": {
                "months_selected": {"type": "time series", "timestamp": "monthly"},
                "tmy_hourly": {
                    "type": "time series", "timestamp": "hourly",
                    "variables": {k: {"description": d, "units": u} for k, (d, u) in PVGIS_DESCRIPTIONS.items()},
                },
            },
        },
    }  # fmt: skip
    path.write_text(json.dumps(doc))
    return path


# -------------------------------------------------------------------------------------- greendc samples
def canonical_frame(n: int = 48) -> pd.DataFrame:
    idx = pd.date_range("2030-01-01", periods=n, freq="h", tz="UTC")
    cs = _clear_sky(idx)
    rng = np.random.default_rng(7)
    df = pd.DataFrame(
        {
            "ghi": cs["ghi"].to_numpy() * 0.93 + 0.0,
            "dni": cs["dni"].to_numpy() * 0.9,
            "dhi": cs["dhi"].to_numpy(),
            "temp_air": 18.0 + rng.normal(0.0, 1.0, n),  # many decimals: the round trip must be exact
            "relative_humidity": 60.0 + rng.uniform(0.0, 20.0, n),
            "pressure": 101300.0 + rng.normal(0.0, 50.0, n),
            "wind_speed": 5.0 + rng.uniform(0.0, 3.0, n),
            "temp_sea": 19.0 + rng.normal(0.0, 0.1, n),
            "dust": rng.uniform(0.0, 1.0, n),
        },
        index=idx,
    )
    df.attrs.update(latitude=LAT, longitude=LON, elevation_m=ELEV)
    return df


GREENDC_HEADER = "timestamp,ghi,dni,dhi,temp_air,relative_humidity,pressure,wind_speed"


def write_greendc(path: Path, body: list[str], header: str = GREENDC_HEADER, comments: tuple[str, ...] = ()) -> Path:
    path.write_text("\n".join([*comments, header, *body]) + "\n")
    return path


def night_rows(n: int = 4, start: str = "2030-01-01T00:00:00+00:00") -> list[str]:
    t0 = pd.Timestamp(start)
    return [f"{(t0 + pd.Timedelta(hours=i)).isoformat()},0,0,0,18.0,70,101300,5.0" for i in range(n)]


# =========================================================================================== EPW tests
def test_epw_values_and_period_start_shift(tmp_path, epw_rows):
    """Hand check: TZ = +1, first year 2005. EPW row (2005-01-01, hour 13) covers 12:00-13:00 local standard
    time = 11:00-12:00 UTC -> stamped 2005-01-01T11:00Z; row (1 January, hour 1) -> 2004-12-31T23:00Z."""
    epw_rows[12].update(pressure=101325, wind_speed=7.3, temp_air=24.6, relative_humidity=55, ghi=560, dni=850, dhi=75)
    data, meta = read_epw(write_epw(tmp_path / "dakhla.epw", epw_rows, tz=1.0))
    row = data.loc[pd.Timestamp("2005-01-01T11:00Z")]
    assert row["pressure"] == 101325.0  # Pa in EPW, Pa in greendc
    assert row["wind_speed"] == 7.3
    assert row["temp_air"] == 24.6
    assert row["relative_humidity"] == 55.0
    assert (row["ghi"], row["dni"], row["dhi"]) == (560.0, 850.0, 75.0)  # Wh/m2 over 1 h = W/m2 mean
    assert data.index[0] == pd.Timestamp("2004-12-31T23:00Z")
    assert data.index[-1] == pd.Timestamp("2005-01-02T22:00Z")
    assert len(data) == 48 and str(data.index.tz) == "UTC" and data.index.freq == "h"
    assert list(data.columns) == ["ghi", "dni", "dhi", "temp_air", "relative_humidity", "pressure", "wind_speed"]
    assert data.attrs == {"latitude": LAT, "longitude": LON, "elevation_m": ELEV}
    assert meta["source"] == "dakhla.epw" and meta["format"] == "epw"
    assert (meta["latitude"], meta["longitude"], meta["elevation_m"], meta["utc_offset_h"]) == (LAT, LON, ELEV, 1.0)
    assert meta["year"] == 2005  # TMY-style rows (2005 then 2012) recast to the first year
    assert meta["original"]["city"] == "Dakhla" and meta["original"]["WMO_code"] == "600960"


def test_epw_negative_time_zone_and_year_keyword(tmp_path):
    """TZ = -5 with year=2030: EPW (1 January, hour 1) covers 00:00-01:00 local = 05:00-06:00 UTC."""
    rows = _epw_rows(tz=-5.0)
    rows[0]["pressure"] = 99999
    data, meta = read_epw(write_epw(tmp_path / "west.epw", rows, tz=-5.0), year=2030)
    assert data.index[0] == pd.Timestamp("2030-01-01T05:00Z")
    assert data["pressure"].iloc[0] == 99999.0
    assert meta["year"] == 2030


def test_epw_actual_year_file_keeps_its_year(tmp_path):
    """All rows from 2021 already form a regular series: no recasting (metadata year None)."""
    data, meta = read_epw(write_epw(tmp_path / "y2021.epw", _epw_rows(tz=0.0, years=(2021, 2021)), tz=0.0))
    assert data.index[0] == pd.Timestamp("2021-01-01T00:00Z") and meta["year"] is None


@pytest.mark.parametrize(
    ("field", "code", "column", "epw_name"),
    [
        ("ghi", 9999, "ghi", "Global Horizontal Radiation"),
        ("dni", 9999, "dni", "Direct Normal Radiation"),
        ("pressure", 999999, "pressure", "Atmospheric Station Pressure"),
        ("temp_air", 99.9, "temp_air", "Dry Bulb Temperature"),
        ("relative_humidity", 999, "relative_humidity", "Relative Humidity"),
        ("wind_speed", 999, "wind_speed", "Wind Speed"),
    ],
)
def test_epw_missing_value_codes_raise(tmp_path, epw_rows, field, code, column, epw_name):
    """EnergyPlus EPW data dictionary missing codes; row 30 = 2 January hour 7 -> 2005-01-02T05:00Z at TZ +1."""
    epw_rows[30][field] = code
    with pytest.raises(WeatherDataError) as err:
        read_epw(write_epw(tmp_path / "missing.epw", epw_rows))
    msg = str(err.value)
    assert f"'{column}'" in msg and epw_name in msg and "2005-01-02T05:00:00+00:00" in msg and "missing" in msg


def test_epw_gap_names_both_times(tmp_path, epw_rows):
    del epw_rows[20]  # 1 January hour 21 -> 19:00 UTC period missing
    with pytest.raises(WeatherDataError, match=r"gap or jump between 2005-01-01T18:00:00\+00:00 and 2005-01-01T20:00"):
        read_epw(write_epw(tmp_path / "gap.epw", epw_rows))


def test_epw_night_ghi_above_extraterrestrial(tmp_path, epw_rows):
    epw_rows[2]["ghi"] = 500  # 1 January hour 3 at TZ +1 -> 01:00 UTC, night at Dakhla
    with pytest.raises(WeatherDataError, match=r"'ghi' = 500 W/m2 at 2005-01-01T01:00:00\+00:00.*extraterrestrial"):
        read_epw(write_epw(tmp_path / "night.epw", epw_rows))


def test_epw_leap_year_keyword_and_sub_hourly_and_bad_header(tmp_path, epw_rows):
    path = write_epw(tmp_path / "a.epw", epw_rows)
    data, _ = read_epw(path, year=2028)  # January only: a leap year is harmless
    assert data.index[1] == pd.Timestamp("2028-01-01T00:00Z")
    with pytest.raises(WeatherDataError, match="records per hour"):
        read_epw(write_epw(tmp_path / "sub.epw", epw_rows, per_hour=4))
    bad = tmp_path / "bad.epw"
    bad.write_text("\n".join(path.read_text().splitlines()[1:]))  # LOCATION line dropped
    with pytest.raises(WeatherDataError, match=r"bad\.epw: not an EPW file"):
        read_epw(bad)
    with pytest.raises(WeatherDataError, match="TZ = 20"):
        read_epw(write_epw(tmp_path / "tz.epw", epw_rows, tz=20.0))


# ========================================================================================= PVGIS tests
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_pvgis_tmy_values_and_single_year(tmp_path, pvgis_rows, fmt):
    """January comes from 2016, a leap year, and PVGIS TMY files skip 29 February: the default single year
    is 2015. PVGIS row '20160101:1200' is the hour 12:00-13:00 UTC -> 2015-01-01T12:00Z, no shift."""
    writer = write_pvgis_csv if fmt == "csv" else write_pvgis_json
    data, meta = read_pvgis_tmy(writer(tmp_path / f"tmy_23.710_-15.940_2005_2023.{fmt}", pvgis_rows))
    row = data.loc[pd.Timestamp("2015-01-01T12:00Z")]
    assert row["pressure"] == 101325.0 and row["wind_speed"] == 5.5
    assert row["temp_air"] == 19.5 and row["relative_humidity"] == 64.25
    assert len(data) == 8760 and data.index.freq == "h"
    assert data.index[0] == pd.Timestamp("2015-01-01T00:00Z") and data.index[-1] == pd.Timestamp("2015-12-31T23:00Z")
    # December came from 2017, now 2015: the first December value is the file's row 8760 - 744
    assert data["ghi"].iloc[8760 - 744 : 8760 - 744 + 24].tolist() == [r["G(h)"] for r in pvgis_rows[8016:8040]]
    assert data.attrs == {"latitude": LAT, "longitude": LON, "elevation_m": ELEV}
    assert meta["format"] == f"pvgis-tmy-{fmt}" and meta["source"].endswith(fmt)
    assert meta["irradiance_time_offset_h"] == 0.1761 and meta["months_selected"][1] == 2016
    assert meta["year"] == 2015 and (meta["latitude"], meta["elevation_m"]) == (LAT, ELEV)


def test_pvgis_year_keyword(tmp_path, pvgis_rows):
    path = write_pvgis_json(tmp_path / "tmy.json", pvgis_rows)
    data, meta = read_pvgis_tmy(path, year=2030)
    assert data.loc[pd.Timestamp("2030-01-01T12:00Z"), "pressure"] == 101325.0 and meta["year"] == 2030
    with pytest.raises(WeatherDataError, match="year=2028 is a leap year but the file has no 29 February"):
        read_pvgis_tmy(path, year=2028)


def test_pvgis_csv_without_offset_line(tmp_path, pvgis_rows):
    """Older PVGIS CSV files have no 'Irradiance Time Offset' line."""
    data, meta = read_pvgis_tmy(write_pvgis_csv(tmp_path / "old.csv", pvgis_rows, offset=None))
    assert meta["irradiance_time_offset_h"] is None and len(data) == 8760


def test_pvgis_malformed(tmp_path, pvgis_rows):
    with pytest.raises(WeatherDataError, match=r"PVGIS column\(s\) 'SP' \(-> pressure\) missing"):
        read_pvgis_tmy(write_pvgis_json(tmp_path / "nosp.json", pvgis_rows, columns=PVGIS_COLUMNS[:-1]))
    with pytest.raises(WeatherDataError, match=r"irradiance time offset = 1.5 h"):
        read_pvgis_tmy(write_pvgis_json(tmp_path / "off.json", pvgis_rows, offset=1.5))
    hpa = [dict(r, SP=r["SP"] / 100.0) for r in pvgis_rows]  # pressure in hPa
    with pytest.raises(WeatherDataError, match=r"'pressure' = 1012 Pa at 2015-01-01T00:00:00\+00:00.*physical range"):
        read_pvgis_tmy(write_pvgis_json(tmp_path / "hpa.json", hpa))
    nan = [dict(r) for r in pvgis_rows]
    nan[5]["T2m"] = None  # JSON null
    with pytest.raises(WeatherDataError, match=r"'temp_air' has a missing or non-numeric value at 2015-01-01T05:00"):
        read_pvgis_tmy(write_pvgis_json(tmp_path / "nan.json", nan))
    with pytest.raises(WeatherDataError, match=r"short\.csv: not a readable PVGIS TMY CSV"):
        read_pvgis_tmy(write_pvgis_csv(tmp_path / "short.csv", pvgis_rows[:48]))


# =================================================================================== greendc CSV tests
def test_csv_round_trip_exact(tmp_path):
    df = canonical_frame()
    path = write_csv(df, tmp_path / "w.csv")
    lines = path.read_text().splitlines()
    assert lines[1] == f"# latitude={LAT!r}, longitude={LON!r}, elevation_m={ELEV!r}"
    assert lines[2].startswith("timestamp,ghi,dni,dhi,temp_air,relative_humidity,pressure,wind_speed,temp_sea,dust")
    assert lines[3].startswith("2030-01-01T00:00:00+00:00,")
    back, meta = read_csv(path)
    pd.testing.assert_frame_equal(back, df, check_exact=True, check_freq=False)
    assert back.attrs == df.attrs
    assert (meta["latitude"], meta["longitude"], meta["elevation_m"]) == (LAT, LON, ELEV)
    assert meta["format"] == "greendc-csv" and meta["source"] == "w.csv"


def test_csv_round_trip_to_written_precision(tmp_path):
    df = canonical_frame()
    back, _ = read_csv(write_csv(df, tmp_path / "w2.csv", decimals=2))
    pd.testing.assert_frame_equal(back, df.round(2), check_exact=True, check_freq=False)


def test_csv_any_offset_converted_to_utc(tmp_path):
    """'2030-01-01T01:00:00+01:00' and '2030-01-01T01:00:00Z' are 00:00 and 01:00 UTC."""
    body = [
        "2030-01-01T01:00:00+01:00,0,0,0,18.0,70,101300,5.0",
        "2030-01-01T01:00:00Z,0,0,0,18.5,70,101300,5.0",
        "2030-01-01T00:00:00-02:00,0,0,0,19.0,70,101300,5.0",
    ]
    data, meta = read_csv(write_greendc(tmp_path / "tz.csv", body), latitude=LAT, longitude=LON)
    assert list(data.index) == list(pd.date_range("2030-01-01", periods=3, freq="h", tz="UTC"))
    assert data["temp_air"].tolist() == [18.0, 18.5, 19.0]
    assert data.attrs == {"latitude": LAT, "longitude": LON} and meta["elevation_m"] is None


@pytest.mark.parametrize(
    ("bad", "match"),
    [
        ("2030-01-01T02:00:00", r"'2030-01-01T02:00:00' at row 2 \(line 4\) has no UTC offset"),
        ("2030-01-01 02:00", r"'2030-01-01 02:00' at row 2 \(line 4\) has no UTC offset"),
        ("01/01/2030 02:00+00:00", r"'01/01/2030 02:00\+00:00' at row 2 \(line 4\) is not an ISO 8601"),
        ("2030-02-30T02:00:00+00:00", r"'2030-02-30T02:00:00\+00:00' at row 2 \(line 4\) is not an ISO 8601"),
        ("yesterday", r"'yesterday' at row 2 \(line 4\) is not an ISO 8601"),
    ],
)
def test_csv_bad_timestamps_name_the_row(tmp_path, bad, match):
    body = night_rows(4)
    body[2] = bad + body[2][len("2030-01-01T02:00:00+00:00") :]
    with pytest.raises(WeatherDataError, match=match):
        read_csv(write_greendc(tmp_path / "ts.csv", body))


def test_csv_duplicated_and_non_monotonic(tmp_path):
    body = night_rows(4)
    body[2] = body[1]
    with pytest.raises(WeatherDataError, match=r"dup.csv: duplicated timestamp 2030-01-01T01:00:00\+00:00"):
        read_csv(write_greendc(tmp_path / "dup.csv", body))
    body = night_rows(4)
    body[1], body[2] = body[2], body[1]
    with pytest.raises(WeatherDataError, match=r"not increasing at 2030-01-01T01:00:00\+00:00 \(row 2\)"):
        read_csv(write_greendc(tmp_path / "order.csv", body))


def test_csv_gap_missing_column_unknown_column(tmp_path):
    body = night_rows(5)
    del body[3]
    with pytest.raises(WeatherDataError, match=r"between 2030-01-01T02:00:00\+00:00 and 2030-01-01T04:00:00\+00:00"):
        read_csv(write_greendc(tmp_path / "gap.csv", body))
    no_dhi = [",".join(r.split(",")[:3] + r.split(",")[4:]) for r in night_rows(4)]
    with pytest.raises(WeatherDataError, match=r"missing column\(s\) \['dhi'\]"):
        read_csv(write_greendc(tmp_path / "nodhi.csv", no_dhi, header=GREENDC_HEADER.replace(",dhi", "")))
    extra = [r + ",3.0" for r in night_rows(4)]
    with pytest.raises(WeatherDataError, match=r"unknown column\(s\) \['gust'\]; allowed .*wind_speed_100m \[m/s\]"):
        read_csv(write_greendc(tmp_path / "extra.csv", extra, header=GREENDC_HEADER + ",gust"))


def test_csv_wrong_units_nan_and_junk(tmp_path):
    hpa = [r.replace("101300", "1013.25") for r in night_rows(4)]
    with pytest.raises(
        WeatherDataError, match=r"'pressure' = 1013.25 Pa at 2030-01-01T00:00:00\+00:00 .*physical range"
    ):
        read_csv(write_greendc(tmp_path / "hpa.csv", hpa))
    body = night_rows(4)
    body[3] = body[3].replace(",18.0,", ",,")
    with pytest.raises(WeatherDataError, match=r"'temp_air' has a missing or non-numeric value at 2030-01-01T03:00"):
        read_csv(write_greendc(tmp_path / "nan.csv", body))
    body[3] = night_rows(4)[3].replace(",5.0", ",calm")
    with pytest.raises(
        WeatherDataError, match=r"'wind_speed' has non-numeric value 'calm' at 2030-01-01T03:00.*line 5"
    ):
        read_csv(write_greendc(tmp_path / "junk.csv", body))


def test_csv_night_ghi_above_extraterrestrial_needs_the_site(tmp_path):
    """500 W/m2 at 02:00 UTC in Dakhla is impossible (sun below the horizon): caught once the site is known."""
    body = night_rows(4)
    body[2] = body[2].replace("+00:00,0,", "+00:00,500,", 1)
    path = write_greendc(tmp_path / "night.csv", body)
    data, _ = read_csv(path)  # no site: the extraterrestrial check cannot run
    assert data["ghi"].iloc[2] == 500.0
    with pytest.raises(WeatherDataError, match=r"'ghi' = 500 W/m2 at 2030-01-01T02:00:00\+00:00 \(row 2\) exceeds"):
        read_csv(path, latitude=LAT, longitude=LON)
    commented = write_greendc(tmp_path / "night2.csv", body, comments=(f"# latitude={LAT}, longitude={LON}",))
    with pytest.raises(WeatherDataError, match="extraterrestrial"):
        read_csv(commented)


def test_csv_site_comment_rules(tmp_path):
    path = write_greendc(
        tmp_path / "s.csv", night_rows(3), comments=("# free text", "# latitude=23.71, longitude=-15.94")
    )
    _, meta = read_csv(path, elevation_m=12.0)
    assert meta["comments"] == ["free text"] and meta["elevation_m"] == 12.0
    with pytest.raises(WeatherDataError, match=r"latitude = 30.0 given, but the file says latitude=23.71"):
        read_csv(path, latitude=30.0)
    bad = write_greendc(tmp_path / "k.csv", night_rows(3), comments=("# lat=23.71",))
    with pytest.raises(WeatherDataError, match=r"line 1: bad site item 'lat=23.71'; allowed keys"):
        read_csv(bad)
    with pytest.raises(WeatherDataError, match="latitude and longitude go together"):
        read_csv(write_greendc(tmp_path / "one.csv", night_rows(3)), latitude=LAT)
    with pytest.raises(WeatherDataError, match=r"latitude = 95.0 is outside"):
        read_csv(write_greendc(tmp_path / "far.csv", night_rows(3)), latitude=95.0, longitude=0.0)


def test_write_csv_refuses_bad_frames(tmp_path):
    df = canonical_frame(4)
    with pytest.raises(WeatherDataError, match=r"cannot write column\(s\) \['gust'\]"):
        write_csv(df.assign(gust=1.0), tmp_path / "x.csv")
    with pytest.raises(WeatherDataError, match="tz-aware UTC"):
        write_csv(df.tz_convert("Africa/Casablanca"), tmp_path / "x.csv")
    df.attrs.pop("longitude")
    with pytest.raises(WeatherDataError, match="both latitude and longitude or neither"):
        write_csv(df, tmp_path / "x.csv")


# ========================================================================================= dispatch
def test_read_weather_dispatches_on_content(tmp_path, epw_rows, pvgis_rows):
    epw = write_epw(tmp_path / "site.weather", epw_rows)  # content decides, not the extension
    assert read_weather(epw, year=2030)[1]["format"] == "epw"
    assert read_weather(write_pvgis_json(tmp_path / "t.json", pvgis_rows))[1]["format"] == "pvgis-tmy-json"
    assert read_weather(write_pvgis_csv(tmp_path / "t.csv", pvgis_rows))[1]["format"] == "pvgis-tmy-csv"
    data, meta = read_weather(write_csv(canonical_frame(), tmp_path / "g.csv"))
    assert meta["format"] == "greendc-csv" and data.attrs["latitude"] == LAT
    with pytest.raises(WeatherDataError, match=r"keyword\(s\) \['latitude'\] do not apply to epw"):
        read_weather(epw, latitude=1.0)


def test_read_weather_unknown_format_names_file_and_formats(tmp_path):
    odd = tmp_path / "odd.txt"
    odd.write_text("date;ghi\n2030-01-01;0\n")
    with pytest.raises(WeatherDataError) as err:
        read_weather(odd)
    msg = str(err.value)
    assert msg.startswith("odd.txt: unknown weather file format") and all(
        k in msg for k in ("epw", "pvgis-tmy-csv", "pvgis-tmy-json", "greendc-csv")
    )
    other = tmp_path / "hourly.json"  # taken for a PVGIS hourly series, but without PVGIS's 'meta' and 'inputs'
    other.write_text(json.dumps({"outputs": {"hourly": []}}))
    with pytest.raises(WeatherDataError, match=r"hourly\.json: not a readable PVGIS hourly JSON file \(KeyError"):
        read_weather(other)
    tmy = tmp_path / "tmy.json"
    tmy.write_text(json.dumps({"outputs": {"tmy_hourly": []}}))
    with pytest.raises(WeatherDataError, match=r"tmy\.json: JSON file is not a PVGIS TMY output"):
        read_weather(tmy)
    with pytest.raises(GreendcError, match="no such weather file"):
        read_weather(tmp_path / "absent.epw")


# ===================================================================================== check_weather
def _frame(n: int = 6, tz: str | None = "UTC") -> pd.DataFrame:
    idx = pd.date_range("2030-06-01", periods=n, freq="h", tz=tz)
    return pd.DataFrame(
        {"ghi": 0.0, "dni": 0.0, "dhi": 0.0, "temp_air": 20.0, "relative_humidity": 60.0, "pressure": 101300.0,
         "wind_speed": 5.0},
        index=idx,
    )  # fmt: skip


def test_check_weather_accepts_a_canonical_frame():
    check_weather(_frame())  # must not raise


def test_check_weather_gap():
    df = _frame().drop(pd.Timestamp("2030-06-01T03:00Z"))
    with pytest.raises(WeatherDataError, match=r"gap or jump between 2030-06-01T02:00:00\+00:00 and 2030-06-01T04:00"):
        check_weather(df, source="t")


def test_check_weather_nan():
    df = _frame()
    df.iloc[4, df.columns.get_loc("relative_humidity")] = np.nan
    with pytest.raises(
        WeatherDataError, match=r"'relative_humidity' has a missing .* 2030-06-01T04:00:00\+00:00 \(row 4\)"
    ):
        check_weather(df)


def test_check_weather_range():
    df = _frame()
    df.iloc[1, df.columns.get_loc("temp_air")] = 293.15  # kelvin, not °C
    with pytest.raises(WeatherDataError, match=r"'temp_air' = 293.15 degC at 2030-06-01T01:00:00\+00:00.*\[-90, 60\]"):
        check_weather(df)


@pytest.mark.parametrize("tz", [None, "Africa/Casablanca"])
def test_check_weather_non_utc_index(tz):
    with pytest.raises(WeatherDataError, match=re.escape(f"tz-aware UTC, got tz={tz}")):
        check_weather(_frame(tz=tz))
