"""MQTT bridge of the monitoring service: field gateways publish to a broker, the bridge stores their readings.

``greendc bridge --broker mqtt://host:port --db <url>`` subscribes to a broker (Mosquitto …) and writes into
the service's database through :func:`greendc.service.ingest.ingest`, the validation and idempotent insert of
``POST /api/v1/readings``. Two kinds of topics:

* **Sparkplug B** ``spBv1.0/<group>/<NBIRTH|NDATA|NDEATH|DBIRTH|DDATA|DDEATH>/<edge node>[/<device>]``,
  protobuf payloads (:mod:`.sparkplug`). Each numeric metric is a reading of the meter named by the template
  ``meter_name`` (``{metric}`` by default: the metric name is the meter name; ``{device}.{metric}``,
  ``{node}.{metric}`` …), at the metric's timestamp or else the payload's. DATA messages may name a metric
  by the alias its BIRTH gave it. A BIRTH stores its values as readings and a ``birth`` event per meter
  (table ``meter_events``, with the metric's alias and data type, so that a restarted bridge still reads
  aliases); a death certificate (NDEATH, DDEATH) stores a ``death`` event for each meter born of that node
  (and its devices) or device, which :func:`greendc.service.queries.alarms` reports as a silent meter.
  Sparkplug's own metrics (``bdSeq``, ``Node Control/…``, ``Device Control/…``, ``Properties/…``) and
  metrics that are not numbers are not readings.
* **JSON** ``greendc/<site>/readings``, the body of ``POST /api/v1/readings``.

Delivery is at least once and storage exactly once: QoS 1 in a persistent session (a fixed client id, clean
session off: the broker keeps the messages while the bridge is away), and each message is acknowledged only
after its transaction has committed; a message delivered again stores nothing twice, as ingestion is
idempotent on ``(meter, ts)`` and events on ``(meter, at, kind, source)``. A message the service refuses
(unknown meter, value out of range: an HTTP 4xx of the API) is written to the dead-letter file (JSON lines)
and acknowledged, so that it does not block the queue; while the database is unreachable nothing is
acknowledged and the message is stored again after a backoff.
"""

from greendc.service.bridge.messages import DEFAULT_METER_NAME, JSON_TOPIC
from greendc.service.bridge.publisher import Publisher, parse_broker
from greendc.service.bridge.subscriber import Bridge, BridgeConfig

__all__ = ["DEFAULT_METER_NAME", "JSON_TOPIC", "Bridge", "BridgeConfig", "Publisher", "parse_broker"]
