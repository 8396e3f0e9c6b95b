"""The monitoring service: telemetry in, KPIs, reports, alarms and a dashboard out.

A FastAPI application (:func:`create_app`) over SQLite (embedded, the default) or PostgreSQL, with the
schema in Alembic migrations, API tokens with roles, validated idempotent ingestion, the KPIs of
:mod:`greendc.kpi` computed from stored readings, a monthly committee report and a live dashboard.
``greendc serve`` runs it; ``greendc token create`` makes tokens; ``greendc replay`` streams a simulation
into it as meter readings. Its dependencies are the ``service`` extra (``pip install 'greendc[service]'``).
"""

from greendc.errors import ServiceError
from greendc.service.extra import require_service_stack

require_service_stack()

from greendc.service.app import create_app  # noqa: E402  (after the check of the extra)
from greendc.service.settings import Settings, Targets  # noqa: E402

__all__ = ["ServiceError", "Settings", "Targets", "create_app"]
