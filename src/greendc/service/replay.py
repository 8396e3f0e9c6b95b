"""Replay a simulation into the service as meter readings, so that the whole chain runs without hardware.

``greendc simulate`` writes ``dispatch.parquet`` (columns of ``docs/nomenclature.md`` on a UTC index);
:func:`replay` sends each telemetry column to a meter named ``<site>.<column>`` (``dakhla.pv_mw``), one
time step after the other, at ``speed`` simulated seconds per wall-clock second, in batches through
``POST /api/v1/readings``. A batch that fails on the way (connection lost, 503) is sent again: ingestion is
idempotent, so a retry never stores a reading twice.

With ``mqtt`` (``mqtt://host:port``) the readings go through an MQTT broker instead, to be stored by
``greendc bridge`` (:mod:`greendc.service.bridge`): as Sparkplug B (an NBIRTH declaring the meters as metrics
``<site>.<column>`` with aliases, then NDATA messages of aliases and values, edge node ``<site>`` in group
``group``) or as JSON on ``greendc/<site>/readings``. Each message is published at QoS 1 and the replay
waits for the broker's acknowledgement; the API (with a token) then only checks or creates the meters.

With ``create_meters`` (an admin token), the site and its meters are created first. Their physical ranges
come from the design capacities in the simulation's ``summary.json`` when it has them (PV, wind, battery,
electrolyser, hydrogen store, fuel cell), otherwise from the series itself (1.5 × its largest value, at
least 1); the lower bound is ``-NEGATIVE_TOLERANCE`` of :mod:`greendc.kpi.telemetry` (round-off).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from greendc.errors import ServiceError
from greendc.kpi.telemetry import NEGATIVE_TOLERANCE, is_parquet, read_parquet_table, read_telemetry
from greendc.service.bridge.publisher import Publisher
from greendc.service.bridge.sparkplug import DOUBLE, Metric, SparkplugPayload, Topic, encode
from greendc.service.models import telemetry_column_error
from greendc.units import CAPACITY_OF_COLUMN, RENAMED_CAPACITIES, current_names

__all__ = ["MQTT_FORMATS", "ReplayResult", "meter_ranges", "read_simulation", "replay"]

#: Dispatch column → design capacity key bounding it (``summary.json`` of a simulation, under ``design``).
CAPACITY_OF: dict[str, str] = CAPACITY_OF_COLUMN
#: How readings travel over MQTT.
MQTT_FORMATS: tuple[str, ...] = ("sparkplug", "json")
#: Attempts per batch before giving up, and the first wait between them [s] (doubled each time).
RETRIES, BACKOFF_S = 8, 0.25


@dataclass(frozen=True)
class ReplayResult:
    """What a replay sent: time steps, readings, newly stored, already stored, batches, retries (over MQTT the
    broker acknowledges, not the service: stored and already stored are 0 and batches are messages)."""

    steps: int
    readings: int
    inserted: int
    duplicates: int
    batches: int
    retries: int


def read_simulation(directory: str | Path) -> tuple[pd.DataFrame, dict[str, float]]:
    """The telemetry columns of a simulation and the design capacities of its summary.

    ``directory`` is a folder written by ``greendc simulate`` (its ``dispatch.parquet`` and ``summary.json``),
    or one file: a ``dispatch.parquet``, or a telemetry CSV or Parquet file
    (:func:`greendc.kpi.telemetry.read_telemetry`; Parquet by suffix or by its ``PAR1`` magic bytes). The
    capacities come from ``summary.json`` in the folder, or beside a file named ``dispatch.*``.

    Raises
    ------
    ServiceError
        No ``dispatch.parquet``, an index that is not tz-aware, or no telemetry column.
    TelemetryError
        A file that is not readable telemetry (a damaged Parquet file, a CSV that is not telemetry).
    """
    given = Path(directory)
    path = given / "dispatch.parquet" if given.is_dir() or not (given.exists() or given.suffix) else given
    if not path.is_file():
        hint = f"run 'greendc simulate --out {directory}' first" if path != given else "give an existing file"
        raise ServiceError(f"--simulation: {path} not found; {hint}")
    if is_parquet(path):
        frame = read_parquet_table(path, str(path))
    else:
        frame = read_telemetry(path, allow_unknown=True)
    if not isinstance(frame.index, pd.DatetimeIndex) or frame.index.tz is None:
        raise ServiceError(f"{path}: the index must be tz-aware times (UTC), got {type(frame.index).__name__}")
    columns = [c for c in frame.columns if telemetry_column_error(str(c)) is None]
    if not columns:
        raise ServiceError(f"{path}: no telemetry column (docs/nomenclature.md) among {list(frame.columns)[:20]}")
    frame = frame[columns].astype(float).sort_index()
    frame.index = frame.index.tz_convert("UTC")
    capacities: dict[str, float] = {}
    summary = path.with_name("summary.json")
    if (path != given or path.stem == "dispatch") and summary.is_file():
        try:
            design = json.loads(summary.read_text(encoding="utf-8")).get("design") or {}
        except (json.JSONDecodeError, AttributeError):
            design = {}
        capacities = {
            k: float(v) for k, v in current_names(design, RENAMED_CAPACITIES).items() if isinstance(v, (int, float))
        }
    return frame, capacities


def meter_ranges(frame: pd.DataFrame, capacities: dict[str, float]) -> dict[str, tuple[float, float]]:
    """Physical range of each column's meter (module docstring) [the column's unit]."""
    out = {}
    for col in frame.columns:
        top = float(np.nanmax(frame[col].to_numpy())) if len(frame) else 0.0
        cap = capacities.get(CAPACITY_OF.get(col, ""))
        if cap is not None and cap >= top:
            high = cap * (1 + 1e-9) + NEGATIVE_TOLERANCE
        else:
            high = max(1.0, 1.5 * top)
        out[col] = (-NEGATIVE_TOLERANCE, high)
    return out


def _send(client: Any, method: str, path: str, body: Any, log: Callable[[str], None]) -> tuple[Any, int]:
    """Send with retries on lost connections and 5xx answers; return (answer, retries)."""
    import httpx

    wait, retries = BACKOFF_S, 0
    for attempt in range(RETRIES):
        try:
            response = client.request(method, path, json=body)
        except httpx.TransportError as exc:
            if attempt == RETRIES - 1:
                raise ServiceError(f"{method} {path}: the service cannot be reached ({exc})") from None
            log(f"{method} {path}: {exc}; retrying in {wait:g} s")
        else:
            if response.status_code < 500:
                return response, retries
            if attempt == RETRIES - 1:
                raise ServiceError(f"{method} {path}: HTTP {response.status_code}: {response.text[:500]}")
            log(f"{method} {path}: HTTP {response.status_code}; retrying in {wait:g} s")
        retries += 1
        time.sleep(wait)
        wait *= 2
    raise AssertionError("unreachable")


def _check(response: Any, what: str) -> Any:
    if response.status_code >= 400:
        try:
            detail = response.json().get("detail")
        except ValueError:
            detail = response.text[:500]
        raise ServiceError(f"{what}: HTTP {response.status_code}: {detail}")
    return response.json()


def _ensure_meters(client: Any, site: str, ranges: dict[str, tuple[float, float]], create: bool, log: Any) -> None:
    existing = {m["name"]: m for m in _check(_send(client, "GET", "/api/v1/meters", None, log)[0], "list meters")}
    wanted = {f"{site}.{col}": col for col in ranges}
    missing = [n for n in wanted if n not in existing]
    if not missing:
        return
    if not create:
        raise ServiceError(
            f"meters {missing[:8]}{' …' if len(missing) > 8 else ''} do not exist; create them (admin) or run "
            "replay with --create-meters and an admin token"
        )
    sites = {s["name"] for s in _check(_send(client, "GET", "/api/v1/sites", None, log)[0], "list sites")}
    if site not in sites:
        _check(_send(client, "POST", "/api/v1/sites", {"name": site}, log)[0], f"create site {site!r}")
    for name in missing:
        col = wanted[name]
        low, high = ranges[col]
        body = {"name": name, "site": site, "column": col, "min_value": low, "max_value": high}
        _check(_send(client, "POST", "/api/v1/meters", body, log)[0], f"create meter {name!r}")


class _HttpSender:
    """Batches through ``POST /api/v1/readings``."""

    def __init__(self, client: Any, log: Callable[[str], None]) -> None:
        self.client, self.log = client, log

    def __call__(self, pending: list[dict[str, Any]]) -> tuple[int, int, int]:
        response, retries = _send(self.client, "POST", "/api/v1/readings", {"readings": pending}, self.log)
        answer = _check(response, f"batch of {len(pending)} readings from {pending[0]['ts']}")
        return answer["inserted"], answer["duplicates"], retries

    def close(self) -> None:
        """Nothing to end."""


class _MqttSender:
    """Batches as Sparkplug B NDATA messages (after an NBIRTH) or JSON messages, at QoS 1 (module docstring)."""

    def __init__(self, broker: str, how: str, group: str, site: str, names: list[str], first: pd.Timestamp) -> None:
        if how not in MQTT_FORMATS:
            raise ServiceError(f"--mqtt-format {how!r}: one of {', '.join(MQTT_FORMATS)}")
        self.how, self.site, self.seq = how, site, 0
        self.alias = {name: n for n, name in enumerate(names, start=1)}
        self.data_topic = Topic(group, "NDATA", site).text()
        if how == "json":
            self.publisher = Publisher(broker, f"greendc-replay-{site}")
            return
        bdseq = Metric("bdSeq", None, None, 8, 0)  # UInt64; one session per replay
        death = Topic(group, "NDEATH", site).text(), encode(SparkplugPayload(None, None, (bdseq,)))
        self.publisher = Publisher(broker, f"greendc-replay-{site}", will=death)
        ms = int(first.value // 1_000_000)
        declared = tuple(Metric(name, alias, ms, DOUBLE, None) for name, alias in self.alias.items())
        birth = SparkplugPayload(ms, 0, (Metric("bdSeq", None, ms, 8, 0), *declared))
        self.publisher.publish(Topic(group, "NBIRTH", site).text(), encode(birth))

    def __call__(self, pending: list[dict[str, Any]]) -> tuple[int, int, int]:
        if self.how == "json":
            self.publisher.publish(f"greendc/{self.site}/readings", json.dumps({"readings": pending}).encode())
            return 0, 0, 0
        self.seq = (self.seq + 1) % 256
        metrics = tuple(
            Metric(None, self.alias[r["meter"]], int(pd.Timestamp(r["ts"]).value // 1_000_000), None, r["value"])
            for r in pending
        )
        self.publisher.publish(self.data_topic, encode(SparkplugPayload(metrics[0].timestamp_ms, self.seq, metrics)))
        return 0, 0, 0

    def close(self) -> None:
        self.publisher.close()


def replay(
    simulation: str | Path,
    url: str,
    token: str,
    speed: float,
    site: str = "simulation",
    create_meters: bool = False,
    batch_size: int = 1000,
    max_steps: int | None = None,
    log: Callable[[str], None] = lambda _: None,
    client: Any = None,
    progress: Callable[[int, int, int], None] | None = None,
    mqtt: str | None = None,
    mqtt_format: str = "sparkplug",
    group: str = "greendc",
) -> ReplayResult:
    """Stream a simulation's time series into the service (module docstring).

    Parameters
    ----------
    simulation : path
        Folder written by ``greendc simulate`` (``dispatch.parquet``, optional ``summary.json``).
    url : str
        Service base URL, e.g. ``http://127.0.0.1:8000``.
    token : str or None
        API token: operator (admin with ``create_meters``); over MQTT, None skips the check of the meters.
    speed : float
        Simulated seconds per wall-clock second [-]; ``math.inf`` sends as fast as the service takes them.
    site : str
        Site name; meters are ``<site>.<column>``.
    create_meters : bool
        Create the site and the missing meters first.
    batch_size : int
        Most readings per request [-].
    max_steps : int, optional
        Stop after this many time steps.
    log : callable
        Receives retry messages (and, without ``progress``, a line every 500 steps).
    client : httpx.Client, optional
        Client to use instead of a new one (tests).
    progress : callable, optional
        Called as ``progress(steps_done, steps_total, readings_sent)`` after every time step and every
        batch (a progress bar).
    mqtt : str, optional
        Broker URL ``mqtt://host:port``: publish there (module docstring) instead of ``POST /api/v1/readings``.
    mqtt_format : str
        ``sparkplug`` or ``json`` (:data:`MQTT_FORMATS`).
    group : str
        Sparkplug B group of the edge node ``<site>``.

    Raises
    ------
    ServiceError
        Missing files or meters, a refused batch (naming the answer), or the service unreachable.
    """
    import httpx

    if not speed > 0:
        raise ServiceError(f"--speed {speed}: must be > 0 (simulated seconds per wall-clock second)")
    if not 1 <= batch_size <= 100_000:
        raise ServiceError(f"--batch {batch_size}: between 1 and 100000 readings")
    frame, capacities = read_simulation(simulation)
    if max_steps is not None:
        frame = frame.iloc[:max_steps]
    if not token and (mqtt is None or create_meters):
        raise ServiceError("--token: an API token is needed (operator; admin with --create-meters)")
    own = client is None and bool(token)
    if own:
        client = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60.0)
    send: _HttpSender | _MqttSender | None = None
    try:
        if client is not None:
            _ensure_meters(client, site, meter_ranges(frame, capacities), create_meters, log)
        names = [f"{site}.{col}" for col in frame.columns]
        if mqtt is None:
            send = _HttpSender(client, log)
        else:
            send = _MqttSender(mqtt, mqtt_format, group, site, names, frame.index[0])
        values = frame.to_numpy(dtype=float)
        stamps = [t.isoformat() for t in frame.index]
        offsets_s = ((frame.index - frame.index[0]) / pd.Timedelta(seconds=1)).to_numpy()
        start = time.monotonic()
        pending: list[dict[str, Any]] = []
        totals = {"readings": 0, "inserted": 0, "duplicates": 0, "batches": 0, "retries": 0}

        def flush() -> None:
            if not pending:
                return
            inserted, duplicates, retries = send(pending)
            totals["readings"] += len(pending)
            totals["inserted"] += inserted
            totals["duplicates"] += duplicates
            totals["batches"] += 1
            totals["retries"] += retries
            pending.clear()
            if progress is not None:
                progress(done, len(stamps), totals["readings"])

        done = 0
        if progress is not None:
            progress(0, len(stamps), 0)

        for i, ts in enumerate(stamps):
            due = start + offsets_s[i] / speed
            if math.isfinite(due) and due > time.monotonic():
                flush()
                time.sleep(max(0.0, due - time.monotonic()))
            for name, value in zip(names, values[i], strict=True):
                if math.isfinite(value):
                    pending.append({"meter": name, "ts": ts, "value": float(value)})
            done = i + 1
            if len(pending) + len(names) > batch_size:
                flush()
            if progress is not None:
                progress(done, len(stamps), totals["readings"])
            elif done % 500 == 0:
                log(f"{done} of {len(stamps)} steps, {totals['readings']} readings sent")
        flush()
    finally:
        if send is not None:
            send.close()
        if own:
            client.close()
    return ReplayResult(steps=len(stamps), **totals)
