"""Tests of the climatology tables: the shipped Dakhla numbers against their sources, the loader's errors,
the mean-preserving monthly curve and the monthly summary."""

from __future__ import annotations

import dataclasses
import shutil
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from greendc.errors import DataFileError, ScenarioError, WeatherDataError
from greendc.weather.climatology import (
    CONFIDENCE_LEVELS,
    MONTHLY_COLUMNS,
    SCALARS,
    available_climatologies,
    load_climatology,
)
from greendc.weather.monthly import monthly_curve, monthly_summary

DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


@pytest.fixture(scope="module")
def clim():
    return load_climatology("dakhla")


@pytest.fixture
def table_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped Dakhla table pair, to be broken by the tests."""
    src = Path(str(resources.files("greendc") / "data" / "climatology"))
    shutil.copy(src / "dakhla.csv", tmp_path / "site.csv")
    shutil.copy(src / "dakhla_sources.csv", tmp_path / "site_sources.csv")
    return tmp_path / "site.csv"


def _set_cell(path: Path, month: int, column: str, text: str) -> None:
    """Replace the text of one cell of a monthly table (the row of ``month``), keeping the rest verbatim."""
    lines = path.read_text().splitlines(keepends=True)
    col = lines[0].rstrip("\n").split(",").index(column)
    row = next(i for i, ln in enumerate(lines) if ln.startswith(f"{month},"))
    cells = lines[row].rstrip("\n").split(",")
    cells[col] = text
    lines[row] = ",".join(cells) + "\n"
    path.write_text("".join(lines))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, "test set-up: the text to replace is not in the file"
    path.write_text(text.replace(old, new, 1))


# --- the shipped numbers against their sources -----------------------------------------------------------


def test_dakhla_is_shipped():
    assert "dakhla" in available_climatologies()


def test_ghi_level_is_the_station_annual_mean(clim):
    # 'Renewable energy in south of Morocco and prospects' (abstract): annual mean GHI 5.54 kWh/m2/day at
    # Dakhla. The day-weighted mean of the monthly column must give it back (rounding of 3 decimals).
    annual = float((clim.ghi_kwh_per_m2_day * DAYS).sum() / 365.0)
    assert annual == pytest.approx(5.54, abs=0.005)


def test_ghi_shape_is_merra2_shape(clim):
    # MERRA-2 monthly means, cell 24 N 15 W (gsee-climate-data, 2011-2015), used only for the shape:
    # the table must be MERRA-2 times one constant factor 5.54 / 6.3202 (MERRA-2 day-weighted annual mean).
    merra2 = np.array([4.69, 5.81, 6.80, 7.41, 7.80, 7.88, 7.45, 6.94, 6.42, 5.64, 4.73, 4.26])
    factor = 5.54 / ((merra2 * DAYS).sum() / 365.0)
    np.testing.assert_allclose(clim.ghi_kwh_per_m2_day, merra2 * factor, atol=6e-4)


def test_ghi_below_clear_sky(clim):
    # Clear-sky GHI (Ineichen with the pvlib Linke turbidity climatology) per month, from the reference
    # computation with pvlib Location.get_clearsky: the targets must lie below it (clear-sky index < 1).
    clear = np.array([4.82, 5.73, 6.63, 7.37, 7.69, 7.80, 7.69, 7.29, 6.71, 5.82, 4.93, 4.45])
    assert (clim.ghi_kwh_per_m2_day / clear < 0.95).all()


def test_monthly_values_copied_from_sources(clim):
    # Linke turbidity: pvlib 0.16.1 lookup_linke_turbidity(23.71, -15.94) (SoDa/Meteotest climatology).
    linke = [2.90, 3.45, 3.60, 3.90, 3.85, 3.90, 4.15, 3.85, 3.65, 3.25, 3.15, 2.90]
    # Day-to-day CV of daily GHI from MERRA-2 PDFs (gsee-climate-data, cell 24 N 15 W).
    cv = [0.15, 0.11, 0.12, 0.13, 0.10, 0.08, 0.08, 0.10, 0.15, 0.16, 0.18, 0.16]
    # 1991-2020 normals for Dakhla quoted by climieviaggi.it.
    t_min = [15, 15, 16, 16, 17, 18, 19, 20, 20, 20, 18, 16]
    t_max = [22, 22, 23, 23, 23, 24, 25, 26, 27, 26, 25, 23]
    np.testing.assert_array_equal(clim.linke_turbidity, linke)
    np.testing.assert_array_equal(clim.clearness_cv, cv)
    np.testing.assert_array_equal(clim.temp_air_min, t_min)
    np.testing.assert_array_equal(clim.temp_air_max, t_max)


def test_wind_cycle_meets_its_three_sourced_facts(clim):
    # Annual mean 7.64 m/s at 10 m ('Renewable energy in south of Morocco and prospects'); July the windiest
    # month at 10.12 m/s, December the least windy ('Prospects for Wind Energy in Southern Morocco and
    # Northern Mauritania').
    assert clim.wind_speed_10m.mean() == pytest.approx(7.64, abs=0.005)
    assert int(np.argmax(clim.wind_speed_10m)) + 1 == 7
    assert clim.wind_speed_10m[6] == pytest.approx(10.12)
    assert int(np.argmin(clim.wind_speed_10m)) + 1 == 12


def test_diffuse_fraction_is_the_monthly_erbs_correlation(clim):
    # Erbs, Klein & Duffie (1982), monthly-average form, by hand: K = H / H0 with H0 the mean daily
    # extraterrestrial horizontal irradiation of the month at 23.71 N (Duffie & Beckman eq. 1.10.3, Cooper's
    # declination, 1367 W/m2); the branch by the month's mean sunset hour angle (81.4 deg).
    lat = np.radians(23.71)
    n = np.arange(1, 366)
    dec = np.radians(23.45) * np.sin(2 * np.pi * (284 + n) / 365)
    ws = np.arccos(-np.tan(lat) * np.tan(dec))
    h0 = (24 * 3600 * 1367 / np.pi * (1 + 0.033 * np.cos(2 * np.pi * n / 365))
          * (np.cos(lat) * np.cos(dec) * np.sin(ws) + ws * np.sin(lat) * np.sin(dec)) / 3.6e6)  # fmt: skip
    month = np.repeat(np.arange(12), DAYS)
    h0_month = np.bincount(month, h0) / DAYS
    ws_month = np.degrees(np.bincount(month, ws) / DAYS)
    k = clim.ghi_kwh_per_m2_day / h0_month
    erbs = np.where(ws_month <= 81.4, 1.391 - 3.560 * k + 4.189 * k**2 - 2.137 * k**3,
                    1.311 - 3.022 * k + 3.427 * k**2 - 1.821 * k**3)  # fmt: skip
    np.testing.assert_allclose(clim.diffuse_fraction, erbs, atol=6e-4)
    annual = (clim.diffuse_fraction * clim.ghi_kwh_per_m2_day * DAYS).sum() / (clim.ghi_kwh_per_m2_day * DAYS).sum()
    assert 0.30 <= annual <= 0.33  # the Erbs and Page correlations at an annual clearness of 0.60


def test_dust_season_peaks_in_summer(clim):
    # Southern-Moroccan AERONET: AOD maximum Jul-Aug, minimum Dec-Jan (Bencherif et al. 2022).
    assert int(np.argmax(clim.dust_seasonality)) + 1 in (7, 8)
    assert int(np.argmin(clim.dust_seasonality)) + 1 in (12, 1)


def test_every_number_has_a_source(clim):
    assert set(clim.sources) == set(MONTHLY_COLUMNS) | set(SCALARS)
    for name, src in clim.sources.items():
        assert src.confidence in CONFIDENCE_LEVELS, name
        assert len(src.source) > 20, name
        expected_unit = (MONTHLY_COLUMNS | SCALARS)[name][0]
        assert src.unit == expected_unit, name


# --- loader errors ---------------------------------------------------------------------------------------


def test_user_table_loads(table_copy):
    assert load_climatology(table_copy).name == "site"
    assert load_climatology(str(table_copy)).wind_speed_10m[6] == pytest.approx(10.12)


def test_missing_month(table_copy):
    lines = table_copy.read_text().splitlines(keepends=True)
    table_copy.write_text("".join(ln for ln in lines if not ln.startswith("5,")))
    with pytest.raises(DataFileError, match=r"missing month\(s\) \[5\]"):
        load_climatology(table_copy)


def test_duplicated_month(table_copy):
    _edit(table_copy, "\n5,", "\n3,")
    with pytest.raises(DataFileError, match=r"month 3 appears twice \(lines 4 and 6\)"):
        load_climatology(table_copy)


def test_non_numeric_value_names_column_line_and_month(table_copy):
    _set_cell(table_copy, 3, "temp_air_max", "abc")
    with pytest.raises(DataFileError) as err:
        load_climatology(table_copy)
    message = str(err.value)
    for part in ("site.csv", "'temp_air_max'", "line 4", "month 3", "'abc' is not a number"):
        assert part in message


def test_out_of_range_value(table_copy):
    _set_cell(table_copy, 7, "ghi_kwh_per_m2_day", "-6.53")
    with pytest.raises(DataFileError, match=r"'ghi_kwh_per_m2_day' = -6.53 kWh/m2/day in month 7 is outside"):
        load_climatology(table_copy)


def test_min_above_max(table_copy):
    _set_cell(table_copy, 9, "temp_air_min", "28")
    _set_cell(table_copy, 9, "temp_air_max", "27")
    with pytest.raises(DataFileError, match=r"month 9: temp_air_min = 28 degC exceeds temp_air_max = 27"):
        load_climatology(table_copy)


def test_renamed_column(table_copy):
    text = table_copy.read_text().replace(",temp_sea,", ",sea_temperature,", 1)
    table_copy.write_text(text)
    with pytest.raises(DataFileError, match=r"missing column\(s\) \['temp_sea'\]"):
        load_climatology(table_copy)


def test_missing_sources_file(table_copy):
    (table_copy.parent / "site_sources.csv").unlink()
    with pytest.raises(DataFileError, match=r"site_sources\.csv' not found"):
        load_climatology(table_copy)


def test_scalar_not_a_number(table_copy):
    _edit(
        table_copy.parent / "site_sources.csv",
        "pressure_sea_level_pa,scalar,101500,",
        "pressure_sea_level_pa,scalar,x,",
    )
    with pytest.raises(DataFileError, match=r"line \d+ \('pressure_sea_level_pa'\): 'x' is not a number"):
        load_climatology(table_copy)


def test_scalar_row_missing(table_copy):
    path = table_copy.parent / "site_sources.csv"
    lines = [ln for ln in path.read_text().splitlines(keepends=True) if not ln.startswith("wind_weibull_k_annual,")]
    path.write_text("".join(lines))
    with pytest.raises(DataFileError, match=r"no row for \['wind_weibull_k_annual'\]"):
        load_climatology(table_copy)


def test_wrong_unit(table_copy):
    path = table_copy.parent / "site_sources.csv"
    _edit(path, "pressure_sea_level_pa,scalar,101500,Pa,", "pressure_sea_level_pa,scalar,1015,hPa,")
    with pytest.raises(DataFileError, match=r"'pressure_sea_level_pa'\): unit 'hPa', expected 'Pa'"):
        load_climatology(table_copy)


def test_unknown_shipped_name():
    with pytest.raises(ScenarioError, match=r"site.climatology = 'atlantis' is not a shipped climatology"):
        load_climatology("atlantis")


def test_missing_path():
    with pytest.raises(DataFileError, match="not found"):
        load_climatology("no/such/table.csv")


def test_replace_revalidates(clim):
    with pytest.raises(DataFileError, match=r"scalar 'wind_shear_diurnal_amplitude' = 0.9 1 is outside"):
        dataclasses.replace(clim, wind_shear_diurnal_amplitude=0.9)
    with pytest.raises(DataFileError, match=r"column 'diffuse_fraction' = 0.95 1 in month 12 is outside"):
        dataclasses.replace(clim, diffuse_fraction=np.r_[clim.diffuse_fraction[:11], 0.95])


# --- monthly curve and summary ---------------------------------------------------------------------------


def test_monthly_curve_keeps_monthly_means():
    # Hand check: averaging the curve over each month (fine uniform sampling of the month position) gives
    # back the monthly values, here a sharp July peak that plain interpolation would flatten.
    values = np.array([6.0, 6.0, 6.0, 6.0, 7.0, 9.0, 12.0, 9.0, 7.0, 6.0, 6.0, 6.0])
    x = (np.arange(12 * 1000) + 0.5) / 1000.0
    means = monthly_curve(values, x).reshape(12, 1000).mean(axis=1)
    np.testing.assert_allclose(means, values, atol=1e-6)
    plain = monthly_curve(values, x, mean_preserving=False)
    # plain interpolation flattens the July peak to (n_jun + 6 n_jul + n_aug) / 8 = (9 + 72 + 9) / 8
    assert plain.reshape(12, 1000).mean(axis=1)[6] == pytest.approx(11.25)
    assert plain.min() >= values.min() and plain.max() <= values.max()
    np.testing.assert_allclose(monthly_curve(values, np.arange(12) + 0.5, mean_preserving=False), values)


def test_monthly_summary_by_hand(clim):
    # January 2030, hourly: a constant 250 W/m2 is 250 * 24 / 1000 = 6.0 kWh/m2/day.
    index = pd.date_range("2030-01-01", periods=31 * 24, freq="1h", tz="UTC")
    weather = pd.DataFrame({"ghi": 250.0, "temp_air": 19.0, "wind_speed": 7.0}, index=index)
    summary = monthly_summary(weather, clim)
    assert list(summary.index) == [1]
    row = summary.loc[1]
    assert row["ghi_kwh_per_m2_day"] == pytest.approx(6.0)
    assert row["ghi_target_kwh_per_m2_day"] == pytest.approx(4.111)
    assert row["temp_air_mean"] == pytest.approx(19.0)
    assert row["temp_air_target"] == pytest.approx((15 + 22) / 2)
    assert row["wind_speed_mean"] == pytest.approx(7.0)
    assert row["wind_speed_target"] == pytest.approx(6.36)


def test_monthly_summary_needs_columns(clim):
    index = pd.date_range("2030-01-01", periods=3, freq="1h", tz="UTC")
    with pytest.raises(WeatherDataError, match=r"lacks column\(s\) \['wind_speed'\]"):
        monthly_summary(pd.DataFrame({"ghi": 1.0, "temp_air": 1.0}, index=index), clim)
