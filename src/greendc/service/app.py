"""The FastAPI application: :func:`create_app` builds it from :class:`~greendc.service.settings.Settings`.

The lifespan opens the database engine (and migrates the schema to the newest revision unless
``settings.migrate`` is False) and disposes of it at shutdown. Every API request first passes the
:class:`~greendc.service.gate.Gate` (rate limits, token, content type, size). Errors become JSON answers
``{"detail": "..."}`` with the status of the error: 401/403 (tokens), 404, 409 (conflicts), 413 (too large), 415
(content type), 422 (invalid input), 429 (rate limits), 503 (database unreachable). The OpenAPI description is
served at ``/openapi.json``, and read at ``/docs`` (Swagger UI) with no token and **no internet**: the page
loads its script, style and icon from the ``fastapi-offline`` package under ``/static-offline-docs``, not from a
CDN (a site such as Dakhla may be offline), and Swagger UI's online spec validator is switched off. ``/redoc``
is switched off: ReDoc's page loads Redocly's logo from cdn.redoc.ly, which an offline browser waits for and
reports as failed.

Run it with ``greendc serve`` or ``uvicorn --factory greendc.service.app:app_from_env``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline

from greendc.errors import GreendcError, ServiceError
from greendc.service.db import backend, current_revision, make_engine, migrate
from greendc.service.gate import Gate
from greendc.service.ingest import MeterCache
from greendc.service.routes import ROUTERS
from greendc.service.settings import Settings

__all__ = ["app_from_env", "create_app"]


def _error(status: int, detail: Any, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


def _validation_text(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:10]:
        where = ".".join(str(p) for p in err.get("loc", ()))
        value = err.get("input")
        shown = (
            repr(value)[:80] if isinstance(value, (str, int, float, bool)) or value is None else type(value).__name__
        )
        parts.append(f"{where}: {err.get('msg')} (got {shown})")
    return "; ".join(parts)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The service as an ASGI application.

    Parameters
    ----------
    settings : Settings, optional
        Database URL, limits, alarm thresholds, KPI targets; default :meth:`Settings.from_env`.
    """
    settings = settings if settings is not None else Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.db_url)
        try:
            if settings.migrate:
                migrate(engine)
            app.state.engine = engine
            yield
        finally:
            engine.dispose()

    app = FastAPIOffline(
        redoc_url=None,
        title="greendc monitor",
        summary="Telemetry of a data centre on its own renewable plant: readings in, KPIs, reports and alarms out.",
        version=_version(),
        lifespan=lifespan,
        # the badge of Swagger UI's validator would call validator.swagger.io
        swagger_ui_parameters={"validatorUrl": None},
    )
    app.state.settings = settings
    app.state.meter_cache = MeterCache()
    app.add_middleware(Gate, settings=settings)

    @app.exception_handler(ServiceError)
    async def _service_error(request: Request, exc: ServiceError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return _error(exc.status, str(exc), headers)

    @app.exception_handler(GreendcError)
    async def _greendc_error(request: Request, exc: GreendcError) -> JSONResponse:
        return _error(422, f"{type(exc).__name__}: {exc}")

    @app.exception_handler(RequestValidationError)
    async def _request_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(422, _validation_text(exc))

    @app.exception_handler(sa.exc.IntegrityError)
    async def _integrity(request: Request, exc: sa.exc.IntegrityError) -> JSONResponse:
        return _error(409, "conflicts with stored data (a name or a reading that already exists); nothing stored")

    @app.exception_handler(sa.exc.DataError)
    async def _unstorable(request: Request, exc: sa.exc.DataError) -> JSONResponse:
        # a last line of defence: the edge checks (greendc.service.edge) should refuse such values first
        return _error(422, "a value of the request cannot be stored or compared by the database; nothing stored")

    @app.exception_handler(sa.exc.OperationalError)
    async def _database_down(request: Request, exc: sa.exc.OperationalError) -> JSONResponse:
        return _error(503, "the database cannot be reached or is busy; retry", {"Retry-After": "1"})

    @app.get("/api/v1/health", tags=["health"], summary="Liveness and database check (no token needed)")
    def health(request: Request) -> dict[str, Any]:
        engine = request.app.state.engine
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return {"status": "ok", "database": backend(engine), "schema_revision": current_revision(engine)}

    for router in ROUTERS:
        app.include_router(router)
    return app


def app_from_env() -> FastAPI:
    """:func:`create_app` with :meth:`Settings.from_env` (for ``uvicorn --factory``)."""
    return create_app(Settings.from_env())


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("greendc")
    except PackageNotFoundError:
        return "0"
