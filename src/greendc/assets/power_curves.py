"""Wind turbine power curves: the CSV format, the shipped curves and their validation.

A power curve is a CSV file with columns ``wind_speed`` [m/s] and ``power_mw`` [MW] at the IEC 61400-12-1
standard air density (1.225 kg/m³); ``#`` lines are comments (the first ``# source:`` lines name where the
curve comes from). Shipped curves are in ``greendc/data/turbines`` (sources and licence in the README there).
"""

from __future__ import annotations

import functools
import math
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from greendc.errors import DataFileError, ScenarioError

#: Largest plausible values in a power-curve file (beyond them the units are wrong) [m/s], [MW].
MAX_CURVE_WIND_SPEED = 50.0
MAX_CURVE_POWER_MW = 30.0
#: How far a curve may exceed its stated rating (rounding in published tables).
RATED_POWER_TOLERANCE = 0.02


@dataclass(frozen=True, eq=False)
class PowerCurve:
    """A turbine's reference power curve (at 1.225 kg/m³).

    Attributes
    ----------
    wind_speed : numpy.ndarray
        Hub-height wind speeds, strictly increasing [m/s] (read-only).
    power_mw : numpy.ndarray
        Electrical power at those speeds [MW], non-negative (read-only).
    rated_mw : float
        Nameplate rating the output is normalised by [MW].
    name, source : str
        Turbine name (the file stem) and where the numbers come from.
    """

    wind_speed: np.ndarray
    power_mw: np.ndarray
    rated_mw: float
    name: str
    source: str


def _turbine_dir() -> Path:
    return Path(str(resources.files("greendc").joinpath("data", "turbines")))


def shipped_turbines() -> list[str]:
    """Names of the shipped power curves (files in ``greendc/data/turbines``), sorted."""
    return sorted(p.stem for p in _turbine_dir().glob("*.csv"))


def _fail(path: Path, message: str) -> DataFileError:
    return DataFileError(f"turbine power curve '{path}': {message}")


def _parse_number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return math.nan


def _read_power_curve(path: Path) -> PowerCurve:
    """Parse and validate one curve file; see :func:`load_power_curve` for the format."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise _fail(path, f"cannot be read ({exc.strerror})") from exc
    meta: dict[str, str] = {}
    key = ""
    table: list[tuple[int, list[str]]] = []  # (line number, cells), header first
    for lineno, raw in enumerate(text.splitlines(), start=1):
        body = raw.strip().lstrip("#").strip()
        if raw.strip().startswith("#"):
            name, sep, value = body.partition(":")
            if sep and name.strip() in ("source", "rated_mw"):
                key, meta[name.strip()] = name.strip(), value.strip()
            elif key and raw.startswith("#  "):  # indented continuation of the previous key
                meta[key] += " " + body
            else:
                key = ""
        elif body:
            table.append((lineno, [c.strip() for c in body.split(",")]))
    header = table[0][1] if table else []
    missing = [c for c in ("wind_speed", "power_mw") if c not in header]
    if missing:
        raise _fail(path, f"missing column(s) {missing} in header {header}; expected wind_speed [m/s], power_mw [MW]")
    rows = table[1:]
    if len(rows) < 2:
        raise _fail(path, f"needs at least two data rows, got {len(rows)}")
    lines = [lineno for lineno, _ in rows]
    cols: dict[str, np.ndarray] = {}
    for col in ("wind_speed", "power_mw"):
        j = header.index(col)
        cells = [r[j] if j < len(r) else "" for _, r in rows]
        cols[col] = np.array([_parse_number(c) for c in cells])
        bad = np.flatnonzero(~np.isfinite(cols[col]))
        if bad.size:
            raise _fail(path, f"column '{col}', line {lines[bad[0]]}: '{cells[bad[0]]}' is not a finite number")
    ws, pw = cols["wind_speed"], cols["power_mw"]
    rated = _parse_number(meta["rated_mw"]) if "rated_mw" in meta else float(pw.max())
    if not rated > 0:
        raise _fail(path, f"'# rated_mw: {meta.get('rated_mw')}' must be a positive number of MW")
    increasing = np.concatenate([[True], np.diff(ws) > 0])
    checks = [  # (column, values, bad mask, what is allowed)
        ("wind_speed", ws, (ws < 0) | (ws > MAX_CURVE_WIND_SPEED), f"within [0, {MAX_CURVE_WIND_SPEED:g}] m/s"),
        ("wind_speed", ws, ~increasing, "strictly increasing"),
        ("power_mw", pw, pw < 0, "non-negative"),
        ("power_mw", pw, pw > MAX_CURVE_POWER_MW, f"at most {MAX_CURVE_POWER_MW:g} MW (kW or W values?)"),
        ("power_mw", pw, pw > rated * (1 + RATED_POWER_TOLERANCE), f"at most the rating {rated:g} MW"),
    ]
    for col, values, bad, allowed in checks:
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise _fail(path, f"column '{col}', line {lines[i]}: value {values[i]:g} is not allowed; must be {allowed}")
    if pw.max() <= 0:
        raise _fail(path, "column 'power_mw' is zero everywhere")
    ws.setflags(write=False)
    pw.setflags(write=False)
    source = meta.get("source", f"user file {path}")
    return PowerCurve(wind_speed=ws, power_mw=pw, rated_mw=float(rated), name=path.stem, source=source)


@functools.lru_cache(maxsize=32)
def _shipped_curve(name: str) -> PowerCurve:
    return _read_power_curve(_turbine_dir() / f"{name}.csv")


def load_power_curve(name_or_path: str | os.PathLike[str]) -> PowerCurve:
    """Load a shipped power curve by name, or a CSV file by path, and validate it.

    Parameters
    ----------
    name_or_path : str or path-like
        Shipped turbine name (case-insensitive, see :func:`shipped_turbines`) or path of a ``.csv`` file.

    Raises
    ------
    ScenarioError
        Unknown turbine name; the message lists the shipped names.
    DataFileError
        Missing or malformed file; the message names the file, the column and the line.

    Notes
    -----
    Comment lines start with ``#``: ``# source: ...`` (indented ``#   ...`` lines continue it) and
    optionally ``# rated_mw: 4.2`` (default: the largest power in the table). Then a header line with
    ``wind_speed`` [m/s] (strictly increasing, 0–50) and ``power_mw`` [MW] (non-negative, at 1.225 kg/m³)
    and one row per point::

        # source: manufacturer data sheet ...
        # rated_mw: 4.2
        wind_speed,power_mw
        3,0.104

    Examples
    --------
    >>> load_power_curve("E-141-4.2").rated_mw
    4.2
    """
    text = os.fspath(name_or_path)
    path = Path(text)
    if path.suffix.lower() == ".csv" or os.sep in text or "/" in text:
        if not path.is_file():
            raise DataFileError(f"turbine power curve file '{path}' not found")
        return _read_power_curve(path)
    names = shipped_turbines()
    match = [n for n in names if n.lower() == text.strip().lower()]
    if not match:
        raise ScenarioError(
            f"turbine '{text}' is not a shipped power curve; shipped: {', '.join(names)} "
            "(or give the path of a CSV file with columns wind_speed [m/s], power_mw [MW])"
        )
    return _shipped_curve(match[0])
