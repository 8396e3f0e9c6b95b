"""Synthetic irradiance: clear sky, daily and hourly clear-sky index (the cloud process), Erbs DNI/DHI split
scaled to the monthly diffuse fraction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pvlib
from scipy import special

from greendc.weather.synthetic.noise import stratified_uniform

__all__ = [
    "MAX_MEAN_CLEAR_SKY_INDEX",
    "MIN_CLEAR_SKY_INDEX",
    "clear_sky",
    "daily_clear_sky_index",
    "erbs_split",
    "hourly_clear_sky_index",
    "match_diffuse_fraction",
]

#: Highest monthly mean clear-sky index a table may ask for (a sky clearer than Ineichen's is not modelled).
MAX_MEAN_CLEAR_SKY_INDEX = 0.97
#: Lowest hourly clear-sky index (thick dust or cloud).
MIN_CLEAR_SKY_INDEX = 0.05


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


def match_diffuse_fraction(
    ghi: np.ndarray,
    dhi: np.ndarray,
    zenith: np.ndarray,
    clear_dni: np.ndarray,
    block: np.ndarray,
    target: np.ndarray,
    iterations: int = 6,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Scale the diffuse part of each block (a month of a year) to a target diffuse fraction.

    Parameters
    ----------
    ghi, dhi : numpy.ndarray
        Global and diffuse horizontal irradiance, e.g. from :func:`erbs_split` [W/m²].
    zenith : numpy.ndarray
        True solar zenith [degrees].
    clear_dni : numpy.ndarray
        Clear-sky DNI, an upper bound on the beam [W/m²].
    block : numpy.ndarray of int
        Block number of each period (e.g. ``12 * year + month - 1``), from 0.
    target : numpy.ndarray
        Target :math:`\sum DHI / \sum GHI` of each block [-].
    iterations : int
        Fixed-point steps; the bounds make the scaling slightly non-linear.

    Returns
    -------
    dni, dhi : numpy.ndarray
        [W/m²], with :math:`GHI = DHI + DNI \cos Z`.

    Notes
    -----
    The Erbs correlation fixes the hourly diffuse fraction from the clearness index alone; its monthly
    mean at a hazy coastal desert site can be far from the measured one (aerosol and marine haze raise
    the diffuse part of clear skies; clean air lowers it). The hour-by-hour shape of Erbs is kept and its
    level set per block: :math:`DHI' = \mathrm{clip}(s_b\,DHI,\ GHI - DNI_{cs}\cos Z,\ GHI)` with
    :math:`s_b` iterated until the block's fraction meets the target, then :math:`DNI = (GHI - DHI')/\cos Z`.
    A target out of reach within the bounds (all beam at clear-sky DNI, or all diffuse) is met as closely
    as the bounds allow.

    Examples
    --------
    >>> g, d = np.array([500.0, 800.0]), np.array([200.0, 200.0])
    >>> dni, dhi = match_diffuse_fraction(g, d, np.array([30.0, 20.0]), np.array([900.0, 900.0]),
    ...                                   np.array([0, 0]), np.array([0.3]))
    >>> round(float(dhi.sum() / g.sum()), 4)
    0.3
    """
    ghi = np.asarray(ghi, dtype=float)
    cos_z = np.where(zenith < 90.0, np.cos(np.radians(zenith)), 0.0)
    low = np.clip(ghi - np.asarray(clear_dni, dtype=float) * cos_z, 0.0, ghi)
    n_blocks = len(target)
    ghi_block = np.bincount(block, ghi, minlength=n_blocks)
    scale = np.ones(n_blocks)
    out = np.asarray(dhi, dtype=float)
    for _ in range(iterations):
        out = np.clip(scale[block] * dhi, low, ghi)
        dhi_block = np.bincount(block, out, minlength=n_blocks)
        with np.errstate(invalid="ignore", divide="ignore"):
            scale = np.where(dhi_block > 0, scale * target * ghi_block / dhi_block, scale)
    out = np.clip(scale[block] * dhi, low, ghi)
    with np.errstate(invalid="ignore", divide="ignore"):
        dni = np.where(cos_z > 0.0, (ghi - out) / cos_z, 0.0)
    return np.clip(dni, 0.0, None), out
