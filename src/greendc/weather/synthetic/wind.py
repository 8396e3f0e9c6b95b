"""Synthetic wind: the within-month Weibull shape of the 10 m wind and the shear law up to 100 m.

The 10 m wind of the generator is a Weibull variable around the monthly means with a daily cycle; the
100 m wind is not that series times a constant. Its shear exponent follows the climatology's monthly
values plus a daily cycle peaking in the stable night (:func:`shear_exponent`), so the hub-height wind
keeps the steadier, night-shifted cycle of the layer above the surface.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, special

from greendc.errors import DataFileError
from greendc.weather.climatology import Climatology
from greendc.weather.monthly import monthly_curve
from greendc.weather.wind_profile import SHEAR_EXPONENT_RANGE

__all__ = [
    "shear_exponent",
    "weibull_cube_ratio",
    "weibull_shape_from_cube_ratio",
    "wind_daily_cycle",
    "wind_weibull_shape_within_month",
]


def weibull_cube_ratio(k: float) -> float:
    r"""The ratio :math:`E[v^3]/E[v]^3 = \Gamma(1+3/k)/\Gamma(1+1/k)^3` of a Weibull law of shape ``k`` [-].

    Examples
    --------
    >>> round(weibull_cube_ratio(2.0), 4)  # Rayleigh: 6 / pi
    1.9099
    """
    return float(special.gamma(1.0 + 3.0 / k) / special.gamma(1.0 + 1.0 / k) ** 3)


def weibull_shape_from_cube_ratio(ratio: float) -> float:
    """The Weibull shape whose :func:`weibull_cube_ratio` is ``ratio``, in [0.3, 50] [-].

    Raises
    ------
    DataFileError
        ``ratio`` outside what shapes 0.3-50 give (a nearly constant or wildly spread wind).

    Examples
    --------
    >>> round(weibull_shape_from_cube_ratio(weibull_cube_ratio(2.2)), 6)
    2.2
    """
    if not weibull_cube_ratio(50.0) < ratio < weibull_cube_ratio(0.3):
        raise DataFileError(f"wind: E[v^3]/E[v]^3 = {ratio:g} is not that of a Weibull law of shape 0.3-50")
    return float(optimize.brentq(lambda k: weibull_cube_ratio(k) - ratio, 0.3, 50.0))


def _weibull_shape(
    k_annual: float, monthly_curve_values: np.ndarray, diurnal_cube_mean: float, interannual_cv: float
) -> float:
    r"""Weibull shape of the wind within a month that gives the annual distribution the shape ``k_annual``.

    Parameters
    ----------
    k_annual : float
        Weibull shape of all hours of a year pooled [-].
    monthly_curve_values : numpy.ndarray
        Mean wind speed through the year, e.g. one value per day [m/s].
    diurnal_cube_mean : float
        Mean over the day of the cube of the daily-cycle factor :math:`f(h)` (:func:`wind_daily_cycle`) [-].
    interannual_cv : float
        Standard deviation of the yearly level [-].

    Returns
    -------
    float
        Shape :math:`k` [-].

    Notes
    -----
    The seasonal cycle, the daily-cycle factor :math:`f(h)` (mean 1) and the yearly level add spread, so
    the within-month shape must be larger than the annual one. With :math:`g(k) = \Gamma(1+3/k) /
    \Gamma(1+1/k)^3` (the ratio :math:`E[v^3]/E[v]^3` of a Weibull law), :math:`k` solves
    :math:`g(k)\,\frac{\overline{V^3}}{\overline{V}^3}\,\overline{f^3}\,(1 + 3\sigma_y^2) = g(k_{annual})`
    (:math:`\overline{f^3} = 1 + \tfrac32 a^2` for a single harmonic of amplitude :math:`a`),
    which keeps the annual mean and the annual power density :math:`\tfrac12\rho E[v^3]` of a Weibull
    law of shape ``k_annual``.
    """
    v = np.asarray(monthly_curve_values, dtype=float)
    mix = np.mean(v**3) / np.mean(v) ** 3 * diurnal_cube_mean * (1.0 + 3.0 * interannual_cv**2)
    target = weibull_cube_ratio(k_annual) / mix
    if target <= weibull_cube_ratio(50.0):
        raise DataFileError(
            f"wind_weibull_k_annual = {k_annual:g} is too narrow for the table's seasonal and diurnal wind "
            f"cycles (they alone spread the annual distribution more); allowed: a smaller shape"
        )
    return weibull_shape_from_cube_ratio(target)


def wind_weibull_shape_within_month(climatology: Climatology) -> float:
    """Weibull shape of the 10 m wind within a month that gives the table's annual shape.

    Parameters
    ----------
    climatology : Climatology
        Uses ``wind_weibull_k_annual``, ``wind_speed_10m``, the daily cycle (:func:`wind_daily_cycle`) and
        ``wind_interannual_cv``.

    Returns
    -------
    float
        Shape :math:`k` [-] used by the synthetic generator for every calendar month.

    Raises
    ------
    DataFileError
        The seasonal and diurnal cycles alone already spread the wind more than ``wind_weibull_k_annual``.

    Examples
    --------
    >>> from greendc.weather.climatology import load_climatology
    >>> round(wind_weibull_shape_within_month(load_climatology("dakhla")), 2)
    2.75
    """
    clim = climatology
    v_year = monthly_curve(clim.wind_speed_10m, (np.arange(365) + 0.5) / 365.0 * 12.0)
    cube = float(np.mean(wind_daily_cycle(clim, (np.arange(240) + 0.5) / 10.0) ** 3))
    return _weibull_shape(clim.wind_weibull_k_annual, v_year, cube, clim.wind_interannual_cv)


def wind_daily_cycle(climatology: Climatology, solar_hour: np.ndarray) -> np.ndarray:
    r"""Daily-cycle factor of the 10 m wind, mean 1 over the day [-].

    Parameters
    ----------
    climatology : Climatology
        Uses ``wind_diurnal_amplitude``, ``wind_diurnal_peak_solar_hour`` (first harmonic) and
        ``wind_diurnal_amplitude_2``, ``wind_diurnal_peak_2_solar_hour`` (second harmonic).
    solar_hour : numpy.ndarray
        Solar time [h].

    Returns
    -------
    numpy.ndarray
        :math:`f(h) = 1 + a_1\cos(2\pi(h - h_1)/24) + a_2\cos(4\pi(h - h_2)/24)`.

    Notes
    -----
    The first harmonic is the sea breeze and daytime mixing of the surface layer; the second gives the
    sharper afternoon peak and the morning minimum that coastal stations show.

    Examples
    --------
    >>> from dataclasses import replace
    >>> from greendc.weather.climatology import load_climatology
    >>> clim = replace(load_climatology("dakhla"), wind_diurnal_amplitude=0.2, wind_diurnal_peak_solar_hour=15.0,
    ...                wind_diurnal_amplitude_2=0.05, wind_diurnal_peak_2_solar_hour=3.0)
    >>> wind_daily_cycle(clim, np.array([15.0, 3.0])).round(4).tolist()  # 1 + 0.2 + 0.05, 1 - 0.2 + 0.05
    [1.25, 0.85]
    """
    h = np.asarray(solar_hour, dtype=float)
    clim = climatology
    return (
        1.0
        + clim.wind_diurnal_amplitude * np.cos(2.0 * np.pi * (h - clim.wind_diurnal_peak_solar_hour) / 24.0)
        + clim.wind_diurnal_amplitude_2 * np.cos(4.0 * np.pi * (h - clim.wind_diurnal_peak_2_solar_hour) / 24.0)
    )


def shear_exponent(climatology: Climatology, month_position: np.ndarray, solar_hour: np.ndarray) -> np.ndarray:
    r"""Power-law shear exponent between 10 m and 100 m at each period [-].

    Parameters
    ----------
    climatology : Climatology
        Uses the monthly ``wind_shear_exponent`` and the scalars ``wind_shear_diurnal_amplitude`` and
        ``wind_shear_max_solar_hour``.
    month_position : numpy.ndarray
        Position in the year in months, in [0, 12) (:func:`~greendc.weather.monthly.month_position`).
    solar_hour : numpy.ndarray
        Mean (or apparent) solar time [h].

    Returns
    -------
    numpy.ndarray
        :math:`\alpha(t) = \bar\alpha_m(t) + A\cos(2\pi(h - h_{max})/24)`, clipped to
        :data:`~greendc.weather.wind_profile.SHEAR_EXPONENT_RANGE`; :math:`\bar\alpha_m` the smooth
        monthly curve (:func:`~greendc.weather.monthly.monthly_curve`).

    Notes
    -----
    The surface layer is unstable by day (strong mixing, small shear) and stable at night (the wind
    above decouples from the surface, large shear), so the exponent peaks at night and the 100 m wind
    :math:`v_{100} = v_{10}\,10^{\alpha}` has a weaker, night-shifted daily cycle than the 10 m wind
    (Stull, An Introduction to Boundary Layer Meteorology, Kluwer 1988, ch. 1 and 9).

    Examples
    --------
    >>> from dataclasses import replace
    >>> from greendc.weather.climatology import load_climatology
    >>> clim = replace(load_climatology("dakhla"), wind_shear_exponent=np.full(12, 0.12),
    ...                wind_shear_diurnal_amplitude=0.05, wind_shear_max_solar_hour=3.0)
    >>> shear_exponent(clim, np.array([6.5, 6.5]), np.array([3.0, 15.0])).round(3).tolist()
    [0.17, 0.07]
    """
    clim = climatology
    alpha = monthly_curve(clim.wind_shear_exponent, month_position) + clim.wind_shear_diurnal_amplitude * np.cos(
        2.0 * np.pi * (np.asarray(solar_hour, dtype=float) - clim.wind_shear_max_solar_hour) / 24.0
    )
    return np.clip(alpha, *SHEAR_EXPONENT_RANGE)
