"""The "Costs used" section of a plan report: every cost number the plan used, in the source's money and
converted, with its source (:meth:`greendc.costs.CostRow.listing`), and the value of workload flexibility."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from greendc.costs import CostRow
from greendc.report.html import Section
from greendc.report.labels import CAPACITIES, component_label

__all__ = ["costs_listing", "costs_section", "flexibility_rows"]


def costs_listing(costs: Mapping[str, CostRow]) -> list[dict[str, Any]]:
    """One entry per cost row the plan used (a balance-of-plant row once, with every capacity it is paid
    per), JSON-ready: :meth:`~greendc.costs.CostRow.listing` plus ``components`` (the plan's cost keys)."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for component, row in costs.items():
        entry = out.setdefault((row.technology, row.variant), row.listing() | {"components": []})
        entry["components"].append(component)
    return list(out.values())


def _cell(value: Any, digits: int = 0) -> str:
    if value is None:
        return "not stated"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return html.escape(str(value))


def costs_section(costs: Mapping[str, CostRow], origin: str, currency: str) -> Section:
    """Table of :func:`costs_listing`: as the source writes it, the conversion factor, the value used, lifetime,
    fixed O&M and the source."""
    head = (
        "Technology",
        "Variant",
        "Source value",
        "Factor",
        f"Used [{currency}]",
        "Lifetime [yr]",
        "Fixed O&M [%/yr]",
        "Source",
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td>{c}</td>"
            for c in (
                _cell(component_label(e["technology"]))
                + (
                    " (per MW of "
                    + _cell(", ".join(CAPACITIES[a].words if a in CAPACITIES else a for a in e["applies_to"]))
                    + ")"
                    if e["applies_to"]
                    else ""
                ),
                _cell(e["variant"]),
                f"{_cell(e['source_capex_per_unit'])} {_cell(e['source_currency'])}{_cell(e['source_money_year'])}",
                f"{e['money_factor']:.4f}",
                f"{_cell(e['capex_per_unit'])} {_cell(e['unit'])}",
                _cell(e["lifetime_years"]),
                f"{100.0 * e['fom_fraction_per_year']:.2f}",
            )
        )
        + f"<td class='source'>{_cell(e['source'])}</td></tr>"
        for e in costs_listing(costs)
    )
    table = (
        "<table class='grid'><thead><tr>"
        + "".join(f"<th>{html.escape(h)}</th>" for h in head)
        + "</tr></thead><tbody>"
        + body
        + "</tbody></table>"
    )
    return Section(
        "Costs used",
        text=f"Cost table {origin}: every cost number the plan used, each with its source (quoted as the source "
        f"writes it). Every row is converted from the money its source is written in to {currency} "
        "with the US CPI-U and the ECB USD/EUR rate of the source's year (greendc/data/costs/price_indices.csv).",
        html=table,
    )


def flexibility_rows(value: Mapping[str, Any]) -> dict[str, str]:
    """Key-figure rows of :func:`greendc.plan.flexibility.flexibility_value`."""
    if not value.get("flexible_classes"):
        return {"Value of workload flexibility": str(value.get("note", "no flexible class"))}
    return {
        "Cost with every class firm": f"{value['all_firm_cost_usd_per_mwh_it']:,.1f} USD/MWh",
        "Value of workload flexibility": (
            f"{value['value_usd_per_mwh_it']:,.1f} USD/MWh of IT energy ({value['value_fraction']:.1%} of the firm "
            f"cost), {value['value_usd_per_mwh_flexible']:,.1f} USD per MWh of flexible work "
            f"({', '.join(value['flexible_classes'])}), on the design weather"
        ),
    }
