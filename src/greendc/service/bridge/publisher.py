"""An MQTT client that publishes at QoS 1 and waits for the broker's PUBACK: what ``greendc replay --mqtt``
sends with, and what a field gateway does.

A message that has no PUBACK when the connection drops is kept by the client (paho) and sent again after it
reconnects, so that :meth:`Publisher.publish` returns only once the broker has taken the message.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from greendc.errors import ServiceError

__all__ = ["Broker", "Publisher", "parse_broker"]


@dataclass(frozen=True)
class Broker:
    """Where the broker listens, and who we are to it."""

    host: str
    port: int
    username: str | None = None
    password: str | None = None

    def connect(self, client: Any, keepalive_s: int) -> None:
        """Connect paho ``client`` (credentials first, when the URL has them)."""
        if self.username is not None:
            client.username_pw_set(self.username, self.password)
        try:
            client.connect(self.host, self.port, keepalive=keepalive_s)
        except OSError as exc:
            raise ServiceError(f"MQTT broker {self.host}:{self.port} cannot be reached ({exc})") from None


def parse_broker(url: str) -> Broker:
    """The broker of ``mqtt://[user[:password]@]host[:port]`` (port 1883 by default).

    >>> parse_broker("mqtt://127.0.0.1:18830")
    Broker(host='127.0.0.1', port=18830, username=None, password=None)

    Raises
    ------
    ServiceError
        Another scheme (TLS, ``mqtts://``, is not supported) or no host.
    """
    parts = urlsplit(url)
    try:
        port = parts.port or 1883
    except ValueError:
        raise ServiceError(f"MQTT broker URL {url!r}: the port is not a number between 0 and 65535") from None
    if parts.scheme != "mqtt" or not parts.hostname:
        raise ServiceError(f"MQTT broker URL {url!r}: write mqtt://host:port (mqtt://127.0.0.1:1883)")
    user = unquote(parts.username) if parts.username is not None else None
    password = unquote(parts.password) if parts.password is not None else None
    return Broker(parts.hostname, port, user, password)


class Publisher:
    """A connected MQTT client that publishes at QoS 1.

    Parameters
    ----------
    broker : str
        ``mqtt://host:port``.
    client_id : str
        MQTT client id.
    will : (str, bytes), optional
        Topic and payload the broker publishes if this client vanishes without disconnecting (a Sparkplug
        NDEATH).
    timeout_s : float
        Longest wait for a connection or a PUBACK [s].
    """

    def __init__(
        self, broker: str, client_id: str, will: tuple[str, bytes] | None = None, timeout_s: float = 60.0
    ) -> None:
        import paho.mqtt.client as mqtt

        self.timeout_s = timeout_s
        self._acked: set[int] = set()
        self._connected = False
        self._done = threading.Condition()
        self._client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv311)
        self._client.on_connect = self._on_connect
        self._client.on_disconnect = self._on_disconnect
        self._client.on_publish = self._on_publish
        self._client.reconnect_delay_set(0.1, 2.0)
        if will is not None:
            self._client.will_set(will[0], will[1], qos=1)
        parse_broker(broker).connect(self._client, keepalive_s=30)
        self._client.loop_start()
        self._wait(lambda: self._connected, f"no connection to the MQTT broker {broker}")

    def _on_connect(self, _c: Any, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        with self._done:
            self._connected = not reason.is_failure
            self._done.notify_all()

    def _on_disconnect(self, _c: Any, _u: Any, _f: Any, _r: Any, _p: Any) -> None:
        with self._done:
            self._connected = False

    def _on_publish(self, _c: Any, _u: Any, mid: int, _r: Any, _p: Any) -> None:
        with self._done:
            self._acked.add(mid)
            self._done.notify_all()

    def _wait(self, ready: Any, what: str) -> None:
        deadline = time.monotonic() + self.timeout_s
        with self._done:
            while not ready():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise ServiceError(f"{what} within {self.timeout_s:g} s")
                self._done.wait(min(left, 0.5))

    def publish(self, topic: str, payload: bytes) -> None:
        """Publish at QoS 1; return when the broker has acknowledged (PUBACK).

        Raises
        ------
        ServiceError
            No PUBACK within ``timeout_s`` (the broker down that long).
        """
        mid = self._client.publish(topic, payload, qos=1).mid
        self._wait(lambda: mid in self._acked, f"no PUBACK from the MQTT broker for a message to {topic}")
        with self._done:
            self._acked.discard(mid)

    def close(self) -> None:
        """Disconnect cleanly (the broker then drops the will)."""
        self._client.disconnect()
        self._client.loop_stop()

    def __enter__(self) -> Publisher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
