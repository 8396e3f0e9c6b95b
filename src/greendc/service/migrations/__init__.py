"""Alembic migrations of the service database (run by :func:`greendc.service.db.migrate`)."""
