"""KPIs from stored readings, the monthly committee report and the dashboard's data.

The KPIs are those of :func:`greendc.kpi.kpi_report`, computed on the telemetry table that
:func:`greendc.service.queries.telemetry_frame` builds from the stored readings: the same code as
``greendc kpi`` on a CSV file. Figures reuse :mod:`greendc.report.figures` (its colours and labels, its
storage figure and monthly balance) and the HTML of :mod:`greendc.report.html`.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from greendc.errors import GreendcError, QueryError
from greendc.kpi import KpiOptions, KpiReport, kpi_report
from greendc.kpi.reporting import KPI_ROWS
from greendc.report import figures
from greendc.report.html import Section, render_html
from greendc.service.models import readings
from greendc.service.queries import (
    Window,
    alarms,
    data_span,
    latest_events,
    latest_readings,
    site_meters,
    site_row,
    step_text,
    telemetry_frame,
)
from greendc.service.settings import Settings, Targets

__all__ = [
    "dashboard_data",
    "flows_figure",
    "meets_target",
    "monthly_report",
    "monthly_report_html",
    "site_kpi_json",
    "site_kpis",
    "storage_levels_figure",
    "target_rows",
    "targets_figure",
]

#: Colour of grid import in the power-flow figure (the report figures have no grid).
GRID_COLOUR = "#8c8c8c"


def site_kpis(
    conn: Connection, site: str | None, win: Window | None, step: pd.Timedelta, options: KpiOptions, settings: Settings
) -> tuple[KpiReport, pd.DataFrame, Any]:
    """KPI report of a site over a window (or all its readings): ``(report, telemetry table, site row)``.

    Raises
    ------
    QueryError
        A gap in the readings or a telemetry check that fails (422), naming the meter or column and the time.
    """
    srow = site_row(conn, site)
    frame, win = telemetry_frame(conn, int(srow["id"]), win, step, settings.max_query_readings, strict=True)
    try:
        report = kpi_report(frame, options, source=f"site {srow['name']}")
    except GreendcError as exc:
        raise QueryError(str(exc)) from None
    return report, frame, srow


def site_kpi_json(report: KpiReport, frame: pd.DataFrame, srow: Any) -> dict[str, Any]:
    """The JSON of a site's KPI report (:func:`site_kpis`): :meth:`~greendc.kpi.reporting.KpiReport.as_dict`,
    then ``site`` (the site's name) and ``columns`` (the telemetry columns its meters gave)."""
    return report.as_dict() | {"site": srow["name"], "columns": list(frame.columns)}


#: Relative slack of "meets its target": a KPI equal to its target up to rounding meets it (a 24/7 CFE score of
#: 0.9999999999 from sums of floats meets a target of 1) [-].
TARGET_TOLERANCE = 1e-9


def meets_target(value: float, target: float, relation: str) -> bool:
    """Whether ``value`` meets ``target`` in the target's direction: ``">="`` higher is better, ``"<="`` lower is
    better; equality (up to :data:`TARGET_TOLERANCE`) meets it.

    >>> meets_target(1.0, 1.0, ">="), meets_target(0.9999999999, 1.0, ">="), meets_target(1.21, 1.2, "<=")
    (True, True, False)
    """
    slack = TARGET_TOLERANCE * max(1.0, abs(target))
    return value >= target - slack if relation == ">=" else value <= target + slack


def target_rows(report: KpiReport, targets: Targets) -> list[dict[str, Any]]:
    """Each KPI with a target: ``name``, ``label``, ``value``, ``target``, ``relation`` (``<=`` lower is better,
    ``>=`` higher is better), ``met`` (:func:`meets_target`; None when the KPI is undefined)."""
    rows = [
        ("pue", "PUE", "<=", targets.pue_max, report.pue),
        ("ref", "REF", ">=", targets.ref_min, report.ref),
        ("wue_l_per_kwh", "WUE [L/kWh]", "<=", targets.wue_l_per_kwh_max, report.wue_l_per_kwh),
        ("cfe_share", "24/7 CFE share", ">=", targets.cfe_share_min, report.cfe_share),
    ]
    rows += [
        (f"served_fraction_{name}", f"served share, {name}", ">=", targets.served_fraction_min, a["served_fraction"])
        for name, a in report.availability.items()
    ]
    out = []
    for key, label, rel, target, value in rows:
        met = None if value is None else meets_target(value, target, rel)
        out.append({"name": key, "label": label, "value": value, "target": target, "relation": rel, "met": met})
    return out


def flows_figure(frame: pd.DataFrame, timezone: str = "UTC") -> go.Figure:
    """Power flows over a window: supply stacked above zero, sinks below, facility load as a line [MW].

    Same colours, labels and sign convention as :func:`greendc.report.figures.dispatch_weeks_figure`, for a
    window of any length (gaps shown as gaps), with grid import (metered sites may have one) in the stack.
    """
    fig = go.Figure()
    x = frame.index.tz_convert(timezone)
    colours = {**figures.COLOURS, "grid_import_mw": GRID_COLOUR}
    labels = {**figures.LABELS, "grid_import_mw": "Grid import"}
    for col in (*figures.SUPPLY, "grid_import_mw", *figures.SINKS):
        if col not in frame or not (frame[col].abs() > 1e-9).any():
            continue
        sign = -1.0 if col in figures.SINKS else 1.0
        fig.add_trace(
            go.Scatter(
                x=x,
                y=sign * frame[col],
                name=labels[col],
                stackgroup="neg" if col in figures.SINKS else "pos",
                line={"width": 0},
                fillcolor=colours[col],
            )
        )
    for col in ("facility_mw", "it_mw"):
        if col in frame:
            fig.add_trace(go.Scatter(x=x, y=frame[col], name=figures.LABELS[col], line={"color": figures.COLOURS[col]}))
    fig.update_layout(title=f"Power flows (time zone {timezone})", yaxis_title="MW", height=420, hovermode="x")
    return fig


#: Gauges per row of the targets figure, so that titles never share the width of a narrow gauge [-].
GAUGES_PER_ROW = 4
#: Colours of a gauge: the bar when the target is met and when not, and the band of values that meet it.
MET_COLOUR, NOT_MET_COLOUR, MET_BAND = "#11a579", "#e73f74", "#e3f4ea"


def _number_format(value: float, target: float, met: bool) -> str:
    """Three decimals, or as many more (up to six) as it takes for a value that misses its target not to read as
    the target itself (0.9996 against ≥ 1 shows 0.9996, not 1.000)."""
    for digits in range(3, 7):
        if met or round(value, digits) != round(target, digits):
            return f".{digits}f"
    return ".6f"


def targets_figure(rows: list[dict[str, Any]]) -> go.Figure:
    """One gauge per KPI with its target as the threshold line, at most :data:`GAUGES_PER_ROW` to a row.

    Colours follow each target's direction: the band of values that meet the target is shaded (above it when
    higher is better, below it when lower is better), and the bar is green when the value meets the target
    (equality included, :func:`meets_target`) and red when not.
    """
    shown = [r for r in rows if r["value"] is not None]
    n = max(1, len(shown))
    columns = min(n, GAUGES_PER_ROW)
    n_rows = -(-n // columns)
    fig = go.Figure()
    for i, r in enumerate(shown):
        value, target, rel = float(r["value"]), float(r["target"]), r["relation"]
        met = meets_target(value, target, rel)
        top = max(target, value) * 1.25 if rel == "<=" else max(1.0, value, target)
        band = [0.0, target] if rel == "<=" else [target, top]
        sense = "lower is better" if rel == "<=" else "higher is better"
        fig.add_trace(
            go.Indicator(
                mode="gauge+number",
                value=value,
                domain={"row": i // columns, "column": i % columns},
                title={
                    "text": f"{r['label']}<br><span style='font-size:0.75em;color:#555'>target "
                    f"{'≤' if rel == '<=' else '≥'} {target:g} ({sense})</span>",
                    "font": {"size": 15},
                },
                number={"valueformat": _number_format(value, target, met), "font": {"size": 34}},
                gauge={
                    "axis": {"range": [0, top]},
                    "bar": {"color": MET_COLOUR if met else NOT_MET_COLOUR},
                    "steps": [{"range": band, "color": MET_BAND}],
                    "threshold": {"line": {"color": "#222", "width": 3}, "thickness": 0.9, "value": target},
                },
            )
        )
    fig.update_layout(
        grid={"rows": n_rows, "columns": columns, "pattern": "independent", "xgap": 0.3, "ygap": 0.45},
        height=250 * n_rows + 30,
        margin={"t": 80, "b": 20, "l": 40, "r": 40},
    )
    return fig


def storage_levels_figure(frame: pd.DataFrame, timezone: str = "UTC") -> go.Figure:
    """Stored energies over a window: :func:`greendc.report.figures.storage_figure` when the site meters both
    the battery and the hydrogen store, else one panel for the one it has [MWh]."""
    present = [c for c in ("battery_soc_mwh", "h2_level_mwh") if c in frame]
    if len(present) == 2:
        return figures.storage_figure(frame, timezone)
    col = present[0]
    title = "Battery" if col == "battery_soc_mwh" else "Hydrogen store (LHV)"
    fig = go.Figure(go.Scatter(x=frame.index.tz_convert(timezone), y=frame[col], name=title, line={"color": "#7f3c8d"}))
    fig.update_layout(
        title=f"{title}: energy stored",
        yaxis={"title": {"text": "MWh"}, "rangemode": "tozero"},
        height=320,
        showlegend=False,
    )
    return fig


def _figure_json(fig: go.Figure) -> dict[str, Any]:
    return json.loads(fig.to_json())


def _last_complete(frame: pd.DataFrame) -> pd.DataFrame:
    """The trailing run of steps in which every column has a value."""
    complete = frame.notna().all(axis=1).to_numpy()
    if not complete.any():
        return frame.iloc[0:0]
    last = int(np.flatnonzero(complete)[-1])
    first = last
    while first > 0 and complete[first - 1]:
        first -= 1
    return frame.iloc[first : last + 1]


def _json_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(v) for v in value]
    if isinstance(value, (float, np.floating)):
        return float(value) if np.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.isoformat()
    return value


def dashboard_data(
    conn: Connection, site: str | None, hours: float, step: pd.Timedelta, settings: Settings
) -> dict[str, Any]:
    """Everything the dashboard shows for the last ``hours`` of a site, up to its newest reading.

    Returns
    -------
    dict
        ``site``, ``window`` (start, end, step), ``newest``, ``latest`` (per meter: column, unit, time, value),
        ``kpi`` (report over the last run of complete steps, or None) and ``kpi_note``, ``targets``,
        ``alarms``, and ``figures`` (plotly JSON: ``flows``, ``storage``, ``targets``).
    """
    srow = site_row(conn, site)
    meter_rows = site_meters(conn, int(srow["id"]))
    latest = latest_readings(conn, meter_rows)
    out: dict[str, Any] = {
        "site": srow["name"],
        "timezone": srow["timezone"],
        "refresh_s": settings.dashboard_refresh_s,
        "alarms": alarms(meter_rows, latest, settings, latest_events(conn, meter_rows)),
        "latest": [
            {
                "meter": m["name"],
                "asset": m["asset"],
                "column": m["telemetry_column"],
                "unit": m["unit"],
                "ts": latest[int(m["id"])][0] if int(m["id"]) in latest else None,
                "value": latest[int(m["id"])][1] if int(m["id"]) in latest else None,
            }
            for m in meter_rows
        ],
        "newest": max((ts for ts, _ in latest.values()), default=None),
        "kpi": None,
        "kpi_note": None,
        "targets": [],
        "figures": {},
    }
    if not latest or not any(m["telemetry_column"] for m in meter_rows):
        out["kpi_note"] = "no readings of telemetry meters yet"
        return _json_ready(out)
    newest: pd.Timestamp = out["newest"]
    end = newest.floor(step) + step
    start = end - pd.Timedelta(hours=hours).ceil(step)
    frame, win = telemetry_frame(
        conn, int(srow["id"]), Window(start, end, step), step, settings.max_query_readings, strict=False
    )
    out["window"] = {"start": win.start, "end": win.end, "step": step_text(win.step)}
    tz = srow["timezone"]
    out["figures"]["flows"] = _figure_json(flows_figure(frame, tz))
    if {"battery_soc_mwh", "h2_level_mwh"} & set(frame.columns):
        out["figures"]["storage"] = _figure_json(storage_levels_figure(frame, tz))
    complete = _last_complete(frame)
    if len(complete) >= 2:
        try:
            report = kpi_report(complete, KpiOptions(), source=f"site {srow['name']}")
        except GreendcError as exc:
            out["kpi_note"] = str(exc)
        else:
            out["kpi"] = report.as_dict()
            out["kpi_note"] = (
                f"KPIs over the last {len(complete)} complete steps of {step_text(win.step)}: "
                f"{report.period_start} to {report.period_end}"
            )
            out["targets"] = target_rows(report, settings.targets)
            out["figures"]["targets"] = _figure_json(targets_figure(out["targets"]))
    else:
        out["kpi_note"] = "fewer than two steps in which every meter has a reading: no KPIs yet"
    return _json_ready(out)


def monthly_report(
    conn: Connection,
    site: str | None,
    start: pd.Timestamp,
    options: KpiOptions,
    settings: Settings,
    step: pd.Timedelta,
) -> tuple[dict[str, Any], pd.DataFrame, Any]:
    """The committee report of a calendar month (UTC): KPIs, targets, availability, data coverage.

    The period is the month, cut to the site's first and last readings when they fall inside it
    (``complete_month`` then says False); a gap inside the period is an error naming the meter.

    Parameters
    ----------
    start : pandas.Timestamp
        First instant of the month (UTC), from :func:`greendc.service.edge.parse_month`.

    Returns
    -------
    tuple
        ``(report, telemetry table, site row)``; the report is JSON-ready.
    """
    month = f"{start:%Y-%m}"
    month_end = start + pd.offsets.MonthBegin(1)
    srow = site_row(conn, site)
    ids = [int(m["id"]) for m in site_meters(conn, int(srow["id"])) if m["telemetry_column"]]
    lo, hi = data_span(conn, ids)
    if lo is None or hi is None or hi < start or lo >= month_end:
        raise QueryError(f"no readings of site {srow['name']!r} in {month}", 404)
    first, end = max(start, lo.floor(step)), min(month_end, hi.floor(step) + step)
    report, frame, srow = site_kpis(conn, srow["name"], Window(first, end, step), step, options, settings)
    n_readings = int(
        conn.execute(
            sa.select(sa.func.count())
            .select_from(readings)
            .where(
                readings.c.meter_id.in_(ids),
                readings.c.ts >= first.to_pydatetime(),
                readings.c.ts < end.to_pydatetime(),
            )
        ).scalar_one()
    )
    out = {
        "title": f"Monthly report {month}, site {srow['name']}",
        "site": srow["name"],
        "month": month,
        "period_start": first,
        "period_end": end,
        "complete_month": bool(first == start and end == month_end),
        "step": step_text(step),
        "kpi": site_kpi_json(report, frame, srow),
        "targets": target_rows(report, settings.targets),
        "readings_stored": n_readings,
        "generated_at": dt.datetime.now(dt.UTC),
    }
    return _json_ready(out), frame, srow


def _fmt(value: Any, fmt: str) -> str:
    return "n/a" if value is None else format(value, fmt)


def monthly_report_html(report: dict[str, Any], frame: pd.DataFrame, timezone: str = "UTC") -> str:
    """The monthly report as a self-contained HTML page (:func:`greendc.report.html.render_html`)."""
    kpi = report["kpi"]
    key_rows = {f"{label} [{unit}]": _fmt(kpi.get(key), fmt) for key, label, unit, fmt in KPI_ROWS}
    target_rows_ = {
        r["label"]: f"{_fmt(r['value'], '.4g')} (target {r['relation']} {r['target']:g}): "
        + ("met" if r["met"] else "n/a" if r["met"] is None else "NOT met")
        for r in report["targets"]
    }
    avail = {
        f"class {name}": f"served {_fmt(a.get('served_fraction'), '.5f')}, {a.get('shortfall_hours', 0):g} h short"
        for name, a in (kpi.get("availability") or {}).items()
    }
    figs: list[go.Figure] = [flows_figure(frame, timezone)]
    if {"battery_soc_mwh", "h2_level_mwh"} & set(frame.columns):
        figs.append(storage_levels_figure(frame, timezone))
    if "facility_mw" in frame:
        figs.append(figures.monthly_balance_figure(frame))
    if "curtailed_mw" in frame and len(frame) >= 2:
        figs.append(figures.day_hour_heatmap(frame["curtailed_mw"], "Curtailment", timezone))
    sections = [
        Section(
            "Period",
            rows={
                "site": report["site"],
                "from (UTC)": report["period_start"],
                "to (UTC, exclusive)": report["period_end"],
                "whole month": "yes" if report["complete_month"] else "no (readings cover part of it)",
                "step": report["step"],
                "PUE label": f"{kpi['pue_kind']}, category {kpi['pue_category']}",
                "readings stored": f"{report['readings_stored']:,}",
            },
        ),
        Section("Key figures", rows=key_rows),
        Section("Against targets", rows=target_rows_),
    ]
    if avail:
        sections.append(Section("Availability by workload class", rows=avail))
    if kpi.get("notes"):
        sections.append(Section("Notes", text=" ".join(kpi["notes"])))
    sections.append(Section("Figures", figures=tuple(figs)))
    return render_html(report["title"], sections, footer=f"generated {report['generated_at']} by greendc")
