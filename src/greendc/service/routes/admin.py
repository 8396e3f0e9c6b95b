"""Sites and meters: read by viewers, managed by admins (each change written to the audit log).

What an admin may change of a meter (``PATCH /api/v1/meters/{name}``), so that stored readings keep their
meaning:

* always: ``description`` and ``asset`` (labels: no number depends on them);
* ``min_value`` / ``max_value``: widened always; narrowed only while every stored reading stays inside
  (else 409, naming the stored extremes);
* ``column``, ``quantity`` (hence ``unit``) and ``site``: only while the meter has no stored reading (else
  409: readings stored in MW of ``pv_mw`` at one site must not turn into another quantity or site);
* ``retired``: ``true`` retires the meter (soft delete): it keeps its readings, which still count in KPIs and
  reports up to its last one, and takes no new ones (409); ``false`` puts it back in service;
* never ``name``: it is the meter's identity for the clients that send readings; make a new meter instead.

``DELETE /api/v1/meters/{name}`` removes only a meter without stored readings; a meter with readings answers
409 and is retired instead, so that no reading is ever deleted with its meter.
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from typing import Annotated, Any
from urllib.parse import urlencode

import sqlalchemy as sa
from fastapi import APIRouter, Path, Query, Response
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from greendc.errors import QueryError
from greendc.service.audit import record
from greendc.service.db import backend, write_connection
from greendc.service.edge import INT32_MAX, NAME_PATTERN, Text, to_utc
from greendc.service.models import (
    ASSETS,
    DEFAULT_ASSET,
    UNITS,
    isoformat_or_none,
    meters,
    quantity_of,
    readings,
    sites,
    stored_utc,
    telemetry_column_error,
)
from greendc.service.queries import latest_readings
from greendc.service.routes.deps import Admin, CacheDep, EngineDep, Viewer
from greendc.units import RENAMED_COLUMNS

router = APIRouter(prefix="/api/v1")

NamePath = Annotated[str, Path(max_length=100, pattern=NAME_PATTERN, description="meter name")]
#: Largest page of ``GET /api/v1/meters?limit=``.
MAX_METER_PAGE = 1000
#: A telemetry column as a client names it; an old name (:data:`greendc.units.RENAMED_COLUMNS`) is stored as its
#: current one, so that a meter made by an older script feeds the same KPIs.
Column = Annotated[str, AfterValidator(lambda name: RENAMED_COLUMNS.get(name, name))]


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
    site: str = Field(pattern=NAME_PATTERN, description="site name")
    column: Column | None = Field(
        None, max_length=64, description="telemetry column, e.g. pv_mw (docs/nomenclature.md)"
    )
    asset: str | None = Field(None, description=f"one of {', '.join(ASSETS)}")
    quantity: str | None = Field(None, description=f"without a column: one of {', '.join(UNITS)}")
    min_value: float = Field(0.0, description="lowest physical value, in the meter's unit")
    max_value: float = Field(description="highest physical value, in the meter's unit")
    description: Text = Field("", max_length=500)
    commissioned_at: AwareDatetime | None = Field(
        None, description="first time the meter measures (with UTC offset); earlier readings are refused"
    )

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


class MeterPatch(BaseModel):
    """Changes to a meter; fields left out stay as they are (module docstring: what may change when)."""

    model_config = ConfigDict(extra="forbid")

    description: Text | None = Field(None, max_length=500)
    asset: str | None = Field(None, description=f"one of {', '.join(ASSETS)}")
    min_value: float | None = Field(None, description="lowest physical value, in the meter's unit")
    max_value: float | None = Field(None, description="highest physical value, in the meter's unit")
    column: Column | None = Field(None, max_length=64, description="telemetry column; only without stored readings")
    quantity: str | None = Field(None, description="without a column; only without stored readings")
    site: str | None = Field(None, pattern=NAME_PATTERN, description="site name; only without stored readings")
    retired: bool | None = Field(None, description="true: retire (keeps readings, takes no new ones); false: back")
    commissioned_at: AwareDatetime | None = Field(
        None, description="first time the meter measures; not after its first stored reading"
    )

    @model_validator(mode="before")
    @classmethod
    def _fixed(cls, data: Any) -> Any:
        if isinstance(data, dict):
            if "name" in data:
                raise ValueError("name cannot change: it is how clients send readings; create a new meter instead")
            if "unit" in data:
                raise ValueError("unit follows from column or quantity; change those (only without stored readings)")
        return data

    @model_validator(mode="after")
    def _values(self) -> MeterPatch:
        for name in ("description", "asset", "min_value", "max_value", "site", "retired", "commissioned_at"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name}: null is not allowed; leave the field out to keep it")
        if self.asset is not None and self.asset not in ASSETS:
            raise ValueError(f"asset {self.asset!r} is not one of {', '.join(ASSETS)}")
        if self.column is not None and (why := telemetry_column_error(self.column)):
            raise ValueError(why)
        if self.quantity is not None and self.quantity not in UNITS:
            raise ValueError(f"quantity {self.quantity!r} is not one of {', '.join(UNITS)}")
        for name in ("min_value", "max_value"):
            value = getattr(self, name)
            if value is not None and not math.isfinite(value):
                raise ValueError(f"{name} = {value}: a finite number")
        return self


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
        "retired_at": isoformat_or_none(row["retired_at"]),
        "commissioned_at": isoformat_or_none(row["commissioned_at"]),
    }


def _commissioning(at: dt.datetime | None, first_reading: dt.datetime | None = None) -> dt.datetime | None:
    """A commissioning time in UTC, checked against the edge's bounds and the first stored reading."""
    if at is None:
        return None
    at = to_utc(at, "commissioned_at")
    if first_reading is not None and at > first_reading:
        raise QueryError(
            f"commissioned_at={at.isoformat()} is after the meter's first stored reading ({first_reading.isoformat()})",
            409,
        )
    return at


def _first_reading(conn: Any, meter_id: int) -> dt.datetime | None:
    first = conn.execute(sa.select(sa.func.min(readings.c.ts)).where(readings.c.meter_id == meter_id)).scalar()
    return None if first is None else stored_utc(first)


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
        record(conn, principal, "site.create", f"site {site.name}", **site.model_dump())
        row = conn.execute(sa.select(sites).where(sites.c.name == site.name)).mappings().one()
    return _site_dict(row)


@router.get("/meters", tags=["meters"], summary="List meters, with their newest reading (in pages with limit)")
def get_meters(
    principal: Viewer,
    engine: EngineDep,
    response: Response,
    site: Annotated[str | None, Query(max_length=100, pattern=NAME_PATTERN, description="only this site")] = None,
    limit: Annotated[int | None, Query(ge=1, le=MAX_METER_PAGE, description="page size (meters)")] = None,
    after: Annotated[
        int | None, Query(ge=0, le=INT32_MAX, description="meter id the page starts after (from the Link header)")
    ] = None,
) -> list[dict[str, Any]]:
    """Meters by id. With ``limit``, one page; when more meters follow, the ``Link`` header (RFC 8288) holds
    the address of the next page (``rel="next"``, with ``after=<last id>``)."""
    with engine.connect() as conn:
        query = sa.select(meters, sites.c.name.label("site_name")).join(sites).order_by(meters.c.id)
        if site is not None:
            query = query.where(sites.c.name == site)
        if after is not None:
            query = query.where(meters.c.id > after)
        if limit is not None:
            query = query.limit(limit + 1)
        rows = list(conn.execute(query).mappings())
        if limit is not None and len(rows) > limit:
            rows = rows[:limit]
            params = {"limit": limit, "after": int(rows[-1]["id"]), **({"site": site} if site is not None else {})}
            response.headers["Link"] = f'</api/v1/meters?{urlencode(params)}>; rel="next"'
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
def post_meter(meter: MeterIn, principal: Admin, engine: EngineDep, cache: CacheDep) -> dict[str, Any]:
    with write_connection(engine) as conn:
        site_id = conn.execute(sa.select(sites.c.id).where(sites.c.name == meter.site)).scalar()
        if site_id is None:
            raise QueryError(f"site {meter.site!r} does not exist; create it with POST /api/v1/sites", 404)
        if conn.execute(sa.select(meters.c.id).where(meters.c.name == meter.name)).first() is not None:
            raise QueryError(
                f"meter {meter.name!r} already exists; change it with PATCH /api/v1/meters/{meter.name}", 409
            )
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
                commissioned_at=_commissioning(meter.commissioned_at),
            )
        )
        row = conn.execute(sa.select(meters).where(meters.c.name == meter.name)).mappings().one()
        record(conn, principal, "meter.create", f"meter {meter.name}", **meter.model_dump())
    cache.forget(meter.name)
    return _meter_dict(row, meter.site)


_METER_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "no, unknown or revoked API token"},
    403: {"description": "the token's role is not admin"},
    404: {"description": "no such meter (or site)"},
    409: {"description": "the change would alter the meaning of stored readings"},
    422: {"description": "invalid change, naming the field"},
}


def _locked_meter(conn: Any, name: str) -> Any:
    """The meter ``name``, locked against concurrent batches (PostgreSQL ``FOR UPDATE``); 404 when absent."""
    query = sa.select(meters).where(meters.c.name == name)
    if backend(conn) == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).mappings().first()
    if row is None:
        raise QueryError(f"meter {name[:100]!r} does not exist (GET /api/v1/meters lists them)", 404)
    return row


def _stored_stats(conn: Any, meter_id: int) -> tuple[int, float | None, float | None]:
    """Number, lowest and highest value of the stored readings of a meter."""
    row = conn.execute(
        sa.select(sa.func.count(), sa.func.min(readings.c.value), sa.func.max(readings.c.value)).where(
            readings.c.meter_id == meter_id
        )
    ).one()
    return int(row[0]), row[1], row[2]


@router.patch(
    "/meters/{name}",
    tags=["meters"],
    responses=_METER_ERRORS,
    summary="Change a meter: description, asset, range; column, quantity, site without readings; retire (admin)",
)
def patch_meter(
    name: NamePath, change: MeterPatch, principal: Admin, engine: EngineDep, cache: CacheDep
) -> dict[str, Any]:
    """What may change, and when, is in the module docstring of ``greendc.service.routes.admin``:
    stored readings never change meaning. Retiring twice keeps the first retirement time."""
    sent = change.model_fields_set
    with write_connection(engine) as conn:
        row = _locked_meter(conn, name)
        count, low, high = _stored_stats(conn, int(row["id"]))
        values: dict[str, Any] = {}
        if "description" in sent:
            values["description"] = change.description
        if "asset" in sent:
            values["asset"] = change.asset
        lo = change.min_value if change.min_value is not None else row["min_value"]
        hi = change.max_value if change.max_value is not None else row["max_value"]
        if {"min_value", "max_value"} & sent:
            if not lo < hi:
                raise QueryError(f"range [{lo:g}, {hi:g}]: min_value must be below max_value")
            if count and (low < lo or high > hi):  # type: ignore[operator]
                raise QueryError(
                    f"range [{lo:g}, {hi:g}] {row['unit']} of meter {name!r} would leave stored readings outside "
                    f"it (stored values from {low:g} to {high:g}); a range can only narrow around stored readings",
                    409,
                )
            values.update(min_value=lo, max_value=hi)
        values.update(_identity_changes(conn, row, change, sent, count))
        if "commissioned_at" in sent:
            values["commissioned_at"] = _commissioning(change.commissioned_at, _first_reading(conn, int(row["id"])))
        if "retired" in sent:
            if change.retired and row["retired_at"] is None:
                values["retired_at"] = dt.datetime.now(dt.UTC)
            elif not change.retired:
                values["retired_at"] = None
        if values:
            conn.execute(sa.update(meters).where(meters.c.id == row["id"]).values(**values))
            record(conn, principal, "meter.patch", f"meter {name}", **values)
        row = conn.execute(sa.select(meters).where(meters.c.id == row["id"])).mappings().one()
        site_name = conn.execute(sa.select(sites.c.name).where(sites.c.id == row["site_id"])).scalar_one()
    cache.forget(name)
    return _meter_dict(row, site_name)


def _identity_changes(conn: Any, row: Any, change: MeterPatch, sent: set[str], count: int) -> dict[str, Any]:
    """Column, quantity, unit and site of a patch: refused (409) once the meter has stored readings."""
    values: dict[str, Any] = {}
    column = change.column if "column" in sent else row["telemetry_column"]
    quantity = change.quantity if "quantity" in sent and change.quantity is not None else None
    if quantity is None:
        quantity = quantity_of(column) if column is not None else row["quantity"]
    if column is not None and quantity != quantity_of(column):
        raise QueryError(f"quantity {quantity!r} contradicts column {column!r} ({quantity_of(column)})")
    if column != row["telemetry_column"] or quantity != row["quantity"]:
        values.update(telemetry_column=column, quantity=quantity, unit=UNITS[quantity])
    if "site" in sent:
        site_id = conn.execute(sa.select(sites.c.id).where(sites.c.name == change.site)).scalar()
        if site_id is None:
            raise QueryError(f"site {change.site!r} does not exist; create it with POST /api/v1/sites", 404)
        if site_id != row["site_id"]:
            values["site_id"] = site_id
    if values and count:
        fields = ", ".join(sorted({"telemetry_column": "column", "quantity": "quantity", "unit": "quantity",
                                   "site_id": "site"}[k] for k in values))  # fmt: skip
        raise QueryError(
            f"{fields} of meter {row['name']!r} cannot change: it has {count} stored readings measured as "
            f"{row['telemetry_column'] or row['quantity']} [{row['unit']}]; create a new meter and retire this one "
            '(PATCH {"retired": true})',
            409,
        )
    return values


@router.delete("/meters/{name}", tags=["meters"], responses=_METER_ERRORS, summary="Delete a meter (admin)")
def delete_meter(name: NamePath, principal: Admin, engine: EngineDep, cache: CacheDep) -> dict[str, Any]:
    """Only a meter without stored readings is deleted (the answer is the deleted meter). A meter with
    readings answers 409 and stays: readings are never deleted; retire it instead."""
    with write_connection(engine) as conn:
        row = _locked_meter(conn, name)
        count, _, _ = _stored_stats(conn, int(row["id"]))
        if count:
            raise QueryError(
                f"meter {name!r} has {count} stored readings and is not deleted (readings are never deleted); "
                f'retire it instead: PATCH /api/v1/meters/{name} {{"retired": true}} (it keeps its readings and '
                "takes no new ones)",
                409,
            )
        site_name = conn.execute(sa.select(sites.c.name).where(sites.c.id == row["site_id"])).scalar_one()
        conn.execute(sa.delete(meters).where(meters.c.id == row["id"]))
        record(conn, principal, "meter.delete", f"meter {name}")
    cache.forget(name)
    return _meter_dict(row, site_name)
