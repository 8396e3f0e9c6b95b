"""What every weather reader shares: the file's name, site checks, the single-year recast, the finish.

Each reader maps its source columns to canonical ones with :func:`finish`, which converts them to floats
on a UTC index at pandas' default resolution, orders them, attaches the site and runs
:func:`~greendc.weather.schema.check_weather` (through :func:`attach_site`).
"""

from __future__ import annotations

import calendar
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from greendc.errors import WeatherDataError
from greendc.weather.schema import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, canonical_order, check_weather

__all__ = [
    "CANONICAL_COLUMNS",
    "SITE_KEYS",
    "TIME_UNIT",
    "attach_site",
    "check_site",
    "finish",
    "single_year",
    "source_name",
]

#: Every column a weather table may hold, required first.
CANONICAL_COLUMNS = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
#: Site items a weather table carries in ``attrs`` (latitude [degrees north], longitude [degrees east], elevation [m]).
SITE_KEYS = ("latitude", "longitude", "elevation_m")
TIME_UNIT = pd.date_range("2000-01-01", periods=1, tz="UTC").unit  # pandas' default resolution


def source_name(path: str | Path) -> str:
    """File name of ``path`` for messages; raises :class:`~greendc.errors.WeatherDataError` when absent."""
    p = Path(path)
    if not p.is_file():
        raise WeatherDataError(f"{p.name}: no such weather file ({p})")
    return p.name


def check_site(latitude: float | None, longitude: float | None, source: str) -> None:
    """Raise when latitude [degrees north] or longitude [degrees east] is given and out of range."""
    for name, value, bound in (("latitude", latitude, 90.0), ("longitude", longitude, 180.0)):
        if value is not None and not (math.isfinite(value) and -bound <= value <= bound):
            raise WeatherDataError(f"{source}: {name} = {value!r} is outside [-{bound:g}, {bound:g}] degrees")


def _skips_feb29(stamps: pd.DatetimeIndex) -> bool:
    m, d = stamps.month, stamps.day
    has = lambda mm, dd: bool(((m == mm) & (d == dd)).any())  # noqa: E731
    return has(2, 28) and has(3, 1) and not has(2, 29)


def single_year(stamps: pd.DatetimeIndex, year: int | None, source: str) -> tuple[pd.DatetimeIndex, int | None]:
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


def finish(
    raw: pd.DataFrame,
    index_utc: pd.DatetimeIndex,
    variable_map: dict[str, str],
    metadata: dict[str, Any],
    kind: str,
    required: tuple[str, ...] = REQUIRED_COLUMNS,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Map source columns to canonical ones, set attrs, check (``required`` columns), return ``(data, metadata)``."""
    source = metadata["source"]
    missing = [f"'{k}' (-> {v})" for k, v in variable_map.items() if k not in raw.columns]
    if missing:
        raise WeatherDataError(
            f"{source}: {kind} column(s) {', '.join(missing)} missing; expected {list(variable_map)}"
        )
    data = pd.DataFrame(
        {v: pd.to_numeric(raw[k], errors="coerce").to_numpy(dtype=float) + 0.0 for k, v in variable_map.items()},
        index=index_utc.as_unit(TIME_UNIT),
    )
    return attach_site(canonical_order(data), metadata, required)


def attach_site(
    data: pd.DataFrame, metadata: dict[str, Any], required: tuple[str, ...] = REQUIRED_COLUMNS
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Copy the site of ``metadata`` into ``data.attrs``, check the table (``required`` columns), set the frequency."""
    data.index.name = None
    for key in SITE_KEYS:
        if metadata.get(key) is not None:
            data.attrs[key] = float(metadata[key])
    check_weather(data, source=metadata["source"], required=required)
    data.index.freq = pd.tseries.frequencies.to_offset(data.index[1] - data.index[0])
    return data, metadata
