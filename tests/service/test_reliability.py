"""Reliability under bounded load on loopback, on SQLite and on PostgreSQL.

* concurrent writers with overlapping batches: every acknowledged reading is stored exactly once;
* the server killed with SIGKILL in the middle of a load, then restarted: no acknowledged reading missing,
  and re-sending what was not acknowledged completes the data without doubles.

The property checked is the one the ingestion promises (``greendc.service.ingest``): an answer 200 is sent
after the commit, and a reading is stored once per ``(meter, ts)``.
"""

from __future__ import annotations

import threading
import time

import httpx
import pandas as pd
import sqlalchemy as sa

from tests.service.support import Server, client

METERS = [f"load-{i}" for i in range(4)]
START = pd.Timestamp("2031-01-01T00:00:00Z")


def _value(meter: int, minute: int) -> float:
    """A reading that depends only on (meter, time), so that overlapping batches carry the same values."""
    return float((meter * 7919 + minute * 31) % 1000) / 10.0


def _batch(first_minute: int, minutes: int) -> list[dict]:
    return [
        {"meter": name, "ts": (START + pd.Timedelta(minutes=m)).isoformat(), "value": _value(i, m)}
        for m in range(first_minute, first_minute + minutes)
        for i, name in enumerate(METERS)
    ]


def _stored(engine: sa.engine.Engine) -> dict[tuple[str, pd.Timestamp], float]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT m.name, r.ts, r.value FROM readings r JOIN meters m ON m.id = r.meter_id")
        ).all()
    # SQLite keeps microseconds since the epoch, PostgreSQL timestamptz
    out = {}
    for name, ts, value in rows:
        if name in METERS:
            t = pd.Timestamp(ts, unit="us", tz="UTC") if isinstance(ts, int) else pd.Timestamp(ts).tz_convert("UTC")
            out[(name, t)] = value
    return out


def _make_meters(srv: Server, admin_token: str) -> None:
    with client(srv, admin_token) as admin:
        if admin.get("/api/v1/meters", params={"site": "load"}).json():
            return
        assert admin.post("/api/v1/sites", json={"name": "load"}).status_code == 201
        for name in METERS:
            body = {"name": name, "site": "load", "column": "it_mw", "max_value": 1000.0}
            assert admin.post("/api/v1/meters", json=body).status_code == 201


def test_concurrent_writers_store_each_acknowledged_reading_once(server, database):
    _make_meters(server, database.tokens["admin"])
    acknowledged: list[list[dict]] = []
    inserted: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()

    def writer(k: int) -> None:
        # 6 writers × 10 batches × 100 minutes × 4 meters; writer k starts 50 minutes after writer k-1,
        # so that every minute is sent by two writers at about the same time
        with client(server, database.tokens["operator"]) as c:
            for b in range(10):
                batch = _batch(k * 50 + b * 100, 100)
                r = c.post("/api/v1/readings", json={"readings": batch})
                with lock:
                    if r.status_code == 200:
                        acknowledged.append(batch)
                        inserted.append(r.json()["inserted"])
                    else:
                        errors.append(f"{r.status_code} {r.text[:200]}")

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    sent = {(r["meter"], pd.Timestamp(r["ts"])): r["value"] for batch in acknowledged for r in batch}
    stored = _stored(database.engine)
    assert len(acknowledged) == 60
    assert stored == sent  # everything acknowledged is there with its value, and nothing else
    assert sum(inserted) == len(stored)  # each reading counted as inserted exactly once


def test_sigkill_during_load_loses_nothing_acknowledged(database, tmp_path):
    srv = Server(database.url, tmp_path / "uvicorn.log").start()
    _make_meters(srv, database.tokens["admin"])
    acknowledged: list[list[dict]] = []
    unanswered: list[list[dict]] = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(k: int) -> None:
        with client(srv, database.tokens["operator"]) as c:
            for b in range(400):  # bounded: the kill comes long before
                batch = _batch(100_000 + (k * 400 + b) * 50, 50)
                try:
                    r = c.post("/api/v1/readings", json={"readings": batch})
                except httpx.TransportError:
                    with lock:
                        unanswered.append(batch)
                    return
                with lock:
                    (acknowledged if r.status_code == 200 else unanswered).append(batch)
                if stop.is_set():
                    return

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with lock:
            if len(acknowledged) >= 20:
                break
        time.sleep(0.02)
    srv.kill()  # in the middle of the load: writers are sending
    stop.set()
    for t in threads:
        t.join(timeout=60)
    assert len(acknowledged) >= 20 and not srv.alive()

    srv.start()  # same database, a fresh process (SQLite recovers its write-ahead log here)
    try:
        stored = _stored(database.engine)
        missing = [
            (r["meter"], r["ts"])
            for batch in acknowledged
            for r in batch
            if stored.get((r["meter"], pd.Timestamp(r["ts"]))) != r["value"]
        ]
        assert missing == []
        # the writers' retry: re-send what had no answer; idempotent, so the data end up complete and single
        with client(srv, database.tokens["operator"]) as c:
            for batch in unanswered:
                assert c.post("/api/v1/readings", json={"readings": batch}).status_code == 200
        stored = _stored(database.engine)
        everything = {(r["meter"], pd.Timestamp(r["ts"])) for b in acknowledged + unanswered for r in b}
        assert everything <= set(stored)
    finally:
        srv.stop()
