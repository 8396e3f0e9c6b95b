"""What the routes share: the app's engine and settings, and the role check of API tokens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.engine import Engine

from greendc.service.auth import Principal, authenticate
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


def require(role: str) -> Callable[..., Principal]:
    """A dependency that authenticates the request's token and checks that its role allows ``role``."""

    def check(
        request: Request, _: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)] = None
    ) -> Principal:
        return authenticate(request.app.state.engine, request.headers.get("authorization"), role)

    check.__name__ = f"require_{role}"
    return check


#: Parameter annotations: the caller, checked for a role.
Viewer = Annotated[Principal, Depends(require("viewer"))]
Operator = Annotated[Principal, Depends(require("operator"))]
Admin = Annotated[Principal, Depends(require("admin"))]
EngineDep = Annotated[Engine, Depends(engine)]
SettingsDep = Annotated[Settings, Depends(settings)]
CacheDep = Annotated[MeterCache, Depends(cache)]
