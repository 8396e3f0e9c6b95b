"""Real weather files for a scenario: the PVGIS hourly reader, fallbacks for absent columns, whole-year coverage,
the site check, and the scenario path (``weather.source: file``) on EPW, PVGIS and greendc CSV files."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from tests.weather.files import (
    synthetic_year,
    write_epw,
    write_pvgis_hourly_csv,
    write_pvgis_tmy_csv,
)

from greendc.errors import ScenarioError, WeatherDataError
from greendc.provenance import WeatherProvenance
from greendc.scenario.io import load_scenario
from greendc.weather.climatology import load_climatology
from greendc.weather.completion import check_coverage, complete_weather, site_distance_km
from greendc.weather.readers import read_pvgis_hourly, read_weather, write_csv
from greendc.weather.readers.formats import sniff_format
from greendc.weather.source import scenario_weather, with_synthetic_years, with_weather_file


@pytest.fixture(scope="module")
def year() -> pd.DataFrame:
    return synthetic_year()


# ------------------------------------------------------------------------------------ PVGIS hourly series
def test_pvgis_hourly_components_by_hand(tmp_path, year):
    wx = year.iloc[:48].copy()
    path = write_pvgis_hourly_csv(tmp_path / "Timeseries_23.710_-15.940_SA3_0deg_0deg_2030_2030.csv", wx)
    text = path.read_text().replace("\r\n", "\n").splitlines()
    # hand row at 1 January 12:10 UTC: Gb(i) = 400, Gd(i) = 100, Gr(i) = 0, sun height 30 degrees
    row = next(i for i, line in enumerate(text) if line.startswith("20300101:1210"))
    text[row] = "20300101:1210,400.00,100.00,0.00,30.00,21.50,6.20,0.0"
    path.write_text("\r\n".join(text) + "\r\n")
    assert sniff_format(path) == "pvgis-hourly-csv"
    data, meta = read_weather(path)
    assert meta["format"] == "pvgis-hourly-csv" and meta["radiation_database"] == "PVGIS-SARAH3"
    r = data.loc[pd.Timestamp("2030-01-01 12:00", tz="UTC")]  # the row is the hour [12:00, 13:00) UTC
    assert r["ghi"] == pytest.approx(500.0)  # 400 + 100 + 0
    assert r["dni"] == pytest.approx(800.0)  # 400 / sin(30 deg) = 400 / 0.5
    assert r["dhi"] == pytest.approx(100.0)
    assert (r["temp_air"], r["wind_speed"]) == (21.5, 6.2)
    assert "relative_humidity" not in data and "pressure" not in data  # PVGIS series carry neither
    assert data.index.freqstr == "h" and data.index[0] == pd.Timestamp("2030-01-01", tz="UTC")


def test_pvgis_hourly_refuses_a_tilted_plane_and_splits_a_global_only_series(tmp_path, year):
    tilted = write_pvgis_hourly_csv(tmp_path / "tilted.csv", year.iloc[:24], slope_deg=30.0)
    with pytest.raises(WeatherDataError, match=r"tilted 30 degrees.*angle=0"):
        read_pvgis_hourly(tilted)
    path = write_pvgis_hourly_csv(tmp_path / "global.csv", year.iloc[:24])
    lines = path.read_text().replace("\r\n", "\n").split("\n")
    out = []
    for line in lines:
        if line.startswith("time,"):
            out.append("time,G(i),H_sun,T2m,WS10m,Int")
        elif line[:8].isdigit():
            cells = line.split(",")
            out.append(",".join([cells[0], f"{float(cells[1]) + float(cells[2]):.2f}", *cells[4:]]))
        else:
            out.append(line)
    path.write_text("\n".join(out))
    data, meta = read_pvgis_hourly(path)
    assert meta["models"]["dni"].startswith("Erbs")
    noon = data.loc[pd.Timestamp("2030-01-01 13:00", tz="UTC")]
    assert 0.0 < noon["dhi"] < noon["ghi"] and noon["dni"] > 0.0  # split into both parts, diffuse below global


# ---------------------------------------------------------------------------------------- coverage rules
def test_whole_years_pass_and_a_partial_year_is_refused_unless_allowed():
    hourly = lambda start, n: pd.date_range(start, periods=n, freq="h", tz="UTC")  # noqa: E731
    assert check_coverage(hourly("2030-01-01", 8760), "a") == 1.0
    assert check_coverage(hourly("2032-01-01", 8784), "leap") == 1.0  # 2032 is a leap year: 366 days
    assert check_coverage(hourly("2029-12-31 23:00", 2 * 8760), "two, shifted by a time zone") == 2.0
    with pytest.raises(
        WeatherDataError,
        match=r"w\.csv: covers 2030-01-01T00:00:00\+00:00 to 2030-01-15.*0\.04 "
        r"years.*--allow-partial-year",
    ):
        check_coverage(hourly("2030-01-01", 24 * 14), "w.csv")
    assert check_coverage(hourly("2030-01-01", 24 * 14), "w.csv", allow_partial_year=True) == pytest.approx(14 / 365.25)
    with pytest.raises(WeatherDataError, match="not a whole number of years"):
        check_coverage(hourly("2030-01-01", 8760 - 1), "one hour short")


def test_site_distance_by_haversine():
    # one degree of latitude is 2 pi R / 360 = 111.19 km (R = 6371 km)
    assert site_distance_km(23.0, -15.94, 24.0, -15.94) == pytest.approx(2 * math.pi * 6371 / 360)
    assert site_distance_km(23.71, -15.94, 23.71, -15.94) == 0.0


# ------------------------------------------------------------------------------------------- fallbacks
def test_fallbacks_fill_what_a_file_lacks_by_hand():
    clim = dataclasses.replace(
        load_climatology("dakhla"),
        wind_shear_exponent=np.full(12, 0.15),
        wind_shear_diurnal_amplitude=0.05,
        wind_shear_max_solar_hour=3.0,
    )
    idx = pd.date_range("2030-07-01", periods=31 * 24, freq="h", tz="UTC")
    data = pd.DataFrame({"ghi": 0.0, "dni": 0.0, "dhi": 0.0, "temp_air": 25.0, "wind_speed": 8.0}, index=idx)
    out, filled = complete_weather(data, clim, longitude=-15.94, elevation_m=10.0, source="f.csv")
    assert set(filled) == {"relative_humidity", "pressure", "temp_sea", "wind_speed_100m"}
    assert "climatology 'dakhla'" in filled["temp_sea"]
    # monthly curves keep the monthly means (July is month index 6)
    assert out["temp_sea"].mean() == pytest.approx(clim.temp_sea[6], abs=0.02)
    assert out["relative_humidity"].mean() == pytest.approx(clim.relative_humidity[6], abs=0.02)
    # ISO 2533 at 10 m: (1 - 2.25577e-5 * 10) ** 5.25588 = 0.998815; x 101500 Pa = 101379.7 Pa
    assert out["pressure"].iloc[0] == pytest.approx(101500 * (1 - 2.25577e-5 * 10) ** 5.25588, rel=1e-6)
    assert out["pressure"].iloc[0] == pytest.approx(101379.7, abs=0.1)
    # 15 July 04:00-05:00 UTC, mid-point 04:30 UTC; mean solar hour 4.5 - 15.94/15 = 3.43733 h;
    # alpha = 0.15 + 0.05 cos(2 pi (3.43733 - 3) / 24) = 0.15 + 0.05 x 0.993453 = 0.199673; 8 x 10**0.199673 = 12.6695
    v = out.loc[pd.Timestamp("2030-07-15 04:00", tz="UTC"), "wind_speed_100m"]
    assert v == pytest.approx(12.6695, abs=1e-3)
    # a column the file has is kept as it is
    again, filled_again = complete_weather(out.assign(temp_sea=19.0), clim, -15.94, 10.0)
    assert (again["temp_sea"] == 19.0).all() and filled_again == {}


# ---------------------------------------------------------------------------------------- the scenario path
def _scenario_on(path, allow=False):
    return with_weather_file(load_scenario("dakhla"), path, allow)


@pytest.mark.parametrize("writer", ["epw", "pvgis-tmy", "pvgis-hourly", "greendc"])
def test_every_file_format_gives_a_complete_year_for_the_scenario(tmp_path, year, writer):
    wx = year[["ghi", "dni", "dhi", "temp_air", "relative_humidity", "pressure", "wind_speed"]]
    path = {
        "epw": lambda: write_epw(tmp_path / "dakhla.epw", wx),
        "pvgis-tmy": lambda: write_pvgis_tmy_csv(tmp_path / "tmy.csv", wx),
        "pvgis-hourly": lambda: write_pvgis_hourly_csv(tmp_path / "series.csv", wx),
        "greendc": lambda: write_csv(wx, tmp_path / "w.csv"),
    }[writer]()
    data, meta = scenario_weather(_scenario_on(path))
    assert len(data) == 8760 and meta["years"] == 1.0
    # the default scenario cools with seawater: no file has the sea temperature, so the climatology gives it
    assert "temp_sea" in data and "temp_sea" in meta["fallbacks"]
    assert any(n.startswith("temp_sea: not in") for n in meta["notes"])
    assert "wind_speed_100m" in meta["fallbacks"]
    if writer == "pvgis-hourly":
        assert {"relative_humidity", "pressure"} <= set(meta["fallbacks"])
    else:
        assert "pressure" not in meta["fallbacks"]
        np.testing.assert_allclose(data["temp_air"].to_numpy(), wx["temp_air"].to_numpy(), atol=0.06)
    prov = WeatherProvenance.from_metadata(meta).to_dict()
    assert prov["source"] == path.name and "original" not in prov and prov["fallbacks"] == meta["fallbacks"]


def test_the_scenario_refuses_a_truncated_file_a_far_site_and_synthetic_options(tmp_path, year):
    truncated = write_epw(tmp_path / "cut.epw", year, hours=24 * 40)
    with pytest.raises(WeatherDataError, match=r"cut\.epw: covers .*not a whole number of years"):
        scenario_weather(_scenario_on(truncated))
    data, meta = scenario_weather(_scenario_on(truncated, allow=True))
    assert len(data) == 24 * 40 and any(n.startswith("partial year accepted") for n in meta["notes"])
    far = write_epw(tmp_path / "far.epw", year)
    far.write_text(far.read_text().replace(f",{23.71},{-15.94},", ",33.57,-7.59,", 1))  # Casablanca
    with pytest.raises(WeatherDataError, match=r"far\.epw: the file's site \(33\.570, -7\.590\) is 1,3\d\d km"):
        scenario_weather(_scenario_on(far))
    with pytest.raises(ScenarioError, match=r"--years apply to synthetic weather"):
        with_synthetic_years(_scenario_on(truncated), years=3, seed=None)
