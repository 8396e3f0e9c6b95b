"""Hourly rollups of the readings and the quarantine filter that every KPI read path applies.

The table ``readings_hourly`` (revision 0004) holds, per meter and UTC hour, the count ``n`` of its readings,
their sum ``total`` and the newest of them (``last_ts``, ``last_value``), readings in an unreleased
quarantine left out. It is what the telemetry table of a site is built from when its step is a whole number
of hours (:func:`step_rows`): a one-day KPI query of a meter read every minute reads 24 rows instead of 1,440.

It is kept up to date in the transaction that stores readings:

* PostgreSQL: the statement that inserts a batch adds the readings it inserted (``INSERT … RETURNING``) to
  their hours (``INSERT … ON CONFLICT DO UPDATE SET n = n + …``), hours in a fixed order so that two batches
  never deadlock; a re-sent reading is not inserted and so not counted twice;
* SQLite (one writer at a time): the hours a batch touches are computed again from the readings.

Creating or releasing a quarantine changes which readings count: the admin route calls :func:`rebuild` for
the meter and range in the same transaction. In PostgreSQL, :func:`rebuild` first locks the table against
ingestion (``SHARE ROW EXCLUSIVE``), so that a batch being stored meanwhile is either counted in the rebuilt
hours or added after them, never lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd
from sqlalchemy.engine import Connection

from greendc.service.db import backend
from greendc.service.models import from_epoch_us, to_epoch_us

__all__ = ["HOUR_US", "NOT_QUARANTINED", "PG_ADD_STORED", "columns", "rebuild", "refresh_hours", "step_rows"]

#: One hour [µs].
HOUR_US = 3_600_000_000
#: SQL condition on a row of ``readings`` (a table or a row set of that name): not inside an unreleased
#: quarantine ``[ts_from, ts_to)`` of its meter. The same text serves PostgreSQL and SQLite.
NOT_QUARANTINED = (
    "NOT EXISTS (SELECT 1 FROM quarantines q WHERE q.meter_id = readings.meter_id AND q.released_at IS NULL "
    "AND q.ts_from <= readings.ts AND readings.ts < q.ts_to)"
)
# the UTC hour of a reading and the value of the newest reading of a group, per backend
_HOUR = {
    "postgresql": "date_trunc('hour', readings.ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'",
    # SQLite stores µs since the epoch, never negative (readings start in 1970)
    "sqlite": f"readings.ts - readings.ts % {HOUR_US}",
}
# SQLite gives the other columns of the row that holds max(ts) (its documented "bare column" rule)
_LAST = {"postgresql": "(array_agg(readings.value ORDER BY readings.ts DESC))[1]", "sqlite": "readings.value"}


def _aggregate(dialect: str, source: str, where: str) -> str:
    """``SELECT`` of the hourly rows of the readings of ``source`` (named ``readings``) that pass ``where``."""
    return (
        "INSERT INTO readings_hourly AS h (meter_id, hour, n, total, last_ts, last_value) "
        f"SELECT readings.meter_id, {_HOUR[dialect]}, count(*), sum(readings.value), max(readings.ts), "
        f"{_LAST[dialect]} FROM {source} WHERE {where} AND {NOT_QUARANTINED} "
        f"GROUP BY readings.meter_id, {_HOUR[dialect]} ORDER BY 1, 2"
    )


#: PostgreSQL: adds the readings of the row set ``stored`` (``meter_id, ts, value``; the ``RETURNING`` of the
#: insert of a batch, in a ``WITH`` clause) to their hours.
PG_ADD_STORED = _aggregate("postgresql", "stored AS readings", "TRUE") + (
    " ON CONFLICT (meter_id, hour) DO UPDATE SET n = h.n + excluded.n, total = h.total + excluded.total, "
    "last_value = CASE WHEN excluded.last_ts > h.last_ts THEN excluded.last_value ELSE h.last_value END, "
    "last_ts = greatest(h.last_ts, excluded.last_ts)"
)


def _rebuild_us(conn: Connection, meter_id: int, lo_us: int, hi_us: int) -> None:
    """Compute again the hours of ``meter_id`` from ``lo_us`` to ``hi_us`` (hour boundaries) [µs]."""
    dialect = backend(conn)
    if dialect == "postgresql":
        conn.exec_driver_sql("LOCK TABLE readings_hourly IN SHARE ROW EXCLUSIVE MODE")
        args: dict | tuple = {"m": meter_id, "a": from_epoch_us(lo_us), "b": from_epoch_us(hi_us)}
        span = "meter_id = %(m)s AND {t} >= %(a)s AND {t} < %(b)s"
    else:
        args = (meter_id, lo_us, hi_us)
        span = "meter_id = ? AND {t} >= ? AND {t} < ?"
    conn.exec_driver_sql("DELETE FROM readings_hourly WHERE " + span.format(t="hour"), args)
    conn.exec_driver_sql(_aggregate(dialect, "readings", "readings." + span.format(t="readings.ts")), args)


_CALENDAR_END_US = to_epoch_us(dt.datetime.max.replace(tzinfo=dt.UTC))


def rebuild(conn: Connection, meter_id: int, ts_from: dt.datetime, ts_to: dt.datetime) -> None:
    """Compute again, from the stored readings, the rollups of meter ``meter_id`` in the hours that overlap
    ``[ts_from, ts_to)`` (UTC): call it in the transaction that creates or releases a quarantine of that range.

    Parameters
    ----------
    conn : sqlalchemy.engine.Connection
        A connection in a write transaction.
    meter_id : int
        The meter.
    ts_from, ts_to : datetime.datetime
        The range (tz-aware), start inclusive, end exclusive.
    """
    lo = to_epoch_us(ts_from) // HOUR_US * HOUR_US
    # the last hour of the calendar (9999-12-31T23:00Z) ends beyond what a datetime can hold
    hi = min(-(-to_epoch_us(ts_to) // HOUR_US) * HOUR_US, _CALENDAR_END_US)
    if hi > lo:
        _rebuild_us(conn, meter_id, lo, hi)


def refresh_hours(conn: Connection, ids: Sequence[int], stamps_us: Sequence[int]) -> None:
    """SQLite: compute again the hours that readings ``(ids[i], stamps_us[i])`` fall in, a run of consecutive
    hours of a meter at a time (after storing a batch; SQLite has one writer at a time)."""
    hours = np.unique(
        np.stack([np.asarray(ids, dtype=np.int64), np.asarray(stamps_us, dtype=np.int64) // HOUR_US]), axis=1
    )
    # a new run where the meter changes or the hour does not follow the previous one
    starts = np.flatnonzero(
        np.r_[True, (np.diff(hours[0]) != 0) | (np.diff(hours[1]) != 1)] if hours.shape[1] else np.zeros(0, bool)
    )
    ends = np.r_[starts[1:], hours.shape[1]]
    for a, b in zip(starts, ends, strict=True):
        _rebuild_us(conn, int(hours[0, a]), int(hours[1, a]) * HOUR_US, (int(hours[1, b - 1]) + 1) * HOUR_US)


def step_rows(
    conn: Connection, meter_ids: list[int], start: pd.Timestamp, end: pd.Timestamp, limit: int
) -> tuple[np.ndarray, ...]:
    """At most ``limit + 1`` hourly rollups of ``meter_ids`` from ``start`` to ``end`` (hour boundaries): arrays
    ``meter_id``, hour start [µs since the epoch], ``n``, ``total``, ``last_ts`` [µs], ``last_value``."""
    if backend(conn) == "postgresql":
        sql = (
            "SELECT meter_id, (EXTRACT(EPOCH FROM hour) * 1000000)::bigint, n, total, "
            "(EXTRACT(EPOCH FROM last_ts) * 1000000)::bigint, last_value FROM readings_hourly "
            "WHERE meter_id = ANY(%(m)s) AND hour >= %(a)s AND hour < %(b)s LIMIT %(n)s"
        )
        args: dict | tuple = {"m": meter_ids, "a": start.to_pydatetime(), "b": end.to_pydatetime(), "n": limit + 1}
    else:
        sql = (
            "SELECT meter_id, hour, n, total, last_ts, last_value FROM readings_hourly "
            f"WHERE meter_id IN ({','.join('?' * len(meter_ids))}) AND hour >= ? AND hour < ? LIMIT ?"
        )
        args = (*meter_ids, to_epoch_us(start.to_pydatetime()), to_epoch_us(end.to_pydatetime()), limit + 1)
    return columns(conn.exec_driver_sql(sql, args).all(), (np.int64, np.int64, np.int64, float, np.int64, float))


def columns(rows: Sequence[Sequence], kinds: Sequence[type]) -> tuple[np.ndarray, ...]:
    """The columns of ``rows`` (tuples or database rows) as arrays of ``kinds``, without asking each row for an
    array interface (which costs a caught exception per row and column for a database row)."""
    cols = list(zip(*rows, strict=True)) if rows else [()] * len(kinds)
    return tuple(np.asarray(c, dtype=k) for c, k in zip(cols, kinds, strict=True))
