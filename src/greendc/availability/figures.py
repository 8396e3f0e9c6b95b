"""Plotly figures and HTML helpers of the availability study: where losses fall, and what availability costs.

Conventions as :mod:`greendc.report.figures`: axis titles carry their units, labels are words rather than
column names, and the functions take plain pandas inputs (the tables of :mod:`greendc.availability.events`
and a cost-of-availability table, described in :func:`availability_curve_figure`).
"""

from __future__ import annotations

import html
import math
import numbers

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from greendc.errors import GreendcError

__all__ = [
    "CURVE_COLUMNS",
    "SYMLOG_LINEAR_H_PER_YR",
    "TIER_HOURS_PER_YR",
    "availability_curve_figure",
    "loss_heatmap_figure",
    "symlog_hours",
    "verification_table_html",
]

#: Uptime Institute tier downtime allowances drawn as reference lines [h/yr]: Tier III 99.982 %
#: (1.6 h/yr), Tier IV 99.995 % (0.4 h/yr) — the figures quoted in :mod:`greendc.operate.result`.
TIER_HOURS_PER_YR: dict[str, float] = {"Tier III": 1.6, "Tier IV": 0.4}
#: Hours per year below which the availability-curve axis is linear [h/yr]: ``x' = log10(1 + x / x0)``,
#: so 0 h/yr sits at the origin and 0.4 h/yr, 1.6 h/yr and hundreds of hours are all readable.
SYMLOG_LINEAR_H_PER_YR = 0.1
#: Columns of the cost-of-availability table; ``series`` may be left out (one series).
CURVE_COLUMNS: tuple[str, ...] = ("label", "cost_usd_per_mwh", "firm_hours_p95", "firm_hours_mean", "series")

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SERIES_COLOURS = ("#3969ac", "#11a579", "#e73f74", "#7f3c8d", "#f2b701", "#a5aa99")


def loss_heatmap_figure(table: pd.DataFrame, title: str, unit: str | None = None) -> go.Figure:
    """Month × hour-of-day heat map of a loss table (:func:`~greendc.availability.events.loss_heatmap`).

    Parameters
    ----------
    table : pandas.DataFrame
        12 rows (month 1–12) × 24 columns (hour 0–23); ``attrs`` ``unit``, ``timezone`` and ``quantity`` as
        :func:`~greendc.availability.events.loss_heatmap` sets them.
    title : str
        Figure title.
    unit : str, optional
        Unit of the cells for the colour bar (``"MWh"``, ``"h"``); default ``table.attrs["unit"]``.

    Returns
    -------
    plotly.graph_objects.Figure
        One ``Heatmap`` trace: hours on x, months (named) on y, January at the top.
    """
    unit = unit or table.attrs.get("unit", "")
    timezone = table.attrs.get("timezone", "UTC")
    quantity = table.attrs.get("quantity", "value")
    months = [_MONTHS[int(m) - 1] if 1 <= int(m) <= 12 else str(m) for m in table.index]
    fig = go.Figure(
        go.Heatmap(
            z=table.to_numpy(dtype=float),
            x=[int(h) for h in table.columns],
            y=months,
            colorscale="YlOrRd",
            colorbar={"title": {"text": unit}},
            hovertemplate=f"%{{y}}, %{{x}}:00 {html.escape(timezone)}<br>{html.escape(quantity)}: "
            f"%{{z:,.2f}} {html.escape(unit)}<extra></extra>",
        )
    )
    fig.update_layout(title=title, xaxis_title=f"hour of day ({timezone})", yaxis_title="month")
    fig.update_xaxes(dtick=3)
    fig.update_yaxes(autorange="reversed")
    return fig


def symlog_hours(hours_per_yr: np.ndarray | float, linear_h_per_yr: float = SYMLOG_LINEAR_H_PER_YR) -> np.ndarray:
    """Position on the availability-curve axis of a number of hours per year [-].

    ``x' = sign(x) · log10(1 + |x| / x0)`` with ``x0`` = ``linear_h_per_yr`` [h/yr]: linear near 0,
    logarithmic above ``x0``.

    >>> symlog_hours([0.0, 0.9]).round(3).tolist()
    [0.0, 1.0]
    """
    x = np.asarray(hours_per_yr, dtype=float)
    return np.sign(x) * np.log10(1.0 + np.abs(x) / linear_h_per_yr)


def _hour_ticks(max_hours: float) -> tuple[list[float], list[str]]:
    values = [0.0, 0.1, 0.4, 1.0, 1.6, 10.0]
    top = max(10.0, max_hours)
    decade = 100.0
    while decade <= top * 1.0001:
        values.append(decade)
        decade *= 10.0
    return symlog_hours(np.array(values)).tolist(), [f"{v:g}" for v in values]


def availability_curve_figure(curve: pd.DataFrame, title: str = "Cost of availability") -> go.Figure:
    """The cost-of-availability curve: cost of the IT energy against the firm hours cut per year.

    Parameters
    ----------
    curve : pandas.DataFrame
        One row per design (:data:`CURVE_COLUMNS`):

        ``label`` (str)
            Name shown at the point (``"least cost"``, ``"Tier III"``, ``"Tier IV"``).
        ``cost_usd_per_mwh`` (float) [USD/MWh]
            Annualised cost of the plant per MWh of IT energy served.
        ``firm_hours_p95`` (float) [h/yr]
            95th percentile over weather years of the hours with firm load cut (plotted).
        ``firm_hours_mean`` (float) [h/yr]
            Mean of the same (shown on hover).
        ``series`` (str, optional)
            Curve the point belongs to (``"all work firm"``, ``"with flexible work"``); one line per series,
            points joined in order of cost. Without the column all points form one series.
    title : str
        Figure title.

    Returns
    -------
    plotly.graph_objects.Figure
        One ``Scatter`` trace (lines, markers, labels) per series; vertical dotted lines at the
        :data:`TIER_HOURS_PER_YR` allowances. The x axis is symmetric-logarithmic (:func:`symlog_hours`),
        so 0 h/yr is on the axis; its ticks are labelled in h/yr.

    Raises
    ------
    greendc.errors.GreendcError
        A column is missing, or a value is not finite or is negative.
    """
    missing = [c for c in CURVE_COLUMNS[:-1] if c not in curve.columns]
    if missing:
        raise GreendcError(f"availability curve: missing column(s) {missing}; allowed columns: {list(CURVE_COLUMNS)}")
    numbers_ = curve[["cost_usd_per_mwh", "firm_hours_p95", "firm_hours_mean"]].to_numpy(dtype=float)
    if not np.isfinite(numbers_).all() or (numbers_ < 0).any():
        raise GreendcError(
            "availability curve: cost_usd_per_mwh, firm_hours_p95 and firm_hours_mean must be finite and >= 0"
        )
    data = curve.copy()
    if "series" not in data.columns:
        data["series"] = ""
    fig = go.Figure()
    for k, (name, part) in enumerate(data.groupby("series", sort=False)):
        part = part.sort_values("cost_usd_per_mwh")
        fig.add_trace(
            go.Scatter(
                x=symlog_hours(part["firm_hours_p95"].to_numpy(dtype=float)),
                y=part["cost_usd_per_mwh"],
                mode="lines+markers+text",
                text=[str(t) for t in part["label"]],
                textposition="top right",
                name=str(name) or "designs",
                showlegend=bool(str(name)),
                marker={"size": 9, "color": _SERIES_COLOURS[k % len(_SERIES_COLOURS)]},
                line={"color": _SERIES_COLOURS[k % len(_SERIES_COLOURS)]},
                customdata=np.column_stack([part["firm_hours_p95"], part["firm_hours_mean"]]),
                hovertemplate="%{text}<br>cost %{y:,.1f} USD/MWh<br>firm hours cut P95 %{customdata[0]:.2f} h/yr"
                "<br>mean %{customdata[1]:.2f} h/yr<extra>%{fullData.name}</extra>",
            )
        )
    for label, hours in TIER_HOURS_PER_YR.items():
        fig.add_vline(
            x=float(symlog_hours(hours)),
            line={"dash": "dot", "color": "#555555", "width": 1},
            annotation_text=f"{label} ({hours:g} h/yr)",
            annotation_position="top",
        )
    tickvals, ticktext = _hour_ticks(float(data["firm_hours_p95"].max()) if len(data) else 0.0)
    fig.update_xaxes(
        tickvals=tickvals, ticktext=ticktext, title_text="firm hours cut per year, P95 [h/yr]", rangemode="tozero"
    )
    fig.update_yaxes(title_text="cost of IT energy [USD/MWh]")
    fig.update_layout(title=title)
    return fig


def _cell(value: object) -> tuple[str, bool]:
    """Text of one table cell and whether it is a number (right-aligned)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–", True
    if isinstance(value, (bool, np.bool_)):
        return ("yes" if value else "no"), False
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}", True
    if isinstance(value, numbers.Real):
        v = float(value)
        return (f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.4g}"), True
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d %H:%M %Z").strip(), False
    return html.escape(str(value)), False


def verification_table_html(table: pd.DataFrame, caption: str | None = None) -> str:
    """A small HTML table of a DataFrame for a report, every text escaped.

    Numbers are right-aligned (class ``num``, as :mod:`greendc.report.html` styles them): integers with
    thousands separators, reals to four significant digits (whole numbers from 1,000 up), NaN as "–";
    booleans read "yes"/"no"; a named index becomes the first column.

    Parameters
    ----------
    table : pandas.DataFrame
        Rows to show; column names are used as headers, so give them words and units.
    caption : str, optional
        Caption above the table.

    Returns
    -------
    str
        ``<table>`` … ``</table>``.

    >>> print(verification_table_html(pd.DataFrame({"case <a>": ["x&y"], "MWh": [1234.6]})))
    <table><thead><tr><th>case &lt;a&gt;</th><th>MWh</th></tr></thead><tbody><tr><td>x&amp;y</td><td class="num">1,235</td></tr></tbody></table>
    """  # noqa: E501
    frame = table.reset_index() if any(n is not None for n in table.index.names) else table
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False, name=None):
        cells = []
        for v in values:
            text, numeric = _cell(v)
            cells.append(f'<td class="num">{text}</td>' if numeric else f"<td>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
