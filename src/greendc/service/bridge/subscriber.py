"""The bridge process: subscribe at QoS 1 in a persistent session, store each message, then acknowledge it.

The paho network thread only queues the messages it receives; one worker (the caller of :meth:`Bridge.run`)
handles them in order of arrival and sends each PUBACK after the database commit, so that a message is
acknowledged only once what it carries is stored (or dead-lettered). Messages of a connection that has
dropped are not acknowledged nor handled: the broker sends them again on the next connection.
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from greendc.errors import IngestError
from greendc.service.bridge.messages import DEFAULT_METER_NAME, JSON_TOPIC, AliasBook, Translator
from greendc.service.bridge.publisher import parse_broker
from greendc.service.bridge.sparkplug import NAMESPACE
from greendc.service.bridge.store import DeadLetters, birth_metrics, store
from greendc.service.db import make_engine, migrate
from greendc.service.ingest import MeterCache, TimeBounds
from greendc.service.settings import Settings

__all__ = ["BACKOFF_S", "MAX_BACKOFF_S", "Bridge", "BridgeConfig", "Counts"]

log = logging.getLogger("greendc.bridge")

#: First wait before storing again after a database error, and the longest wait (doubled each time) [s].
BACKOFF_S, MAX_BACKOFF_S = 0.5, 30.0
#: Transient database errors: the message is kept (not acknowledged) and stored again after a wait.
_TRANSIENT = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.DisconnectionError)


@dataclass(frozen=True)
class BridgeConfig:
    """What the bridge needs.

    Attributes
    ----------
    broker : str
        ``mqtt://host:port``.
    db_url : str
        Database URL of the service.
    group : str or None
        Sparkplug group to read (None: every group).
    client_id : str
        MQTT client id; the broker keeps the session (and queues messages) under it while the bridge is away.
    meter_name : str
        Meter of a Sparkplug metric (:data:`~greendc.service.bridge.messages.DEFAULT_METER_NAME`).
    dead_letters : Path
        JSON-lines file of refused messages.
    json_topics : bool
        Read the plain JSON topics ``greendc/<site>/readings`` too.
    max_future_s : float or None
        Readings stamped more than this ahead of the clock are refused [s] (None: the service's setting,
        ``GREENDC_MAX_FUTURE_S`` or 300; ``math.inf`` for a replayed simulation of a future year).
    keepalive_s : int
        MQTT keep-alive [s].
    """

    broker: str
    db_url: str
    group: str | None = None
    client_id: str = "greendc-bridge"
    meter_name: str = DEFAULT_METER_NAME
    dead_letters: Path = Path("greendc-dead-letters.jsonl")
    json_topics: bool = True
    max_future_s: float | None = None
    keepalive_s: int = 30

    @property
    def topics(self) -> list[str]:
        """Topic filters subscribed to."""
        sparkplug = f"{NAMESPACE}/{self.group or '+'}/#"
        return [sparkplug, JSON_TOPIC] if self.json_topics else [sparkplug]


@dataclass
class Counts:
    """What the bridge did since it started."""

    messages: int = 0
    inserted: int = 0
    duplicates: int = 0
    events: int = 0
    dead: int = 0
    retries: int = 0


class Bridge:
    """MQTT → database (module docstring).

    Parameters
    ----------
    config : BridgeConfig
        Broker, database and mapping.
    """

    def __init__(self, config: BridgeConfig) -> None:
        self.config = config
        settings = Settings.from_env(db_url=config.db_url, max_future_s=config.max_future_s)
        self.bounds = TimeBounds(max_future_s=settings.max_future_s)
        self.engine = make_engine(settings.db_url)
        migrate(self.engine)
        self.cache = MeterCache()
        book = AliasBook(lambda source: birth_metrics(self.engine, source))
        self.translator = Translator(book, config.meter_name, settings.max_batch_readings)
        self.dead = DeadLetters(config.dead_letters)
        self.counts = Counts()
        self.subscribed = threading.Event()
        self._queue: queue.Queue[tuple[int, Any]] = queue.Queue()
        self._session = 0  # the connection a message came on; a message of an older one is not acknowledged
        self._lock = threading.Lock()
        self._client: Any = None

    def _on_connect(self, client: Any, _u: Any, flags: Any, reason: Any, _p: Any) -> None:
        if reason.is_failure:
            log.warning("broker refused the connection: %s", reason)
            return
        with self._lock:
            self._session += 1
        log.info("connected to %s (session present: %s)", self.config.broker, flags.session_present)
        client.subscribe([(topic, 1) for topic in self.config.topics])

    def _on_subscribe(self, _c: Any, _u: Any, _mid: int, reasons: Any, _p: Any) -> None:
        if any(r.is_failure for r in reasons):
            log.error("broker refused the subscription to %s: %s", self.config.topics, reasons)
            return
        log.info("subscribed to %s at QoS 1", ", ".join(self.config.topics))
        self.subscribed.set()

    def _on_disconnect(self, _c: Any, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        log.warning("disconnected from %s (%s); reconnecting", self.config.broker, reason)

    def _on_message(self, _c: Any, _u: Any, message: Any) -> None:
        self._queue.put((self._session, message))

    def run(self, stop: threading.Event) -> Counts:
        """Bridge until ``stop`` is set; return what was done.

        Raises
        ------
        ServiceError
            The broker cannot be reached at start.
        """
        import paho.mqtt.client as mqtt

        client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=self.config.client_id,
            clean_session=False,
            protocol=mqtt.MQTTv311,
        )
        client.manual_ack_set(True)
        client.on_connect = self._on_connect
        client.on_subscribe = self._on_subscribe
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        client.reconnect_delay_set(0.1, 5.0)
        self._client = client
        try:
            parse_broker(self.config.broker).connect(client, self.config.keepalive_s)
            client.loop_start()
            while not stop.is_set():
                try:
                    session, message = self._queue.get(timeout=0.2)
                except queue.Empty:
                    continue
                if session == self._session:
                    self._handle(session, message, stop)
        finally:
            client.disconnect()
            client.loop_stop()
            self.engine.dispose()
        c = self.counts
        log.info(
            "stopped: %d messages, %d readings stored, %d already stored, %d events, %d dead letters, %d retries",
            c.messages, c.inserted, c.duplicates, c.events, c.dead, c.retries,
        )  # fmt: skip
        return c

    def _handle(self, session: int, message: Any, stop: threading.Event) -> None:
        """Store one message, retrying while the database is down, then acknowledge it."""
        wait = BACKOFF_S
        while True:
            now = dt.datetime.now(dt.UTC)
            try:
                work = self.translator.translate(message.topic, message.payload, now)
                if work is not None:
                    result, events = store(self.engine, work, self.cache, self.bounds)
                    self.counts.inserted += result.inserted
                    self.counts.duplicates += result.duplicates
                    self.counts.events += events
                break
            except IngestError as exc:
                log.warning("refused %s (HTTP %d): %s; kept in %s", message.topic, exc.status, exc, self.dead.path)
                self.dead.add(message.topic, message.payload, exc, now)
                self.counts.dead += 1
                break
            except _TRANSIENT as exc:
                if stop.is_set() or session != self._session:
                    return  # not acknowledged: the broker sends it again
                cause = getattr(exc, "orig", None) or exc
                log.warning("database unavailable (%s); storing %s again in %g s", cause, message.topic, wait)
                self.counts.retries += 1
                stop.wait(wait)
                wait = min(2 * wait, MAX_BACKOFF_S)
        with self._lock:
            if session == self._session:
                self._client.ack(message.mid, message.qos)
        self.counts.messages += 1
