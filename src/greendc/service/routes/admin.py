"""Sites, meters and API tokens: read by viewers, managed by admins."""

from __future__ import annotations

import math
import zoneinfo
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from greendc.service.auth import create_token, list_tokens, revoke_token
from greendc.service.db import write_connection
from greendc.service.models import (
    ASSETS,
    DEFAULT_ASSET,
    ROLES,
    UNITS,
    meters,
    quantity_of,
    sites,
    telemetry_column_error,
)
from greendc.service.queries import QueryError, latest_readings
from greendc.service.routes.deps import Admin, EngineDep, Viewer

router = APIRouter(prefix="/api/v1")

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$"


class SiteIn(BaseModel):
    """A new site."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=NAME_PATTERN, description="letters, digits, _ . : - (1-100)")
    latitude: float | None = Field(None, ge=-90.0, le=90.0, description="[degrees north]")
    longitude: float | None = Field(None, ge=-180.0, le=180.0, description="[degrees east]")
    timezone: str = Field("UTC", max_length=64, description="IANA time zone for display, e.g. Africa/Casablanca")

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA time zone {value!r} (e.g. UTC, Africa/Casablanca)") from None
        return value


class MeterIn(BaseModel):
    """A new meter. ``column`` ties it to a telemetry column (its unit follows: ``_mw`` MW, ``_mwh`` MWh,
    ``_m3`` m³); ``asset`` defaults from the column."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=NAME_PATTERN, description="letters, digits, _ . : - (1-100)")
    site: str = Field(max_length=100, description="site name")
    column: str | None = Field(None, max_length=64, description="telemetry column, e.g. pv_mw (docs/nomenclature.md)")
    asset: str | None = Field(None, description=f"one of {', '.join(ASSETS)}")
    quantity: str | None = Field(None, description=f"without a column: one of {', '.join(UNITS)}")
    min_value: float = Field(0.0, description="lowest physical value, in the meter's unit")
    max_value: float = Field(description="highest physical value, in the meter's unit")
    description: str = Field("", max_length=500)

    @model_validator(mode="after")
    def _consistent(self) -> MeterIn:
        if self.column is not None:
            why = telemetry_column_error(self.column)
            if why:
                raise ValueError(why)
            quantity = quantity_of(self.column)
            if self.quantity is not None and self.quantity != quantity:
                raise ValueError(f"quantity {self.quantity!r} contradicts column {self.column!r} ({quantity})")
            self.quantity = quantity
            if self.asset is None:
                self.asset = DEFAULT_ASSET.get(
                    self.column, "it_hall" if self.column.startswith("it_") else "controller"
                )
        if self.quantity is None or self.quantity not in UNITS:
            raise ValueError(f"quantity {self.quantity!r}: give a column, or a quantity among {', '.join(UNITS)}")
        if self.asset is None or self.asset not in ASSETS:
            raise ValueError(f"asset {self.asset!r} is not one of {', '.join(ASSETS)}")
        if not (math.isfinite(self.min_value) and math.isfinite(self.max_value) and self.min_value < self.max_value):
            raise ValueError(f"range [{self.min_value}, {self.max_value}]: finite numbers with min_value < max_value")
        return self


class TokenIn(BaseModel):
    """A new API token."""

    model_config = ConfigDict(extra="forbid")

    role: str = Field(description=f"one of {', '.join(ROLES)}")
    name: str = Field("", max_length=100)

    @field_validator("role")
    @classmethod
    def _role(cls, value: str) -> str:
        if value not in ROLES:
            raise ValueError(f"role {value!r} is not one of {', '.join(ROLES)}")
        return value


def _site_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "latitude": row["latitude"],
        "longitude": row["longitude"],
        "timezone": row["timezone"],
    }


def _meter_dict(row: Any, site_name: str) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "site": site_name,
        "asset": row["asset"],
        "column": row["telemetry_column"],
        "quantity": row["quantity"],
        "unit": row["unit"],
        "min_value": row["min_value"],
        "max_value": row["max_value"],
        "description": row["description"],
    }


@router.get("/sites", tags=["sites"], summary="List sites")
def get_sites(principal: Viewer, engine: EngineDep) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [_site_dict(r) for r in conn.execute(sa.select(sites).order_by(sites.c.id)).mappings()]


@router.post("/sites", tags=["sites"], status_code=201, summary="Create a site (admin)")
def post_site(site: SiteIn, principal: Admin, engine: EngineDep) -> dict[str, Any]:
    with write_connection(engine) as conn:
        if conn.execute(sa.select(sites.c.id).where(sites.c.name == site.name)).first() is not None:
            raise QueryError(f"site {site.name!r} already exists", 409)
        conn.execute(sa.insert(sites).values(**site.model_dump()))
        row = conn.execute(sa.select(sites).where(sites.c.name == site.name)).mappings().one()
    return _site_dict(row)


@router.get("/meters", tags=["meters"], summary="List meters, with their newest reading")
def get_meters(
    principal: Viewer,
    engine: EngineDep,
    site: Annotated[str | None, Query(max_length=100, description="only this site")] = None,
) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        query = sa.select(meters, sites.c.name.label("site_name")).join(sites).order_by(meters.c.id)
        if site is not None:
            query = query.where(sites.c.name == site)
        rows = list(conn.execute(query).mappings())
        latest = latest_readings(conn, rows)
    out = []
    for r in rows:
        d = _meter_dict(r, r["site_name"])
        got = latest.get(int(r["id"]))
        d["last_ts"] = None if got is None else got[0].isoformat()
        d["last_value"] = None if got is None else got[1]
        out.append(d)
    return out


@router.post("/meters", tags=["meters"], status_code=201, summary="Create a meter (admin)")
def post_meter(meter: MeterIn, principal: Admin, engine: EngineDep) -> dict[str, Any]:
    with write_connection(engine) as conn:
        site_id = conn.execute(sa.select(sites.c.id).where(sites.c.name == meter.site)).scalar()
        if site_id is None:
            raise QueryError(f"site {meter.site!r} does not exist; create it with POST /api/v1/sites", 404)
        if conn.execute(sa.select(meters.c.id).where(meters.c.name == meter.name)).first() is not None:
            raise QueryError(f"meter {meter.name!r} already exists; meters are never changed once created", 409)
        conn.execute(
            sa.insert(meters).values(
                site_id=site_id,
                name=meter.name,
                asset=meter.asset,
                telemetry_column=meter.column,
                quantity=meter.quantity,
                unit=UNITS[meter.quantity or ""],
                min_value=meter.min_value,
                max_value=meter.max_value,
                description=meter.description,
            )
        )
        row = conn.execute(sa.select(meters).where(meters.c.name == meter.name)).mappings().one()
    return _meter_dict(row, meter.site)


@router.get("/tokens", tags=["tokens"], summary="List API tokens (admin; never the secrets)")
def get_tokens(principal: Admin, engine: EngineDep) -> list[dict[str, Any]]:
    return list_tokens(engine)


@router.post("/tokens", tags=["tokens"], status_code=201, summary="Create an API token (admin)")
def post_token(token: TokenIn, principal: Admin, engine: EngineDep) -> dict[str, Any]:
    """The answer holds the token itself, once; the server keeps only its SHA-256 digest."""
    token_id, secret = create_token(engine, token.role, token.name)
    return {"id": token_id, "role": token.role, "name": token.name, "token": secret}


@router.delete("/tokens/{token_id}", tags=["tokens"], summary="Revoke an API token (admin)")
def delete_token(token_id: int, principal: Admin, engine: EngineDep) -> dict[str, Any]:
    """Revoked tokens answer 401 from then on; revoking twice keeps the first revocation time."""
    return revoke_token(engine, token_id)
