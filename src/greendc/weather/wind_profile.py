"""The vertical wind profile: wind speed at another height by the power or log law, and the shear exponent.

Pure functions shared by the weather sources (reanalysis winds at 10, 50 and 100 m; the synthetic generator;
the fallback that lifts a file's 10 m wind to 100 m) and the wind-farm model (hub height).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "DEFAULT_SHEAR_EXPONENT",
    "GRAVITY_M_PER_S2",
    "SHEAR_EXPONENT_RANGE",
    "SHEAR_FIT_MIN_WIND_SPEED",
    "TEMP_AIR_HEIGHT_M",
    "WIND_SPEED_100M_HEIGHT_M",
    "WIND_SPEED_HEIGHT_M",
    "fit_shear_exponent",
    "log_law_wind_speed",
    "power_law_wind_speed",
]

#: Standard gravity [m/s²] (ISO 2533).
GRAVITY_M_PER_S2 = 9.80665
#: Heights of the canonical weather columns [m] (see :mod:`greendc.weather.schema`).
TEMP_AIR_HEIGHT_M = 2.0
WIND_SPEED_HEIGHT_M = 10.0
WIND_SPEED_100M_HEIGHT_M = 100.0
#: Power-law exponent when nothing better is known (neutral stability, open terrain).
DEFAULT_SHEAR_EXPONENT = 1.0 / 7.0
#: Range fitted power-law exponents are clipped to (the range ``Wind.shear_exponent`` accepts).
SHEAR_EXPONENT_RANGE = (0.0, 0.6)
#: Below this speed [m/s] at either height no hourly exponent is fitted (ratio of small numbers).
SHEAR_FIT_MIN_WIND_SPEED = 1.0


def power_law_wind_speed(
    wind_speed: np.ndarray, reference_height_m: float, height_m: float, shear_exponent: float | np.ndarray
) -> np.ndarray:
    """Wind speed at another height by the power law [m/s].

    Parameters
    ----------
    wind_speed : array-like
        Wind speed at the reference height [m/s].
    reference_height_m, height_m : float
        Reference and target heights [m].
    shear_exponent : float or array-like
        Power-law exponent :math:`\\alpha` [-], scalar or one per time step.

    Notes
    -----
    .. math:: v(z) = v(z_r) \\, (z / z_r)^{\\alpha}

    :math:`\\alpha = 1/7` is the neutral open-terrain value; it grows in stable (night) and shrinks in
    unstable (day) air.

    References
    ----------
    Peterson, E. W. & Hennessey, J. P. (1978). On the use of power laws for estimates of wind power
    potential. J. Appl. Meteorol. 17, 390–394. https://doi.org/10.1175/1520-0450(1978)017<0390:OTUOPL>2.0.CO;2

    Examples
    --------
    >>> round(float(power_law_wind_speed(6.0, 10.0, 120.0, 1 / 7)), 3)
    8.557
    """
    return np.asarray(wind_speed, dtype=float) * (height_m / reference_height_m) ** np.asarray(shear_exponent)


def log_law_wind_speed(
    wind_speed: np.ndarray, reference_height_m: float, height_m: float, roughness_length_m: float
) -> np.ndarray:
    """Wind speed at another height by the logarithmic profile [m/s].

    Parameters
    ----------
    wind_speed : array-like
        Wind speed at the reference height [m/s].
    reference_height_m, height_m : float
        Reference and target heights [m], above ``roughness_length_m``.
    roughness_length_m : float
        Surface roughness length :math:`z_0` [m] (about 0.0002 open sea, 0.01–0.03 open flat land).

    Notes
    -----
    Neutral surface layer: :math:`v(z) = v(z_r) \\ln(z / z_0) / \\ln(z_r / z_0)`.

    References
    ----------
    Manwell, J. F., McGowan, J. G. & Rogers, A. L. (2009). Wind Energy Explained, 2nd ed., chapter 2.
    Wiley. https://doi.org/10.1002/9781119994367

    Examples
    --------
    >>> round(float(log_law_wind_speed(6.0, 10.0, 120.0, 0.03)), 3)
    8.567
    """
    z0 = roughness_length_m
    return np.asarray(wind_speed, dtype=float) * (math.log(height_m / z0) / math.log(reference_height_m / z0))


def fit_shear_exponent(
    wind_speed_low: np.ndarray,
    wind_speed_high: np.ndarray,
    height_low_m: float = WIND_SPEED_HEIGHT_M,
    height_high_m: float = WIND_SPEED_100M_HEIGHT_M,
) -> np.ndarray:
    """Power-law exponent fitted hour by hour from two heights [-].

    Parameters
    ----------
    wind_speed_low, wind_speed_high : array-like
        Simultaneous wind speeds at the lower and upper height [m/s].
    height_low_m, height_high_m : float
        The two heights [m].

    Notes
    -----
    .. math:: \\alpha_t = \\ln(v_{high,t} / v_{low,t}) \\, / \\, \\ln(z_{high} / z_{low})

    Hour by hour rather than one mean exponent, to keep the diurnal stability cycle (low shear by day, high
    at night) of sites with a strong daily wind cycle. Where either speed is below
    :data:`SHEAR_FIT_MIN_WIND_SPEED` the ratio is noise and the exponent of the mean speeds over the other
    hours is used (:data:`DEFAULT_SHEAR_EXPONENT` if none). All values are clipped to
    :data:`SHEAR_EXPONENT_RANGE` (negative shear, e.g. low-level jets, counts as none). Reference: see
    :func:`power_law_wind_speed`.

    Examples
    --------
    >>> round(float(fit_shear_exponent([5.0], [7.0])[0]), 4)
    0.1461
    """
    low = np.atleast_1d(np.asarray(wind_speed_low, dtype=float))
    high = np.atleast_1d(np.asarray(wind_speed_high, dtype=float))
    lo, hi = SHEAR_EXPONENT_RANGE
    log_ratio = math.log(height_high_m / height_low_m)
    valid = (low >= SHEAR_FIT_MIN_WIND_SPEED) & (high >= SHEAR_FIT_MIN_WIND_SPEED)
    fallback = math.log(high[valid].mean() / low[valid].mean()) / log_ratio if valid.any() else DEFAULT_SHEAR_EXPONENT
    alpha = np.full(low.shape, float(np.clip(fallback, lo, hi)))
    alpha[valid] = np.log(high[valid] / low[valid]) / log_ratio
    return np.clip(alpha, lo, hi)
