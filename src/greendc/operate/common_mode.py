"""Seeded common-mode failures of the island: the data centre's substation, the PV/wind collector feeders,
the plant control system, and partial outages of the cooling plant.

:mod:`greendc.operate.faults` draws the outages of the modular fleets (turbines, inverter blocks, battery
blocks, ...). The elements here are different: one failure of theirs takes out the whole site, a share of
all PV and wind output, or a share of the IT capacity. Their rates, with sources and a confidence label, are
in ``greendc/data/common_mode.csv`` (one row per element: ``units`` identical units, of which
``redundant_units`` are spare).

Each unit alternates between *up* and *down* as in :mod:`greendc.operate.faults`: exponential up times of
mean MTBF, exponential repair times of mean MTTR, independent units, stationary start. Its long-run
unavailability is

.. math:: U = \\frac{\\mathrm{MTTR}}{\\mathrm{MTBF} + \\mathrm{MTTR}}

With :math:`c(t)` units of an element down at time :math:`t`, :math:`n` units and :math:`r` redundant, the
element keeps the share

.. math:: a(t) = \\min\\left(1, \\frac{n - c(t)}{n - r}\\right)

of its duty: each unit is sized for :math:`1/(n - r)` of the design duty, so nothing is lost while
:math:`c \\le r`, and each further unit down removes :math:`1/(n - r)` (10 cooling modules with 1 redundant:
one down, nothing lost; two down, 1/9 of the IT capacity lost). By effect:

- ``site_trip``: the site supply is tripped while :math:`c > r` (no partial operation on the survivors).
  The site is tripped while *any* such element is, so ``site_trip_fraction`` is the share of the step
  during which :math:`1 - \\prod_e [c_e \\le r_e]` is 1.
- ``generation_share``: ``generation_available_fraction`` is the step average of :math:`\\prod_e a_e(t)`,
  the share of the PV and wind output still connected.
- ``cooling_share``: ``cooling_available_fraction`` is the step average of :math:`\\prod_e a_e(t)`, the
  share of the design IT load the cooling plant can carry.

The step averages are exact (event times in continuous time, then integrated over each step), so a
5-minute series averages to the hourly one drawn with the same seed.

Closed forms, to check the numbers. Units are independent and stationary, so the number down is binomial:

.. math:: P(c = k) = \\binom{n}{k} U^k (1 - U)^{n - k}

and

- a ``site_trip`` element trips with probability :math:`P_e = \\sum_{k > r} P(c = k)`, i.e.
  :math:`8760\\,P_e` trip hours per year, in :math:`8760\\,(n - r)\\,P(c = r)/\\mathrm{MTBF}` trips per year
  (the rate of the step from :math:`r` to :math:`r + 1` units down);
- independent elements trip the site :math:`8760\\,[1 - \\prod_e (1 - P_e)]` hours per year;
- a share element keeps on average :math:`E[a] = \\sum_k P(c = k) \\min(1, (n - k)/(n - r))`.

With the shipped table (:func:`expected_trip_hours_per_year`):

============================  ======  =======  ============  ===========  ========
element                       n / r   U [-]    trips [1/yr]  trip [h/yr]  E[a] [-]
============================  ======  =======  ============  ===========  ========
main_substation_bus           1 / 0   3.29e-5  0.036         0.29
main_substation_transformers  4 / 1   4.73e-4  3.3e-5        0.012
control_system                1 / 0   9.13e-5  0.20          0.80
collector_feeder              30 / 0  3.53e-3                             0.99647
cooling_module                10 / 1  2.90e-3                             0.999958
============================  ======  =======  ============  ===========  ========

so the site supply trips about 1.1 h per year from these elements (the Uptime Tier III benchmark is 1.6 h,
Tier IV 0.4-0.8 h), before any energy shortfall of the weather.

Not modelled: planned maintenance (it takes out the redundancy for its duration), repair crews as a
limited resource (repairs run in parallel), and common causes that fail several elements at once.

References
----------
.. [1] Billinton, R., Allan, R. N. (1992). Reliability Evaluation of Engineering Systems, 2nd ed.,
   Plenum, ch. 9 (two-state Markov component) and ch. 4 (k-out-of-n systems, binomial distribution).
   doi:10.1007/978-1-4899-0685-4
"""

from __future__ import annotations

import csv
import math
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
from numba import njit

from greendc.constants import HOURS_PER_YEAR
from greendc.errors import DataFileError, ScenarioError
from greendc.operate.faults import Repairable, down_intervals

#: Effect of an element → the series of :func:`common_mode_series` it acts on.
COMMON_MODE_EFFECTS: dict[str, str] = {
    "site_trip": "site_trip_fraction",
    "generation_share": "generation_available_fraction",
    "cooling_share": "cooling_available_fraction",
}
#: Spawn key under the seed for these streams: ``SeedSequence(seed, spawn_key=(COMMON_MODE_STREAM,))``
#: and its children. :func:`greendc.operate.faults.fleet_availability` spawns keys ``(0,)…(4,)`` from
#: the same seed, so the two never share a stream when a run passes both the same seed.
COMMON_MODE_STREAM = 0x434D
_COLUMNS = ("element", "effect", "units", "redundant_units", "mtbf_h", "mttr_h", "confidence", "source")


@dataclass(frozen=True)
class CommonMode(Repairable):
    """One common-mode element: ``units`` identical repairable units, ``redundant_units`` of them spare.

    Attributes
    ----------
    element : str
        Row name (``main_substation_bus``, ``collector_feeder``, ``cooling_module``, ...).
    effect : str
        ``site_trip``, ``generation_share`` or ``cooling_share`` (:data:`COMMON_MODE_EFFECTS`).
    units : int
        Number of identical units ``n`` [-].
    redundant_units : int
        Spare units ``r``, ``0 <= r < n`` [-]: the element loses nothing while at most ``r`` are down.
    mtbf_h : float
        Mean time between failures of one unit (mean up time) [h].
    mttr_h : float
        Mean time to repair one unit (mean down time) [h].
    confidence : str
        ``high``, ``medium`` or ``low``.
    source : str
        Where the numbers come from.
    """

    element: str
    effect: str
    units: int
    redundant_units: int
    mtbf_h: float
    mttr_h: float
    confidence: str
    source: str


def _table_path(path: str | os.PathLike[str] | None) -> Path:
    if path is not None:
        return Path(path)
    return Path(str(resources.files("greendc").joinpath("data", "common_mode.csv")))


def _int_field(p: Path, line: int, row: dict[str, str], col: str, low: int) -> int:
    text = (row[col] or "").strip()
    try:
        value = int(text)
    except ValueError as err:
        raise DataFileError(
            f"common-mode table '{p.name}' line {line}: {col} = {row[col]!r} is not an integer"
        ) from err
    if value < low:
        raise DataFileError(f"common-mode table '{p.name}' line {line}: {col} = {value}; allowed: >= {low}")
    return value


def _hours_field(p: Path, line: int, row: dict[str, str], col: str) -> float:
    try:
        value = float(row[col])
    except (TypeError, ValueError) as err:
        raise DataFileError(f"common-mode table '{p.name}' line {line}: {col} = {row[col]!r} is not a number") from err
    if not math.isfinite(value) or value <= 0:
        raise DataFileError(f"common-mode table '{p.name}' line {line}: {col} = {row[col]!r}; allowed: > 0 [h]")
    return value


def load_common_mode(path: str | os.PathLike[str] | None = None) -> dict[str, CommonMode]:
    """Read a common-mode table (default: the shipped ``greendc/data/common_mode.csv``).

    Parameters
    ----------
    path : path-like, optional
        CSV with the columns ``element, effect, units, redundant_units, mtbf_h, mttr_h, confidence,
        source``; one row per element, in the order their random streams are spawned.

    Returns
    -------
    dict of CommonMode
        By element name, in file order.

    Raises
    ------
    DataFileError
        Missing file or column, duplicate element, unknown effect, a non-integer unit count, redundant
        units not below the units, a non-positive MTBF/MTTR or an unknown confidence label; the message
        names the file, the line and the column.

    Examples
    --------
    >>> table = load_common_mode()
    >>> table["cooling_module"].units, table["cooling_module"].redundant_units
    (10, 1)
    """
    p = _table_path(path)
    try:
        with p.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            header = list(reader.fieldnames or [])
            rows = list(reader)
    except FileNotFoundError as err:
        raise DataFileError(f"common-mode table '{p}' not found") from err
    missing = [c for c in _COLUMNS if c not in header]
    if missing:
        raise DataFileError(f"common-mode table '{p.name}': missing column(s) {missing}; needed: {list(_COLUMNS)}")
    table: dict[str, CommonMode] = {}
    for line, row in enumerate(rows, start=2):
        name = (row["element"] or "").strip()
        if not name or name in table:
            raise DataFileError(
                f"common-mode table '{p.name}' line {line}: element = {row['element']!r}; "
                "allowed: a non-empty name not used on an earlier line"
            )
        if row["effect"] not in COMMON_MODE_EFFECTS:
            raise DataFileError(
                f"common-mode table '{p.name}' line {line}: effect = {row['effect']!r}; "
                f"allowed: {', '.join(COMMON_MODE_EFFECTS)}"
            )
        units = _int_field(p, line, row, "units", 1)
        redundant = _int_field(p, line, row, "redundant_units", 0)
        if redundant >= units:
            raise DataFileError(
                f"common-mode table '{p.name}' line {line}: redundant_units = {redundant}; "
                f"allowed: 0 <= redundant_units < units = {units}"
            )
        mtbf_h = _hours_field(p, line, row, "mtbf_h")
        mttr_h = _hours_field(p, line, row, "mttr_h")
        if row["confidence"] not in ("high", "medium", "low"):
            raise DataFileError(
                f"common-mode table '{p.name}' line {line}: confidence = {row['confidence']!r}; "
                "allowed: high, medium, low"
            )
        table[name] = CommonMode(
            name, row["effect"], units, redundant, mtbf_h, mttr_h, row["confidence"], row["source"] or ""
        )
    return table


def available_share(n_down: np.ndarray | int, units: int, redundant_units: int) -> np.ndarray:
    """Share of an element's duty still carried with ``n_down`` of its units down [-].

    Parameters
    ----------
    n_down : int or array of int
        Units down [-], ``0 <= n_down <= units``.
    units : int
        Units of the element ``n`` [-].
    redundant_units : int
        Spare units ``r`` [-], ``0 <= r < n``.

    Returns
    -------
    numpy.ndarray
        :math:`\\min(1, (n - c)/(n - r))`: 1 while at most ``r`` units are down, then ``1/(n - r)`` less
        per further unit down.

    Examples
    --------
    >>> available_share([0, 1, 2, 10], 10, 1).round(4).tolist()
    [1.0, 1.0, 0.8889, 0.0]
    """
    c = np.asarray(n_down, dtype=float)
    return np.minimum(1.0, (units - c) / (units - redundant_units))


def down_count_probabilities(mode: CommonMode) -> np.ndarray:
    """Stationary probability that exactly ``k`` units are down, ``k = 0 … units`` [-] (binomial in U)."""
    u, n = mode.unavailability, mode.units
    return np.array([math.comb(n, k) * u**k * (1.0 - u) ** (n - k) for k in range(n + 1)])


def trip_probability(mode: CommonMode) -> float:
    """Long-run share of time a ``site_trip`` element holds the site tripped, ``P(c > r)`` [-]."""
    return float(down_count_probabilities(mode)[mode.redundant_units + 1 :].sum())


def expected_trips_per_year(mode: CommonMode) -> float:
    """Long-run number of trips a ``site_trip`` element causes per year, ``8760 (n - r) P(c = r) / MTBF``."""
    p = down_count_probabilities(mode)[mode.redundant_units]
    return HOURS_PER_YEAR * (mode.units - mode.redundant_units) * p / mode.mtbf_h


def expected_trip_hours_per_year(table: dict[str, CommonMode] | None = None) -> float:
    """Long-run site trip hours per year of all ``site_trip`` elements, ``8760 [1 - Π(1 - P_e)]`` [h/yr].

    Examples
    --------
    >>> round(expected_trip_hours_per_year(), 2)
    1.1
    """
    table = table if table is not None else load_common_mode()
    up = math.prod(1.0 - trip_probability(m) for m in table.values() if m.effect == "site_trip")
    return HOURS_PER_YEAR * (1.0 - up)


def expected_available_fraction(mode: CommonMode) -> float:
    """Long-run mean share of the duty a share element carries, ``Σ_k P(c = k) a(k)`` [-]."""
    k = np.arange(mode.units + 1)
    return float(down_count_probabilities(mode) @ available_share(k, mode.units, mode.redundant_units))


@njit(cache=True)
def _step_mean(times: np.ndarray, values: np.ndarray, n_steps: int, step_h: float) -> np.ndarray:
    """Step averages of the piecewise-constant function ``values[k]`` on ``[times[k], times[k+1])`` (numba)."""
    horizon = n_steps * step_h
    out = np.zeros(n_steps)
    m = times.size
    for k in range(m):
        a = times[k]
        b = times[k + 1] if k + 1 < m else horizon
        b = min(b, horizon)
        if b <= a:
            continue
        v = values[k]
        i0 = min(int(a / step_h), n_steps - 1)
        i1 = min(int(b / step_h), n_steps - 1)
        if i0 == i1:
            out[i0] += v * (b - a)
        else:
            out[i0] += v * ((i0 + 1) * step_h - a)
            for i in range(i0 + 1, i1):
                out[i] += v * step_h
            out[i1] += v * (b - i1 * step_h)
    return out / step_h


def _down_count_timeline(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Units down ``c`` from each breakpoint to the next: ``(times [h], counts [-])``, starting at ``t = 0``."""
    times = np.concatenate(([0.0], starts, ends))
    delta = np.concatenate(([0], np.ones(starts.size, dtype=np.int64), -np.ones(ends.size, dtype=np.int64)))
    order = np.argsort(times, kind="stable")
    return times[order], np.cumsum(delta[order])


def _product_timeline(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Product of piecewise-constant functions on their merged breakpoints, equal neighbours merged."""
    times = np.unique(np.concatenate([t for t, _ in parts]))
    values = np.ones(times.size)
    for t, v in parts:
        values *= v[np.searchsorted(t, times, side="right") - 1]
    keep = np.concatenate(([True], values[1:] != values[:-1]))
    return times[keep], values[keep]


def common_mode_series(
    n_steps: int, step_h: float, seed: int, table: dict[str, CommonMode] | None = None
) -> dict[str, np.ndarray]:
    """Per-step site trips, connected generation and cooling capacity from the common-mode failures.

    Parameters
    ----------
    n_steps : int
        Number of steps [-].
    step_h : float
        Step length [h].
    seed : int
        Seed; one independent stream per element (in table order) is spawned from
        ``SeedSequence(seed, spawn_key=(COMMON_MODE_STREAM,))``, so the same seed gives the same
        failures, whatever the step length, and none of these streams is one of the fleet outages'.
    table : mapping, optional
        Output of :func:`load_common_mode` (default: the shipped table).

    Returns
    -------
    dict of numpy.ndarray
        ``site_trip_fraction``: share of each step during which the site supply is tripped [-] (0 when
        the table has no ``site_trip`` element); ``generation_available_fraction``: share of the PV and
        wind output connected [-]; ``cooling_available_fraction``: share of the design IT load the cooling
        plant can carry [-] (1 when the table has no element of that effect). All in ``[0, 1]``.

    Raises
    ------
    ScenarioError
        ``n_steps < 1``, ``step_h <= 0`` or a seed that is not an integer ``>= 0``.

    Examples
    --------
    >>> s = common_mode_series(8760, 1.0, seed=1)
    >>> sorted(s)
    ['cooling_available_fraction', 'generation_available_fraction', 'site_trip_fraction']
    >>> bool(0.99 < s["generation_available_fraction"].mean() <= 1.0)
    True
    """
    if isinstance(n_steps, bool) or int(n_steps) != n_steps or n_steps < 1:
        raise ScenarioError(f"n_steps = {n_steps!r}; allowed: an integer >= 1")
    if not (math.isfinite(step_h) and step_h > 0):
        raise ScenarioError(f"step_h = {step_h!r}; allowed: > 0 [h]")
    if isinstance(seed, bool) or int(seed) != seed or seed < 0:
        raise ScenarioError(f"common-mode seed = {seed!r}; allowed: an integer >= 0")
    n_steps, step_h = int(n_steps), float(step_h)
    table = table if table is not None else load_common_mode()
    root = np.random.SeedSequence(int(seed), spawn_key=(COMMON_MODE_STREAM,))
    horizon_h = n_steps * step_h
    parts: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {effect: [] for effect in COMMON_MODE_EFFECTS}
    for mode, stream in zip(table.values(), root.spawn(len(table)), strict=True):
        rng = np.random.default_rng(stream)
        starts, ends = down_intervals(horizon_h, mode.units, mode.mtbf_h, mode.mttr_h, rng)
        times, counts = _down_count_timeline(starts, ends)
        if mode.effect == "site_trip":
            value = (counts <= mode.redundant_units).astype(float)  # 1 while the element lets the site run
        else:
            value = available_share(counts, mode.units, mode.redundant_units)
        parts[mode.effect].append((times, value))
    out: dict[str, np.ndarray] = {}
    for effect, name in COMMON_MODE_EFFECTS.items():
        if not parts[effect]:
            out[name] = np.zeros(n_steps) if effect == "site_trip" else np.ones(n_steps)
            continue
        times, value = _product_timeline(parts[effect])
        if effect == "site_trip":
            value = 1.0 - value  # tripped while any site_trip element is
        out[name] = np.clip(_step_mean(times, value, n_steps, step_h), 0.0, 1.0)
    return out


__all__ = [
    "COMMON_MODE_EFFECTS",
    "COMMON_MODE_STREAM",
    "CommonMode",
    "available_share",
    "common_mode_series",
    "down_count_probabilities",
    "expected_available_fraction",
    "expected_trip_hours_per_year",
    "expected_trips_per_year",
    "load_common_mode",
    "trip_probability",
]
