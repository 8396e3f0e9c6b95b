"""The resource report: annual PV and wind levels over many years with their P50 and P90, and the plan solved
again at the P90 levels (:mod:`greendc.plan.resource`)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from greendc.availability.figures import verification_table_html
from greendc.plan.inputs import CAPACITY_NAMES
from greendc.report.html import Section, write_html

#: Readable names of the resource columns.
RESOURCE_LABELS: dict[str, str] = {"pv_cf": "Solar PV", "wind_cf": "Wind", "csp_th_cf": "CSP field (heat)"}
_COLOURS = {"pv_cf": "#e68310", "wind_cf": "#3969ac", "csp_th_cf": "#cf1c90"}


def annual_yield_figure(annual: pd.DataFrame, levels: pd.DataFrame) -> go.Figure:
    """Annual capacity factor of each resource by year [%], with its P50 and P90 as dashed lines."""
    fig = go.Figure()
    for col in annual.columns:
        colour = _COLOURS.get(col, "#555555")
        fig.add_trace(
            go.Bar(
                x=annual.index,
                y=100.0 * annual[col],
                name=RESOURCE_LABELS.get(col, col),
                marker_color=colour,
                opacity=0.75,
            )
        )
        for p, dash in (("P50", "dash"), ("P90", "dot")):
            fig.add_hline(
                y=100.0 * float(levels.loc[col, p]),
                line={"color": colour, "dash": dash, "width": 1.5},
                annotation_text=f"{RESOURCE_LABELS.get(col, col)} {p}",
                annotation_position="top left",
            )
    fig.update_layout(
        title="Annual capacity factor by resource year",
        barmode="group",
        xaxis_title="resource year",
        yaxis_title="capacity factor [%]",
    )
    return fig


def write_resource_report(
    path: str | Path,
    title: str,
    annual: pd.DataFrame,
    levels: pd.DataFrame,
    sensitivity: pd.DataFrame,
    out_of_sample_note: str,
) -> Path:
    """Write the resource report (HTML, self-contained).

    Parameters
    ----------
    path : str or pathlib.Path
        File to write.
    title : str
        Report title.
    annual, levels, sensitivity : pandas.DataFrame
        :func:`~greendc.plan.resource.annual_yields`, :func:`~greendc.plan.resource.resource_levels` and
        :func:`~greendc.plan.resource.resource_sensitivity`.
    out_of_sample_note : str
        The design's out-of-sample figure, shown beside the planned ones.
    """
    level_table = levels.rename(index=RESOURCE_LABELS)[
        ["years", "mean", "cv", "P50", "P90", "P90_normal", "P90_year"]
    ].reset_index(names="Resource")
    for col in ("mean", "P50", "P90", "P90_normal", "cv"):
        level_table[col] = 100.0 * level_table[col]
    level_table = level_table.rename(
        columns={
            "years": "years",
            "mean": "mean CF [%]",
            "cv": "year-to-year CV [%]",
            "P50": "P50 CF [%]",
            "P90": "P90 CF [%]",
            "P90_normal": "P90, normal law [%]",
            "P90_year": "year nearest P90",
        }
    )
    cols = [
        c
        for c in (
            "pv_factor",
            "wind_factor",
            "cost_usd_per_mwh_it",
            "cost_change_fraction",
            *CAPACITY_NAMES[:-1],
        )
        if c in sensitivity.columns
    ]
    sens = sensitivity[cols].reset_index(names="Case")
    sens["cost_change_fraction"] = 100.0 * sens["cost_change_fraction"]
    sens = sens.rename(
        columns={
            "pv_factor": "PV scaled by",
            "wind_factor": "wind scaled by",
            "cost_usd_per_mwh_it": "USD per MWh of IT",
            "cost_change_fraction": "change [%]",
        }
    )
    sections = [
        Section(
            "Resource years",
            text=(
                "Annual capacity factors of the site over many synthetic years drawn from its climatology (their "
                "year-to-year variability is the climatology's, with its stated confidence). P90 is the level "
                "exceeded in 90 % of years: empirical, and under the normal law used in yield assessments."
            ),
            html=verification_table_html(level_table, caption="P50 and P90 resource levels"),
            figures=(annual_yield_figure(annual, levels),),
        ),
        Section(
            "The plan at P90",
            text=(
                "The least-cost plan solved again with the hourly PV and wind profiles scaled from the design "
                f"weather's level to their P90. Out of sample: {out_of_sample_note}"
            ),
            html=verification_table_html(sens, caption="Cost and design at the P90 resource"),
        ),
    ]
    return write_html(path, title, sections)
