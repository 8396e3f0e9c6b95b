"""greendc's plain weather CSV: :func:`read_csv` and :func:`write_csv`.

The layout, written by :func:`write_csv` and read by :func:`read_csv`::

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
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from greendc.commented_csv import parse_utc_timestamps, read_cells, read_head
from greendc.errors import WeatherDataError
from greendc.weather.readers.common import (
    CANONICAL_COLUMNS,
    SITE_KEYS,
    TIME_UNIT,
    attach_site,
    check_site,
    source_name,
)
from greendc.weather.schema import REQUIRED_COLUMNS, UNITS, canonical_order, check_weather

__all__ = ["read_csv", "write_csv"]


def _parse_site_comment(body: str, source: str, line_no: int) -> dict[str, float]:
    site: dict[str, float] = {}
    for item in body.split(","):
        key, sep, value = (s.strip() for s in item.partition("="))
        if not sep or key not in SITE_KEYS:
            raise WeatherDataError(
                f"{source}: line {line_no}: bad site item {item.strip()!r}; allowed keys: {list(SITE_KEYS)}"
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
    source = source_name(path)
    head, header, n_skip = read_head(path)
    comments: list[str] = []
    site_file: dict[str, float] = {}
    for line_no, body in head:
        if re.match(r"[A-Za-z_]\w*\s*=", body):
            site_file.update(_parse_site_comment(body, source, line_no))
        else:
            comments.append(body)
    if header is None:
        raise WeatherDataError(f"{source}: no header line 'timestamp,{','.join(REQUIRED_COLUMNS)}' found")
    if header[0] != "timestamp":
        raise WeatherDataError(f"{source}: the first column must be 'timestamp', got {header[0]!r}")
    dup = sorted({c for c in header if header.count(c) > 1})
    unknown = [c for c in header[1:] if c not in CANONICAL_COLUMNS]
    if dup or unknown:
        what = f"duplicated column(s) {dup}" if dup else f"unknown column(s) {unknown}"
        raise WeatherDataError(
            f"{source}: {what}; allowed columns after 'timestamp': "
            + ", ".join(f"{c} [{UNITS[c]}]" for c in CANONICAL_COLUMNS)
            + f" (required: {list(REQUIRED_COLUMNS)})"
        )
    site: dict[str, float | None] = {}
    for key, given in zip(SITE_KEYS, (latitude, longitude, elevation_m), strict=True):
        in_file = site_file.get(key)
        if given is not None and in_file is not None and not math.isclose(float(given), in_file, abs_tol=1e-9):
            raise WeatherDataError(f"{source}: {key} = {given!r} given, but the file says {key}={in_file!r}")
        site[key] = float(given) if given is not None else in_file
    if (site["latitude"] is None) != (site["longitude"] is None):
        raise WeatherDataError(f"{source}: latitude and longitude go together; got only one of them")
    check_site(site["latitude"], site["longitude"], source)
    try:
        raw = read_cells(path, n_skip)
    except (ValueError, pd.errors.ParserError) as exc:
        raise WeatherDataError(f"{source}: not a readable CSV ({exc})") from exc
    line0 = n_skip + 2  # file line of data row 0
    index = parse_utc_timestamps(raw["timestamp"], source, line0, WeatherDataError)
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
    data = canonical_order(pd.DataFrame(columns, index=index.as_unit(TIME_UNIT)))
    metadata = {"source": source, "format": "greendc-csv", **site, "comments": comments, "original": site_file}
    return attach_site(data, metadata)


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
    unknown = [c for c in data.columns if c not in CANONICAL_COLUMNS]
    if unknown:
        raise WeatherDataError(f"{path.name}: cannot write column(s) {unknown}; allowed: {list(CANONICAL_COLUMNS)}")
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
    site = [f"{k}={float(data.attrs[k])!r}" for k in SITE_KEYS if k in data.attrs]
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(f"# greendc weather table; timestamp: start of period, ISO 8601 with UTC offset; units: {units}\n")
        if site:
            f.write(f"# {', '.join(site)}\n")
        out.to_csv(f, index=False, lineterminator="\n")
    return path
