"""The HTML report of a simulation or of a Monte Carlo of simulations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from greendc.operate.result import MonteCarloResult, SimulationResult
from greendc.report import figures
from greendc.report.html import Section, write_html


def _rows(values: dict[str, Any]) -> dict[str, str]:
    """Flat key → formatted value rows of a (possibly nested) summary dict."""
    rows: dict[str, str] = {}
    for key, value in values.items():
        if isinstance(value, dict):
            for sub, v in _rows(value).items():
                rows[f"{key} · {sub}"] = v
        elif isinstance(value, float):
            rows[key] = f"{value:,.4g}"
        else:
            rows[key] = str(value)
    return rows


def simulation_sections(
    result: SimulationResult, timezone: str = "UTC", plan_comparison: dict[str, dict[str, float]] | None = None
) -> list[Section]:
    """Summary, the comparison with the plan, dispatch weeks, storage, heat maps and the monthly balance."""
    d = result.dispatch
    sections = [Section("Summary", rows=_rows(result.summary))]
    if plan_comparison:
        sections.append(
            Section(
                "What perfect foresight hid (plan vs this run, per year)",
                rows={
                    k: f"plan {v['plan']:,.4g} → simulated {v['simulated']:,.4g} ({v['difference']:+,.4g})"
                    for k, v in plan_comparison.items()
                },
            )
        )
    sections += [
        Section("How it runs", figures=(figures.dispatch_weeks_figure(d, timezone), figures.monthly_balance_figure(d))),
        Section("Storage", figures=(figures.storage_figure(d, timezone),)),
        Section(
            "When energy is thrown away or missing",
            figures=(
                figures.day_hour_heatmap(d["curtailed_mw"], "Curtailment", timezone),
                figures.day_hour_heatmap(d["unserved_mw"], "Unserved IT energy", timezone),
            ),
        ),
    ]
    return sections


def monte_carlo_sections(result: MonteCarloResult) -> list[Section]:
    """Summary with return levels and the distribution of unserved energy over the year-runs."""
    runs = result.runs
    fig = go.Figure()
    column = next((c for c in runs.columns if c.startswith("unserved_mwh")), None)
    if column is not None:
        fig.add_trace(go.Histogram(x=runs[column], nbinsx=30, marker_color="#e73f74"))
        fig.update_layout(title="Unserved IT energy per year-run", xaxis_title="MWh per year", yaxis_title="runs")
    return [
        Section("Summary over all year-runs", rows=_rows(result.summary)),
        Section("Distribution", figures=(fig,) if column is not None else ()),
    ]


def write_simulation_report(
    result: SimulationResult | MonteCarloResult,
    path: str | Path,
    title: str,
    timezone: str = "UTC",
    plan_comparison: dict[str, dict[str, float]] | None = None,
) -> Path:
    """Write the self-contained HTML report of a simulation (or Monte Carlo) to ``path``."""
    if isinstance(result, MonteCarloResult):
        sections = monte_carlo_sections(result)
    else:
        sections = simulation_sections(result, timezone, plan_comparison)
    footer = " · ".join(f"{k}: {v}" for k, v in result.provenance.items() if isinstance(v, str | int | float))
    return write_html(path, title, sections, footer=footer)
