"""The committee-facing HTML report of an availability study: was the target met, what does it cost, how
sure are we, and when and why is firm load still lost.

:func:`write_availability_report` builds the page of the sizing loop
(:class:`~greendc.availability.sizing.AvailabilityDesign`): the chosen design, its premium over the least-cost
design, every round tried and the cost-of-availability curve, around the sections it shares with the report of
one verified design (:mod:`greendc.report.verification_report`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from greendc.availability.figures import availability_curve_figure, symlog_hours, verification_table_html
from greendc.report.html import Section, write_html
from greendc.report.verification_report import (
    _TIERS,
    _assumption_rows,
    _assumptions_section,
    _capacity_label,
    _check_timezone,
    _cost_words,
    _counted,
    _footer,
    _num,
    _summary_section,
    _target_name,
    _verification_body,
)
from greendc.units import PLAN_CAPACITY_UNITS

if TYPE_CHECKING:
    from greendc.availability.sizing import AvailabilityDesign
    from greendc.scenario.models import Scenario

__all__ = ["availability_sections", "write_availability_report"]


# --- the design loop ------------------------------------------------------------------------------------------


def _round_labels(result: AvailabilityDesign) -> list[str]:
    """'least cost' for round 0, the target's name for the chosen round, 'reserve N h' for the others; a chosen
    round that did not meet the target is 'reserve N h (closest to <name>)'."""
    name = _TIERS.get(result.target.name, (result.target.name,))[0]
    labels = []
    for r in result.rounds:
        label = "least cost" if r.index == 0 else f"reserve {r.reserve_hours:g} h"
        if r is result.chosen:
            label = (f"{name} = {label}" if r.index == 0 else name) if result.met else f"{label} (closest to {name})"
        labels.append(label)
    return labels


def _curve(result: AvailabilityDesign, labels: Sequence[str]) -> pd.DataFrame:
    key, _ = _counted(result.target.model_dump())
    return pd.DataFrame(
        {
            "label": list(labels),
            "cost_usd_per_mwh": [r.plan.cost_usd_per_mwh_it for r in result.rounds],
            "firm_hours_p95": [r.verification.table[key]["p95"] for r in result.rounds],
            "firm_hours_mean": [r.verification.table[key]["mean"] for r in result.rounds],
            "series": "with flexible work",
        }
    )


def _rounds_section(result: AvailabilityDesign) -> Section:
    table = result.table()
    labels = _round_labels(result)
    curve = _curve(result, labels)
    target = result.target.model_dump()
    _, words = _counted(target)
    rows: dict[str, list[Any]] = {
        "Round": table["round"].tolist(),
        "Energy reserve for the firm load [h]": table["reserve_hours"].tolist(),
    }
    for key in PLAN_CAPACITY_UNITS:
        if key in table and (table[key].fillna(0.0) > 0).any():
            rows[_capacity_label(key)] = table[key].tolist()
    for key, label in (
        ("battery_reserve_mwh", "Reserve held in the battery [MWh]"),
        ("h2_reserve_mwh", "Reserve held as hydrogen [MWh]"),
    ):
        if key in table:
            rows[label] = table[key].tolist()
    rows |= {
        "Cost of IT energy [USD/MWh]": table["cost_usd_per_mwh"].tolist(),
        "Total cost [million USD/yr]": (table["cost_usd_per_yr"] / 1e6).tolist(),
        "Firm hours cut, all causes: mean [h/yr]": table["firm_hours_mean"].tolist(),
        "Firm hours cut, all causes: P95 [h/yr]": table["firm_hours_p95"].tolist(),
        "Firm hours cut, all causes: worst year [h/yr]": table["firm_hours_worst"].tolist(),
        "Firm hours cut counted against the target: P95 [h/yr]": curve["firm_hours_p95"].tolist(),
        "Share of years meeting the target [%]": (100 * table["share_of_years_meeting"]).tolist(),
        "Meets the target": [bool(v) for v in table["passed"]],
    }
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=labels, dtype=object)
    frame.index.name = "design"
    fig = availability_curve_figure(curve, f"Cost of availability: the designs tried for {_target_name(target)}")
    top = float(symlog_hours(max(10.0, float(curve["firm_hours_p95"].max()))))
    fig.update_xaxes(
        title_text="firm hours cut per year counted against the target, P95 [h/yr]", range=[-0.05 * top, 1.15 * top]
    )  # room for the labels right of the points
    text = (
        f"Each round plans the least-cost design that keeps an energy reserve of the given hours for the firm "
        f"load, then verifies it on the unseen years; the reserve is raised (12 h, then doubled) while the target "
        f"fails and bisected once it passes. The curve plots each design's cost against its P95 firm hours cut "
        f"{words}; the dotted lines are the Uptime Tier III and Tier IV hours."
    )
    return Section(
        "Designs tried and the cost of availability",
        text=text,
        figures=(fig,),
        html=verification_table_html(frame, "One column per design, in the order tried"),
    )


# --- public API -----------------------------------------------------------------------------------------------


def availability_sections(
    result: AvailabilityDesign, timezone: str = "UTC", scenario: Scenario | None = None
) -> list[Section]:
    """Sections of :func:`write_availability_report`: summary, verification, designs tried, losses, assumptions."""
    _check_timezone(timezone)
    chosen = result.chosen
    target = result.target.model_dump()
    summary = chosen.plan.summary()
    premium = result.premium()
    base = result.rounds[0].plan
    cost = _cost_words(summary)
    if chosen.index == 0:
        cost += " This is the least-cost design" + (": meeting the target costs nothing extra." if result.met else ".")
    else:
        cost += (
            f" That is {_num(premium['usd_per_mwh'], 1)} USD/MWh ({premium['fraction']:+.1%}, "
            f"{_num(premium['usd_per_yr'] / 1e6, 0)} million USD per year) more than the least-cost design "
            f"without a reserve ({_num(base.cost_usd_per_mwh_it, 1)} USD/MWh)."
        )
    if result.met:
        note = (
            f"the cheapest of the {len(result.rounds)} designs tried that met the target (round {chosen.index}, "
            f"reserve {chosen.reserve_hours:g} h)."
        )
    else:
        note = (
            f"none of the {len(result.rounds)} designs tried within the limit of {result.target.max_iterations} "
            f"rounds met the target; shown is the one with the largest share of years meeting it (round "
            f"{chosen.index}, reserve {chosen.reserve_hours:g} h)."
        )
    rows = _assumption_rows(chosen.verification, target, summary, scenario)
    rows["Sizing method"] = (
        f"{result.provenance.details.get('method', 'energy reserve raised then bisected')}; "
        f"{len(result.rounds)} of at most {result.target.max_iterations} rounds"
    )
    verification, *losses = _verification_body(chosen.verification, target, timezone)
    return [
        _summary_section(chosen.verification, summary, target, result.met, cost, note),
        verification,
        _rounds_section(result),
        *losses,
        _assumptions_section(rows, scenario),
    ]


def write_availability_report(
    result: AvailabilityDesign,
    path: str | Path,
    title: str,
    timezone: str = "UTC",
    *,
    scenario: Scenario | None = None,
) -> Path:
    """Write the self-contained HTML report of a design-for-availability result to ``path``.

    Parameters
    ----------
    result : greendc.availability.sizing.AvailabilityDesign
        The rounds of :func:`~greendc.availability.sizing.design_for_availability` and the chosen design.
    path : str or Path
        Where to write the page (UTF-8).
    title : str
        Page title.
    timezone : str
        IANA zone of the event start times; the heat map stays in the verification's UTC hours.
    scenario : Scenario, optional
        The scenario studied; gives the reserve refill rule of the assumptions (not kept with the result).

    Returns
    -------
    Path
        ``path``.
    """
    chosen = result.chosen
    return write_html(
        path,
        title,
        availability_sections(result, timezone, scenario),
        footer=_footer(chosen.verification, chosen.plan.summary()),
    )
