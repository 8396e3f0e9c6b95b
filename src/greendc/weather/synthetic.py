"""Seeded synthetic multi-year weather, calibrated by a site climatology table.

The generator builds one continuous UTC index over whole calendar years (leap days kept) and fills the
canonical weather frame (:mod:`greendc.weather.schema`):

* clear-sky envelope: pvlib ephemeris solar position and the Ineichen–Perez clear sky with the monthly
  Linke turbidity of the table;
* a daily clear-sky index (Beta marginal, Gaussian AR(1) copula) whose monthly mean meets the monthly GHI
  target and whose day-to-day coefficient of variation is the table's, plus hourly AR(1) fluctuations
  that keep each day's energy; GHI never exceeds clear sky;
* DNI and DHI by the Erbs decomposition, closing ``ghi = dhi + dni cos(zenith)``;
* air temperature with seasonal and diurnal cycles and AR noise, relative humidity at a slowly varying
  dew point (anti-correlated with temperature), pressure with synoptic noise and the semidiurnal tide,
  sea-surface temperature;
* 10 m wind: Gaussian synoptic + hourly AR(1) processes mapped through a Weibull quantile transform per
  calendar month, a diurnal cycle, 100 m wind by a power law;
* per-year anomalies of the GHI and wind levels, and optional Poisson stress events (chergui heat waves,
  dust episodes, long wind lulls).

Every random part draws from its own stream spawned from one seed, so that the same seed gives the same
weather and switching stress events on or off leaves the undisturbed weather unchanged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pvlib
from scipy import signal, special

from greendc.errors import DataFileError, ScenarioError
from greendc.scenario.models import Site, StressEvents, Weather
from greendc.weather.climatology import (
    Climatology,
    load_climatology,
    monthly_curve,
    wind_weibull_shape_within_month,
)
from greendc.weather.schema import canonical_order

_NS_PER_H = 3_600_000_000_000
_NS_PER_DAY = 24 * _NS_PER_H
#: Highest monthly mean clear-sky index a table may ask for (a sky clearer than Ineichen's is not modelled).
MAX_MEAN_CLEAR_SKY_INDEX = 0.97
#: Lowest hourly clear-sky index (thick dust or cloud).
MIN_CLEAR_SKY_INDEX = 0.05
_COLUMNS = "ghi dni dhi temp_air relative_humidity pressure wind_speed wind_speed_100m temp_sea dust".split()
_STREAMS = (
    "years clearness_daily clearness_hourly temperature humidity pressure sea wind heat_waves dust lulls"
).split()


def ar1(rng: np.random.Generator, n: int, lag1: float) -> np.ndarray:
    r"""Stationary Gaussian AR(1) series of unit variance.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random stream.
    n : int
        Length [steps].
    lag1 : float
        Lag-1 autocorrelation :math:`\phi` per step [-], in [0, 1).

    Returns
    -------
    numpy.ndarray
        :math:`x_t = \phi x_{t-1} + \sqrt{1-\phi^2}\,\varepsilon_t`, :math:`x_0 \sim N(0, 1)` [-].
    """
    eps = rng.standard_normal(n)
    b = np.sqrt(1.0 - lag1**2)
    x, _ = signal.lfilter([b], [1.0, -lag1], eps[1:], zi=[lag1 * eps[0]])
    return np.concatenate([eps[:1], x])


def stratified_uniform(values: np.ndarray, block: np.ndarray) -> np.ndarray:
    """Rank of each value within its block, as a mid-point probability ``(rank + 0.5) / n``.

    Mapping these probabilities through a quantile function gives each block (a calendar month of a
    year) exactly the target distribution while keeping the time order, hence the autocorrelation, of
    ``values`` (Gaussian-copula rank mapping).

    Parameters
    ----------
    values : numpy.ndarray
        Series to rank [any unit].
    block : numpy.ndarray of int
        Block label of each value.
    """
    order = np.lexsort((values, block))
    sorted_block = block[order]
    starts = np.flatnonzero(np.r_[True, sorted_block[1:] != sorted_block[:-1]])
    counts = np.diff(np.r_[starts, len(values)])
    rank = np.arange(len(values)) - np.repeat(starts, counts)
    u = np.empty(len(values))
    u[order] = (rank + 0.5) / np.repeat(counts, counts)
    return u


def clear_sky(
    times: pd.DatetimeIndex,
    latitude: float,
    longitude: float,
    elevation_m: float,
    linke_turbidity: np.ndarray,
    pressure: float,
    temp_air: float = 20.0,
) -> dict[str, np.ndarray]:
    """Solar geometry and Ineichen–Perez clear-sky irradiance.

    Parameters
    ----------
    times : pandas.DatetimeIndex
        Instants, tz-aware (the generator passes period mid-points).
    latitude, longitude : float
        Site [degrees].
    elevation_m : float
        Site altitude [m].
    linke_turbidity : numpy.ndarray
        Linke turbidity at each instant [-].
    pressure : float
        Mean site pressure, for refraction and absolute air mass [Pa].
    temp_air : float
        Mean air temperature, for refraction [°C].

    Returns
    -------
    dict
        ``zenith``, ``apparent_zenith`` [degrees], ``dni_extra``, ``ghi``, ``dni``, ``dhi`` [W/m²]
        (clear sky, 0 at night).

    Notes
    -----
    Solar position by :func:`pvlib.solarposition.ephemeris` (fast; within about 0.01° of SPA for this
    use); air mass by Kasten & Young (1989); clear sky by :func:`pvlib.clearsky.ineichen`.

    References
    ----------
    P. Ineichen and R. Perez, A new airmass independent formulation for the Linke turbidity
    coefficient, Solar Energy 73(3), 151–157 (2002), doi:10.1016/S0038-092X(02)00045-2.
    """
    sp = pvlib.solarposition.ephemeris(times, latitude, longitude, pressure=pressure, temperature=temp_air)
    zenith = sp["zenith"].to_numpy()
    apparent = sp["apparent_zenith"].to_numpy()
    dni_extra = pvlib.irradiance.get_extra_radiation(times).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        am = pvlib.atmosphere.get_absolute_airmass(pvlib.atmosphere.get_relative_airmass(apparent), pressure)
        cs = pvlib.clearsky.ineichen(apparent, am, linke_turbidity, altitude=elevation_m, dni_extra=dni_extra)
    day = apparent < 90.0
    out = {"zenith": zenith, "apparent_zenith": apparent, "dni_extra": dni_extra}
    for key in ("ghi", "dni", "dhi"):
        out[key] = np.where(day, np.nan_to_num(np.asarray(cs[key], dtype=float)), 0.0)
    return out


def daily_clear_sky_index(z: np.ndarray, block: np.ndarray, mean: np.ndarray, cv: np.ndarray) -> np.ndarray:
    r"""Daily clear-sky index with a Beta marginal per block, in the time order of a Gaussian series.

    Parameters
    ----------
    z : numpy.ndarray
        Gaussian series, one value per day (e.g. :func:`ar1`) [-].
    block : numpy.ndarray of int
        Calendar month of each year, per day.
    mean, cv : numpy.ndarray
        Target mean [-] and coefficient of variation [-] of the index, per day.

    Returns
    -------
    numpy.ndarray
        :math:`k_d = F^{-1}_{B(a,b)}(u_d)`, :math:`u_d` = :func:`stratified_uniform` of ``z`` [-].

    Notes
    -----
    Beta moments: with :math:`\mu` the mean and :math:`\sigma = cv\,\mu`,
    :math:`\nu = \mu(1-\mu)/\sigma^2 - 1`, :math:`a = \mu\nu`, :math:`b = (1-\mu)\nu`. The Beta law keeps
    the index in [0, 1]; the standard deviation is capped at :math:`0.95\sqrt{\mu(1-\mu)}` where a mean close
    to 1 leaves no room for the requested spread.
    """
    mu = np.clip(mean, 1e-3, MAX_MEAN_CLEAR_SKY_INDEX)
    var = np.minimum((cv * mu) ** 2, 0.9025 * mu * (1.0 - mu))
    var = np.maximum(var, 1e-8)
    nu = mu * (1.0 - mu) / var - 1.0
    return special.betaincinv(mu * nu, (1.0 - mu) * nu, stratified_uniform(z, block))


def hourly_clear_sky_index(
    daily_index: np.ndarray,
    x: np.ndarray,
    day: np.ndarray,
    clear_ghi: np.ndarray,
    spread: float,
    iterations: int = 4,
) -> np.ndarray:
    r"""Hourly clear-sky index around the daily one, keeping each day's irradiation.

    Parameters
    ----------
    daily_index : numpy.ndarray
        Daily clear-sky index, per day [-].
    x : numpy.ndarray
        Unit-variance autocorrelated noise, per step (e.g. :func:`ar1`) [-].
    day : numpy.ndarray of int
        Day number (0…) of each step.
    clear_ghi : numpy.ndarray
        Clear-sky GHI per step [W/m²] (the weights).
    spread : float
        Hourly standard deviation per unit of :math:`1 - k_d` [-].

    Returns
    -------
    numpy.ndarray
        :math:`k_t = \mathrm{clip}(k_d + s (1 - k_d) x_t + \delta_d, k_{min}, 1)` [-], where the daily
        shift :math:`\delta_d` is found by a few fixed-point steps so that
        :math:`\sum_t k_t G_{cs,t} = k_d \sum_t G_{cs,t}` (clipping at clear sky permitting).

    References
    ----------
    R. Aguiar and M. Collares-Pereira, TAG: a time-dependent, autoregressive, Gaussian model for generating
    synthetic hourly radiation, Solar Energy 49(3), 167–174 (1992), doi:10.1016/0038-092X(92)90068-L.
    """
    kd = daily_index[day]
    k = kd + spread * (1.0 - kd) * x
    weight = np.bincount(day, clear_ghi, minlength=len(daily_index))
    safe = np.where(weight > 0.0, weight, 1.0)
    for _ in range(iterations):
        err = daily_index - np.bincount(day, k * clear_ghi, minlength=len(daily_index)) / safe
        k = np.clip(k + err[day], MIN_CLEAR_SKY_INDEX, 1.0)
    return k


def erbs_split(
    ghi: np.ndarray, zenith: np.ndarray, day_of_year: np.ndarray, clear_dni: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    r"""DNI and DHI from GHI by the Erbs diffuse-fraction correlation, with exact closure.

    Parameters
    ----------
    ghi : numpy.ndarray
        Global horizontal irradiance [W/m²].
    zenith : numpy.ndarray
        True solar zenith [degrees].
    day_of_year : numpy.ndarray
        Day of year, for the extraterrestrial irradiance [-].
    clear_dni : numpy.ndarray
        Clear-sky DNI, an upper bound on the beam [W/m²].

    Returns
    -------
    dni, dhi : numpy.ndarray
        [W/m²], with :math:`GHI = DHI + DNI \cos Z` to rounding.

    Notes
    -----
    :math:`DHI = DF(k_t)\,GHI`, :math:`DNI = (GHI - DHI)/\cos Z` (:func:`pvlib.irradiance.erbs`; DNI = 0
    beyond 87°). Where that beam exceeds the clear-sky beam it is capped and the remainder is diffuse:
    :math:`DHI = GHI - DNI\cos Z`.

    References
    ----------
    D. G. Erbs, S. A. Klein and J. A. Duffie, Estimation of the diffuse radiation fraction for hourly,
    daily and monthly-average global radiation, Solar Energy 28(4), 293–302 (1982),
    doi:10.1016/0038-092X(82)90302-4.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        dni = np.asarray(pvlib.irradiance.erbs(ghi, zenith, day_of_year)["dni"], dtype=float)
    dni = np.minimum(np.nan_to_num(dni), clear_dni)
    cos_z = np.where(zenith < 90.0, np.cos(np.radians(zenith)), 0.0)
    return dni, np.maximum(ghi - dni * cos_z, 0.0)


def diurnal_temperature_shape(solar_hour: np.ndarray, hour_min: float, hour_max: float) -> np.ndarray:
    r"""Diurnal air-temperature shape: 0 at the daily minimum, 1 at the maximum, mean 1/2.

    Parameters
    ----------
    solar_hour : numpy.ndarray
        Apparent solar time [h].
    hour_min, hour_max : float
        Solar times of the minimum and maximum [h], ``hour_min < hour_max``.

    Returns
    -------
    numpy.ndarray
        Half-cosine rise from ``hour_min`` to ``hour_max``, half-cosine fall to ``hour_min + 24`` [-].

    Notes
    -----
    Each half-cosine averages 1/2, so :math:`T = T_{min} + (T_{max} - T_{min})\,s(h)` has the daily mean
    :math:`(T_{min} + T_{max})/2`, the convention of climate normals.
    """
    rise = hour_max - hour_min
    tau = np.mod(solar_hour - hour_min, 24.0)
    up = 0.5 * (1.0 - np.cos(np.pi * tau / rise))
    down = 0.5 * (1.0 + np.cos(np.pi * (tau - rise) / (24.0 - rise)))
    return np.where(tau < rise, up, down)


def event_envelope(
    t_ns: np.ndarray, starts_ns: np.ndarray, duration_h: float, peaks: np.ndarray | None = None
) -> np.ndarray:
    """Intensity of stress events through time: trapezoids, the strongest event wins where they overlap.

    Parameters
    ----------
    t_ns : numpy.ndarray of int64
        Instants [ns since the epoch].
    starts_ns : numpy.ndarray of int64
        Event starts [ns since the epoch].
    duration_h : float
        Event length [h]; ramps of ``min(12, duration_h / 4)`` h at both ends.
    peaks : numpy.ndarray, optional
        Peak intensity of each event [-], default 1.

    Returns
    -------
    numpy.ndarray
        Intensity in [0, 1] [-].
    """
    w = np.zeros(len(t_ns))
    ramp_h = min(12.0, duration_h / 4.0)
    for i, start in enumerate(np.asarray(starts_ns, dtype=np.int64)):
        end = start + int(duration_h * _NS_PER_H)
        i0, i1 = np.searchsorted(t_ns, [start, end])
        tau = (t_ns[i0:i1] - start) / _NS_PER_H
        seg = np.clip(np.minimum(tau, duration_h - tau) / ramp_h, 0.0, 1.0)
        peak = 1.0 if peaks is None else float(peaks[i])
        w[i0:i1] = np.maximum(w[i0:i1], peak * seg)
    return w


def _place(
    rng: np.random.Generator,
    rate: float,
    n_years: int,
    year_of_day: np.ndarray,
    day_weight: np.ndarray,
) -> np.ndarray:
    """Poisson number of events per year, days drawn with the given weights; returns day numbers."""
    days = []
    for y in range(n_years):
        n = rng.poisson(rate)
        idx = np.flatnonzero(year_of_day == y)
        if n == 0 or idx.size == 0:
            continue
        p = day_weight[idx] / day_weight[idx].sum()
        days.append(rng.choice(idx, size=n, p=p))
    return np.concatenate(days) if days else np.zeros(0, dtype=int)


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
    * Temperature: :math:`T = T_{min}(t) + (T_{max}(t) - T_{min}(t))\,s(h) + \varepsilon_{syn} +
      \varepsilon_h`, :func:`diurnal_temperature_shape`; relative humidity from the Magnus equation at a
      dew point fixed by the monthly humidity at the mean temperature, times a log-normal synoptic factor,
      rescaled to the monthly mean.
    * Wind: :math:`v = c_m(t)(1+b_y)\,[-\ln(1-u_t)]^{1/k}\,(1 + A\cos(2\pi(h - h_{peak})/24))`,
      :math:`u_t` the within-month rank of :math:`z_t = \sqrt{w}\,x^{syn}_t + \sqrt{1-w}\,x^{h}_t`,
      :math:`c_m = \bar v_m / \Gamma(1 + 1/k)`, :math:`k` from
      :func:`~greendc.weather.climatology.wind_weibull_shape_within_month`;
      :math:`v_{100} = v\,(100/10)^{\alpha}`. Transform-to-Gaussian plus autoregression after Brown, Katz
      & Murphy, J. Climate Appl. Meteor. 23, 1184–1195 (1984).
    * Monthly targets become smooth curves with :func:`~greendc.weather.climatology.monthly_curve`.
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
    shift_ns = round(longitude / 15.0 * _NS_PER_H)
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
        hw_days = _place(
            rngs["heat_waves"], ev.heat_waves_per_year, years, year_d, clim.heat_wave_seasonality[month_d - 1]
        )
        hw_h = 24.0 * ev.heat_wave_days
        heat = event_envelope(
            t_ns, day_start_ns[hw_days] + int((clim.temp_air_max_solar_hour - hw_h / 2) * _NS_PER_H), hw_h
        )
        rng = rngs["dust"]
        d_days = _place(rng, ev.dust_episodes_per_year, years, year_d, clim.dust_seasonality[month_d - 1])
        d_start = day_start_ns[d_days] + (rng.uniform(0.0, 24.0, d_days.size) * _NS_PER_H).astype(np.int64)
        d_peak = rng.uniform(clim.dust_intensity_min, 1.0, d_days.size)
        dust = np.maximum(
            event_envelope(t_ns, d_start, 24.0 * ev.dust_episode_days, d_peak), clim.heat_wave_dust * heat
        )
        rng = rngs["lulls"]
        l_days = _place(rng, ev.long_lulls_per_year, years, year_d, np.ones(n_days))
        l_start = day_start_ns[l_days] + (rng.uniform(0.0, 24.0, l_days.size) * _NS_PER_H).astype(np.int64)
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
    diurnal = 1.0 + clim.wind_diurnal_amplitude * (1.0 - heat) * np.cos(
        2.0 * np.pi * (solar_hour - clim.wind_diurnal_peak_solar_hour) / 24.0
    )
    wind = scale * (-np.log(1.0 - stratified_uniform(z, block))) ** (1.0 / k) * diurnal
    wind *= 1.0 - lull * (1.0 - clim.long_lull_wind_fraction)

    wind_100m = wind * 10.0**clim.wind_shear_exponent
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


__all__ = [
    "MAX_MEAN_CLEAR_SKY_INDEX",
    "MIN_CLEAR_SKY_INDEX",
    "ar1",
    "clear_sky",
    "daily_clear_sky_index",
    "diurnal_temperature_shape",
    "erbs_split",
    "event_envelope",
    "generate_weather",
    "hourly_clear_sky_index",
    "stratified_uniform",
    "synthetic_weather",
]
