"""The synthetic weather orchestrator: :func:`generate_weather` and the scenario entry :func:`synthetic_weather`.

:func:`generate_weather` spawns one random stream per component from the seed, in a fixed order, builds the
calendar, and calls the irradiance (:mod:`~greendc.weather.synthetic.solar`), temperature
(:mod:`~greendc.weather.synthetic.temperature`) and stress-event (:mod:`~greendc.weather.synthetic.events`)
functions; the humidity, pressure, sea-temperature and wind series are assembled here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pvlib
from scipy import special

from greendc.errors import DataFileError, ScenarioError
from greendc.scenario.models import Site, StressEvents, Weather
from greendc.weather.climatology import Climatology, load_climatology
from greendc.weather.monthly import monthly_curve
from greendc.weather.schema import canonical_order
from greendc.weather.synthetic.events import NS_PER_H, event_envelope, place_events
from greendc.weather.synthetic.noise import ar1, stratified_uniform
from greendc.weather.synthetic.solar import (
    MAX_MEAN_CLEAR_SKY_INDEX,
    clear_sky,
    daily_clear_sky_index,
    erbs_split,
    hourly_clear_sky_index,
    match_diffuse_fraction,
)
from greendc.weather.synthetic.temperature import diurnal_temperature_shape
from greendc.weather.synthetic.wind import shear_exponent, wind_daily_cycle, wind_weibull_shape_within_month

__all__ = ["generate_weather", "synthetic_weather"]

_NS_PER_DAY = 24 * NS_PER_H
_COLUMNS = "ghi dni dhi temp_air relative_humidity pressure wind_speed wind_speed_100m temp_sea dust".split()
_STREAMS = (
    "years clearness_daily clearness_hourly temperature humidity pressure sea wind heat_waves dust lulls"
).split()


def _check_inputs(latitude, longitude, elevation_m, climatology, years, start_year, seed, events, freq):
    ranges = (("latitude", latitude, -90, 90), ("longitude", longitude, -180, 180))
    for name, value, lo, hi in (*ranges, ("elevation_m", elevation_m, -500, 9000)):
        if not lo <= value <= hi:
            raise ScenarioError(f"{name} = {value!r}; allowed: {lo} to {hi}")
    integers = (("years", years, 1, 200), ("start_year", start_year, 1900, 2200))
    for name, value, lo, hi in (*integers, ("seed", seed, 0, 2**63)):
        if not isinstance(value, int | np.integer) or not lo <= value <= hi:
            raise ScenarioError(f"{name} = {value!r}; allowed: an integer from {lo} to {hi}")
    for name, value, kind in (
        ("climatology", climatology, Climatology),
        ("stress_events", events, StressEvents),
    ):
        if not isinstance(value, kind) and not (name == "stress_events" and value is None):
            raise ScenarioError(f"{name} must be a {kind.__name__}, got {type(value).__name__}")
    try:
        step = pd.Timedelta(pd.tseries.frequencies.to_offset(freq))
    except (ValueError, TypeError):
        step = None
    if step is None or not pd.Timedelta("1min") <= step <= pd.Timedelta("1h") or pd.Timedelta("1h") % step:
        raise ScenarioError(f"freq = {freq!r}; allowed: a step from '1min' to '1h' that divides an hour")
    return step


def generate_weather(
    latitude: float,
    longitude: float,
    elevation_m: float,
    climatology: Climatology,
    years: int,
    start_year: int,
    seed: int,
    stress_events: StressEvents | None = None,
    freq: str = "1h",
) -> pd.DataFrame:
    r"""Seeded synthetic weather for whole calendar years, calibrated by a climatology table.

    Parameters
    ----------
    latitude, longitude : float
        Site [degrees north, degrees east].
    elevation_m : float
        Site altitude [m].
    climatology : Climatology
        Monthly and scalar targets (:func:`~greendc.weather.climatology.load_climatology`).
    years : int
        Number of calendar years [-].
    start_year : int
        First calendar year [-].
    seed : int
        Seed of :class:`numpy.random.SeedSequence`; one independent stream per component is spawned.
    stress_events : StressEvents, optional
        Poisson rates [1/year], durations [days] and intensities of heat waves, dust episodes and long
        lulls; ``None`` for none.
    freq : str
        Time step, from ``'1min'`` to ``'1h'``.

    Returns
    -------
    pandas.DataFrame
        Canonical weather frame (``ghi``, ``dni``, ``dhi`` [W/m²], ``temp_air`` [°C],
        ``relative_humidity`` [%], ``pressure`` [Pa], ``wind_speed``, ``wind_speed_100m`` [m/s],
        ``temp_sea`` [°C], ``dust`` [0–1]), values stamping the start of their period, computed at the
        period mid-point; ``attrs`` hold the site, the seed and the climatology name.

    Raises
    ------
    ScenarioError
        Bad argument (naming it, with the allowed range).
    DataFileError
        A table asking for the impossible (GHI target above clear sky, too narrow a wind distribution).

    Notes
    -----
    * GHI: :math:`G_t = k_t\,G_{cs,t}\,(1 - r_{dust}\,D_t)` with the Ineichen clear sky :math:`G_{cs}`,
      the hourly index :math:`k_t \le 1` (:func:`hourly_clear_sky_index`) around the daily index
      :math:`k_d` (:func:`daily_clear_sky_index`), whose mean in month :math:`m` of year :math:`y` is
      :math:`\mu_{y,m} = H_m (1 + a_y) / \overline{H_{cs}}_{y,m}` and whose CV is the table's.
    * DNI and DHI: the Erbs split (:func:`erbs_split`), its diffuse part scaled month by month to the
      table's ``diffuse_fraction`` (:func:`match_diffuse_fraction`).
    * Temperature: :math:`T = T_{min}(t) + (T_{max}(t) - T_{min}(t))\,s(h) + \varepsilon_{syn} +
      \varepsilon_h`, :func:`diurnal_temperature_shape`; relative humidity from the Magnus equation at a
      dew point fixed by the monthly humidity at the mean temperature, times a log-normal synoptic factor,
      rescaled to the monthly mean.
    * Wind: :math:`v = c_m(t)(1+b_y)\,[-\ln(1-u_t)]^{1/k}\,f(h)`, :math:`f` the daily cycle of two
      harmonics (:func:`~greendc.weather.synthetic.wind.wind_daily_cycle`),
      :math:`u_t` the within-month rank of :math:`z_t = \sqrt{w}\,x^{syn}_t + \sqrt{1-w}\,x^{h}_t`,
      :math:`c_m = \bar v_m / \Gamma(1 + 1/k)`, :math:`k` from
      :func:`~greendc.weather.synthetic.wind.wind_weibull_shape_within_month`;
      :math:`v_{100} = v\,(100/10)^{\alpha(t)}` with the monthly shear exponent and its night maximum
      (:func:`~greendc.weather.synthetic.wind.shear_exponent`). Transform-to-Gaussian plus autoregression
      after Brown, Katz & Murphy, J. Climate Appl. Meteor. 23, 1184–1195 (1984).
    * Monthly targets become smooth curves with :func:`~greendc.weather.monthly.monthly_curve`.
    * Stress events perturb the calibrated climate (they are not compensated): a heat wave lifts the
      afternoon to ``heat_wave_peak_temp_air`` (nights by half as much), dries the air towards the table's
      ``heat_wave_relative_humidity``, carries some dust and suppresses the afternoon sea breeze; a dust
      episode cuts GHI by ``dust_ghi_reduction`` × intensity (DNI more, through Erbs); a lull scales the
      wind by ``long_lull_wind_fraction``. Events start on days drawn with the table's monthly weights.
      With the default rates they remove about 0.4 % of the annual GHI and of the mean wind.

    Examples
    --------
    >>> from greendc.weather.climatology import load_climatology
    >>> wx = generate_weather(23.71, -15.94, 10.0, load_climatology("dakhla"), 1, 2030, seed=1)
    >>> len(wx), bool((wx["ghi"] >= 0).all())
    (8760, True)
    """
    step = _check_inputs(latitude, longitude, elevation_m, climatology, years, start_year, seed, stress_events, freq)
    clim = climatology
    seeds = np.random.SeedSequence(seed).spawn(len(_STREAMS))
    rngs = {name: np.random.default_rng(s) for name, s in zip(_STREAMS, seeds, strict=True)}
    first, end = pd.Timestamp(start_year, 1, 1, tz="UTC"), pd.Timestamp(start_year + years, 1, 1, tz="UTC")
    index = pd.date_range(first, end, freq=step, inclusive="left")
    n, step_h = len(index), step / pd.Timedelta("1h")
    t_mid = index + step / 2
    t_ns = t_mid.as_unit("ns").asi8

    # Calendar of the local mean solar day: day number, month position, solar hour, (year, month) block.
    shift_ns = round(longitude / 15.0 * NS_PER_H)
    local_ns = t_ns + shift_ns
    day_num = np.floor_divide(local_ns, _NS_PER_DAY)
    day = (day_num - day_num[0]).astype(np.int64)
    n_days = int(day[-1]) + 1
    dates = pd.to_datetime((day_num[0] + np.arange(n_days)) * _NS_PER_DAY, unit="ns")
    frac = (local_ns - day_num * _NS_PER_DAY) / _NS_PER_DAY
    month_d, dim_d = dates.month.to_numpy(), dates.days_in_month.to_numpy()
    x = (month_d - 1)[day] + ((dates.day.to_numpy() - 1)[day] + frac) / dim_d[day]
    eot_h = pvlib.solarposition.equation_of_time_spencer71(dates.day_of_year.to_numpy())[day] / 60.0
    solar_hour = np.mod(frac * 24.0 + eot_h, 24.0)
    year_d = np.clip(dates.year.to_numpy() - start_year, 0, years - 1)
    block_d = year_d * 12 + month_d - 1
    block = block_d[day]
    year = year_d[day]

    # Per-year anomalies of the GHI and wind levels (both drawn, so a zero CV changes nothing else).
    anomaly = rngs["years"].standard_normal((2, years))
    ghi_level = np.clip(1.0 + clim.ghi_interannual_cv * anomaly[0], 0.5, 1.5)
    wind_level = np.clip(1.0 + clim.wind_interannual_cv * anomaly[1], 0.5, 1.5)

    # Stress events: envelopes first (dust acts on GHI, heat waves on temperature, humidity and dust).
    ev = stress_events
    heat = dust = lull = np.zeros(n)
    if ev is not None:
        day_start_ns = dates.as_unit("ns").asi8 - shift_ns
        hw_days = place_events(
            rngs["heat_waves"], ev.heat_waves_per_year, years, year_d, clim.heat_wave_seasonality[month_d - 1]
        )
        hw_h = 24.0 * ev.heat_wave_days
        heat = event_envelope(
            t_ns, day_start_ns[hw_days] + int((clim.temp_air_max_solar_hour - hw_h / 2) * NS_PER_H), hw_h
        )
        rng = rngs["dust"]
        d_days = place_events(rng, ev.dust_episodes_per_year, years, year_d, clim.dust_seasonality[month_d - 1])
        d_start = day_start_ns[d_days] + (rng.uniform(0.0, 24.0, d_days.size) * NS_PER_H).astype(np.int64)
        d_peak = rng.uniform(clim.dust_intensity_min, 1.0, d_days.size)
        dust = np.maximum(
            event_envelope(t_ns, d_start, 24.0 * ev.dust_episode_days, d_peak), clim.heat_wave_dust * heat
        )
        rng = rngs["lulls"]
        l_days = place_events(rng, ev.long_lulls_per_year, years, year_d, np.ones(n_days))
        l_start = day_start_ns[l_days] + (rng.uniform(0.0, 24.0, l_days.size) * NS_PER_H).astype(np.int64)
        lull = event_envelope(t_ns, l_start, 24.0 * ev.long_lull_days)

    # Irradiance.
    p_site = clim.pressure_sea_level_pa * pvlib.atmosphere.alt2pres(elevation_m) / 101325.0
    linke = monthly_curve(clim.linke_turbidity, x, mean_preserving=False)
    cs = clear_sky(t_mid, latitude, longitude, elevation_m, linke, p_site, float(clim.temp_air_mean.mean()))
    n_blocks = years * 12
    cs_block = np.bincount(block, cs["ghi"], minlength=n_blocks)
    steps_block = np.bincount(block, minlength=n_blocks)
    target_block = clim.ghi_kwh_per_m2_day[np.arange(n_blocks) % 12] * 1000.0 / 24.0 * steps_block
    with np.errstate(invalid="ignore", divide="ignore"):
        mu_block = np.where(cs_block > 0, target_block / cs_block, 0.0)
    full = steps_block * step_h >= 27.0 * 24.0
    if (mu_block[full] > MAX_MEAN_CLEAR_SKY_INDEX).any():
        b = int(np.flatnonzero(full & (mu_block > MAX_MEAN_CLEAR_SKY_INDEX))[0])
        raise DataFileError(
            f"climatology '{clim.name}': column 'ghi_kwh_per_m2_day' = {clim.ghi_kwh_per_m2_day[b % 12]:g} "
            f"in month {b % 12 + 1} is {mu_block[b]:.2f} x the Ineichen clear sky of the site with the "
            f"table's Linke turbidity; allowed: up to {MAX_MEAN_CLEAR_SKY_INDEX:g} x"
        )
    mu_day = mu_block[block_d] * ghi_level[year_d]
    z_day = ar1(rngs["clearness_daily"], n_days, clim.clearness_daily_lag1)
    k_day = daily_clear_sky_index(z_day, block_d, mu_day, clim.clearness_cv[month_d - 1])
    x_h = ar1(rngs["clearness_hourly"], n, clim.clearness_hourly_lag1**step_h)
    k_t = hourly_clear_sky_index(k_day, x_h, day, cs["ghi"], clim.clearness_hourly_spread)
    ghi = k_t * cs["ghi"] * (1.0 - (0.0 if ev is None else ev.dust_ghi_reduction) * dust)
    ghi = np.minimum(ghi, cs["dni_extra"] * np.clip(np.cos(np.radians(cs["zenith"])), 0.0, None))
    dni, dhi = erbs_split(ghi, cs["zenith"], t_mid.day_of_year.to_numpy(), cs["dni"])
    dni, dhi = match_diffuse_fraction(
        ghi, dhi, cs["zenith"], cs["dni"], block, clim.diffuse_fraction[np.arange(n_blocks) % 12]
    )

    # Air temperature, humidity, pressure, sea.
    phi_syn = np.exp(-step_h / clim.synoptic_timescale_h)
    rng = rngs["temperature"]
    t_min, t_max = monthly_curve(clim.temp_air_min, x), monthly_curve(clim.temp_air_max, x)
    shape = diurnal_temperature_shape(solar_hour, clim.temp_air_min_solar_hour, clim.temp_air_max_solar_hour)
    temp_air = (
        t_min
        + (t_max - t_min) * shape
        + clim.temp_air_synoptic_sd * ar1(rng, n, phi_syn)
        + clim.temp_air_hourly_sd * ar1(rng, n, clim.temp_air_hourly_lag1**step_h)
    )
    rh_clim = monthly_curve(clim.relative_humidity, x)
    temp_dew = pvlib.atmosphere.tdew_from_rh(0.5 * (t_min + t_max), rh_clim)
    rh = pvlib.atmosphere.rh_from_tdew(temp_air, temp_dew) * np.exp(
        clim.relative_humidity_log_sd * ar1(rngs["humidity"], n, phi_syn)
    )
    rh *= np.bincount(block, rh_clim)[block] / np.bincount(block, rh)[block]
    if ev is not None:
        temp_air = temp_air + heat * np.maximum(ev.heat_wave_peak_temp_air - t_max, 0.0) * (0.5 + 0.5 * shape)
        rh = rh * (1.0 - heat) + heat * clim.heat_wave_relative_humidity
    rh = np.clip(rh, 1.0, 100.0)
    pressure = (
        p_site
        + clim.pressure_synoptic_sd_pa * ar1(rngs["pressure"], n, phi_syn)
        + clim.pressure_semidiurnal_amplitude_pa * np.cos(4.0 * np.pi * (solar_hour - 10.0) / 24.0)
    )
    temp_sea = monthly_curve(clim.temp_sea, x) + clim.temp_sea_anomaly_sd * ar1(
        rngs["sea"], n, np.exp(-step_h / clim.temp_sea_timescale_h)
    )

    # Wind at 10 m and 100 m.
    k = wind_weibull_shape_within_month(clim)
    rng = rngs["wind"]
    w = clim.wind_synoptic_share
    z = np.sqrt(w) * ar1(rng, n, phi_syn) + np.sqrt(1.0 - w) * ar1(rng, n, clim.wind_hourly_lag1**step_h)
    scale = monthly_curve(clim.wind_speed_10m, x) * wind_level[year] / special.gamma(1.0 + 1.0 / k)
    # offshore chergui flow suppresses the afternoon sea breeze
    diurnal = 1.0 + (wind_daily_cycle(clim, solar_hour) - 1.0) * (1.0 - heat)
    wind = scale * (-np.log(1.0 - stratified_uniform(z, block))) ** (1.0 / k) * diurnal
    wind *= 1.0 - lull * (1.0 - clim.long_lull_wind_fraction)

    wind_100m = wind * 10.0 ** shear_exponent(clim, x, solar_hour)
    values = (ghi, dni, dhi, temp_air, rh, pressure, wind, wind_100m, temp_sea, dust)
    df = canonical_order(pd.DataFrame(dict(zip(_COLUMNS, values, strict=True)), index=index.rename("time")))
    df.attrs.update(latitude=float(latitude), longitude=float(longitude), elevation_m=float(elevation_m))
    df.attrs.update(source="synthetic", climatology=clim.name, seed=int(seed), wind_weibull_k_within_month=k)
    return df


def synthetic_weather(site: Site, weather: Weather) -> pd.DataFrame:
    """Synthetic weather of a scenario: the site's climatology table, the weather section's years and seed.

    Parameters
    ----------
    site : greendc.scenario.models.Site
        Coordinates, elevation and ``climatology`` (a shipped name or a CSV path).
    weather : greendc.scenario.models.Weather
        ``source`` must be ``'synthetic'``; ``years``, ``start_year``, ``seed`` and ``stress_events``.

    Returns
    -------
    pandas.DataFrame
        See :func:`generate_weather` (hourly).
    """
    if weather.source != "synthetic":
        raise ScenarioError(
            f"weather.source = '{weather.source}': the synthetic generator needs source 'synthetic' "
            "(weather files are read by the weather readers)"
        )
    clim = load_climatology(site.climatology)
    lat, lon, elev = site.latitude, site.longitude, site.elevation_m
    w = weather
    return generate_weather(lat, lon, elev, clim, w.years, w.start_year, w.seed, w.stress_events)
