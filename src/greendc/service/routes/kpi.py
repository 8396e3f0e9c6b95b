"""KPIs from stored readings, the monthly committee report, alarms and the dashboard's data."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import pandas as pd
from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from greendc.errors import EdgeError, GreendcError, QueryError
from greendc.kpi import KpiOptions
from greendc.service.edge import NAME_PATTERN, parse_month, parse_step, parse_time
from greendc.service.queries import alarms, latest_events, latest_readings, site_meters, site_row, step_text, window
from greendc.service.reports import (
    dashboard_data,
    monthly_report,
    monthly_report_html,
    site_kpi_json,
    site_kpis,
    target_rows,
)
from greendc.service.routes.deps import EngineDep, SettingsDep, Viewer

router = APIRouter(prefix="/api/v1", tags=["kpi"])

Site = Annotated[
    str | None, Query(max_length=100, pattern=NAME_PATTERN, description="site name (default: the only site)")
]
Step = Annotated[str, Query(description="telemetry step: 15min, 1h … (readings are averaged within a step)")]
Category = Annotated[int, Query(ge=1, le=3, description="PUE measurement category (where E_IT is metered)")]
GridFactor = Annotated[float | None, Query(ge=0.0, description="grid emission factor [kg CO2e/kWh]")]
Share = Annotated[float, Query(ge=0.0, le=1.0)]


def _options(
    category: int, designed: bool, partial: bool, grid_factor: float | None, grid_ren: float, grid_cfe: float
) -> KpiOptions:
    try:
        return KpiOptions(
            pue_category=category,
            designed=designed,
            partial=partial,
            grid_emission_factor_kg_per_kwh=grid_factor,
            grid_renewable_share=grid_ren,
            grid_cfe_share=grid_cfe,
        )
    except GreendcError as exc:
        raise QueryError(str(exc)) from None


@router.get("/kpi", summary="KPIs of greendc.kpi over a time range, from stored readings")
def get_kpi(
    principal: Viewer,
    engine: EngineDep,
    settings: SettingsDep,
    site: Site = None,
    from_: Annotated[str | None, Query(alias="from", description="start, ISO 8601 with offset")] = None,
    to: Annotated[str | None, Query(description="end (exclusive), ISO 8601 with offset")] = None,
    step: Step = "1h",
    category: Category = 1,
    designed: bool = False,
    partial: bool = False,
    grid_emission_factor: GridFactor = None,
    grid_renewable_share: Share = 0.0,
    grid_cfe_share: Share = 0.0,
) -> dict[str, Any]:
    """The report of :func:`greendc.kpi.kpi_report` (the same code as ``greendc kpi``) on the telemetry table
    built from the site's meters, plus ``targets``. A gap in the readings is a 422 naming the meter."""
    options = _options(category, designed, partial, grid_emission_factor, grid_renewable_share, grid_cfe_share)
    step_td = parse_step(step)
    start = parse_time(from_, "from") if from_ else None
    end = parse_time(to, "to") if to else None
    with engine.connect() as conn:
        win = None
        if start is not None or end is not None:
            srow = site_row(conn, site)
            ids = [int(m["id"]) for m in site_meters(conn, int(srow["id"])) if m["telemetry_column"]]
            win = window(conn, ids, start, end, step_td)
        report, frame, srow = site_kpis(conn, site, win, step_td, options, settings)
    return site_kpi_json(report, frame, srow) | {"targets": target_rows(report, settings.targets)}


@router.get(
    "/reports/monthly",
    summary="Monthly committee report (JSON or self-contained HTML)",
    responses={200: {"content": {"application/json": {}, "text/html": {}}}},
)
def get_monthly_report(
    principal: Viewer,
    engine: EngineDep,
    settings: SettingsDep,
    month: Annotated[str, Query(max_length=7, description="YYYY-MM (UTC calendar month, 1970 to 2199)")],
    site: Site = None,
    format: Annotated[Literal["json", "html"], Query(description="json or html")] = "json",
    step: Step = "1h",
    category: Category = 1,
    grid_emission_factor: GridFactor = None,
) -> Any:
    """KPIs of the month against their targets, availability by class and the figures (HTML)."""
    options = _options(category, False, False, grid_emission_factor, 0.0, 0.0)
    start = parse_month(month)
    with engine.connect() as conn:
        report, frame, srow = monthly_report(conn, site, start, options, settings, parse_step(step))
    if format == "html":
        return HTMLResponse(monthly_report_html(report, frame, srow["timezone"]))
    return report


@router.get("/alarms", summary="Alarms of a site: reserve low, battery low, load shed, meter silent")
def get_alarms(principal: Viewer, engine: EngineDep, settings: SettingsDep, site: Site = None) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        srow = site_row(conn, site)
        rows = site_meters(conn, int(srow["id"]))
        return alarms(rows, latest_readings(conn, rows), settings, latest_events(conn, rows))


@router.get("/dashboard", summary="What the dashboard shows: flows, storage, KPIs against targets, alarms")
def get_dashboard(
    principal: Viewer,
    engine: EngineDep,
    settings: SettingsDep,
    site: Site = None,
    hours: Annotated[
        float | None, Query(gt=0.0, le=24 * 366, description="window length [h], one step or more")
    ] = None,
    step: Step = "1h",
) -> dict[str, Any]:
    step_td = parse_step(step)
    hours = hours or settings.dashboard_hours
    if pd.Timedelta(hours=hours) < step_td:
        raise EdgeError(f"hours={hours:g} is shorter than one step ({step_text(step_td)}); ask for at least one step")
    with engine.connect() as conn:
        return dashboard_data(conn, site, hours, step_td, settings)
