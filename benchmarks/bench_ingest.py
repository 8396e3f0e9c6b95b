"""Sustained ingestion of the monitoring service over loopback (a benchmark, not a test).

For each database (SQLite file; PostgreSQL when a URL is given by ``--pg`` or ``GREENDC_TEST_POSTGRES_URL``):
a fresh database (a schema of its own in PostgreSQL, dropped after), a real ``uvicorn`` server on 127.0.0.1,
ten meters, then ``--clients`` threads that post batches of ``--batch`` new readings to
``POST /api/v1/readings`` for ``--seconds``. Bodies are encoded before the clock starts, so the clients
cost little; they share the machine with the server and the database all the same.

Prints readings stored per second (acknowledged readings / wall time) and the p50/p99 latency of a batch.
Target: ≥ 50,000 readings/s into PostgreSQL with batches of 1,000 on a 2-core machine.

Run: ``python benchmarks/bench_ingest.py [--seconds 10] [--clients 4] [--batch 1000] [--pg URL]``.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import httpx
import numpy as np
import pandas as pd

from greendc.service.auth import create_token
from greendc.service.db import make_engine, migrate

METERS = [f"bench-{i}" for i in range(10)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(db_url: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "GREENDC_DB_URL": db_url, "GREENDC_MAX_BATCH_READINGS": "100000"}
    cmd = [
        sys.executable, "-m", "uvicorn", "--factory", "greendc.service.app:app_from_env",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(url + "/api/v1/health", timeout=1).status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(log.read_text()[-2000:])


def _bodies(n_batches: int, batch: int, first_minute: int) -> list[bytes]:
    """Encoded batches of new readings: consecutive minutes × the ten meters."""
    per = batch // len(METERS)
    start = pd.Timestamp("2030-01-01T00:00:00Z")
    out = []
    for b in range(n_batches):
        minutes = first_minute + b * per + np.arange(per)
        stamps = [(start + pd.Timedelta(minutes=int(m))).isoformat() for m in minutes]
        readings = [{"meter": m, "ts": t, "value": 100.0 + (i % 50)} for i, t in enumerate(stamps) for m in METERS]
        out.append(json.dumps({"readings": readings}).encode())
    return out


def run(db_url: str, label: str, seconds: float, clients: int, batch: int) -> dict[str, float]:
    engine = make_engine(db_url)
    migrate(engine)
    admin, operator = create_token(engine, "admin")[1], create_token(engine, "operator")[1]
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = _start(db_url, Path(tmp) / "uvicorn.log")
        try:
            h = {"Authorization": f"Bearer {admin}"}
            httpx.post(url + "/api/v1/sites", json={"name": "bench"}, headers=h).raise_for_status()
            for m in METERS:
                body = {"name": m, "site": "bench", "column": "it_mw", "max_value": 1000.0}
                httpx.post(url + "/api/v1/meters", json=body, headers=h).raise_for_status()
            # enough batches for the run at 3× the target rate, built before the clock starts
            per_client = int(seconds * 150_000 / batch / clients) + 5
            work = [_bodies(per_client, batch, first_minute=k * per_client * batch) for k in range(clients)]
            latencies: list[float] = []
            stored = [0]
            lock = threading.Lock()
            stop = threading.Event()

            def client(bodies: list[bytes]) -> None:
                headers = {"Authorization": f"Bearer {operator}", "Content-Type": "application/json"}
                with httpx.Client(base_url=url, headers=headers, timeout=60) as c:
                    for body in bodies:
                        if stop.is_set():
                            return
                        t0 = time.perf_counter()
                        r = c.post("/api/v1/readings", content=body)
                        dt = time.perf_counter() - t0
                        r.raise_for_status()
                        with lock:
                            latencies.append(dt)
                            stored[0] += r.json()["inserted"]

            # warm-up: one batch per client (imports, caches, connections)
            warm = [_bodies(1, batch, first_minute=10_000_000 + k * batch) for k in range(clients)]
            for bodies in warm:
                client(bodies)
            latencies.clear()
            stored[0] = 0
            threads = [threading.Thread(target=client, args=(w,)) for w in work]
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            time.sleep(seconds)
            stop.set()
            for t in threads:
                t.join()
            wall = time.perf_counter() - t0
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    engine.dispose()
    lat = np.array(latencies) * 1000.0
    return {
        "database": label,
        "readings_per_s": stored[0] / wall,
        "batches": len(lat),
        "p50_ms": float(np.percentile(lat, 50)),
        "p99_ms": float(np.percentile(lat, 99)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--pg", default=os.environ.get("GREENDC_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(run(f"sqlite:///{Path(tmp) / 'bench.db'}", "SQLite", args.seconds, args.clients, args.batch))
    if args.pg:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        base = make_engine(args.pg)
        with base.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        sep = "&" if "?" in args.pg else "?"
        try:
            url = f"{args.pg}{sep}options={quote(f'-csearch_path={schema}')}"
            results.append(run(url, "PostgreSQL", args.seconds, args.clients, args.batch))
        finally:
            with base.begin() as conn:
                conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
            base.dispose()
    else:
        print("PostgreSQL skipped: give --pg URL or set GREENDC_TEST_POSTGRES_URL (.ci/postgres.sh prints one)")
    cpus = os.cpu_count()
    print(f"\nbatches of {args.batch} readings, {args.clients} clients, {args.seconds:g} s, loopback, {cpus} CPUs")
    print(f"{'database':<12}{'readings/s':>12}{'batches':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for r in results:
        print(
            f"{r['database']:<12}{r['readings_per_s']:>12,.0f}{r['batches']:>9}{r['p50_ms']:>9.1f}{r['p99_ms']:>9.1f}"
        )
    print("target: >= 50,000 readings/s into PostgreSQL")


if __name__ == "__main__":
    main()
