"""Plotly figures of a plan or a simulation, built from the canonical dispatch table.

Every function takes plain pandas/dict inputs with the canonical column names (``pv_mw``, ``wind_mw``,
``battery_charge_mw``, ``battery_discharge_mw``, ``battery_soc_mwh``, ``electrolyser_mw``, ``h2_level_mwh``,
``fuel_cell_mw``, ``curtailed_mw``, ``it_mw``, ``facility_mw``, ``unserved_mw``) so that plans, simulations
and meters share them; names and units shown come from :mod:`greendc.report.labels`. Each axis carries one
quantity (power, energy, water …), and a panel whose series are all zero is left out (:func:`has_data`): the
report says so in words instead. Time is shown in the site's display time zone.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from greendc.report.labels import CAPACITIES, FLOWS

#: One colour per flow, used in every figure.
COLOURS: dict[str, str] = {
    "pv_mw": "#f2b701",
    "wind_mw": "#3969ac",
    "battery_discharge_mw": "#7f3c8d",
    "battery_charge_mw": "#b497bd",
    "fuel_cell_mw": "#11a579",
    "electrolyser_mw": "#80ba5a",
    "curtailed_mw": "#a5aa99",
    "unserved_mw": "#e73f74",
    "facility_mw": "#222222",
    "it_mw": "#555555",
}
#: Legend names of the flows (:data:`greendc.report.labels.FLOWS`).
LABELS: dict[str, str] = {k: FLOWS[k].words for k in COLOURS}
SUPPLY = ("pv_mw", "wind_mw", "battery_discharge_mw", "fuel_cell_mw", "unserved_mw")
SINKS = ("battery_charge_mw", "electrolyser_mw", "curtailed_mw")


def _local(index: pd.DatetimeIndex, timezone: str) -> pd.DatetimeIndex:
    return index.tz_convert(timezone)


def _step_hours(index: pd.DatetimeIndex) -> float:
    return (index[1] - index[0]) / pd.Timedelta(hours=1)


def has_data(values: pd.Series | pd.DataFrame | None, tolerance: float = 1e-9) -> bool:
    """Whether a series (or any column of a frame) has a value farther from zero than ``tolerance``."""
    if values is None or len(values) == 0:
        return False
    return bool((values.abs() > tolerance).to_numpy().any())


def capacity_figure(capacities: dict[str, float], units: dict[str, str]) -> go.Figure:
    """Bar charts of built capacities, one panel per unit (MW, MWh, m³ …), so that no axis mixes two quantities.

    Capacities of zero are left out (the capacity table lists them).

    Parameters
    ----------
    capacities : dict
        Asset name → capacity (e.g. ``{"pv_mw": 1200.0, "battery_mwh": 4000.0}``).
    units : dict
        Asset name → unit (``"MW"``, ``"MWh"``).
    """
    built = {k: float(v) for k, v in capacities.items() if abs(float(v)) > 1e-9}
    groups: dict[str, list[str]] = {}
    for name in built:
        groups.setdefault(units.get(name, ""), []).append(name)
    if not groups:
        groups = {"MW": []}
    fig = make_subplots(
        rows=1,
        cols=len(groups),
        column_widths=[max(1, len(g)) for g in groups.values()],
        subplot_titles=[f"in {u}" if u else "other" for u in groups],
        horizontal_spacing=0.08,
    )
    for col, (unit, names) in enumerate(groups.items(), start=1):
        fig.add_trace(
            go.Bar(
                x=[CAPACITIES[n].words if n in CAPACITIES else n for n in names],
                y=[built[n] for n in names],
                text=[f"{built[n]:,.0f} {unit}" for n in names],
                textposition="outside",
                cliponaxis=False,
                marker_color="#3969ac",
                hovertemplate="%{x}: %{y:,.0f} " + unit + "<extra></extra>",
            ),
            row=1,
            col=col,
        )
        fig.update_yaxes(title_text=unit, rangemode="tozero", row=1, col=col)
    fig.update_layout(title="Built capacity, one panel per unit", showlegend=False, margin={"t": 90})
    return fig


def cost_figure(annual_cost_usd: dict[str, float]) -> go.Figure:
    """Annualised cost by component [million USD per year] as a horizontal bar chart."""
    items = sorted(annual_cost_usd.items(), key=lambda kv: kv[1])
    fig = go.Figure(
        go.Bar(
            y=[k for k, _ in items],
            x=[v / 1e6 for _, v in items],
            orientation="h",
            text=[f"{v / 1e6:,.1f}" for _, v in items],
            textposition="outside",
            marker_color="#11a579",
        )
    )
    fig.update_layout(title="Annualised cost by component", xaxis_title="million USD per year", showlegend=False)
    return fig


def season_weeks(index: pd.DatetimeIndex) -> list[tuple[str, pd.Timestamp]]:
    """Start of one week per meteorological season present in ``index`` (first Monday on/after the 15th
    of Jan, Apr, Jul, Oct of the first year), skipping weeks that are not fully inside the index."""
    weeks = []
    year = index[0].year
    for label, month in (("January", 1), ("April", 4), ("July", 7), ("October", 10)):
        start = pd.Timestamp(year=year, month=month, day=15, tz=index.tz)
        start = start + pd.Timedelta(days=(7 - start.weekday()) % 7)
        if start >= index[0] and start + pd.Timedelta(days=7) <= index[-1]:
            weeks.append((label, start))
    if not weeks:
        weeks.append(("First", index[0]))
    return weeks


def dispatch_weeks_figure(dispatch: pd.DataFrame, timezone: str = "UTC") -> go.Figure:
    """Stacked supply against the facility load for one week per season.

    Supply (PV, wind, battery discharge, fuel cell, unserved) is stacked above zero; sinks (battery
    charge, electrolyser, curtailment) below zero; the facility load is a line.
    """
    weeks = season_weeks(dispatch.index)
    fig = make_subplots(rows=len(weeks), cols=1, subplot_titles=[f"{w[0]} week" for w in weeks])
    for row, (_, start) in enumerate(weeks, start=1):
        part = dispatch.loc[start : start + pd.Timedelta(days=7) - pd.Timedelta(seconds=1)]
        x = _local(part.index, timezone)
        for col in SUPPLY + SINKS:
            if col not in part or not (part[col].abs() > 1e-9).any():
                continue
            sign = -1.0 if col in SINKS else 1.0
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=sign * part[col],
                    name=LABELS[col],
                    stackgroup="neg" if col in SINKS else "pos",
                    line={"width": 0},
                    fillcolor=COLOURS[col],
                    legendgroup=col,
                    showlegend=row == 1,
                ),
                row=row,
                col=1,
            )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=part["facility_mw"],
                name=LABELS["facility_mw"],
                line={"color": COLOURS["facility_mw"], "width": 1.5},
                legendgroup="facility_mw",
                showlegend=row == 1,
            ),
            row=row,
            col=1,
        )
        fig.update_yaxes(title_text="MW", row=row, col=1)
    fig.update_layout(title=f"Dispatch, one week per season (time zone {timezone})", height=160 + 280 * len(weeks))
    return fig


#: Stored energies of the storage figure: column, panel title, colour.
STORES: tuple[tuple[str, str, str], ...] = (
    ("battery_soc_mwh", "Battery", "#7f3c8d"),
    ("h2_level_mwh", "Hydrogen store (LHV)", "#11a579"),
)


def storage_figure(dispatch: pd.DataFrame, timezone: str = "UTC") -> go.Figure:
    """Energy held in the battery [MWh] and in the hydrogen store [MWh H2, LHV] over the horizon, one panel each.

    A store whose level is zero throughout (not built) gets no panel; when no store has a level, the panels
    of the columns present are drawn (the caller decides whether to show the figure: :func:`has_data`).
    """
    present = [s for s in STORES if s[0] in dispatch]
    panels = [s for s in present if has_data(dispatch[s[0]])] or present
    fig = make_subplots(rows=max(1, len(panels)), cols=1, shared_xaxes=True, subplot_titles=[p[1] for p in panels])
    x = _local(dispatch.index, timezone)
    for row, (col, title, colour) in enumerate(panels, start=1):
        fig.add_trace(
            go.Scatter(
                x=x,
                y=dispatch[col],
                name=title,
                line={"color": colour, "width": 1},
                hovertemplate="%{y:,.0f} MWh<extra>" + title + "</extra>",
            ),
            row,
            1,
        )
        fig.update_yaxes(title_text="MWh", rangemode="tozero", row=row, col=1)
    fig.update_layout(
        title=f"Energy stored over the horizon (time zone {timezone})", height=180 + 220 * len(panels), showlegend=False
    )
    return fig


def day_hour_heatmap(series: pd.Series, title: str, timezone: str = "UTC", unit: str = "MWh") -> go.Figure:
    """Day-of-year × hour-of-day heat map of an energy flow (summed over years) [MWh per cell].

    Parameters
    ----------
    series : pandas.Series
        Power [MW] on a regular UTC index.
    """
    local = series.copy()
    local.index = _local(series.index, timezone)
    energy = local * _step_hours(series.index)
    table = energy.groupby([local.index.day_of_year, local.index.hour]).sum().unstack(fill_value=0.0)
    fig = go.Figure(
        go.Heatmap(
            z=table.to_numpy().T,
            x=table.index.to_numpy(),
            y=table.columns.to_numpy(),
            colorscale="Viridis",
            colorbar={"title": unit},
        )
    )
    fig.update_layout(title=title, xaxis_title="day of year", yaxis_title=f"hour ({timezone})")
    return fig


def monthly_balance_figure(dispatch: pd.DataFrame) -> go.Figure:
    """Monthly energy balance [GWh]: supply by source above zero, sinks below, facility demand as markers."""
    step_h = _step_hours(dispatch.index)
    months = dispatch.index.tz_convert("UTC").strftime("%Y-%m")
    monthly = (dispatch * step_h / 1000.0).groupby(months).sum()
    fig = go.Figure()
    for col in SUPPLY + SINKS:
        if col not in monthly or not (monthly[col].abs() > 1e-9).any():
            continue
        sign = -1.0 if col in SINKS else 1.0
        fig.add_trace(go.Bar(x=monthly.index, y=sign * monthly[col], name=LABELS[col], marker_color=COLOURS[col]))
    fig.add_trace(
        go.Scatter(
            x=monthly.index,
            y=monthly["facility_mw"],
            name=LABELS["facility_mw"],
            mode="markers+lines",
            line={"color": COLOURS["facility_mw"]},
        )
    )
    fig.update_layout(
        title="Monthly energy balance",
        barmode="relative",
        yaxis_title="GWh",
        xaxis={"type": "category", "title": "month (UTC)"},
    )
    return fig
