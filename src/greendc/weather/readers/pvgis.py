"""PVGIS typical meteorological year outputs (CSV and JSON): variable map and :func:`read_pvgis_tmy`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pvlib

from greendc.errors import WeatherDataError
from greendc.weather.readers.common import check_site, finish, single_year, source_name
from greendc.weather.readers.formats import FORMATS, sniff_format

__all__ = ["PVGIS_VARIABLE_MAP", "read_pvgis_tmy"]

#: PVGIS TMY column -> canonical column; PVGIS units are canonical already (W/m², °C, %, Pa, m/s at 10 m).
PVGIS_VARIABLE_MAP: dict[str, str] = {
    "G(h)": "ghi",
    "Gb(n)": "dni",
    "Gd(h)": "dhi",
    "T2m": "temp_air",
    "RH": "relative_humidity",
    "SP": "pressure",
    "WS10m": "wind_speed",
}


def read_pvgis_tmy(path: str | Path, year: int | None = None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Read a PVGIS typical meteorological year (CSV or JSON output) into a canonical weather table.

    Parameters
    ----------
    path : str or pathlib.Path
        File saved from the PVGIS TMY tool or API, ``outputformat=csv`` or ``json`` (told apart by
        content). The CSV parser of pvlib reads exactly 8760 hourly rows; JSON may hold fewer.
    year : int, optional
        Calendar year to put every row in; by default the first year present (the year of the January
        month used), or the year before it when that one is a leap year, since PVGIS TMY files skip
        29 February.

    Returns
    -------
    data : pandas.DataFrame
        Canonical columns (``G(h)``->``ghi``, ``Gb(n)``->``dni``, ``Gd(h)``->``dhi`` [W/m²],
        ``T2m``->``temp_air`` [°C], ``RH``->``relative_humidity`` [%], ``SP``->``pressure`` [Pa],
        ``WS10m``->``wind_speed`` [m/s at 10 m]; no unit conversion needed), hourly UTC index.
    metadata : dict
        ``source``, ``format`` ('pvgis-tmy-csv' or 'pvgis-tmy-json'), ``latitude``, ``longitude``,
        ``elevation_m``, ``irradiance_time_offset_h`` (None in older files), ``months_selected``
        (month -> source year), ``year`` (the year recast to) and ``original`` (pvlib's metadata).

    Raises
    ------
    WeatherDataError
        Unreadable file, missing PVGIS column, an irradiance time offset outside [0, 1) h, or any check
        of :func:`~greendc.weather.schema.check_weather`.

    Notes
    -----
    PVGIS writes every row at ``HH:00`` UTC. The meteorological variables (ERA5) are the values at
    ``HH:00``; the irradiance holds at ``HH:00`` + the file's *Irradiance Time Offset* (e.g. 0.18 h for
    the satellite scan time of PVGIS-SARAH3, 0.5 h for hour means centred on mid-hour), i.e. inside the
    hour that starts at the stamp. So each row is taken as the period ``[HH:00, HH+1:00)`` UTC and
    stamps are not shifted; an offset outside [0, 1) h would break this and is refused. The twelve
    months come from different years (``months_selected``) and are recast onto one year.

    References
    ----------
    .. [1] T. Huld, E. Paietta, P. Zangheri, I. Pinedo Pascua, "Assembling Typical Meteorological Year
       Data Sets for Building Energy Performance Using Reanalysis and Satellite-Based Data",
       Atmosphere 9(2), 53 (2018), :doi:`10.3390/atmos9020053`.
    .. [2] European Commission JRC, PVGIS TMY generator documentation.
    """
    source = source_name(path)
    fmt = sniff_format(path)
    if fmt not in ("pvgis-tmy-csv", "pvgis-tmy-json"):
        raise WeatherDataError(
            f"{source}: not a PVGIS TMY output; expected {FORMATS['pvgis-tmy-csv']} or {FORMATS['pvgis-tmy-json']}"
        )
    kind = fmt.rsplit("-", 1)[1]
    try:
        raw, meta = pvlib.iotools.read_pvgis_tmy(str(path), pvgis_format=kind, map_variables=False)
    except KeyError as exc:
        raise WeatherDataError(f"{source}: {kind.upper()} file is not a PVGIS TMY output (no {exc})") from exc
    except (ValueError, TypeError, IndexError, AttributeError) as exc:
        raise WeatherDataError(
            f"{source}: not a readable PVGIS TMY {kind.upper()} file ({type(exc).__name__}: {exc}); "
            "pvlib reads the PVGIS header and exactly 8760 hourly rows from a CSV"
        ) from exc
    inputs = meta.get("inputs", {})
    loc = inputs.get("location", inputs)  # JSON nests the site under 'location', CSV does not
    offset = loc.get("irradiance_time_offset", loc.get("irradiance time offset"))
    if offset is not None and not (0.0 <= float(offset) < 1.0):
        raise WeatherDataError(
            f"{source}: irradiance time offset = {offset!r} h is outside [0, 1) h: the irradiance would not "
            "lie in the hour starting at its stamp; this layout is not supported"
        )
    lat, lon, elev = (float(loc[k]) if loc.get(k) is not None else None for k in ("latitude", "longitude", "elevation"))
    check_site(lat, lon, source)
    stamps, year_used = single_year(raw.index.tz_localize(None), year, source)
    metadata = {"source": source, "format": fmt, "latitude": lat, "longitude": lon, "elevation_m": elev}
    metadata |= {
        "irradiance_time_offset_h": None if offset is None else float(offset),
        "months_selected": {int(m["month"]): int(m["year"]) for m in meta.get("months_selected", [])},
        "year": year_used,
        "original": meta,
    }
    return finish(raw, stamps.tz_localize("UTC"), PVGIS_VARIABLE_MAP, metadata, "PVGIS")
