"""Plain-word sentences the executive summaries share: what is built, what share of the cost is storage, what
the unseen years showed and what mostly caused it. Built from figures the results already hold."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from greendc.report.labels import CAPACITIES, CAUSE_WORDS, STORAGE_COMPONENTS, number
from greendc.units import COMPONENTS

__all__ = ["design_words", "dominant_cause", "storage_share", "unseen_years_words"]


def design_words(capacities: Mapping[str, float]) -> str:
    """What is built, largest kinds first as the design reads: ``Solar PV (DC nameplate) 946 MW, …``; the kinds
    not built are named after "none of"."""
    built = [(k, float(v)) for k, v in capacities.items() if k in CAPACITIES and float(v) > 1e-6]
    missing = [CAPACITIES[k].words for k, v in capacities.items() if k in CAPACITIES and float(v) <= 1e-6]
    text = "; ".join(f"{CAPACITIES[k].words} {number(v, 0)} {CAPACITIES[k].unit}" for k, v in built) or "nothing"
    if missing:
        text += f" (none of: {', '.join(missing)})"
    return text


def storage_share(annualised_cost_usd_per_yr: Mapping[str, float]) -> float:
    """Share of the annualised cost paid for storage (battery, hydrogen chain, CSP heat store) [-]; a
    balance-of-plant row paid per MW of a storage capacity (``grid_forming@battery_mw``) counts as storage."""
    total = sum(float(v) for v in annualised_cost_usd_per_yr.values())
    if total <= 0:
        return 0.0
    storage_caps = {c.capacity for c in COMPONENTS if c.storage}

    def is_storage(key: str) -> bool:
        row, _, cap = key.partition("@")
        return row in STORAGE_COMPONENTS or cap in storage_caps

    return sum(float(v) for k, v in annualised_cost_usd_per_yr.items() if is_storage(k)) / total


def dominant_cause(hours_by_cause: Mapping[str, float]) -> tuple[str, float, float] | None:
    """The cause with the most firm hours cut: (words, its hours per year, its share of all hours); None when
    no hour was cut."""
    total = sum(float(v) for v in hours_by_cause.values())
    if total <= 0:
        return None
    cause, hours = max(hours_by_cause.items(), key=lambda kv: float(kv[1]))
    return CAUSE_WORDS.get(cause, cause.replace("_", " ")), float(hours), float(hours) / total


def unseen_years_words(out_of_sample: Mapping[str, Any]) -> tuple[str, str]:
    """Two sentences on an out-of-sample check (:func:`greendc.availability.outputs.out_of_sample_summary`): the
    firm hours cut (mean, P95, worst year) with the unserved energy, and the dominant cause."""
    h = out_of_sample["firm_hours_per_yr"]
    years = int(out_of_sample["years"])
    if float(h["worst"]) > 0:
        seen = (
            f"over {years:,} unseen years (weather, outages and forecasts never used in design; rule-based "
            f"dispatch, restarts), firm load was cut {number(h['mean'])} h per year on average, "
            f"{number(h['p95'])} h in the worst year in twenty (P95) and {number(h['worst'])} h in the worst "
            f"year; {number(out_of_sample['eens_mwh_per_yr'], 0)} MWh of IT energy not served per year on "
            f"average, {number(100 * float(out_of_sample['share_of_years_with_loss']), 0)} % of years with at "
            "least one cut."
        )
    else:
        seen = f"in none of {years:,} unseen years (rule-based dispatch, outages, restarts) was firm load cut."
    top = dominant_cause(out_of_sample.get("firm_hours_per_yr_by_cause") or {})
    cause = (
        f"{top[0]}: {number(top[1])} h per year, {number(100 * top[2], 0)} % of the firm hours cut."
        if top is not None
        else "none: no firm hour was cut."
    )
    return seen, cause
