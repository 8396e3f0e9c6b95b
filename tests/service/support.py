"""Helpers of the service tests: databases, a real uvicorn server on loopback, a hand-made site."""

from __future__ import annotations

import math
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
import sqlalchemy as sa

from greendc.service.db import make_engine
from greendc.service.ingest import TimeBounds

PG_ENV = "GREENDC_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgresql")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Database:
    """A database for one test module: its URL and an engine on it."""

    backend: str
    url: str
    engine: sa.engine.Engine
    tokens: dict[str, str] = field(default_factory=dict)


def postgres_database(schema: str) -> tuple[str, sa.engine.Engine]:
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set: no PostgreSQL server to test against (CI starts one with .ci/postgres.sh)")
    admin = make_engine(base)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    admin.dispose()
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    return url, make_engine(url)


def drop_postgres_schema(schema: str) -> None:
    admin = make_engine(os.environ[PG_ENV])
    with admin.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    admin.dispose()


#: Reading-time bounds of the tests that call :func:`greendc.service.ingest.ingest` with readings dated 2030.
ANY_FUTURE = TimeBounds(max_future_s=math.inf)


class ChildProcess:
    """A process a test starts (``self.proc``), stops (SIGTERM, then SIGKILL) or kills as a crash."""

    proc: subprocess.Popen[bytes] | None = None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, no acknowledgement, as a crash."""
        if self.proc is not None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self, timeout_s: float = 20.0) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


class Server(ChildProcess):
    """``uvicorn --factory greendc.service.app:app_from_env`` in a subprocess on 127.0.0.1."""

    def __init__(self, db_url: str, log: Path, **settings: object) -> None:
        self.db_url = db_url
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        # the hand-made readings are dated 2030: no upper bound on reading times unless a test sets one
        self.env = {**os.environ, "GREENDC_DB_URL": db_url, "GREENDC_MAX_FUTURE_S": "inf"}
        self.env.update({f"GREENDC_{k.upper()}": str(v) for k, v in settings.items()})
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout_s: float = 60.0) -> Server:
        cmd = [
            sys.executable, "-m", "uvicorn", "--factory", "greendc.service.app:app_from_env",
            "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning",
        ]  # fmt: skip
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(cmd, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}: {self.log.read_text()[-3000:]}")
            try:
                if httpx.get(self.url + "/api/v1/health", timeout=1.0).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not answer within {timeout_s} s: {self.log.read_text()[-3000:]}")


def client(srv: Server, token: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=srv.url, headers=headers, timeout=30.0)


# A hand-made day (24 hourly steps) whose KPIs are worked out by hand in test_api.py:
# IT 400 MW and facility 440 MW all day; wind 40 MW all day; hours 0-11 grid import 400 MW and no PV;
# hours 12-23 two PV blocks of 200 MW each and no grid; water 12 m³ per hour; reserve 30 MW; battery 500 MWh.
#: meter suffix → (telemetry column, max value)
HAND_METERS: dict[str, tuple[str, float]] = {
    "it": ("it_mw", 600.0),
    "feeder": ("facility_mw", 800.0),
    "pv-a": ("pv_mw", 300.0),
    "pv-b": ("pv_mw", 300.0),
    "wind": ("wind_mw", 200.0),
    "grid": ("grid_import_mw", 600.0),
    "water": ("water_m3", 100.0),
    "reserve": ("reserve_mw", 1000.0),
    "soc": ("battery_soc_mwh", 4000.0),
}


def hand_values(hour: int) -> dict[str, float]:
    """Readings of the hand-made day at ``hour`` (0-23), by meter suffix."""
    day = hour % 24 >= 12
    return {
        "it": 400.0,
        "feeder": 440.0,
        "pv-a": 200.0 if day else 0.0,
        "pv-b": 200.0 if day else 0.0,
        "wind": 40.0,
        "grid": 0.0 if day else 400.0,
        "water": 12.0,
        "reserve": 30.0,
        "soc": 500.0,
    }


def hand_readings(prefix: str, start: str = "2030-01-01T00:00:00+00:00", hours: int = 24) -> list[dict]:
    """JSON readings of the hand-made series for meters ``<prefix>-<suffix>``."""
    import pandas as pd

    out = []
    for h, ts in enumerate(pd.date_range(start, periods=hours, freq="h")):
        for suffix, value in hand_values(h).items():
            out.append({"meter": f"{prefix}-{suffix}", "ts": ts.isoformat(), "value": value})
    return out


def hand_frame(start: str = "2030-01-01T00:00:00+00:00", hours: int = 24):  # type: ignore[no-untyped-def]
    """The same series as a telemetry table (what ``greendc kpi`` reads offline)."""
    import pandas as pd

    idx = pd.date_range(start, periods=hours, freq="h", tz="UTC", name="timestamp")
    rows = [hand_values(h) for h in range(hours)]
    return pd.DataFrame(
        {
            "it_mw": [r["it"] for r in rows],
            "facility_mw": [r["feeder"] for r in rows],
            "pv_mw": [r["pv-a"] + r["pv-b"] for r in rows],
            "wind_mw": [r["wind"] for r in rows],
            "grid_import_mw": [r["grid"] for r in rows],
            "water_m3": [r["water"] for r in rows],
            "reserve_mw": [r["reserve"] for r in rows],
            "battery_soc_mwh": [r["soc"] for r in rows],
        },
        index=idx,
    )


def make_site(admin: httpx.Client, prefix: str, timezone: str = "UTC") -> None:
    """Create site ``prefix`` and the meters ``<prefix>-<suffix>`` of :data:`HAND_METERS`."""
    r = admin.post("/api/v1/sites", json={"name": prefix, "timezone": timezone})
    assert r.status_code == 201, r.text
    for suffix, (column, high) in HAND_METERS.items():
        body = {"name": f"{prefix}-{suffix}", "site": prefix, "column": column, "max_value": high}
        r = admin.post("/api/v1/meters", json=body)
        assert r.status_code == 201, r.text
