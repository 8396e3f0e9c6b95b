"""Finished plans and study points side by side: design, cost, KPIs and the differences to the first.

A source is a plan folder (or its ``summary.json``) written by ``greendc plan``, or a study point written as
``<study folder>#<point>`` (the point's index) or ``<study folder>#<key>`` (its store key, or a prefix of it).
Every source gives the same figures (:data:`COMPARED`); out-of-sample figures are those of the source's own
verification (absent when it had none).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from greendc.errors import GreendcError
from greendc.study.store import ResultStore
from greendc.study.task import oos_figures
from greendc.units import PLAN_CAPACITY_UNITS, RENAMED_CAPACITIES, current_names

#: The figures compared, with their units, in the order shown.
COMPARED: dict[str, str] = dict(PLAN_CAPACITY_UNITS) | {
    "objective_usd_per_yr": "USD/yr",
    "cost_usd_per_mwh_it": "USD/MWh",
    "land_km2": "km²",
    "water_m3_per_yr": "m³/yr",
    "curtailment_fraction": "-",
    "unserved_mwh_per_yr": "MWh/yr (design weather)",
    "oos_firm_hours_per_yr_mean": "h/yr (out of sample)",
    "oos_firm_hours_per_yr_p95": "h/yr (out of sample)",
    "oos_availability": "- (out of sample)",
    "oos_eens_mwh_per_yr": "MWh/yr (out of sample)",
}


def _from_summary(path: Path) -> dict[str, Any]:
    summary = current_names(json.loads(path.read_text(encoding="utf-8")), RENAMED_CAPACITIES)
    figures = {k: float(v) for k, v in summary.items() if k in COMPARED and isinstance(v, int | float)}
    oos = summary.get("out_of_sample")
    if isinstance(oos, dict):
        figures |= oos_figures(oos)
    return figures


def _from_study(folder: Path, which: str) -> dict[str, Any]:
    rows = ResultStore(folder / "points").read()
    if rows.empty:
        raise GreendcError(f"{folder}: no study points stored (expected {folder / 'points'}/<key>.parquet)")
    match = rows[rows["point"] == int(which)] if which.isdigit() else rows[rows["key"].str.startswith(which)]
    if len(match) != 1:
        raise GreendcError(
            f"{folder}#{which}: {len(match)} points match; give a point index "
            f"({rows['point'].min()}-{rows['point'].max()}) or a longer key"
        )
    row = match.iloc[0]
    if row["status"] != "optimal":
        raise GreendcError(f"{folder}#{which}: the point is {row['status']}: {row['diagnosis']}")
    return {k: float(row[k]) for k in COMPARED if k in row and pd.notna(row[k])}


def load_figures(source: str) -> dict[str, Any]:
    """The compared figures of one source (see the module docstring).

    Raises
    ------
    GreendcError
        The source is not a plan folder, a ``summary.json`` or a study point.
    """
    if "#" in source:
        folder, which = source.rsplit("#", 1)
        return _from_study(Path(folder), which)
    path = Path(source)
    if path.is_dir():
        path = path / "summary.json"
    if not path.is_file():
        raise GreendcError(f"{source}: not a plan folder (no summary.json), a summary.json or <study folder>#<point>")
    return _from_summary(path)


def compare(sources: Sequence[str]) -> pd.DataFrame:
    """One column per source (named by it) and, from the second source on, its difference to the first
    (``Δ <source>``); one row per figure of :data:`COMPARED` that any source has, with its ``unit``."""
    if len(sources) < 2:
        raise GreendcError(f"compare needs at least two sources, got {len(sources)}")
    figures = {s: load_figures(s) for s in sources}
    names = [k for k in COMPARED if any(k in f for f in figures.values())]
    table = pd.DataFrame({s: [f.get(k, np.nan) for k in names] for s, f in figures.items()}, index=names)
    first = table[sources[0]]
    for s in sources[1:]:
        table[f"Δ {s}"] = table[s] - first
    table.insert(0, "unit", [COMPARED[k] for k in names])
    return table


__all__ = ["COMPARED", "compare", "load_figures"]
