"""Readings: ingestion (JSON batch, CSV upload) and queries by meter and time range, resampled, in pages."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool

from greendc.errors import AuthError, EdgeError, IngestError, QueryError
from greendc.service.auth import Principal, out_of_scope
from greendc.service.edge import INT32_MAX, NAME_PATTERN, parse_step, parse_time
from greendc.service.ingest import MeterCache, Reading, ReadingBatch, TimeBounds, ingest, parse_batch, parse_csv
from greendc.service.models import meters, to_epoch_us
from greendc.service.queries import AGGREGATES, fetch_readings, readings_page, resample, step_text
from greendc.service.routes.deps import CacheDep, EngineDep, Operator, SettingsDep, Viewer
from greendc.service.settings import Settings

router = APIRouter(prefix="/api/v1", tags=["readings"])


class IngestAnswer(BaseModel):
    """Readings received, newly stored, and already stored with the same value (a re-sent batch)."""

    received: int
    inserted: int
    duplicates: int


def _batch_schema() -> dict[str, Any]:
    schema = ReadingBatch.model_json_schema()
    defs = schema.pop("$defs")
    schema["properties"]["readings"]["items"] = defs["Reading"]
    return schema


_ERRORS = {
    401: {"description": "no, unknown or revoked API token"},
    403: {"description": "the token's role is too weak"},
}


def _store(
    engine: Engine, principal: Principal, batch: list[Reading], cache: MeterCache, settings: Settings
) -> dict[str, int]:
    """Store a parsed batch for ``principal``: 403 when a scoped gateway names a meter outside its scope."""
    if principal.scope_sites is not None or principal.scope_meters is not None:
        with engine.connect() as conn:
            outside = out_of_scope(conn, principal, {r.meter for r in batch})
        if outside:
            shown = ", ".join(repr(n) for n in outside[:10])
            raise AuthError(
                f"token {principal.token_id} may not write to meter(s) {shown}: its scope is sites "
                f"{list(principal.scope_sites or [])} and meters {list(principal.scope_meters or [])}; nothing stored",
                403,
            )
    return ingest(engine, batch, cache, TimeBounds(max_future_s=settings.max_future_s)).to_dict()


@router.post(
    "/readings",
    response_model=IngestAnswer,
    responses={
        **_ERRORS,
        409: {"description": "a reading conflicts with a stored one; nothing stored"},
        413: {"description": "body or batch too large"},
        422: {"description": "invalid batch; nothing stored"},
    },
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": _batch_schema()}}}},
    summary="Store a batch of readings (all or nothing, idempotent)",
)
async def post_readings(
    request: Request, principal: Operator, engine: EngineDep, settings: SettingsDep, cache: CacheDep
) -> dict[str, int]:
    """Validate and store a JSON batch in one transaction; the answer comes after the commit.

    Re-sending a batch stores nothing twice (``duplicates`` counts readings already stored with the same
    value); a different value for a stored ``(meter, ts)`` is a 409 conflict.
    """
    body = await request.body()

    def work() -> dict[str, int]:
        batch = parse_batch(body, settings.max_batch_readings)
        return _store(engine, principal, batch, cache, settings)

    return await run_in_threadpool(work)


@router.post(
    "/readings/csv",
    response_model=IngestAnswer,
    responses={**_ERRORS, 409: {"description": "conflict"}, 413: {"description": "too large"}, 422: {}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "multipart/form-data": {
                    "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
                },
            },
        }
    },
    summary="Store readings from a CSV file (long meter,ts,value or wide timestamp,<meter>,...)",
)
async def post_readings_csv(
    request: Request, principal: Operator, engine: EngineDep, settings: SettingsDep, cache: CacheDep
) -> dict[str, int]:
    """Bulk upload: the CSV as the body (``Content-Type: text/csv``) or as the form field ``file``."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        async with request.form(max_files=1, max_fields=5) as form:
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise IngestError("multipart upload: no file in the form field 'file'")
            raw = await upload.read()
    else:
        raw = await request.body()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(f"CSV upload is not UTF-8 text (byte {exc.start})") from None

    def work() -> dict[str, int]:
        batch = parse_csv(text, settings.max_batch_readings)
        return _store(engine, principal, batch, cache, settings)

    return await run_in_threadpool(work)


def _query_key(meter_id: int, from_: str | None, to: str | None, step: str | None, agg: str) -> str:
    text = json.dumps([meter_id, from_, to, step, agg if step else None])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def make_cursor(key: str, next_start: pd.Timestamp) -> str:
    """An opaque cursor: where the next page starts, bound to the query it was made for."""
    body = json.dumps({"k": key, "s": to_epoch_us(next_start.to_pydatetime())}).encode()
    return base64.urlsafe_b64encode(body).decode().rstrip("=")


def read_cursor(cursor: str, key: str) -> pd.Timestamp:
    """Where the page of ``cursor`` starts; 422 for a cursor not made by this endpoint for this query."""
    try:
        body = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        made_for, start_us = body["k"], int(body["s"])
    except (ValueError, TypeError, KeyError):
        raise QueryError(
            f"cursor={cursor[:40]!r} is not a cursor of this endpoint; pass the next_cursor of the previous page"
        ) from None
    if made_for != key:
        raise QueryError(
            "cursor: this cursor was made for another query; keep meter, from, to, step and agg unchanged while "
            "walking the pages"
        )
    return pd.Timestamp(start_us, unit="us", tz="UTC")


@router.get(
    "/readings",
    responses={**_ERRORS, 413: {"description": "too many readings; narrow the range or page with limit"}},
    summary="Readings of a meter over a time range, optionally resampled and in pages",
)
def get_readings(
    principal: Viewer,
    engine: EngineDep,
    settings: SettingsDep,
    meter: Annotated[str, Query(max_length=100, pattern=NAME_PATTERN, description="meter name")],
    from_: Annotated[str | None, Query(alias="from", description="start, ISO 8601 with offset (inclusive)")] = None,
    to: Annotated[str | None, Query(description="end, ISO 8601 with offset (exclusive)")] = None,
    step: Annotated[str | None, Query(description="resampling step: 30s, 15min, 1h, 1D …; none = raw")] = None,
    agg: Annotated[str, Query(description=f"aggregate within a step: {', '.join(AGGREGATES)}")] = "mean",
    limit: Annotated[
        int | None,
        Query(
            ge=1, le=INT32_MAX, description="page size: readings (raw) or steps (resampled), at most max_page_readings"
        ),
    ] = None,
    cursor: Annotated[
        str | None, Query(max_length=200, description="next_cursor of the previous page (same query otherwise)")
    ] = None,
) -> dict[str, Any]:
    """``{"meter", "unit", "step", "agg", "ts": [...], "value": [...], "next_cursor"}``, times in UTC, steps
    labelled by start, in time order.

    Without ``limit``, every matching reading (413 beyond ``max_query_readings``) and ``next_cursor`` null.
    With ``limit``, one page: pass its ``next_cursor`` (null on the last page) as ``cursor`` with the same
    other parameters to get the next one. Walking the pages returns each reading stored before the walk once,
    none skipped nor repeated (pages start after the last reading of the previous one, not at an offset).
    Readings in a quarantine are listed too (they are kept; only the KPIs, reports and dashboard leave them
    out): ``GET /api/v1/quarantines`` says which ranges are out of service.
    """
    start = parse_time(from_, "from") if from_ else None
    end = parse_time(to, "to") if to else None
    step_td = parse_step(step) if step else None
    if start is not None and end is not None and end <= start:
        raise EdgeError(f"to={end.isoformat()} must come after from={start.isoformat()}")
    if agg not in AGGREGATES:
        raise QueryError(f"agg={agg[:30]!r}; allowed: {', '.join(AGGREGATES)}")
    if limit is not None and limit > settings.max_page_readings:
        raise QueryError(
            f"limit={limit}: at most {settings.max_page_readings} per page (max_page_readings); "
            "walk the pages with cursor=next_cursor"
        )
    if cursor is not None and limit is None:
        raise QueryError("cursor needs limit (the page size), e.g. limit=10000&cursor=<next_cursor>")
    next_cursor = None
    with engine.connect() as conn:
        row = conn.execute(meters.select().where(meters.c.name == meter)).mappings().first()
        if row is None:
            raise QueryError(f"meter {meter!r} does not exist (GET /api/v1/meters lists them)", 404)
        if limit is None:
            data = fetch_readings(conn, [int(row["id"])], start, end, settings.max_query_readings, True)
            series = pd.Series(data["value"].to_numpy(), index=pd.DatetimeIndex(data["ts"]))
            if step_td is not None:
                series = resample(series, step_td, agg)
        else:
            key = _query_key(int(row["id"]), from_, to, step, agg)
            if cursor is not None:
                start = read_cursor(cursor, key)
            page = readings_page(
                conn,
                int(row["id"]),
                start,
                end,
                limit,
                step_td,
                agg,
                max_readings=settings.max_query_readings,
                include_quarantined=True,
            )
            series = page.series
            next_cursor = None if page.next_start is None else make_cursor(key, page.next_start)
    return {
        "meter": meter,
        "unit": row["unit"],
        "step": None if step_td is None else step_text(step_td),
        "agg": None if step_td is None else agg,
        "ts": [t.isoformat() for t in series.index],
        "value": [float(v) for v in series.to_numpy()],
        "next_cursor": next_cursor,
    }
