"""The MQTT bridge against a real Mosquitto broker and a real bridge process, on SQLite and on PostgreSQL.

* Sparkplug B payloads decode to the hand-made values, aliases resolved from the BIRTH (also after a restart);
* readings published on the JSON topic are stored, a message delivered again stores nothing twice, a refused
  one goes to the dead letters without blocking the next;
* the bridge killed (SIGKILL) in the middle of a load, or the broker restarted, then brought back: every
  reading the broker acknowledged to the publisher is stored, once;
* a Sparkplug death certificate makes the meters of its node silent (:func:`greendc.service.queries.alarms`);
* ``greendc replay --mqtt`` goes through the broker into the database.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from greendc.cli import app
from greendc.errors import IngestError
from greendc.service.bridge import Publisher
from greendc.service.bridge import sparkplug_b_pb2 as pb
from greendc.service.bridge.messages import AliasBook, Translator
from greendc.service.bridge.sparkplug import DOUBLE, Metric, SparkplugPayload, Topic, decode, encode, to_ms
from greendc.service.queries import alarms, latest_events, latest_readings, site_meters, site_row
from greendc.service.settings import Settings
from tests.service.bridge_support import BridgeProcess, Mosquitto, add_meters, stored, wait_stored

T0 = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
US = 1_000_000
#: Sparkplug data types of the hand-made payloads.
INT8, INT64, UINT32, FLOAT, BOOLEAN = 1, 4, 7, 9, 11


def _ms(minutes: float) -> int:
    return to_ms(T0 + dt.timedelta(minutes=minutes))


@pytest.fixture
def broker(tmp_path: Path):  # type: ignore[no-untyped-def]
    mosquitto = Mosquitto(tmp_path).start()
    yield mosquitto
    mosquitto.stop()


def test_sparkplug_payloads_decode_with_aliases_and_timestamps():
    birth = SparkplugPayload(
        _ms(0),
        0,
        (
            Metric("bdSeq", None, None, 8, 3),
            Metric("pv-1", 1, None, DOUBLE, 12.5),  # time of the payload
            Metric("temp", 2, _ms(-1), INT8, -7),  # its own time; negative, two's complement
            Metric("count", 3, None, UINT32, None),  # declared without value
            Metric("Node Control/Rebirth", 4, None, BOOLEAN, None),
        ),
    )
    # a DATA message by alias, without data types, as a gateway writes it: Int8 -2 in two's complement of
    # the 32-bit field, then a UInt32
    message = pb.Payload(timestamp=_ms(5), seq=1)
    message.metrics.add(alias=2, timestamp=_ms(4), int_value=2**32 - 2)
    message.metrics.add(alias=3, int_value=4_000_000_000)
    data = message.SerializeToString()
    raw = decode(data)
    # without the BIRTH's data type the integer reads unsigned: 2^32 - 2
    assert raw.metrics[0].value() == 4_294_967_294.0 and raw.metrics[0].value(INT8) == -2.0
    book = AliasBook(lambda source: [])
    tr = Translator(book, "{node}.{metric}")
    node = Topic("plant", "NBIRTH", "gw")
    work = tr.translate(node.text(), encode(birth), T0)
    got = [(r.meter, r.ts, r.value) for r in work.readings]
    assert got == [("gw.pv-1", T0, 12.5), ("gw.temp", T0 - dt.timedelta(minutes=1), -7.0)]
    assert [(e.meter, e.kind, e.source) for e in work.births] == [
        ("gw.pv-1", "birth", "spBv1.0/plant/gw"), ("gw.temp", "birth", "spBv1.0/plant/gw"),
        ("gw.count", "birth", "spBv1.0/plant/gw"),
    ]  # fmt: skip
    assert json.loads(work.births[1].detail) == {"metric": "temp", "alias": 2, "datatype": INT8}
    work = tr.translate(Topic("plant", "NDATA", "gw").text(), data, T0)
    assert [(r.meter, r.ts, r.value) for r in work.readings] == [
        ("gw.temp", T0 + dt.timedelta(minutes=4), -2.0), ("gw.count", T0 + dt.timedelta(minutes=5), 4e9),
    ]  # fmt: skip
    # a bridge that did not see the BIRTH asks the database (the stored birth events) once
    asked: list[str] = []
    later = Translator(AliasBook(lambda s: asked.append(s) or [("temp", 2, INT8), ("count", 3, UINT32)]))
    assert [r.value for r in later.translate(Topic("plant", "NDATA", "gw").text(), data, T0).readings] == [
        -2.0, 4e9,
    ]  # fmt: skip
    assert asked == ["spBv1.0/plant/gw"]
    # an alias no BIRTH declared is refused (dead letter), naming it
    unknown = encode(SparkplugPayload(_ms(6), 2, (Metric(None, 9, None, None, 1.0),)))
    with pytest.raises(IngestError, match=r"alias 9, which no BIRTH of spBv1\.0/plant/gw declared"):
        tr.translate(Topic("plant", "NDATA", "gw").text(), unknown, T0)
    # death certificate: no timestamp, so the time of arrival; its bdSeq in the detail
    death = tr.translate("spBv1.0/plant/NDEATH/gw", encode(SparkplugPayload(None, None, birth.metrics[:1])), T0)
    assert death.death is not None and death.death.at == T0 and json.loads(death.death.detail)["bdSeq"] == 3
    assert tr.translate("spBv1.0/STATE/host", b"ONLINE", T0) is None
    with pytest.raises(IngestError, match="not a Sparkplug B protobuf"):
        tr.translate(node.text(), b"\xff\xff", T0)


def _json(meter: str, minutes: list[int], value=lambda m: m / 10) -> bytes:  # type: ignore[no-untyped-def]
    ts = [(T0 + dt.timedelta(minutes=m)).isoformat() for m in minutes]
    return json.dumps(
        {"readings": [{"meter": meter, "ts": t, "value": value(m)} for t, m in zip(ts, minutes, strict=True)]}
    ).encode()


def test_json_readings_are_stored_once_and_refusals_do_not_block(database, broker, tmp_path):
    add_meters(database.engine, "js", ["js-1"], high=100.0)
    bridge = BridgeProcess(broker, database.url, tmp_path).start()
    try:
        with Publisher(broker.url, "gw-js") as pub:
            pub.publish("greendc/js/readings", _json("js-1", [0, 1, 2]))
            wait_stored(database.engine, ["js-1"], 3, bridge.log)
            pub.publish("greendc/js/readings", _json("js-1", [0, 1, 2]))  # delivered again
            pub.publish("greendc/js/readings", _json("nope", [0]))  # unknown meter: refused
            pub.publish("greendc/js/readings", _json("js-1", [3], value=lambda m: 500.0))  # out of range
            pub.publish("greendc/js/readings", _json("js-1", [3, 4]))
            wait_stored(database.engine, ["js-1"], 5, bridge.log)
    finally:
        bridge.stop()
    us0 = T0.timestamp() * US
    assert stored(database.engine, ["js-1"]) == {("js-1", us0 + m * 60 * US): m / 10 for m in range(5)}
    dead = [json.loads(line) for line in bridge.dead_letters.read_text().splitlines()]
    assert [(d["topic"], d["status"]) for d in dead] == [("greendc/js/readings", 422)] * 2
    assert "unknown meter(s) 'nope'" in dead[0]["error"] and "outside its physical range" in dead[1]["error"]
    # the summary line: 5 messages; 5 readings stored, 3 already there (the message delivered again), 2 refused
    assert "5 messages, 5 readings stored, 3 already stored, 0 events, 2 dead letters" in bridge.log.read_text()


class _Load:
    """A publisher thread: ``messages`` messages of ``per`` readings of meters ``names``, counting the readings
    whose message the broker acknowledged."""

    def __init__(self, broker: Mosquitto, names: list[str], messages: int, per: int, sparkplug: bool) -> None:
        self.broker, self.names, self.messages, self.per, self.sparkplug = broker, names, messages, per, sparkplug
        self.acked: dict[tuple[str, int], float] = {}
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        node = "load"
        try:
            with Publisher(self.broker.url, f"gw-{self.broker.port}", timeout_s=30.0) as pub:
                if self.sparkplug:
                    declared = tuple(Metric(n, k + 1, None, DOUBLE, None) for k, n in enumerate(self.names))
                    pub.publish(Topic("plant", "NBIRTH", node).text(), encode(SparkplugPayload(_ms(0), 0, declared)))
                for i in range(self.messages):
                    minute = i * self.per
                    batch = [
                        (k, n, minute + j, float((k * 7 + minute + j) % 997))
                        for j in range(self.per)
                        for k, n in enumerate(self.names)
                    ]
                    if self.sparkplug:
                        metrics = tuple(Metric(None, k + 1, _ms(m), None, v) for k, _, m, v in batch)
                        topic, body = Topic("plant", "NDATA", node).text(), encode(SparkplugPayload(None, i, metrics))
                    else:
                        ts = [(T0 + dt.timedelta(minutes=m)).isoformat() for _, _, m, _ in batch]
                        rows = [{"meter": n, "ts": t, "value": v} for (_, n, _, v), t in zip(batch, ts, strict=True)]
                        topic, body = "greendc/load/readings", json.dumps({"readings": rows}).encode()
                    pub.publish(topic, body)
                    self.acked.update({(n, int((T0.timestamp() + 60 * m) * US)): v for _, n, m, v in batch})
        except BaseException as exc:  # reported by the test
            self.error = exc


@pytest.mark.parametrize("crash", ["bridge", "broker"])
def test_every_acknowledged_reading_is_stored_once_across_a_crash(database, broker, tmp_path, crash):
    """SIGKILL of the bridge (Sparkplug NDATA by alias, so that the restarted bridge reads the aliases back from
    the database), or a restart of the broker (JSON), in the middle of 300 messages."""
    names = [f"{crash}-{k}" for k in range(3)]
    add_meters(database.engine, crash, names)
    bridge = BridgeProcess(broker, database.url, tmp_path).start()
    load = _Load(broker, names, messages=300, per=2, sparkplug=crash == "bridge")
    load.thread.start()
    try:
        wait_stored(database.engine, names, 300, bridge.log)  # 50 messages in
        assert load.thread.is_alive()  # the crash comes in the middle of the load
        if crash == "bridge":
            bridge.kill()
            bridge.start()
        else:
            broker.stop()
            broker.start()
        load.thread.join(timeout=60)
        assert load.error is None and not load.thread.is_alive()
        wait_stored(database.engine, names, len(load.acked), bridge.log)
    finally:
        bridge.stop()
    assert len(load.acked) == 300 * 2 * 3
    assert stored(database.engine, names) == load.acked


def test_a_death_certificate_makes_the_meters_of_its_node_silent(database, broker, tmp_path):
    names = ["node-pv", "node-dev-fan"]
    add_meters(database.engine, "deaths", names)
    bridge = BridgeProcess(broker, database.url, tmp_path, "--meter-name", "node-{metric}").start()
    try:
        with Publisher(broker.url, "gw-deaths") as pub:
            pub.publish(
                "spBv1.0/plant/NBIRTH/gw", encode(SparkplugPayload(_ms(0), 0, (Metric("pv", 1, None, DOUBLE, 5.0),)))
            )
            pub.publish(
                "spBv1.0/plant/DBIRTH/gw/dev",
                encode(SparkplugPayload(_ms(0), 1, (Metric("dev-fan", 1, None, DOUBLE, 1.0),))),
            )
            pub.publish(
                "spBv1.0/plant/NDATA/gw", encode(SparkplugPayload(_ms(10), 2, (Metric(None, 1, None, None, 6.0),)))
            )
            wait_stored(database.engine, names, 3, bridge.log)
            # the same death twice (a redelivery) is one event per meter; 20 min after the newest reading
            for _ in range(2):
                pub.publish("spBv1.0/plant/NDEATH/gw", encode(SparkplugPayload(_ms(30), None, ())))
    finally:
        bridge.stop()
    assert "3 readings stored, 0 already stored, 4 events, 0 dead letters" in bridge.log.read_text()
    settings = Settings(db_url=database.url, meter_silent_after_s=3600.0)  # reading times alone: not silent
    with database.engine.connect() as conn:
        rows = site_meters(conn, int(site_row(conn, "deaths")["id"]))
        events = latest_events(conn, rows)
        latest = latest_readings(conn, rows)
    found = alarms(rows, latest, settings, events)
    death = (T0 + dt.timedelta(minutes=30)).isoformat()
    assert {m: (e[0].isoformat(), e[1]) for m, e in events.items()} == {int(r["id"]): (death, "death") for r in rows}
    silent = {a["meter"]: a["message"] for a in found if a["kind"] == "meter_silent"}
    assert set(silent) == set(names)
    assert silent["node-pv"].startswith(f"the gateway sent a death certificate at {death}")
    assert alarms(rows, latest, settings) == []  # without the events: no alarm from the reading times


def _simulation(folder: Path) -> pd.DataFrame:
    """A telemetry CSV of 6 hourly steps: IT 10 MW + h, facility 12 MW + h."""
    idx = pd.date_range("2031-06-01", periods=6, freq="h", tz="UTC", name="timestamp")
    frame = pd.DataFrame({"it_mw": [10.0 + h for h in range(6)], "facility_mw": [12.0 + h for h in range(6)]}, idx)
    folder.mkdir()
    frame.to_csv(folder / "telemetry.csv")
    return frame


@pytest.mark.parametrize("how", ["sparkplug", "json"])
def test_replay_over_mqtt_reaches_the_database(database, broker, tmp_path, how):
    frame = _simulation(tmp_path / "sim")
    names = [f"{how}.it_mw", f"{how}.facility_mw"]
    add_meters(database.engine, how, names)
    bridge = BridgeProcess(broker, database.url, tmp_path, "--max-future-s", "inf").start()
    try:
        args = ["replay", "--simulation", str(tmp_path / "sim" / "telemetry.csv"), "--mqtt", broker.url]
        out = CliRunner().invoke(app, [*args, "--mqtt-format", how, "--site", how, "--speed", "inf", "--batch", "4"])
        assert out.exit_code == 0, out.output
        assert f"6 steps, 12 readings in 3 {how} messages acknowledged by the broker" in out.stdout
        wait_stored(database.engine, names, 12, bridge.log)
    finally:
        bridge.stop()
    want = {
        (f"{how}.{col}", int(ts.timestamp()) * US): float(frame.loc[ts, col]) for ts in frame.index for col in frame
    }
    assert stored(database.engine, names) == want
