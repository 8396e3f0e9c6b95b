"""Alembic environment of the service schema: runs on the connection handed over by ``greendc.service.db``."""

from __future__ import annotations

from alembic import context

from greendc.service.db import make_engine
from greendc.service.models import metadata


def _run(conn) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=conn,
        target_metadata=metadata,
        render_as_batch=conn.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    """Run the migrations: on the connection handed over in ``config.attributes``, else on the configured URL."""
    config = context.config
    connection = config.attributes.get("connection")
    if context.is_offline_mode():
        context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
    elif connection is not None:
        _run(connection)
    else:
        engine = make_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as conn:
            _run(conn)
        engine.dispose()


# Alembic runs this file with its context set up; imported any other way (documentation, test collection)
# it does nothing.
if getattr(context, "config", None) is not None:
    main()
