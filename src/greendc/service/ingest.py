"""Ingestion of meter readings: parse, validate, store once.

A batch (JSON ``{"readings": [{"meter": "pv-1", "ts": "2030-01-01T00:00:00Z", "value": 12.5}, …]}`` or a
CSV file) is checked as a whole before anything is written:

* the meter names are valid names (:data:`~greendc.service.edge.NAME_PATTERN`: no NUL nor control
  character reaches the database) and known (:data:`~greendc.service.models.meters`);
* timestamps carry a UTC offset (``Z``, ``+00:00``, ``+01:00`` …) and are stored in UTC;
* timestamps are plausible (:class:`TimeBounds`): not before the meter's commissioning (or 1970 when it has
  none), and not more than ``max_future_s`` ahead of the server clock, so that a meter with a wrong clock
  cannot store a reading in year 9999 that would stretch every KPI window of its site;
* values are finite numbers (JSON numbers, not strings) inside the meter's physical range
  ``[min_value, max_value]``;
* a ``(meter, ts)`` given twice in one batch has the same value both times;
* at most ``max_batch_readings`` readings (else HTTP 413).

Then the batch is written in **one transaction** with ``INSERT … ON CONFLICT (meter_id, ts) DO NOTHING``
and the answer is sent after the commit. Readings are immutable: re-sending a reading already stored (a
retry after a lost answer) is a no-op counted in ``duplicates``, so a batch can be sent again safely; a
*different* value for a stored ``(meter, ts)`` is a conflict (HTTP 409) and the whole batch is rolled
back, so that a value is never silently replaced nor silently dropped.

Meters can change (an admin widens a range, retires a meter): the meters a batch names are read again inside
its write transaction (``FOR SHARE`` in PostgreSQL, so that a concurrent change waits for the batch or the
batch for the change) and the batch is validated again if they changed since the cached copy. A reading
for a **retired** meter is refused (HTTP 409) unless the very same reading is already stored (a retry of a
batch acknowledged before the retirement), which counts as a duplicate.

PostgreSQL receives a batch as three array literals in one statement (``INSERT … SELECT … FROM unnest(…)``)
that also adds the readings it inserted to the hourly rollups (:mod:`greendc.service.rollups`); SQLite as one
``executemany``, after which the hours it touched are rolled up again.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy.engine import Connection, Engine

from greendc.errors import IngestError
from greendc.service.db import backend, write_connection
from greendc.service.edge import EARLIEST_TIME, name_error, parse_iso
from greendc.service.models import meters, to_epoch_us
from greendc.service.rollups import PG_ADD_STORED, refresh_hours

__all__ = [
    "IngestResult",
    "MeterCache",
    "MeterInfo",
    "Reading",
    "ReadingBatch",
    "TimeBounds",
    "ingest",
    "parse_batch",
    "parse_csv",
    "read_meters",
]

#: Most errors listed in one answer.
MAX_ERRORS_SHOWN = 10


class Reading(BaseModel):
    """One meter reading: meter name, period start (with UTC offset), value in the meter's unit."""

    model_config = ConfigDict(extra="forbid", strict=True)

    meter: Annotated[str, Field(min_length=1, max_length=100)]
    ts: AwareDatetime
    value: Annotated[float, Field(allow_inf_nan=False)]


class ReadingBatch(BaseModel):
    """A batch of readings, written all or nothing."""

    model_config = ConfigDict(extra="forbid", strict=True)

    readings: list[Reading]


@dataclass(frozen=True)
class IngestResult:
    """What happened to a batch: readings received, newly stored, and already stored (same value)."""

    received: int
    inserted: int
    duplicates: int

    def to_dict(self) -> dict[str, int]:
        return {"received": self.received, "inserted": self.inserted, "duplicates": self.duplicates}


@dataclass(frozen=True)
class MeterInfo:
    """What ingestion needs to know of a meter."""

    id: int
    name: str
    unit: str
    min_value: float
    max_value: float
    retired_at: dt.datetime | None = None
    commissioned_at: dt.datetime | None = None


@dataclass(frozen=True)
class TimeBounds:
    """Plausible reading times: from a meter's commissioning (or ``earliest`` for a meter without one) to
    ``max_future_s`` seconds after the server clock [s]; infinite: no upper bound (replaying a simulated year)."""

    earliest: dt.datetime = EARLIEST_TIME
    max_future_s: float = 300.0

    def latest(self) -> dt.datetime | None:
        """The latest plausible reading time now (UTC); None without an upper bound."""
        if math.isinf(self.max_future_s):
            return None
        return dt.datetime.now(dt.UTC) + dt.timedelta(seconds=self.max_future_s)


_METER_COLUMNS = (
    meters.c.id,
    meters.c.name,
    meters.c.unit,
    meters.c.min_value,
    meters.c.max_value,
    meters.c.retired_at,
    meters.c.commissioned_at,
)


def _info(row: Any) -> MeterInfo:
    return MeterInfo(
        int(row.id),
        row.name,
        row.unit,
        float(row.min_value),
        float(row.max_value),
        row.retired_at,
        row.commissioned_at,
    )


def read_meters(conn: Connection, names: Iterable[str], lock: bool = False) -> dict[str, MeterInfo]:
    """The meters named ``names`` as stored now (unknown names are absent from the answer).

    With ``lock`` (PostgreSQL), the rows are locked ``FOR SHARE`` until the transaction ends: an admin's
    change of one of these meters waits for it.
    """
    found: dict[str, MeterInfo] = {}
    wanted = sorted(set(names))
    for start in range(0, len(wanted), 500):
        query = sa.select(*_METER_COLUMNS).where(meters.c.name.in_(wanted[start : start + 500]))
        if lock and backend(conn) == "postgresql":
            query = query.with_for_update(read=True)
        found.update({r.name: _info(r) for r in conn.execute(query).all()})
    return found


class MeterCache:
    """Meter name → :class:`MeterInfo`, filled from the database on first use of a name.

    Meters can be changed, retired or deleted by an admin, possibly through another server process, so an
    entry is only a first guess: :func:`ingest` reads the batch's meters again inside its write transaction
    and validates again when they differ. The routes that change a meter :meth:`forget` it here at once.
    """

    def __init__(self) -> None:
        self._by_name: dict[str, MeterInfo] = {}
        self._lock = threading.Lock()

    def lookup(self, engine: Engine, names: Iterable[str]) -> dict[str, MeterInfo]:
        """The known meters among ``names`` (unknown names are absent from the answer); the database is asked
        only for the names not in the cache."""
        wanted = set(names)
        with self._lock:
            found = {n: self._by_name[n] for n in wanted if n in self._by_name}
        if len(found) == len(wanted):
            return found
        with engine.connect() as conn:
            fresh = read_meters(conn, wanted - found.keys())
        self.update(fresh)
        return {**found, **fresh}

    def update(self, infos: dict[str, MeterInfo]) -> None:
        """Replace the entries of these meters."""
        with self._lock:
            self._by_name.update(infos)

    def forget(self, *names: str) -> None:
        """Drop the entries of these meters (after a change); unknown names are ignored."""
        with self._lock:
            for name in names:
                self._by_name.pop(name, None)


def _pydantic_text(exc: ValidationError, max_shown: int = MAX_ERRORS_SHOWN) -> str:
    parts = []
    errors = exc.errors(include_url=False)
    for err in errors[:max_shown]:
        loc = err["loc"]
        where = "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p)) for i, p in enumerate(loc))
        value = err.get("input")
        shown = repr(value) if isinstance(value, (str, int, float, bool)) or value is None else type(value).__name__
        if len(shown) > 80:
            shown = shown[:77] + "..."
        parts.append(f"{where or 'body'}: {err['msg']} (got {shown})")
    more = f"; and {len(errors) - max_shown} more" if len(errors) > max_shown else ""
    return "; ".join(parts) + more


def parse_batch(body: bytes, max_readings: int) -> list[Reading]:
    """Readings of a JSON batch ``{"readings": [{"meter", "ts", "value"}, …]}``.

    Raises
    ------
    IngestError
        422 for malformed JSON, wrong types, naive timestamps, NaN or infinite values (naming the reading
        and the field); 413 for more than ``max_readings`` readings.
    """
    try:
        batch = ReadingBatch.model_validate_json(body)
    except ValidationError as exc:
        raise IngestError(f"invalid batch: {_pydantic_text(exc)}", 422) from None
    if len(batch.readings) > max_readings:
        raise IngestError(
            f"batch of {len(batch.readings)} readings; at most {max_readings} per request (split it)", 413
        )
    return batch.readings


def _parse_value(text: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise IngestError(f"{where}: value {text!r} is not a number") from None
    if not math.isfinite(value):
        raise IngestError(f"{where}: value {text!r} is not finite; every value must be a finite number")
    return value


def parse_csv(text: str, max_readings: int) -> list[Reading]:
    """Readings of a CSV upload, in one of two layouts (``#`` comment lines and blank lines skipped).

    * long: header ``meter,ts,value`` (``timestamp`` may replace ``ts``), one reading per line;
    * wide: header ``timestamp,<meter>,<meter>,…``, one line per time; an empty cell is no reading.

    Raises
    ------
    IngestError
        422 naming the line and the bad cell; 413 above ``max_readings`` readings.
    """
    lines = [
        (n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip() and not line.startswith("#")
    ]
    if not lines:
        raise IngestError("CSV upload: no header line (meter,ts,value or timestamp,<meter>,...)")
    rows = csv.reader([line for _, line in lines])
    header = [h.strip() for h in next(rows)]
    line_of = [n for n, _ in lines]
    out: list[Reading] = []

    def add(meter: str, ts: dt.datetime, value: float, where: str) -> None:
        if not meter or len(meter) > 100:
            raise IngestError(f"{where}: meter name {meter!r} must have 1 to 100 characters")
        if len(out) >= max_readings:
            raise IngestError(
                f"CSV upload has more than {max_readings} readings; at most {max_readings} (split it)", 413
            )
        out.append(Reading.model_construct(meter=meter, ts=ts, value=value))

    if header in (["meter", "ts", "value"], ["meter", "timestamp", "value"]):
        for i, row in enumerate(rows, start=1):
            where = f"CSV line {line_of[i]}"
            if len(row) != 3:
                raise IngestError(f"{where}: {len(row)} cells; expected 3 (meter,ts,value)")
            add(row[0].strip(), parse_iso(row[1], f"{where}: timestamp"), _parse_value(row[2], where), where)
    elif header and header[0] in ("timestamp", "ts") and len(header) > 1:
        names = header[1:]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup or "" in names:
            raise IngestError(f"CSV line {line_of[0]}: meter columns must be named and unique (repeated: {dup})")
        for i, row in enumerate(rows, start=1):
            where = f"CSV line {line_of[i]}"
            if len(row) != len(header):
                raise IngestError(f"{where}: {len(row)} cells; the header has {len(header)}")
            ts = parse_iso(row[0], f"{where}: timestamp")
            for name, cell in zip(names, row[1:], strict=True):
                if cell.strip():
                    add(name, ts, _parse_value(cell, f"{where}, column {name!r}"), f"{where}, column {name!r}")
    else:
        raise IngestError(
            f"CSV line {line_of[0]}: header {','.join(header)[:200]!r} is neither 'meter,ts,value' nor "
            "'timestamp,<meter>,<meter>,...'"
        )
    return out


@dataclass(frozen=True)
class _Checked:
    """A validated batch without repeated readings: meter ids, UTC times, values, and the positions (in these
    lists) of readings for retired meters."""

    ids: list[int]
    stamps: list[dt.datetime]
    values: list[float]
    retired: list[int]


def _check_names(names: Iterable[str]) -> None:
    """Refuse a batch naming a meter with a name no meter can have (before it reaches the database)."""
    bad = sorted(n for n in names if name_error(n))
    if bad:
        raise IngestError(f"invalid batch, nothing stored: {name_error(bad[0], 'meter name')}")


def _validate(readings: Sequence[Reading], known: dict[str, MeterInfo], bounds: TimeBounds) -> _Checked:
    """The batch checked against its meters and the plausible times; raise on any bad reading."""
    errors: list[str] = []
    latest = bounds.latest()
    unknown = sorted({r.meter for r in readings} - known.keys())
    if unknown:
        first = next(i for i, r in enumerate(readings) if r.meter not in known)
        shown = ", ".join(repr(n[:100]) for n in unknown[:MAX_ERRORS_SHOWN])
        raise IngestError(
            f"unknown meter(s) {shown}{' …' if len(unknown) > MAX_ERRORS_SHOWN else ''} (first at readings[{first}]);"
            " meters are listed by GET /api/v1/meters and created by an admin (POST /api/v1/meters)"
        )
    seen: dict[tuple[int, int], tuple[int, float]] = {}
    ids: list[int] = []
    stamps: list[dt.datetime] = []
    values: list[float] = []
    retired: list[int] = []
    for i, r in enumerate(readings):
        m = known[r.meter]
        v = r.value
        if not m.min_value <= v <= m.max_value:
            errors.append(
                f"readings[{i}]: value {v:g} {m.unit} of meter {m.name!r} at {r.ts.isoformat()} is outside its "
                f"physical range [{m.min_value:g}, {m.max_value:g}] {m.unit}"
            )
            if len(errors) >= MAX_ERRORS_SHOWN:
                break
            continue
        why = _implausible(r.ts, m, bounds.earliest, latest)
        if why:
            errors.append(f"readings[{i}]: meter {m.name!r}: {why}")
            if len(errors) >= MAX_ERRORS_SHOWN:
                break
            continue
        ts = r.ts.astimezone(dt.UTC)
        key = (m.id, to_epoch_us(ts))
        if key in seen:
            j, w = seen[key]
            if w != v:
                errors.append(
                    f"readings[{i}]: meter {m.name!r} at {ts.isoformat()} is also readings[{j}] with another value "
                    f"({v:g} and {w:g}); one value per meter and time"
                )
            continue
        seen[key] = (i, v)
        if m.retired_at is not None:
            retired.append(len(ids))
        ids.append(m.id)
        stamps.append(ts)
        values.append(v)
    if errors:
        raise IngestError("invalid batch, nothing stored: " + "; ".join(errors))
    return _Checked(ids, stamps, values, retired)


def _implausible(ts: dt.datetime, meter: MeterInfo, earliest: dt.datetime, latest: dt.datetime | None) -> str | None:
    """Why the time ``ts`` of a reading of ``meter`` is not plausible (:class:`TimeBounds`), or None."""
    try:
        utc = ts.astimezone(dt.UTC)
    except OverflowError:
        return f"timestamp {ts.isoformat()} falls outside the calendar once converted to UTC"
    floor = meter.commissioned_at if meter.commissioned_at is not None else earliest
    if utc < floor:
        what = "the meter's commissioning" if meter.commissioned_at is not None else "the earliest plausible time"
        return f"timestamp {ts.isoformat()} is before {what} ({floor.isoformat()}); check the meter's clock"
    if latest is not None and utc > latest:
        return (
            f"timestamp {ts.isoformat()} is ahead of the server clock by more than the allowed skew (readings up to "
            f"{latest.replace(microsecond=0).isoformat()} are accepted: max_future_s); check the meter's clock"
        )
    return None


# PostgreSQL: times travel as µs since the epoch (i.t) in array literals (_pg_array)
_PG_UTC = "timestamptz 'epoch' + i.t * interval '1 microsecond'"
_PG_INSERT = (
    f"WITH stored AS (INSERT INTO readings (meter_id, ts, value) SELECT i.m, {_PG_UTC}, i.v "
    "FROM unnest(%(m)s::integer[], %(t)s::bigint[], %(v)s::double precision[]) AS i(m, t, v) "
    "ON CONFLICT (meter_id, ts) DO NOTHING RETURNING meter_id, ts, value), "
    f"added AS ({PG_ADD_STORED}) SELECT count(*) FROM stored"
)
_PG_STORED = (
    "SELECT i.n, r.value FROM unnest(%(m)s::integer[], %(t)s::bigint[]) WITH ORDINALITY AS i(m, t, n) "
    f"JOIN readings r ON r.meter_id = i.m AND r.ts = {_PG_UTC}"
)
_SQLITE_INSERT = "INSERT INTO readings (meter_id, ts, value) VALUES (?, ?, ?) ON CONFLICT (meter_id, ts) DO NOTHING"


def _pg_array(values: Iterable[int | float]) -> str:
    """A PostgreSQL array literal ``{1,2.5,…}`` of numbers: one string for the driver to send, instead of a
    thousand values to adapt one by one (a batch costs the server's Python a sixth of the time)."""
    return "{" + ",".join(map(str, values)) + "}"


def _stored_values(conn: Connection, ids: list[int], stamps: list[dt.datetime]) -> dict[int, float]:
    """Position in the batch → value stored for that ``(meter, ts)``, for the positions that have one."""
    if backend(conn) == "postgresql":
        rows = conn.exec_driver_sql(_PG_STORED, {"m": _pg_array(ids), "t": _pg_array(map(to_epoch_us, stamps))}).all()
        return {int(n) - 1: float(v) for n, v in rows}
    conn.exec_driver_sql("CREATE TEMP TABLE IF NOT EXISTS batch_keys (n INTEGER, m INTEGER, t INTEGER)")
    conn.exec_driver_sql("DELETE FROM batch_keys")
    conn.exec_driver_sql(
        "INSERT INTO batch_keys (n, m, t) VALUES (?, ?, ?)",
        [(n, m, to_epoch_us(t)) for n, (m, t) in enumerate(zip(ids, stamps, strict=True))],
    )
    rows = conn.exec_driver_sql(
        "SELECT k.n, r.value FROM batch_keys k JOIN readings r ON r.meter_id = k.m AND r.ts = k.t"
    ).all()
    conn.exec_driver_sql("DELETE FROM batch_keys")
    return {int(n): float(v) for n, v in rows}


def ingest(
    engine: Engine, readings: Sequence[Reading], cache: MeterCache | None = None, bounds: TimeBounds | None = None
) -> IngestResult:
    """Validate and store a batch of readings in one transaction (module docstring); return what happened.

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
        The service database.
    readings : sequence of Reading
        Values in the unit of each meter [MW, MWh, m³ …], times with their UTC offset.
    cache : MeterCache, optional
        Meter lookup cache shared between requests.
    bounds : TimeBounds, optional
        Plausible reading times; default :class:`TimeBounds` (1970 or the commissioning, up to 300 s ahead).

    Raises
    ------
    IngestError
        422 for an invalid or unknown meter name, a value out of range, an implausible time or a repeated
        reading with two values; 409 when a
        reading conflicts with a stored one or is a new reading of a retired meter. Nothing of the batch is
        stored then.
    """
    cache = cache if cache is not None else MeterCache()
    bounds = bounds if bounds is not None else TimeBounds()
    if not readings:
        return IngestResult(0, 0, 0)
    names = {r.meter for r in readings}
    _check_names(names)
    known = cache.lookup(engine, names)
    checked = _validate(readings, known, bounds)
    with write_connection(engine) as conn:
        current = read_meters(conn, names, lock=True)
        if current != known:
            # an admin changed, retired or deleted one of these meters since it was cached: check again
            cache.forget(*names)
            cache.update(current)
            checked = _validate(readings, current, bounds)
            known = current
        ids, stamps, values = checked.ids, checked.stamps, checked.values
        name = {m.id: m.name for m in known.values()}
        if checked.retired:
            _refuse_new_readings_of_retired_meters(conn, checked, known, name)
            keep = sorted(set(range(len(ids))) - set(checked.retired))
            ids, stamps, values = [ids[n] for n in keep], [stamps[n] for n in keep], [values[n] for n in keep]
        inserted = 0
        stamps_us = [to_epoch_us(t) for t in stamps]
        if ids and backend(conn) == "postgresql":
            batch = {"m": _pg_array(ids), "t": _pg_array(stamps_us), "v": _pg_array(values)}
            inserted = conn.exec_driver_sql(_PG_INSERT, batch).scalar_one()
        elif ids:
            inserted = conn.exec_driver_sql(_SQLITE_INSERT, list(zip(ids, stamps_us, values, strict=True))).rowcount
            if inserted:
                refresh_hours(conn, ids, stamps_us)
        if inserted < len(ids):
            stored = _stored_values(conn, ids, stamps)
            clashes = [n for n, v in sorted(stored.items()) if v != values[n]]
            if clashes:
                shown = "; ".join(
                    f"meter {name[ids[n]]!r} at {stamps[n].isoformat()}: stored {stored[n]:g}, sent {values[n]:g}"
                    for n in clashes[:MAX_ERRORS_SHOWN]
                )
                raise IngestError(
                    f"{len(clashes)} reading(s) conflict with stored readings, nothing stored: {shown}. "
                    "Stored readings are never replaced; re-send the same value, or a reading for another time",
                    409,
                )
    return IngestResult(received=len(readings), inserted=int(inserted), duplicates=len(readings) - int(inserted))


def _refuse_new_readings_of_retired_meters(
    conn: Connection, checked: _Checked, known: dict[str, MeterInfo], name: dict[int, str]
) -> None:
    """Raise 409 unless every reading of a retired meter in the batch is already stored with the same value."""
    pos = checked.retired
    stored = _stored_values(conn, [checked.ids[n] for n in pos], [checked.stamps[n] for n in pos])
    new = [n for k, n in enumerate(pos) if stored.get(k) != checked.values[n]]
    if not new:
        return
    retired_at = {m.id: m.retired_at for m in known.values()}
    meters_named = sorted({checked.ids[n] for n in new})
    shown = "; ".join(
        f"meter {name[m]!r} (retired at {retired_at[m].isoformat()})"  # type: ignore[union-attr]
        for m in meters_named[:MAX_ERRORS_SHOWN]
    )
    first = new[0]
    raise IngestError(
        f"{len(new)} reading(s) for retired meters, nothing stored: {shown}; first at "
        f"{checked.stamps[first].isoformat()}. A retired meter keeps its readings and takes no new ones; "
        "send them to the meter that replaced it, or an admin reinstates it (PATCH /api/v1/meters/<name> "
        '{"retired": false})',
        409,
    )
