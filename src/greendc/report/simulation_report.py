"""The HTML report of a simulation or of a Monte Carlo of simulations: an executive summary in words, the
figures as readable tables (labels, units, formatted numbers), the dispatch and an assumptions appendix.

A simulation runs a fixed design on weather and outages it was not planned on; beside its figures stand the
plan's own (design weather, perfect foresight) when the plan's dispatch is given.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from greendc.operate.result import MonteCarloResult, SimulationResult
from greendc.provenance import Provenance
from greendc.report import figures
from greendc.report.assumptions import assumptions_html
from greendc.report.html import Section, bullets, table_html, write_html
from greendc.report.labels import FIGURES, SUB_FIGURES, Label, number
from greendc.report.provenance_words import provenance_footer, weather_words
from greendc.report.words import design_words

__all__ = ["monte_carlo_sections", "simulation_sections", "summary_table_html", "write_simulation_report"]

#: Figures of a simulation summary given per workload class, shown as one table with a column per class.
CLASS_FIGURES: tuple[str, ...] = (
    "requested_it_mwh_per_yr",
    "served_it_mwh_per_yr",
    "unserved_it_mwh_per_yr",
    "served_fraction",
)
#: Return periods of the Monte Carlo summary, in the order shown [yr].
_RETURN_PERIODS = ("2", "5", "10", "20", "50", "100")


def _label(key: str) -> Label:
    """The label of a summary key; a key not in the table reads as words (never as the raw name)."""
    return FIGURES.get(key, Label(key.replace("_", " ").capitalize()))


def _value(key: str, value: Any) -> str:
    lab = _label(key)
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        return str(value)
    return number(float(value) * lab.scale, lab.digits)


def summary_table_html(summary: Mapping[str, Any], caption: str = "") -> str:
    """A summary dict (:func:`greendc.operate.result.summarise`) as a table of figure [unit] and value;
    dictionaries of sub-figures (water by use, accounting …) as one row each, the per-class figures apart."""
    rows: list[list[str]] = []
    for key, value in summary.items():
        if key in CLASS_FIGURES:
            continue
        lab = _label(key)
        if isinstance(value, Mapping):
            for sub, v in value.items():
                words = SUB_FIGURES.get(str(sub), str(sub).replace("_", " "))
                rows.append([f"{lab.words}: {words}" + (f" [{lab.unit}]" if lab.unit else ""), _value(key, v)])
        else:
            rows.append([lab.text(), _value(key, value)])
    return table_html(["figure", "value"], rows, caption)


def class_table_html(summary: Mapping[str, Any]) -> str:
    """The per-class figures: one row per figure, one column per workload class."""
    present = [k for k in CLASS_FIGURES if isinstance(summary.get(k), Mapping)]
    if not present:
        return ""
    classes = list(summary[present[0]])
    rows = [[_label(k).text(), *(_value(k, summary[k].get(c)) for c in classes)] for k in present]
    return table_html(["figure", *(f"class {c}" for c in classes)], rows, "By workload class")


def _step_words(step: str) -> str:
    """``1 h``, ``15 min`` for a pandas time delta's text (``0 days 01:00:00``)."""
    minutes = pd.Timedelta(step) / pd.Timedelta(minutes=1)
    return f"{number(minutes / 60)} h" if minutes >= 60 else f"{number(minutes)} min"


def _policy(prov: Provenance) -> str:
    return str(prov.details.get("policy", "rule-based dispatch")).replace("_", "-")


def _comparison_html(plan_comparison: Mapping[str, Mapping[str, float]]) -> str:
    rows = [
        [_label(k).text(), _value(k, v["plan"]), _value(k, v["simulated"]), _value(k, v["difference"])]
        for k, v in plan_comparison.items()
    ]
    return table_html(["per year", "plan (design weather, perfect foresight)", "this run", "difference"], rows)


def _sim_summary(result: SimulationResult, plan_comparison: Mapping[str, Mapping[str, float]] | None) -> Section:
    s, prov = result.summary, result.provenance
    faults = "with forced outages and common-mode trips" if prov.details.get("faults", True) else "without outages"
    items = [
        (
            "What was run",
            f"the design ({design_words(result.design.capacities())}) over "
            f"{number(s['hours'], 0)} h ({number(s['years'], 2)} yr) of "
            f"{weather_words(prov.weather)}, {faults}, dispatched by "
            f"{_policy(prov)} with a {prov.details.get('forecast', 'persistence')} forecast.",
        ),
        (
            "Reliability",
            f"{number(s['unserved_mwh_per_yr'], 0)} MWh of IT energy not served per year; firm load cut "
            f"{number(s['lolh_h_per_yr'], 1)} h per year in {number(s['loss_of_load_events_per_yr'], 1)} "
            f"events, the longest {number(s['longest_interruption_h'], 1)} h; "
            f"{number(100 * s['firm_served_fraction'], 3)} % of the firm IT energy served.",
        ),
    ]
    if plan_comparison:
        u, h = plan_comparison["unserved_mwh_per_yr"], plan_comparison["lolh_h_per_yr"]
        items.append(
            (
                "Beside the plan",
                f"the plan, solved with perfect foresight and no outages on its design "
                f"weather, left {number(u['plan'], 0)} MWh/yr unserved and "
                f"{number(h['plan'], 1)} firm hours cut per year; this run "
                f"{number(u['simulated'], 0)} MWh/yr and {number(h['simulated'], 1)} h.",
            )
        )
    else:
        items.append(
            (
                "Beside the plan",
                "no plan dispatch was given, so the plan's own figures are not shown; they "
                "hold for its design weather with perfect foresight only.",
            )
        )
    risks = [f"the longest interruption of the firm load lasts {number(s['longest_interruption_h'], 1)} h"]
    if s.get("battery_soc_min_fraction") is not None and np.isfinite(s["battery_soc_min_fraction"]):
        risks.append(f"the battery falls to {number(100 * s['battery_soc_min_fraction'], 0)} % of its energy")
    if s.get("curtailment_fraction", 0.0) > 0.2:
        risks.append(f"{number(100 * s['curtailment_fraction'], 0)} % of the PV and wind energy is curtailed")
    items.append(("Key risks", "; ".join(risks) + "."))
    return Section("Executive summary", lead=bullets(items))


def _run_assumptions(provenance: Provenance) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    if provenance.scenario:
        rows.append(("Scenario", f"{provenance.scenario} (hash {provenance.scenario_hash or '–'})", "scenario file"))
    weather = provenance.weather
    if weather is not None:
        rows.append(("Weather", weather_words(weather), "the run's provenance"))
        if weather.climate:
            rows.append(("Climate", weather.climate, "CMIP6 deltas, greendc/data/climate/cmip6_deltas.csv"))
    prov = provenance.details
    if "fault_seed" in prov:
        rows.append(
            (
                "Forced outages",
                f"{'on' if prov.get('faults', True) else 'off'}, seed {prov['fault_seed']}",
                "greendc/data/reliability.csv",
            )
        )
    if "fault_seeds" in prov:
        rows.append(
            ("Forced outages", "seeds " + ", ".join(map(str, prov["fault_seeds"])), "greendc/data/reliability.csv")
        )
    if "common_mode" in prov:
        rows.append(("Common-mode trips", "on" if prov["common_mode"] else "off", "greendc/data/common_mode.csv"))
    for key, words in (("policy", "Dispatch policy"), ("forecast", "Forecast")):
        if prov.get(key):
            rows.append((words, str(prov[key]).replace("_", "-"), "command line"))
    if prov.get("scheduler"):
        sch = prov["scheduler"]
        rows.append(
            (
                "Workload scheduler",
                f"capped down to {number(100 * sch.get('cap_floor_fraction', 0.0), 0)} % "
                f"of power, restart overhead {number(sch.get('restart_overhead_h', 0.0))} h,"
                f" capping penalty {number(100 * sch.get('capping_efficiency_penalty', 0))}"
                " %",
                "greendc default (greendc.operate.accounting)",
            )
        )
    if prov.get("step"):
        rows.append(("Time step", _step_words(str(prov["step"])), "command line"))
    return rows


def simulation_sections(
    result: SimulationResult, timezone: str = "UTC", plan_comparison: dict[str, dict[str, float]] | None = None
) -> list[Section]:
    """Executive summary, the figures, the comparison with the plan, dispatch weeks, storage, heat maps, the
    monthly balance and the assumptions."""
    d = result.dispatch
    sections = [
        _sim_summary(result, plan_comparison),
        Section("Figures of the run", html=summary_table_html(result.summary) + class_table_html(result.summary)),
    ]
    if plan_comparison:
        sections.append(
            Section(
                "What perfect foresight hid: the plan beside this run, per year", html=_comparison_html(plan_comparison)
            )
        )
    sections.append(
        Section("How it runs", figures=(figures.dispatch_weeks_figure(d, timezone), figures.monthly_balance_figure(d)))
    )
    stores = [c for c, _, _ in figures.STORES if c in d and figures.has_data(d[c])]
    if stores:
        missing = [
            w
            for c, w in (("battery_soc_mwh", "battery"), ("h2_level_mwh", "hydrogen store"))
            if c in d and c not in stores
        ]
        sections.append(
            Section(
                "Storage",
                text=f"No {' or '.join(missing)} in the design: its panel is left out." if missing else "",
                figures=(figures.storage_figure(d, timezone),),
            )
        )
    else:
        sections.append(Section("Storage", text="The design has no storage: nothing to show."))
    figs, notes = [], []
    for col, title, none in (
        ("curtailed_mw", "Curtailment by day and hour", "No PV or wind energy is curtailed."),
        ("unserved_mw", "Unserved IT energy by day and hour", "All IT energy is served in this run."),
    ):
        if figures.has_data(d[col]):
            figs.append(figures.day_hour_heatmap(d[col], title, timezone))
        else:
            notes.append(none)
    sections.append(Section("When energy is thrown away or missing", text=" ".join(notes), figures=tuple(figs)))
    sections.append(Section("Assumptions", html=assumptions_html(_run_assumptions(result.provenance))))
    return sections


def _mc_table_html(summary: Mapping[str, Any]) -> str:
    means, worst, levels = summary.get("mean", {}), summary.get("worst", {}), summary.get("return_levels", {})
    periods = [p for p in _RETURN_PERIODS if any(np.isfinite(float(levels[k].get(p, np.nan))) for k in levels)]
    head = ["figure, per year-run", "mean", "worst year-run", *(f"exceeded once in {p} years" for p in periods)]
    rows = []
    for key in means:
        rows.append(
            [
                _label(key).text(),
                _value(key, means[key]),
                _value(key, worst.get(key, float("nan"))),
                *(_value(key, levels[key][p]) if key in levels and p in levels[key] else "–" for p in periods),
            ]
        )
    longest = [p for p in _RETURN_PERIODS if p not in periods]
    note = (
        "Worst year-run: the highest value (the lowest for a share served). A return level is the value "
        "exceeded on average once in that many years (Weibull plotting positions), given for unserved energy, "
        "firm hours cut and the longest interruption"
        + (
            f"; {summary.get('year_runs', 0):,} year-runs are too few for the {', '.join(longest)}-year levels."
            if longest
            else "."
        )
    )
    return table_html(head, rows, "Over all year-runs") + f"<p class='note'>{note}</p>"


def _histogram(runs: Any, column: str, colour: str) -> go.Figure:
    lab = _label(column)
    fig = go.Figure(go.Histogram(x=runs[column] * lab.scale, nbinsx=30, marker_color=colour))
    fig.update_layout(
        title=f"{lab.words} per year-run", xaxis_title=lab.unit, yaxis_title="year-runs", showlegend=False
    )
    return fig


def monte_carlo_sections(result: MonteCarloResult) -> list[Section]:
    """Executive summary, the summary as a table (mean, worst year, return levels), the distributions of
    unserved energy and firm hours cut over the year-runs, and the assumptions."""
    runs, s, prov = result.runs, result.summary, result.provenance
    weather = prov.weather
    seeds = weather.seeds if weather is not None else ()
    n_weather = len(seeds) or (int(runs["weather_seed"].nunique()) if "weather_seed" in runs else 1)
    n_fault = len(prov.details.get("fault_seeds", [])) or 1
    mean, worst = s.get("mean", {}), s.get("worst", {})
    twenty = (s.get("return_levels", {}).get("lolh_h_per_yr", {}) or {}).get("20", float("nan"))
    items = [
        (
            "What was run",
            f"{s['year_runs']:,} year-runs of the design ({design_words(result.design.capacities())}): "
            f"{n_weather} synthetic weather seed(s) × {number(weather.years if weather and weather.years else 1)} "
            f"year(s) × {n_fault} fault "
            f"seed(s), dispatched by {_policy(prov)}.",
        ),
        (
            "Reliability",
            f"{number(mean.get('unserved_mwh_per_yr', 0.0), 0)} MWh of IT energy not served and "
            f"{number(mean.get('lolh_h_per_yr', 0.0), 1)} firm hours cut per year on average; "
            f"{number(100 * s.get('share_of_years_with_loss_of_load', 0.0), 0)} % of years with a firm "
            "hour cut.",
        ),
        (
            "Key risks",
            f"the worst year-run cut firm load {number(worst.get('lolh_h_per_yr', 0.0), 1)} h and left "
            f"{number(worst.get('unserved_mwh_per_yr', 0.0), 0)} MWh unserved; its longest interruption "
            f"lasted {number(worst.get('longest_interruption_h', 0.0), 1)} h; "
            + (
                f"once in twenty years {number(twenty, 1)} firm hours cut or more."
                if np.isfinite(twenty)
                else "too few year-runs to estimate the one-in-twenty-year level."
            ),
        ),
        (
            "Beside the plan",
            "every year-run is weather the plan never saw; the plan's own design-weather figures "
            "(perfect foresight, no outages) are in its report.",
        ),
    ]
    figs, notes = [], []
    for column, colour, none in (
        ("unserved_mwh_per_yr", "#e73f74", "No year-run left IT energy unserved."),
        ("lolh_h_per_yr", "#7f3c8d", "No year-run cut the firm load."),
    ):
        if column in runs and figures.has_data(runs[column]):
            figs.append(_histogram(runs, column, colour))
        else:
            notes.append(none)
    return [
        Section("Executive summary", lead=bullets(items)),
        Section("Summary over all year-runs", html=_mc_table_html(s)),
        Section("Distribution over the year-runs", text=" ".join(notes), figures=tuple(figs)),
        Section("Assumptions", html=assumptions_html(_run_assumptions(prov))),
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
    return write_html(path, title, sections, footer=provenance_footer(result.provenance))
