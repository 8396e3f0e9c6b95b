"""Where the sun is and where the modules face: solar position at mid-period, fixed rack or tracker."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pvlib

from greendc.scenario.models import PV


def period_midpoints(index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """Middle of each period of a period-start index: ``index + Δt/2`` [timestamps]."""
    return index + (index[1] - index[0]) / 2


def sun_position(
    index: pd.DatetimeIndex,
    latitude: float,
    longitude: float,
    elevation_m: float = 0.0,
    pressure: np.ndarray | float | None = None,
    temp_air: np.ndarray | float = 12.0,
) -> pd.DataFrame:
    """Solar position at the middle of each period (NREL SPA, :func:`pvlib.solarposition.get_solarposition`).

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Period starts (tz-aware, regular).
    latitude, longitude : float
        Site [degrees north, degrees east].
    elevation_m : float
        Site elevation [m].
    pressure : array-like or float, optional
        Air pressure for refraction [Pa]; default :func:`pvlib.atmosphere.alt2pres` of the elevation.
    temp_air : array-like or float
        Air temperature for refraction [°C].

    Returns
    -------
    pandas.DataFrame
        pvlib's columns (``apparent_zenith``, ``zenith``, ``azimuth`` … [degrees]) on ``index``.

    Notes
    -----
    A value stamped ``t`` is the mean over ``[t, t + Δt)``; the sun is evaluated at ``t + Δt/2``, which
    keeps a symmetric day symmetric and does not shift sunrise and sunset by half a step. PVWatts does
    the same (an hourly file read as period means, or a minute column at 30).

    References
    ----------
    Reda, I., Andreas, A. (2004) Solar position algorithm for solar radiation applications. Solar Energy
    76, 577-589. doi:10.1016/j.solener.2003.12.003
    """
    if pressure is None:
        pressure = pvlib.atmosphere.alt2pres(elevation_m)
    sp = pvlib.solarposition.get_solarposition(
        period_midpoints(index), latitude, longitude, altitude=elevation_m, pressure=pressure, temperature=temp_air
    )
    sp.index = index
    return sp


def mount_orientation(solar_zenith: np.ndarray, solar_azimuth: np.ndarray, pv: PV) -> dict[str, np.ndarray]:
    """Module orientation on a fixed rack or a horizontal single-axis tracker.

    Parameters
    ----------
    solar_zenith, solar_azimuth : numpy.ndarray
        Apparent solar zenith; azimuth clockwise from north [degrees].
    pv : greendc.scenario.models.PV
        ``mount``; ``surface_tilt``, ``surface_azimuth`` (fixed) or ``axis_azimuth``, ``max_angle``,
        ``backtrack``, ``gcr`` (tracker).

    Returns
    -------
    dict of numpy.ndarray
        ``surface_tilt``, ``surface_azimuth``, ``aoi`` and ``tracker_theta`` (rotation, negative towards
        east for a N-S axis; 0 for fixed racks) [degrees].

    Notes
    -----
    Tracker: true tracking ``θ_T`` puts the sun in the plane normal to the modules; backtracking turns the
    rows back to ``θ_B = θ_T − sign(θ_T)·arccos(cos θ_T / gcr)`` when ``cos θ_T < gcr`` (rows would shade
    each other); the result is limited to ``±max_angle`` (Anderson & Mikofski 2020). Fixed: ``cos aoi =
    cos z cos β + sin z sin β cos(γs − γ)`` (:func:`pvlib.irradiance.aoi`).

    References
    ----------
    Anderson, K., Mikofski, M. (2020) Slope-aware backtracking for single-axis trackers.
    NREL/TP-5K00-76626. doi:10.2172/1660126
    """
    zen = np.asarray(solar_zenith, dtype=float)
    azi = np.asarray(solar_azimuth, dtype=float)
    if pv.mount == "fixed":
        tilt, az = np.full(zen.shape, pv.surface_tilt), np.full(zen.shape, pv.surface_azimuth)
        aoi = np.asarray(pvlib.irradiance.aoi(tilt, az, zen, azi), dtype=float)
        return {"surface_tilt": tilt, "surface_azimuth": az, "aoi": aoi, "tracker_theta": np.zeros(zen.shape)}
    trk = pvlib.tracking.singleaxis(
        zen,
        azi,
        axis_tilt=0.0,
        axis_azimuth=pv.axis_azimuth,
        max_angle=pv.max_angle,
        backtrack=pv.backtrack,
        gcr=pv.gcr,
    )
    theta = np.nan_to_num(np.asarray(trk["tracker_theta"], dtype=float))
    tilt = np.nan_to_num(np.asarray(trk["surface_tilt"], dtype=float))
    az = np.asarray(trk["surface_azimuth"], dtype=float)
    az = np.where(np.isfinite(az), az, (pv.axis_azimuth + 90.0) % 360.0)
    aoi = np.asarray(pvlib.irradiance.aoi(tilt, az, zen, azi), dtype=float)
    return {"surface_tilt": tilt, "surface_azimuth": az, "aoi": aoi, "tracker_theta": theta}
