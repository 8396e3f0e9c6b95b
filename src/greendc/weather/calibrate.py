"""Fit a site climatology to a multi-year weather table: the parameters of the synthetic generator.

:func:`calibrate_climatology` reads the monthly irradiance level, its day-to-day spread and persistence,
the diffuse fraction, the temperature cycle, humidity, pressure and sea temperature, the 10 m wind's
monthly means, annual Weibull shape and daily cycle, the 10–100 m shear by month and hour, the wind's
persistence (which sets the length of lulls) and the year-to-year levels, from a weather table such as an
ERA5 or MERRA-2 extraction, and returns a :class:`~greendc.weather.climatology.Climatology` whose every
number names how it was fitted. What the table cannot tell (hourly cloud texture, stress-event seasons
and intensities, and any column it lacks) is kept from a base climatology and says so.

Each fit inverts the generator's own construction (:mod:`greendc.weather.synthetic`), so that weather
generated from a calibrated table reproduces the fitted statistics;
:func:`greendc.weather.diagnostics.compare_weather` checks it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pvlib
from scipy import optimize, special

from greendc.errors import DataFileError, WeatherDataError
from greendc.weather.climatology import MONTHLY_COLUMNS, SCALARS, Climatology, Source
from greendc.weather.completion import check_coverage
from greendc.weather.monthly import mean_solar_hour, month_position, monthly_curve
from greendc.weather.synthetic.noise import ar1_filter
from greendc.weather.synthetic.solar import MAX_MEAN_CLEAR_SKY_INDEX, clear_sky
from greendc.weather.synthetic.wind import wind_daily_cycle, wind_weibull_shape_within_month
from greendc.weather.wind_profile import SHEAR_FIT_MIN_WIND_SPEED

__all__ = ["REQUIRED_COLUMNS", "calibrate_climatology", "daily_harmonics"]

#: Columns a weather table needs to be calibrated from.
REQUIRED_COLUMNS = ("ghi", "temp_air", "wind_speed")
#: Years needed before the year-to-year levels are fitted (fewer keep the base values).
MIN_YEARS_INTERANNUAL = 5
#: Lags over which the wind's autocorrelation is fitted [h].
_WIND_ACF_LAGS_H = np.arange(1, 73)
#: Highest monthly mean clear-sky index a calibrated month may ask of the generator (headroom kept below
#: :data:`~greendc.weather.synthetic.solar.MAX_MEAN_CLEAR_SKY_INDEX`).
_MAX_FITTED_CLEAR_SKY_INDEX = MAX_MEAN_CLEAR_SKY_INDEX - 0.02


@dataclass(frozen=True)
class _Fit:
    """A fitted value and how it was obtained."""

    value: float | np.ndarray
    method: str


def daily_harmonics(values: np.ndarray, solar_hour: np.ndarray, orders: int = 1) -> list[tuple[float, float]]:
    r"""Amplitudes and phases of the first daily harmonics of a series, by solar hour.

    Parameters
    ----------
    values : numpy.ndarray
        Series whose daily cycle is sought [any unit].
    solar_hour : numpy.ndarray
        Solar time of each value [h].
    orders : int
        Number of harmonics (1: daily; 2: daily and half-daily).

    Returns
    -------
    list of (amplitude, hour_of_max)
        For harmonic :math:`n`, :math:`A_n` and :math:`h_n` in
        :math:`x(h) \approx \bar x + \sum_n A_n\cos(2\pi n(h - h_n)/24)` [unit of ``values``, h in
        [0, 24/n)].

    Notes
    -----
    Least squares on :math:`\cos` and :math:`\sin` of :math:`2\pi n h/24` and a constant; exact for a sum
    of these harmonics however the hours are spread.

    Examples
    --------
    >>> h = np.arange(48) + 0.5
    >>> x = 5.0 + 0.8 * np.cos(2 * np.pi * (h - 15.0) / 24.0) + 0.1 * np.cos(4 * np.pi * (h - 3.0) / 24.0)
    >>> [(round(a, 6), round(hm, 6)) for a, hm in daily_harmonics(x, h, orders=2)]
    [(0.8, 15.0), (0.1, 3.0)]
    """
    w = 2.0 * np.pi * np.asarray(solar_hour, dtype=float) / 24.0
    columns = [f(n * w) for n in range(1, orders + 1) for f in (np.cos, np.sin)]
    coef, *_ = np.linalg.lstsq(np.column_stack([*columns, np.ones_like(w)]), np.asarray(values, float), rcond=None)
    out = []
    for n in range(1, orders + 1):
        c, s = coef[2 * n - 2], coef[2 * n - 1]
        out.append((float(np.hypot(c, s)), float(np.mod(np.arctan2(s, c) * 24.0 / (2.0 * np.pi * n), 24.0 / n))))
    return out


def _peak_hour(cycle: pd.Series, lowest: bool) -> float:
    """Hour of the minimum or maximum of a mean daily cycle, refined by a parabola through three bins [h].

    ``cycle`` is indexed by the mean solar hour of each of its (hourly) bins.
    """
    y = (-cycle if lowest else cycle).to_numpy()
    i = int(np.argmax(y))
    left, right = y[i - 1], y[(i + 1) % len(y)]
    curvature = left - 2.0 * y[i] + right
    shift = 0.0 if curvature >= 0 else 0.5 * (left - right) / curvature
    return float(np.mod(cycle.index[i] + shift, 24.0))


def _monthly_mean(series: pd.Series | np.ndarray, month: np.ndarray) -> np.ndarray:
    return pd.Series(np.asarray(series, dtype=float)).groupby(month).mean().reindex(range(1, 13)).to_numpy()


def _normal_scores(values: np.ndarray, block: np.ndarray) -> np.ndarray:
    """Gaussian scores of the ranks of ``values`` within each block (the inverse of the generator's map)."""
    frame = pd.DataFrame({"v": values, "b": block})
    u = (frame.groupby("b")["v"].rank(method="first") - 0.5) / frame.groupby("b")["v"].transform("size")
    return special.ndtri(u.to_numpy())


def _autocorrelation(z: np.ndarray, lags: np.ndarray) -> np.ndarray:
    z = (z - z.mean()) / z.std()
    return np.array([np.mean(z[:-lag] * z[lag:]) for lag in lags])


def _solar(
    weather: pd.DataFrame, latitude: float, longitude: float, elevation_m: float, base: Climatology
) -> dict[str, _Fit]:
    """GHI level, Linke turbidity, day-to-day clearness spread and persistence, diffuse fraction."""
    index = weather.index
    step = index[1] - index[0]
    mid = index + step / 2
    month = index.month.to_numpy()
    ghi = weather["ghi"].to_numpy(dtype=float)
    ghi_day = _monthly_mean(ghi, month) * 24.0 / 1000.0
    p_site = base.pressure_sea_level_pa * pvlib.atmosphere.alt2pres(elevation_m) / 101325.0
    temp = float(weather["temp_air"].mean())
    linke = np.asarray(base.linke_turbidity, dtype=float).copy()
    lowered = []
    for m in range(1, 13):
        sel = month == m
        while True:
            cs = clear_sky(mid[sel], latitude, longitude, elevation_m, np.full(sel.sum(), linke[m - 1]), p_site, temp)
            if ghi[sel].sum() <= _MAX_FITTED_CLEAR_SKY_INDEX * cs["ghi"].sum() or linke[m - 1] <= 1.05:
                break
            linke[m - 1] = max(linke[m - 1] - 0.1, 1.0)
            lowered.append(m)
    x = month_position(index)
    cs = clear_sky(mid, latitude, longitude, elevation_m, monthly_curve(linke, x, mean_preserving=False), p_site, temp)
    day = np.floor_divide(index.as_unit("ns").asi8 + round(longitude / 15.0 * 3.6e12), 86_400 * 10**9)
    daily = pd.DataFrame({"ghi": ghi, "cs": cs["ghi"], "day": day}).groupby("day").sum()
    daily = daily[daily["cs"] > 0]
    k_day = (daily["ghi"] / daily["cs"]).to_numpy()
    dates = pd.to_datetime(daily.index.to_numpy() * 86_400 * 10**9)
    block = dates.year.to_numpy() * 12 + dates.month.to_numpy()
    grouped = pd.DataFrame({"k": k_day, "b": block, "m": dates.month}).groupby(["b", "m"])["k"]
    cv = (grouped.std(ddof=0) / grouped.mean()).groupby(level="m").mean().reindex(range(1, 13)).to_numpy()
    z = _normal_scores(k_day, block)
    # ranking within blocks of n ~ 30 days biases the lag-1 correlation of an AR(1) down by (1 + 3 rho) / n
    # (Marriott and Pope, Biometrika 41 (1954) 390-402); invert it
    n = float(np.mean(np.bincount(block - block.min())[np.unique(block - block.min())]))
    lag1 = float((np.corrcoef(z[:-1], z[1:])[0, 1] + 1.0 / n) / (1.0 - 3.0 / n))
    dhi = weather["dhi"].to_numpy(dtype=float)
    month_s = pd.Series(month)
    fraction = pd.Series(dhi).groupby(month_s).sum() / pd.Series(ghi).groupby(month_s).sum()
    linke_how = "pvlib SoDa/Meteotest climatology (base table)"
    if lowered:
        linke_how += (
            f", lowered in month(s) {sorted(set(lowered))} until the file's GHI is at most "
            f"{_MAX_FITTED_CLEAR_SKY_INDEX:g} x the Ineichen clear sky"
        )
    return {
        "ghi_kwh_per_m2_day": _Fit(ghi_day, "monthly mean GHI x 24 h / 1000"),
        "linke_turbidity": _Fit(linke, linke_how),
        "clearness_cv": _Fit(
            np.clip(cv, 0.0, MONTHLY_COLUMNS["clearness_cv"][2]),
            "coefficient of variation of the daily clear-sky index (daily GHI / daily Ineichen clear-sky GHI, "
            "local solar days) within each month of each year, averaged over the years",
        ),
        "clearness_daily_lag1": _Fit(
            float(np.clip(lag1, 0.0, 0.99)),
            "lag-1 correlation of the Gaussian scores of the daily clear-sky index ranked within each month, "
            "corrected for the within-month bias -(1 + 3 r) / n (Marriott and Pope 1954)",
        ),
        "diffuse_fraction": _Fit(
            np.clip(fraction.reindex(range(1, 13)).to_numpy(), *MONTHLY_COLUMNS["diffuse_fraction"][1:]),
            "monthly sum of DHI / monthly sum of GHI",
        ),
    }


def _temperature(weather: pd.DataFrame, solar_hour: np.ndarray) -> dict[str, _Fit]:
    """Monthly minimum and maximum of the mean daily cycle, and their solar hours."""
    month = weather.index.month.to_numpy()
    temp = weather["temp_air"].to_numpy(dtype=float)
    hour_bin = np.floor(solar_hour).astype(int)
    cycle = pd.Series(temp).groupby([month, hour_bin]).mean().unstack()
    position = pd.Series(solar_hour).groupby(hour_bin).mean()
    annual_cycle = pd.Series(temp - _monthly_mean(temp, month)[month - 1]).groupby(hour_bin).mean()
    annual_cycle.index = position.to_numpy()
    how = (
        "extreme of the month's mean daily cycle by hour of solar time (the generator's T_min and T_max), not "
        "the mean of daily extremes, which lies about 0.5-1 K outside"
    )
    return {
        "temp_air_min": _Fit(cycle.min(axis=1).reindex(range(1, 13)).to_numpy(), "minimum: " + how),
        "temp_air_max": _Fit(cycle.max(axis=1).reindex(range(1, 13)).to_numpy(), "maximum: " + how),
        "temp_air_min_solar_hour": _Fit(
            _peak_hour(annual_cycle, lowest=True), "solar hour of the minimum of the mean daily cycle (parabola)"
        ),
        "temp_air_max_solar_hour": _Fit(
            _peak_hour(annual_cycle, lowest=False), "solar hour of the maximum of the mean daily cycle (parabola)"
        ),
    }


def _fit_wind_persistence(z: np.ndarray, block: np.ndarray, step_h: float) -> tuple[float, float, float]:
    r"""Synoptic share, hourly lag-1 and synoptic time scale of the generator's Gaussian wind process.

    Parameters
    ----------
    z : numpy.ndarray
        Gaussian scores of the wind, ranked within each block.
    block : numpy.ndarray of int
        Block (month of a year) of each value.
    step_h : float
        Time step [h].

    Returns
    -------
    share, lag1_per_h, timescale_h : float
        :math:`w`, :math:`\phi` [1/h] and :math:`\tau` [h] of :math:`\sqrt{w}\,x^{syn} + \sqrt{1-w}\,x^h`.

    Notes
    -----
    Indirect inference (Gouriéroux, Monfort and Renault, J. Appl. Econometrics 8 (1993) S85–S118): ranking
    within a month removes the slow part of the synoptic signal, so the observed autocorrelation
    :math:`\rho(L)` falls faster than :math:`w e^{-L/\tau} + (1-w)\phi^L`. The parameters are those whose
    simulated process, standardised within the same blocks, has the observed :math:`\rho(L)` at lags 1–72 h
    (common random numbers, so that the objective is smooth).
    """
    lags = np.unique(np.maximum(np.round(_WIND_ACF_LAGS_H / step_h), 1).astype(int))
    observed = _autocorrelation(z, lags)
    rng = np.random.default_rng(0)
    eps = rng.standard_normal((2, len(z)))
    counts = np.bincount(block - block.min())
    b = block - block.min()

    def simulated(p: np.ndarray) -> np.ndarray:
        share, phi_h, tau_h = p
        x = np.sqrt(share) * ar1_filter(eps[0], np.exp(-step_h / tau_h))
        x += np.sqrt(1.0 - share) * ar1_filter(eps[1], phi_h**step_h)
        mean = np.bincount(b, x) / counts
        sd = np.sqrt(np.bincount(b, (x - mean[b]) ** 2) / counts)
        return _autocorrelation((x - mean[b]) / sd[b], lags)

    fit = optimize.least_squares(
        lambda p: simulated(p) - observed,
        [0.6, 0.85, 48.0],
        bounds=([0.01, 0.0, 2.0], [0.99, 0.995, 1000.0]),
        x_scale=[0.1, 0.05, 20.0],
    )
    share, phi_h, tau_h = (float(p) for p in fit.x)
    return share, phi_h, tau_h


def _weibull_shape_of_low_quantiles(u: np.ndarray) -> float:
    r"""Weibull shape whose quantiles, for a mean of 1, best match those of ``u`` from 2 % to 70 % [-].

    The low and middle quantiles set how often the wind is too weak for the turbines (the lulls that size
    storage); the highest winds are capped by the rated speed and matter little. A moment fit (mean and
    :math:`E[v^3]`) would be driven by that upper tail instead.
    """
    p = np.linspace(0.01, 0.40, 40)
    log_q = np.log(np.quantile(u[np.isfinite(u) & (u > 0)], p))

    def misfit(k: float) -> float:
        return float(np.sum((np.log((-np.log1p(-p)) ** (1.0 / k) / special.gamma(1.0 + 1.0 / k)) - log_q) ** 2))

    return float(optimize.minimize_scalar(misfit, bounds=(1.0, 10.0), method="bounded").x)


def _annual_shape(k_within: float, table: Climatology) -> float:
    """The ``wind_weibull_k_annual`` for which the generator uses the within-month shape ``k_within``."""
    lo, hi = SCALARS["wind_weibull_k_annual"][1:]

    def gap(k_annual: float) -> float:
        try:
            return wind_weibull_shape_within_month(replace(table, wind_weibull_k_annual=k_annual)) - k_within
        except DataFileError:  # too narrow for the cycles: the within-month shape would be infinite
            return 50.0 - k_within

    if gap(lo) >= 0.0 or gap(hi) <= 0.0:
        raise WeatherDataError(
            f"wind: the within-month Weibull shape {k_within:.2f} of the file's 10 m wind needs an annual shape "
            f"outside [{lo:g}, {hi:g}]"
        )
    return float(optimize.brentq(gap, lo, hi, xtol=1e-4))


def _wind(weather: pd.DataFrame, solar_hour: np.ndarray, base: Climatology, years: float) -> dict[str, _Fit]:
    """10 m monthly means, annual Weibull shape, daily cycle, persistence; shear when 100 m wind is given."""
    index = weather.index
    month = index.month.to_numpy()
    v = weather["wind_speed"].to_numpy(dtype=float)
    monthly = _monthly_mean(v, month)
    relative = v / monthly[month - 1]
    (a1, h1), (a2, h2) = daily_harmonics(relative, solar_hour, orders=2)
    cycle = {
        "wind_diurnal_amplitude": a1,
        "wind_diurnal_peak_solar_hour": h1,
        "wind_diurnal_amplitude_2": a2,
        "wind_diurnal_peak_2_solar_hour": h2,
    }
    diurnal = wind_daily_cycle(replace(base, **cycle), solar_hour)
    x = month_position(index)
    year = index.year.to_numpy()
    level = pd.Series(v).groupby(year).transform("mean").to_numpy() / v.mean()
    k_within = _weibull_shape_of_low_quantiles(v / (monthly_curve(monthly, x) * diurnal * level))
    interannual = _interannual_cv(v, index) if years >= MIN_YEARS_INTERANNUAL else base.wind_interannual_cv
    k_annual = _annual_shape(k_within, replace(base, wind_speed_10m=monthly, wind_interannual_cv=interannual, **cycle))
    z = _normal_scores(v / diurnal, index.year.to_numpy() * 12 + month)
    step_h = (index[1] - index[0]) / pd.Timedelta("1h")
    share, phi_h, tau_h = _fit_wind_persistence(z, index.year.to_numpy() * 12 + month, step_h)
    out = {
        "wind_speed_10m": _Fit(monthly, "monthly mean 10 m wind speed"),
        "wind_weibull_k_annual": _Fit(
            k_annual,
            "annual shape for which the generator's within-month shape is the one whose quantiles 2-70 % best "
            "match those of the 10 m wind divided by its monthly curve, daily cycle and yearly level (lulls kept "
            "rather than the power density of the strongest winds)",
        ),
    }
    harmonic = "daily harmonic of the 10 m wind relative to its monthly mean, by solar hour (least squares)"
    out["wind_diurnal_amplitude"] = _Fit(a1, "amplitude of the first " + harmonic)
    out["wind_diurnal_peak_solar_hour"] = _Fit(h1, "solar hour of the maximum of the first " + harmonic)
    out["wind_diurnal_amplitude_2"] = _Fit(a2, "amplitude of the second " + harmonic)
    out["wind_diurnal_peak_2_solar_hour"] = _Fit(h2, "solar hour of the first maximum of the second " + harmonic)
    acf_how = (
        "fitted with the two others to the autocorrelation (lags 1-72 h) of the Gaussian scores of the 10 m wind "
        "(daily cycle removed, ranked within each month of each year), by indirect inference on the generator's "
        "process w AR(tau) + (1-w) AR(phi)"
    )
    out["wind_synoptic_share"] = _Fit(share, "w, " + acf_how)
    out["wind_hourly_lag1"] = _Fit(phi_h, "phi, " + acf_how)
    out["synoptic_timescale_h"] = _Fit(tau_h, "tau, " + acf_how + "; also used for temperature, humidity, pressure")
    if "wind_speed_100m" in weather.columns:
        v100 = weather["wind_speed_100m"].to_numpy(dtype=float)
        ok = (v >= SHEAR_FIT_MIN_WIND_SPEED) & (v100 > 0.0)
        alpha = np.log10(v100[ok] / v[ok])
        monthly_alpha = _monthly_mean(alpha, month[ok])
        ((a_amp, a_hour),) = daily_harmonics(alpha - monthly_alpha[month[ok] - 1], solar_hour[ok])
        how = f"log10(v100 / v10) of the hours with v10 >= {SHEAR_FIT_MIN_WIND_SPEED:g} m/s"
        out["wind_shear_exponent"] = _Fit(np.clip(monthly_alpha, 0.0, 0.6), "monthly mean of " + how)
        out["wind_shear_diurnal_amplitude"] = _Fit(
            min(a_amp, SCALARS["wind_shear_diurnal_amplitude"][2]), "first daily harmonic (solar hour) of " + how
        )
        out["wind_shear_max_solar_hour"] = _Fit(a_hour, "solar hour of the maximum of that harmonic")
    return out


def _interannual_cv(series: np.ndarray, index: pd.DatetimeIndex) -> float:
    """Year-to-year CV of the annual mean, less the part the daily weather alone gives [-].

    The daily means' variance over the effective number of independent days of a year (lag-1 correlation
    :math:`r`, :math:`N_{eff} = N(1-r)/(1+r)`) is subtracted from the variance of the annual means.
    """
    daily = pd.Series(series, index=index).resample("1D").mean()
    annual = daily.groupby(daily.index.year).mean()
    anomaly = daily - daily.groupby([daily.index.year, daily.index.month]).transform("mean")
    r = float(np.clip(anomaly.autocorr(1), 0.0, 0.99))
    noise_var = anomaly.var() / (365.0 * (1.0 - r) / (1.0 + r))
    return float(np.sqrt(max(annual.var() - noise_var, 0.0)) / annual.mean())


def calibrate_climatology(
    weather: pd.DataFrame,
    latitude: float,
    longitude: float,
    elevation_m: float,
    name: str,
    base: Climatology,
    source: str = "weather file",
    confidence: str = "M",
) -> Climatology:
    """Fit the synthetic generator's climatology to a weather table of whole years.

    Parameters
    ----------
    weather : pandas.DataFrame
        Canonical weather table (regular UTC index, at most hourly) with at least ``ghi``, ``temp_air`` and
        ``wind_speed`` and ``dhi`` or ``dni``; ``relative_humidity``, ``pressure``, ``temp_sea`` and
        ``wind_speed_100m`` are fitted when present.
    latitude, longitude : float
        Site [degrees north, degrees east], for the clear sky and the solar time.
    elevation_m : float
        Site altitude [m].
    name : str
        Name of the new climatology.
    base : Climatology
        Source of what the table cannot tell (hourly cloud texture, stress-event seasons and intensities,
        noise of temperature, humidity and sea, columns it lacks) and of the Linke turbidity.
    source : str
        Name of the weather source, quoted in every fitted number's source.
    confidence : str
        Confidence of the fitted numbers (that of the weather source).

    Returns
    -------
    Climatology
        Every number's ``sources`` entry says whether it was fitted (and how) or kept from ``base``.

    Raises
    ------
    WeatherDataError
        A missing column, a step longer than an hour, or not a whole number of years (at least one).
    DataFileError
        A fitted value outside the allowed range of the climatology (naming it).
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in weather.columns]
    if "dhi" not in weather.columns and "dni" not in weather.columns:
        missing.append("dhi or dni")
    if missing:
        raise WeatherDataError(f"{source}: cannot calibrate a climatology without column(s) {missing}")
    index = weather.index
    step = index[1] - index[0]
    if step > pd.Timedelta("1h"):
        raise WeatherDataError(f"{source}: time step {step} is longer than an hour; calibration needs hourly data")
    years = check_coverage(index, source)
    weather = weather.copy()
    if "dhi" not in weather.columns:
        zenith = pvlib.solarposition.ephemeris(index + step / 2, latitude, longitude)["zenith"].to_numpy()
        weather["dhi"] = np.clip(weather["ghi"] - weather["dni"] * np.cos(np.radians(zenith)).clip(0), 0, None)
    month = index.month.to_numpy()
    solar_hour = mean_solar_hour(index, longitude)
    fits = _solar(weather, latitude, longitude, elevation_m, base)
    fits |= _temperature(weather, solar_hour)
    fits |= _wind(weather, solar_hour, base, years)
    if "relative_humidity" in weather.columns:
        fits["relative_humidity"] = _Fit(_monthly_mean(weather["relative_humidity"], month), "monthly mean")
    if "temp_sea" in weather.columns:
        fits["temp_sea"] = _Fit(_monthly_mean(weather["temp_sea"], month), "monthly mean sea-surface temperature")
    if "pressure" in weather.columns:
        p = weather["pressure"].to_numpy(dtype=float)
        fits["pressure_sea_level_pa"] = _Fit(
            float(p.mean() * 101325.0 / pvlib.atmosphere.alt2pres(elevation_m)),
            "mean station pressure reduced to sea level with the standard atmosphere",
        )
        anomaly = p - _monthly_mean(p, month)[month - 1]
        fits["pressure_semidiurnal_amplitude_pa"] = _Fit(
            float(2.0 * np.mean(anomaly * np.cos(4.0 * np.pi * (solar_hour - 10.0) / 24.0))),
            "projection of the pressure anomaly on the semidiurnal tide cos(4 pi (h - 10) / 24)",
        )
    if years >= MIN_YEARS_INTERANNUAL:
        how = "standard deviation of the annual means over their mean, less the daily weather's sampling part"
        fits["ghi_interannual_cv"] = _Fit(_interannual_cv(weather["ghi"].to_numpy(), index), how)
        fits["wind_interannual_cv"] = _Fit(_interannual_cv(weather["wind_speed"].to_numpy(), index), how)
    span = f"{source}, {int(years)} year(s) {index[0].year}-{(index[-1]).year}"
    values: dict[str, object] = {}
    sources: dict[str, Source] = {}
    for field_name, (unit, _, _) in (MONTHLY_COLUMNS | SCALARS).items():
        if field_name in fits:
            values[field_name] = fits[field_name].value
            sources[field_name] = Source(unit, confidence, f"Fitted to {span}: {fits[field_name].method}.")
        else:
            values[field_name] = getattr(base, field_name)
            old = base.sources[field_name]
            sources[field_name] = Source(
                unit, old.confidence, f"Not fitted from {span}; kept from climatology '{base.name}': {old.source}"
            )
    return Climatology(name=name, **values, sources=sources)
