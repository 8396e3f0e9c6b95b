"""Sparkplug B topics and payloads: parse a topic, decode and encode a payload's metrics.

A Sparkplug B topic is ``spBv1.0/<group>/<message type>/<edge node>[/<device>]``; the payload is the
protobuf ``Payload`` of ``sparkplug_b.proto`` (beside this module; :mod:`.sparkplug_b_pb2` is generated from
it). Times are milliseconds since 1970-01-01T00:00Z. Integers travel as unsigned fields: the signed types
(Int8, Int16, Int32 in ``int_value``, Int64 in ``long_value``) are two's complement, so that the data type
(sent in the BIRTH message, often left out of DATA messages) is needed to read them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from google.protobuf.message import DecodeError

from greendc.errors import IngestError
from greendc.service.bridge import sparkplug_b_pb2 as pb
from greendc.service.models import from_epoch_us, to_epoch_us

__all__ = [
    "DATA_TYPES",
    "DOUBLE",
    "MESSAGE_TYPES",
    "NAMESPACE",
    "Metric",
    "SparkplugPayload",
    "Topic",
    "decode",
    "encode",
    "parse_topic",
    "signed",
]

#: First level of every Sparkplug B topic.
NAMESPACE = "spBv1.0"
#: Message types of edge nodes and devices (commands, NCMD and DCMD, go the other way and are not read).
MESSAGE_TYPES: tuple[str, ...] = ("NBIRTH", "NDATA", "NDEATH", "DBIRTH", "DDATA", "DDEATH", "NCMD", "DCMD")
#: Numeric Sparkplug data types → (protobuf field, bits of a signed integer or 0): the types a meter reads.
DATA_TYPES: dict[int, tuple[str, int]] = {
    1: ("int_value", 8),  # Int8
    2: ("int_value", 16),  # Int16
    3: ("int_value", 32),  # Int32
    4: ("long_value", 64),  # Int64
    5: ("int_value", 0),  # UInt8
    6: ("int_value", 0),  # UInt16
    7: ("int_value", 0),  # UInt32
    8: ("long_value", 0),  # UInt64
    9: ("float_value", 0),  # Float
    10: ("double_value", 0),  # Double
}
#: Data type of the metrics that ``greendc replay`` publishes.
DOUBLE = 10
_NUMBER_FIELDS = ("int_value", "long_value", "float_value", "double_value")


@dataclass(frozen=True)
class Topic:
    """A Sparkplug B topic: group, message type, edge node and device (``""`` for the node itself)."""

    group: str
    kind: str
    node: str
    device: str = ""

    @property
    def source(self) -> str:
        """``spBv1.0/<group>/<node>[/<device>]``: who speaks, whatever the message type."""
        base = f"{NAMESPACE}/{self.group}/{self.node}"
        return f"{base}/{self.device}" if self.device else base

    def text(self) -> str:
        """The topic as published.

        >>> Topic("plant", "DDATA", "gw-1", "pv-a").text()
        'spBv1.0/plant/DDATA/gw-1/pv-a'
        """
        return "/".join(p for p in (NAMESPACE, self.group, self.kind, self.node, self.device) if p)


def parse_topic(topic: str) -> Topic | None:
    """The Sparkplug B topic ``topic``, or None when it is not one an edge node publishes (``STATE`` …).

    >>> parse_topic("spBv1.0/plant/NDATA/gw-1")
    Topic(group='plant', kind='NDATA', node='gw-1', device='')
    >>> parse_topic("spBv1.0/STATE/host") is None
    True
    """
    parts = topic.split("/")
    if len(parts) not in (4, 5) or parts[0] != NAMESPACE or parts[2] not in MESSAGE_TYPES:
        return None
    device = parts[4] if len(parts) == 5 else ""
    if parts[2].startswith("D") != bool(device):
        return None  # a device message names its device, a node message none
    return Topic(parts[1], parts[2], parts[3], device)


@dataclass(frozen=True)
class Metric:
    """One metric of a payload: name (None when only the alias is sent), alias, time [ms since the epoch], data
    type, and number: the integer field as sent (unsigned; :func:`encode` also takes it signed) or the float,
    None for a null metric and for values that are not numbers (booleans, strings, bytes …)."""

    name: str | None
    alias: int | None
    timestamp_ms: int | None
    datatype: int | None
    number: int | float | None

    def is_number(self, datatype: int | None = None) -> bool:
        """Whether the metric is a number, its type given by the metric or else by ``datatype`` (its BIRTH)."""
        dtype = self.datatype if self.datatype is not None else datatype
        return dtype in DATA_TYPES if dtype is not None else self.number is not None

    def value(self, datatype: int | None = None) -> float | None:
        """The value, signed integers read with the metric's type or else with ``datatype`` (its BIRTH)."""
        dtype = self.datatype if self.datatype is not None else datatype
        if isinstance(self.number, int) and dtype is not None:
            return signed(self.number, dtype)
        return None if self.number is None else float(self.number)


def signed(raw: int, datatype: int) -> float:
    """An integer field read as ``datatype``: two's complement for the signed types.

    A negative Int8, Int16 or Int32 may come in the width of its type or of the 32-bit field (both are met):

    >>> signed(255, 1), signed(4_294_967_295, 1), signed(2**64 - 5, 4), signed(255, 5)
    (-1.0, -1.0, -5.0, 255.0)
    """
    bits = DATA_TYPES.get(datatype, ("", 0))[1]
    if bits and raw >= 1 << (bits - 1):
        width = bits if raw < 1 << bits else (32 if bits < 64 else 64)
        return float(raw - (1 << width))
    return float(raw)


@dataclass(frozen=True)
class SparkplugPayload:
    """A decoded payload: sending time [ms since the epoch], sequence number and metrics."""

    timestamp_ms: int | None
    seq: int | None
    metrics: tuple[Metric, ...]


def _metric(m: pb.Payload.Metric) -> Metric:
    field = m.WhichOneof("value")
    number = getattr(m, field) if field in _NUMBER_FIELDS and not m.is_null else None
    return Metric(
        name=m.name if m.HasField("name") else None,
        alias=m.alias if m.HasField("alias") else None,
        timestamp_ms=m.timestamp if m.HasField("timestamp") else None,
        datatype=m.datatype if m.HasField("datatype") else None,
        number=number,
    )


def decode(payload: bytes) -> SparkplugPayload:
    """The metrics of a Sparkplug B payload.

    Raises
    ------
    IngestError
        422 when ``payload`` is not a Sparkplug B protobuf message.
    """
    message = pb.Payload()
    try:
        message.ParseFromString(payload)
    except DecodeError as exc:
        raise IngestError(f"payload of {len(payload)} bytes is not a Sparkplug B protobuf message ({exc})") from None
    return SparkplugPayload(
        timestamp_ms=message.timestamp if message.HasField("timestamp") else None,
        seq=message.seq if message.HasField("seq") else None,
        metrics=tuple(_metric(m) for m in message.metrics),
    )


def to_ms(ts: dt.datetime) -> int:
    """Milliseconds since 1970-01-01T00:00Z of a tz-aware time (truncated to the millisecond) [ms]."""
    return to_epoch_us(ts) // 1000


def from_ms(ms: int) -> dt.datetime:
    """The UTC time ``ms`` milliseconds after 1970-01-01T00:00Z.

    >>> from_ms(1_893_456_000_500).isoformat()
    '2030-01-01T00:00:00.500000+00:00'
    """
    return from_epoch_us(ms * 1000)


def encode(payload: SparkplugPayload) -> bytes:
    """The protobuf bytes of ``payload`` (:func:`decode` reads them back).

    Integer metrics may be given signed: they are written in two's complement of their type's width. A metric
    whose ``number`` is None is sent as a null metric (as a BIRTH declares a metric without a value); one
    without ``datatype`` is sent without it (as DATA messages may).
    """
    message = pb.Payload()
    if payload.timestamp_ms is not None:
        message.timestamp = payload.timestamp_ms
    if payload.seq is not None:
        message.seq = payload.seq
    for metric in payload.metrics:
        m = message.metrics.add()
        for name in ("name", "alias", "datatype"):
            if getattr(metric, name) is not None:
                setattr(m, name, getattr(metric, name))
        if metric.timestamp_ms is not None:
            m.timestamp = metric.timestamp_ms
        if metric.number is None:
            m.is_null = True
            continue
        field, bits = DATA_TYPES[metric.datatype if metric.datatype is not None else DOUBLE]
        if field in ("int_value", "long_value"):
            width = bits or (32 if field == "int_value" else 64)
            setattr(m, field, int(metric.number) % (1 << width))
        else:
            setattr(m, field, metric.number)
    return message.SerializeToString()
