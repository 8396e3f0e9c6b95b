"""MERRA-2 hourly single-level reanalysis (NASA GES DISC NetCDF4, M2T1NXSLV + M2T1NXRAD): :func:`read_merra2`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pvlib
import xarray as xr

from greendc.errors import WeatherDataError
from greendc.weather.readers.common import TIME_UNIT, attach_site, check_site, source_name
from greendc.weather.readers.era5 import (
    MAX_BEAM_ZENITH_DEG,
    beam_and_diffuse,
    grid_metadata,
    nearest_cell,
    nearest_valid_cell,
    solar_zenith_mid,
)
from greendc.weather.schema import canonical_order
from greendc.weather.wind_profile import GRAVITY_M_PER_S2, fit_shear_exponent, power_law_wind_speed

__all__ = [
    "MERRA2_GRID_STEP_DEG",
    "MERRA2_OPTIONAL_VARIABLES",
    "MERRA2_SEA_FRACTION_MIN",
    "MERRA2_VARIABLES",
    "read_merra2",
    "vapour_pressure",
]

#: MERRA-2 variable -> (collection, meaning), for the variables :func:`read_merra2` needs.
MERRA2_VARIABLES: dict[str, str] = {
    "SWGDN": "M2T1NXRAD surface incoming shortwave flux [W m-2]",
    "T2M": "M2T1NXSLV 2-meter air temperature [K]",
    "QV2M": "M2T1NXSLV 2-meter specific humidity [kg kg-1]",
    "PS": "M2T1NXSLV surface pressure [Pa]",
    "U10M": "M2T1NXSLV 10-meter eastward wind [m s-1]",
    "V10M": "M2T1NXSLV 10-meter northward wind [m s-1]",
    "U50M": "M2T1NXSLV eastward wind at 50 meters [m s-1]",
    "V50M": "M2T1NXSLV northward wind at 50 meters [m s-1]",
}
#: Variables used when present: skin temperature with the ocean fraction (-> ``temp_sea``), surface
#: geopotential (-> elevation); the last two are in the constants collection M2C0NXASM.
MERRA2_OPTIONAL_VARIABLES: dict[str, str] = {
    "TS": "M2T1NXSLV surface skin temperature [K]",
    "FROCEAN": "M2C0NXASM fraction of ocean [1]",
    "PHIS": "M2C0NXASM surface geopotential height [m+2 s-2]",
}
#: MERRA-2 grid step (latitude, longitude) [degrees]: the bound on the site's distance for a one-point file.
MERRA2_GRID_STEP_DEG = (0.5, 0.625)
#: Least ocean fraction of a cell whose skin temperature is taken as the sea's [-].
MERRA2_SEA_FRACTION_MIN = 0.9
_EPSILON = 0.622  # ratio of the gas constants of dry air and water vapour [-]
_MAGNUS_WMO = (611.2, 17.62, 243.12)  # Pa, -, degC: the WMO coefficients, pvlib.atmosphere.rh_from_tdew's defaults
_HEIGHTS_M = (10.0, 50.0, 100.0)


def vapour_pressure(specific_humidity: np.ndarray, pressure: np.ndarray) -> np.ndarray:
    """Water-vapour partial pressure from specific humidity and pressure [Pa].

    Parameters
    ----------
    specific_humidity : array-like
        Specific humidity :math:`q` [kg/kg].
    pressure : array-like
        Air pressure :math:`p` [Pa].

    Notes
    -----
    Inverting :math:`q = \\varepsilon e / (p - (1 - \\varepsilon) e)`, :math:`\\varepsilon = 0.622`:

    .. math:: e = \\frac{q \\, p}{0.622 + 0.378 \\, q}

    References
    ----------
    .. [1] J. M. Wallace, P. V. Hobbs, Atmospheric Science: An Introductory Survey, 2nd ed., Academic
       Press (2006), section 3.5.

    Examples
    --------
    >>> round(float(vapour_pressure(0.012, 100000.0)), 2)
    1915.29
    """
    q = np.asarray(specific_humidity, dtype=float)
    return q * np.asarray(pressure, dtype=float) / (_EPSILON + (1.0 - _EPSILON) * q)


def _time_constant(da: xr.DataArray) -> np.ndarray:
    """A (lat, lon) field; a constants-collection variable merged onto the hourly time axis is averaged."""
    return (da.mean("time", skipna=True) if "time" in da.dims else da).transpose("lat", "lon").to_numpy()


def read_merra2(
    path: str | Path, latitude: float, longitude: float, elevation_m: float | None = None
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Read MERRA-2 hourly single-level data (GES DISC NetCDF4) at a site into a canonical weather table.

    Parameters
    ----------
    path : str or pathlib.Path
        NetCDF4 file on (time, lat, lon) holding the variables of :data:`MERRA2_VARIABLES`: one file with
        both collections M2T1NXSLV (``tavg1_2d_slv_Nx``) and M2T1NXRAD (``tavg1_2d_rad_Nx``), e.g. merged
        from the two GES DISC granules or subsets; optionally :data:`MERRA2_OPTIONAL_VARIABLES`.
    latitude, longitude : float
        Site [degrees north, degrees east].
    elevation_m : float, optional
        Site elevation [m], used when the file has no ``PHIS``.

    Returns
    -------
    data : pandas.DataFrame
        Canonical columns (``ghi``, ``dni``, ``dhi`` [W/m²], ``temp_air`` [°C], ``relative_humidity`` [%],
        ``pressure`` [Pa], ``wind_speed``, ``wind_speed_100m`` [m/s], ``temp_sea`` [°C] when the file has
        ``TS`` and ``FROCEAN``), hourly UTC index of period starts.
    metadata : dict
        ``source``, ``format`` ('merra2-netcdf'), ``latitude``, ``longitude`` (the site), ``elevation_m``
        (``PHIS`` / g of the cell when in the file, else the argument), ``grid_cell`` and ``sea_cell`` (the
        cells read, or None), ``models`` (the stated model of each derived column) and ``original`` (the
        file's global attributes).

    Raises
    ------
    WeatherDataError
        Unreadable file, a required variable missing, time stamps other than hourly at ``hh:30``, a site
        more than one grid step outside the grid, ``TS`` and ``FROCEAN`` without a sea cell, or any check
        of :func:`~greendc.weather.schema.check_weather`.

    Notes
    -----
    ``tavg1`` fields are means over the hour, stamped at its centre ``hh:30`` UTC [1]_; the row is
    stamped ``hh:00``, the period start, for every variable (all are hour means).

    MERRA-2 gives neither the direct/diffuse split nor humidity at saturation, nor wind at 100 m. Stated
    models (also in ``metadata['models']``):

    * DNI, DHI: the Erbs et al. (1982) diffuse-fraction correlation [2]_ (:func:`pvlib.irradiance.erbs`)
      applied to ``SWGDN`` with the solar zenith at the hour's mid-point; its beam is then limited and
      closed as in :func:`~greendc.weather.readers.era5.beam_and_diffuse` (DHI = GHI - DNI cos θz).
    * relative humidity: :math:`100 \\, e / e_s(T)` with :math:`e` from ``QV2M`` and ``PS``
      (:func:`vapour_pressure`) and :math:`e_s(t) = 611.2 \\exp(17.62 t / (243.12 + t))` Pa, :math:`t` in
      °C (Magnus, WMO coefficients as in :func:`pvlib.atmosphere.rh_from_tdew`), capped at 100 %.
    * ``wind_speed_100m``: the power law from 50 m, :math:`v_{100} = v_{50} (100/50)^{\\alpha_t}`, with the
      exponent :math:`\\alpha_t` fitted hour by hour on the 10 m and 50 m speeds
      (:func:`greendc.assets.wind.fit_shear_exponent`: clipped to [0, 0.6], the mean-speed exponent
      where either speed is below 1 m/s).
    * ``temp_sea``: ``TS`` - 273.15 at the nearest cell with ``FROCEAN`` >= :data:`MERRA2_SEA_FRACTION_MIN`
      (skin temperature of the sea, not the bulk SST); without ``TS`` and ``FROCEAN`` the column is left out.

    Land variables come from the grid cell nearest the site
    (:func:`~greendc.weather.readers.era5.nearest_cell`).

    References
    ----------
    .. [1] R. Gelaro et al., "The Modern-Era Retrospective Analysis for Research and Applications, Version 2
       (MERRA-2)", J. Climate 30, 5419-5454 (2017), :doi:`10.1175/JCLI-D-16-0758.1`; GMAO, "MERRA-2 File
       Specification", GMAO Office Note No. 9 (2015).
    .. [2] D. G. Erbs, S. A. Klein, J. A. Duffie, "Estimation of the diffuse radiation fraction for hourly,
       daily and monthly-average global radiation", Solar Energy 28(4), 293-302 (1982),
       :doi:`10.1016/0038-092X(82)90302-4`.
    """
    path = Path(path)
    source = source_name(path)
    check_site(latitude, longitude, source)
    try:
        ds = xr.open_dataset(path, engine="netcdf4")
    except (OSError, ValueError) as exc:
        raise WeatherDataError(f"{source}: not a readable MERRA-2 NetCDF file ({type(exc).__name__}: {exc})") from exc
    with ds:
        missing = [k for k in MERRA2_VARIABLES if k not in ds.data_vars]
        if missing or not {"time", "lat", "lon"} <= set(ds.dims):
            raise WeatherDataError(
                f"{source}: MERRA-2 variable(s) {', '.join(f'{k} ({MERRA2_VARIABLES[k]})' for k in missing)} "
                f"missing or dimensions not (time, lat, lon); the file has {sorted(map(str, ds.data_vars))} on "
                f"{dict(ds.sizes)}; needed: {list(MERRA2_VARIABLES)} on (time, lat, lon): merge the M2T1NXSLV "
                "and M2T1NXRAD files of the same hours into one"
            )
        lats, lons = ds["lat"].to_numpy(), ds["lon"].to_numpy()
        i, j = nearest_cell(lats, lons, latitude, longitude, MERRA2_GRID_STEP_DEG, source)
        cell = ds[list(MERRA2_VARIABLES)].isel(lat=i, lon=j).load()
        sea = None
        if {"TS", "FROCEAN"} <= set(ds.data_vars):
            sea = nearest_valid_cell(
                _time_constant(ds["FROCEAN"]) >= MERRA2_SEA_FRACTION_MIN, lats, lons, latitude, longitude
            )
            if sea is None:
                raise WeatherDataError(
                    f"{source}: no cell has FROCEAN >= {MERRA2_SEA_FRACTION_MIN:g} (sea) for TS -> temp_sea: extend "
                    "the area to the coast, or leave TS out"
                )
            temp_sea = ds["TS"].isel(lat=sea[0], lon=sea[1]).to_numpy().astype(float) - 273.15
        if "PHIS" in ds.data_vars:
            elevation_m = float(_time_constant(ds["PHIS"])[i, j]) / GRAVITY_M_PER_S2
        original = dict(ds.attrs)
    times = pd.DatetimeIndex(cell["time"].to_numpy())
    steps = np.diff(times.asi8)
    bad = (times.minute != 30) | (times.second != 0)
    if len(times) < 2 or bad.any() or not (steps == pd.Timedelta(hours=1).value).all():
        raise WeatherDataError(
            f"{source}: MERRA-2 hour means (tavg1) are stamped hourly at hh:30; got {len(times)} times from "
            f"{times[0]} with steps {sorted({str(pd.Timedelta(int(s))) for s in steps})}"
            + (f", first off hh:30 at {times[bad][0]}" if bad.any() else "")
        )
    start = (times - pd.Timedelta(minutes=30)).tz_localize("UTC").as_unit(TIME_UNIT)
    v = {k: cell[k].to_numpy().astype(float) for k in MERRA2_VARIABLES}
    ghi = np.clip(v["SWGDN"], 0.0, None)
    zenith = solar_zenith_mid(start, latitude, longitude)
    erbs = pvlib.irradiance.erbs(ghi, zenith, start + pd.Timedelta(minutes=30), max_zenith=MAX_BEAM_ZENITH_DEG)
    dni, dhi = beam_and_diffuse(ghi, ghi - np.asarray(erbs["dhi"], dtype=float), zenith, start)
    t_c = v["T2M"] - 273.15
    e_s = _MAGNUS_WMO[0] * np.exp(_MAGNUS_WMO[1] * t_c / (_MAGNUS_WMO[2] + t_c))
    ws10, ws50 = np.hypot(v["U10M"], v["V10M"]), np.hypot(v["U50M"], v["V50M"])
    alpha = fit_shear_exponent(ws10, ws50, _HEIGHTS_M[0], _HEIGHTS_M[1])
    columns = {
        "ghi": ghi,
        "dni": dni,
        "dhi": dhi,
        "temp_air": t_c,
        "relative_humidity": np.clip(100.0 * vapour_pressure(v["QV2M"], v["PS"]) / e_s, 0.0, 100.0),
        "pressure": v["PS"],
        "wind_speed": ws10,
        "wind_speed_100m": power_law_wind_speed(ws50, _HEIGHTS_M[1], _HEIGHTS_M[2], alpha),
    }
    if sea is not None:
        columns["temp_sea"] = temp_sea
    models = {
        "dni": "Erbs et al. (1982) split of SWGDN at the hour's mid-point (pvlib.irradiance.erbs); 0 above "
        "87 degrees, capped at the extraterrestrial irradiance",
        "dhi": "ghi - dni cos(zenith)",
        "relative_humidity": "e = QV2M PS / (0.622 + 0.378 QV2M) over Magnus e_s(T2M), WMO coefficients",
        "wind_speed_100m": "power law from 50 m, exponent fitted hour by hour on 10 m and 50 m "
        "(greendc.weather.wind_profile.fit_shear_exponent)",
    }
    metadata = grid_metadata(
        source,
        "merra2-netcdf",
        (latitude, longitude, elevation_m),
        (lats[i], lons[j]),
        None if sea is None else (lats[sea[0]], lons[sea[1]]),
        models,
        original,
    )
    return attach_site(canonical_order(pd.DataFrame(columns, index=start)), metadata)
