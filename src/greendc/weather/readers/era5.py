"""ERA5 hourly single-level reanalysis from the Copernicus CDS, NetCDF or GRIB: :func:`read_era5`.

Also the grid helpers shared with :mod:`~greendc.weather.readers.merra2`: :func:`nearest_cell`,
:func:`nearest_valid_cell`, :func:`solar_zenith_mid` and :func:`beam_and_diffuse`.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pvlib
import xarray as xr

from greendc.errors import WeatherDataError
from greendc.weather.readers.common import TIME_UNIT, attach_site, check_site, source_name
from greendc.weather.schema import canonical_order
from greendc.weather.wind_profile import GRAVITY_M_PER_S2

__all__ = [
    "ERA5_GRID_STEP_DEG",
    "ERA5_OPTIONAL_VARIABLES",
    "ERA5_VARIABLES",
    "MAX_BEAM_ZENITH_DEG",
    "beam_and_diffuse",
    "grid_metadata",
    "nearest_cell",
    "nearest_valid_cell",
    "read_era5",
    "solar_zenith_mid",
]

#: ERA5 short name (NetCDF variable, cfgrib name) -> CDS request name, for the variables :func:`read_era5` needs.
ERA5_VARIABLES: dict[str, str] = {
    "ssrd": "surface_solar_radiation_downwards",
    "fdir": "total_sky_direct_solar_radiation_at_surface",
    "t2m": "2m_temperature",
    "d2m": "2m_dewpoint_temperature",
    "sp": "surface_pressure",
    "u10": "10m_u_component_of_wind",
    "v10": "10m_v_component_of_wind",
    "u100": "100m_u_component_of_wind",
    "v100": "100m_v_component_of_wind",
}
#: Variables used when present: sea-surface temperature (-> ``temp_sea``) and surface geopotential (-> elevation).
ERA5_OPTIONAL_VARIABLES: dict[str, str] = {"sst": "sea_surface_temperature", "z": "geopotential"}
#: ERA5 native grid step (latitude, longitude) [degrees]: the bound on the site's distance for a one-point file.
ERA5_GRID_STEP_DEG = (0.25, 0.25)
#: Above this solar zenith [degrees] at the hour's mid-point, the beam is counted as diffuse (``dni`` = 0).
MAX_BEAM_ZENITH_DEG = 87.0
_J_PER_WH = 3600.0  # an hourly accumulation [J/m²] / 3600 s = the hour-mean irradiance [W/m²]
_GRID = ("valid_time", "latitude", "longitude")


def _wrap(dlon: np.ndarray) -> np.ndarray:
    """Longitude differences brought into [-180, 180) [degrees]."""
    return (np.asarray(dlon, dtype=float) + 180.0) % 360.0 - 180.0


def nearest_cell(
    lats: np.ndarray,
    lons: np.ndarray,
    latitude: float,
    longitude: float,
    native_step_deg: tuple[float, float],
    source: str,
) -> tuple[int, int]:
    """Indices of the grid latitude and longitude nearest the site, each at most one grid step away.

    Parameters
    ----------
    lats, lons : numpy.ndarray
        Grid axes [degrees north, degrees east; any longitude convention].
    latitude, longitude : float
        Site [degrees north, degrees east].
    native_step_deg : tuple of float
        Grid step (latitude, longitude) [degrees], used when an axis has a single point.
    source : str
        File name for messages.

    Raises
    ------
    WeatherDataError
        The site lies more than one grid step outside the file's grid.
    """
    found = []
    for name, axis, site, native in (
        ("latitude", lats, latitude, native_step_deg[0]),
        ("longitude", lons, longitude, native_step_deg[1]),
    ):
        dist = np.abs(axis - site) if name == "latitude" else np.abs(_wrap(axis - site))
        k = int(np.argmin(dist))
        step = float(np.abs(np.diff(axis)).min()) if axis.size > 1 else native
        if dist[k] > step:
            raise WeatherDataError(
                f"{source}: the site ({latitude:g} N, {longitude:g} E) is {dist[k]:.3g} degrees of {name} from the "
                f"file's nearest grid point, more than one grid step ({step:g} degrees); the file covers latitude "
                f"[{lats.min():g}, {lats.max():g}] and longitude [{lons.min():g}, {lons.max():g}]: download an area "
                "around the site"
            )
        found.append(k)
    return found[0], found[1]


def nearest_valid_cell(
    valid: np.ndarray, lats: np.ndarray, lons: np.ndarray, latitude: float, longitude: float
) -> tuple[int, int] | None:
    """Indices of the cell nearest the site among the ``valid`` ones (a (lat, lon) mask), or None if none.

    Distance on the local tangent plane: :math:`\\sqrt{\\Delta\\varphi^2 + (\\Delta\\lambda \\cos\\varphi_0)^2}`,
    enough to rank the few cells around a site.
    """
    dy = lats[:, None] - latitude
    dx = _wrap(lons[None, :] - longitude) * np.cos(np.radians(latitude))
    dist = np.where(valid, np.hypot(dy, dx), np.inf)
    if not np.isfinite(dist).any():
        return None
    i, j = np.unravel_index(int(np.argmin(dist)), dist.shape)
    return int(i), int(j)


def solar_zenith_mid(period_start: pd.DatetimeIndex, latitude: float, longitude: float) -> np.ndarray:
    """True solar zenith [degrees] at the mid-point of each hour starting at ``period_start`` (pvlib SPA)."""
    mid = period_start + pd.Timedelta(minutes=30)
    return pvlib.solarposition.get_solarposition(mid, latitude, longitude)["zenith"].to_numpy()


def beam_and_diffuse(
    ghi: np.ndarray, beam_horizontal: np.ndarray, zenith: np.ndarray, period_start: pd.DatetimeIndex
) -> tuple[np.ndarray, np.ndarray]:
    """Direct normal and diffuse horizontal irradiance from GHI and its beam part [W/m²].

    Parameters
    ----------
    ghi, beam_horizontal : numpy.ndarray
        Hour-mean global and beam irradiance on the horizontal [W/m²].
    zenith : numpy.ndarray
        Solar zenith at the hour's mid-point [degrees] (:func:`solar_zenith_mid`).
    period_start : pandas.DatetimeIndex
        Hour starts (for the extraterrestrial irradiance).

    Notes
    -----
    .. math::

        \\mathrm{DNI} = \\min(B_h / \\cos\\theta_z, \\; E_0), \\qquad
        \\mathrm{DHI} = \\mathrm{GHI} - \\mathrm{DNI} \\cos\\theta_z

    with :math:`B_h` limited to [0, GHI], :math:`\\theta_z` at the hour's mid-point and :math:`E_0` the
    extraterrestrial normal irradiance (:func:`pvlib.irradiance.get_extra_radiation`). Where
    :math:`\\theta_z` > :data:`MAX_BEAM_ZENITH_DEG` the cosine of the mid-point no longer represents the
    hour (sunrise and sunset hours), so DNI = 0 and the whole hour's irradiance counts as diffuse.
    """
    cosz = np.cos(np.radians(zenith))
    beam = np.clip(np.minimum(beam_horizontal, ghi), 0.0, None)
    dni = np.divide(beam, cosz, out=np.zeros_like(beam), where=zenith <= MAX_BEAM_ZENITH_DEG)
    dni = np.minimum(dni, pvlib.irradiance.get_extra_radiation(period_start).to_numpy())
    return dni, np.clip(ghi - dni * cosz, 0.0, None)


def grid_metadata(
    source: str,
    fmt: str,
    site: tuple[float, float, float | None],
    cell: tuple[float, float],
    sea_cell: tuple[float, float] | None,
    models: dict[str, str],
    original: dict[str, Any],
) -> dict[str, Any]:
    """The metadata of a weather table read from a reanalysis grid.

    Parameters
    ----------
    source, fmt : str
        File name and format name.
    site : tuple
        Latitude, longitude [degrees] and elevation [m, or None when unknown] of the site.
    cell, sea_cell : tuple
        Latitude and longitude [degrees] of the grid cell read, and of the sea cell (or None).
    models : dict
        Column -> how it was derived from the file's variables.
    original : dict
        The file's own attributes worth keeping.
    """
    latitude, longitude, elevation_m = site
    return {
        "source": source,
        "format": fmt,
        "latitude": float(latitude),
        "longitude": float(longitude),
        "elevation_m": None if elevation_m is None else float(elevation_m),
        "grid_cell": {"latitude": float(cell[0]), "longitude": float(cell[1])},
        "sea_cell": None if sea_cell is None else {"latitude": float(sea_cell[0]), "longitude": float(sea_cell[1])},
        "models": models,
        "original": original,
    }


def _open_grib(path: Path) -> xr.Dataset:
    """All fields of a GRIB file on a ``valid_time`` axis (cfgrib splits them by step type and level)."""
    import cfgrib  # the ecCodes library loads only when a GRIB file is read

    parts = cfgrib.open_datasets(
        str(path), backend_kwargs={"time_dims": ("valid_time",), "indexpath": "", "squeeze": False}
    )
    merged = xr.merge([_tidy(p) for p in parts], join="outer", combine_attrs="drop_conflicts")
    merged.set_close(lambda: [p.close() for p in parts])
    return merged


def _tidy(ds: xr.Dataset) -> xr.Dataset:
    """Drop size-1 dimensions other than the grid's, and all coordinates that are not dimensions."""
    ds = ds.squeeze([d for d in ds.dims if d not in _GRID and ds.sizes[d] == 1], drop=True)
    return ds.drop_vars([c for c in ds.coords if c not in ds.dims])


def _open_era5(path: Path, source: str) -> tuple[xr.Dataset, str]:
    """Open an ERA5 NetCDF or GRIB file (told by its first bytes) as it is; returns it and its format."""
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic == b"GRIB":
        fmt = "era5-grib"
    elif magic[:3] == b"CDF" or magic == b"\x89HDF":
        fmt = "era5-netcdf"
    else:
        raise WeatherDataError(f"{source}: not an ERA5 NetCDF or GRIB file (first bytes {magic!r})")
    try:
        return (_open_grib(path) if fmt == "era5-grib" else xr.open_dataset(path, engine="netcdf4")), fmt
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        raise WeatherDataError(f"{source}: not a readable {fmt} file ({type(exc).__name__}: {exc})") from exc


def _era5_grid(ds: xr.Dataset, source: str) -> xr.Dataset:
    """The dataset on (valid_time, latitude, longitude), longitudes in [-180, 180), legacy layouts unified."""
    if "valid_time" not in ds.dims and "time" in ds.dims:  # CDS NetCDF before 2024
        ds = ds.drop_vars("valid_time", errors="ignore").rename(time="valid_time")
    if "expver" in ds.dims:  # legacy layout mixing final ERA5 (expver 1) and preliminary ERA5T (expver 5)
        ds = functools.reduce(xr.Dataset.combine_first, [ds.sel(expver=e, drop=True) for e in ds["expver"].values])
    ds = _tidy(ds)
    if not set(_GRID) <= set(ds.dims):
        raise WeatherDataError(
            f"{source}: not an ERA5 grid: expected dimensions {_GRID} (or 'time' for 'valid_time'), "
            f"the file has {dict(ds.sizes)}"
        )
    return ds.sortby("valid_time").assign_coords(longitude=_wrap(ds["longitude"].to_numpy()))


def read_era5(
    path: str | Path, latitude: float, longitude: float, elevation_m: float | None = None
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Read ERA5 hourly single-level data (CDS NetCDF or GRIB) at a site into a canonical weather table.

    Parameters
    ----------
    path : str or pathlib.Path
        File from the CDS dataset ``reanalysis-era5-single-levels``, hourly, holding the variables of
        :data:`ERA5_VARIABLES` (and optionally :data:`ERA5_OPTIONAL_VARIABLES`) on a latitude/longitude
        grid around the site: NetCDF4 of the CDS since 2024 (``valid_time``), NetCDF of the legacy CDS
        (``time``, possibly an ``expver`` dimension), or GRIB (any extension; read by cfgrib).
    latitude, longitude : float
        Site [degrees north, degrees east].
    elevation_m : float, optional
        Site elevation [m], used when the file has no geopotential ``z``.

    Returns
    -------
    data : pandas.DataFrame
        Canonical columns (``ghi``, ``dni``, ``dhi`` [W/m²], ``temp_air`` [°C], ``relative_humidity`` [%],
        ``pressure`` [Pa], ``wind_speed``, ``wind_speed_100m`` [m/s], ``temp_sea`` [°C] when the file has
        ``sst``), hourly UTC index of period starts.
    metadata : dict
        ``source``, ``format`` ('era5-netcdf' or 'era5-grib'), ``latitude``, ``longitude`` (the site),
        ``elevation_m`` (``z`` / g of the cell when in the file, else the argument), ``grid_cell`` and
        ``sea_cell`` (the cells read, or None), ``models`` (how each derived column was computed) and
        ``original`` (the file's global attributes).

    Raises
    ------
    WeatherDataError
        Unreadable file, a required variable missing (naming the CDS names), a time step other than 1 h,
        a site more than one grid step outside the grid, ``sst`` without any sea cell, or any check of
        :func:`~greendc.weather.schema.check_weather`.

    Notes
    -----
    ERA5 ``ssrd`` and ``fdir`` at valid time :math:`T` are the energy accumulated over the hour *ending*
    at :math:`T`, in [J/m²] (reference [1]_; in GRIB a forecast from 06 or 18 UTC with step :math:`s`, valid at the
    reference time + :math:`s`: cfgrib's ``valid_time``), i.e. 3600 × the mean irradiance [W/m²] over
    :math:`[T - 1\\,h, T)`. That row is stamped :math:`T - 1\\,h`, the period start. The instantaneous
    variables (``t2m``, ``d2m``, ``sp``, winds, ``sst``) are given *at* :math:`T`, the end of that
    hour, and are assigned to it without interpolation (as :func:`~greendc.weather.readers.epw.read_epw`
    does with EPW rows): valid time 13:00 UTC gives the row stamped 12:00 UTC with the 12:00-13:00
    irradiance and the 13:00 temperature.

    Conversions: GHI = ``ssrd`` / 3600 s; the beam on the horizontal is ``fdir`` / 3600 s, turned into DNI
    and DHI by :func:`beam_and_diffuse` at the hour's mid-point solar zenith (small negative values left by
    the int16 packing of NetCDF files are set to 0); relative humidity from ``t2m`` and ``d2m`` by the
    Magnus formula with WMO coefficients (:func:`pvlib.atmosphere.rh_from_tdew`), capped at 100 %;
    wind speeds are :math:`\\sqrt{u^2 + v^2}` at 10 m and 100 m; ``temp_sea`` = ``sst`` - 273.15 at the
    nearest cell where ``sst`` is finite at every time (the coast: ``sst`` is undefined over land);
    ``pressure`` = ``sp``, the surface pressure at the cell's orography. Land variables come from the
    grid cell nearest the site (:func:`nearest_cell`).

    References
    ----------
    .. [1] H. Hersbach et al., "ERA5 hourly data on single levels from 1940 to present", Copernicus Climate
       Change Service (C3S) Climate Data Store (2023), :doi:`10.24381/cds.adbb2d47`; ECMWF, "ERA5: data
       documentation", section "Accumulations".
    .. [2] H. Hersbach et al., "The ERA5 global reanalysis", Q. J. R. Meteorol. Soc. 146, 1999-2049 (2020),
       :doi:`10.1002/qj.3803`.
    """
    path = Path(path)
    source = source_name(path)
    check_site(latitude, longitude, source)
    opened, fmt = _open_era5(path, source)
    with opened:
        ds = _era5_grid(opened, source)
        missing = [k for k in ERA5_VARIABLES if k not in ds.data_vars]
        if missing:
            raise WeatherDataError(
                f"{source}: ERA5 variable(s) {', '.join(f'{ERA5_VARIABLES[k]} ({k})' for k in missing)} missing; "
                f"the file has {sorted(map(str, ds.data_vars))}; needed: "
                f"{', '.join(f'{v} ({k})' for k, v in ERA5_VARIABLES.items())}. The CDS delivers instantaneous "
                "and accumulated variables as two NetCDF files: merge them into one, or request GRIB"
            )
        lats, lons = ds["latitude"].to_numpy(), ds["longitude"].to_numpy()
        i, j = nearest_cell(lats, lons, latitude, longitude, ERA5_GRID_STEP_DEG, source)
        names = [*ERA5_VARIABLES, "z"] if "z" in ds else list(ERA5_VARIABLES)
        cell = ds[names].isel(latitude=i, longitude=j).load()
        sea = None
        if "sst" in ds:
            sst = ds["sst"].transpose(*_GRID).to_numpy()
            sea = nearest_valid_cell(np.isfinite(sst).all(axis=0), lats, lons, latitude, longitude)
            if sea is None:
                raise WeatherDataError(
                    f"{source}: variable sea_surface_temperature (sst) has no cell with a value at every time "
                    "(all land): extend the area to the coast, or leave sst out of the request"
                )
        original = dict(ds.attrs)
    times = pd.DatetimeIndex(cell["valid_time"].to_numpy())
    steps = np.diff(times.asi8)
    if len(times) < 2 or not (steps == pd.Timedelta(hours=1).value).all():
        raise WeatherDataError(
            f"{source}: ERA5 valid times must be hourly (the accumulations cover one hour); got {len(times)} "
            f"times with steps {sorted({str(pd.Timedelta(int(s))) for s in steps})}"
        )
    start = (times - pd.Timedelta(hours=1)).tz_localize("UTC").as_unit(TIME_UNIT)
    v = {k: cell[k].to_numpy().astype(float) for k in ERA5_VARIABLES}
    ghi = np.clip(v["ssrd"] / _J_PER_WH, 0.0, None)
    dni, dhi = beam_and_diffuse(ghi, v["fdir"] / _J_PER_WH, solar_zenith_mid(start, latitude, longitude), start)
    rh = pvlib.atmosphere.rh_from_tdew(v["t2m"] - 273.15, v["d2m"] - 273.15)
    columns = {
        "ghi": ghi,
        "dni": dni,
        "dhi": dhi,
        "temp_air": v["t2m"] - 273.15,
        "relative_humidity": np.clip(rh, 0.0, 100.0),
        "pressure": v["sp"],
        "wind_speed": np.hypot(v["u10"], v["v10"]),
        "wind_speed_100m": np.hypot(v["u100"], v["v100"]),
    }
    if sea is not None:
        columns["temp_sea"] = sst[:, sea[0], sea[1]].astype(float) - 273.15
    if "z" in cell:
        elevation_m = float(np.nanmean(cell["z"].to_numpy())) / GRAVITY_M_PER_S2
    models = {
        "dni": "fdir / 3600 / cos(zenith at the hour's mid-point); 0 above 87 degrees, capped at the "
        "extraterrestrial irradiance",
        "dhi": "ghi - dni cos(zenith)",
        "relative_humidity": "Magnus formula, WMO coefficients, from t2m and d2m (pvlib.atmosphere.rh_from_tdew)",
    }
    metadata = grid_metadata(
        source,
        fmt,
        (latitude, longitude, elevation_m),
        (lats[i], lons[j]),
        None if sea is None else (lats[sea[0]], lons[sea[1]]),
        models,
        original,
    )
    return attach_site(canonical_order(pd.DataFrame(columns, index=start)), metadata)
