"""The database side of the bridge: store a message's work, read BIRTH aliases back, keep dead letters.

Readings go through :func:`greendc.service.ingest.ingest` (the validation and the idempotent insert of
``POST /api/v1/readings``). Events go to ``meter_events``, at most once per ``(meter, at, kind, source)``, so
that a message delivered again adds nothing.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from greendc.errors import IngestError
from greendc.service.bridge.messages import Event, Work
from greendc.service.db import write_connection
from greendc.service.ingest import IngestResult, MeterCache, TimeBounds, ingest, read_meters
from greendc.service.models import meter_events

__all__ = ["DeadLetters", "birth_metrics", "store"]


def _insert_event(conn: Connection, meter_id: int, event: Event) -> bool:
    """Insert ``event`` unless the same ``(meter, at, kind, source)`` is stored; whether it was inserted."""
    key = (
        meter_events.c.meter_id == meter_id,
        meter_events.c.at == event.at,
        meter_events.c.kind == event.kind,
        meter_events.c.source == event.source,
    )
    if conn.execute(sa.select(meter_events.c.id).where(*key).limit(1)).first() is not None:
        return False
    values = {"at": event.at, "kind": event.kind, "source": event.source, "detail": event.detail[:500]}
    conn.execute(meter_events.insert().values(meter_id=meter_id, **values))
    return True


def _born_of(conn: Connection, source: str, devices: bool) -> list[int]:
    """Ids of the meters that a BIRTH of ``source`` (or, with ``devices``, of one of its devices) named."""
    where = meter_events.c.source == source
    if devices:
        where = where | meter_events.c.source.startswith(source + "/", autoescape=True)
    query = sa.select(meter_events.c.meter_id).where(meter_events.c.kind == "birth", where).distinct()
    return sorted(int(i) for i in conn.execute(query).scalars())


def store(engine: Engine, work: Work, cache: MeterCache, bounds: TimeBounds) -> tuple[IngestResult, int]:
    """Store the readings (one transaction), then the events (another); return the ingestion result and the
    number of events inserted. ``bounds`` are the plausible reading times (``max_future_s`` of the service).

    Raises
    ------
    IngestError
        The readings are refused (:func:`~greendc.service.ingest.ingest`), or a BIRTH names an unknown meter.
    sqlalchemy.exc.OperationalError
        The database cannot be reached (nothing of the failed transaction is stored).
    """
    result = ingest(engine, work.readings, cache, bounds)
    if not work.births and work.death is None:
        return result, 0
    inserted = 0
    with write_connection(engine) as conn:
        if work.births:
            known = read_meters(conn, {e.meter for e in work.births})
            unknown = sorted({e.meter for e in work.births} - known.keys())
            if unknown:
                raise IngestError(
                    f"BIRTH of {work.births[0].source} names unknown meter(s) {', '.join(map(repr, unknown[:10]))}; "
                    "an admin creates them (POST /api/v1/meters)"
                )
            inserted += sum(_insert_event(conn, known[e.meter].id, e) for e in work.births)
        if work.death is not None:
            d = work.death
            for meter_id in _born_of(conn, d.source, d.devices):
                inserted += _insert_event(conn, meter_id, Event("", d.at, "death", d.source, d.detail))
    return result, inserted


def birth_metrics(engine: Engine, source: str) -> list[tuple[str, int | None, int | None]]:
    """``(metric, alias, data type)`` of the stored BIRTH events of ``source``, oldest first."""
    query = (
        sa.select(meter_events.c.detail)
        .where(meter_events.c.kind == "birth", meter_events.c.source == source)
        .order_by(meter_events.c.at, meter_events.c.id)
    )
    with engine.connect() as conn:
        details = [json.loads(d) for d in conn.execute(query).scalars()]
    return [(d["metric"], d.get("alias"), d.get("datatype")) for d in details if "metric" in d]


class DeadLetters:
    """Messages the service refused, one JSON line each in ``path``: ``at`` (UTC, ISO 8601), ``topic``,
    ``status`` (the HTTP status the service would answer), ``error``, ``payload_base64``.

    A line is on disk (``fsync``) before the message is acknowledged to the broker.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.count = 0

    def add(self, topic: str, payload: bytes, error: IngestError, at: dt.datetime) -> None:
        line = {
            "at": at.isoformat(),
            "topic": topic,
            "status": error.status,
            "error": str(error),
            "payload_base64": base64.b64encode(payload).decode("ascii"),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(json.dumps(line) + "\n")
            f.flush()
            os.fsync(f.fileno())
        self.count += 1
