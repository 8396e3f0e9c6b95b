"""CSV time series with ``#`` comment lines before the header and timestamps that carry their UTC offset.

The layout shared by greendc's weather CSV (:mod:`greendc.weather.readers.greendc_csv`) and the telemetry
CSV (:mod:`greendc.kpi.telemetry`)::

    # free-text comment lines (and blank lines) before the header
    timestamp,<column>,<column>,...
    2030-01-01T00:00:00+00:00,...

Each reader checks its own columns and raises its own error; this module finds the header, reads the
cells as text and parses the ``timestamp`` column, refusing a timestamp without UTC offset.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["parse_utc_timestamps", "read_cells", "read_head"]

_ISO_WITH_OFFSET = r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})"
_ISO_NAIVE = r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}(?::\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?)?"


def read_head(path: str | Path) -> tuple[list[tuple[int, str]], list[str] | None, int]:
    """The lines before the first data row: comments, the header and how many lines precede the header.

    Parameters
    ----------
    path : str or pathlib.Path
        CSV file (UTF-8, with or without a byte-order mark).

    Returns
    -------
    comments : list of (int, str)
        File line number (from 1) and text after the ``#`` of each non-empty comment line, in file order.
    header : list of str or None
        Column names of the first line that is neither blank nor a comment, stripped; None when there is none.
    n_skip : int
        Number of lines before the header (comments and blank lines), for :func:`read_cells`.

    Raises
    ------
    OSError
        The file cannot be opened.
    """
    comments: list[tuple[int, str]] = []
    n_skip = 0
    with open(path, encoding="utf-8-sig") as f:
        for line in f:
            text = line.strip()
            if text and not text.startswith("#"):
                return comments, [c.strip() for c in text.split(",")], n_skip
            n_skip += 1
            body = text.lstrip("#").strip()
            if body:
                comments.append((n_skip, body))
    return comments, None, n_skip


def read_cells(path: str | Path, n_skip: int) -> pd.DataFrame:
    """Every cell below the header as text, nothing read as missing (an empty cell is ``''``).

    Parameters
    ----------
    path : str or pathlib.Path
        CSV file.
    n_skip : int
        Lines before the header, from :func:`read_head`.

    Raises
    ------
    ValueError, pandas.errors.ParserError
        Not a readable CSV.
    """
    return pd.read_csv(path, skiprows=n_skip, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def parse_utc_timestamps(
    cells: pd.Series,
    source: str,
    first_line: int,
    error: type[Exception],
    label: str = "timestamp",
) -> pd.DatetimeIndex:
    """Parse ISO 8601 timestamps that carry their UTC offset (``Z``, ``+00:00``, ``+01:00`` ...) to UTC.

    Parameters
    ----------
    cells : pandas.Series
        The ``timestamp`` column as read (text).
    source : str
        File name, for messages.
    first_line : int
        File line of row 0, for messages.
    error : type
        Exception class to raise (the reader's own error).
    label : str
        How messages name a cell of the column.

    Returns
    -------
    pandas.DatetimeIndex
        UTC; offsets may differ between rows (e.g. across a daylight-saving change).

    Raises
    ------
    Exception
        ``error``, at the first timestamp without offset or not ISO 8601, naming its row and line.
    """
    stamps = cells.astype(str).str.strip()
    ok = stamps.str.fullmatch(_ISO_WITH_OFFSET).to_numpy(dtype=bool)
    parsed = pd.to_datetime(stamps.where(ok, None), format="ISO8601", utc=True, errors="coerce")
    bad = ~ok | pd.isna(parsed).to_numpy() if len(stamps) else np.zeros(0, dtype=bool)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        s = stamps.iloc[i]
        why = "has no UTC offset" if re.fullmatch(_ISO_NAIVE, s) else "is not an ISO 8601 date-time with UTC offset"
        raise error(
            f"{source}: {label} {s!r} at row {i} (line {first_line + i}) {why}; write e.g. 2030-01-01T00:00:00+00:00"
        )
    return pd.DatetimeIndex(parsed)
