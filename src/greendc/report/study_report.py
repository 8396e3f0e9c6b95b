"""The HTML report of a study: what was run, every point, and what the points say together.

Sections, each shown only where it applies: the study (design, points, statuses, out-of-sample years), the
points table, the tornado chart (design ``oat``), the Morris μ*–σ chart (design ``morris``), Pareto fronts of
cost against out-of-sample availability, land, water and hydrogen storage, the cost against each parameter of
a one-parameter sweep, the near-optimal capacity ranges, and the infeasible points with their diagnoses. The
figures come from :mod:`greendc.study.analysis`; the page is self-contained (:mod:`greendc.report.html`).
"""

from __future__ import annotations

import html
import math
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from greendc.availability.figures import verification_table_html
from greendc.errors import GreendcError
from greendc.report.assumptions import assumptions_html, scenario_assumptions
from greendc.report.html import Section, bullets, write_html
from greendc.report.verification_report import CAPACITY_LABELS
from greendc.study import analysis
from greendc.study.spec import StudySpec
from greendc.units import COMPONENTS, PLAN_CAPACITY_UNITS

__all__ = ["MAX_TABLE_ROWS", "METRICS", "PARETO_OBJECTIVES", "parameter_unit", "study_sections", "write_study_report"]

#: Columns of a study row shown in the report → (words, unit). ``oos_`` figures are labelled as out of sample.
METRICS: dict[str, tuple[str, str]] = {
    "cost_usd_per_mwh_it": ("cost of IT energy", "USD/MWh"),
    "objective_usd_per_yr": ("annualised cost", "million USD/yr"),
    "land_km2": ("land", "km²"),
    "water_m3_per_yr": ("water use", "m³/yr"),
    "h2_store_mwh": ("hydrogen store (LHV)", "MWh"),
    "curtailment_fraction": ("curtailment", "%"),
    "unserved_mwh_per_yr": ("unserved IT energy, design weather", "MWh/yr"),
    "oos_availability": ("availability", "%"),
    "oos_firm_hours_per_yr_mean": ("firm hours cut, mean year", "h/yr"),
    "oos_firm_hours_per_yr_p95": ("firm hours cut, P95 year", "h/yr"),
}
#: Columns shown in percent (stored as a share [-]).
_PERCENT = ("oos_availability", "curtailment_fraction")
#: Columns shown in millions (stored in USD/yr).
_MILLIONS = ("objective_usd_per_yr",)
#: Second objectives of the Pareto fronts against ``cost_usd_per_mwh_it`` (minimised), with their sense.
PARETO_OBJECTIVES: dict[str, str] = {
    "oos_availability": "max",
    "land_km2": "min",
    "water_m3_per_yr": "min",
    "h2_store_mwh": "min",
}
#: Short names of the capacities in the points table.
_SHORT = {c.capacity: c.short for c in COMPONENTS}
#: Points listed in the points table at most (a Latin hypercube may have thousands) [-].
MAX_TABLE_ROWS = 500
_COST = "cost_usd_per_mwh_it"
_DESIGNS = {
    "oat": "one parameter at a time (oat)",
    "grid": "full grid of the values (grid)",
    "list": "points listed in the study file (list)",
    "lhs": "Latin hypercube sample (lhs)",
    "morris": "Morris trajectories (morris)",
}
_STYLE = (
    "<style>pre.diagnosis{white-space:pre-wrap;background:#f7f7f7;padding:0.5em;font-size:0.85em;"
    "margin:0.2em 0 1em 0} caption{text-align:left;font-weight:600;padding:0.3em 0}</style>"
)
#: Unit of a scenario field, from the end of its name.
_SUFFIX_UNITS = (
    ("_usd_per_mwh", "USD/MWh"),
    ("_usd_per_kw", "USD/kW"),
    ("_mwh_th", "MWh_th"),
    ("_mw_th", "MW_th"),
    ("_mwh", "MWh"),
    ("_mw", "MW"),
    ("_km2_per_mw", "km²/MW"),
    ("_km2", "km²"),
    ("_m3_per_h", "m³/h"),
    ("_m3", "m³"),
    ("_kwh_per_m3", "kWh/m³"),
    ("_hours", "h"),
    ("_h", "h"),
    ("_days", "d"),
    ("_years", "yr"),
    ("_per_year", "1/yr"),
    ("_per_day", "1/d"),
    ("_per_hour", "1/h"),
    ("_m", "m"),
    ("_temp", "°C"),
    ("_c", "°C"),
    ("_k", "K"),
    ("_pct", "%"),
)
_DIMENSIONLESS = (
    "_fraction",
    "_rate",
    "_ratio",
    "_cf",
    "_target",
    "efficiency",
    "share",
    "utilisation",
    "gcr",
    "albedo",
    "bifaciality",
    "seed",
    "cycles_of_concentration",
)


# --- words and numbers -----------------------------------------------------------------------------------------


def parameter_unit(path: str) -> str:
    """The unit of a scenario field, read from its name (``rules.land_limit_km2`` → "km²",
    ``finance.discount_rate`` → "-"); ``costs.capex_factors.*`` are factors on the table's capex ("×").

    >>> parameter_unit("technologies.battery.max_duration_h"), parameter_unit("finance.discount_rate")
    ('h', '-')
    """
    parts = path.split(".")
    if len(parts) >= 2 and parts[-2] == "capex_factors":
        return "×"
    last = parts[-1]
    for suffix, unit in _SUFFIX_UNITS:
        if last.endswith(suffix):
            return unit
    return "-" if any(last.endswith(s) for s in _DIMENSIONLESS) else ""


def _unit_after(path: str) -> str:
    unit = parameter_unit(path)
    return f" {unit}" if unit not in ("", "-") else ""


def _param_axis(label: str, path: str) -> str:
    unit = parameter_unit(path)
    return f"{label} [{unit}]" if unit else f"{label} [as in the scenario file]"


def _oos_years(rows: pd.DataFrame, spec: StudySpec) -> int:
    if "oos_years" in rows.columns and rows["oos_years"].notna().any():
        return int(pd.to_numeric(rows["oos_years"], errors="coerce").dropna().mode().iloc[0])
    return int(spec.verify_years)


def _metric_title(column: str, years: int) -> str:
    """Words and unit of a row column; out-of-sample figures say so, with the number of unseen years."""
    words, unit = METRICS.get(column, (column, ""))
    if column in CAPACITY_LABELS:
        words, unit = CAPACITY_LABELS[column], PLAN_CAPACITY_UNITS.get(column, "")
    if column.startswith("oos_"):
        words += f", out of sample ({years:,} unseen years)"
    return f"{words} [{unit}]" if unit else words


def _shown(rows: pd.DataFrame, column: str) -> pd.Series:
    """A column in the unit the report shows (percent, millions), NaN where the plan did not solve."""
    values = pd.to_numeric(rows[column], errors="coerce").astype(float).where(rows["status"] == analysis.OPTIMAL)
    if column in _PERCENT:
        return 100.0 * values
    return values / 1e6 if column in _MILLIONS else values


def _round(values: pd.Series, digits: int = 4) -> pd.Series:
    """Round to ``digits`` significant digits for a table."""

    def one(v: Any) -> Any:
        if (
            not isinstance(v, float | int | np.floating | np.integer)
            or isinstance(v, bool)
            or not np.isfinite(v)
            or v == 0
        ):
            return v
        return round(float(v), max(0, digits - 1 - math.floor(math.log10(abs(float(v))))))

    return values.map(one)


def _value(value: Any) -> str:
    if isinstance(value, float | np.floating):
        return f"{float(value):.6g}"
    return str(value)


def _kind(row: pd.Series, spec: StudySpec) -> str:
    """What a point is: the base scenario, a parameter moved, a near-optimal direction, a design point."""
    cap = row.get("near_optimal_capacity")
    if isinstance(cap, str) and cap:
        eps = row.get("epsilon")
        within = f" within {100 * float(eps):g} % of least cost" if eps is not None and np.isfinite(eps) else ""
        return f"{CAPACITY_LABELS.get(cap, cap)}: {row.get('near_optimal_sense')}imised{within}"
    if str(row.get("values_json", "")).strip() == "{}":
        return "base scenario"
    varied = row.get("varied")
    if isinstance(varied, str) and varied:
        labels = {p.path: p.name for p in spec.parameters}
        return f"moves {labels.get(varied, varied)}"
    return "design point"


def _esc(text: Any) -> str:
    return html.escape(str(text))


# --- sections --------------------------------------------------------------------------------------------------


def _header(rows: pd.DataFrame, spec: StudySpec) -> Section:
    near = analysis.near_optimal_mask(rows) if len(rows) else pd.Series(dtype=bool)
    counts = Counter(rows["status"]) if "status" in rows.columns else Counter()
    info = {"Study": spec.name}
    if spec.description:
        info["Description"] = spec.description
    info |= {"Scenario": spec.scenario, "Design": _DESIGNS.get(spec.design, spec.design)}
    for p in spec.parameters:
        span = ", ".join(map(_value, p.values)) if p.values is not None else f"{_value(p.low)} to {_value(p.high)}"
        info[f"Parameter {p.name}"] = f"{span} [{parameter_unit(p.path) or 'as in the scenario file'}]" + (
            f" ({p.path})" if p.label else ""
        )
    if spec.design in ("lhs", "morris"):
        info["Samples"] = (
            f"{spec.samples} trajectories of {len(spec.parameters) + 1} points, {spec.levels} levels"
            if spec.design == "morris"
            else f"{spec.samples} points"
        ) + f", seed {spec.seed}"
    info["Points"] = f"{int((~near).sum()):,} design points" + (
        f" and {int(near.sum()):,} near-optimal directions" if near.any() else ""
    )
    info["Status"] = ", ".join(f"{counts.get(s, 0):,} {s}" for s in ("optimal", "infeasible", "error"))
    info["Out-of-sample check"] = (
        f"each design on {_oos_years(rows, spec):,} unseen synthetic years"
        if spec.verify_years > 0 or "oos_availability" in rows.columns
        else "none"
    )
    if spec.near_optimal is not None:
        info["Near-optimal alternatives"] = f"within ε = {100 * spec.near_optimal.epsilon:g} % of the least cost"
    if rows.empty:
        info["Rows"] = "no point has finished yet"
    return Section("Study", rows=info)


def _points(rows: pd.DataFrame, spec: StudySpec, years: int) -> Section:
    frame = pd.DataFrame(
        {
            "point": rows["point"].to_numpy() if "point" in rows.columns else np.arange(len(rows)),
            "what": [_kind(r, spec) for _, r in rows.iterrows()],
        }
    )
    for p in spec.parameters:
        col = f"p:{p.path}"
        if col in rows.columns:
            frame[f"{p.name} [{parameter_unit(p.path) or '-'}]"] = _round(rows[col]).to_numpy()
    frame["status"] = rows["status"].to_numpy()
    figures = [c for c in (_COST, "objective_usd_per_yr") if c in rows.columns]
    figures += [c for c in PLAN_CAPACITY_UNITS if c in rows.columns and (_shown(rows, c).fillna(0) != 0).any()]
    figures += [
        c
        for c in ("land_km2", "water_m3_per_yr", "unserved_mwh_per_yr", "oos_availability", "oos_firm_hours_per_yr_p95")
        if c in rows.columns
    ]
    for c in figures:
        words = _SHORT.get(c)
        head = f"{words} [{PLAN_CAPACITY_UNITS[c]}]" if words else _metric_title(c, years)
        frame[head] = _round(_shown(rows, c)).to_numpy()
    note = ""
    if len(frame) > MAX_TABLE_ROWS:
        note = f"<p>The first {MAX_TABLE_ROWS:,} of {len(frame):,} points; every point is in study.csv.</p>"
        frame = frame.head(MAX_TABLE_ROWS)
    table = verification_table_html(frame.set_index("point"))
    return Section("Points", html=f"{note}<div style='overflow-x:auto'>{table}</div>")


def _tornado(rows: pd.DataFrame, spec: StudySpec, years: int) -> Section:
    t = analysis.tornado(rows, spec, _COST)
    unit = METRICS[_COST][1]
    fig = go.Figure()
    labels, rank = [], t.iloc[::-1]  # plotly draws the first bar at the bottom: largest swing on top
    for _, r in rank.iterrows():
        unit_p = parameter_unit(r["parameter"])
        text = f"{r['label']}: {_value(r['low_value'])} → {_value(r['high_value'])}" + (
            f" {unit_p}" if unit_p not in ("", "-") else ""
        )
        if not r["complete"]:
            text += (
                " ("
                + ", ".join(
                    f"{s} at {end} value"
                    for end, s in (("low", r["low_status"]), ("high", r["high_status"]))
                    if s != analysis.OPTIMAL
                )
                + ")"
            )
        labels.append(text)
    base = rank["base_metric"].to_numpy(dtype=float)
    start = np.where(np.isfinite(base), base, rank["metric_at_low"].to_numpy(dtype=float))
    for end, colour in (("low", "#3969ac"), ("high", "#e73f74")):
        stop = rank[f"metric_at_{end}"].to_numpy(dtype=float)
        fig.add_trace(
            go.Bar(
                y=labels,
                x=stop - start,
                base=start,
                orientation="h",
                marker_color=colour,
                name=f"cost at the {'lowest' if end == 'low' else 'highest'} value",
                customdata=stop,
                hovertemplate=f"%{{y}}<br>{end} value: %{{customdata:.2f}} {unit}<extra></extra>",
            )
        )
    if np.isfinite(base).any():
        fig.add_vline(
            x=float(base[np.isfinite(base)][0]), line_dash="dash", line_color="#222", annotation_text="base scenario"
        )
    fig.update_layout(
        title="Cost of IT energy with one parameter moved at a time",
        barmode="overlay",
        xaxis_title=_metric_title(_COST, years),
        height=180 + 60 * len(t),
        margin={"l": 360},
    )
    t = t.assign(
        label=[
            f"{lab} [{parameter_unit(p) or 'as in the scenario file'}]"
            for lab, p in zip(t["label"], t["parameter"], strict=True)
        ]
    )
    table = t[
        [
            "label",
            "low_value",
            "high_value",
            "base_metric",
            "metric_at_low",
            "metric_at_high",
            "swing",
            "low_status",
            "high_status",
        ]
    ].rename(
        columns={
            "label": "parameter",
            "low_value": "low value",
            "high_value": "high value",
            "base_metric": f"base cost [{unit}]",
            "metric_at_low": f"cost at low value [{unit}]",
            "metric_at_high": f"cost at high value [{unit}]",
            "swing": f"swing (high − low) [{unit}]",
            "low_status": "status at low value",
            "high_status": "status at high value",
        }
    )
    text = (
        "Each bar runs from the base scenario's cost to the cost with one parameter at its lowest (blue) or "
        "highest (red) value, the others at the base; the largest swing is on top. A point without a plan "
        "(infeasible or error) has no bar and is named beside its parameter."
    )
    return Section(
        "Sensitivity one parameter at a time",
        text=text,
        html=verification_table_html(table.set_index("parameter")),
        figures=(fig,),
    )


def _morris(rows: pd.DataFrame, spec: StudySpec, years: int) -> Section:
    title = "Morris screening"
    try:
        m = analysis.morris_effects(rows, spec, _COST)
    except GreendcError as err:
        return Section(title, text=f"Not computed: {err}")
    unit = f"{METRICS[_COST][1]} over the parameter's range"
    fig = go.Figure(
        go.Scatter(
            x=m["mu_star"],
            y=m["sigma"],
            mode="markers+text",
            text=m["label"],
            textposition="top center",
            error_x={"type": "data", "array": m["mu_star_conf"], "visible": True},
            marker={"size": 10, "color": "#3969ac"},
            hovertemplate="%{text}<br>μ* %{x:.3g}<br>σ %{y:.3g}<extra></extra>",
            showlegend=False,
        )
    )
    top = float(np.nanmax(np.r_[m["mu_star"] + m["mu_star_conf"], m["sigma"], 0.0])) or 1.0
    fig.add_trace(
        go.Scatter(
            x=[0, top],
            y=[0, top],
            mode="lines",
            line={"dash": "dot", "color": "#a5aa99"},
            name="σ = μ*",
            hoverinfo="skip",
        )
    )
    fig.update_layout(
        title="Morris screening of the cost of IT energy: μ* against σ",
        xaxis_title=f"μ*, mean |elementary effect| [{unit}]",
        yaxis_title=f"σ of the elementary effects [{unit}]",
    )
    table = m.sort_values("mu_star", ascending=False).set_index("label")
    table.index.name = "parameter"
    table.columns = [f"{c} [{METRICS[_COST][1]}]" for c in ("μ", "μ*", "σ", "μ* 95 % half-interval")]
    text = (
        f"Elementary effects over {spec.samples} trajectories (Morris 1991; μ* after Campolongo et al. 2007; "
        "SALib). μ* is the mean change of the cost when a parameter moves across its whole range; a σ close "
        "to or above μ* (dotted line) means the effect depends on the other parameters or is not linear."
    )
    return Section(title, text=text, html=verification_table_html(_round_frame(table)), figures=(fig,))


def _round_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.apply(lambda c: _round(c) if c.dtype.kind == "f" else c)


def _point_names(table: pd.DataFrame, spec: StudySpec) -> list[str]:
    return [f"point {r.get('point')}: {_kind(r, spec)}" for _, r in table.iterrows()]


def _pareto(rows: pd.DataFrame, spec: StudySpec, years: int) -> Section | None:
    if _COST not in rows.columns:
        return None
    figs, flat = [], []
    for column, sense in PARETO_OBJECTIVES.items():
        if column not in rows.columns:
            continue
        table = analysis.pareto_front(rows, {_COST: "min", column: sense})
        if len(table) < 2:
            continue
        y = _shown(table, column)
        if float(y.max() - y.min()) == 0.0:
            flat.append(f"{_metric_title(column, years)} is {y.iloc[0]:,.4g} at every point")
            continue
        front = table["on_front"].to_numpy()
        names = np.array(_point_names(table, spec))
        x = table[_COST].to_numpy(dtype=float)
        fig = go.Figure()
        fig.add_trace(
            go.Scatter(
                x=x[~front],
                y=y[~front],
                mode="markers",
                name="dominated",
                marker={"color": "#a5aa99", "size": 8},
                text=names[~front],
                hovertemplate="%{text}<br>%{x:.2f}, %{y:.4g}<extra></extra>",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=x[front],
                y=y[front],
                mode="lines+markers",
                name="Pareto front",
                marker={"color": "#e73f74", "size": 10},
                line={"shape": "hv"},
                text=names[front],
                hovertemplate="%{text}<br>%{x:.2f}, %{y:.4g}<extra></extra>",
            )
        )
        words = METRICS[column][0] + (f", out of sample ({years:,} unseen years)" if column.startswith("oos_") else "")
        fig.update_layout(
            title=f"Cost of IT energy against {words}",
            xaxis_title=_metric_title(_COST, years),
            yaxis_title=_metric_title(column, years),
        )
        figs.append(fig)
    if not figs and not flat:
        return None
    text = (
        "Each point is a solved design (study points and near-optimal alternatives). A design is on the front "
        "when no other design is both cheaper and better on the other axis (more available, less land, water "
        "or hydrogen storage)."
    )
    if flat:
        text += " No trade-off to show: " + "; ".join(flat) + "."
    return Section("Trade-offs: Pareto fronts", text=text, figures=tuple(figs))


def _sweep_paths(spec: StudySpec) -> list[tuple[str, str]]:
    if spec.design == "oat" or (spec.design in ("grid", "list") and len(spec.parameters) == 1):
        return [(p.path, p.name) for p in spec.parameters]
    return []


def _curves(rows: pd.DataFrame, spec: StudySpec, years: int) -> Section | None:
    if _COST not in rows.columns:
        return None
    figs = []
    for path, label in _sweep_paths(spec):
        if f"p:{path}" not in rows.columns:
            continue
        c = analysis.target_curve(rows, path, _COST)
        if len(c) < 2:  # one value and the base value unknown: no curve
            continue
        ok = c["optimal"].to_numpy()
        oos = "oos_availability" in rows.columns
        fig = make_subplots(specs=[[{"secondary_y": oos}]])
        fig.add_trace(
            go.Scatter(
                x=c["value"][ok],
                y=c[_COST][ok],
                mode="lines+markers",
                name="cost of IT energy",
                marker={"color": "#3969ac"},
                text=c["point"][ok],
                hovertemplate="point %{text}<br>%{x}: %{y:.2f} USD/MWh<extra></extra>",
            )
        )
        if (~ok).any():
            floor = float(np.nanmin(c[_COST])) if ok.any() else 0.0
            fig.add_trace(
                go.Scatter(
                    x=c["value"][~ok],
                    y=np.full(int((~ok).sum()), floor),
                    mode="markers",
                    name="no plan (infeasible or error)",
                    marker={"symbol": "x", "size": 12, "color": "#e73f74"},
                    text=[f"point {p}: {s}" for p, s in zip(c["point"][~ok], c["status"][~ok], strict=True)],
                    hovertemplate="%{text}<br>%{x}<extra></extra>",
                )
            )
        if oos:
            avail = 100 * analysis.target_curve(rows, path, "oos_availability")["oos_availability"].to_numpy()
            if np.isfinite(avail).any():
                fig.add_trace(
                    go.Scatter(
                        x=c["value"][ok],
                        y=avail[ok],
                        mode="lines+markers",
                        name=f"availability, out of sample ({years:,} unseen years)",
                        line={"dash": "dot", "color": "#11a579"},
                    ),
                    secondary_y=True,
                )
                fig.update_yaxes(title_text=_metric_title("oos_availability", years), secondary_y=True)
        fig.update_yaxes(title_text=_metric_title(_COST, years), secondary_y=False)
        fig.update_layout(title=f"Cost of IT energy against {label}", xaxis_title=_param_axis(label, path))
        figs.append(fig)
    if not figs:
        return None
    text = "The cost with one parameter moved" + (", the others at the base scenario" if spec.design == "oat" else "")
    text += ". Points without a plan are marked with a cross at the foot of the curve."
    return Section("Cost against each parameter", text=text, figures=tuple(figs))


def _near_optimal(rows: pd.DataFrame, spec: StudySpec, years: int) -> Section | None:
    if not analysis.near_optimal_mask(rows).any():
        return None
    try:
        ranges = analysis.near_optimal_ranges(rows)
        designs = analysis.near_optimal_designs(rows)
    except GreendcError as err:
        return Section("Near-optimal alternatives", text=f"Not computed: {err}")
    caps = list(ranges.index)
    names = [f"{CAPACITY_LABELS.get(c, c)} [{ranges.at[c, 'unit']}]" for c in caps]
    fig = make_subplots(rows=len(caps), cols=1, vertical_spacing=min(0.25, 0.6 / len(caps)))
    for i, cap in enumerate(caps, start=1):
        r = ranges.loc[cap]
        fig.add_trace(
            go.Scatter(
                x=[r["min"], r["max"]],
                y=[0, 0],
                mode="lines+markers",
                name="range within ε",
                line={"width": 14, "color": "#b497bd"},
                marker={"size": 14, "color": "#7f3c8d"},
                showlegend=i == 1,
                legendgroup="range",
                hovertemplate=f"{CAPACITY_LABELS.get(cap, cap)}: %{{x:,.1f}} {r['unit']}<extra></extra>",
            ),
            row=i,
            col=1,
        )
        fig.add_trace(
            go.Scatter(
                x=[r["optimum"]],
                y=[0],
                mode="markers",
                name="least-cost design",
                marker={"symbol": "diamond", "size": 16, "color": "#222"},
                showlegend=i == 1,
                legendgroup="optimum",
                hovertemplate=f"least cost: %{{x:,.1f}} {r['unit']}<extra></extra>",
            ),
            row=i,
            col=1,
        )
        fig.update_xaxes(title_text=names[i - 1], rangemode="tozero", row=i, col=1)
        fig.update_yaxes(visible=False, row=i, col=1)
    eps = float(ranges["epsilon"].dropna().iloc[0]) if ranges["epsilon"].notna().any() else math.nan
    fig.update_layout(
        title=f"How far each capacity can move within {100 * eps:g} % of the least cost", height=160 + 150 * len(caps)
    )
    figs = [fig]
    shown = [c for c in PLAN_CAPACITY_UNITS if c in designs.columns and designs[c].fillna(0).abs().sum() > 0]
    if len(designs) >= 2 and shown and designs[_COST].notna().sum() >= 2:
        ok = designs[designs["status"] == analysis.OPTIMAL]
        dims = [{"label": f"{CAPACITY_LABELS.get(c, c)} [{PLAN_CAPACITY_UNITS[c]}]", "values": ok[c]} for c in shown]
        dims.append({"label": _metric_title(_COST, years), "values": ok[_COST]})
        figs.append(
            go.Figure(
                go.Parcoords(
                    line={
                        "color": ok[_COST],
                        "colorscale": "Viridis",
                        "showscale": True,
                        "colorbar": {"title": METRICS[_COST][1]},
                    },
                    dimensions=dims,
                )
            )
        )
        figs[-1].update_layout(
            title="The least-cost design and each near-optimal alternative, one line each", margin={"t": 130}
        )
    unit = METRICS[_COST][1]
    table = pd.DataFrame(
        {
            "capacity": names,
            "least cost": ranges["optimum"].to_numpy(),
            "minimum within ε": ranges["min"].to_numpy(),
            "maximum within ε": ranges["max"].to_numpy(),
            f"cost of the minimum design [{unit}]": ranges["min_cost_usd_per_mwh_it"].to_numpy(),
            f"cost of the maximum design [{unit}]": ranges["max_cost_usd_per_mwh_it"].to_numpy(),
            "status (min, max)": [f"{a}, {b}" for a, b in zip(ranges["min_status"], ranges["max_status"], strict=True)],
        }
    ).set_index("capacity")
    base = float(ranges["optimum_cost_usd_per_mwh_it"].iloc[0])
    text = (
        f"Each capacity minimised and maximised while the total cost stays within ε = {100 * eps:g} % of the "
        f"least cost ({base:,.2f} {unit}), the other capacities free (modelling to generate alternatives, "
        "DeCarolis 2011): a wide range means the least-cost design is not the only good one."
    )
    return Section(
        "Near-optimal alternatives", text=text, html=verification_table_html(_round_frame(table)), figures=tuple(figs)
    )


def _infeasible(rows: pd.DataFrame, spec: StudySpec) -> Section | None:
    bad = rows[rows["status"] != analysis.OPTIMAL]
    if bad.empty:
        return None
    items = []
    for _, r in bad.iterrows():
        values = ", ".join(
            f"{p.name} = {_value(r[f'p:{p.path}'])}{_unit_after(p.path)}"
            for p in spec.parameters
            if f"p:{p.path}" in r.index and pd.notna(r[f"p:{p.path}"])
        )
        diagnosis = str(r.get("diagnosis") or "").strip() or "no diagnosis recorded"
        items.append(
            f"<li><b>Point {_esc(r.get('point'))}: {_esc(r['status'])}</b> — {_esc(_kind(r, spec))}"
            f"{_esc('; ' + values) if values else ''}<pre class='diagnosis'>{_esc(diagnosis)}</pre></li>"
        )
    counts = Counter(bad["status"])
    tally = ", ".join(f"{n} {s}" for s, n in counts.items())
    text = (
        f"{len(bad):,} point{'s have' if len(bad) > 1 else ' has'} no plan ({tally}). "
        "Infeasible: the rules cannot be met with what the scenario allows; the diagnosis names the binding "
        "limits. Error: the point could not be set up or solved."
    )
    return Section("Points without a plan", text=text, html=f"{_STYLE}<ul>{''.join(items)}</ul>")


def _footer(rows: pd.DataFrame) -> str:
    items = []
    for column, words in (("greendc_version", "greendc"), ("run_id", "run")):
        if column in rows.columns:
            seen = sorted({str(v) for v in rows[column].dropna() if str(v)})
            if seen:
                items.append(f"{words} {', '.join(seen[:5])}{' …' if len(seen) > 5 else ''}")
    if "wall_s" in rows.columns:
        items.append(f"{pd.to_numeric(rows['wall_s'], errors='coerce').sum():,.0f} s of solving")
    if "worker" in rows.columns:
        n = rows["worker"].nunique()
        items.append(f"{n} worker process{'es' if n != 1 else ''}")
    return " · ".join(items)


def _influence_words(rows: pd.DataFrame, spec: StudySpec) -> str | None:
    """The parameter that moves the cost most: the largest tornado swing (oat) or μ* (morris)."""
    try:
        if spec.design == "oat" and spec.parameters:
            t = analysis.tornado(rows, spec, _COST)
            t = t[np.isfinite(t["swing"].to_numpy(dtype=float))]
            if len(t):
                top = t.iloc[0]
                return (
                    f"{top['label']} moves the cost of IT energy most: {float(top['swing']):+,.1f} USD/MWh from "
                    f"its lowest to its highest value, the others at the base scenario."
                )
        if spec.design == "morris":
            m = analysis.morris_effects(rows, spec, _COST).sort_values("mu_star", ascending=False)
            if len(m):
                return (
                    f"{m['label'].iloc[0]} moves the cost of IT energy most (Morris μ* "
                    f"{float(m['mu_star'].iloc[0]):,.1f} USD/MWh across its range)."
                )
    except GreendcError:
        return None
    return None


def _summary_lead(rows: pd.DataFrame, spec: StudySpec) -> str:
    """The executive summary: what was run, the cost range, what moves it, reliability, points without a plan."""
    names = ", ".join(p.name for p in spec.parameters) or "no parameter"
    items = [
        (
            "What was studied",
            f"{len(rows):,} points of scenario {spec.scenario} "
            f"({_DESIGNS.get(spec.design, spec.design)}), varying {names}.",
        )
    ]
    if rows.empty or "status" not in rows.columns:
        items.append(("Results", "no point has finished yet."))
        return "<h3>Executive summary</h3>" + bullets(items) + "<h3>What was run</h3>"
    ok = rows[rows["status"] == analysis.OPTIMAL]
    if _COST in rows.columns and len(ok):
        cost = pd.to_numeric(ok[_COST], errors="coerce")
        items.append(
            (
                "Cost",
                f"the cost of IT energy runs from {cost.min():,.1f} to {cost.max():,.1f} USD/MWh over "
                f"the {len(ok):,} solved points.",
            )
        )
    influence = _influence_words(rows, spec)
    if influence:
        items.append(("What moves it", influence))
    design = ""
    if "unserved_mwh_per_yr" in ok.columns and len(ok):
        design = (
            f"on their design weather (perfect foresight, no outages) the plans leave at most "
            f"{pd.to_numeric(ok['unserved_mwh_per_yr'], errors='coerce').max():,.1f} MWh/yr unserved; "
        )
    if "oos_firm_hours_per_yr_p95" in ok.columns and ok["oos_firm_hours_per_yr_p95"].notna().any():
        p95 = pd.to_numeric(ok["oos_firm_hours_per_yr_p95"], errors="coerce")
        items.append(
            (
                "Reliability",
                design + f"on {_oos_years(rows, spec):,} unseen years each, the worst year in "
                f"twenty (P95) cuts firm load {p95.min():,.1f} to {p95.max():,.1f} h.",
            )
        )
    else:
        items.append(
            (
                "Reliability",
                design + "no design was checked on unseen years in this study, so these "
                "figures hold for the design weather only.",
            )
        )
    bad = rows[rows["status"] != analysis.OPTIMAL]
    if len(bad):
        items.append(("Points without a plan", f"{len(bad):,} (see the last section for why)."))
    return "<h3>Executive summary</h3>" + bullets(items) + "<h3>What was run</h3>"


def _assumptions(rows: pd.DataFrame, spec: StudySpec) -> Section | None:
    """The inputs of the study's base scenario with their sources (the file when it loads, else the base point's
    resolved scenario)."""
    from greendc.scenario.io import load_scenario
    from greendc.scenario.models import Scenario

    try:
        scenario = load_scenario(spec.scenario)
    except (GreendcError, OSError, ValueError):
        scenario = None
    if scenario is None and "scenario_json" in rows.columns and "values_json" in rows.columns:
        base = rows[rows["values_json"].astype(str).str.strip() == "{}"]
        if len(base) and isinstance(base["scenario_json"].iloc[0], str):
            scenario = Scenario.model_validate_json(base["scenario_json"].iloc[0])
    if scenario is None:
        return None
    text = (
        f"The inputs of the base scenario {spec.scenario}; each point moves the parameters listed in the study "
        "section and keeps the others."
    )
    return Section("Assumptions", text=text, html=assumptions_html(scenario_assumptions(scenario)))


# --- public API ------------------------------------------------------------------------------------------------


def study_sections(rows: pd.DataFrame, spec: StudySpec) -> list[Section]:
    """The sections of :func:`write_study_report` (those that apply to the study's design and rows)."""
    header = _header(rows, spec)
    sections = [Section(header.heading, rows=header.rows, lead=_summary_lead(rows, spec))]
    if rows.empty or "status" not in rows.columns:
        return sections
    if "point" in rows.columns:
        rows = rows.sort_values("point", kind="stable")
    years = _oos_years(rows, spec)
    sections.append(_points(rows, spec, years))
    if spec.design == "oat" and spec.parameters and _COST in rows.columns:
        sections.append(_tornado(rows, spec, years))
    if spec.design == "morris" and _COST in rows.columns:
        sections.append(_morris(rows, spec, years))
    for build in (_pareto, _curves, _near_optimal):
        section = build(rows, spec, years)
        if section is not None:
            sections.append(section)
    for section in (_infeasible(rows, spec), _assumptions(rows, spec)):
        if section is not None:
            sections.append(section)
    return sections


def write_study_report(rows: pd.DataFrame, spec: StudySpec, path: str | Path, title: str | None = None) -> Path:
    """Write the self-contained HTML report of a study.

    Parameters
    ----------
    rows : pandas.DataFrame
        The study's rows (:attr:`greendc.study.run.StudyRun.rows`; columns as
        :func:`greendc.study.task.run_point`); may be empty.
    spec : StudySpec
        The study file.
    path : str or pathlib.Path
        Where the page goes.
    title : str, optional
        Page title; default ``Study <name>``.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    title = title or f"Study {spec.name}"
    return write_html(path, title, study_sections(rows, spec), footer=_footer(rows))
