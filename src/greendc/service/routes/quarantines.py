"""Quarantined readings: an admin takes a meter's readings of a time range out of service.

A quarantine keeps the readings (nothing is deleted, and re-sending them stays a harmless duplicate) and
excludes them from KPIs, reports, the dashboard and alarms; ``GET /api/v1/readings`` still shows them.
Releasing a quarantine puts them back. Both actions are written to the audit log. This is how a site
recovers from a meter whose clock was wrong: its readings stop counting without being lost.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Path, Query
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from greendc.errors import EdgeError, QueryError
from greendc.service.audit import record
from greendc.service.db import write_connection
from greendc.service.edge import INT32_MAX, NAME_PATTERN, Text, to_utc
from greendc.service.models import isoformat_or_none, meters, quarantines, readings
from greendc.service.rollups import rebuild
from greendc.service.routes.deps import Admin, EngineDep

router = APIRouter(prefix="/api/v1", tags=["quarantines"])


class QuarantineIn(BaseModel):
    """Readings of ``meter`` with ``from <= ts < to`` to take out of service, and why."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    meter: str = Field(pattern=NAME_PATTERN, description="meter name")
    from_: AwareDatetime = Field(alias="from", description="start (inclusive), with UTC offset")
    to: AwareDatetime = Field(description="end (exclusive), with UTC offset")
    reason: Text = Field(min_length=1, max_length=500, description="why, for the audit log and the report")


def _public(row: Any, meter: str) -> dict[str, Any]:
    return {
        "id": row["id"],
        "meter": meter,
        "from": isoformat_or_none(row["ts_from"]),
        "to": isoformat_or_none(row["ts_to"]),
        "reason": row["reason"],
        "created_at": isoformat_or_none(row["created_at"]),
        "created_by": row["created_by"],
        "released_at": isoformat_or_none(row["released_at"]),
        "released_by": row["released_by"],
    }


def _count(conn: Any, meter_id: int, start: dt.datetime, end: dt.datetime) -> int:
    return int(
        conn.execute(
            sa.select(sa.func.count())
            .select_from(readings)
            .where(readings.c.meter_id == meter_id, readings.c.ts >= start, readings.c.ts < end)
        ).scalar_one()
    )


@router.post("/quarantines", status_code=201, summary="Take readings of a meter out of service (admin)")
def post_quarantine(body: QuarantineIn, principal: Admin, engine: EngineDep) -> dict[str, Any]:
    """The answer says how many stored readings the range holds now (``readings``)."""
    start, end = to_utc(body.from_, "from", bounded=False), to_utc(body.to, "to", bounded=False)
    if end <= start:
        raise EdgeError(f"to={end.isoformat()} must come after from={start.isoformat()}")
    with write_connection(engine) as conn:
        meter_id = conn.execute(sa.select(meters.c.id).where(meters.c.name == body.meter)).scalar()
        if meter_id is None:
            raise QueryError(f"meter {body.meter!r} does not exist (GET /api/v1/meters lists them)", 404)
        new_id = conn.execute(
            sa.insert(quarantines)
            .values(meter_id=meter_id, ts_from=start, ts_to=end, reason=body.reason, created_by=principal.token_id)
            .returning(quarantines.c.id)
        ).scalar_one()
        rebuild(conn, int(meter_id), start, end)
        count = _count(conn, int(meter_id), start, end)
        record(conn, principal, "quarantine.create", f"meter {body.meter}", id=new_id, start=start, end=end,
               reason=body.reason, readings=count)  # fmt: skip
        row = conn.execute(sa.select(quarantines).where(quarantines.c.id == new_id)).mappings().one()
    return {**_public(row, body.meter), "readings": count}


@router.get("/quarantines", summary="List quarantines (admin)")
def get_quarantines(
    principal: Admin,
    engine: EngineDep,
    meter: Annotated[str | None, Query(max_length=100, pattern=NAME_PATTERN, description="only this meter")] = None,
    active: Annotated[bool, Query(description="only those not released")] = False,
) -> list[dict[str, Any]]:
    query = sa.select(quarantines, meters.c.name.label("meter_name")).join(meters).order_by(quarantines.c.id)
    if meter is not None:
        query = query.where(meters.c.name == meter)
    if active:
        query = query.where(quarantines.c.released_at.is_(None))
    with engine.connect() as conn:
        return [_public(r, r["meter_name"]) for r in conn.execute(query).mappings()]


@router.delete("/quarantines/{quarantine_id}", summary="Release a quarantine: its readings count again (admin)")
def delete_quarantine(
    quarantine_id: Annotated[int, Path(ge=1, le=INT32_MAX)], principal: Admin, engine: EngineDep
) -> dict[str, Any]:
    """Releasing twice keeps the first release."""
    with write_connection(engine) as conn:
        query = sa.select(quarantines, meters.c.name.label("meter_name")).join(meters)
        row = conn.execute(query.where(quarantines.c.id == quarantine_id)).mappings().first()
        if row is None:
            raise QueryError(f"quarantine {quarantine_id} does not exist (GET /api/v1/quarantines lists them)", 404)
        if row["released_at"] is None:
            conn.execute(
                sa.update(quarantines)
                .where(quarantines.c.id == quarantine_id)
                .values(released_at=dt.datetime.now(dt.UTC), released_by=principal.token_id)
            )
            rebuild(conn, int(row["meter_id"]), row["ts_from"], row["ts_to"])
            record(conn, principal, "quarantine.release", f"meter {row['meter_name']}", id=quarantine_id)
            row = conn.execute(query.where(quarantines.c.id == quarantine_id)).mappings().one()
    return _public(row, row["meter_name"])
