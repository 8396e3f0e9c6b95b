"""What an MQTT message asks of the database: readings to store, BIRTH events, a death certificate.

:class:`Translator` reads a message (topic and payload) without touching the database except to look up the
aliases of an edge node that the bridge has not heard being born since it started (:class:`AliasBook`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from greendc.errors import IngestError, ServiceError
from greendc.service.bridge.sparkplug import Topic, decode, from_ms, parse_topic
from greendc.service.ingest import Reading, parse_batch

__all__ = [
    "DEFAULT_METER_NAME",
    "JSON_TOPIC",
    "AliasBook",
    "Death",
    "Event",
    "Translator",
    "Work",
    "check_meter_name",
]

#: Topic filter of the plain JSON readings: ``greendc/<site>/readings``, body as ``POST /api/v1/readings``.
JSON_TOPIC = "greendc/+/readings"
_JSON_TOPIC = re.compile(r"greendc/[^/]+/readings")
#: Meter of a Sparkplug metric: a template of ``{group}``, ``{node}``, ``{device}`` (``""`` for node metrics)
#: and ``{metric}``; by default the metric name is the meter name.
DEFAULT_METER_NAME = "{metric}"
#: Metrics of Sparkplug itself, never meter readings: the birth-death sequence number and the controls.
_RESERVED = re.compile(r"bdSeq|(Node Control|Device Control|Properties)/.*")


def check_meter_name(template: str) -> str:
    """``template`` when it is a valid meter name template (:data:`DEFAULT_METER_NAME`).

    Raises
    ------
    ServiceError
        A field other than ``{group}``, ``{node}``, ``{device}``, ``{metric}``, or no ``{metric}``.
    """
    try:
        probe = template.format(group="\0g", node="\0n", device="\0d", metric="\0m")
    except (KeyError, IndexError, ValueError) as exc:
        raise ServiceError(
            f"meter name template {template!r}: {exc!r}; use the fields {{group}}, {{node}}, {{device}}, {{metric}}"
        ) from None
    if "\0m" not in probe:
        raise ServiceError(f"meter name template {template!r} has no {{metric}}: every metric would be one meter")
    return template


@dataclass(frozen=True)
class Event:
    """A row of ``meter_events``: meter name, time (UTC), kind (``birth`` or ``death``), source, detail."""

    meter: str
    at: dt.datetime
    kind: str
    source: str
    detail: str


@dataclass(frozen=True)
class Death:
    """A death certificate of ``source`` at ``at``: its meters are those born of it (and, for an edge node,
    of its devices)."""

    source: str
    at: dt.datetime
    devices: bool
    detail: str


@dataclass(frozen=True)
class Work:
    """What one message asks: readings to store, birth events, a death certificate."""

    readings: list[Reading] = field(default_factory=list)
    births: list[Event] = field(default_factory=list)
    death: Death | None = None


@dataclass
class _Born:
    """The metrics of a source's newest BIRTH: alias → metric name, and metric name → data type."""

    names: dict[int, str] = field(default_factory=dict)
    types: dict[str, int | None] = field(default_factory=dict)


class AliasBook:
    """Metric aliases and data types of each source, as its newest BIRTH declared them.

    Parameters
    ----------
    load : callable
        ``load(source)`` → ``[(metric, alias or None, data type or None), …]`` of the source's BIRTHs stored in
        the database, oldest first; asked once per source not born since the bridge started, so that a bridge
        restarted between a BIRTH and the DATA messages that follow it still reads them.
    """

    def __init__(self, load: Callable[[str], list[tuple[str, int | None, int | None]]]) -> None:
        self._load = load
        self._born: dict[str, _Born] = {}

    def learn(self, source: str, metrics: list[tuple[str, int | None, int | None]]) -> None:
        """Take the metrics ``(name, alias, data type)`` of a BIRTH of ``source`` (they replace the earlier ones)."""
        born = _Born()
        for name, alias, datatype in metrics:
            if alias is not None:
                born.names[alias] = name
            born.types[name] = datatype
        self._born[source] = born

    def _of(self, source: str) -> _Born:
        if source not in self._born:
            self.learn(source, self._load(source))
        return self._born[source]

    def name(self, source: str, alias: int) -> str | None:
        """The metric name of ``alias`` in the newest BIRTH of ``source`` (None when unknown)."""
        return self._of(source).names.get(alias)

    def datatype(self, source: str, name: str) -> int | None:
        """The data type of metric ``name`` in the newest BIRTH of ``source`` (None when unknown)."""
        return self._of(source).types.get(name)


class Translator:
    """MQTT message → :class:`Work` (the package docstring says what each topic means).

    Parameters
    ----------
    book : AliasBook
        Aliases and data types of the sources.
    meter_name : str
        Meter of a metric (:data:`DEFAULT_METER_NAME`).
    max_readings : int
        Most readings of one JSON message (``max_batch_readings`` of the service) [-].
    """

    def __init__(self, book: AliasBook, meter_name: str = DEFAULT_METER_NAME, max_readings: int = 10_000) -> None:
        self.book = book
        self.meter_name = check_meter_name(meter_name)
        self.max_readings = max_readings

    def translate(self, topic: str, payload: bytes, now: dt.datetime) -> Work | None:
        """What the message asks, or None for a topic that carries no readings nor events (commands, STATE).

        ``now`` (UTC) is the time of a death certificate without timestamp.

        Raises
        ------
        IngestError
            A message that cannot be read: malformed JSON or protobuf, an alias that no BIRTH declared, a
            reading without time.
        """
        if _JSON_TOPIC.fullmatch(topic):
            return Work(readings=parse_batch(payload, self.max_readings))
        sp = parse_topic(topic)
        if sp is None or sp.kind in ("NCMD", "DCMD"):
            return None
        message = decode(payload)
        at = from_ms(message.timestamp_ms) if message.timestamp_ms is not None else now
        if sp.kind.endswith("DEATH"):
            seq = [m.number for m in message.metrics if m.name == "bdSeq" and m.number is not None]
            detail = json.dumps({"message": sp.kind, **({"bdSeq": int(seq[0])} if seq else {})})
            return Work(death=Death(sp.source, at, sp.kind == "NDEATH", detail))
        birth = sp.kind.endswith("BIRTH")
        if birth:
            self.book.learn(sp.source, [(m.name, m.alias, m.datatype) for m in message.metrics if m.name])
        work = Work()
        for n, m in enumerate(message.metrics):
            name = m.name if m.name is not None else self._alias(sp, m.alias, n)
            datatype = self.book.datatype(sp.source, name) if m.datatype is None else m.datatype
            if _RESERVED.fullmatch(name) or not m.is_number(datatype):
                continue
            meter = self.meter_name.format(group=sp.group, node=sp.node, device=sp.device, metric=name)
            if birth:
                detail = json.dumps({"metric": name, "alias": m.alias, "datatype": datatype})
                work.births.append(Event(meter, at, "birth", sp.source, detail))
            value = m.value(datatype)
            if value is None:
                continue
            ms = m.timestamp_ms if m.timestamp_ms is not None else message.timestamp_ms
            if ms is None:
                raise IngestError(f"{sp.text()}: metric {name!r} has no timestamp, nor has the payload")
            work.readings.append(Reading.model_construct(meter=meter, ts=from_ms(ms), value=value))
        return work

    def _alias(self, sp: Topic, alias: int | None, n: int) -> str:
        name = None if alias is None else self.book.name(sp.source, alias)
        if name is None:
            what = "no name nor alias" if alias is None else f"alias {alias}, which no BIRTH of {sp.source} declared"
            raise IngestError(f"{sp.text()}: metrics[{n}] has {what}; the edge node must send its BIRTH again")
        return name
