"""EnergyPlus Weather (EPW) files: variable map, missing-value codes and :func:`read_epw`."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pvlib

from greendc.errors import WeatherDataError
from greendc.weather.readers.common import check_site, finish, single_year, source_name

__all__ = ["EPW_MISSING_CODES", "EPW_VARIABLE_MAP", "read_epw"]

#: pvlib EPW column -> canonical column. EPW irradiance is energy over the hour before the stamp
#: [Wh/m²], numerically the hour-mean irradiance [W/m²]; the other variables are already in canonical
#: units (°C, %, Pa, m/s); EPW wind speed is the station wind, at 10 m by WMO practice.
EPW_VARIABLE_MAP: dict[str, str] = {
    "ghi": "ghi",
    "dni": "dni",
    "dhi": "dhi",
    "temp_air": "temp_air",
    "relative_humidity": "relative_humidity",
    "atmospheric_pressure": "pressure",
    "wind_speed": "wind_speed",
}
#: pvlib EPW column -> (EPW field name, missing-value code: a value >= the code means missing),
#: from the EnergyPlus EPW data dictionary (Auxiliary Programs, "Weather Converter Program").
EPW_MISSING_CODES: dict[str, tuple[str, float]] = {
    "ghi": ("Global Horizontal Radiation", 9999.0),
    "dni": ("Direct Normal Radiation", 9999.0),
    "dhi": ("Diffuse Horizontal Radiation", 9999.0),
    "temp_air": ("Dry Bulb Temperature", 99.9),
    "relative_humidity": ("Relative Humidity", 999.0),
    "atmospheric_pressure": ("Atmospheric Station Pressure", 999999.0),
    "wind_speed": ("Wind Speed", 999.0),
}
_EPW_HEADER_LINES = 8


def read_epw(path: str | Path, year: int | None = None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Read an EnergyPlus Weather (EPW) file into a canonical weather table.

    Parameters
    ----------
    path : str or pathlib.Path
        EPW file: 8 header lines (``LOCATION`` ... ``DATA PERIODS``), then one row per hour.
    year : int, optional
        Calendar year to put every row in. By default the file's years are kept when they already form
        a regular series (an actual-year file); a TMY file whose months come from different years is
        recast to its first year (the year before, when that one is a leap year and the file skips
        29 February, as TMY files do).

    Returns
    -------
    data : pandas.DataFrame
        ``ghi``, ``dni``, ``dhi`` [W/m²], ``temp_air`` [°C], ``relative_humidity`` [%], ``pressure`` [Pa],
        ``wind_speed`` [m/s at 10 m]; hourly UTC index of period starts.
    metadata : dict
        ``source``, ``format`` ('epw'), ``latitude``, ``longitude``, ``elevation_m``, ``utc_offset_h``
        (the LOCATION time zone), ``year`` (the year recast to, or None) and ``original`` (pvlib's
        metadata: city, country, WMO code, TZ, altitude ...).

    Raises
    ------
    WeatherDataError
        Not an EPW file, sub-hourly records, a missing-value code, or any check of
        :func:`~greendc.weather.schema.check_weather`, naming the column and the time.

    Notes
    -----
    EPW hour ``h`` (1-24) on a given day is the hour *ending* at ``h``:00 local standard time
    (daylight saving never applies); its irradiance is the energy received over that hour
    [Wh/m²] = the hour-mean irradiance [W/m²]. :func:`pvlib.iotools.read_epw` stamps it at
    ``h - 1``:00 local standard time, the period start; with the LOCATION offset ``TZ`` [h] the UTC
    period start is

    .. math:: t_\\mathrm{UTC} = t_\\mathrm{local\\,standard} - \\mathrm{TZ}

    e.g. hour 13 at TZ = +1 covers 12:00-13:00 local = 11:00-12:00 UTC, stamped 11:00 UTC.
    Temperature, humidity, pressure and wind are given *at* the EPW time (the end of the hour) and are
    assigned to that hour without interpolation.

    pvlib fills nothing: EPW missing-value codes (9999 for irradiance, 99.9 for temperature, 999 for
    humidity and wind speed, 999999 for pressure) reach this function, which raises on them instead of
    letting them through (EnergyPlus would substitute values; greendc does not guess).

    References
    ----------
    .. [1] EnergyPlus Auxiliary Programs, "Weather Converter Program: EnergyPlus Weather File (EPW)
       Data Dictionary", U.S. DOE / NREL.
    .. [2] pvlib.iotools.read_epw, W. F. Holmgren, C. W. Hansen, M. A. Mikofski, "pvlib python: a python
       package for modeling solar energy systems", J. Open Source Softw. 3(29), 884 (2018),
       :doi:`10.21105/joss.00884`.
    """
    source = source_name(path)
    with open(path, encoding="utf-8", errors="replace") as f:
        head = [f.readline().strip() for _ in range(_EPW_HEADER_LINES)]
    if not head[0].upper().startswith("LOCATION,"):
        raise WeatherDataError(f"{source}: not an EPW file: line 1 must start with 'LOCATION,', got {head[0][:40]!r}")
    if not head[7].upper().startswith("DATA PERIODS,"):
        raise WeatherDataError(
            f"{source}: EPW line 8 must be the 'DATA PERIODS' record (an EPW has 8 header lines), got {head[7][:40]!r}"
        )
    per_hour = head[7].split(",")[2].strip() if head[7].count(",") >= 2 else ""
    if per_hour not in ("1", "1.0"):
        raise WeatherDataError(
            f"{source}: DATA PERIODS gives {per_hour!r} records per hour; only hourly EPW files (1) are read"
        )
    try:
        raw, meta = pvlib.iotools.read_epw(path)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise WeatherDataError(f"{source}: not a readable EPW file ({type(exc).__name__}: {exc})") from exc
    tz_h = float(meta["TZ"])
    if not (math.isfinite(tz_h) and -12.0 <= tz_h <= 14.0):
        raise WeatherDataError(f"{source}: LOCATION time zone TZ = {tz_h!r} h is outside [-12, 14] h")
    check_site(meta["latitude"], meta["longitude"], source)
    local, year_used = single_year(raw.index.tz_localize(None), year, source)
    index_utc = (local - pd.Timedelta(hours=tz_h)).tz_localize("UTC")
    for col, (field, code) in EPW_MISSING_CODES.items():
        values = pd.to_numeric(raw[col], errors="coerce").to_numpy(dtype=float)
        bad = values >= code
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise WeatherDataError(
                f"{source}: column '{EPW_VARIABLE_MAP[col]}' (EPW field '{field}') = {values[i]:g} is the EPW "
                f"missing-value code (>= {code:g}) at {index_utc[i].isoformat()} (row {i}, file line "
                f"{i + _EPW_HEADER_LINES + 1}); missing values are not filled: repair the file or use another source"
            )
    site = {
        "latitude": float(meta["latitude"]),
        "longitude": float(meta["longitude"]),
        "elevation_m": float(meta["altitude"]),
    }
    metadata = {"source": source, "format": "epw", **site, "utc_offset_h": tz_h, "year": year_used, "original": meta}
    return finish(raw, index_utc, EPW_VARIABLE_MAP, metadata, "EPW")
