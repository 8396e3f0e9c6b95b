"""What the routes share: the app's engine and settings, and the role check of API tokens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.engine import Engine

from greendc.service.auth import Principal, authenticate, check_permission
from greendc.service.ingest import MeterCache
from greendc.service.settings import Settings

__all__ = [
    "Admin",
    "CacheDep",
    "EngineDep",
    "Operator",
    "SettingsDep",
    "Viewer",
    "cache",
    "engine",
    "require",
    "settings",
]

_bearer = HTTPBearer(auto_error=False, description="API token made by 'greendc token create'")


def engine(request: Request) -> Engine:
    """The database engine of the app."""
    return request.app.state.engine


def settings(request: Request) -> Settings:
    """The settings of the app."""
    return request.app.state.settings


def cache(request: Request) -> MeterCache:
    """The meter lookup cache of the app."""
    return request.app.state.meter_cache


def require(permission: str) -> Callable[..., Principal]:
    """A dependency that authenticates the request's token and checks that its role grants ``permission``
    (``read``, ``write`` or ``admin``: :data:`greendc.service.auth.PERMISSIONS`)."""

    def check(
        request: Request, _: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)] = None
    ) -> Principal:
        principal = getattr(request.state, "principal", None)
        if principal is None:  # a route outside the gate's paths
            return authenticate(request.app.state.engine, request.headers.get("authorization"), permission)
        check_permission(principal, permission)
        return principal

    check.__name__ = f"require_{permission}"
    return check


#: Parameter annotations: the caller, checked for a permission (a viewer reads, a gateway or an operator
#: writes readings, an admin manages).
Viewer = Annotated[Principal, Depends(require("read"))]
Operator = Annotated[Principal, Depends(require("write"))]
Admin = Annotated[Principal, Depends(require("admin"))]
EngineDep = Annotated[Engine, Depends(engine)]
SettingsDep = Annotated[Settings, Depends(settings)]
CacheDep = Annotated[MeterCache, Depends(cache)]
