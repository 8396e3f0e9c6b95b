"""The HTML report of a plan: what was built, what it costs, and how it runs through the year."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from greendc.costs import CostRow
from greendc.finance import FinanceSummary
from greendc.plan.result import PlanResult
from greendc.report import figures
from greendc.report.costs_report import costs_section, flexibility_rows
from greendc.report.finance_report import finance_section
from greendc.report.html import Section, write_html
from greendc.units import PLAN_CAPACITY_UNITS


def _fmt(value: float, unit: str, digits: int = 0) -> str:
    return f"{value:,.{digits}f} {unit}"


def out_of_sample_rows(out_of_sample: Mapping[str, Any] | None) -> dict[str, str]:
    """Key-figure rows of the out-of-sample check (:func:`greendc.availability.outputs.out_of_sample_summary`),
    shown beside the plan's own unserved energy."""
    if out_of_sample is None:
        return {"Out of sample": "not verified: bring-your-own-data plans have no weather model for unseen years"}
    rows = {}
    for label, key in (("Firm hours cut per year, unseen years", "firm_hours_per_yr"),
                       ("… of which supply adequacy", "firm_hours_supply_per_yr"),
                       ("… of which common-mode trips", "firm_hours_common_mode_per_yr")):
        h = out_of_sample[key]
        rows[label] = f"mean {h['mean']:.2f} h, P95 {h['p95']:.1f} h, worst {h['worst']:.0f} h"
    rows["Unserved IT energy, unseen years"] = (
        f"{out_of_sample['eens_mwh_per_yr']:,.0f} MWh/yr (mean of {out_of_sample['years']} years, rule-based "
        "dispatch, forced and common-mode outages, restarts)"
    )
    rows["Years with firm load cut"] = f"{out_of_sample['share_of_years_with_loss']:.0%}"
    return rows


def certificate_rows(certificate: Mapping[str, Any] | None) -> dict[str, str]:
    """Key-figure rows of a certified multi-year design (:meth:`greendc.plan.certify.Certificate.summary`)."""
    if not certificate:
        return {}
    lower, upper = certificate["lower_bound_usd_per_yr"], certificate["upper_bound_usd_per_yr"]
    verdict = "within" if certificate["converged"] else "NOT within"
    return {
        "Certificate": (
            f"serves every hour of every year at full resolution; costs at most {certificate['gap']:.2%} more than "
            f"the best possible design ({verdict} the requested gap) after {len(certificate['rounds'])} round(s)"
        ),
        "Lower bound (no design costs less)": _fmt(lower / 1e6, "million USD/yr", 2),
        "Upper bound (this design)": _fmt(upper / 1e6, "million USD/yr", 2),
    }


def plan_sections(
    result: PlanResult, timezone: str = "UTC", out_of_sample: Mapping[str, Any] | None = None,
    costs: Mapping[str, CostRow] | None = None, finance: FinanceSummary | None = None,
    flexibility: Mapping[str, Any] | None = None,
) -> list[Section]:
    """Sections of the plan report: key figures (the design weather's unserved energy beside the
    out-of-sample figures), capacities and costs, dispatch, storage, heat maps, months."""
    d = result.dispatch
    key = {
        "Total cost": _fmt(result.objective_usd_per_yr / 1e6, "million USD/yr", 1),
        "Cost per MWh of IT energy": _fmt(result.cost_usd_per_mwh_it, "USD/MWh", 1),
        "Cost per MWh of facility energy": _fmt(result.cost_usd_per_mwh_facility, "USD/MWh", 1),
        "Capital expenditure": _fmt(sum(result.capex_usd.values()) / 1e9, "billion USD", 2),
        "IT energy served": _fmt(result.it_energy_mwh_per_yr / 1e3, "GWh/yr", 0),
        "Facility energy": _fmt(result.facility_energy_mwh_per_yr / 1e3, "GWh/yr", 0),
        "Unserved IT energy, design weather": _fmt(result.unserved_mwh_per_yr, "MWh/yr", 1)
        + " (perfect foresight, no outages)",
        **out_of_sample_rows(out_of_sample),
        **certificate_rows(result.provenance.get("certificate")),
        "Curtailment": f"{result.curtailment_mwh_per_yr / 1e3:,.0f} GWh/yr ({result.curtailment_fraction:.1%})",
        "Battery cycles": _fmt(result.battery_cycles_per_yr, "per yr", 0),
        "Land": f"{_fmt(result.land_km2, 'km²', 1)} total, of which "
        f"{_fmt(sum(result.land_by_kind_km2['direct'].values()), 'km²', 1)} direct footprint",
        "Water": _fmt(result.water_m3_per_yr / 1e3, "thousand m³/yr", 1),
        **(
            {"Grid import": _fmt(result.grid_import_mwh_per_yr / 1e3, "GWh/yr", 1)}
            if result.grid_import_mwh_per_yr is not None
            else {}
        ),
        "Horizon": _fmt(result.horizon_years, "yr", 2),
        "Solver status": result.status.value,
    }
    capacities = {k: float(v) for k, v in result.capacities.items()}
    sections = [
        Section("Key figures", rows=key),
        Section(
            "What is built and what it costs",
            rows={k: _fmt(v, PLAN_CAPACITY_UNITS.get(k, "")) for k, v in capacities.items()},
            figures=(
                figures.capacity_figure(capacities, PLAN_CAPACITY_UNITS),
                figures.cost_figure({k: v for k, v in result.annualised_cost_usd_per_yr.items() if v > 0}),
            ),
        ),
        Section(
            "How it runs",
            text="Supply above zero, storage charging, electrolysis and curtailment below; the line is the "
            "facility load.",
            figures=(figures.dispatch_weeks_figure(d, timezone), figures.monthly_balance_figure(d)),
        ),
        Section("Storage", figures=(figures.storage_figure(d, timezone),)),
        Section(
            "When energy is thrown away or missing",
            figures=(
                figures.day_hour_heatmap(d["curtailed_mw"], "Curtailment", timezone),
                figures.day_hour_heatmap(d["unserved_mw"], "Unserved energy", timezone),
            ),
        ),
    ]
    if finance is not None:
        sections.insert(2, finance_section(finance))  # after "What is built and what it costs"
    if flexibility is not None:
        sections[0].rows.update(flexibility_rows(flexibility))
    if costs is not None:
        sections.append(costs_section(costs, str(result.provenance.get("costs", "")),
                                      str(result.provenance.get("currency", "USD"))))
    return sections


def write_plan_report(
    result: PlanResult, path: str | Path, title: str, timezone: str = "UTC",
    out_of_sample: Mapping[str, Any] | None = None, costs: Mapping[str, CostRow] | None = None,
    finance: FinanceSummary | None = None, flexibility: Mapping[str, Any] | None = None,
) -> Path:
    """Write the self-contained HTML report of ``result`` (with its out-of-sample figures) to ``path``."""
    prov = result.provenance
    footer = " · ".join(
        f"{k}: {prov[k]}" for k in ("scenario_hash", "weather", "costs", "solver", "status", "wall_s") if k in prov
    )
    sections = plan_sections(result, timezone, out_of_sample, costs, finance, flexibility)
    return write_html(path, title, sections, footer=footer)
