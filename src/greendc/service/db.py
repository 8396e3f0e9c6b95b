"""Database engines and schema migrations: SQLite (embedded, one file) or PostgreSQL (psycopg 3).

SQLite is opened in write-ahead-log mode with ``synchronous=FULL``: a transaction that has committed is on
disk, so a reading the service has acknowledged survives a crash of the process or of the machine. Write
transactions start with ``BEGIN IMMEDIATE`` (:func:`write_connection`), which takes the single writer lock
at once and waits for it (``busy_timeout``) instead of failing when two writers meet.

PostgreSQL runs at its default ``READ COMMITTED`` isolation; each ingested batch is one transaction.
The schema is created and upgraded by Alembic (:func:`migrate`), under an advisory lock in PostgreSQL so
that two servers starting together do not both create it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from greendc.errors import ServiceError

__all__ = [
    "MIGRATIONS",
    "alembic_config",
    "backend",
    "current_revision",
    "make_engine",
    "migrate",
    "normalise_url",
    "write_connection",
]

#: Alembic script folder shipped inside the package.
MIGRATIONS = Path(__file__).parent / "migrations"
#: How long a write waits for SQLite's writer lock [ms].
SQLITE_BUSY_TIMEOUT_MS = 30_000
#: Key of the PostgreSQL advisory lock held while migrating (any constant shared by all servers).
_MIGRATION_LOCK = 7_357_001


def normalise_url(url: str) -> sa.URL:
    """The SQLAlchemy URL of ``url``, with PostgreSQL URLs pointed at the psycopg 3 driver.

    Raises
    ------
    ServiceError
        An URL that does not parse, an in-memory SQLite database (each connection would see its own),
        or a backend other than SQLite and PostgreSQL.
    """
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise ServiceError(f"database URL {url!r} does not parse ({exc})") from None
    name = parsed.get_backend_name()
    if name in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg")
    if name == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise ServiceError(
                f"database URL {url!r}: the service needs an SQLite file (sqlite:///greendc.db), not memory"
            )
        return parsed.set(drivername="sqlite+pysqlite")
    raise ServiceError(f"database URL {url!r}: backend {name!r} is not supported; use sqlite or postgresql")


def backend(engine: Engine | Connection) -> str:
    """``"sqlite"`` or ``"postgresql"``."""
    return engine.dialect.name


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url`` with the service's connection settings (module docstring).

    Parameters
    ----------
    url : str
        ``sqlite:///file.db`` or ``postgresql://user:password@host:port/db``.
    **kwargs
        Passed to :func:`sqlalchemy.create_engine`.
    """
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        Path(parsed.database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            parsed,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
            pool_size=8,
            max_overflow=16,
            **kwargs,
        )

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # transactions are begun by _sqlite_begin
            cur = dbapi_connection.cursor()
            for pragma in (
                "PRAGMA journal_mode=WAL",
                "PRAGMA synchronous=FULL",
                "PRAGMA foreign_keys=ON",
                f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
            ):
                cur.execute(pragma)
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Connection) -> None:
            mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    kwargs.setdefault("pool_pre_ping", True)
    try:
        return sa.create_engine(parsed, **kwargs)
    except ModuleNotFoundError as exc:
        raise ServiceError(f"PostgreSQL needs the psycopg package (pip install 'psycopg[binary]'): {exc}") from None


@contextmanager
def write_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in a write transaction, committed when the block ends without error (rolled back if not).

    In SQLite the transaction begins with ``BEGIN IMMEDIATE`` (takes the writer lock first).
    """
    with engine.connect() as conn:
        if backend(engine) == "sqlite":
            conn = conn.execution_options(sqlite_begin="IMMEDIATE")
        with conn.begin():
            yield conn


def alembic_config(connection: Connection | None = None) -> Any:
    """Alembic configuration of the shipped migrations, on ``connection`` when given."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def migrate(engine: Engine, revision: str = "head") -> str | None:
    """Upgrade the schema of the database behind ``engine`` to ``revision``; return the revision reached.

    Raises
    ------
    ServiceError
        The database cannot be reached or the migration fails.
    """
    from alembic import command

    try:
        with write_connection(engine) as conn:
            if backend(conn) == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
            command.upgrade(alembic_config(conn), revision)
    except sa.exc.OperationalError as exc:
        raise ServiceError(f"database {engine.url.render_as_string()}: cannot migrate ({exc.orig})") from None
    return current_revision(engine)


def current_revision(engine: Engine) -> str | None:
    """Alembic revision of the database schema (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
