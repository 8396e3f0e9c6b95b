"""Loss-of-load events of a dispatch, the cause of each, and where in the year and the day the losses fall.

An *event* is a run of consecutive steps in which some firm workload class is shed: the firm unserved IT
power ``Σ_firm unserved_<class>_mw`` is above :data:`~greendc.operate.result.UNSERVED_TOLERANCE_MW`, the
test of :func:`greendc.operate.result.summarise` (so the events here add up to its loss-of-load hours and
events). Flexible work is not counted: it is lost only when it misses its deadline.

:func:`loss_events` returns one row per event:

================================  =====  ===========================================================
column                            unit   meaning
================================  =====  ===========================================================
``start``                         UTC    stamp of the first shed step
``end``                           UTC    end of the last shed step (``start + duration_h``, exclusive)
``duration_h``                    h      length of the event
``firm_unserved_mwh``             MWh    firm IT energy shed over the event
``peak_shed_fraction``            –      firm unserved / firm requested IT power at the worst step
``battery_soc_fraction_at_start`` –      battery level in the first shed step / capacity (NaN: none)
``h2_fraction_at_start``          –      hydrogen in store in the first shed step / capacity (NaN: none)
``wind_cf_lookback_mean``         MW/MW  mean ``wind_cf`` over the lookback window (NaN: no window)
``pv_cf_lookback_mean``           MW/MW  mean ``pv_cf`` over the lookback window
``renewable_lookback_ratio``      –      mean renewable potential over the lookback window / its median
                                         over every window of that length in the run
``dust_max``                      0–1    highest ``dust`` over the lookback window and the event (NaN:
                                         no dust data)
``temp_air_max``                  °C     highest ``temp_air`` during the event (NaN: no weather)
``pue_ratio_max``                 –      highest ``pue`` during the event / median ``pue`` of the run
``outage_share``                  –      mean over the event of the share of the supply potential (or of
                                         the cooling capacity) out on forced or common-mode outage (NaN:
                                         no availability table)
``outage_flag`` … ``lull_flag``   bool   one flag per cause (see below)
``cause``                         –      the first cause, in :data:`CAUSES` order, whose flag is set
================================  =====  ===========================================================

Steps stamp the start of their period; levels (``battery_soc_mwh``, ``h2_level_mwh``) are at the end of
their step, so the level "in the first shed step" is what was left in store after that step's dispatch.
The *lookback window* is the ``lookback_h`` hours before ``start`` (shorter at the start of the run).

Cause attribution
-----------------
Each event gets a flag per cause, and its label is the first flagged cause in the order of
:data:`CAUSES` (``common_mode``, ``outage``, ``dispatch``, ``dust``, ``heat_wave``, ``lull``; ``other`` when
none is set):

* ``common_mode`` — the availability table has a :data:`SITE_TRIP_COLUMN` above 0 in some event step: the
  site supply tripped (substation, control system), which no amount of generation or storage prevents.
* ``outage`` — :data:`OUTAGE_SHARE_THRESHOLD` or more of the supply potential (or of the cooling capacity)
  was out, on mean over the event. The supply share out in one step is ``Σ_f w_f (1 − a_f) / Σ_f w_f`` over the supply
  fleets PV, wind, battery and fuel cell, with ``a_f`` the fleet's ``<fleet>_available_fraction`` (for PV
  and wind times ``generation_available_fraction``, the share of the collector feeders connected, when the
  table has it) and ``w_f`` the power it could deliver with every unit up: ``C_pv·pv_cf``,
  ``C_wind·wind_cf``, ``C_battery`` [MW], ``C_fuel_cell`` [MW]. The cooling share out is
  ``1 − cooling_available_fraction`` (when the table has it); the step's outage share is the larger of
  the two (:mod:`greendc.operate.common_mode` describes the common-mode columns). Outages come first: with
  units down, stored energy may be there but cannot be delivered, which is no dispatch failure.
* ``dispatch`` — in the first shed step the battery (or the hydrogen store) still held more than
  :data:`DISPATCH_STORE_FRACTION` of its capacity *and* was discharging less than its available rating by
  more than :data:`DISPATCH_HEADROOM_FRACTION` of the rating: energy and power were there, the policy did
  not use them. The power test keeps a power-limited shortfall (store at full discharge, load still
  shed) out of this label: that is a sizing matter, and falls to the weather causes below.
* ``dust`` — ``dust`` above :data:`DUST_THRESHOLD` in the lookback window or the event (needs ``weather``
  with a ``dust`` column).
* ``heat_wave`` — ``temp_air`` at or above :data:`HEAT_TEMP_AIR_C` during the event, or ``pue`` at or
  above :data:`HEAT_PUE_RATIO` × its median during the event.
* ``lull`` — the mean renewable potential ``R = C_pv·pv_cf + C_wind·wind_cf`` [MW] over the lookback
  window is below :data:`LULL_RATIO` × the median of the means over every full window of the same length
  in the run.

The specific weather stresses (dust, heat) come before the generic lull because a dust episode also
lowers the renewable potential, and the lull flag would hide it.

Capacities [MW, MWh] are the fields of :class:`greendc.operate.design.Design` (``pv_mw``, ``wind_mw``,
``battery_mw``, ``battery_mwh``, ``h2_store_mwh``, ``fuel_cell_mw``), passed as ``capacities`` (a mapping
or a ``Design``). A capacity not given is the maximum of its dispatch column (:data:`CAPACITY_FALLBACK`):
a lower bound, so the store fractions are then upper bounds (a store that never filled looks fuller than
it was), and a battery or fuel cell that never discharged gets no power rating, so it cannot make an event
``dispatch`` — pass the design's capacities when you have them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from greendc.errors import DataFileError, GreendcError
from greendc.operate.result import UNSERVED_TOLERANCE_MW
from greendc.timeindex import check_time_index

__all__ = [
    "CAPACITY_FALLBACK",
    "CAUSES",
    "COOLING_COLUMN",
    "DEFAULT_LOOKBACK_H",
    "DISPATCH_HEADROOM_FRACTION",
    "DISPATCH_STORE_FRACTION",
    "DUST_THRESHOLD",
    "EVENT_COLUMNS",
    "GENERATION_COLUMN",
    "HEAT_PUE_RATIO",
    "HEAT_TEMP_AIR_C",
    "LULL_RATIO",
    "OUTAGE_SHARE_THRESHOLD",
    "SITE_TRIP_COLUMN",
    "firm_unserved_mw",
    "loss_events",
    "loss_heatmap",
    "loss_hours_heatmap",
]

#: Cause labels in order of precedence: an event takes the first whose flag is set; ``other`` when none is.
CAUSES: tuple[str, ...] = ("common_mode", "outage", "dispatch", "dust", "heat_wave", "lull", "other")

#: Mean share of the supply potential (or of the cooling capacity) out on forced or common-mode outage over
#: the event at or above which the event is an ``outage`` [-]. The largest fleet unavailability of
#: ``data/reliability.csv`` is the wind turbines' 13.7 / (1067 + 13.7) = 1.3 %; with tens of independent
#: units a fleet's down share stays within a few per cent, so 10 % of the whole supply out is a common-mode
#: loss or a small fleet losing units, not the background of random unit outages. One cooling module of
#: nine carrying the load (1/9 = 11 %) counts.
OUTAGE_SHARE_THRESHOLD = 0.10
#: Optional column of the availability table: share of the site tripped (common mode) [-]; any value above
#: 0 during the event makes it ``common_mode``.
SITE_TRIP_COLUMN = "site_trip_fraction"
#: Optional column of the availability table: share of the PV and wind output connected (collector feeders) [-].
GENERATION_COLUMN = "generation_available_fraction"
#: Optional column of the availability table: share of the design IT load the cooling plant can carry [-].
COOLING_COLUMN = "cooling_available_fraction"
#: Store level, as a share of its capacity, above which the store "still held energy" in the first shed
#: step [-]. 5 % leaves out the round-off and self-discharge remnants of an emptied store.
DISPATCH_STORE_FRACTION = 0.05
#: Unused discharge power, as a share of the store's power rating, above which the store "could have
#: discharged more" in the first shed step [-]. 1 % is well above solver round-off.
DISPATCH_HEADROOM_FRACTION = 0.01
#: Dust-episode intensity above which an event counts as ``dust`` [0–1]. The synthetic weather draws the
#: peak of a dust episode between ``dust_intensity_min`` = 0.5 and 1 and lets a heat wave carry 0.3
#: (``data/climatology/dakhla_sources.csv``): 0.4 catches every dust episode near its peak and no heat wave
#: by its dust alone.
DUST_THRESHOLD = 0.4
#: Air temperature at or above which an event counts as a ``heat_wave`` [°C]. The warmest month at Dakhla
#: has a mean daily maximum of 27 °C (``data/climatology/dakhla.csv``); 35 °C is reached only in a
#: heat wave (chergui wind; the synthetic heat waves peak at 44 °C).
HEAT_TEMP_AIR_C = 35.0
#: ``pue`` at or above this multiple of its median during the event counts as ``heat_wave`` [-]: 10 % more
#: facility power for the same IT load. (With the default seawater cooling the PUE varies by less than
#: 5 % around its median, so there the temperature test decides; the PUE test serves air-cooled sites.)
HEAT_PUE_RATIO = 1.10
#: Mean renewable potential over the lookback window below this multiple of its median over all windows
#: of the same length counts as a ``lull`` [-]. In two synthetic Dakhla years (500 MW wind, 300 MW PV)
#: about 5 % of the 72-h windows fall below half the median; a long lull (wind at 30 % of its speed)
#: falls far below. Compare the "Dunkelflaute" test of Kaspar et al. (2019), 48-h mean capacity factor
#: below 10 %, doi:10.5194/asr-16-119-2019 (definition recalled, not re-read).
LULL_RATIO = 0.5
#: Length of the lookback window before an event [h]: three days, the span of a synoptic wind lull and
#: of the energy a multi-hour battery plus a hydrogen store is sized to bridge.
DEFAULT_LOOKBACK_H = 72.0

#: Capacity [MW or MWh] → dispatch column whose maximum stands in for it when ``capacities`` lacks it.
CAPACITY_FALLBACK: dict[str, str] = {
    "pv_mw": "pv_mw",
    "wind_mw": "wind_mw",
    "battery_mw": "battery_discharge_mw",
    "battery_mwh": "battery_soc_mwh",
    "h2_store_mwh": "h2_level_mwh",
    "fuel_cell_mw": "fuel_cell_mw",
}

#: Columns of :func:`loss_events`, in order (units in the module docstring).
EVENT_COLUMNS: tuple[str, ...] = (
    "start",
    "end",
    "duration_h",
    "firm_unserved_mwh",
    "peak_shed_fraction",
    "battery_soc_fraction_at_start",
    "h2_fraction_at_start",
    "wind_cf_lookback_mean",
    "pv_cf_lookback_mean",
    "renewable_lookback_ratio",
    "dust_max",
    "temp_air_max",
    "pue_ratio_max",
    "outage_share",
    *(f"{c}_flag" for c in CAUSES[:-1]),
    "cause",
)

# Supply fleets of the outage share: fleet → capacity key.
_SUPPLY_FLEETS: dict[str, str] = {
    "pv": "pv_mw",
    "wind": "wind_mw",
    "battery": "battery_mw",
    "fuel_cell": "fuel_cell_mw",
}
_DISPATCH_COLUMNS = ("pv_mw", "wind_mw", "battery_soc_mwh", "battery_discharge_mw", "h2_level_mwh", "fuel_cell_mw")


def _check_index(frame: pd.DataFrame, name: str) -> float:
    """Check a regular tz-aware index of two or more steps; return the step [h]."""
    idx = frame.index
    check_time_index(idx, name, DataFileError, regular=True)
    return (idx[1] - idx[0]) / pd.Timedelta(hours=1)


def _require(frame: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataFileError(f"{name}: missing column(s) {missing}; has {sorted(map(str, frame.columns))}")


def _aligned(frame: pd.DataFrame, index: pd.DatetimeIndex, columns: Sequence[str], name: str) -> pd.DataFrame:
    """``frame[columns]`` on ``index``: every stamp of ``index`` must be in ``frame`` (no filling)."""
    _require(frame, columns, name)
    if not isinstance(frame.index, pd.DatetimeIndex) or frame.index.tz is None:
        raise DataFileError(f"{name}: index is not a tz-aware DatetimeIndex; allowed: the dispatch's UTC stamps")
    if not frame.index.equals(index):
        missing = ~index.isin(frame.index)
        if missing.any():
            raise DataFileError(
                f"{name}: {int(missing.sum())} dispatch step(s) not in its index, first "
                f"{index[missing][0]}; allowed: an index covering the dispatch's"
            )
        frame = frame.loc[index]
    out = frame[list(columns)].astype(float)
    if not np.isfinite(out.to_numpy()).all():
        raise DataFileError(f"{name}: NaN or infinite values in {list(columns)} over the dispatch period")
    return out


def firm_unserved_mw(dispatch: pd.DataFrame, firm_classes: Sequence[str]) -> pd.Series:
    """Firm IT power shed per step, ``Σ_firm unserved_<class>_mw`` [MW].

    >>> idx = pd.date_range("2030-01-01", periods=2, freq="h", tz="UTC")
    >>> d = pd.DataFrame({"unserved_a_mw": [0.0, 2.0], "unserved_b_mw": [1.0, 0.5]}, index=idx)
    >>> firm_unserved_mw(d, ["a", "b"]).tolist()
    [1.0, 2.5]
    """
    firm = list(firm_classes)
    if not firm:
        raise GreendcError("firm_classes is empty; allowed: one or more workload class names (e.g. 'inference')")
    cols = [f"unserved_{c}_mw" for c in firm]
    _require(dispatch, cols, "dispatch")
    return dispatch[cols].astype(float).sum(axis=1).rename("firm_unserved_mw")


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and stop (exclusive) indices of the runs of ``True``."""
    m = np.concatenate([[False], np.asarray(mask, dtype=bool), [False]])
    edges = np.flatnonzero(np.diff(m.astype(np.int8)))
    return edges[::2], edges[1::2]


def _capacities(dispatch: pd.DataFrame, capacities: Mapping[str, float] | Any | None) -> dict[str, float]:
    if capacities is not None and not isinstance(capacities, Mapping):
        capacities = {k: getattr(capacities, k) for k in CAPACITY_FALLBACK if hasattr(capacities, k)}
    given = dict(capacities or {})
    out: dict[str, float] = {}
    for key, column in CAPACITY_FALLBACK.items():
        value = float(given[key]) if key in given else float(dispatch[column].max())
        if not np.isfinite(value) or value < 0.0:
            raise GreendcError(f"capacity '{key}' = {value!r}; allowed: a finite number >= 0")
        out[key] = value
    return out


def _empty_events() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=float) for c in EVENT_COLUMNS})
    frame["start"] = pd.Series(dtype="datetime64[ns, UTC]")
    frame["end"] = pd.Series(dtype="datetime64[ns, UTC]")
    for c in CAUSES[:-1]:
        frame[f"{c}_flag"] = pd.Series(dtype=bool)
    frame["cause"] = pd.Series(dtype=object)
    return frame


def loss_events(
    dispatch: pd.DataFrame,
    firm_classes: Sequence[str],
    profiles: pd.DataFrame,
    weather: pd.DataFrame | None = None,
    availability: pd.DataFrame | None = None,
    lookback_h: float = DEFAULT_LOOKBACK_H,
    *,
    capacities: Mapping[str, float] | Any | None = None,
) -> pd.DataFrame:
    """One row per loss-of-load event, with the state of the plant and the weather around it, and a cause.

    Parameters
    ----------
    dispatch : pandas.DataFrame
        Simulated dispatch (:attr:`greendc.operate.result.SimulationResult.dispatch`) on a regular UTC index:
        ``unserved_<class>_mw`` and ``requested_<class>_mw`` of the firm classes [MW], ``pv_mw``,
        ``wind_mw``, ``battery_discharge_mw``, ``fuel_cell_mw`` [MW], ``battery_soc_mwh``,
        ``h2_level_mwh`` [MWh].
    firm_classes : sequence of str
        Workload classes whose load must be served (e.g. ``["inference"]``).
    profiles : pandas.DataFrame
        ``pv_cf`` [MW/MW_DC], ``wind_cf`` [MW/MW], ``pue`` [-] on an index covering the dispatch's.
    weather : pandas.DataFrame, optional
        ``temp_air`` [°C] and, optionally, ``dust`` [0–1] on an index covering the dispatch's. Without it
        no event is ``dust``, and ``heat_wave`` rests on the PUE alone.
    availability : pandas.DataFrame, optional
        ``<fleet>_available_fraction`` [-] for ``pv``, ``wind``, ``battery``, ``fuel_cell`` (a missing fleet
        is fully available) and optionally :data:`SITE_TRIP_COLUMN`, :data:`GENERATION_COLUMN` and
        :data:`COOLING_COLUMN` [-] (:attr:`~greendc.operate.result.SimulationResult.availability`, with the
        series of :func:`greendc.operate.common_mode.common_mode_series` joined). Without it no event is
        ``outage``.
    lookback_h : float
        Length of the window before each event for the lull and dust tests [h]; a whole number of steps.
    capacities : mapping or Design, optional
        ``pv_mw``, ``wind_mw``, ``battery_mw``, ``fuel_cell_mw`` [MW], ``battery_mwh``, ``h2_store_mwh``
        [MWh]; each one missing is the maximum of its dispatch column (:data:`CAPACITY_FALLBACK`).

    Returns
    -------
    pandas.DataFrame
        :data:`EVENT_COLUMNS` (units in the module docstring), one row per event in time order, on a
        RangeIndex named ``event``; no rows without loss of load.

    Raises
    ------
    greendc.errors.DataFileError
        A table lacks a column, has a naive or irregular index, or does not cover the dispatch steps.
    greendc.errors.GreendcError
        ``firm_classes`` is empty, ``lookback_h`` is not a positive whole number of steps, a capacity is
        negative.

    Notes
    -----
    The tests and thresholds are in the module docstring. Energies are step means × step length:
    ``firm_unserved_mwh = Σ_event Σ_firm unserved_<class>_mw · Δt``.

    Examples
    --------
    Two hours of a 10 MW firm load, the second shed by 4 MW, with a full battery left idle:

    >>> idx = pd.date_range("2030-01-01", periods=3, freq="h", tz="UTC")
    >>> d = pd.DataFrame({"unserved_web_mw": [0.0, 4.0, 0.0], "requested_web_mw": 10.0, "pv_mw": 0.0,
    ...                   "wind_mw": 0.0, "battery_soc_mwh": 40.0, "battery_discharge_mw": 0.0,
    ...                   "h2_level_mwh": 0.0, "fuel_cell_mw": 0.0}, index=idx)
    >>> p = pd.DataFrame({"pv_cf": 0.0, "wind_cf": 0.0, "pue": 1.2}, index=idx)
    >>> ev = loss_events(d, ["web"], p, lookback_h=1, capacities={"battery_mw": 10.0, "battery_mwh": 40.0})
    >>> e = ev.iloc[0]
    >>> float(e.duration_h), float(e.firm_unserved_mwh), float(e.peak_shed_fraction), e.cause
    (1.0, 4.0, 0.4, 'dispatch')
    """
    step_h = _check_index(dispatch, "dispatch")
    index = pd.DatetimeIndex(dispatch.index)
    shed = firm_unserved_mw(dispatch, firm_classes).to_numpy()
    firm = list(firm_classes)
    _require(dispatch, [f"requested_{c}_mw" for c in firm], "dispatch")
    _require(dispatch, _DISPATCH_COLUMNS, "dispatch")
    if isinstance(lookback_h, bool) or not np.isfinite(lookback_h) or lookback_h <= 0:
        raise GreendcError(f"lookback_h = {lookback_h!r}; allowed: a positive number of hours")
    n_look = round(lookback_h / step_h)
    if n_look < 1 or abs(n_look * step_h - lookback_h) > 1e-9 * max(1.0, lookback_h):
        raise GreendcError(f"lookback_h = {lookback_h!r} is not a whole number of {step_h:g}-h steps")
    prof = _aligned(profiles, index, ("pv_cf", "wind_cf", "pue"), "profiles")

    starts, stops = _runs(shed > UNSERVED_TOLERANCE_MW)
    if starts.size == 0:
        return _empty_events().rename_axis("event")

    cap = _capacities(dispatch, capacities)
    requested = dispatch[[f"requested_{c}_mw" for c in firm]].astype(float).sum(axis=1).to_numpy()
    pv_cf = prof["pv_cf"].to_numpy()
    wind_cf = prof["wind_cf"].to_numpy()
    pue = prof["pue"].to_numpy()
    pue_median = float(np.median(pue))
    potential = cap["pv_mw"] * pv_cf + cap["wind_mw"] * wind_cf
    window_means = pd.Series(potential).rolling(n_look).mean().dropna()
    potential_median = float(window_means.median()) if len(window_means) else float("nan")

    temp_air = dust = None
    if weather is not None:
        temp_air = _aligned(weather, index, ("temp_air",), "weather")["temp_air"].to_numpy()
        if "dust" in weather.columns:
            dust = _aligned(weather, index, ("dust",), "weather")["dust"].to_numpy()

    n = len(index)
    avail = {f: np.ones(n) for f in ("pv", "wind", "battery", "fuel_cell")}
    site_trip = np.zeros(n)
    share = None
    if availability is not None:
        for fleet in avail:
            col = f"{fleet}_available_fraction"
            if col in availability.columns:
                avail[fleet] = _aligned(availability, index, (col,), "availability")[col].to_numpy()
        if SITE_TRIP_COLUMN in availability.columns:
            site_trip = _aligned(availability, index, (SITE_TRIP_COLUMN,), "availability")[SITE_TRIP_COLUMN].to_numpy()
        weights = {
            "pv": cap["pv_mw"] * pv_cf,
            "wind": cap["wind_mw"] * wind_cf,
            "battery": np.full(n, cap["battery_mw"]),
            "fuel_cell": np.full(n, cap["fuel_cell_mw"]),
        }
        connected = np.ones(n)
        if GENERATION_COLUMN in availability.columns:
            connected = _aligned(availability, index, (GENERATION_COLUMN,), "availability")[GENERATION_COLUMN]
            connected = connected.to_numpy()
        up = {
            "pv": avail["pv"] * connected,
            "wind": avail["wind"] * connected,
            "battery": avail["battery"],
            "fuel_cell": avail["fuel_cell"],
        }
        total = sum(weights.values())
        lost = sum(weights[f] * (1.0 - up[f]) for f in weights)
        share = np.divide(lost, total, out=np.zeros(n), where=total > 0)
        if COOLING_COLUMN in availability.columns:
            cooling = _aligned(availability, index, (COOLING_COLUMN,), "availability")[COOLING_COLUMN].to_numpy()
            share = np.maximum(share, 1.0 - cooling)

    soc = dispatch["battery_soc_mwh"].to_numpy(dtype=float)
    h2 = dispatch["h2_level_mwh"].to_numpy(dtype=float)
    bat_out = dispatch["battery_discharge_mw"].to_numpy(dtype=float)
    fc_out = dispatch["fuel_cell_mw"].to_numpy(dtype=float)

    def fraction(level: float, capacity: float) -> float:
        return level / capacity if capacity > 0 else float("nan")

    def headroom(out_mw: float, rating_mw: float, available: float) -> bool:
        return rating_mw > 0 and rating_mw * available - out_mw > DISPATCH_HEADROOM_FRACTION * rating_mw

    rows = []
    for s, e in zip(starts, stops, strict=True):
        look = slice(max(0, s - n_look), s)
        has_look = s > 0
        bat_frac = fraction(soc[s], cap["battery_mwh"])
        h2_frac = fraction(h2[s], cap["h2_store_mwh"])
        ratio = float(potential[look].mean()) / potential_median if has_look and potential_median > 0 else np.nan
        dust_max = float(dust[look.start : e].max()) if dust is not None else np.nan
        temp_max = float(temp_air[s:e].max()) if temp_air is not None else np.nan
        pue_ratio = float(pue[s:e].max()) / pue_median if pue_median > 0 else np.nan
        outage_share = float(share[s:e].mean()) if share is not None else np.nan
        flags = {
            "common_mode": bool((site_trip[s:e] > 0).any()),
            "outage": bool(outage_share >= OUTAGE_SHARE_THRESHOLD),
            "dispatch": bool(
                (bat_frac > DISPATCH_STORE_FRACTION and headroom(bat_out[s], cap["battery_mw"], avail["battery"][s]))
                or (
                    h2_frac > DISPATCH_STORE_FRACTION
                    and headroom(fc_out[s], cap["fuel_cell_mw"], avail["fuel_cell"][s])
                )
            ),
            "dust": bool(dust_max > DUST_THRESHOLD),
            "heat_wave": bool(temp_max >= HEAT_TEMP_AIR_C or pue_ratio >= HEAT_PUE_RATIO),
            "lull": bool(ratio < LULL_RATIO),
        }
        with np.errstate(invalid="ignore", divide="ignore"):
            peak = float(np.max(np.where(requested[s:e] > 0, shed[s:e] / requested[s:e], np.nan)))
        rows.append(
            {
                "start": index[s],
                "end": index[s] + pd.Timedelta(hours=(e - s) * step_h),
                "duration_h": (e - s) * step_h,
                "firm_unserved_mwh": float(np.sum(shed[s:e])) * step_h,
                "peak_shed_fraction": peak,
                "battery_soc_fraction_at_start": bat_frac,
                "h2_fraction_at_start": h2_frac,
                "wind_cf_lookback_mean": float(wind_cf[look].mean()) if has_look else np.nan,
                "pv_cf_lookback_mean": float(pv_cf[look].mean()) if has_look else np.nan,
                "renewable_lookback_ratio": ratio,
                "dust_max": dust_max,
                "temp_air_max": temp_max,
                "pue_ratio_max": pue_ratio,
                "outage_share": outage_share,
                **{f"{c}_flag": flags[c] for c in CAUSES[:-1]},
                "cause": next((c for c in CAUSES[:-1] if flags[c]), "other"),
            }
        )
    events = pd.DataFrame(rows, columns=list(EVENT_COLUMNS))
    events["start"] = pd.DatetimeIndex(events["start"]).tz_convert("UTC")
    events["end"] = pd.DatetimeIndex(events["end"]).tz_convert("UTC")
    return events.rename_axis("event")


def _month_hour(values: pd.Series, timezone: str, unit: str, quantity: str) -> pd.DataFrame:
    try:
        local = values.index.tz_convert(timezone)
    except Exception as exc:  # pytz/zoneinfo raise different types for an unknown zone
        raise GreendcError(
            f"timezone = {timezone!r}: {exc}; allowed: an IANA zone such as 'Africa/Casablanca'"
        ) from exc
    table = values.groupby([local.month, local.hour]).sum().unstack(fill_value=0.0)
    table = table.reindex(index=range(1, 13), columns=range(24), fill_value=0.0).astype(float)
    table.index.name = "month"
    table.columns.name = "hour"
    table.attrs.update({"unit": unit, "timezone": str(timezone), "quantity": quantity})
    return table


def loss_heatmap(dispatch: pd.DataFrame, firm_classes: Sequence[str], timezone: str = "UTC") -> pd.DataFrame:
    """Firm IT energy shed by month × hour of day, summed over all years of the dispatch [MWh].

    Parameters
    ----------
    dispatch : pandas.DataFrame
        ``unserved_<class>_mw`` of the firm classes [MW] on a regular tz-aware index.
    firm_classes : sequence of str
        Workload classes whose load must be served.
    timezone : str
        IANA zone in which months and hours are read (``"UTC"``, or the site's zone for local time).

    Returns
    -------
    pandas.DataFrame
        12 rows (``month`` 1–12) × 24 columns (``hour`` 0–23) [MWh]; ``attrs`` hold ``unit``,
        ``timezone`` and ``quantity``. The cells add up to the firm unserved energy of the run.

    Examples
    --------
    >>> idx = pd.date_range("2030-03-01", periods=48, freq="h", tz="UTC")
    >>> d = pd.DataFrame({"unserved_web_mw": 0.0}, index=idx)
    >>> d.loc["2030-03-02 05:00", "unserved_web_mw"] = 7.5
    >>> t = loss_heatmap(d, ["web"])
    >>> float(t.loc[3, 5]), float(t.to_numpy().sum())
    (7.5, 7.5)
    """
    step_h = _check_index(dispatch, "dispatch")
    energy = firm_unserved_mw(dispatch, firm_classes) * step_h
    return _month_hour(energy, timezone, "MWh", "firm unserved energy")


def loss_hours_heatmap(dispatch: pd.DataFrame, firm_classes: Sequence[str], timezone: str = "UTC") -> pd.DataFrame:
    """Loss-of-load hours (hours with firm IT shed) by month × hour of day, summed over all years [h].

    Parameters as :func:`loss_heatmap`; a step counts when its firm unserved power is above
    :data:`~greendc.operate.result.UNSERVED_TOLERANCE_MW`, for its length [h]. The cells add up to the
    loss-of-load hours of :func:`greendc.operate.result.summarise` × years.

    >>> idx = pd.date_range("2030-07-01", periods=24, freq="h", tz="UTC")
    >>> d = pd.DataFrame({"unserved_web_mw": 0.0}, index=idx)
    >>> d.loc["2030-07-01 22:00", "unserved_web_mw"] = 1.0
    >>> float(loss_hours_heatmap(d, ["web"], timezone="Africa/Casablanca").loc[7, 23])
    1.0
    """
    step_h = _check_index(dispatch, "dispatch")
    hours = (firm_unserved_mw(dispatch, firm_classes) > UNSERVED_TOLERANCE_MW).astype(float) * step_h
    return _month_hour(hours, timezone, "h", "loss-of-load hours")
