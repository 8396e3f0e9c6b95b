"""Seeded forced outages of the plant's units: wind turbines, PV inverter blocks, battery blocks,
electrolyser modules and fuel-cell modules.

Each unit alternates between *up* and *down* (an alternating renewal process): up times are exponential
with mean MTBF, repair times exponential with mean MTTR, independent between units. The long-run
unavailability of a unit is

.. math:: U = \\frac{\\mathrm{MTTR}}{\\mathrm{MTBF} + \\mathrm{MTTR}}

and every unit starts in its stationary state (down with probability ``U``, with a fresh exponential
repair time, which the memoryless law allows), so there is no start-up transient. Per time step the fleet
keeps the fraction of its unit-hours that were up. The MTBF/MTTR of each technology, with sources and a
confidence label, are in ``greendc/data/reliability.csv``.

Dust storms and heat waves are not drawn here: they come with the weather (stress events of
:func:`greendc.weather.synthetic.generate_weather`) and act through the profiles (soiling and lower
irradiance in ``pv_cf``, higher ``pue``).

References
----------
.. [1] Billinton, R., Allan, R. N. (1992). Reliability Evaluation of Engineering Systems, 2nd ed.,
   Plenum, ch. 9 (two-state Markov model of a repairable component). doi:10.1007/978-1-4899-0685-4
"""

from __future__ import annotations

import csv
import math
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
from numba import njit

from greendc.errors import DataFileError, ScenarioError
from greendc.operate.design import Design

#: Fleets with an outage process: name → (reliability technology, capacity field, unit-size field).
FLEETS: dict[str, tuple[str, str, str]] = {
    "pv": ("pv_inverter_block", "pv_mw", "pv_block_mw"),
    "wind": ("wind_turbine", "wind_mw", "wind_turbine_mw"),
    "battery": ("battery_block", "battery_mw", "battery_block_mw"),
    "electrolyser": ("electrolyser_stack", "electrolyser_mw", "electrolyser_stack_mw"),
    "fuel_cell": ("fuel_cell_module", "fuel_cell_mw", "fuel_cell_module_mw"),
}
_COLUMNS = ("technology", "unit", "mtbf_h", "mttr_h", "confidence", "source")


class Repairable:
    """What every repairable element shares: its long-run unavailability from ``mtbf_h`` and ``mttr_h`` [h]."""

    mtbf_h: float
    mttr_h: float

    @property
    def unavailability(self) -> float:
        """Long-run share of time one unit is down, ``U = MTTR / (MTBF + MTTR)`` [-]."""
        return self.mttr_h / (self.mtbf_h + self.mttr_h)


@dataclass(frozen=True)
class Reliability(Repairable):
    """Forced-outage parameters of one technology.

    Attributes
    ----------
    technology : str
        Row name (``wind_turbine``, ``pv_inverter_block``, ...).
    unit : str
        What one unit is.
    mtbf_h : float
        Mean time between failures (mean up time) [h].
    mttr_h : float
        Mean time to repair (mean down time) [h].
    confidence : str
        ``high``, ``medium`` or ``low``.
    source : str
        Where the numbers come from.
    """

    technology: str
    unit: str
    mtbf_h: float
    mttr_h: float
    confidence: str
    source: str


def load_reliability(path: str | os.PathLike[str] | None = None) -> dict[str, Reliability]:
    """Read a reliability table (default: the shipped ``greendc/data/reliability.csv``).

    Raises
    ------
    DataFileError
        Missing file, column or technology, or a non-positive MTBF/MTTR (naming the row and column).
    """
    p = Path(path) if path is not None else Path(str(resources.files("greendc").joinpath("data", "reliability.csv")))
    try:
        with p.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    except FileNotFoundError as err:
        raise DataFileError(f"reliability table '{p}' not found") from err
    if not rows or set(_COLUMNS) - set(rows[0]):
        missing = sorted(set(_COLUMNS) - set(rows[0] if rows else {}))
        raise DataFileError(f"reliability table '{p.name}': missing column(s) {missing}; needed: {list(_COLUMNS)}")
    table: dict[str, Reliability] = {}
    for line, row in enumerate(rows, start=2):
        values = {}
        for col in ("mtbf_h", "mttr_h"):
            try:
                values[col] = float(row[col])
            except ValueError as err:
                raise DataFileError(
                    f"reliability table '{p.name}' line {line}: {col} = {row[col]!r} is not a number"
                ) from err
            if not math.isfinite(values[col]) or values[col] <= 0:
                raise DataFileError(f"reliability table '{p.name}' line {line}: {col} = {row[col]!r}; allowed: > 0 [h]")
        if row["confidence"] not in ("high", "medium", "low"):
            raise DataFileError(
                f"reliability table '{p.name}' line {line}: confidence = {row['confidence']!r}; "
                "allowed: high, medium, low"
            )
        table[row["technology"]] = Reliability(
            row["technology"], row["unit"], values["mtbf_h"], values["mttr_h"], row["confidence"], row["source"]
        )
    needed = {tech for tech, _, _ in FLEETS.values()}
    if needed - set(table):
        raise DataFileError(f"reliability table '{p.name}': missing technology rows {sorted(needed - set(table))}")
    return table


@njit(cache=True)
def down_intervals(
    horizon_h: float, n_units: int, mtbf_h: float, mttr_h: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Start and end times [h] of every down interval of ``n_units`` two-state units (numba).

    Per unit: the stationary start state, then alternating exponential up and repair times, drawn from
    ``rng`` in that order (the alternating renewal process of the module docstring).
    """
    cap = 64
    starts = np.empty(cap)
    ends = np.empty(cap)
    m = 0
    p_down = mttr_h / (mtbf_h + mttr_h)
    for _ in range(n_units):
        t = 0.0
        is_down = rng.random() < p_down
        while t < horizon_h:
            if not is_down:
                t += rng.exponential(mtbf_h)
                is_down = True
                continue
            a = t
            b = min(t + rng.exponential(mttr_h), horizon_h)
            t = b
            is_down = False
            if m == cap:
                cap *= 2
                grown_s = np.empty(cap)
                grown_e = np.empty(cap)
                grown_s[:m] = starts[:m]
                grown_e[:m] = ends[:m]
                starts = grown_s
                ends = grown_e
            starts[m] = a
            ends[m] = b
            m += 1
    return starts[:m], ends[:m]


@njit(cache=True)
def _down_unit_hours(
    n_steps: int, step_h: float, n_units: int, mtbf_h: float, mttr_h: float, rng: np.random.Generator
) -> np.ndarray:
    """Down unit-hours per step of ``n_units`` independent two-state units (numba; :func:`down_intervals`
    binned to the steps)."""
    starts, ends = down_intervals(n_steps * step_h, n_units, mtbf_h, mttr_h, rng)
    down = np.zeros(n_steps)
    for k in range(starts.size):
        a = starts[k]
        b = ends[k]
        i0 = int(a / step_h)
        i1 = min(int(b / step_h), n_steps - 1)
        if i0 >= n_steps:
            continue
        if i0 == i1:
            down[i0] += b - a
        else:
            down[i0] += (i0 + 1) * step_h - a
            for i in range(i0 + 1, i1):
                down[i] += step_h
            down[i1] += b - i1 * step_h
    return down


def stream_seed(*keys: int) -> int:
    """A 63-bit seed of its own stream for the integer ``keys`` (e.g. a fault seed and a weather seed, or a
    seed and a stream number): :class:`numpy.random.SeedSequence` hashes the keys, so different keys give
    independent streams and the same keys the same seed.

    >>> stream_seed(0, 1) == stream_seed(0, 1), stream_seed(0, 1) == stream_seed(1, 0)
    (True, False)
    """
    if not keys or any(isinstance(k, bool) or int(k) != k or k < 0 for k in keys):
        raise ScenarioError(f"seed keys = {keys!r}; allowed: one or more integers >= 0")
    return int(np.random.SeedSequence([int(k) for k in keys]).generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


def unit_count(capacity: float, unit_size: float) -> int:
    """Number of equal units of at most ``unit_size`` that make up ``capacity`` [-] (0 for no capacity)."""
    if capacity <= 0.0:
        return 0
    return max(1, math.ceil(capacity / unit_size - 1e-9))


def fleet_availability(
    design: Design,
    n_steps: int,
    step_h: float,
    seed: int,
    reliability: dict[str, Reliability] | None = None,
) -> dict[str, np.ndarray]:
    """Share of each fleet's capacity that is up, per step [-].

    Parameters
    ----------
    design : Design
        Capacities and unit sizes (``n = ceil(capacity / unit size)`` equal units per fleet).
    n_steps : int
        Number of steps [-].
    step_h : float
        Step length [h].
    seed : int
        Seed; one independent stream per fleet is spawned from it, so the same seed gives the same
        outages and a fleet's outages do not change when another fleet is resized.
    reliability : mapping, optional
        Output of :func:`load_reliability` (default: the shipped table).

    Returns
    -------
    dict of numpy.ndarray
        Keys of :data:`FLEETS`; ``1 - down unit-hours / (n_units × step_h)`` per step; all ones for a
        fleet with no capacity.

    Examples
    --------
    >>> a = fleet_availability(Design(wind_mw=420.0), 8760, 1.0, seed=1)
    >>> bool(0.9 < a["wind"].mean() < 1.0), bool((a["pv"] == 1.0).all())
    (True, True)
    """
    if n_steps < 1 or not step_h > 0:
        raise ScenarioError(f"n_steps = {n_steps}, step_h = {step_h}; allowed: n_steps >= 1 and step_h > 0")
    if isinstance(seed, bool) or int(seed) != seed or seed < 0:
        raise ScenarioError(f"fault seed = {seed!r}; allowed: an integer >= 0")
    table = reliability if reliability is not None else load_reliability()
    streams = np.random.SeedSequence(int(seed)).spawn(len(FLEETS))
    out: dict[str, np.ndarray] = {}
    for (fleet, (tech, cap_field, unit_field)), stream in zip(FLEETS.items(), streams, strict=True):
        n_units = unit_count(getattr(design, cap_field), getattr(design, unit_field))
        if n_units == 0:
            out[fleet] = np.ones(n_steps)
            continue
        rel = table[tech]
        rng = np.random.default_rng(stream)
        down = _down_unit_hours(n_steps, float(step_h), n_units, rel.mtbf_h, rel.mttr_h, rng)
        out[fleet] = np.clip(1.0 - down / (n_units * step_h), 0.0, 1.0)
    return out


def availability_frame(
    design: Design, index: pd.DatetimeIndex, seed: int, reliability: dict[str, Reliability] | None = None
) -> pd.DataFrame:
    """:func:`fleet_availability` on a regular UTC index, columns ``<fleet>_available_fraction`` [-]."""
    step_h = (index[1] - index[0]) / pd.Timedelta(hours=1) if len(index) > 1 else 1.0
    avail = fleet_availability(design, len(index), step_h, seed, reliability)
    return pd.DataFrame({f"{k}_available_fraction": v for k, v in avail.items()}, index=index)


__all__ = [
    "FLEETS",
    "Reliability",
    "Repairable",
    "availability_frame",
    "down_intervals",
    "fleet_availability",
    "load_reliability",
    "stream_seed",
    "unit_count",
]
