"""Fixtures of the service tests: a database per backend and a real uvicorn server on loopback.

SQLite runs everywhere (a file in tmp_path). PostgreSQL needs a server: CI starts one with ``.ci/postgres.sh``
and sets ``GREENDC_TEST_POSTGRES_URL``; each test module then works in a schema of its own, dropped after.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from greendc.service.db import make_engine, migrate
from greendc.service.tokens import create_token
from tests.service.support import BACKENDS, Database, Server, client, drop_postgres_schema, postgres_database


@pytest.fixture(scope="module", params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A migrated, empty database with one token per role (``tokens["viewer"]`` …)."""
    schema = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'greendc.db'}"
        engine = make_engine(url)
    else:
        schema = f"test_{uuid.uuid4().hex[:12]}"
        url, engine = postgres_database(schema)
    migrate(engine)
    db = Database(request.param, url, engine)
    for role in ("viewer", "gateway", "operator", "admin"):
        db.tokens[role] = create_token(engine, role, f"test {role}")[1]
    yield db
    engine.dispose()
    if schema is not None:
        drop_postgres_schema(schema)


@pytest.fixture(scope="module")
def server(database: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A running server on the module's database (small limits so that 413 is cheap to provoke)."""
    log = tmp_path_factory.mktemp("log") / "uvicorn.log"
    srv = Server(database.url, log, max_body_bytes=2_000_000, max_batch_readings=5000, dashboard_refresh_s=1).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def clients(server: Server, database: Database) -> Iterator[dict]:
    """An HTTP client per role of the module's tokens, and one without a token (``"anonymous"``)."""
    made = {role: client(server, token) for role, token in database.tokens.items()}
    made["anonymous"] = client(server)
    yield made
    for c in made.values():
        c.close()
