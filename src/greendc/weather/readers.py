"""Weather file readers and the greendc CSV writer, all with one contract.

Every reader returns ``(data, metadata)`` (the pvlib ``iotools`` contract):

* ``data`` is a canonical weather table (see :mod:`greendc.weather.schema`): tz-aware UTC, regular
  index stamping the *start* of each period, canonical column names and units, and
  ``data.attrs['latitude']``, ``['longitude']`` (``['elevation_m']``) when the site is known;
* ``metadata`` is a dict with at least ``source`` (the file name), ``format``, ``latitude``,
  ``longitude``, ``elevation_m`` and ``original`` (the per-source metadata as the source gives it).

Each source has its own variable map to canonical names; units are converted here, at the boundary,
and nowhere else. Every reader ends with :func:`greendc.weather.schema.check_weather`, so that a bad
file raises :class:`~greendc.errors.WeatherDataError` naming the column, the time and the value.

Formats (:data:`FORMATS`): EPW (:func:`read_epw`), PVGIS TMY CSV and JSON (:func:`read_pvgis_tmy`), both
parsed by :mod:`pvlib.iotools`, and greendc's plain CSV, written by :func:`write_csv`, read by :func:`read_csv`::

    # greendc weather table; timestamp: start of period, ISO 8601 with UTC offset; units: ghi [W/m2], ...
    # latitude=23.71, longitude=-15.94, elevation_m=10.0
    timestamp,ghi,dni,dhi,temp_air,relative_humidity,pressure,wind_speed
    2030-01-01T00:00:00+00:00,0.0,0.0,0.0,18.2,71.0,101530.0,6.1
    2030-01-01T01:00:00+00:00,0.0,0.0,0.0,18.0,72.5,101520.0,5.8

Lines starting with ``#`` before the header are comments. A comment made of ``key=value`` items
separated by commas carries the site: the keys ``latitude`` [degrees north], ``longitude``
[degrees east] and ``elevation_m`` [m] (any subset, numbers in Python float syntax; other keys are
errors). Other comment lines are free text, kept in ``metadata['comments']``. The first column is
``timestamp``, the start of the period in ISO 8601 *with* its UTC offset (``Z``, ``+00:00``,
``+01:00`` ...; converted to UTC on reading; a timestamp without offset is an error). Then come
canonical columns in canonical units (:data:`~greendc.weather.schema.REQUIRED_COLUMNS`, and any of
:data:`~greendc.weather.schema.OPTIONAL_COLUMNS`); other columns are errors.

:func:`read_weather` picks the reader from the file's content.
"""

from __future__ import annotations

import calendar
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pvlib

from greendc.errors import WeatherDataError
from greendc.weather.schema import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, UNITS, canonical_order, check_weather

__all__ = [
    "EPW_MISSING_CODES",
    "EPW_VARIABLE_MAP",
    "FORMATS",
    "PVGIS_VARIABLE_MAP",
    "read_csv",
    "read_epw",
    "read_pvgis_tmy",
    "read_weather",
    "write_csv",
]

#: Formats understood by :func:`read_weather`, with what identifies them.
FORMATS: dict[str, str] = {
    "epw": "EnergyPlus Weather file (first line 'LOCATION,...'), usually *.epw",
    "pvgis-tmy-csv": "PVGIS TMY CSV output (first line 'Latitude (decimal degrees): ...'), *.csv",
    "pvgis-tmy-json": "PVGIS TMY JSON output (outputs.tmy_hourly), *.json",
    "greendc-csv": "greendc CSV (optional '#' comment lines, then a 'timestamp,...' header), *.csv",
}

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

_CANONICAL = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
_SITE_KEYS = ("latitude", "longitude", "elevation_m")
_EPW_HEADER_LINES = 8
_TIME_UNIT = pd.date_range("2000-01-01", periods=1, tz="UTC").unit  # pandas' default resolution
_ISO_WITH_OFFSET = r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})"
_ISO_NAIVE = r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}(?::\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?)?"


# ----------------------------------------------------------------------------------------------- helpers
def _source(path: str | Path) -> str:
    p = Path(path)
    if not p.is_file():
        raise WeatherDataError(f"{p.name}: no such weather file ({p})")
    return p.name


def _check_site(latitude: float | None, longitude: float | None, source: str) -> None:
    for name, value, bound in (("latitude", latitude, 90.0), ("longitude", longitude, 180.0)):
        if value is not None and not (math.isfinite(value) and -bound <= value <= bound):
            raise WeatherDataError(f"{source}: {name} = {value!r} is outside [-{bound:g}, {bound:g}] degrees")


def _skips_feb29(stamps: pd.DatetimeIndex) -> bool:
    m, d = stamps.month, stamps.day
    has = lambda mm, dd: bool(((m == mm) & (d == dd)).any())  # noqa: E731
    return has(2, 28) and has(3, 1) and not has(2, 29)


def _single_year(stamps: pd.DatetimeIndex, year: int | None, source: str) -> tuple[pd.DatetimeIndex, int | None]:
    """Recast naive wall-clock ``stamps`` drawn from several years (a TMY) onto one calendar year.

    Stamps that already form a regular series are kept unless ``year`` is given. Otherwise the target
    is ``year``, or by default the first year present, or the year before it when the first year is a
    leap year and the rows skip 29 February (TMY files always do), so that the index has no gap.
    """
    steps = np.diff(stamps.asi8)
    if year is None and len(steps) and (steps > 0).all() and (steps == steps[0]).all():
        return stamps, None
    if year is not None and not (isinstance(year, (int, np.integer)) and 1 <= year <= 9999):
        raise WeatherDataError(f"{source}: year = {year!r} must be an integer between 1 and 9999")
    skips = _skips_feb29(stamps)
    if year is None:
        target = int(stamps.year[0])
        target -= int(calendar.isleap(target) and skips)
    else:
        target = int(year)
        if calendar.isleap(target) and skips:
            raise WeatherDataError(
                f"{source}: year={target} is a leap year but the file has no 29 February rows, which would "
                "leave a 24-hour gap; pass a non-leap year"
            )
    feb29 = (stamps.month == 2) & (stamps.day == 29)
    if feb29.any() and not calendar.isleap(target):
        i = int(np.flatnonzero(feb29)[0])
        raise WeatherDataError(
            f"{source}: the file has 29 February rows (first at row {i}) but the target year {target} is not "
            "a leap year; pass a leap year"
        )
    parts = pd.DataFrame(
        {"year": target, "month": stamps.month, "day": stamps.day, "hour": stamps.hour, "minute": stamps.minute}
    )
    return pd.DatetimeIndex(pd.to_datetime(parts)), target


def _finish(
    raw: pd.DataFrame,
    index_utc: pd.DatetimeIndex,
    variable_map: dict[str, str],
    metadata: dict[str, Any],
    kind: str,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Map source columns to canonical ones, set attrs, check, and return ``(data, metadata)``."""
    source = metadata["source"]
    missing = [f"'{k}' (-> {v})" for k, v in variable_map.items() if k not in raw.columns]
    if missing:
        raise WeatherDataError(
            f"{source}: {kind} column(s) {', '.join(missing)} missing; expected {list(variable_map)}"
        )
    data = pd.DataFrame(
        {v: pd.to_numeric(raw[k], errors="coerce").to_numpy(dtype=float) + 0.0 for k, v in variable_map.items()},
        index=index_utc.as_unit(_TIME_UNIT),
    )
    return _attach_site(canonical_order(data), metadata)


def _attach_site(data: pd.DataFrame, metadata: dict[str, Any]) -> tuple[pd.DataFrame, dict[str, Any]]:
    data.index.name = None
    for key in _SITE_KEYS:
        if metadata.get(key) is not None:
            data.attrs[key] = float(metadata[key])
    check_weather(data, source=metadata["source"])
    data.index.freq = pd.tseries.frequencies.to_offset(data.index[1] - data.index[0])
    return data, metadata


# ------------------------------------------------------------------------------------------------- EPW
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
    source = _source(path)
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
    _check_site(meta["latitude"], meta["longitude"], source)
    local, year_used = _single_year(raw.index.tz_localize(None), year, source)
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
    return _finish(raw, index_utc, EPW_VARIABLE_MAP, metadata, "EPW")


# ----------------------------------------------------------------------------------------------- PVGIS
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
    source = _source(path)
    fmt = _sniff(path)
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
    _check_site(lat, lon, source)
    stamps, year_used = _single_year(raw.index.tz_localize(None), year, source)
    metadata = {"source": source, "format": fmt, "latitude": lat, "longitude": lon, "elevation_m": elev}
    metadata |= {
        "irradiance_time_offset_h": None if offset is None else float(offset),
        "months_selected": {int(m["month"]): int(m["year"]) for m in meta.get("months_selected", [])},
        "year": year_used,
        "original": meta,
    }
    return _finish(raw, stamps.tz_localize("UTC"), PVGIS_VARIABLE_MAP, metadata, "PVGIS")


# ------------------------------------------------------------------------------------------ greendc CSV
def _parse_site_comment(body: str, source: str, line_no: int) -> dict[str, float]:
    site: dict[str, float] = {}
    for item in body.split(","):
        key, sep, value = (s.strip() for s in item.partition("="))
        if not sep or key not in _SITE_KEYS:
            raise WeatherDataError(
                f"{source}: line {line_no}: bad site item {item.strip()!r}; allowed keys: {list(_SITE_KEYS)}"
            )
        try:
            site[key] = float(value)
        except ValueError:
            raise WeatherDataError(f"{source}: line {line_no}: {key} = {value!r} is not a number") from None
    return site


def read_csv(
    path: str | Path,
    latitude: float | None = None,
    longitude: float | None = None,
    elevation_m: float | None = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Read a greendc weather CSV (format in the module docstring) into a canonical weather table.

    Parameters
    ----------
    path : str or pathlib.Path
        greendc CSV file.
    latitude, longitude : float, optional
        Site [degrees north, degrees east], when the file's ``# latitude=..., longitude=...`` line is
        absent; with both known, GHI is also checked against the extraterrestrial irradiance. A value
        given here and a different one in the file is an error.
    elevation_m : float, optional
        Site elevation [m], same rule.

    Returns
    -------
    data : pandas.DataFrame
        The canonical columns of the file, UTC index of period starts.
    metadata : dict
        ``source``, ``format`` ('greendc-csv'), ``latitude``, ``longitude``, ``elevation_m`` (None when
        unknown), ``comments`` (free-text comment lines) and ``original`` (the site items of the file).

    Raises
    ------
    WeatherDataError
        Unknown or duplicated column, bad or offset-less timestamp (naming the row), non-numeric value,
        conflicting site, or any check of :func:`~greendc.weather.schema.check_weather`.
    """
    source = _source(path)
    comments: list[str] = []
    site_file: dict[str, float] = {}
    n_skip = 0
    with open(path, encoding="utf-8-sig") as f:
        for line in f:
            text = line.strip()
            if text and not text.startswith("#"):
                header = [c.strip() for c in text.split(",")]
                break
            n_skip += 1
            body = text.lstrip("#").strip()
            if re.match(r"[A-Za-z_]\w*\s*=", body):
                site_file.update(_parse_site_comment(body, source, n_skip))
            elif body:
                comments.append(body)
        else:
            raise WeatherDataError(f"{source}: no header line 'timestamp,{','.join(REQUIRED_COLUMNS)}' found")
    if header[0] != "timestamp":
        raise WeatherDataError(f"{source}: the first column must be 'timestamp', got {header[0]!r}")
    dup = sorted({c for c in header if header.count(c) > 1})
    unknown = [c for c in header[1:] if c not in _CANONICAL]
    if dup or unknown:
        what = f"duplicated column(s) {dup}" if dup else f"unknown column(s) {unknown}"
        raise WeatherDataError(
            f"{source}: {what}; allowed columns after 'timestamp': "
            + ", ".join(f"{c} [{UNITS[c]}]" for c in _CANONICAL)
            + f" (required: {list(REQUIRED_COLUMNS)})"
        )
    site: dict[str, float | None] = {}
    for key, given in zip(_SITE_KEYS, (latitude, longitude, elevation_m), strict=True):
        in_file = site_file.get(key)
        if given is not None and in_file is not None and not math.isclose(float(given), in_file, abs_tol=1e-9):
            raise WeatherDataError(f"{source}: {key} = {given!r} given, but the file says {key}={in_file!r}")
        site[key] = float(given) if given is not None else in_file
    if (site["latitude"] is None) != (site["longitude"] is None):
        raise WeatherDataError(f"{source}: latitude and longitude go together; got only one of them")
    _check_site(site["latitude"], site["longitude"], source)
    try:
        raw = pd.read_csv(path, skiprows=n_skip, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (ValueError, pd.errors.ParserError) as exc:
        raise WeatherDataError(f"{source}: not a readable CSV ({exc})") from exc
    line0 = n_skip + 2  # file line of data row 0

    stamps = raw["timestamp"].astype(str).str.strip()
    ok = stamps.str.fullmatch(_ISO_WITH_OFFSET).to_numpy(dtype=bool)
    parsed = pd.to_datetime(stamps.where(ok, None), format="ISO8601", utc=True, errors="coerce")
    bad = ~ok | parsed.isna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        s = stamps.iloc[i]
        why = "has no UTC offset" if re.fullmatch(_ISO_NAIVE, s) else "is not an ISO 8601 date-time with UTC offset"
        raise WeatherDataError(
            f"{source}: timestamp {s!r} at row {i} (line {line0 + i}) {why}; write e.g. 2030-01-01T00:00:00+00:00"
        )
    index = pd.DatetimeIndex(parsed)
    columns = {}
    for col in header[1:]:
        text = raw[col].astype(str).str.strip()
        values = pd.to_numeric(text, errors="coerce")
        junk = values.isna().to_numpy() & ~text.str.lower().isin(["", "nan"]).to_numpy()
        if junk.any():
            i = int(np.flatnonzero(junk)[0])
            raise WeatherDataError(
                f"{source}: column '{col}' has non-numeric value {text.iloc[i]!r} at {index[i].isoformat()} "
                f"(row {i}, line {line0 + i})"
            )
        columns[col] = values.to_numpy(dtype=float)
    data = canonical_order(pd.DataFrame(columns, index=index.as_unit(_TIME_UNIT)))
    metadata = {"source": source, "format": "greendc-csv", **site, "comments": comments, "original": site_file}
    return _attach_site(data, metadata)


def write_csv(data: pd.DataFrame, path: str | Path, decimals: int | None = None) -> Path:
    """Write a canonical weather table as a greendc CSV (format in the module docstring).

    Parameters
    ----------
    data : pandas.DataFrame
        Canonical weather table; it is checked first (:func:`~greendc.weather.schema.check_weather`).
        ``data.attrs['latitude']``, ``['longitude']`` and ``['elevation_m']`` are written to the site
        comment line when present.
    path : str or pathlib.Path
        File to write (overwritten).
    decimals : int, optional
        Round values to this many decimals; by default values are written in full (shortest repr that
        reads back to the same float), so :func:`read_csv` returns exactly ``data``.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    path = Path(path)
    unknown = [c for c in data.columns if c not in _CANONICAL]
    if unknown:
        raise WeatherDataError(f"{path.name}: cannot write column(s) {unknown}; allowed: {list(_CANONICAL)}")
    if ("latitude" in data.attrs) != ("longitude" in data.attrs):
        raise WeatherDataError(f"{path.name}: data.attrs must hold both latitude and longitude or neither")
    check_weather(data, source=path.name)
    out = canonical_order(data).astype(float)
    if decimals is not None:
        out = out.round(decimals) + 0.0
    idx = data.index
    if ((idx.microsecond == 0) & (idx.nanosecond == 0)).all():
        stamps = list(idx.strftime("%Y-%m-%dT%H:%M:%S") + "+00:00")
    else:  # sub-second steps: isoformat keeps the fraction
        stamps = [t.isoformat() for t in idx]
    out.insert(0, "timestamp", stamps)
    units = ", ".join(f"{c} [{UNITS[c]}]" for c in out.columns[1:])
    site = [f"{k}={float(data.attrs[k])!r}" for k in _SITE_KEYS if k in data.attrs]
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(f"# greendc weather table; timestamp: start of period, ISO 8601 with UTC offset; units: {units}\n")
        if site:
            f.write(f"# {', '.join(site)}\n")
        out.to_csv(f, index=False, lineterminator="\n")
    return path


# ---------------------------------------------------------------------------------------------- dispatch
def _sniff(path: str | Path) -> str | None:
    """Tell the format from the first non-blank line of the file (None when unknown)."""
    with open(path, encoding="utf-8-sig", errors="replace") as f:
        for line in f:
            first = line.strip()
            if first:
                break
        else:
            return None
    if first.upper().startswith("LOCATION,"):
        return "epw"
    if first.startswith("{"):
        return "pvgis-tmy-json"
    if first.startswith("Latitude (decimal degrees)"):
        return "pvgis-tmy-csv"
    if first.startswith("#") or first.split(",")[0].strip() == "timestamp":
        return "greendc-csv"
    return None


_READERS = {
    "epw": (read_epw, ("year",)),
    "pvgis-tmy-csv": (read_pvgis_tmy, ("year",)),
    "pvgis-tmy-json": (read_pvgis_tmy, ("year",)),
    "greendc-csv": (read_csv, ("latitude", "longitude", "elevation_m")),
}


def read_weather(path: str | Path, **kwargs: Any) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Read any supported weather file, choosing the reader from the file's content.

    Parameters
    ----------
    path : str or pathlib.Path
        An EPW, a PVGIS TMY (CSV or JSON) or a greendc CSV file (see :data:`FORMATS`).
    **kwargs
        Passed to the reader: ``year`` for EPW and PVGIS; ``latitude``, ``longitude``, ``elevation_m``
        for greendc CSV. A keyword the format does not take is an error.

    Returns
    -------
    data, metadata
        As the chosen reader returns them (``metadata['format']`` says which).

    Raises
    ------
    WeatherDataError
        Unknown format (naming the file and the formats accepted), a keyword the format does not take,
        or any error of the reader.
    """
    source = _source(path)
    fmt = _sniff(path)
    if fmt is None:
        raise WeatherDataError(
            f"{source}: unknown weather file format (extension {Path(path).suffix!r}); accepted: "
            + "; ".join(f"{k}: {v}" for k, v in FORMATS.items())
        )
    reader, allowed = _READERS[fmt]
    extra = sorted(set(kwargs) - set(allowed))
    if extra:
        raise WeatherDataError(f"{source}: keyword(s) {extra} do not apply to {fmt} files; allowed: {list(allowed)}")
    return reader(path, **kwargs)
