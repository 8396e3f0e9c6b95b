"""PVGIS hourly radiation series (``seriescalc``, CSV and JSON): variable map and :func:`read_pvgis_hourly`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pvlib

from greendc.errors import WeatherDataError
from greendc.weather.readers.common import check_site, finish, source_name
from greendc.weather.readers.formats import FORMATS, sniff_format
from greendc.weather.schema import REQUIRED_COLUMNS

__all__ = ["PVGIS_HOURLY_ABSENT", "PVGIS_HOURLY_MIN_SUN_HEIGHT_DEG", "read_pvgis_hourly"]

#: Canonical columns a PVGIS hourly series does not carry (PVGIS ``seriescalc`` gives irradiance, the sun
#: height, 2 m temperature and 10 m wind only); :func:`greendc.weather.completion.complete_weather` fills them.
PVGIS_HOURLY_ABSENT: tuple[str, ...] = ("relative_humidity", "pressure")
#: Below this sun height [degrees] the beam is counted as diffuse (DNI = Gb(h)/sin(h) would blow up) [°].
PVGIS_HOURLY_MIN_SUN_HEIGHT_DEG = 3.0
_SLOPE = re.compile(r"^\s*([-+]?\d+(?:\.\d*)?)")


def _slope_deg(meta: dict[str, Any], source: str) -> float | None:
    inputs = meta.get("inputs", {})
    fixed = inputs.get("mounting_system", {}).get("fixed", {}) if isinstance(inputs, dict) else {}
    if isinstance(fixed, dict) and isinstance(fixed.get("slope"), dict):  # JSON
        return float(fixed["slope"]["value"])
    text = inputs.get("Slope")  # CSV: 'Slope: 0 deg.' or 'Slope: 35 deg. (optimum)'
    if text is None:
        return None
    match = _SLOPE.match(str(text))
    if match is None:
        raise WeatherDataError(f"{source}: cannot read the plane slope from 'Slope: {text}'")
    return float(match.group(1))


def read_pvgis_hourly(path: str | Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Read a PVGIS hourly radiation series (``seriescalc`` CSV or JSON) into a canonical weather table.

    Parameters
    ----------
    path : str or pathlib.Path
        File saved from the PVGIS "hourly data" tool or API (``seriescalc``) for a *horizontal* plane
        (``angle=0``), preferably with ``components=1`` (beam, diffuse and reflected parts). Any number of
        whole or partial years.

    Returns
    -------
    data : pandas.DataFrame
        ``ghi``, ``dni``, ``dhi`` [W/m²], ``temp_air`` [°C], ``wind_speed`` [m/s at 10 m]; hourly UTC index
        of period starts. ``relative_humidity`` and ``pressure`` are absent (:data:`PVGIS_HOURLY_ABSENT`):
        :func:`~greendc.weather.source.scenario_weather` fills them from documented fallbacks.
    metadata : dict
        ``source``, ``format`` ('pvgis-hourly-csv' or 'pvgis-hourly-json'), ``latitude``, ``longitude``,
        ``elevation_m``, ``radiation_database``, ``models`` (how a column was derived, when it was) and
        ``original`` (pvlib's metadata).

    Raises
    ------
    WeatherDataError
        Unreadable file, a tilted plane (the components would be plane-of-array, not horizontal), a
        missing column, or any check of :func:`~greendc.weather.schema.check_weather`.

    Notes
    -----
    PVGIS stamps each row ``YYYYMMDD:HHMM`` in UTC, ``MM`` being the time within the hour at which the
    satellite irradiance holds (e.g. ``:10`` for SARAH); the row is the hour ``[HH:00, HH+1:00)`` and is
    stamped ``HH:00``. On a horizontal plane ``Gb(i)`` is the beam horizontal irradiance and ``Gd(i)`` the
    diffuse one (``Gr(i)`` is zero), so

    .. math:: G_h = G_b + G_d + G_r, \\quad DNI = G_b / \\sin h, \\quad DHI = G_d + G_r

    with ``H_sun`` = :math:`h` the sun height of the file; below :data:`PVGIS_HOURLY_MIN_SUN_HEIGHT_DEG`
    the beam is counted as diffuse. A file with the global ``G(i)`` only is split by the Erbs model
    (:func:`pvlib.irradiance.erbs`, Erbs, Klein & Duffie, Solar Energy 28 (1982) 293-302), a stated model
    recorded in ``metadata['models']``.

    References
    ----------
    .. [1] European Commission JRC, PVGIS 5.3 user manual, "Hourly radiation" and the ``seriescalc`` API.
    .. [2] pvlib.iotools.read_pvgis_hourly (pvlib python 0.16).
    """
    source = source_name(path)
    fmt = sniff_format(path)
    if fmt not in ("pvgis-hourly-csv", "pvgis-hourly-json"):
        raise WeatherDataError(
            f"{source}: not a PVGIS hourly series; expected {FORMATS['pvgis-hourly-csv']} or "
            f"{FORMATS['pvgis-hourly-json']}"
        )
    kind = fmt.rsplit("-", 1)[1]
    try:
        raw, meta = pvlib.iotools.read_pvgis_hourly(str(path), pvgis_format=kind, map_variables=False)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise WeatherDataError(
            f"{source}: not a readable PVGIS hourly {kind.upper()} file ({type(exc).__name__}: {exc})"
        ) from exc
    slope = _slope_deg(meta, source)
    if slope is not None and slope != 0.0:
        raise WeatherDataError(
            f"{source}: the series is for a plane tilted {slope:g} degrees; greendc needs the horizontal "
            "components: download it with angle=0 (slope 0) and components=1"
        )
    inputs = meta.get("inputs", {})
    loc = inputs.get("location", inputs)  # JSON nests the site under 'location', CSV does not
    lat, lon, elev = (float(loc[k]) if loc.get(k) is not None else None for k in ("latitude", "longitude", "elevation"))
    check_site(lat, lon, source)
    needed = ["H_sun", "T2m", "WS10m"]
    absent = [c for c in needed if c not in raw.columns]
    if absent or not ({"Gb(i)", "Gd(i)"} <= set(raw.columns) or "G(i)" in raw.columns):
        raise WeatherDataError(
            f"{source}: PVGIS hourly column(s) {absent or ['Gb(i)', 'Gd(i)']} missing; expected "
            f"Gb(i), Gd(i) (or G(i)), H_sun, T2m, WS10m; the file has {list(raw.columns)}"
        )
    sun = np.radians(pd.to_numeric(raw["H_sun"], errors="coerce").to_numpy(dtype=float))
    models: dict[str, str] = {}
    if {"Gb(i)", "Gd(i)"} <= set(raw.columns):
        beam = pd.to_numeric(raw["Gb(i)"], errors="coerce").to_numpy(dtype=float)
        diffuse = pd.to_numeric(raw["Gd(i)"], errors="coerce").to_numpy(dtype=float)
        if "Gr(i)" in raw.columns:
            diffuse = diffuse + pd.to_numeric(raw["Gr(i)"], errors="coerce").to_numpy(dtype=float)
        high = sun > np.radians(PVGIS_HOURLY_MIN_SUN_HEIGHT_DEG)
        ghi = beam + diffuse
        dni = np.where(high, beam / np.where(high, np.sin(sun), 1.0), 0.0)
        dhi = np.where(high, diffuse, ghi)
    else:
        ghi = pd.to_numeric(raw["G(i)"], errors="coerce").to_numpy(dtype=float)
        split = pvlib.irradiance.erbs(ghi, 90.0 - np.degrees(sun), raw.index)
        dni, dhi = np.asarray(split["dni"], dtype=float), np.asarray(split["dhi"], dtype=float)
        models |= {"dni": "Erbs (1982) split of PVGIS G(i)", "dhi": "Erbs (1982) split of PVGIS G(i)"}
    frame = pd.DataFrame({"ghi": ghi, "dni": dni, "dhi": dhi, "temp_air": raw["T2m"], "wind_speed": raw["WS10m"]})
    index_utc = raw.index.floor("h")
    metadata = {"source": source, "format": fmt, "latitude": lat, "longitude": lon, "elevation_m": elev}
    metadata |= {
        "radiation_database": inputs.get("radiation_database", inputs.get("meteo_data", {}).get("radiation_db")),
        "models": models,
        "original": meta,
    }
    variable_map = {c: c for c in frame.columns}
    required = tuple(c for c in REQUIRED_COLUMNS if c not in PVGIS_HOURLY_ABSENT)
    return finish(frame, index_utc, variable_map, metadata, "PVGIS hourly", required)
