"""Reading stored readings back: time series with resampling, the telemetry table of a site, alarms.

The telemetry table (:func:`telemetry_frame`) is what :func:`greendc.kpi.kpi_report` reads offline: one
column per telemetry name, on a regular UTC grid of period starts. Each meter is first put on the grid
(power and fractions: mean of its readings in the step; volumes ``_m3``: sum; stored energies ``_mwh``:
last reading of the step), then the meters of one column are added (two PV blocks make ``pv_mw``). A step
in which a meter has no reading is a gap: the KPIs refuse it and the message names the meter and the time
(a missing meter is not a zero). A *retired* meter is absent (adds nothing) in the steps after its last
reading: it was taken out of service or replaced by another meter of the same column.

Readings of one meter can be read in pages (:func:`readings_page`): ordered by time, each page ends with a
cursor that says where the next one starts (keyset pagination, no offset), so that walking the pages
returns every reading stored before the walk exactly once, even while new readings arrive.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from greendc.errors import QueryError
from greendc.service.db import backend
from greendc.service.edge import EARLIEST_TIME, LATEST_TIME
from greendc.service.models import meters, readings, sites, stored_utc, to_epoch_us
from greendc.service.rollups import HOUR_US, NOT_QUARANTINED, columns, step_rows
from greendc.service.settings import Settings

__all__ = [
    "AGGREGATES",
    "Page",
    "Window",
    "aggregate_of",
    "alarms",
    "data_span",
    "fetch_readings",
    "latest_events",
    "latest_readings",
    "readings_page",
    "resample",
    "site_meters",
    "site_row",
    "step_text",
    "telemetry_frame",
    "window",
]

AGGREGATES: tuple[str, ...] = ("mean", "min", "max", "sum", "first", "last", "count")


def step_text(step: pd.Timedelta) -> str:
    """A step as the text :func:`greendc.service.edge.parse_step` reads (``15min``, ``1h``, ``1D`` …).

    >>> step_text(pd.Timedelta(minutes=90))
    '90min'
    """
    text = pd.tseries.frequencies.to_offset(step).freqstr
    return text if text[0].isdigit() else "1" + text


def aggregate_of(column: str | None) -> str:
    """How readings of a telemetry column combine within a step: ``sum`` for volumes, ``last`` for stored
    energies (levels), ``mean`` for power and the rest."""
    if column is None:
        return "mean"
    if column.endswith("_m3"):
        return "sum"
    if column.endswith("_mwh") and not column.endswith("_usd_per_mwh"):
        return "last"
    return "mean"


def site_row(conn: Connection, site: str | None) -> Any:
    """The site named ``site``, or the only site when None (404 when absent, 422 when ambiguous)."""
    if site is None:
        rows = conn.execute(sa.select(sites).order_by(sites.c.id).limit(2)).mappings().all()
        if not rows:
            raise QueryError("no site yet: an admin creates one with POST /api/v1/sites", 404)
        if len(rows) > 1:
            raise QueryError("several sites: name one with ?site=<name> (GET /api/v1/sites lists them)")
        return rows[0]
    row = conn.execute(sa.select(sites).where(sites.c.name == site)).mappings().first()
    if row is None:
        raise QueryError(f"site {site[:100]!r} does not exist (GET /api/v1/sites lists them)", 404)
    return row


def site_meters(conn: Connection, site_id: int) -> list[Any]:
    """Meters of a site, by id."""
    return list(conn.execute(sa.select(meters).where(meters.c.site_id == site_id).order_by(meters.c.id)).mappings())


def fetch_readings(
    conn: Connection,
    meter_ids: list[int],
    start: pd.Timestamp | None,
    end: pd.Timestamp | None,
    limit: int,
    include_quarantined: bool = False,
) -> pd.DataFrame:
    """Stored readings of ``meter_ids`` with ``start <= ts < end``: columns ``meter_id``, ``ts`` (UTC),
    ``value``, sorted by meter and time; readings in an unreleased quarantine left out unless
    ``include_quarantined``.

    Raises
    ------
    QueryError
        413 when more than ``limit`` readings match (narrow the time range).
    """
    if not meter_ids:
        return pd.DataFrame({"meter_id": [], "ts": pd.DatetimeIndex([], tz="UTC"), "value": []})
    pg = backend(conn) == "postgresql"
    where, params = [] if include_quarantined else [NOT_QUARANTINED], {}
    if pg:
        ts_expr = "(EXTRACT(EPOCH FROM ts) * 1000000)::bigint"
        where.append("meter_id = ANY(%(m)s)")
        params["m"] = list(meter_ids)
        if start is not None:
            where.append("ts >= %(a)s")
            params["a"] = start.to_pydatetime()
        if end is not None:
            where.append("ts < %(b)s")
            params["b"] = end.to_pydatetime()
        sql = f"SELECT meter_id, {ts_expr}, value FROM readings WHERE {' AND '.join(where)} LIMIT %(n)s"
        params["n"] = limit + 1
        rows = conn.exec_driver_sql(sql, params).all()
    else:
        marks = ",".join("?" * len(meter_ids))
        args: list[Any] = list(meter_ids)
        where.append(f"meter_id IN ({marks})")
        if start is not None:
            where.append("ts >= ?")
            args.append(to_epoch_us(start.to_pydatetime()))
        if end is not None:
            where.append("ts < ?")
            args.append(to_epoch_us(end.to_pydatetime()))
        sql = f"SELECT meter_id, ts, value FROM readings WHERE {' AND '.join(where)} LIMIT ?"
        rows = conn.exec_driver_sql(sql, (*args, limit + 1)).all()
    if len(rows) > limit:
        raise QueryError(f"more than {limit} stored readings match; ask for a shorter time range", 413)
    ids, stamps, values = columns(rows, (np.int64, np.int64, float))
    frame = pd.DataFrame({"meter_id": ids, "ts": pd.to_datetime(stamps, unit="us", utc=True), "value": values})
    return frame.sort_values(["meter_id", "ts"], ignore_index=True)


def resample(series: pd.Series, step: pd.Timedelta, how: str) -> pd.Series:
    """``series`` (UTC index) on steps of ``step`` counted from 1970-01-01T00:00Z, labelled by their start."""
    if how not in AGGREGATES:
        raise QueryError(f"agg={how[:30]!r}; allowed: {', '.join(AGGREGATES)}")
    grouped = series.resample(step, origin="epoch", label="left", closed="left")
    out = getattr(grouped, how)()
    return out if how == "count" else out.dropna()


@dataclass(frozen=True)
class Window:
    """A time range ``[start, end)`` cut in steps of ``step``."""

    start: pd.Timestamp
    end: pd.Timestamp
    step: pd.Timedelta

    @property
    def index(self) -> pd.DatetimeIndex:
        return pd.date_range(self.start, self.end, freq=self.step, inclusive="left", name="timestamp")


def _aligned(ts: pd.Timestamp, step: pd.Timedelta) -> bool:
    return (ts - pd.Timestamp(0, tz="UTC")) % step == pd.Timedelta(0)


def window(
    conn: Connection,
    meter_ids: list[int],
    start: pd.Timestamp | None,
    end: pd.Timestamp | None,
    step: pd.Timedelta,
) -> Window:
    """The window asked for, or (bounds left out) the steps from the first to the last stored reading."""
    if start is None or end is None:
        lo, hi = data_span(conn, meter_ids)
        if lo is None or hi is None:
            raise QueryError("no stored readings for this site yet", 404)
        start = start if start is not None else lo.floor(step) if _fits_day(step) else lo
        end = end if end is not None else (hi.floor(step) if _fits_day(step) else hi) + step
    for name, ts in (("from", start), ("to", end)):
        if not _aligned(ts, step):
            raise QueryError(f"{name}={ts.isoformat()} is not on a step boundary of {step} (counted from midnight UTC)")
    if end <= start:
        raise QueryError(f"to={end.isoformat()} must come after from={start.isoformat()}")
    if (end - start) / step > 10_000_000:
        raise QueryError(f"{(end - start) / step:.0f} steps of {step}; ask for a shorter range or a longer step", 413)
    return Window(start, end, step)


def _fits_day(step: pd.Timedelta) -> bool:
    return pd.Timedelta(days=1) % step == pd.Timedelta(0) or step % pd.Timedelta(days=1) == pd.Timedelta(0)


def data_span(conn: Connection, meter_ids: list[int]) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """Times of the first and the last stored reading of ``meter_ids`` outside quarantines (None, None without
    readings)."""
    if not meter_ids:
        return None, None
    row = conn.execute(
        sa.select(sa.func.min(readings.c.ts), sa.func.max(readings.c.ts)).where(
            readings.c.meter_id.in_(meter_ids), sa.text(NOT_QUARANTINED)
        )
    ).one()
    lo, hi = row
    if lo is None:
        return None, None
    try:
        return _stored_time(lo, "a meter"), _stored_time(hi, "a meter")
    except QueryError as exc:
        name = conn.execute(
            sa.select(meters.c.name)
            .join(readings, readings.c.meter_id == meters.c.id)
            .where(
                readings.c.meter_id.in_(meter_ids),
                sa.or_(readings.c.ts < EARLIEST_TIME, readings.c.ts >= LATEST_TIME),
                sa.text(NOT_QUARANTINED),
            )
            .limit(1)
        ).scalar()
        if name is None:
            raise
        raise QueryError(str(exc).replace("a meter", f"meter {name!r}", 1)) from None


def _stored_time(value: Any, where: str) -> pd.Timestamp:
    """A stored reading time as a UTC :class:`pandas.Timestamp`; 422 for one outside the edge's bounds (a reading
    stored before they were checked), telling how to take it out of service."""
    ts = stored_utc(value)
    if not EARLIEST_TIME <= ts < LATEST_TIME:
        raise QueryError(
            f"{where} has a stored reading at {ts.isoformat()}, outside {EARLIEST_TIME:%Y-%m-%d} to "
            f"{LATEST_TIME:%Y-%m-%d} (its clock was wrong): an admin quarantines it (POST /api/v1/quarantines with "
            "the meter and a time range around it) and the KPIs work again"
        )
    return pd.Timestamp(ts)


def telemetry_frame(
    conn: Connection, site_id: int, win: Window | None, step: pd.Timedelta, limit: int, strict: bool = True
) -> tuple[pd.DataFrame, Window]:
    """The telemetry table of a site (module docstring) on the steps of ``win`` (or of all readings).

    Parameters
    ----------
    strict : bool
        Raise on a gap (a meter without reading in a step); with False, gaps are NaN (for plots).

    Raises
    ------
    QueryError
        404 without meters that feed a telemetry column; 422 for a gap (strict), naming the meter, its
        column, the first step missing and how many are; 413 when too many readings (or hourly rollups) match.
    """
    ms = [m for m in site_meters(conn, site_id) if m["telemetry_column"]]
    if not ms:
        raise QueryError("no meter of this site feeds a telemetry column (POST /api/v1/meters with 'column')", 404)
    ids = [int(m["id"]) for m in ms]
    win = win if win is not None else window(conn, ids, None, None, step)
    grid = win.index
    steps = _step_values(conn, ids, win, limit)
    table: dict[str, pd.Series] = {}
    for m in ms:
        col = m["telemetry_column"]
        n, total, last = steps.get(int(m["id"]), (np.zeros(len(grid)), np.zeros(len(grid)), np.full(len(grid), np.nan)))
        how = aggregate_of(col)
        with np.errstate(invalid="ignore", divide="ignore"):
            values = last if how == "last" else np.where(n > 0, total / n if how == "mean" else total, np.nan)
        binned = pd.Series(values, index=grid)
        if m["retired_at"] is not None:
            # a retired meter measures nothing after its last reading (never read: nothing at all)
            last = data_span(conn, [int(m["id"])])[1]
            gone = np.ones(len(grid), dtype=bool) if last is None else np.asarray(grid > last)
            binned[gone & binned.isna().to_numpy()] = 0.0
        missing = binned.isna().to_numpy()
        if strict and missing.any():
            first = grid[int(np.flatnonzero(missing)[0])]
            raise QueryError(
                f"meter {m['name']!r} ({col}) has no reading in {int(missing.sum())} of {len(grid)} steps of "
                f"{step_text(win.step)} between {win.start.isoformat()} and {win.end.isoformat()}, first at "
                f"{first.isoformat()}; the KPIs need every meter in every step (a missing meter is not a zero)"
            )
        table[col] = binned if col not in table else table[col] + binned
    frame = pd.DataFrame(table, index=grid)
    frame.index.freq = win.step
    return frame, win


def _step_values(
    conn: Connection, meter_ids: list[int], win: Window, limit: int
) -> dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Meter id → per step of ``win``: count, sum and newest value of its readings outside quarantines (count 0
    and newest NaN in a step without readings). Read from the hourly rollups when the step is a whole number of
    hours, else from the readings.

    Raises
    ------
    QueryError
        413 when more than ``limit`` readings or rollups match.
    """
    step_us = win.step // pd.Timedelta(microseconds=1)
    if step_us % HOUR_US == 0:
        meter, t, n, total, last_ts, last = step_rows(conn, meter_ids, win.start, win.end, limit)
        if len(meter) > limit:
            raise QueryError(f"more than {limit} hourly rollups match; ask for a shorter time range", 413)
    else:
        data = fetch_readings(conn, meter_ids, win.start, win.end, limit)
        meter, last = data["meter_id"].to_numpy(), data["value"].to_numpy()
        t = last_ts = ((data["ts"] - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(microseconds=1)).to_numpy(np.int64)
        n, total = np.ones(len(meter)), last
    k = (t - to_epoch_us(win.start.to_pydatetime())) // step_us
    order = np.lexsort((last_ts, k, meter))
    meter, k, n, total, last = meter[order], k[order], n[order], total[order], last[order]
    # one group per meter and step; its newest value is that of its last row (sorted by time within it)
    first = np.r_[True, (np.diff(meter) != 0) | (np.diff(k) != 0)] if len(meter) else np.zeros(0, dtype=bool)
    group = np.cumsum(first) - 1
    ends = np.r_[np.flatnonzero(first)[1:], len(meter)] - 1
    g_meter, g_k = meter[first], k[first]
    g_n, g_total = np.bincount(group, weights=n), np.bincount(group, weights=total)
    out = {}
    size = len(win.index)
    for m in np.unique(g_meter):
        sel = g_meter == m
        counts, sums, newest = np.zeros(size), np.zeros(size), np.full(size, np.nan)
        counts[g_k[sel]], sums[g_k[sel]], newest[g_k[sel]] = g_n[sel], g_total[sel], last[ends[sel]]
        out[int(m)] = (counts, sums, newest)
    return out


def latest_readings(conn: Connection, meter_rows: list[Any]) -> dict[int, tuple[pd.Timestamp, float]]:
    """Meter id → (time, value) of its newest reading outside quarantines, for the meters that have one (one
    query: the newest reading of each meter, found by its index)."""
    if not meter_rows:
        return {}
    newest = [
        sa.select(readings.c.meter_id, readings.c.ts, readings.c.value)
        .where(readings.c.meter_id == int(m["id"]), sa.text(NOT_QUARANTINED))
        .order_by(readings.c.ts.desc())
        .limit(1)
        .subquery()
        for m in meter_rows
    ]
    rows = conn.execute(sa.union_all(*(sa.select(q) for q in newest))).all()
    name = {int(m["id"]): m["name"] for m in meter_rows}
    return {int(r.meter_id): (_stored_time(r.ts, f"meter {name[int(r.meter_id)]!r}"), float(r.value)) for r in rows}


def latest_events(conn: Connection, meter_rows: list[Any]) -> dict[int, tuple[pd.Timestamp, str, str]]:
    """Meter id → (time, kind, source) of its newest ``meter_events`` row (``birth``, ``death`` … of a field
    gateway, :mod:`greendc.service.bridge`), for the meters that have one; the later row of two at one time
    (one query: the newest row of each meter, found by its index)."""
    from greendc.service.models import meter_events

    if not meter_rows:
        return {}
    newest = [
        sa.select(meter_events.c.meter_id, meter_events.c.at, meter_events.c.kind, meter_events.c.source)
        .where(meter_events.c.meter_id == int(m["id"]))
        .order_by(meter_events.c.at.desc(), meter_events.c.id.desc())
        .limit(1)
        .subquery()
        for m in meter_rows
    ]
    rows = conn.execute(sa.union_all(*(sa.select(q) for q in newest))).all()
    return {int(r.meter_id): (pd.Timestamp(stored_utc(r.at)), r.kind, r.source) for r in rows}


def alarms(
    meter_rows: list[Any],
    latest: dict[int, tuple[pd.Timestamp, float]],
    settings: Settings,
    events: dict[int, tuple[pd.Timestamp, str, str]] | None = None,
) -> list[dict]:
    """Alarms of a site from the newest readings of its meters (and their newest events, :func:`latest_events`).

    * ``meter_silent`` (warning): a meter whose newest reading is older than ``meter_silent_after_s`` before
      the site's newest reading, or that never reported (retired meters are left out). The site's own clock
      (its newest reading) is the reference, so that replayed or back-filled series alarm as live ones do.
      Also a meter whose newest event is a ``death`` (a Sparkplug B death certificate of its gateway) later
      than its newest reading: it is known silent without waiting.
    * ``reserve_low`` (critical): newest ``reserve_mw`` below ``reserve_low_fraction`` × newest
      ``facility_mw`` at the same time.
    * ``battery_low`` (warning): newest ``battery_soc_mwh`` below ``soc_low_fraction`` × the meter's maximum.
    * ``load_shed`` (critical): newest ``unserved_mw`` above zero.
    """
    out: list[dict[str, Any]] = []
    # retired meters take no readings any more: they are never silent nor current
    meter_rows = [m for m in meter_rows if m["retired_at"] is None]
    latest = {i: v for i, v in latest.items() if i in {int(m["id"]) for m in meter_rows}}
    if not latest:
        return [{"kind": "meter_silent", "severity": "warning", "meter": None, "message": "no meter has reported"}]
    ref = max(ts for ts, _ in latest.values())
    silent_after = pd.Timedelta(seconds=settings.meter_silent_after_s)
    for m in meter_rows:
        got = latest.get(int(m["id"]))
        event = (events or {}).get(int(m["id"]))
        if got is None:
            out.append({"kind": "meter_silent", "severity": "warning", "meter": m["name"], "message": "never reported"})
        elif event is not None and event[1] == "death" and event[0] > got[0]:
            out.append(
                {
                    "kind": "meter_silent",
                    "severity": "warning",
                    "meter": m["name"],
                    "message": f"the gateway sent a death certificate at {event[0].isoformat()} ({event[2]}); "
                    f"last reading {got[0].isoformat()}",
                }
            )
        elif ref - got[0] > silent_after:
            out.append(
                {
                    "kind": "meter_silent",
                    "severity": "warning",
                    "meter": m["name"],
                    "message": f"last reading {got[0].isoformat()}, {(ref - got[0]) / pd.Timedelta(minutes=1):.0f}"
                    f" min before the site's newest ({ref.isoformat()})",
                }
            )

    def at_ref(column: str) -> float | None:
        vals = [latest[int(m["id"])] for m in meter_rows if m["telemetry_column"] == column and int(m["id"]) in latest]
        if not vals or any(ts != ref for ts, _ in vals):
            return None
        return sum(v for _, v in vals)

    reserve, facility = at_ref("reserve_mw"), at_ref("facility_mw")
    if reserve is not None and facility is not None and reserve < settings.reserve_low_fraction * facility:
        out.append(
            {
                "kind": "reserve_low",
                "severity": "critical",
                "meter": None,
                "message": f"reserve {reserve:,.1f} MW below {settings.reserve_low_fraction:.0%} of the facility "
                f"load {facility:,.1f} MW at {ref.isoformat()}",
            }
        )
    for m in meter_rows:
        if m["telemetry_column"] == "battery_soc_mwh" and int(m["id"]) in latest:
            ts, soc = latest[int(m["id"])]
            if soc < settings.soc_low_fraction * m["max_value"]:
                out.append(
                    {
                        "kind": "battery_low",
                        "severity": "warning",
                        "meter": m["name"],
                        "message": f"battery energy {soc:,.1f} MWh below {settings.soc_low_fraction:.0%} of "
                        f"{m['max_value']:,.1f} MWh at {ts.isoformat()}",
                    }
                )
    unserved = at_ref("unserved_mw")
    if unserved is not None and unserved > 1e-6:
        out.append(
            {
                "kind": "load_shed",
                "severity": "critical",
                "meter": None,
                "message": f"{unserved:,.2f} MW of IT load not served at {ref.isoformat()}",
            }
        )
    return out


@dataclass(frozen=True)
class Page:
    """One page of a meter's readings: UTC times, values, and where the next page starts (None: last page)."""

    series: pd.Series
    next_start: pd.Timestamp | None


def _of_meter(meter_id: int, include_quarantined: bool, *columns: sa.ColumnElement) -> sa.Select:
    """``SELECT columns`` of the readings of ``meter_id`` (those in an unreleased quarantine only if asked)."""
    query = sa.select(*columns).where(readings.c.meter_id == meter_id)
    return query if include_quarantined else query.where(sa.text(NOT_QUARANTINED))


def _first_ts(
    conn: Connection, meter_id: int, lo: pd.Timestamp | None, hi: pd.Timestamp | None, include_quarantined: bool
) -> pd.Timestamp | None:
    query = _of_meter(meter_id, include_quarantined, readings.c.ts)
    if lo is not None:
        query = query.where(readings.c.ts >= lo.to_pydatetime())
    if hi is not None:
        query = query.where(readings.c.ts < hi.to_pydatetime())
    ts = conn.execute(query.order_by(readings.c.ts).limit(1)).scalar()
    return None if ts is None else pd.Timestamp(ts).tz_convert("UTC")


def readings_page(
    conn: Connection,
    meter_id: int,
    start: pd.Timestamp | None,
    end: pd.Timestamp | None,
    limit: int,
    step: pd.Timedelta | None = None,
    how: str = "mean",
    max_readings: int = 2_000_000,
    include_quarantined: bool = False,
) -> Page:
    """At most ``limit`` readings (raw) or steps (resampled) of meter ``meter_id`` from ``start`` (inclusive)
    to ``end`` (exclusive), in time order.

    Raw: the ``limit`` first readings from ``start``; the next page starts 1 µs after the last one (times
    are stored to the microsecond). Resampled on ``step``: the steps ``[s, s + limit × step)`` where ``s``
    is the step holding the first reading from ``start``; the next page starts at the end of that span (a step
    boundary, so that a step is never split between pages). Steps without readings are left out as in
    :func:`resample`; with ``how="count"``, zero counts are listed only between readings of one page.

    Raises
    ------
    QueryError
        413 when one resampled page would read more than ``max_readings`` readings (ask for a smaller limit).
    """
    if step is None:
        query = _of_meter(meter_id, include_quarantined, readings.c.ts, readings.c.value)
        if start is not None:
            query = query.where(readings.c.ts >= start.to_pydatetime())
        if end is not None:
            query = query.where(readings.c.ts < end.to_pydatetime())
        rows = conn.execute(query.order_by(readings.c.ts).limit(limit + 1)).all()
        more = len(rows) > limit
        rows = rows[:limit]
        index = (
            pd.DatetimeIndex([pd.Timestamp(r.ts) for r in rows], tz="UTC") if rows else pd.DatetimeIndex([], tz="UTC")
        )
        series = pd.Series([float(r.value) for r in rows], index=index, dtype=float)
        return Page(series, index[-1] + pd.Timedelta(microseconds=1) if more else None)
    first = _first_ts(conn, meter_id, start, end, include_quarantined)
    if first is None:
        return Page(pd.Series([], index=pd.DatetimeIndex([], tz="UTC"), dtype=float), None)
    epoch = pd.Timestamp(0, tz="UTC")
    span_start = epoch + ((first - epoch) // step) * step
    span_end = span_start + limit * step
    stop = span_end if end is None else min(span_end, end)
    try:
        data = fetch_readings(conn, [meter_id], start, stop, max_readings, include_quarantined)
    except QueryError as exc:
        raise QueryError(f"{exc}, or a smaller limit", exc.status) from None
    series = resample(pd.Series(data["value"].to_numpy(), index=pd.DatetimeIndex(data["ts"])), step, how)
    more = stop == span_end and _first_ts(conn, meter_id, span_end, end, include_quarantined) is not None
    return Page(series, span_end if more else None)
