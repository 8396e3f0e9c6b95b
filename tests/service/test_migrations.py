"""Schema migrations: a database made by an earlier revision upgrades in place and keeps its data.

Revision 0001 is written with the tables as they were (the columns that revision had), then upgraded to the
newest revision; the sites, meters, readings and tokens must come out unchanged, and the service must work
on the upgraded database (ingestion, retirement). Downgrading and upgrading again must also work.
On SQLite and, when ``GREENDC_TEST_POSTGRES_URL`` is set, on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic import command

from greendc.errors import IngestError
from greendc.service.auth import SHOWN_CHARS, authenticate, hash_token, new_secret
from greendc.service.db import alembic_config, current_revision, make_engine, migrate, write_connection
from greendc.service.ingest import MeterCache, Reading, ingest
from greendc.service.models import api_tokens, meters, readings, sites
from tests.service.support import ANY_FUTURE, BACKENDS, drop_postgres_schema, postgres_database

T0 = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[sa.engine.Engine]:  # type: ignore[no-untyped-def]
    """An empty database (no schema yet)."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        yield eng
        eng.dispose()
    else:
        schema = f"mig_{uuid.uuid4().hex[:12]}"
        _, eng = postgres_database(schema)
        yield eng
        eng.dispose()
        drop_postgres_schema(schema)


#: Telemetry column → (asset, quantity, unit) of the meters these tests write with an old revision's columns.
_OLD_METERS = {
    "it_mw": ("it_hall", "power", "MW"),
    "pv_mw": ("pv_block", "power", "MW"),
    "h2_store_mwh": ("hydrogen_store", "energy", "MWh"),
}


def _insert_meter(conn: sa.Connection, site_id: int, name: str, column: str, **more: str) -> None:
    """A meter of ``site_id`` feeding ``column`` (0 to 600 in its unit), with the columns every revision has."""
    asset, quantity, unit = _OLD_METERS[column]
    row = {"asset": asset, "telemetry_column": column, "quantity": quantity, "unit": unit}
    conn.execute(sa.insert(meters).values(site_id=site_id, name=name, min_value=0.0, max_value=600.0, **row, **more))


def _fill_revision_0001(engine: sa.engine.Engine) -> str:
    """A site, two meters, 48 readings and a token, written with the columns of revision 0001."""
    with write_connection(engine) as conn:
        conn.execute(sa.insert(sites).values(name="old", timezone="Africa/Casablanca"))
        site_id = conn.execute(sa.select(sites.c.id)).scalar_one()
        for name, column in (("old-it", "it_mw"), ("old-pv", "pv_mw")):
            _insert_meter(conn, site_id, name, column, description=f"made at revision 0001: {name}")
        ids = dict(conn.execute(sa.select(meters.c.name, meters.c.id)).all())
        conn.execute(
            sa.insert(readings),
            [
                {"meter_id": ids[name], "ts": T0 + dt.timedelta(hours=h), "value": float(100 + h)}
                for name in ids
                for h in range(24)
            ],
        )
        token = new_secret()
        conn.execute(
            sa.insert(api_tokens).values(
                name="made at 0001", role="operator", token_sha256=hash_token(token), prefix=token[:SHOWN_CHARS]
            )
        )
    return token


#: Columns of the meters table at revision 0001.
_COLUMNS_0001 = {c.name for c in meters.c} - {"retired_at", "commissioned_at"}


def _snapshot(engine: sa.engine.Engine) -> dict[str, list]:
    with engine.connect() as conn:
        return {
            "sites": [tuple(r) for r in conn.execute(sa.select(sites).order_by(sites.c.id))],
            "meters": [
                tuple(r)
                for r in conn.execute(
                    sa.select(*[c for c in meters.c if c.name in _COLUMNS_0001]).order_by(meters.c.id)
                )
            ],
            "readings": [
                tuple(r) for r in conn.execute(sa.select(readings).order_by(readings.c.meter_id, readings.c.ts))
            ],
        }


def test_revision_0001_database_upgrades_and_keeps_its_data(engine):
    assert migrate(engine, "0001") == "0001"
    token = _fill_revision_0001(engine)
    before = _snapshot(engine)
    assert len(before["readings"]) == 48

    assert migrate(engine) == "0005" == current_revision(engine)
    assert _snapshot(engine) == before
    with engine.connect() as conn:
        assert conn.execute(sa.select(meters.c.retired_at)).scalars().all() == [None, None]
    # the token made before still works; the service works on the upgraded database
    assert authenticate(engine, f"Bearer {token}", "write").name == "made at 0001"
    new = [Reading(meter="old-it", ts=T0 + dt.timedelta(hours=24), value=300.0)]
    assert ingest(engine, new, MeterCache(), ANY_FUTURE).inserted == 1
    with write_connection(engine) as conn:
        conn.execute(sa.update(meters).where(meters.c.name == "old-pv").values(retired_at=dt.datetime.now(dt.UTC)))
    with pytest.raises(IngestError, match="retired"):
        ingest(engine, [Reading(meter="old-pv", ts=T0 + dt.timedelta(hours=24), value=1.0)], MeterCache(), ANY_FUTURE)

    # down to 0001 (the column goes) and up again: data kept both ways
    with write_connection(engine) as conn:
        command.downgrade(alembic_config(conn), "0001")
    assert current_revision(engine) == "0001"
    with engine.connect() as conn:
        assert "retired_at" not in {c["name"] for c in sa.inspect(conn).get_columns("meters")}
        assert conn.execute(sa.select(sa.func.count()).select_from(readings)).scalar_one() == 49
    assert migrate(engine) == "0005"
    after = _snapshot(engine)
    assert after["sites"] == before["sites"] and after["meters"] == before["meters"]
    assert len(after["readings"]) == 49 and after["readings"][:24] == before["readings"][:24]


def test_revision_0005_renames_the_hydrogen_level_column_of_meters(engine):
    assert migrate(engine, "0004") == "0004"
    with write_connection(engine) as conn:
        conn.execute(sa.insert(sites).values(name="old"))
        site_id = conn.execute(sa.select(sites.c.id)).scalar_one()
        _insert_meter(conn, site_id, "old-h2", "h2_store_mwh")
        _insert_meter(conn, site_id, "old-pv", "pv_mw")

    def columns() -> dict[str, str]:
        with engine.connect() as conn:
            return dict(conn.execute(sa.select(meters.c.name, meters.c.telemetry_column)).all())

    assert migrate(engine) == "0005"
    assert columns() == {"old-h2": "h2_level_mwh", "old-pv": "pv_mw"}
    with write_connection(engine) as conn:
        command.downgrade(alembic_config(conn), "0004")
    assert columns() == {"old-h2": "h2_store_mwh", "old-pv": "pv_mw"}
