"""The service's pieces without a server: parsing, tokens, settings, schema, resampling into telemetry."""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
import pytest
import sqlalchemy as sa

from greendc.errors import EdgeError, IngestError, QueryError, ServiceError
from greendc.service.auth import hash_token, new_secret, role_allows
from greendc.service.db import make_engine, migrate, normalise_url, write_connection
from greendc.service.edge import parse_step, parse_time
from greendc.service.ingest import MeterCache, ingest, parse_batch, parse_csv
from greendc.service.models import from_epoch_us, meters, quantity_of, sites, telemetry_column_error, to_epoch_us
from greendc.service.queries import aggregate_of, telemetry_frame, window
from greendc.service.settings import Settings
from tests.service.support import ANY_FUTURE


def test_parse_batch_names_the_bad_reading():
    body = b'{"readings": [{"meter": "a", "ts": "2030-01-01T00:00:00Z", "value": 1.5},' \
           b' {"meter": "a", "ts": "2030-01-01T01:00:00", "value": 2}]}'  # fmt: skip
    with pytest.raises(IngestError, match=r"readings\[1\]\.ts: Input should have timezone info") as err:
        parse_batch(body, 10)
    assert err.value.status == 422
    ok = parse_batch(body.replace(b'01:00:00"', b'01:00:00+01:00"'), 10)
    assert ok[1].ts.astimezone(dt.UTC) == dt.datetime(2030, 1, 1, 0, 0, tzinfo=dt.UTC)
    with pytest.raises(IngestError, match="at most 1 per request") as err:
        parse_batch(body.replace(b'01:00:00"', b'01:00:00Z"'), 1)
    assert err.value.status == 413


def test_parse_csv_layouts_and_errors():
    long = parse_csv("meter,ts,value\npv,2030-01-01T00:00:00Z,1.5\n", 10)
    assert [(r.meter, r.value) for r in long] == [("pv", 1.5)]
    wide = parse_csv("# a comment\n\ntimestamp,pv,wind\n2030-01-01T00:00:00Z,1,\n2030-01-01T01:00:00Z,2,3\n", 10)
    assert [(r.meter, r.ts.hour, r.value) for r in wide] == [("pv", 0, 1.0), ("pv", 1, 2.0), ("wind", 1, 3.0)]
    with pytest.raises(IngestError, match="line 3, column 'wind': value 'nan' is not finite"):
        parse_csv("timestamp,pv,wind\n2030-01-01T00:00:00Z,1,2\n2030-01-01T01:00:00Z,1,nan\n", 10)
    with pytest.raises(IngestError, match="line 2: value 'abc' is not a number"):
        parse_csv("meter,ts,value\npv,2030-01-01T00:00:00Z,abc\n", 10)
    with pytest.raises(IngestError, match="neither"):
        parse_csv("a,b\n1,2\n", 10)
    with pytest.raises(IngestError) as err:
        parse_csv("timestamp,pv,wind\n2030-01-01T00:00:00Z,1,2\n", 1)
    assert err.value.status == 413


def test_tokens_are_sha256_of_a_256_bit_secret():
    # FIPS 180-2, appendix B.1: SHA-256("abc")
    assert hash_token("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    secret = new_secret()
    assert secret.startswith("gdc_") and len(secret) == 4 + 43  # 32 bytes in URL-safe base64, unpadded
    assert hash_token(secret) == hashlib.sha256(secret.encode()).hexdigest() and new_secret() != secret
    # the permission matrix: a gateway writes and reads nothing; only an admin manages
    granted = {
        r: {p for p in ("read", "write", "admin") if role_allows(r, p)}
        for r in ("viewer", "gateway", "operator", "admin")
    }
    assert granted == {
        "viewer": {"read"},
        "gateway": {"write"},
        "operator": {"read", "write"},
        "admin": {"read", "write", "admin"},
    }
    assert not role_allows("root", "read")


def test_settings_from_env_and_their_errors():
    s = Settings.from_env({"GREENDC_MAX_BATCH_READINGS": "500", "GREENDC_TARGET_PUE_MAX": "1.3"}, db_url=None)
    assert s.max_batch_readings == 500 and s.targets.pue_max == 1.3 and s.db_url == "sqlite:///greendc.db"
    with pytest.raises(ServiceError, match="max_batch_readings = 'many'"):
        Settings.from_env({"GREENDC_MAX_BATCH_READINGS": "many"})
    with pytest.raises(ServiceError, match="allowed are sqlite"):
        Settings.from_env({}, db_url="mysql://x")
    with pytest.raises(ServiceError, match="not memory"):
        normalise_url("sqlite://")
    assert normalise_url("postgresql://u:p@h:5432/d").drivername == "postgresql+psycopg"


def test_meter_vocabulary():
    assert telemetry_column_error("pv_mw") is None and telemetry_column_error("it_training_mw") is None
    assert (
        telemetry_column_error("battery_soc_mwh") is None and telemetry_column_error("wind_available_fraction") is None
    )
    assert "not a telemetry column" in telemetry_column_error("pv_kw")
    assert [quantity_of(c) for c in ("pv_mw", "h2_level_mwh", "water_m3", "price_usd_per_mwh")] == [
        "power", "energy", "volume", "price",
    ]  # fmt: skip
    assert [aggregate_of(c) for c in ("pv_mw", "battery_soc_mwh", "water_m3")] == ["mean", "last", "sum"]


def test_epoch_microseconds():
    # 2030-01-01T00:00Z is 1 893 456 000 s after the epoch (60 years, 15 of them leap: 21 915 days × 86 400 s)
    t = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    assert to_epoch_us(t) == 21_915 * 86_400 * 1_000_000 == 1_893_456_000_000_000
    assert from_epoch_us(to_epoch_us(t) + 1) == t + dt.timedelta(microseconds=1)
    assert parse_time("2030-01-01T01:00+01:00", "from") == pd.Timestamp(t)
    with pytest.raises(EdgeError, match="no UTC offset"):
        parse_time("2030-01-01T00:00", "from")
    with pytest.raises(EdgeError, match="between 1s and 31D"):
        parse_step("40D")


@pytest.fixture()
def engine(tmp_path):  # type: ignore[no-untyped-def]
    e = make_engine(f"sqlite:///{tmp_path / 'u.db'}")
    migrate(e)
    yield e
    e.dispose()


def test_migrations_go_down_and_up(engine):
    from alembic import command

    from greendc.service.db import alembic_config

    with write_connection(engine) as conn:
        command.downgrade(alembic_config(conn), "base")
    assert set(sa.inspect(engine).get_table_names()) == {"alembic_version"}
    assert migrate(engine) == "0005"
    assert {"sites", "meters", "readings", "api_tokens"} <= set(sa.inspect(engine).get_table_names())
    with engine.connect() as conn:  # WAL mode, full sync: acknowledged writes are on disk
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2


def test_quarter_hour_readings_make_an_hourly_telemetry_table(engine):
    with write_connection(engine) as conn:
        site_id = conn.execute(sa.insert(sites).values(name="s").returning(sites.c.id)).scalar_one()
        for name, col in (("it", "it_mw"), ("fac", "facility_mw"), ("w", "water_m3"), ("soc", "battery_soc_mwh")):
            conn.execute(
                sa.insert(meters).values(
                    site_id=site_id, name=name, asset="it_hall", telemetry_column=col, quantity="power", unit="MW",
                    min_value=0.0, max_value=1e4,
                )
            )  # fmt: skip
    from greendc.service.ingest import Reading

    t0 = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    readings = []
    for q in range(8):  # two hours of 15-minute readings
        ts = t0 + dt.timedelta(minutes=15 * q)
        readings += [
            Reading(meter="it", ts=ts, value=100.0 + q),
            Reading(meter="fac", ts=ts, value=120.0),
            Reading(meter="w", ts=ts, value=1.0),
            Reading(meter="soc", ts=ts, value=10.0 * q),
        ]
    assert ingest(engine, readings, MeterCache(), ANY_FUTURE).inserted == 32
    with engine.connect() as conn:
        win = window(conn, [1, 2, 3, 4], None, None, pd.Timedelta("1h"))
        frame, _ = telemetry_frame(conn, site_id, win, pd.Timedelta("1h"), 1000)
    # power: mean of the quarter hours (100..103 → 101.5, 104..107 → 105.5); water: sum of four 1 m³ volumes;
    # stored energy: the last level of the hour (30, 70)
    assert frame["it_mw"].tolist() == [101.5, 105.5]
    assert frame["water_m3"].tolist() == [4.0, 4.0]
    assert frame["battery_soc_mwh"].tolist() == [30.0, 70.0]
    assert str(frame.index[0]) == "2030-01-01 00:00:00+00:00" and frame.index.freq == pd.Timedelta("1h")
    with engine.connect() as conn, pytest.raises(QueryError, match="not on a step boundary"):
        window(conn, [1], pd.Timestamp("2030-01-01T00:30Z"), None, pd.Timedelta("1h"))


def test_a_missing_service_extra_is_named():
    from greendc.service.extra import SERVICE_MODULES, require_service_stack

    require_service_stack()  # installed here: nothing raised
    assert "fastapi" in SERVICE_MODULES and "paho.mqtt" in SERVICE_MODULES
    with pytest.raises(ServiceError, match=r"missing: no_such_pkg_x, no_such_pkg_y\.sub\).*greendc\[service\]"):
        require_service_stack(("fastapi", "no_such_pkg_x", "no_such_pkg_y.sub"))
