"""Helpers of the bridge tests: a real Mosquitto broker and a real bridge process, both on loopback."""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from greendc.service.models import meters, readings, sites, to_epoch_us
from tests.service.support import ChildProcess, free_port

#: The broker, as Debian installs it (``/usr/sbin`` is not on every PATH).
MOSQUITTO = shutil.which("mosquitto") or next(
    (p for p in ("/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto") if os.access(p, os.X_OK)), None
)


def _wait_for(predicate, timeout_s: float, what: str, log: Path | None = None) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    tail = log.read_text(errors="replace")[-3000:] if log is not None and log.exists() else ""
    raise AssertionError(f"{what} within {timeout_s} s\n{tail}")


class Mosquitto(ChildProcess):
    """``mosquitto -c <config>`` on 127.0.0.1 with persistence in ``folder`` (restartable on the same port)."""

    def __init__(self, folder: Path) -> None:
        if MOSQUITTO is None:
            pytest.skip("mosquitto is not installed (apt-get install mosquitto; CI installs it)")
        self.folder = folder
        self.port = free_port()
        self.url = f"mqtt://127.0.0.1:{self.port}"
        self.log = folder / "mosquitto.log"
        self.config = folder / "mosquitto.conf"
        self.config.write_text(
            f"listener {self.port} 127.0.0.1\n"
            "allow_anonymous true\n"
            # as root mosquitto would switch to the user "mosquitto", who cannot write to this folder
            f"user {getpass.getuser()}\n"
            "persistence true\n"
            f"persistence_location {folder}/\n"
            "autosave_interval 1\n"
            "autosave_on_changes true\n"
            # keep every queued message of an absent persistent session (the default drops beyond 1000)
            "max_queued_messages 0\n"
        )
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Mosquitto:
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen([MOSQUITTO, "-c", str(self.config)], stdout=log, stderr=subprocess.STDOUT)

        def listening() -> bool:
            assert self.proc is not None and self.proc.poll() is None, self.log.read_text()[-2000:]
            with socket.socket() as s:
                return s.connect_ex(("127.0.0.1", self.port)) == 0

        _wait_for(listening, 10.0, "mosquitto did not listen", self.log)
        return self

    def stop(self, timeout_s: float = 10.0) -> None:
        """SIGTERM: mosquitto saves its persistence file and exits."""
        super().stop(timeout_s)


class BridgeProcess(ChildProcess):
    """``greendc bridge`` in a subprocess, logging to a file."""

    def __init__(self, broker: Mosquitto, db_url: str, folder: Path, *args: str) -> None:
        self.log = folder / "bridge.log"
        self.dead_letters = folder / "dead.jsonl"
        self.cmd = [
            sys.executable, "-m", "greendc.cli", "bridge", "--broker", broker.url, "--db", db_url,
            "--client-id", f"bridge-{folder.name}", "--dead-letters", str(self.dead_letters), *args,
        ]  # fmt: skip
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> BridgeProcess:
        starts = self.log.read_text().count("subscribed to") if self.log.exists() else 0
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(self.cmd, stdout=log, stderr=subprocess.STDOUT)

        def subscribed() -> bool:
            assert self.proc is not None and self.proc.poll() is None, self.log.read_text()[-3000:]
            return self.log.read_text().count("subscribed to") > starts

        _wait_for(subscribed, 30.0, "the bridge did not subscribe", self.log)
        return self


def add_meters(engine: sa.engine.Engine, site: str, names: list[str], high: float = 1000.0) -> None:
    """Site ``site`` with power meters ``names`` (``it_mw``, range [0, ``high``] MW), written as an admin would."""
    with engine.begin() as conn:
        site_id = conn.execute(sites.insert().values(name=site).returning(sites.c.id)).scalar_one()
        for name in names:
            conn.execute(
                meters.insert().values(
                    site_id=site_id, name=name, asset="it_hall", telemetry_column="it_mw", quantity="power",
                    unit="MW", min_value=0.0, max_value=high,
                )
            )  # fmt: skip


def stored(engine: sa.engine.Engine, names: list[str]) -> dict[tuple[str, int], float]:
    """``(meter, µs since the epoch)`` → value of the stored readings of ``names``."""
    query = (
        sa.select(meters.c.name, readings.c.ts, readings.c.value)
        .join(meters, meters.c.id == readings.c.meter_id)
        .where(meters.c.name.in_(names))
    )
    with engine.connect() as conn:
        return {(name, to_epoch_us(ts)): value for name, ts, value in conn.execute(query)}


def wait_stored(engine: sa.engine.Engine, names: list[str], count: int, log: Path, timeout_s: float = 30.0) -> None:
    """Wait until ``count`` readings of ``names`` are stored."""
    _wait_for(lambda: len(stored(engine, names)) >= count, timeout_s, f"fewer than {count} readings stored", log)
