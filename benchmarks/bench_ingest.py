"""Sustained ingestion of the monitoring service over loopback, alone and under a query load (a benchmark,
not a test).

For each database (SQLite file; PostgreSQL when a URL is given by ``--pg`` or ``GREENDC_TEST_POSTGRES_URL``)
and each server (this source tree; with ``--baseline REV``, also the ``src`` of git revision ``REV`` as a peer):
a fresh database (a schema of its own in PostgreSQL, dropped after), a real ``uvicorn`` server on 127.0.0.1, a
site of nine meters that feed the telemetry columns of a hand-made balance (IT 400 MW, facility 440 MW, wind
40 MW, grid 400 MW at night and PV 2 × 200 MW by day, water, reserve, battery), read every minute, and two
days of its readings. Then two phases of ``--seconds`` each, in which ``--clients`` threads post batches of
``--batch`` new readings (the following minutes) to ``POST /api/v1/readings``:

* **alone**: nothing else;
* **queries**: meanwhile one thread asks for the KPIs of one day (``GET /api/v1/kpi``, from/to one stored day,
  step 1 h) and another for the dashboard (``GET /api/v1/dashboard``: the 48 h up to the newest reading, step
  1 h, which follows the readings being posted), each at most once every ``--query-interval`` seconds (default
  1 s: one dashboard answer a second is ten control-room screens at the dashboard's 10 s refresh; 0: back to
  back, as fast as the server answers).

Bodies are encoded before the clock starts, so the clients cost little; they share the machine with the server
and the database all the same. Prints, side by side, readings stored per second (acknowledged readings / wall
time), the p50/p99 latency of a batch and the p50/p95 latency of the KPI and dashboard answers.
Target: ≥ 50,000 readings/s into PostgreSQL with batches of 1,000 while the queries run, each query under 200 ms
at p50, on a 2-core machine.

Run: ``python benchmarks/bench_ingest.py [--seconds 10] [--clients 4] [--batch 1000] [--pg URL]
[--databases sqlite,postgresql] [--workers 1] [--baseline HEAD] [--query-interval 1]``.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import uuid
from io import BytesIO
from pathlib import Path
from urllib.parse import quote

import httpx
import numpy as np
import pandas as pd

from greendc.service.db import make_engine, migrate
from greendc.service.tokens import create_token

#: meter → (telemetry column, max value); the values of hour h of a day come from :func:`_value`
METERS: dict[str, tuple[str, float]] = {
    "bench-it": ("it_mw", 600.0),
    "bench-feeder": ("facility_mw", 800.0),
    "bench-pv-a": ("pv_mw", 300.0),
    "bench-pv-b": ("pv_mw", 300.0),
    "bench-wind": ("wind_mw", 200.0),
    "bench-grid": ("grid_import_mw", 600.0),
    "bench-water": ("water_m3", 100.0),
    "bench-reserve": ("reserve_mw", 1000.0),
    "bench-soc": ("battery_soc_mwh", 4000.0),
}
#: First minute of the readings; two days from here are stored before the clock starts.
START = pd.Timestamp("2020-01-01T00:00:00Z")
#: The day the KPI queries ask for.
KPI_DAY = {"from": "2020-01-02T00:00:00Z", "to": "2020-01-03T00:00:00Z", "step": "1h"}


def _value(meter: str, minute: int) -> float:
    """Reading of ``meter`` at ``minute`` after :data:`START`: a balance that holds in every minute."""
    day = (minute // 60) % 24 >= 12
    return {
        "bench-it": 400.0,
        "bench-feeder": 440.0,
        "bench-pv-a": 200.0 if day else 0.0,
        "bench-pv-b": 200.0 if day else 0.0,
        "bench-wind": 40.0,
        "bench-grid": 0.0 if day else 400.0,
        "bench-water": 0.2,
        "bench-reserve": 30.0,
        "bench-soc": 500.0,
    }[meter]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(db_url: str, log: Path, workers: int, src: Path | None) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "GREENDC_DB_URL": db_url, "GREENDC_MAX_BATCH_READINGS": "100000"}
    if src is not None:
        # a baseline revision: its own code on a schema migrated by this tree (it does not know newer revisions)
        env.update(PYTHONPATH=str(src), GREENDC_MIGRATE="false")
    cmd = [
        sys.executable, "-m", "uvicorn", "--factory", "greendc.service.app:app_from_env", "--workers", str(workers),
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


def _bodies(first_minute: int, minutes: int, batch: int) -> list[bytes]:
    """Encoded batches of ``batch`` readings: the minutes from ``first_minute`` × the meters, in time order."""
    stamps = [(START + pd.Timedelta(minutes=m)).isoformat() for m in range(first_minute, first_minute + minutes)]
    readings = [
        {"meter": name, "ts": ts, "value": _value(name, first_minute + i)}
        for i, ts in enumerate(stamps)
        for name in METERS
    ]
    return [json.dumps({"readings": readings[k : k + batch]}).encode() for k in range(0, len(readings), batch)]


def _percentiles(seconds: list[float], *qs: float) -> list[float]:
    return [float(np.percentile(seconds, q)) * 1000.0 if seconds else float("nan") for q in qs]


def _phase(
    url: str, operator: str, viewer: str, work: list[list[bytes]], seconds: float, queries: bool, interval_s: float
) -> dict:
    """Post ``work`` (one list of bodies per client) for ``seconds``, with or without the query threads (each
    asking at most once every ``interval_s`` seconds)."""
    latencies: list[float] = []
    answers: dict[str, list[float]] = {"kpi": [], "dashboard": []}
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
                elapsed = time.perf_counter() - t0
                r.raise_for_status()
                with lock:
                    latencies.append(elapsed)
                    stored[0] += r.json()["inserted"]

    def asker(kind: str, path: str, params: dict[str, str]) -> None:
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {viewer}"}, timeout=60) as c:
            while not stop.is_set():
                t0 = time.perf_counter()
                r = c.get(path, params=params)
                elapsed = time.perf_counter() - t0
                r.raise_for_status()
                answers[kind].append(elapsed)
                stop.wait(max(0.0, interval_s - elapsed))

    threads = [threading.Thread(target=client, args=(w,)) for w in work]
    if queries:
        threads += [
            threading.Thread(target=asker, args=("kpi", "/api/v1/kpi", KPI_DAY)),
            threading.Thread(target=asker, args=("dashboard", "/api/v1/dashboard", {})),
        ]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    b50, b99 = _percentiles(latencies, 50, 99)
    k50, k95 = _percentiles(answers["kpi"], 50, 95)
    d50, d95 = _percentiles(answers["dashboard"], 50, 95)
    return {
        "readings_per_s": stored[0] / wall,
        "batches": len(latencies),
        "p50_ms": b50,
        "p99_ms": b99,
        "kpi": (len(answers["kpi"]), k50, k95),
        "dashboard": (len(answers["dashboard"]), d50, d95),
    }


def run(
    db_url: str, seconds: float, clients: int, batch: int, workers: int, src: Path | None, interval_s: float
) -> list[dict]:
    """Both phases on a fresh database: ``[alone, queries]``."""
    engine = make_engine(db_url)
    migrate(engine)
    tokens = {role: create_token(engine, role)[1] for role in ("admin", "operator", "viewer")}
    engine.dispose()
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = _start(db_url, Path(tmp) / "uvicorn.log", workers, src)
        try:
            h = {"Authorization": f"Bearer {tokens['admin']}"}
            httpx.post(url + "/api/v1/sites", json={"name": "bench"}, headers=h).raise_for_status()
            for name, (column, high) in METERS.items():
                body = {"name": name, "site": "bench", "column": column, "max_value": high}
                httpx.post(url + "/api/v1/meters", json=body, headers=h).raise_for_status()
            # two stored days (the KPI day and the one before), posted before the clock starts
            headers = {"Authorization": f"Bearer {tokens['operator']}", "Content-Type": "application/json"}
            with httpx.Client(base_url=url, headers=headers) as c:
                for body in _bodies(0, 2 * 1440, batch):
                    c.post("/api/v1/readings", content=body).raise_for_status()
            # enough minutes for each client and phase at 3× the target rate, built before the clock starts
            minutes = int(seconds * 150_000 / len(METERS) / clients) + 60
            out = []
            for k, queries in enumerate((False, True)):
                base = 2 * 1440 + k * clients * minutes
                work = [_bodies(base + c * minutes, minutes, batch) for c in range(clients)]
                out.append(_phase(url, tokens["operator"], tokens["viewer"], work, seconds, queries, interval_s))
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    return out


def _baseline_src(rev: str, into: Path) -> Path:
    """The ``src`` folder of git revision ``rev`` of this repository, extracted under ``into``."""
    root = Path(__file__).resolve().parent.parent
    archive = subprocess.run(["git", "archive", rev, "src"], cwd=root, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def _pg_schema_url(pg: str, schema: str) -> str:
    sep = "&" if "?" in pg else "?"
    return f"{pg}{sep}options={quote(f'-csearch_path={schema}')}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each phase [s]")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--baseline", default=None, help="git revision whose server runs as a peer (e.g. HEAD)")
    parser.add_argument("--pg", default=os.environ.get("GREENDC_TEST_POSTGRES_URL"))
    parser.add_argument(
        "--query-interval", type=float, default=1.0, help="least time between two queries of a thread [s]; 0: none"
    )
    args = parser.parse_args()
    wanted = args.databases.split(",")
    if "postgresql" in wanted and not args.pg:
        print("PostgreSQL skipped: give --pg URL or set GREENDC_TEST_POSTGRES_URL (.ci/postgres.sh prints one)")
        wanted.remove("postgresql")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        servers: list[tuple[str, Path | None]] = [("this tree", None)]
        if args.baseline:
            servers.insert(0, (args.baseline, _baseline_src(args.baseline, Path(tmp) / "baseline")))
        for database in wanted:
            for server, src in servers:
                if database == "sqlite":
                    url = f"sqlite:///{Path(tmp) / f'bench-{uuid.uuid4().hex[:6]}.db'}"
                else:
                    schema = f"bench_{uuid.uuid4().hex[:10]}"
                    base = make_engine(args.pg)
                    with base.begin() as conn:
                        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
                    url = _pg_schema_url(args.pg, schema)
                try:
                    phases = run(url, args.seconds, args.clients, args.batch, args.workers, src, args.query_interval)
                finally:
                    if database == "postgresql":
                        with base.begin() as conn:
                            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
                        base.dispose()
                rows += [(database, server, phase, r) for phase, r in zip(("alone", "queries"), phases, strict=True)]
    cpus = os.cpu_count()
    print(
        f"\nbatches of {args.batch} readings, {args.clients} clients, {args.seconds:g} s per phase, "
        f"{args.workers} uvicorn worker(s), loopback, {cpus} CPUs; queries at most every {args.query_interval:g} s each"
    )
    print(
        f"{'database':<11}{'server':<11}{'phase':<9}{'readings/s':>11}{'batches':>8}{'p50 ms':>8}{'p99 ms':>8}"
        f"{'KPI n':>7}{'p50 ms':>8}{'p95 ms':>8}{'dash n':>7}{'p50 ms':>8}{'p95 ms':>8}"
    )
    for database, server, phase, r in rows:
        (kn, k50, k95), (dn, d50, d95) = r["kpi"], r["dashboard"]
        print(
            f"{database:<11}{server[:10]:<11}{phase:<9}{r['readings_per_s']:>11,.0f}{r['batches']:>8}"
            f"{r['p50_ms']:>8.1f}{r['p99_ms']:>8.1f}{kn:>7}{k50:>8.0f}{k95:>8.0f}{dn:>7}{d50:>8.0f}{d95:>8.0f}"
        )
    print("target: >= 50,000 readings/s into PostgreSQL while the queries run; KPI and dashboard p50 < 200 ms")


if __name__ == "__main__":
    main()
