"""Plan inputs of the bring-your-own-data mode: a profiles CSV and a cost table.

:func:`read_profiles_csv` reads and checks the profiles, :func:`select_years` keeps whole calendar years of
them, and :func:`inputs_from_profiles_csv` turns both files into a :class:`~greendc.plan.inputs.PlanInputs`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from greendc.constants import HOURS_PER_YEAR
from greendc.costs import load_cost_table
from greendc.errors import DataFileError
from greendc.plan.inputs import BatterySpec, HydrogenSpec, PlanInputs, PlanRules, WorkloadInput, with_balance_of_plant
from greendc.provenance import Provenance
from greendc.units import step_text

#: Cost-table rows of the bring-your-own-data mode, by the model component that uses them.
BYO_TECHNOLOGIES: dict[str, str] = {
    "pv": "pv_single_axis",
    "wind": "wind_onshore",
    "battery_energy": "battery_energy",
    "battery_power": "battery_power",
    "electrolyser": "electrolyser",
    "h2_store": "h2_store",
    "fuel_cell": "fuel_cell",
}

PROFILE_COLUMNS: tuple[str, ...] = ("timestamp", "pv_cf", "wind_cf", "it_load_mw")


def read_profiles_csv(path: str | Path) -> pd.DataFrame:
    """Read a bring-your-own profiles CSV: ``timestamp``, ``pv_cf``, ``wind_cf``, ``it_load_mw``.

    Timestamps without a zone are taken as UTC; with a zone they are converted to UTC. The steps must be
    regular, strictly increasing and gap-free.

    Raises
    ------
    DataFileError
        Missing file or column, unparsable timestamp, irregular steps, a value that is not a number or
        out of range; the message names the column and the row (1-based line of the file).
    """
    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"profiles file not found: {path}")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as err:
        raise DataFileError(f"profiles file {path}: not a readable CSV ({err})") from None
    raw.columns = [c.strip() for c in raw.columns]
    missing = [c for c in PROFILE_COLUMNS if c not in raw.columns]
    if missing:
        raise DataFileError(f"profiles file {path}: missing column(s) {missing}; required: {list(PROFILE_COLUMNS)}")
    if len(raw) < 2:
        raise DataFileError(f"profiles file {path}: needs at least 2 rows, got {len(raw)}")
    ts = pd.to_datetime(raw["timestamp"].str.strip(), errors="coerce", utc=True, format="mixed")
    if ts.isna().any():
        i = int(np.argmax(ts.isna().to_numpy()))
        raise DataFileError(
            f"profiles file {path}, line {i + 2}, column 'timestamp': '{raw['timestamp'].iloc[i]}' is not a "
            "date-time (use ISO 8601, e.g. 2030-01-01T00:00Z)"
        )
    index = pd.DatetimeIndex(ts, name="timestamp")
    step = index[1] - index[0]
    diffs = index[1:] - index[:-1]
    if step <= pd.Timedelta(0) or not (diffs == step).all():
        i = int(np.argmax(diffs != step)) + 1 if step > pd.Timedelta(0) else 1
        raise DataFileError(
            f"profiles file {path}, line {i + 2}, column 'timestamp': steps must be regular and increasing "
            f"({step_text(step)} expected, got {step_text(index[i] - index[i - 1])} before {index[i]})"
        )
    out = {}
    limits = {"pv_cf": (0.0, 1.0), "wind_cf": (0.0, 1.0), "it_load_mw": (0.0, 1e7)}
    for col, (low, high) in limits.items():
        values = pd.to_numeric(raw[col].str.strip(), errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(values) | (values < low) | (values > high)
        if bad.any():
            i = int(np.argmax(bad))
            raise DataFileError(
                f"profiles file {path}, line {i + 2}, column '{col}': '{raw[col].iloc[i]}' is not a number "
                "in "
                f"[{low:g}, {high:g}]"
            )
        out[col] = values
    return pd.DataFrame(out, index=index)


def select_years(frame: pd.DataFrame, years: int | None, origin: str = "profiles") -> tuple[pd.DataFrame, float]:
    """Keep the first ``years`` calendar years of ``frame``; return it and the horizon in years.

    ``years=N`` keeps the rows stamped before ``first timestamp + N calendar years`` (8760 or 8784 hours
    each, leap days kept) and the horizon is exactly N years. ``years=None`` keeps every row and the
    horizon is (number of hours) / 8760.
    """
    step_h = (frame.index[1] - frame.index[0]) / pd.Timedelta(hours=1)
    if years is None:
        return frame, len(frame) * step_h / HOURS_PER_YEAR
    if not (isinstance(years, int | np.integer) and years >= 1):
        raise DataFileError(f"years must be a whole number ≥ 1, got {years!r}")
    end = frame.index[0] + pd.DateOffset(years=int(years))
    covered_until = frame.index[-1] + pd.Timedelta(hours=step_h)
    if covered_until < end:
        have = len(frame) * step_h / HOURS_PER_YEAR
        raise DataFileError(
            f"{origin}: {years} year(s) requested from {frame.index[0]} (until {end}), but the data end at "
            f"{covered_until} ({have:.2f} years of {step_h:g}-hour steps)"
        )
    return frame.loc[frame.index < end], float(years)


def inputs_from_profiles_csv(
    profiles_csv: str | Path,
    costs_csv: str | Path = "default",
    discount_rate: float = 0.07,
    years: int | None = None,
) -> PlanInputs:
    """Plan inputs of the bring-your-own-data mode.

    The model is then exactly: one bus, PV, wind, a battery (energy and power sized independently, the
    power rating shared by charge and discharge, each way ``sqrt(round trip)``), electrolyser, hydrogen
    store and fuel cell, demand met every step, no other rule.

    Parameters
    ----------
    profiles_csv : str or pathlib.Path
        CSV with ``timestamp``, ``pv_cf`` [MW/MW], ``wind_cf`` [MW/MW], ``it_load_mw`` [MW, PUE applied].
    costs_csv : str or pathlib.Path
        Cost table with the columns of ``greendc/data/costs/costs.csv`` and the rows ``pv_single_axis``,
        ``wind_onshore``, ``battery_energy``, ``battery_power``, ``electrolyser``, ``h2_store``,
        ``fuel_cell``; ``"default"`` for the shipped table.
    discount_rate : float
        [1/yr].
    years : int or None
        Number of calendar years from the first timestamp to use (see :func:`select_years`); None = all.

    Raises
    ------
    DataFileError
        Malformed CSV (column and row named), too few years, missing cost rows.
    """
    frame = read_profiles_csv(profiles_csv)
    frame, horizon_years = select_years(frame, years, origin=f"profiles file {profiles_csv}")
    table = load_cost_table(costs_csv)
    costs = with_balance_of_plant({component: table[row] for component, row in BYO_TECHNOLOGIES.items()}, table)
    round_trip = costs["battery_power"].efficiency
    step_h = (frame.index[1] - frame.index[0]) / pd.Timedelta(hours=1)
    return PlanInputs(
        index=frame.index,
        weights_h=np.full(len(frame), step_h),
        pv_cf=frame["pv_cf"].to_numpy(),
        wind_cf=frame["wind_cf"].to_numpy(),
        workloads=(WorkloadInput(name="load", requested_mw=frame["it_load_mw"].to_numpy()),),
        costs=costs,
        discount_rate=float(discount_rate),
        horizon_years=horizon_years,
        battery=BatterySpec(
            charge_efficiency=float(np.sqrt(round_trip)), discharge_efficiency=float(np.sqrt(round_trip))
        ),
        hydrogen=HydrogenSpec(
            electrolyser_efficiency=costs["electrolyser"].efficiency,
            fuel_cell_efficiency=costs["fuel_cell"].efficiency,
        ),
        rules=PlanRules(),
        provenance=Provenance(
            "plan",
            details={
                "profiles": str(profiles_csv),
                "costs": table.origin,
                "currency": table.currency_label,
                "mode": "bring-your-own-data",
            },
        ),
    )
