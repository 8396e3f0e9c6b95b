"""The HTML report of a plan: an executive summary in words, what was built, what it costs, how it runs through
the year, and an appendix of every assumption with its source.

Every figure of the plan's own design weather (solved with perfect foresight, no outages) stands beside the
out-of-sample figure of the same thing on unseen years, or beside a caveat when there is none.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from greendc.costs import CostRow
from greendc.errors import GreendcError
from greendc.finance import FinanceSummary
from greendc.plan.result import PlanResult
from greendc.provenance import Provenance
from greendc.report import figures
from greendc.report.assumptions import assumptions_html, scenario_assumptions
from greendc.report.costs_report import costs_section, flexibility_rows
from greendc.report.finance_report import component_label, finance_section
from greendc.report.html import Section, bullets, write_html
from greendc.report.labels import CAPACITIES, number
from greendc.report.provenance_words import provenance_footer, weather_words
from greendc.report.words import design_words, storage_share, unseen_years_words
from greendc.units import PLAN_CAPACITY_UNITS

if TYPE_CHECKING:
    from greendc.scenario.models import Scenario

__all__ = ["certificate_rows", "out_of_sample_rows", "plan_sections", "write_plan_report"]


def _fmt(value: float, unit: str, digits: int = 0) -> str:
    return f"{value:,.{digits}f} {unit}"


def _no_check_words(result: PlanResult) -> str:
    if "profiles" in result.provenance.details:
        return (
            "not verified on unseen years: bring-your-own-data plans have no weather model to draw them, so "
            "the design-weather figures are optimistic (perfect foresight, no outages)"
        )
    return (
        "not verified on unseen years in this report ('greendc plan' runs the check): the design-weather "
        "figures alone are optimistic (perfect foresight, no outages)"
    )


def out_of_sample_rows(
    out_of_sample: Mapping[str, Any] | None, design_unserved_mwh_per_yr: float | None = None, caveat: str | None = None
) -> dict[str, str]:
    """Key-figure rows of the out-of-sample check (:func:`greendc.availability.outputs.out_of_sample_summary`):
    the unserved IT energy of the design weather and of the unseen years in one row, then the firm hours cut."""
    design = (
        ""
        if design_unserved_mwh_per_yr is None
        else f"{number(design_unserved_mwh_per_yr, 1)} MWh/yr on the design weather (perfect foresight, no outages)"
    )
    if out_of_sample is None:
        text = caveat or "not verified: bring-your-own-data plans have no weather model for unseen years"
        if design:
            return {"Unserved IT energy": f"{design}; {text}"}
        return {"Out of sample": text}
    years = out_of_sample["years"]
    unseen = (
        f"{number(out_of_sample['eens_mwh_per_yr'], 0)} MWh/yr over {years:,} unseen years (mean; rule-based "
        "dispatch, forced and common-mode outages, restarts)"
    )
    rows = {"Unserved IT energy": f"{design}; {unseen}" if design else unseen}
    for label, key in (
        ("Firm hours cut per year, unseen years", "firm_hours_per_yr"),
        ("… of which supply adequacy", "firm_hours_supply_per_yr"),
        ("… of which common-mode trips", "firm_hours_common_mode_per_yr"),
    ):
        h = out_of_sample[key]
        rows[label] = f"mean {h['mean']:.2f} h, P95 {h['p95']:.1f} h, worst {h['worst']:.0f} h"
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


def shipped_scenario(provenance: Provenance) -> Scenario | None:
    """The shipped scenario a result was planned from, when its name and hash match one; else None (a scenario
    file of one's own, or a shipped one changed by command-line options, is passed to the report instead)."""
    name, digest = provenance.scenario, provenance.scenario_hash
    if not name or not digest:
        return None
    from greendc.scenario.io import load_scenario, scenario_hash

    try:
        scenario = load_scenario(str(name))
    except (GreendcError, OSError, ValueError):
        return None
    return scenario if scenario_hash(scenario) == digest else None


def _summary(
    result: PlanResult,
    out_of_sample: Mapping[str, Any] | None,
    finance: FinanceSummary | None,
    flexibility: Mapping[str, Any] | None,
    key: dict[str, str],
) -> Section:
    """The executive summary in words, with the key figures below it."""
    capex = sum(result.capex_usd.values())
    share = storage_share(result.annualised_cost_usd_per_yr)
    items = [
        (
            "What is designed",
            f"an on-site plant for {number(result.it_energy_mwh_per_yr / 1e3, 0)} GWh of IT "
            f"energy a year ({number(result.facility_energy_mwh_per_yr / 1e3, 0)} GWh with cooling "
            f"and losses): {design_words(result.capacities)}.",
        ),
        (
            "What it costs",
            f"{number(result.cost_usd_per_mwh_it, 1)} USD per MWh of IT energy, "
            f"{number(result.objective_usd_per_yr / 1e6, 0)} million USD per year, of which "
            f"{number(100 * share, 0)} % for storage (battery, hydrogen); "
            f"{number(capex / 1e9, 2)} billion USD of capital expenditure.",
        ),
    ]
    design = (
        f"{number(result.unserved_mwh_per_yr, 1)} MWh/yr of IT energy unserved on its own "
        f"{number(result.horizon_years, 2)} design year(s), solved with perfect foresight and no outages"
    )
    if out_of_sample is not None:
        seen, cause = unseen_years_words(out_of_sample)
        items.append(("Reliability", f"{design}; {seen}"))
        items.append(("Main cause of lost hours", cause))
        worst = out_of_sample["firm_hours_per_yr"]["worst"]
        risks = [f"the worst unseen year cut firm load for {number(worst)} h"]
    else:
        items.append(("Reliability", f"{design}; {_no_check_words(result)}."))
        risks = ["reliability on weather other than the design year is unknown"]
    if share >= 0.25:
        risks.append(
            f"storage is {number(100 * share, 0)} % of the cost, so the storage cost assumptions move the price most"
        )
    if result.curtailment_fraction > 0.2:
        risks.append(f"{number(100 * result.curtailment_fraction, 0)} % of the PV and wind energy is curtailed")
    items.append(("Key risks", "; ".join(risks) + "."))
    if finance is not None:
        rate = f"a discount rate of {number(100 * finance.discount_rate, 1)} % over {finance.project_years} years"
        items.append(
            (
                "Finance",
                f"no tariff stated: the break-even tariff is {number(finance.tariff_usd_per_mwh, 1)} USD/MWh at {rate}."
                if finance.tariff_basis != "stated"
                else f"at the tariff of {number(finance.tariff_usd_per_mwh, 1)} USD/MWh the net present "
                f"value is {number(finance.npv_usd / 1e6, 0)} million USD at {rate}.",
            )
        )
    if flexibility and flexibility.get("flexible_classes"):
        items.append(
            (
                "Workload flexibility",
                f"worth {number(flexibility['value_usd_per_mwh_it'], 1)} USD per MWh "
                "of IT energy against a design with every class firm.",
            )
        )
    lead = bullets(items) + "<h3>Key figures</h3>"
    return Section("Executive summary", lead=lead, rows=key)


def _assumptions(
    result: PlanResult, scenario: Scenario | None, finance: FinanceSummary | None, flexibility: Mapping[str, Any] | None
) -> Section:
    prov = result.provenance
    byod = "profiles" in prov.details
    if scenario is not None:
        rows = scenario_assumptions(scenario)
        text = (
            f"The inputs of scenario {scenario.name} (hash {prov.scenario_hash or '–'}); the cost rows "
            "with their sources are listed in the next section."
        )
    else:
        rows = []
        if prov.weather is not None:
            rows.append(("Design weather", weather_words(prov.weather), "the plan's provenance"))
        if byod:
            rows.append(("Profiles", str(prov.details["profiles"]), "file given to 'greendc plan --profiles'"))
        origin = "command line" if byod else "scenario"
        if finance is not None:
            rows.append(("Discount rate", f"{number(100 * finance.discount_rate, 1)} % per year", origin))
            rows.append(("Project life", f"{finance.project_years} years", origin))
        if flexibility and flexibility.get("flexible_classes"):
            rows.append(("Flexible workload classes", ", ".join(flexibility["flexible_classes"]), origin))
        rows.append(("Cost table", str(prov.details.get("costs", "–")), "each row's source is in the next section"))
        if byod:
            text = (
                "A bring-your-own-data plan: its inputs are the profiles file (PV and wind per MW, the load with "
                "its PUE) and the command-line options; there is no weather model, climate or scenario rule."
            )
        else:
            text = (
                "The scenario was not passed to this report"
                + (f" (scenario {prov.scenario}, hash {prov.scenario_hash or '–'})" if prov.scenario else "")
                + ": its rules, flexibility envelopes and climate are in the scenario file."
            )
    return Section("Assumptions", text=text, html=assumptions_html(rows))


def plan_sections(
    result: PlanResult,
    timezone: str = "UTC",
    out_of_sample: Mapping[str, Any] | None = None,
    costs: Mapping[str, CostRow] | None = None,
    finance: FinanceSummary | None = None,
    flexibility: Mapping[str, Any] | None = None,
    scenario: Scenario | None = None,
) -> list[Section]:
    """Sections of the plan report: the executive summary with the key figures (the design weather's unserved
    energy beside the out-of-sample figures), capacities and costs, finance, dispatch, storage, heat maps,
    and the assumptions appendix with the costs used.

    ``scenario`` gives the assumptions appendix; without it, a shipped scenario whose name and hash match the
    plan's provenance is used (:func:`shipped_scenario`), else the appendix lists what the result holds.
    """
    d = result.dispatch
    caveat = None if out_of_sample is not None else _no_check_words(result)
    key = {
        "Total cost": _fmt(result.objective_usd_per_yr / 1e6, "million USD/yr", 1),
        "Cost per MWh of IT energy": _fmt(result.cost_usd_per_mwh_it, "USD/MWh", 1),
        "Cost per MWh of facility energy": _fmt(result.cost_usd_per_mwh_facility, "USD/MWh", 1),
        "Share of the cost for storage": f"{storage_share(result.annualised_cost_usd_per_yr):.0%}",
        "Capital expenditure": _fmt(sum(result.capex_usd.values()) / 1e9, "billion USD", 2),
        "IT energy served": _fmt(result.it_energy_mwh_per_yr / 1e3, "GWh/yr", 0),
        "Facility energy": _fmt(result.facility_energy_mwh_per_yr / 1e3, "GWh/yr", 0),
        **out_of_sample_rows(out_of_sample, result.unserved_mwh_per_yr, caveat),
        **certificate_rows(result.provenance.details.get("certificate")),
        "Curtailment": f"{result.curtailment_mwh_per_yr / 1e3:,.0f} GWh/yr ({result.curtailment_fraction:.1%})",
        "Battery cycles": _fmt(result.battery_cycles_per_yr, "per yr", 0),
        "Land": "not computed (bring-your-own-data profiles carry no land per MW)"
        if "profiles" in result.provenance.details and result.land_km2 == 0.0
        else f"{_fmt(result.land_km2, 'km²', 1)} total, of which "
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
    if flexibility is not None:
        key.update(flexibility_rows(flexibility))
    capacities = {k: float(v) for k, v in result.capacities.items()}
    not_built = [CAPACITIES[k].words for k, v in capacities.items() if k in CAPACITIES and v <= 1e-6]
    costs_by_label = {component_label(k): v for k, v in result.annualised_cost_usd_per_yr.items() if v > 0}
    sections = [
        _summary(result, out_of_sample, finance, flexibility, key),
        Section(
            "What is built and what it costs",
            text=("Not built: " + ", ".join(not_built) + ".") if not_built else "",
            rows={
                CAPACITIES[k].text() if k in CAPACITIES else k: _fmt(v, PLAN_CAPACITY_UNITS.get(k, ""))
                for k, v in capacities.items()
            },
            figures=(
                figures.capacity_figure(capacities, PLAN_CAPACITY_UNITS),
                figures.cost_figure(costs_by_label),
            ),
        ),
        Section(
            "How it runs",
            text="Supply above zero, storage charging, electrolysis and curtailment below; the line is the "
            "facility load.",
            figures=(figures.dispatch_weeks_figure(d, timezone), figures.monthly_balance_figure(d)),
        ),
        _storage_section(d, timezone),
        _losses_section(d, timezone, out_of_sample, caveat),
    ]
    if finance is not None:
        sections.insert(2, finance_section(finance))  # after "What is built and what it costs"
    scenario = scenario if scenario is not None else shipped_scenario(result.provenance)
    sections.append(_assumptions(result, scenario, finance, flexibility))
    if costs is not None:
        sections.append(
            costs_section(
                costs,
                str(result.provenance.details.get("costs", "")),
                str(result.provenance.details.get("currency", "USD")),
            )
        )
    return sections


def _storage_section(d: Any, timezone: str) -> Section:
    words = {"battery_soc_mwh": "battery", "h2_level_mwh": "hydrogen store"}
    present = [col for col, _, _ in figures.STORES if col in d]
    empty = [words[col] for col in present if not figures.has_data(d[col])]
    if len(empty) == len(present):
        return Section("Storage", text="No storage is built: nothing to show.")
    text = f"No {' or '.join(empty)} is built: its panel is left out." if empty else ""
    return Section("Storage", text=text, figures=(figures.storage_figure(d, timezone),))


def _losses_section(d: Any, timezone: str, out_of_sample: Mapping[str, Any] | None, caveat: str | None) -> Section:
    figs, notes = [], []
    if figures.has_data(d["curtailed_mw"]):
        figs.append(figures.day_hour_heatmap(d["curtailed_mw"], "Curtailment by day and hour", timezone))
    else:
        notes.append("No PV or wind energy is curtailed.")
    if figures.has_data(d["unserved_mw"]):
        figs.append(
            figures.day_hour_heatmap(d["unserved_mw"], "Unserved IT energy by day and hour, design weather", timezone)
        )
    else:
        unseen = (
            f"on {out_of_sample['years']:,} unseen years, {number(out_of_sample['eens_mwh_per_yr'], 0)} MWh "
            "of IT energy a year is not served (see the key figures)"
            if out_of_sample is not None
            else str(caveat)
        )
        notes.append(
            "No IT energy is unserved on the design weather (perfect foresight, no outages), so its heat "
            f"map is left out; {unseen}."
        )
    return Section("When energy is thrown away or missing", text=" ".join(notes), figures=tuple(figs))


def write_plan_report(
    result: PlanResult,
    path: str | Path,
    title: str,
    timezone: str = "UTC",
    out_of_sample: Mapping[str, Any] | None = None,
    costs: Mapping[str, CostRow] | None = None,
    finance: FinanceSummary | None = None,
    flexibility: Mapping[str, Any] | None = None,
    scenario: Scenario | None = None,
) -> Path:
    """Write the self-contained HTML report of ``result`` (with its out-of-sample figures) to ``path``.

    Parameters
    ----------
    result : PlanResult
    path : str or Path
        Where the page goes (UTF-8).
    title : str
        Page title.
    timezone : str
        IANA zone of the figures' time axes.
    out_of_sample : mapping, optional
        :func:`greendc.availability.outputs.out_of_sample_summary` of the design; without it the report says
        that the design-weather figures are not verified.
    costs : mapping, optional
        The cost rows the plan used (``PlanInputs.costs``), listed with their sources.
    finance : FinanceSummary, optional
        The plan's finance at its tariff.
    flexibility : mapping, optional
        :func:`greendc.plan.flexibility.flexibility_value`.
    scenario : Scenario, optional
        The scenario planned, for the assumptions appendix (:func:`plan_sections`).

    Returns
    -------
    Path
        ``path``.
    """
    sections = plan_sections(result, timezone, out_of_sample, costs, finance, flexibility, scenario)
    return write_html(path, title, sections, footer=provenance_footer(result.provenance))
