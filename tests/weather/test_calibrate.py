"""Calibration of a climatology from weather: the round trip through the generator, a reanalysis-layout file
reproduced by weather generated from its fit, the written table, and the errors."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from tests.weather.files import ELEV, LAT, LON, reanalysis_like_years, write_era5_netcdf

from greendc.errors import WeatherDataError
from greendc.scenario.models import StressEvents
from greendc.weather.calibrate import calibrate_climatology
from greendc.weather.climatology import load_climatology, write_climatology
from greendc.weather.diagnostics import TOLERANCES, compare_weather, lull_statistics
from greendc.weather.readers import read_weather_at
from greendc.weather.synthetic import generate_weather


@pytest.fixture(scope="module")
def base():
    return load_climatology("dakhla")


@pytest.fixture(scope="module")
def truth(base):
    """Known parameters, away from the Dakhla defaults wherever the calibration fits them."""
    return dataclasses.replace(
        base, wind_shear_exponent=np.linspace(0.08, 0.2, 12), wind_shear_diurnal_amplitude=0.08,
        wind_shear_max_solar_hour=2.0, diffuse_fraction=np.full(12, 0.3), wind_diurnal_amplitude=0.12,
        wind_diurnal_peak_solar_hour=14.0, wind_diurnal_amplitude_2=0.04, wind_diurnal_peak_2_solar_hour=8.0,
        wind_synoptic_share=0.5, wind_hourly_lag1=0.8, synoptic_timescale_h=60.0, clearness_daily_lag1=0.4,
        wind_weibull_k_annual=2.5, temp_air_min_solar_hour=6.0, temp_air_max_solar_hour=14.0,
    )  # fmt: skip


@pytest.fixture(scope="module")
def fitted(truth, base):
    weather = generate_weather(LAT, LON, ELEV, truth, 10, 2030, seed=1, stress_events=StressEvents())
    return calibrate_climatology(weather, LAT, LON, ELEV, "fit", base, source="ten synthetic years")


# Tolerances: the largest error over six seeds (0-5, with and without stress events) of ten generated years,
# rounded up; a fit that misses its parameter fails them (e.g. the ghi level by 3 %, a shear by 0.01).
MONTHLY_TOLERANCES = {  # column -> (kind, tolerance)
    "ghi_kwh_per_m2_day": ("rel", 0.02),
    "clearness_cv": ("abs", 0.015),
    "temp_air_min": ("abs", 0.5),
    "temp_air_max": ("abs", 0.5),
    "relative_humidity": ("abs", 1.0),
    "wind_speed_10m": ("rel", 0.05),
    "wind_shear_exponent": ("abs", 0.005),
    "diffuse_fraction": ("abs", 0.005),
    "temp_sea": ("abs", 0.5),
}
SCALAR_TOLERANCES = {
    "clearness_daily_lag1": 0.06,
    "temp_air_min_solar_hour": 0.4,  # the parabola through hourly bins of the asymmetric shape: -0.25 h bias
    "temp_air_max_solar_hour": 0.4,  # +0.32 h bias
    "pressure_sea_level_pa": 25.0,
    "pressure_semidiurnal_amplitude_pa": 2.0,
    "wind_weibull_k_annual": 0.1,
    "wind_shear_diurnal_amplitude": 0.005,
    "wind_shear_max_solar_hour": 0.1,
    "wind_diurnal_amplitude": 0.01,
    "wind_diurnal_peak_solar_hour": 0.25,
    "wind_diurnal_amplitude_2": 0.01,
    "wind_diurnal_peak_2_solar_hour": 0.6,
    "wind_synoptic_share": 0.05,
    "wind_hourly_lag1": 0.03,
    # weakly identified beside the share (one seed of six gave 99 h for 60 h): a factor 2 either way
    "synoptic_timescale_h": 30.0,
    # ten years give ten annual means: a standard deviation known to +-25 % at best
    "ghi_interannual_cv": 0.012,
    "wind_interannual_cv": 0.03,
}


@pytest.mark.parametrize("column", list(MONTHLY_TOLERANCES))
def test_round_trip_monthly(truth, fitted, column):
    kind, tol = MONTHLY_TOLERANCES[column]
    error = np.abs(getattr(fitted, column) - getattr(truth, column))
    if kind == "rel":
        error = error / getattr(truth, column)
    assert error.max() <= tol, f"{column}: error {error.round(4)}"


@pytest.mark.parametrize("name", list(SCALAR_TOLERANCES))
def test_round_trip_scalars(truth, fitted, name):
    assert getattr(fitted, name) == pytest.approx(getattr(truth, name), abs=SCALAR_TOLERANCES[name])


def test_unfitted_numbers_kept_and_labelled(truth, fitted, base):
    # Hourly cloud texture and the stress-event seasons cannot be read from weather: kept from the base.
    assert fitted.clearness_hourly_spread == base.clearness_hourly_spread
    np.testing.assert_array_equal(fitted.dust_seasonality, base.dust_seasonality)
    assert fitted.sources["clearness_hourly_spread"].source.startswith("Not fitted from ten synthetic years")
    assert fitted.sources["wind_shear_exponent"].source.startswith("Fitted to ten synthetic years, 10 year(s)")
    assert fitted.sources["wind_shear_exponent"].confidence == "M"


def test_written_table_loads_back(fitted, tmp_path):
    path = write_climatology(fitted, tmp_path / "site" / "fit.csv")
    again = load_climatology(path)
    for name in ("ghi_kwh_per_m2_day", "wind_shear_exponent", "diffuse_fraction"):
        np.testing.assert_allclose(getattr(again, name), getattr(fitted, name), rtol=1e-5)
    assert again.wind_hourly_lag1 == pytest.approx(fitted.wind_hourly_lag1, rel=1e-5)
    assert again.sources["wind_hourly_lag1"] == fitted.sources["wind_hourly_lag1"]


@pytest.fixture(scope="module")
def era5_fit(tmp_path_factory):
    """Ten years whose wind is from an independent model, written as an ERA5 NetCDF, read and calibrated."""
    path = write_era5_netcdf(tmp_path_factory.mktemp("era5") / "era5.nc", reanalysis_like_years(10, 2001, 21))
    data, _ = read_weather_at(path, LAT, LON, ELEV)
    return data, calibrate_climatology(data, LAT, LON, ELEV, "era5", load_climatology("dakhla"), source="era5.nc")


def test_reanalysis_fit_recovers_the_shear_law(era5_fit):
    # The file's 100 m wind: alpha = 0.09 + 0.06 cos(2 pi (h - 4) / 24) + 0.03 cos(2 pi (month - 7) / 12).
    # Monthly means of log10(v100/v10) are those of alpha (the daily term averages out; the seasonal term is
    # constant within a calendar month): July 0.09 + 0.03 = 0.12, January 0.09 - 0.03 = 0.06, April 0.09.
    _, clim = era5_fit
    np.testing.assert_allclose(clim.wind_shear_exponent[[6, 0, 3]], [0.12, 0.06, 0.09], atol=0.002)
    assert clim.wind_shear_diurnal_amplitude == pytest.approx(0.06, abs=0.002)
    assert clim.wind_shear_max_solar_hour == pytest.approx(4.0, abs=0.1)
    # 10 m cycle: first harmonic 0.18 at 15 h, second 0.05 at 9 h (mod 12)
    assert clim.wind_diurnal_amplitude == pytest.approx(0.18, abs=0.01)
    assert clim.wind_diurnal_peak_solar_hour == pytest.approx(15.0, abs=0.2)
    assert clim.wind_diurnal_amplitude_2 == pytest.approx(0.05, abs=0.01)
    assert clim.wind_diurnal_peak_2_solar_hour == pytest.approx(9.0, abs=0.5)


@pytest.mark.parametrize("seed", [7, 8])
def test_weather_from_the_fit_reproduces_the_file(era5_fit, seed):
    # Monthly means, daily cycles and lull statistics of ten generated years beside the file's ten, each
    # within the tolerance of greendc.weather.diagnostics.TOLERANCES.
    data, clim = era5_fit
    generated = generate_weather(LAT, LON, ELEV, clim, 10, 2040, seed=seed)
    table = compare_weather(data, generated, LON)
    assert set(table["statistic"]) == set(TOLERANCES)
    failed = table[~table["ok"]]
    assert failed.empty, failed.to_string()


def test_compare_flags_a_wrong_climate(era5_fit, base):
    # The shipped Dakhla climatology (a steadier, windier 10 m wind, a constant shear) does not pass for the file.
    data, _ = era5_fit
    table = compare_weather(data, generate_weather(LAT, LON, ELEV, base, 10, 2040, seed=7), LON).set_index("statistic")
    assert not table.loc["wind_speed_100m_daily_cycle", "ok"]
    assert not table["ok"].all()


def test_lull_statistics_hand_counts():
    idx = pd.date_range("2030-01-01", periods=8760, freq="h", tz="UTC")
    v = pd.Series(9.0, index=idx)
    v.iloc[10:16] = 3.0  # 6 h: a spell
    v.iloc[100:105] = 3.9  # 5 h: lull hours, no spell
    v.iloc[200:230] = 0.0  # 30 h spell
    stats = lull_statistics(v)
    years = 8760 / 8766
    assert stats["hours_per_year"] == pytest.approx(41 / years, rel=1e-6)
    assert stats["spells_per_year"] == pytest.approx(2 / years, rel=1e-6)
    assert stats["mean_spell_h"] == 18.0
    assert stats["longest_spell_h"] == 30.0


def test_errors(base):
    weather = generate_weather(LAT, LON, ELEV, base, 1, 2030, seed=1)
    with pytest.raises(WeatherDataError, match=r"without column\(s\) \['wind_speed'\]"):
        calibrate_climatology(weather.drop(columns="wind_speed"), LAT, LON, ELEV, "x", base)
    with pytest.raises(WeatherDataError, match="not a whole number of years"):
        calibrate_climatology(weather.iloc[:5000], LAT, LON, ELEV, "x", base)
    with pytest.raises(WeatherDataError, match="longer than an hour"):
        calibrate_climatology(weather.resample("3h").mean(), LAT, LON, ELEV, "x", base)
