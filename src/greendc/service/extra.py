"""The monitoring service's own dependencies (the ``service`` extra): checked before the service is imported,
so that a planner installed without them gets one clear sentence instead of an import traceback."""

from __future__ import annotations

import importlib.util

from greendc.errors import ServiceError

__all__ = ["SERVICE_MODULES", "require_service_stack"]

#: Import names of the packages of ``pip install 'greendc[service]'``.
SERVICE_MODULES: tuple[str, ...] = (
    "fastapi",
    "fastapi_offline",
    "uvicorn",
    "sqlalchemy",
    "alembic",
    "psycopg",
    "httpx",
    "multipart",
    "paho.mqtt",
    "google.protobuf",
)


def _missing(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is None
    except ModuleNotFoundError:  # the parent package of a dotted name is absent
        return True


def require_service_stack(modules: tuple[str, ...] = SERVICE_MODULES) -> None:
    """Raise :class:`~greendc.errors.ServiceError` naming the missing packages, if any of ``modules`` is absent."""
    missing = [name for name in modules if _missing(name)]
    if missing:
        raise ServiceError(
            f"the monitoring service needs its extra dependencies (missing: {', '.join(missing)}): "
            "pip install 'greendc[service]'"
        )
