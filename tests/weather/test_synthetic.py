"""Tests of the synthetic weather generator against the Dakhla climatology sources and physical relations.

Most checks use one 5-year run (2027-2031, spanning the leap year 2028) with the per-year anomalies of
the GHI and wind levels switched off ("climatological mode"): the table targets are climatological
expectations, and the anomalies are a deliberate random offset tested on their own.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pvlib
import pytest

from greendc.errors import DataFileError, ScenarioError
from greendc.scenario.models import Site, StressEvents, Weather
from greendc.weather.climatology import load_climatology
from greendc.weather.schema import check_weather
from greendc.weather.synthetic import (
    ar1,
    diurnal_temperature_shape,
    generate_weather,
    stratified_uniform,
    synthetic_weather,
)
from greendc.weather.synthetic.wind import wind_weibull_shape_within_month

LAT, LON, ELEV = 23.71, -15.94, 10.0
NO_EVENTS = StressEvents(heat_waves_per_year=0.0, dust_episodes_per_year=0.0, long_lulls_per_year=0.0)


@pytest.fixture(scope="module")
def clim():
    return load_climatology("dakhla")


@pytest.fixture(scope="module")
def wx5(clim):
    steady = dataclasses.replace(clim, ghi_interannual_cv=0.0, wind_interannual_cv=0.0)
    return generate_weather(LAT, LON, ELEV, steady, years=5, start_year=2027, seed=11)


@pytest.fixture(scope="module")
def solpos(wx5):
    """Independent solar position (pvlib SPA, not the generator's ephemeris) at the period mid-points."""
    return pvlib.solarposition.get_solarposition(wx5.index + pd.Timedelta("30min"), LAT, LON, altitude=ELEV)


def _longest_run(flags: np.ndarray) -> int:
    best = run = 0
    for f in flags:
        run = run + 1 if f else 0
        best = max(best, run)
    return best


# --- frame and calendar -----------------------------------------------------------------------------------


def test_canonical_frame_with_leap_day(wx5):
    check_weather(wx5, source="synthetic")  # tz-aware UTC, regular, ranges, GHI below extraterrestrial
    assert wx5.attrs["latitude"] == LAT and wx5.attrs["longitude"] == LON
    assert len(wx5) == 24 * (4 * 365 + 366)  # 2027-2031, 2028 is a leap year (Gregorian rule)
    assert pd.Timestamp("2028-02-29 12:00", tz="UTC") in wx5.index
    assert wx5.index[0] == pd.Timestamp("2027-01-01", tz="UTC")
    assert wx5.index[-1] == pd.Timestamp("2031-12-31 23:00", tz="UTC")


def test_sub_hourly_step(clim):
    wx = generate_weather(LAT, LON, ELEV, clim, 1, 2030, seed=1, freq="15min")
    check_weather(wx)
    assert len(wx) == 4 * 8760


# --- irradiance -------------------------------------------------------------------------------------------


def test_monthly_and_annual_ghi_meet_targets(wx5, clim):
    # Targets: 5.54 kWh/m2/day annual ('Renewable energy in south of Morocco and prospects') with the
    # MERRA-2 monthly shape. Tolerances: +-5 % per month, +-2 % per year. The generator imposes the mean
    # daily clear-sky index of every month exactly (stratified Beta quantiles), so what remains is the
    # quantile discretisation and the clipping of the hourly index at clear sky (< 1 %); +-5 % is the
    # order of the year-to-year spread of monthly means and +-2 % that of annual GHI (Gueymard & Wilcox,
    # Solar Energy 85, 2011), so a generator outside them would be visibly mis-calibrated.
    monthly = wx5["ghi"].groupby(wx5.index.month).mean() * 24.0 / 1000.0
    np.testing.assert_allclose(monthly.to_numpy(), clim.ghi_kwh_per_m2_day, rtol=0.05)
    assert wx5["ghi"].mean() * 24.0 / 1000.0 == pytest.approx(5.54, rel=0.02)


def test_ghi_never_above_clear_sky(wx5, clim, solpos):
    # Independent envelope: pvlib Ineichen clear sky with SPA geometry and the lowest monthly Linke
    # turbidity of the table (2.90, so the clearest sky of any month); 1 W/m2 for the geometry difference.
    location = pvlib.location.Location(LAT, LON, altitude=ELEV)
    clear = location.get_clearsky(
        wx5.index + pd.Timedelta("30min"), solar_position=solpos, linke_turbidity=clim.linke_turbidity.min()
    )
    assert (wx5["ghi"].to_numpy() <= clear["ghi"].to_numpy() + 1.0).all()
    assert (wx5["ghi"] >= 0.0).all()


def test_decomposition_closure_and_erbs(wx5, solpos, clim):
    # Closure ghi = dhi + dni cos(zenith) to 1 W/m2; DHI is the Erbs et al. (1982) split of GHI as computed
    # by pvlib.irradiance.erbs times one factor per month of each year (hours at a bound excepted: the
    # clear-sky cap on DNI or DHI = GHI), so that each month meets the table's diffuse fraction.
    cos_z = np.cos(np.radians(solpos["zenith"].to_numpy()))
    closure = wx5["ghi"] - wx5["dhi"] - wx5["dni"] * cos_z
    assert np.abs(closure).max() < 1.0
    doy = (wx5.index + pd.Timedelta("30min")).day_of_year.to_numpy()
    erbs = pvlib.irradiance.erbs(wx5["ghi"].to_numpy(), solpos["zenith"].to_numpy(), doy)["dhi"]
    inside = (erbs > 20.0) & (wx5["dhi"] < wx5["ghi"] - 1.0)
    ratio = (wx5["dhi"] / erbs)[inside]
    by_block = ratio.groupby([ratio.index.year, ratio.index.month])
    spread = (by_block.quantile(0.9) - by_block.quantile(0.1)) / by_block.median()
    assert spread.max() < 0.02
    block = wx5.groupby([wx5.index.year, wx5.index.month])
    fraction = (block["dhi"].sum() / block["ghi"].sum()).to_numpy()
    target = clim.diffuse_fraction[block["dhi"].sum().index.get_level_values(1).to_numpy() - 1]
    np.testing.assert_allclose(fraction, target, atol=0.005)


def test_diffuse_share_and_dni_in_reference_ranges(wx5):
    # Dakhla reference ranges (Erbs split of a year scaled to 5.54 kWh/m2/day): annual DHI/GHI 0.32-0.42,
    # annual DNI 1660-2120 kWh/m2/yr (nearest measured: Laayoune 2026 kWh/m2/yr estimated).
    assert 0.32 <= wx5["dhi"].sum() / wx5["ghi"].sum() <= 0.42
    dni_kwh_per_m2_year = wx5["dni"].sum() / 1000.0 / 5.0
    assert 1660.0 <= dni_kwh_per_m2_year <= 2120.0


def test_daily_variability_matches_monthly_cv(wx5, clim):
    # MERRA-2 day-to-day CV of daily GHI (gsee-climate-data), a floor since reanalysis under-states
    # variability. The generator sets the CV of the daily clear-sky index to it; the within-month trend of
    # clear-sky GHI adds at most a few %: accept 0.85x to 1.3x.
    daily = wx5["ghi"].resample("1D").sum()
    cv = daily.groupby(daily.index.month).std() / daily.groupby(daily.index.month).mean()
    ratio = cv.to_numpy() / clim.clearness_cv
    assert (ratio > 0.85).all() and (ratio < 1.3).all()


# --- temperature, humidity, pressure, sea -----------------------------------------------------------------


def test_monthly_temperature_is_normal_mean(wx5, clim):
    # 1991-2020 normals (climieviaggi.it): monthly mean = (Tmin + Tmax) / 2 within 1 K.
    monthly = wx5["temp_air"].groupby(wx5.index.month).mean().to_numpy()
    np.testing.assert_allclose(monthly, 0.5 * (clim.temp_air_min + clim.temp_air_max), atol=1.0)


def test_daily_extremes_at_sourced_hours(wx5):
    # meteoatlas.pl (Dakhla, October): minimum 08-10 h, maximum 16-18 h local (UTC+1), i.e. about 06-08 h
    # and 14-16 h mean solar time. Accept the maximum in the afternoon (12-18 h solar) and the minimum in
    # the morning (04-10 h) on at least 90 % of days.
    solar_hour = ((wx5.index.hour + 0.5 + LON / 15.0) % 24.0).to_numpy()
    solar_day = np.floor((wx5.index.as_unit("ns").asi8 / 3.6e12 + 0.5 + LON / 15.0) / 24.0)
    frame = pd.DataFrame({"t": wx5["temp_air"].to_numpy(), "h": solar_hour, "d": solar_day})
    frame = frame[frame.groupby("d")["t"].transform("size") == 24]
    h_max = frame.loc[frame.groupby("d")["t"].idxmax(), "h"]
    h_min = frame.loc[frame.groupby("d")["t"].idxmin(), "h"]
    assert ((h_max >= 12.0) & (h_max <= 18.0)).mean() > 0.9
    assert ((h_min >= 4.0) & (h_min <= 10.0)).mean() > 0.9


def test_diurnal_shape_by_hand():
    # Half cosines: minimum 0 at 07 h, maximum 1 at 15 h, 1/2 halfway up (11 h) and halfway down (23 h).
    hours = np.array([7.0, 11.0, 15.0, 23.0])
    np.testing.assert_allclose(diurnal_temperature_shape(hours, 7.0, 15.0), [0.0, 0.5, 1.0, 0.5], atol=1e-12)
    fine = np.arange(0.0, 24.0, 0.001)
    assert diurnal_temperature_shape(fine, 7.0, 15.0).mean() == pytest.approx(0.5, abs=1e-4)


def test_relative_humidity(wx5, clim):
    # The table's monthly means within 3 points (heat waves dry the air a little); at a nearly fixed dew point
    # RH falls as temperature rises through the day (Magnus), so their departures from the daily means
    # anti-correlate.
    monthly = wx5["relative_humidity"].groupby(wx5.index.month).mean().to_numpy()
    np.testing.assert_allclose(monthly, clim.relative_humidity, atol=3.0)
    daily = wx5[["temp_air", "relative_humidity"]].resample("1D").transform("mean")
    anomaly = wx5[["temp_air", "relative_humidity"]] - daily
    assert anomaly["temp_air"].corr(anomaly["relative_humidity"]) < -0.5


def test_pressure_and_sea(wx5, clim):
    # 1015 hPa at sea level reduced to 10 m by the standard atmosphere (pvlib alt2pres); subtropical
    # synoptic and tidal swings stay within a few hPa.
    expected = 101500.0 * pvlib.atmosphere.alt2pres(ELEV) / pvlib.atmosphere.alt2pres(0.0)
    assert wx5["pressure"].mean() == pytest.approx(expected, abs=100.0)
    assert wx5["pressure"].std() < 1000.0
    # Sea-surface temperature near Dakhla 17-23 C through the year (seatemperature.net, wetter.de).
    monthly_sea = wx5["temp_sea"].groupby(wx5.index.month).mean().to_numpy()
    np.testing.assert_allclose(monthly_sea, clim.temp_sea, atol=0.5)
    assert 16.0 < wx5["temp_sea"].min() and wx5["temp_sea"].max() < 24.0


# --- wind -------------------------------------------------------------------------------------------------


def test_wind_mean_and_season(wx5):
    # 7.64 m/s annual mean at 10 m (S. Morocco station study) within 5 %; July the windiest month
    # ('Prospects for Wind Energy in Southern Morocco and Northern Mauritania').
    assert wx5["wind_speed"].mean() == pytest.approx(7.64, rel=0.05)
    monthly = wx5["wind_speed"].groupby(wx5.index.month).mean()
    assert int(monthly.idxmax()) == 7


def test_wind_distribution(wx5):
    # Calms (< 0.5 m/s, the WMO calm) under 4 % of the time ('Renewable energy in south of Morocco and
    # prospects'); wind power density 462 W/m2 at 10 m (Prospects ... chapter) at 1.19 kg/m3, within 10 %.
    assert (wx5["wind_speed"] < 0.5).mean() < 0.04
    power_density = 0.5 * 1.19 * (wx5["wind_speed"] ** 3).mean()
    assert power_density == pytest.approx(462.0, rel=0.10)


def test_wind_diurnal_maximum_in_afternoon(wx5):
    # Maximum about 16:00 local time (Prospects ... chapter): 14-17 h UTC on either clock Morocco used.
    by_hour = wx5["wind_speed"].groupby(wx5.index.hour).mean()
    assert 14 <= int(by_hour.idxmax()) <= 17


def test_wind_autocorrelation_and_lulls(wx5):
    # Hourly wind speed is strongly persistent: lag-1 autocorrelation above 0.8 (Brown, Katz & Murphy,
    # J. Climate Appl. Meteor. 23, 1984, report hourly series of this kind).
    assert wx5["wind_speed"].autocorr(1) > 0.8
    # Synoptic lulls: some days average under half the mean wind.
    daily = wx5["wind_speed"].resample("1D").mean()
    assert (daily < 0.5 * daily.mean()).any()


def test_wind_at_100m_level_and_cycle(wx5):
    # Zekeik et al. (J. Mar. Sci. Eng. 12, 2024, 460): 582-672 W/m2 at 100 m along the southern Moroccan coast
    # (ERA5 1981-2020), at 1.19 kg/m3; mean 8.5-9.0 m/s. The hub-height wind is steadier than the 10 m wind:
    # its afternoon maximum is at most half as strong (night shear), and it is calm less often.
    power_density = 0.5 * 1.19 * (wx5["wind_speed_100m"] ** 3).mean()
    assert 582.0 <= power_density <= 672.0
    assert 8.3 <= wx5["wind_speed_100m"].mean() <= 9.0
    cycles = {c: wx5[c].groupby(wx5.index.hour).mean() for c in ("wind_speed", "wind_speed_100m")}
    swing = {c: v.max() / v.mean() - 1.0 for c, v in cycles.items()}
    assert swing["wind_speed_100m"] <= 0.5 * swing["wind_speed"]
    night = cycles["wind_speed_100m"][3] / cycles["wind_speed"][3]  # 02 h solar time
    day = cycles["wind_speed_100m"][16] / cycles["wind_speed"][16]  # 15 h solar time
    assert night > day * 1.2


def test_wind_at_100m_follows_the_shear_cycle(clim):
    # v100 / v10 = 10 ** alpha(t), alpha = monthly exponent + A cos(2 pi (h - h_max) / 24) in solar time.
    # Hand values for a flat 0.12 with A = 0.06 at 03 h: 10**0.18 = 1.5136 at 03 h solar time, 10**0.06 =
    # 1.1482 at 15 h; at 15.94 W the solar hour is UTC - 1.06 h (mean), +-0.27 h from the equation of time.
    table = dataclasses.replace(
        clim, wind_shear_exponent=np.full(12, 0.12), wind_shear_diurnal_amplitude=0.06, wind_shear_max_solar_hour=3.0
    )
    wx = generate_weather(23.71, -15.94, 10.0, table, 1, 2030, seed=3)
    ratio = (wx["wind_speed_100m"] / wx["wind_speed"]).groupby(wx.index.hour).mean()
    # hour stamps the period start; the mid-point of the 04 h UTC period is 03:26 mean solar time
    assert ratio[4] == pytest.approx(10.0 ** (0.12 + 0.06 * np.cos(2 * np.pi * 0.43 / 24)), rel=0.003)
    assert ratio[16] == pytest.approx(10.0 ** (0.12 - 0.06 * np.cos(2 * np.pi * 0.43 / 24)), rel=0.003)
    assert ratio.max() == pytest.approx(10**0.18, rel=0.003)
    assert ratio.min() == pytest.approx(10**0.06, rel=0.003)


def test_ar1_statistics():
    # Stationary AR(1): unit variance and lag-1 autocorrelation phi (standard result), on 200 000 draws
    # (standard errors about 0.003 and 0.002).
    x = ar1(np.random.default_rng(0), 200_000, 0.9)
    assert x.std() == pytest.approx(1.0, abs=0.02)
    assert np.corrcoef(x[:-1], x[1:])[0, 1] == pytest.approx(0.9, abs=0.01)


def test_stratified_uniform_by_hand():
    # Ranks within each block as mid-point probabilities (rank + 0.5) / n: block 0 holds 3, 1, 2 (ranks
    # 2, 0, 1 of 3), block 1 holds 5, 4 (ranks 1, 0 of 2).
    u = stratified_uniform(np.array([3.0, 1.0, 2.0, 5.0, 4.0]), np.array([0, 0, 0, 1, 1]))
    np.testing.assert_allclose(u, [5 / 6, 1 / 6, 3 / 6, 3 / 4, 1 / 4])


def test_impossible_tables_are_refused(clim):
    # GHI 20 % above the table exceeds the Ineichen clear sky, first in January (4.93 vs 4.82 kWh/m2/day).
    brighter = dataclasses.replace(clim, ghi_kwh_per_m2_day=clim.ghi_kwh_per_m2_day * 1.2)
    with pytest.raises(DataFileError, match=r"'ghi_kwh_per_m2_day' = 4\.93\d* in month 1 is 1\.0\d x the Ineichen"):
        generate_weather(LAT, LON, ELEV, brighter, 1, 2030, seed=1)
    # A strong diurnal cycle alone spreads the wind more than an annual Weibull shape of 5 allows.
    narrow = dataclasses.replace(clim, wind_weibull_k_annual=5.0, wind_diurnal_amplitude=0.9)
    with pytest.raises(DataFileError, match="wind_weibull_k_annual = 5 is too narrow"):
        wind_weibull_shape_within_month(narrow)


# --- year-to-year variability, seeds ----------------------------------------------------------------------


def test_year_to_year_anomalies(clim):
    # With the anomalies on, the standard deviation s of the 5 annual levels around the target must be
    # plausible for the table's sigma: (n-1) s^2 / sigma^2 is chi-square with 4 dof, whose 0.1 % and 99.9 %
    # quantiles are 0.091 and 18.47, so 0.15 sigma < s < 2.15 sigma.
    wx = generate_weather(LAT, LON, ELEV, clim, years=5, start_year=2030, seed=3)
    years = wx.index.year
    ghi_rel = (wx["ghi"].groupby(years).mean() * 24.0 / 1000.0 / 5.54 - 1.0).to_numpy()
    wind_rel = (wx["wind_speed"].groupby(years).mean() / 7.64 - 1.0).to_numpy()
    for rel, sigma in ((ghi_rel, clim.ghi_interannual_cv), (wind_rel, clim.wind_interannual_cv)):
        s = np.sqrt(np.sum(rel**2) / 4.0)
        assert 0.15 * sigma < s < 2.15 * sigma


def test_same_seed_same_weather_other_seed_differs(clim):
    a = generate_weather(LAT, LON, ELEV, clim, 1, 2030, seed=7, stress_events=StressEvents())
    b = generate_weather(LAT, LON, ELEV, clim, 1, 2030, seed=7, stress_events=StressEvents())
    c = generate_weather(LAT, LON, ELEV, clim, 1, 2030, seed=8, stress_events=StressEvents())
    pd.testing.assert_frame_equal(a, b)
    daylight = a["ghi"] > 0
    assert (a["ghi"] != c["ghi"])[daylight].mean() > 0.9
    assert (a["wind_speed"] != c["wind_speed"]).mean() > 0.9


# --- stress events ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base(clim):
    return generate_weather(LAT, LON, ELEV, clim, 1, 2030, seed=5, stress_events=NO_EVENTS)


def _with(clim, **rates):
    events = NO_EVENTS.model_copy(update=rates)
    return generate_weather(LAT, LON, ELEV, clim, 1, 2030, seed=5, stress_events=events)


def test_no_events_same_as_none(clim, base):
    pd.testing.assert_frame_equal(base, generate_weather(LAT, LON, ELEV, clim, 1, 2030, seed=5))
    assert (base["dust"] == 0.0).all()


def test_heat_wave(clim, base):
    # Chergui: DGM alerts of 42-47 C in the Saharan provinces; hot and dry (RH about 15 % at 40 C).
    # Ten per year (Poisson, P(none) = e^-10) with the default 44 C peak must exceed 38 C somewhere, with
    # dry air at the hottest hour; without events the normals (max 27 C) leave it far below.
    wx = _with(clim, heat_waves_per_year=10.0)
    check_weather(wx)
    hottest = wx["temp_air"].idxmax()
    assert wx.loc[hottest, "temp_air"] > 38.0
    assert wx.loc[hottest, "relative_humidity"] < 30.0
    assert base["temp_air"].max() < 32.0


def test_dust_cuts_irradiance(clim, base):
    wx = _with(clim, dust_episodes_per_year=10.0)
    check_weather(wx)
    dust = wx["dust"].to_numpy()
    assert dust.max() > 0.5
    # G = G_undisturbed (1 - r D) with r = dust_ghi_reduction; identical where there is no dust.
    np.testing.assert_allclose(wx["ghi"], base["ghi"] * (1.0 - 0.4 * dust), atol=1e-9)
    assert wx["ghi"].sum() < base["ghi"].sum()
    # A lower clearness index raises the Erbs diffuse fraction: the beam loses a larger share than GHI.
    hit = dust > 0.3
    ghi_loss = 1.0 - wx["ghi"][hit].sum() / base["ghi"][hit].sum()
    dni_loss = 1.0 - wx["dni"][hit].sum() / base["dni"][hit].sum()
    assert dni_loss > ghi_loss > 0.0


def test_long_lull(clim, base):
    # Ten 6-day lulls a year at 30 % of the wind: some run of at least 4 consecutive days (ramps of 12 h at
    # each end) must average below 3 m/s, longer than any such run of the undisturbed weather.
    wx = _with(clim, long_lulls_per_year=10.0, long_lull_days=6.0)
    low = (wx["wind_speed"].resample("1D").mean() < 3.0).to_numpy()
    low_base = (base["wind_speed"].resample("1D").mean() < 3.0).to_numpy()
    assert _longest_run(low) >= 4
    assert _longest_run(low) > _longest_run(low_base)


# --- scenario wiring and bad input ------------------------------------------------------------------------


def test_synthetic_weather_from_scenario(clim):
    site, weather = Site(), Weather(years=1, start_year=2030, seed=3)
    wx = synthetic_weather(site, weather)
    check_weather(wx)
    expected = generate_weather(
        site.latitude, site.longitude, site.elevation_m, clim, 1, 2030, 3, weather.stress_events
    )
    pd.testing.assert_frame_equal(wx, expected)
    with pytest.raises(ScenarioError, match="source 'synthetic'"):
        synthetic_weather(site, Weather(source="file", path="site.epw"))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"years": 0}, "years = 0"),
        ({"latitude": 95.0}, "latitude = 95.0"),
        ({"seed": -1}, "seed = -1"),
        ({"freq": "2h"}, "freq = '2h'"),
        ({"freq": "7min"}, "freq = '7min'"),
        ({"climatology": "dakhla"}, "must be a Climatology"),
    ],
)
def test_bad_arguments(clim, kwargs, match):
    args = {
        "latitude": LAT,
        "longitude": LON,
        "elevation_m": ELEV,
        "climatology": clim,
        "years": 1,
        "start_year": 2030,
        "seed": 1,
    } | kwargs
    with pytest.raises(ScenarioError, match=match):
        generate_weather(**args)
