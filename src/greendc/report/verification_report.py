"""The HTML report of one design verified out of sample, and the sections every availability page shares:
an executive summary in words, the out-of-sample figures with their 95 % intervals, the month × hour heat map
of firm losses, the hours cut by cause with the worst events, and the assumptions
(:func:`write_verification_report`; the sizing loop's page is :mod:`greendc.report.availability_report`).

Hours cut by common-mode trips are always shown apart from supply adequacy; the target counts them only when
``AvailabilityTarget.count_common_mode`` is set. The page is self-contained (:mod:`greendc.report.html`).
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import plotly.graph_objects as go

from greendc.availability.events import CAUSES
from greendc.availability.figures import (
    loss_heatmap_figure,
    verification_table_html,
)
from greendc.errors import GreendcError
from greendc.provenance import Provenance
from greendc.report.assumptions import assumptions_html, scenario_assumptions
from greendc.report.html import Section, write_html
from greendc.report.labels import CAPACITIES
from greendc.report.labels import CAUSES as CAUSE_NAMES
from greendc.report.provenance_words import provenance_footer
from greendc.report.words import dominant_cause, storage_share
from greendc.units import PLAN_CAPACITY_UNITS

if TYPE_CHECKING:
    from greendc.availability.verify import Verification
    from greendc.scenario.models import Scenario

__all__ = ["CAPACITY_LABELS", "CAUSE_LABELS", "WORST_EVENTS", "verification_sections", "write_verification_report"]

#: Readable names of the capacities of :data:`greendc.units.PLAN_CAPACITY_UNITS` (same keys; from
#: :mod:`greendc.report.labels`).
CAPACITY_LABELS: dict[str, str] = {k: v.words for k, v in CAPACITIES.items()}
#: Readable names of the causes of :data:`greendc.availability.events.CAUSES` (same keys).
CAUSE_LABELS: dict[str, str] = CAUSE_NAMES
#: Events listed in the table of the worst events (longest first) [-].
WORST_EVENTS = 20

#: Preset name → the benchmark it stands for, and the source of its hours.
_TIERS: dict[str, tuple[str, str]] = {
    "tier-iii": ("Tier III", "99.982 %"),
    "tier-iv": ("Tier IV", "99.995 %"),
}
_TIER_SOURCE = (
    "Uptime Institute, Tier Classifications Define Site Infrastructure Performance (Turner, Seader, "
    "Renaud, Brill), as summarised in greendc's reference notes (datacenter_facts.md §5.1); a "
    "benchmark, not a requirement of a standard"
)
_STYLE = (
    "<style>.verdict{display:inline-block;font-weight:600;font-size:1.15em;padding:0.3em 0.8em;"
    "border-radius:4px;margin:0.4em 0}.met{background:#e3f4ea;color:#11693f}"
    ".unmet{background:#fbe3ea;color:#a3123f}.none{background:#eee;color:#333}"
    "ul.summary li{margin:0.45em 0;line-height:1.45} caption{text-align:left;font-weight:600;"
    "padding:0.3em 0}</style>"
)


# --- formatting -----------------------------------------------------------------------------------------------


def _num(value: float, digits: int | None = None) -> str:
    """A number for prose: thousands separators; without ``digits``, fewer decimals the larger it is and no
    trailing zeros (``0.55``, ``1.3``, ``8``, ``119.2``, ``1,692``)."""
    v = float(value)
    if not math.isfinite(v):
        return "–"
    if digits is not None:
        return f"{v:,.{digits}f}"
    text = f"{v:,.{2 if abs(v) < 10 else 1 if abs(v) < 100 else 0}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _interval(pair: Sequence[float]) -> str:
    """A 95 % interval of hours; a normal interval's lower end below 0 h is shown as 0 (hours are >= 0)."""
    lo, hi = (max(0.0, float(x)) for x in pair)
    return f"{_num(lo)}–{_num(hi)}"


def _pct(value: float) -> str:
    """A share as a percentage (``90 %``, ``98.9 %``)."""
    return f"{_num(100 * float(value))} %"


def _esc(text: object) -> str:
    return html.escape(str(text))


def _capacity_label(key: str) -> str:
    return f"{CAPACITY_LABELS.get(key, key)} [{PLAN_CAPACITY_UNITS.get(key, '')}]"


def _check_timezone(timezone: str) -> None:
    try:
        pd.Timestamp(0, tz="UTC").tz_convert(timezone)
    except Exception as exc:  # pytz and zoneinfo raise different types for an unknown zone
        raise GreendcError(
            f"timezone = {timezone!r}: {exc}; allowed: an IANA zone such as 'Africa/Casablanca'"
        ) from exc


# --- the target and what counts against it --------------------------------------------------------------------


def _target_name(target: Mapping[str, Any]) -> str:
    """``Tier III (tier-iii)`` for a preset, the name itself otherwise."""
    name = str(target.get("name", "custom"))
    tier = _TIERS.get(name)
    return f"{tier[0]} ({name})" if tier else name


def _counted(target: Mapping[str, Any] | None) -> tuple[str, str]:
    """Key of :func:`~greendc.availability.verify.verification_table` the target counts, and its words."""
    if target is not None and target.get("count_common_mode"):
        return "firm_hours_per_yr", "from all causes, common-mode trips included"
    return "firm_hours_supply_per_yr", "for supply reasons (all causes but common-mode trips)"


def _target_words(target: Mapping[str, Any]) -> str:
    flex = target.get("flexible_work_done_fraction")
    common = "counted against it" if target.get("count_common_mode") else "not counted against it"
    text = (
        f"{_target_name(target)}: firm load cut for at most {_num(target['firm_hours_per_year'])} h per year in "
        f"at least {_pct(target['share_of_years'])} of years"
    )
    if flex is not None:
        text += f", and at least {_pct(flex)} of each flexible class's work done by its deadline"
    return text + f". Hours of common-mode trips are {common}; they are reported separately."


# --- sections shared by both reports --------------------------------------------------------------------------


def _design_words(plan_summary: Mapping[str, Any]) -> str:
    caps = [(k, float(plan_summary[k])) for k in PLAN_CAPACITY_UNITS if float(plan_summary.get(k, 0.0)) > 0]
    parts = [f"{CAPACITY_LABELS.get(k, k)} {_num(v, 0)} {PLAN_CAPACITY_UNITS[k]}" for k, v in caps]
    text = "; ".join(parts) if parts else "nothing built"
    reserves = plan_summary.get("reserves") or {}
    if float(reserves.get("reserve_hours", 0.0)) > 0:
        text += (
            f". It keeps an energy reserve that only the firm load may use, enough to carry its peak for "
            f"{_num(reserves['reserve_hours'], 0)} h ({_num(reserves.get('battery_reserve_mwh', 0.0), 0)} MWh "
            f"in the battery, {_num(reserves.get('h2_reserve_mwh', 0.0), 0)} MWh of hydrogen)"
        )
    return text + "."


def _outcome_words(table: Mapping[str, Any], target: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """Bullet points (lead, text) on what the unseen years showed."""
    key, words = _counted(target)
    h = table[key]
    cm = table["firm_hours_common_mode_per_yr"]
    every = table["firm_hours_per_yr"]
    years = f"{table['years']:,} unseen synthetic years (weather, outages and forecasts never used in design)"
    if h["worst"] > 0:
        seen = (
            f"over {years} firm load was cut {words} {_num(h['mean'])} h per year on average (95 % interval "
            f"{_interval(h['mean_ci95'])}), {_num(h['p95'])} h in the worst year in twenty (P95, 95 % interval "
            f"{_interval(h['p95_ci95'])}) and {_num(h['worst'])} h in the worst year."
        )
    else:
        seen = f"in none of {years} was firm load cut {words}."
    out = [("Out of sample", seen)]
    if target is not None:
        lo, hi = table["share_of_years_meeting_ci95"]
        out.append(
            (
                "Share of years meeting the target",
                f"{_pct(table['share_of_years_meeting'])} (95 % interval {_pct(lo)}–{_pct(hi)}) of years stayed within "
                f"{_num(target['firm_hours_per_year'])} h; {_pct(target['share_of_years'])} are required.",
            )
        )
    out.append(
        (
            "Common-mode trips",
            "trips of shared equipment (substation, control system), which no generation or storage prevents, cut "
            f"firm load {_num(cm['mean'])} h per year on average (95 % interval {_interval(cm['mean_ci95'])}), P95 "
            f"{_num(cm['p95'])} h, worst year {_num(cm['worst'])} h. All causes together: mean "
            f"{_num(every['mean'])} h, P95 {_num(every['p95'])} h, worst year {_num(every['worst'])} h per year.",
        )
    )
    out.append(
        (
            "Events",
            f"{_num(table['events_per_yr'])} loss-of-load events per year; "
            f"{_pct(table['share_of_years_with_loss'])} of years had at least one; "
            f"{_num(table['firm_unserved_mwh_per_yr'], 0)} MWh of firm IT energy not served per year on average.",
        )
    )
    flex = table.get("flexible_work_done_fraction") or {}
    if flex:
        goal = target.get("flexible_work_done_fraction") if target is not None else None
        done = ", ".join(f"{c} {_pct(v)}" for c, v in flex.items())
        out.append(
            ("Flexible work done by its deadline", done + (f" (target {_pct(goal)})." if goal is not None else "."))
        )
    return out


def _risk_words(verification: Verification, storage: float) -> str:
    """The worst unseen year, the cause of most firm hours cut, and the weight of storage in the cost."""
    table, events = verification.table, verification.events
    years = max(int(table["years"]), 1)
    by_cause = events.groupby("cause")["duration_h"].sum() / years if len(events) else pd.Series(dtype=float)
    worst = table["firm_hours_per_yr"]["worst"]
    risks = [
        f"the worst of {years:,} unseen years cut firm load for {_num(worst)} h"
        if worst > 0
        else f"no firm hour was cut in {years:,} unseen years; rarer years may still cut some"
    ]
    top = dominant_cause(by_cause.to_dict())
    if top is not None:
        risks.append(f"most firm hours cut come from {top[0]} ({_num(top[1])} h per year, {_num(100 * top[2], 0)} %)")
    if storage >= 0.25:
        risks.append(
            f"storage is {_num(100 * storage, 0)} % of the cost, so the storage cost assumptions move the price most"
        )
    return "; ".join(risks) + "."


def _summary_section(
    verification: Verification,
    plan_summary: Mapping[str, Any],
    target: Mapping[str, Any] | None,
    met: bool | None,
    cost_words: str,
    verdict_note: str = "",
) -> Section:
    """The executive summary: verdict, target, design, cost, out-of-sample figures, flexible work."""
    if met is None:
        verdict = "<span class='verdict none'>No availability target set: figures only</span>"
    elif met:
        verdict = f"<span class='verdict met'>Target met: {_esc(_target_name(target))}</span>"
    else:
        verdict = f"<span class='verdict unmet'>Target not met: {_esc(_target_name(target))}</span>"
    items: list[tuple[str, str]] = []
    if target is not None:
        items.append(("Target", _target_words(target)))
    if verdict_note:
        items.append(("Outcome", verdict_note))
    items.append(("Design", _design_words(plan_summary)))
    share = storage_share(plan_summary.get("annualised_cost_usd_per_yr") or {})
    items.append(
        (
            "Cost",
            cost_words
            + (f" Storage (battery, hydrogen) is {_num(100 * share, 0)} % of the annual cost." if share > 0 else ""),
        )
    )
    if plan_summary.get("unserved_mwh_per_yr") is not None:
        items.append(
            (
                "Design weather",
                f"the plan left {_num(plan_summary['unserved_mwh_per_yr'], 1)} MWh/yr of IT "
                "energy unserved on its own design weather, solved with perfect foresight and "
                "no outages; the unseen years below are the figures to rely on.",
            )
        )
    items += _outcome_words(verification.table, target)
    items.append(("Key risks", _risk_words(verification, share)))
    bullets = "".join(f"<li><b>{_esc(lead)}</b>: {_esc(text)}</li>" for lead, text in items)
    return Section("Executive summary", html=f"{_STYLE}<p>{verdict}</p><ul class='summary'>{bullets}</ul>")


def _hours_table(table: Mapping[str, Any], target: Mapping[str, Any] | None) -> str:
    key, _ = _counted(target)
    columns = {
        "firm_hours_supply_per_yr": "supply adequacy [h/yr]",
        "firm_hours_common_mode_per_yr": "common-mode trips [h/yr]",
        "firm_hours_per_yr": "all causes [h/yr]",
    }
    if target is not None:
        columns[key] += " (counted against the target)"
    rows = {
        "Mean": lambda s: f"{_num(s['mean'])}  ({_interval(s['mean_ci95'])})",
        "P95 (worst year in twenty)": lambda s: f"{_num(s['p95'])}  ({_interval(s['p95_ci95'])})",
        "Worst year": lambda s: _num(s["worst"]),
    }
    frame = pd.DataFrame(
        {label: [f(table[k]) for f in rows.values()] for k, label in columns.items()},
        index=pd.Index(list(rows), name="firm hours cut per year"),
    )
    return verification_table_html(frame, "Firm hours cut per year over the unseen years: value (95 % interval)")


def _figures_table(table: Mapping[str, Any], target: Mapping[str, Any] | None) -> str:
    rows: list[tuple[str, str, str]] = [("Unseen years verified", f"{table['years']:,}", "")]
    if target is not None:
        lo, hi = table["share_of_years_meeting_ci95"]
        rows += [
            (
                f"Share of years within {_num(target['firm_hours_per_year'])} h",
                _pct(table["share_of_years_meeting"]),
                f"{_pct(lo)}–{_pct(hi)}",
            ),
            ("Share of years required", _pct(target["share_of_years"]), ""),
            ("Firm hours target met", "yes" if table["firm_target_met"] else "no", ""),
            ("Flexible work target met", "yes" if table["flexible_target_met"] else "no", ""),
        ]
    rows += [
        ("Loss-of-load events per year (mean)", _num(table["events_per_yr"]), ""),
        ("Share of years with any firm load cut", _pct(table["share_of_years_with_loss"]), ""),
        ("Firm IT energy not served [MWh/yr]", _num(table["firm_unserved_mwh_per_yr"], 0), ""),
        (
            "IT energy not served, flexible work past its deadline included [MWh/yr]",
            _num(table["eens_mwh_per_yr"], 0),
            "",
        ),
    ]
    rows += [
        (f"Flexible work done by its deadline: {c}", _pct(v), "")
        for c, v in (table.get("flexible_work_done_fraction") or {}).items()
    ]
    frame = pd.DataFrame(rows, columns=["figure", "value", "95 % interval"])
    return verification_table_html(frame, "Other figures")


def _heatmap_section(verification: Verification, timezone: str) -> Section:
    heat = verification.heatmap
    zone = heat.attrs.get("timezone", "UTC")
    years = verification.table["years"]
    note = (
        f"Firm IT energy not served in each month and hour of the day, summed over the {years:,} unseen years. "
        f"Hours of the day are {zone}."
    )
    if timezone != zone:
        stamps = pd.date_range("2030-01-01", periods=8760, freq="h", tz=zone).tz_convert(timezone)
        offsets = sorted({float(s.utcoffset() / pd.Timedelta(hours=1)) for s in stamps[::24]}, key=abs)
        note += (
            f" Local time in {timezone} is {zone}{offsets[-1]:+g} h"
            + (f" ({zone}{offsets[0]:+g} h for part of the year)" if len(offsets) > 1 else "")
            + "; the verification sums the losses by UTC hour, so the map is not shifted."
        )
    if float(heat.to_numpy().sum()) == 0.0:
        note += " No firm load was cut in any unseen year."
    fig = loss_heatmap_figure(
        heat, f"Firm IT energy not served by month and hour ({zone}), {years:,} years", unit="MWh"
    )
    return Section("When firm load is lost", text=note, figures=(fig,))


def _cause_figure(events: pd.DataFrame, years: int) -> go.Figure:
    hours = events.groupby("cause")["duration_h"].sum().reindex(CAUSES, fill_value=0.0) / years
    counts = events.groupby("cause").size().reindex(CAUSES, fill_value=0)
    order = list(reversed(CAUSES))  # plotly draws the first bar at the bottom: common mode on top
    fig = go.Figure(
        go.Bar(
            x=[hours[c] for c in order],
            y=[CAUSE_LABELS[c] for c in order],
            orientation="h",
            text=[f"{hours[c]:.2f} h/yr ({counts[c]} event{'' if counts[c] == 1 else 's'})" for c in order],
            textposition="outside",
            cliponaxis=False,
            marker_color=["#a5aa99" if c == "common_mode" else "#e73f74" for c in order],
            hovertemplate="%{y}<br>%{x:.3f} h per year<extra></extra>",
        )
    )
    fig.update_layout(
        title=f"Firm hours cut per year by cause, mean over {years:,} unseen years",
        xaxis_title="firm hours cut [h/yr]",
        showlegend=False,
        margin={"l": 320, "r": 140},
    )
    return fig


def _worst_events_table(verification: Verification, timezone: str) -> str:
    ev = verification.events
    if not len(ev):
        return "<p>No loss-of-load event in any unseen year.</p>"
    worst = ev.sort_values(["duration_h", "firm_unserved_mwh"], ascending=False, kind="stable").head(WORST_EVENTS)
    start = pd.DatetimeIndex(worst["start"]).tz_convert(timezone)
    frame = pd.DataFrame(
        {
            "unseen year": worst["year_index"].to_numpy() + 1,
            f"start ({timezone})": start.strftime("%Y-%m-%d %H:%M"),
            "duration [h]": worst["duration_h"].to_numpy(dtype=float),
            "firm IT energy not served [MWh]": worst["firm_unserved_mwh"].to_numpy(dtype=float),
            "largest share of firm load shed": [_pct(v) for v in worst["peak_shed_fraction"]],
            "cause": [CAUSE_LABELS.get(c, c) for c in worst["cause"]],
        }
    )
    return verification_table_html(frame, f"The {len(frame)} longest events (of {len(ev):,}), longest first")


def _causes_section(verification: Verification, timezone: str) -> Section:
    runs = verification.runs
    years = int(verification.table["years"])
    text = (
        "Each event is given the first of these causes that applies: a common-mode trip, forced outages of "
        "10 % or more of the supply, stored energy left unused, a dust episode, a heat wave, a wind and sun "
        "lull (72-h renewable potential below half its median)."
    )
    if len(runs) and "calendar_year" in runs:
        chain = verification.provenance.details.get("chain_years")
        text += (
            f" Dates: every chain of {chain} unseen years starts again in {int(runs['calendar_year'].min())} "
            "(storage carries over within a chain), so the date gives the season and hour and the unseen "
            "year tells the years apart."
        )
    return Section(
        "Why firm load is lost",
        text=text,
        figures=(_cause_figure(verification.events, years),),
        html=_worst_events_table(verification, timezone),
    )


def _assumption_rows(
    verification: Verification,
    target: Mapping[str, Any] | None,
    plan_summary: Mapping[str, Any],
    scenario: Scenario | None,
) -> dict[str, str]:
    prov = verification.provenance.details
    rows = {
        "Operating policy": str(prov.get("policy", "rule_based")).replace("_", "-"),
        "Forecast": str(prov.get("forecast", "persistence")),
        "Unseen years": f"{prov.get('years', verification.table['years'])} synthetic years in chains of "
        f"{prov.get('chain_years', '–')} consecutive years, root seed {prov.get('root_seed', '–')}",
        "Design weather seeds (never reused)": ", ".join(map(str, prov.get("design_weather_seeds", []))) or "–",
        "Restart after a loss of load": f"{_num(prov['restart_hours'])} h, counted as firm hours cut"
        if "restart_hours" in prov
        else "–",
        "Forced outages": "drawn per unit for every fleet (greendc/data/reliability.csv)",
        "Common-mode failures": "on (substation, control system: greendc/data/common_mode.csv)"
        if prov.get("common_mode", True)
        else "off",
    }
    if scenario is not None:
        refill = scenario.rules.reserve_refill_hours
        rows["Reserve refill"] = (
            "no refill rule"
            if refill is None
            else f"a used reserve can be refilled within {_num(refill)} h at full charging power"
        )
    else:
        rows["Reserve refill"] = (
            "not kept with the result; the scenario default: within 168 h (one week) at full charging power"
        )
    if target is not None:
        tier = _TIERS.get(str(target.get("name")))
        hours = _num(target["firm_hours_per_year"])
        rows["Target hours"] = (
            f"{hours} h/yr: the downtime implied by {tier[0]}'s quoted {tier[1]} availability. Source: {_TIER_SOURCE}"
            if tier
            else f"{hours} h/yr, a custom value"
        )
        rows["Share of years"] = f"{_pct(target['share_of_years'])}: greendc's stated choice, not an Uptime figure"
        if target.get("flexible_work_done_fraction") is not None:
            rows["Flexible work share"] = (
                f"{_pct(target['flexible_work_done_fraction'])}: greendc's stated choice, not an Uptime figure"
            )
        rows["Common-mode hours"] = (
            "counted against the target"
            if target.get("count_common_mode")
            else "not counted against the target (supply adequacy); reported separately"
        )
    rows["Statistics"] = (
        "mean with a normal 95 % interval; P95 with a distribution-free 95 % interval from order "
        "statistics (Hahn & Meeker 1991); share of years with a Wilson 95 % interval (Wilson 1927)"
    )
    plan_prov = _plan_provenance(plan_summary).details
    if plan_prov.get("costs"):
        rows["Cost data"] = f"{plan_prov['costs']}, {plan_prov.get('currency', 'USD')}"
    return rows


def _assumptions_section(rows: Mapping[str, str], scenario: Scenario | None = None) -> Section:
    frame = pd.DataFrame(list(rows.items()), columns=["assumption", "value and source"])
    html_ = verification_table_html(frame, "The out-of-sample check")
    if scenario is not None:
        html_ += assumptions_html(scenario_assumptions(scenario), f"The inputs of scenario {scenario.name}")
    else:
        html_ += (
            "<p class='note'>The scenario was not passed to this report: its weather, workload, cost and rule "
            "inputs are in the plan report's assumptions.</p>"
        )
    return Section("Assumptions", html=html_)


def _plan_provenance(plan_summary: Mapping[str, Any]) -> Provenance:
    """The provenance of a plan's ``summary.json`` (empty when it has none)."""
    return Provenance.from_dict(plan_summary.get("provenance") or {}, stage="plan")


def _footer(verification: Verification, plan_summary: Mapping[str, Any]) -> str:
    """The plan's provenance line (:func:`~greendc.report.provenance_words.provenance_footer`) and the check's time."""
    items = [line] if (line := provenance_footer(_plan_provenance(plan_summary))) else []
    prov = verification.provenance.details
    if "wall_time_s" in prov:
        items.append(f"verification {prov['wall_time_s']:.0f} s on {prov.get('workers', '?')} workers")
    return " · ".join(items)


def _cost_words(plan_summary: Mapping[str, Any]) -> str:
    return (
        f"{_num(plan_summary['cost_usd_per_mwh_it'], 1)} USD per MWh of IT energy "
        f"({_num(plan_summary['objective_usd_per_yr'] / 1e6, 0)} million USD per year)."
    )


def _verification_body(verification: Verification, target: Mapping[str, Any] | None, timezone: str) -> list[Section]:
    """Out-of-sample tables, heat map and causes: the part of the page both reports share."""
    tables = _hours_table(verification.table, target) + _figures_table(verification.table, target)
    return [
        Section("Out-of-sample verification", html=tables),
        _heatmap_section(verification, timezone),
        _causes_section(verification, timezone),
    ]


# --- public API -----------------------------------------------------------------------------------------------


def verification_sections(
    verification: Verification,
    plan_summary: Mapping[str, Any],
    timezone: str = "UTC",
    scenario: Scenario | None = None,
) -> list[Section]:
    """Sections of :func:`write_verification_report`: summary, verification, losses, assumptions."""
    _check_timezone(timezone)
    target = verification.table.get("target")
    return [
        _summary_section(verification, plan_summary, target, verification.passed, _cost_words(plan_summary)),
        *_verification_body(verification, target, timezone),
        _assumptions_section(_assumption_rows(verification, target, plan_summary, scenario), scenario),
    ]


def write_verification_report(
    verification: Verification,
    plan_summary: Mapping[str, Any],
    path: str | Path,
    title: str,
    timezone: str = "UTC",
    *,
    scenario: Scenario | None = None,
) -> Path:
    """Write the self-contained HTML report of one design verified out of sample, without the sizing loop.

    Parameters
    ----------
    verification : greendc.availability.verify.Verification
        :func:`~greendc.availability.verify.verify` of the design (with or without a target).
    plan_summary : mapping
        The plan's ``summary.json`` (:meth:`greendc.plan.result.PlanResult.summary`): capacities
        [MW, MWh], ``cost_usd_per_mwh_it`` [USD/MWh], ``objective_usd_per_yr`` [USD/yr], ``reserves``,
        ``provenance``.
    path, title, timezone, scenario
        As :func:`write_availability_report`.

    Returns
    -------
    Path
        ``path``.
    """
    return write_html(
        path,
        title,
        verification_sections(verification, plan_summary, timezone, scenario),
        footer=_footer(verification, plan_summary),
    )
