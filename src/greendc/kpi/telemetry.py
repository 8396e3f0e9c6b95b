"""The metered time series the KPIs read, its columns and its checks.

A telemetry table is a :class:`pandas.DataFrame` with a tz-aware UTC, regular
:class:`~pandas.DatetimeIndex` (any step: 1 min, 15 min, 1 h, 1 day ...) whose values stamp the
**start** of their period, and columns named as the planner's and the simulator's dispatch
(``docs/nomenclature.md``), so that one KPI code serves plans, simulations and meters. Power columns are
period means [MW]; the ``*_m3`` columns are volumes of the period [m³] (not rates).

Required columns (:data:`REQUIRED_COLUMNS`):

==========================  ====  ==================================================================
column                      unit  meaning
==========================  ====  ==================================================================
``it_mw``                   MW    IT power served, all classes (E_IT meter, see ``pue_category``)
``facility_mw``             MW    facility power supplied to the data centre at its boundary meter
                                  (E_DC meter: IT + cooling + power chain + auxiliaries)
==========================  ====  ==================================================================

Optional columns (:data:`OPTIONAL_COLUMNS`), counted as zero when absent:

==========================  ====  ==================================================================
``pv_mw``                   MW    on-site PV AC output delivered to the site (curtailed output excluded)
``wind_mw``                 MW    on-site wind AC output delivered to the site (curtailed output excluded)
``csp_mw``                  MW    on-site concentrating solar power, power-block electric output used
``curtailed_mw``            MW    renewable output available but thrown away; no KPI counts it
``battery_charge_mw``       MW    battery charging power (AC side)
``battery_discharge_mw``    MW    battery discharging power (AC side)
``electrolyser_mw``         MW    electrolyser electric input
``fuel_cell_mw``            MW    fuel-cell electric output (hydrogen made on site)
``grid_import_mw``          MW    import from a grid
``unserved_mw``             MW    IT power requested and not served, all classes (not read by the KPIs)
``unserved_facility_mw``    MW    facility power demanded but not supplied (the CFE load counts it)
``water_m3``                m³    water taken in at the data-centre boundary during the period (WIN:
                                  potable, desalinated, reclaimed ...), once-through seawater excluded
``fresh_water_m3``          m³    of which freshwater (WIN-FRE, EU WUE since C(2026) 3472); absent: all
                                  of ``water_m3`` counts as fresh (:mod:`greendc.kpi.water`)
``seawater_m3``             m³    seawater withdrawn for once-through cooling and returned warmer
``electrolyser_water_m3``   m³    process water of the on-site electrolyser: energy plant, outside the
                                  data-centre boundary, in no WUE
``reused_heat_mw``          MW    heat handed over for reuse outside the data centre (thermal)
==========================  ====  ==================================================================

Workload-class columns (:data:`CLASS_PATTERNS`), for availability by class; ``<class>`` is a lower-case
name (letters, digits, ``_``) such as ``inference`` or ``training``:

==============================  ====  ==============================================================
``it_<class>_mw``               MW    IT power served to the class (required when either column below
                                      is given for that class)
``unserved_<class>_mw``         MW    IT power of the class requested and lost (not served, not shifted)
``requested_<class>_mw``        MW    IT power requested by the class; when absent it is served +
                                      unserved
==============================  ====  ==============================================================

Columns the dispatch carries that no KPI reads (:data:`IGNORED_COLUMNS`) are allowed and not checked:
``battery_soc_mwh``, ``h2_level_mwh``, ``price_usd_per_mwh``, ``reserve_mw``, ``heat_to_sea_mw``, and the simulator's
``backlog_<class>_mwh`` and ``<fleet>_available_fraction`` (:data:`IGNORED_PATTERNS`). Any other column is
an error (a misspelt column would otherwise silently count as zero).

Conventions checked: every power and water value is finite and ≥ 0 (values down to
``-NEGATIVE_TOLERANCE`` are accepted as solver round-off). As in the planner's and the simulator's
dispatch, ``pv_mw`` and ``wind_mw`` are the output used and ``curtailed_mw`` comes on top of them, so that
the site balance reads ``pv + wind + discharge − charge + fuel_cell − electrolyser + grid = facility``
(a PV or wind meter reads the output used). ``facility_mw`` may be below ``it_mw`` in a single step (a UPS
riding through a short supply interruption); :func:`greendc.kpi.metrics.pue` checks the totals.

CSV format read by :func:`read_telemetry`::

    # any comment lines
    timestamp,it_mw,facility_mw,pv_mw,wind_mw,grid_import_mw,water_m3
    2030-01-01T00:00:00+00:00,400.0,452.0,0.0,380.5,0.0,12.4
    2030-01-01T01:00:00+00:00,401.0,452.9,0.0,377.0,0.0,12.6
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from greendc.commented_csv import parse_utc_timestamps, read_cells, read_head
from greendc.errors import TelemetryError
from greendc.units import RENAMED_COLUMNS, renaming

__all__ = [
    "CLASS_PATTERNS",
    "IGNORED_COLUMNS",
    "IGNORED_PATTERNS",
    "NEGATIVE_TOLERANCE",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "UNITS",
    "check_telemetry",
    "is_ignored",
    "is_parquet",
    "read_parquet_table",
    "read_telemetry",
    "step_hours",
    "workload_classes",
]


REQUIRED_COLUMNS: tuple[str, ...] = ("it_mw", "facility_mw")
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "pv_mw",
    "wind_mw",
    "csp_mw",
    "curtailed_mw",
    "battery_charge_mw",
    "battery_discharge_mw",
    "electrolyser_mw",
    "fuel_cell_mw",
    "grid_import_mw",
    "unserved_mw",
    "unserved_facility_mw",
    "water_m3",
    "fresh_water_m3",
    "seawater_m3",
    "electrolyser_water_m3",
    "reused_heat_mw",
)
IGNORED_COLUMNS: tuple[str, ...] = (
    "battery_soc_mwh",
    "h2_level_mwh",
    "price_usd_per_mwh",
    "reserve_mw",
    "csp_storage_mwh_th",
    "csp_dumped_mw_th",
    "desalination_m3_per_h",
    "water_tank_m3",
    "heat_to_sea_mw",
    "site_trip_fraction",
)
#: Families of simulator columns no KPI reads: flexible backlog and overhead (part of ``it_<class>_mw``) per
#: class, fleet availability.
IGNORED_PATTERNS: tuple[str, ...] = (
    r"backlog_[a-z][a-z0-9_]*_mwh",
    r"overhead_[a-z][a-z0-9_]*_mw",
    r"[a-z][a-z0-9_]*_available_fraction",
)
#: File name suffixes read as Parquet; any other file is Parquet when it starts with :data:`PARQUET_MAGIC`.
PARQUET_SUFFIXES: tuple[str, ...] = (".parquet", ".pq", ".parq")
#: The first (and last) four bytes of every Parquet file.
PARQUET_MAGIC = b"PAR1"
#: Per-class columns: kind -> regular expression whose group 1 is the class name.
CLASS_PATTERNS: dict[str, str] = {
    "served": r"it_([a-z][a-z0-9_]*)_mw",
    "unserved": r"unserved_([a-z][a-z0-9_]*)_mw",
    "requested": r"requested_([a-z][a-z0-9_]*)_mw",
}
UNITS: dict[str, str] = {c: ("m3" if c.endswith("_m3") else "MW") for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)}
#: Negative values down to this are accepted as round-off of an LP solution [MW or m³ per step].
NEGATIVE_TOLERANCE = 1e-6


def is_ignored(column: str) -> bool:
    """True for a column the KPIs allow but never read (:data:`IGNORED_COLUMNS`, :data:`IGNORED_PATTERNS`)."""
    return column in IGNORED_COLUMNS or any(re.fullmatch(p, column) for p in IGNORED_PATTERNS)


def _class_of(column: str) -> tuple[str, str] | None:
    """``(kind, class)`` when ``column`` is a workload-class column, else None."""
    if column in REQUIRED_COLUMNS or column in OPTIONAL_COLUMNS or is_ignored(column):
        return None
    for kind, pattern in CLASS_PATTERNS.items():
        m = re.fullmatch(pattern, column)
        if m:
            return kind, m.group(1)
    return None


def workload_classes(frame: pd.DataFrame) -> list[str]:
    """Names of the workload classes that have an ``it_<class>_mw`` column, in column order."""
    out = []
    for col in frame.columns:
        found = _class_of(str(col))
        if found and found[0] == "served" and found[1] not in out:
            out.append(found[1])
    return out


def step_hours(frame: pd.DataFrame) -> float:
    """Length of one time step of a regular telemetry index [h] (``index.freq``, else the first difference)."""
    idx = frame.index
    if len(idx) >= 2:
        return (idx[1] - idx[0]) / pd.Timedelta(hours=1)
    if getattr(idx, "freq", None) is not None:
        return pd.Timedelta(idx.freq) / pd.Timedelta(hours=1)
    raise TelemetryError("telemetry: needs at least two time steps (or an index with a freq) to know the step")


def _where(index: pd.DatetimeIndex, i: int, first_line: int | None) -> str:
    line = f", line {first_line + i}" if first_line is not None else ""
    return f"{index[i].isoformat()} (row {i}{line})"


def _show(value: object) -> str:
    """A cell value for a message: text quoted, numbers as numbers (``nan``, ``inf``)."""
    if isinstance(value, str):
        return repr(value)
    try:
        return str(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return repr(value)


def _allowed_text() -> str:
    return (
        f"required {list(REQUIRED_COLUMNS)}; optional {list(OPTIONAL_COLUMNS)}; per workload class "
        "it_<class>_mw, unserved_<class>_mw, requested_<class>_mw; ignored "
        f"{list(IGNORED_COLUMNS)}"
    )


def check_telemetry(
    frame: pd.DataFrame,
    source: str = "telemetry",
    allow_unknown: bool = False,
    first_line: int | None = None,
) -> None:
    """Check that ``frame`` is a telemetry table (module docstring); raise :class:`TelemetryError` otherwise.

    Used by :func:`read_telemetry` and by callers holding a frame in memory (planner, simulator).

    Parameters
    ----------
    frame : pandas.DataFrame
        Candidate table: power columns [MW], ``water_m3`` [m³ per step], UTC index of period starts.
    source : str
        Name used in messages (e.g. the file name).
    allow_unknown : bool
        Accept (and ignore) columns that are not telemetry columns, instead of raising.
    first_line : int, optional
        File line of row 0, so that messages also name the line of a CSV file.

    Raises
    ------
    TelemetryError
        Naming the column, the time and row, the bad value and what is allowed.
    """
    _check_index(frame.index, source, first_line)
    columns = _check_columns(frame, source, allow_unknown)
    _check_values(frame, columns, source, first_line)


def _check_index(idx: pd.Index, source: str, first_line: int | None) -> None:
    """A UTC DatetimeIndex of period starts: rows, no duplicates, increasing, one regular step."""
    if not isinstance(idx, pd.DatetimeIndex):
        raise TelemetryError(f"{source}: the index must be a DatetimeIndex of period starts, got {type(idx).__name__}")
    if idx.tz is None or str(idx.tz) != "UTC":
        raise TelemetryError(f"{source}: the index must be tz-aware UTC, got tz={idx.tz!s}")
    if len(idx) == 0:
        raise TelemetryError(f"{source}: no rows")
    if len(idx) < 2 and idx.freq is None:
        raise TelemetryError(f"{source}: needs at least two time steps (or an index with a freq) to know the step")
    if idx.has_duplicates:
        i = int(np.flatnonzero(idx.duplicated())[0])
        raise TelemetryError(f"{source}: duplicated timestamp {_where(idx, i, first_line)}; each period once")
    steps = np.diff(idx.asi8)
    if (steps < 0).any():
        i = int(np.flatnonzero(steps < 0)[0]) + 1
        raise TelemetryError(
            f"{source}: timestamps not increasing at {_where(idx, i, first_line)} "
            f"(after {idx[i - 1].isoformat()}); sort the rows by time"
        )
    if len(steps) and not (steps == steps[0]).all():
        i = int(np.flatnonzero(steps != steps[0])[0])
        raise TelemetryError(
            f"{source}: irregular time step between {_where(idx, i, first_line)} and {idx[i + 1].isoformat()}: "
            f"{pd.Timedelta(int(steps[i]), unit=idx.unit)} instead of {pd.Timedelta(int(steps[0]), unit=idx.unit)}"
            " (a gap or a jump); telemetry needs one regular step"
        )


def _check_columns(frame: pd.DataFrame, source: str, allow_unknown: bool) -> list[str]:
    """Unique columns, the required ones present, unknown ones refused (unless allowed), per-class columns
    matched by a served column; return the columns whose values are checked."""
    columns = [str(c) for c in frame.columns]
    dup = sorted({c for c in columns if columns.count(c) > 1})
    if dup:
        raise TelemetryError(f"{source}: duplicated column(s) {dup}")
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise TelemetryError(f"{source}: missing required column(s) {missing}; {_allowed_text()}")
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS) | set(IGNORED_COLUMNS)
    unknown = [c for c in columns if c not in known and not is_ignored(c) and _class_of(c) is None]
    if unknown and not allow_unknown:
        raise TelemetryError(f"{source}: unknown column(s) {unknown}; allowed: {_allowed_text()}")
    classes = workload_classes(frame)
    for c in columns:
        found = _class_of(c)
        if found and found[0] != "served" and found[1] not in classes:
            raise TelemetryError(
                f"{source}: column '{c}' has no matching served column 'it_{found[1]}_mw' for class '{found[1]}'"
            )
    return [c for c in columns if (c in known and not is_ignored(c)) or _class_of(c) is not None]


def _check_values(frame: pd.DataFrame, checked: list[str], source: str, first_line: int | None) -> None:
    """Every value of the ``checked`` columns a finite number, none below the negative tolerance."""
    idx = frame.index
    for col in checked:
        raw = frame[col]
        if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
            num = raw.to_numpy(dtype=float)
        else:
            num = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(num)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise TelemetryError(
                f"{source}: column '{col}' has a missing or non-numeric value {_show(raw.iloc[i])} at "
                f"{_where(idx, i, first_line)}; every value must be a finite number"
            )
        neg = num < -NEGATIVE_TOLERANCE
        if neg.any():
            i = int(np.flatnonzero(neg)[0])
            unit = "m3" if col.endswith("_m3") else "MW"
            raise TelemetryError(
                f"{source}: column '{col}' = {num[i]:g} {unit} at {_where(idx, i, first_line)} is negative; "
                f"power and water are ≥ 0 (flows have one column per direction)"
            )


def is_parquet(path: str | Path) -> bool:
    """True when ``path`` is read as Parquet: its suffix is one of :data:`PARQUET_SUFFIXES`, or (any other
    suffix) the file starts with the Parquet magic bytes ``PAR1``."""
    path = Path(path)
    if path.suffix.lower() in PARQUET_SUFFIXES:
        return True
    try:
        with path.open("rb") as handle:
            return handle.read(len(PARQUET_MAGIC)) == PARQUET_MAGIC
    except OSError:
        return False


def read_parquet_table(path: Path, source: str) -> pd.DataFrame:
    """A Parquet table (``greendc plan``'s or ``greendc simulate``'s ``dispatch.parquet``) on its time index, UTC
    when it has a zone, an old column name (:data:`greendc.units.RENAMED_COLUMNS`) read as its current one;
    :class:`TelemetryError` naming ``source`` when it cannot be read."""
    try:
        frame = pd.read_parquet(path)
    except OSError as exc:
        raise TelemetryError(f"{source}: cannot read the file ({exc})") from exc
    except Exception as exc:  # pyarrow raises its own error types for a damaged file
        raise TelemetryError(f"{source}: not a readable Parquet file ({type(exc).__name__}: {exc})") from exc
    if not isinstance(frame.index, pd.DatetimeIndex) and "timestamp" in frame.columns:
        stamps = pd.to_datetime(frame["timestamp"], errors="coerce")
        frame = frame.drop(columns="timestamp").set_index(pd.DatetimeIndex(stamps, name="timestamp"))
    idx = frame.index
    if not isinstance(idx, pd.DatetimeIndex):
        raise TelemetryError(
            f"{source}: a Parquet telemetry table needs a DatetimeIndex or a 'timestamp' column of period starts, "
            f"got a {type(idx).__name__} and columns {[str(c) for c in frame.columns][:10]}"
        )
    if idx.tz is not None and str(idx.tz) != "UTC":
        frame.index = idx.tz_convert("UTC")
    return frame.rename(columns=renaming(frame.columns, RENAMED_COLUMNS))


def read_telemetry(path: str | Path, allow_unknown: bool = False) -> pd.DataFrame:
    """Read a metered time series (CSV or Parquet) into a checked telemetry table.

    Parameters
    ----------
    path : str or pathlib.Path
        A Parquet file (suffix ``.parquet``, or any file that starts with ``PAR1``): the ``dispatch.parquet``
        that ``greendc plan`` and ``greendc simulate`` write, or any table on a tz-aware index (or with a
        tz-aware ``timestamp`` column) of period starts. Otherwise a CSV file: optional ``#`` comment lines,
        then a header whose first column is ``timestamp`` (period start, ISO 8601 *with* its UTC offset:
        ``Z``, ``+00:00``, ``+01:00`` ...; offsets may differ between rows, e.g. across a daylight-saving
        change), then telemetry columns in MW (``water_m3`` in m³ per step). A column under its old name
        (:data:`greendc.units.RENAMED_COLUMNS`, e.g. the ``h2_store_mwh`` level of an older dispatch) is read
        as its current one.
    allow_unknown : bool
        Keep and ignore columns that are not telemetry columns instead of raising.

    Returns
    -------
    pandas.DataFrame
        The file's columns as floats (ignored columns as read), index: UTC period starts. Absent optional
        columns are not added: the KPIs count them as zero and report which were absent.

    Raises
    ------
    TelemetryError
        Unreadable file, no ``timestamp`` column, timestamp without offset or unparseable (naming the row and
        line), or any check of :func:`check_telemetry`.
    """
    source = Path(path).name
    if is_parquet(path):
        frame = read_parquet_table(Path(path), source)
        check_telemetry(frame, source=source, allow_unknown=allow_unknown)
        return frame
    try:
        _, header, n_skip = read_head(path)
        if header is None:
            raise TelemetryError(f"{source}: no header line 'timestamp,{','.join(REQUIRED_COLUMNS)},...' found")
        raw = read_cells(path, n_skip)
    except OSError as exc:
        raise TelemetryError(f"{source}: cannot read the file ({exc})") from exc
    except (ValueError, pd.errors.ParserError) as exc:
        raise TelemetryError(f"{source}: not a readable CSV ({exc})") from exc
    if header[0] != "timestamp":
        raise TelemetryError(f"{source}: the first column must be 'timestamp', got {header[0]!r}")
    dup = sorted({c for c in header if header.count(c) > 1})
    if dup:
        raise TelemetryError(f"{source}: duplicated column(s) {dup} in the header (line {n_skip + 1})")
    raw.columns = [str(c).strip() for c in raw.columns]
    raw = raw.rename(columns=renaming(raw.columns, RENAMED_COLUMNS))
    line0 = n_skip + 2  # file line of data row 0
    index = parse_utc_timestamps(
        raw["timestamp"], source, line0, TelemetryError, label="column 'timestamp' value"
    ).rename("timestamp")
    data = {}
    for col in raw.columns[1:]:
        text = raw[col].astype(str).str.strip()
        if is_ignored(col):
            data[col] = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
            continue
        num = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
        # keep the text of bad cells so that the check quotes what the file says
        data[col] = num if np.isfinite(num).all() else text.to_numpy(dtype=object)
    frame = pd.DataFrame(data, index=index)
    check_telemetry(frame, source=source, allow_unknown=allow_unknown, first_line=line0)
    for col in frame.columns:
        if frame[col].dtype == object:
            frame[col] = pd.to_numeric(frame[col], errors="coerce")
    return frame
