"""Monthly targets as smooth curves through the year, and monthly summaries of weather tables.

A climatology gives one value per calendar month; the synthetic generator and the fallbacks of
:mod:`greendc.weather.completion` need a value at every period. :func:`monthly_curve` draws a smooth
periodic curve that keeps every monthly mean (:func:`mean_preserving_nodes`), evaluated at the
:func:`month_position` of each period. :func:`monthly_summary` compares a weather table's monthly means
with a climatology's targets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from greendc.errors import WeatherDataError

if TYPE_CHECKING:
    from greendc.weather.climatology import Climatology

__all__ = ["mean_preserving_nodes", "mean_solar_hour", "month_position", "monthly_curve", "monthly_summary"]


def month_position(index: pd.DatetimeIndex) -> np.ndarray:
    """Position of each period's mid-point in the year, in months [0, 12) (UTC calendar).

    ``month - 1 + (day - 1 + fraction of day) / days in month``, the argument of :func:`monthly_curve`.

    Examples
    --------
    >>> idx = pd.date_range("2030-01-16", periods=2, freq="h", tz="UTC")
    >>> round(float(month_position(idx)[0]), 4)  # 16 January 00:30
    0.4845
    """
    step = index[1] - index[0] if len(index) > 1 else pd.Timedelta(0)
    mid = index + step / 2
    frac = (mid.hour + mid.minute / 60.0) / 24.0
    return np.asarray((mid.month - 1) + (mid.day - 1 + frac) / mid.days_in_month, dtype=float)


def mean_solar_hour(index: pd.DatetimeIndex, longitude: float) -> np.ndarray:
    """Local mean solar time of each period's mid-point, UTC + longitude / 15 [h] in [0, 24).

    Examples
    --------
    >>> idx = pd.date_range("2030-01-01", periods=2, freq="h", tz="UTC")
    >>> mean_solar_hour(idx, -15.0).tolist()  # 00:30 UTC at 15 W
    [23.5, 0.5]
    """
    step = index[1] - index[0] if len(index) > 1 else pd.Timedelta(0)
    mid = index + step / 2
    return np.mod(np.asarray(mid.hour + mid.minute / 60.0, dtype=float) + longitude / 15.0, 24.0)


def mean_preserving_nodes(monthly_values: np.ndarray) -> np.ndarray:
    """Node values at mid-month whose periodic linear interpolation keeps every monthly mean.

    Parameters
    ----------
    monthly_values : array of 12 floats
        Monthly means [any unit].

    Returns
    -------
    numpy.ndarray
        12 node values [same unit], placed at month positions 0.5, 1.5, … 11.5.

    Notes
    -----
    With the month position :math:`x` (month ``m`` spans :math:`[m-1, m)` whatever its length), the mean
    over month :math:`m` of the linear interpolation through nodes :math:`n_{m-1}, n_m, n_{m+1}` at the
    mid-months is :math:`(n_{m-1} + 6 n_m + n_{m+1}) / 8`. Solving this cyclic tridiagonal system for the
    nodes keeps every monthly mean exactly, where plain interpolation between monthly values would flatten
    the peaks (a July wind maximum, a December minimum) by a few per cent.
    """
    values = np.asarray(monthly_values, dtype=float)
    matrix = 0.75 * np.eye(12) + 0.125 * (np.roll(np.eye(12), 1, axis=1) + np.roll(np.eye(12), -1, axis=1))
    return np.linalg.solve(matrix, values)


def monthly_curve(monthly_values: np.ndarray, month_position: np.ndarray, mean_preserving: bool = True) -> np.ndarray:
    """Smooth periodic curve through the year with the given monthly means.

    Parameters
    ----------
    monthly_values : array of 12 floats
        Monthly means, January first [any unit].
    month_position : numpy.ndarray
        Position in the year in months, in [0, 12):
        ``month - 1 + (day - 1 + fraction_of_day) / days_in_month``.

    mean_preserving : bool
        Keep the monthly means (nodes from :func:`mean_preserving_nodes`, which may overshoot the
        monthly extremes slightly); ``False`` interpolates linearly between the monthly values placed at
        mid-month (pvlib's convention for the Linke turbidity), which stays within them.

    Returns
    -------
    numpy.ndarray
        The curve at ``month_position`` [same unit].

    Examples
    --------
    >>> x = (np.arange(1000) + 0.5) / 1000  # January, finely sampled
    >>> round(float(monthly_curve(np.arange(12.0), x).mean()), 9)
    0.0
    """
    nodes = mean_preserving_nodes(monthly_values) if mean_preserving else np.asarray(monthly_values, dtype=float)
    xp = np.arange(-0.5, 12.51, 1.0)
    fp = np.concatenate([nodes[-1:], nodes, nodes[:1]])
    return np.interp(np.asarray(month_position, dtype=float), xp, fp)


def monthly_summary(weather: pd.DataFrame, climatology: Climatology | None = None) -> pd.DataFrame:
    r"""Monthly means of a weather table beside the climatology targets.

    Parameters
    ----------
    weather : pandas.DataFrame
        Canonical weather frame (regular UTC index; ``ghi`` [W/m²], ``temp_air`` [°C],
        ``wind_speed`` [m/s at 10 m]).
    climatology : Climatology, optional
        The targets; without it only the means are returned.

    Returns
    -------
    pandas.DataFrame
        Indexed by calendar month (1–12, the months present in ``weather``), columns
        ``ghi_kwh_per_m2_day``, ``ghi_target_kwh_per_m2_day``, ``temp_air_mean``, ``temp_air_target``
        [°C], ``wind_speed_mean``, ``wind_speed_target`` [m/s] (no ``*_target`` columns without a
        climatology); all years pooled by calendar month (UTC).

    Notes
    -----
    Daily irradiation from the mean irradiance of a regular index:
    :math:`H = \overline{G} \cdot 24\,\mathrm{h} / 1000` [kWh/m²/day]. The temperature target is
    :math:`(T_{min} + T_{max})/2` of the table.
    """
    missing = [c for c in ("ghi", "temp_air", "wind_speed") if c not in weather.columns]
    if missing:
        raise WeatherDataError(f"monthly_summary: weather lacks column(s) {missing}")
    if not isinstance(weather.index, pd.DatetimeIndex):
        raise WeatherDataError(
            f"monthly_summary: the index must be a DatetimeIndex, got {type(weather.index).__name__}"
        )
    month = pd.Index(weather.index.month, name="month")
    means = weather[["ghi", "temp_air", "wind_speed"]].groupby(month).mean()
    i = means.index.to_numpy() - 1
    columns = {
        "ghi_kwh_per_m2_day": means["ghi"].to_numpy() * 24.0 / 1000.0,
        "ghi_target_kwh_per_m2_day": None if climatology is None else climatology.ghi_kwh_per_m2_day[i],
        "temp_air_mean": means["temp_air"].to_numpy(),
        "temp_air_target": None if climatology is None else climatology.temp_air_mean[i],
        "wind_speed_mean": means["wind_speed"].to_numpy(),
        "wind_speed_target": None if climatology is None else climatology.wind_speed_10m[i],
    }
    return pd.DataFrame({k: v for k, v in columns.items() if v is not None}, index=means.index)
