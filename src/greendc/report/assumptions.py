"""The assumptions appendix every report ends with: each input of the run, its value and where it comes from.

A value set in the scenario file is sourced "scenario file"; one left at greendc's default is sourced "greendc
default", with the reference where the default has one (the flexibility envelopes, the cost table, the
climate-stress deltas, the Uptime tiers). The cost table's rows, each with its own source, are listed apart
(:func:`greendc.report.costs_report.costs_section`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from greendc.report.html import table_html
from greendc.report.labels import number

if TYPE_CHECKING:
    from pydantic import BaseModel

    from greendc.scenario.models import Scenario

__all__ = ["ENVELOPE_SOURCES", "assumptions_html", "scenario_assumptions"]

#: Where each named flexibility envelope (:data:`greendc.scenario.models.FLEXIBILITY_ENVELOPES`) comes from.
ENVELOPE_SOURCES: dict[str, str] = {
    "trials-2025": "field trials of AI clusters: Emerald AI/Oracle/NVIDIA, Phoenix, May 2025, −25 % for 3 h "
    "(arXiv 2507.00909); Nebius/National Grid, London, Dec 2025, −30 to −35 % for up to 10 h",
    "band-40": "energy-system studies: a ±40 % band with daily conservation (Riepin, Brown & Zavala 2025, "
    "doi:10.1016/j.adapen.2024.100202)",
    "deep-70": "greendc's deepest envelope, beyond any published trial, to show what deep flexibility is worth",
}
#: A row of the appendix: input, value, source.
Row = tuple[str, str, str]


def _source(model: BaseModel, field: str, default_note: str = "") -> str:
    if field in model.model_fields_set:
        return "scenario file"
    return "greendc default" + (f" ({default_note})" if default_note else "")


def _pct(value: float) -> str:
    return f"{number(100.0 * float(value))} %"


def _weather_rows(sc: Scenario) -> list[Row]:
    w = sc.weather
    rows: list[Row] = [
        (
            "Site",
            f"{sc.site.name}, {sc.site.latitude:.2f}° N, {sc.site.longitude:.2f}° E, time zone {sc.site.timezone}",
            _source(sc.site, "name"),
        )
    ]
    if w.source == "synthetic":
        rows.append(
            (
                "Design weather",
                f"synthetic: {w.years} year(s) from {w.start_year}, seed {w.seed}",
                _source(w, "seed", "seeded generator calibrated on the climatology"),
            )
        )
        rows.append(
            (
                "Climatology",
                sc.site.climatology,
                f"greendc/data/climatology/{sc.site.climatology}.csv"
                if "/" not in sc.site.climatology and not sc.site.climatology.endswith(".csv")
                else "file given in the scenario",
            )
        )
        ev = w.stress_events
        rows.append(
            (
                "Stress events per year",
                f"heat waves {number(ev.heat_waves_per_year)} ({number(ev.heat_wave_days)} d, peak "
                f"{number(ev.heat_wave_peak_temp_air)} °C), dust episodes {number(ev.dust_episodes_per_year)} "
                f"({number(ev.dust_episode_days)} d, {_pct(ev.dust_ghi_reduction)} of GHI removed), long lulls "
                f"{number(ev.long_lulls_per_year)} ({number(ev.long_lull_days)} d)",
                _source(w, "stress_events"),
            )
        )
    else:
        rows.append(("Design weather", f"file {w.path}", "scenario file"))
    rows.append(
        (
            "Climate",
            w.climate or "baseline (no climate-stress case)",
            "CMIP6 deltas, greendc/data/climate/cmip6_deltas.csv" if w.climate else _source(w, "climate"),
        )
    )
    return rows


def _load_rows(sc: Scenario) -> list[Row]:
    dc = sc.datacenter
    rows: list[Row] = [
        (
            "IT capacity",
            f"{number(dc.it_capacity_mw)} MW"
            + (f", built out in {len(dc.phases)} phases" if dc.phases else ", from day one"),
            _source(dc, "it_capacity_mw"),
        )
    ]
    for w in dc.workload_classes:
        text = f"{_pct(w.share)} of the IT capacity at {_pct(w.utilisation)} utilisation, "
        if w.flexible:
            text += (
                f"flexible between {_pct(w.min_power_fraction)} and {_pct(w.max_power_fraction)} of its "
                f"installed power, work done within {w.deadline_hours} h"
            )
            source = (
                f"envelope {w.envelope}: {ENVELOPE_SOURCES.get(w.envelope, 'named envelope')}"
                if w.envelope
                else _source(w, "min_power_fraction")
            )
        else:
            text += "firm (always served)"
            source = _source(dc, "workload_classes")
        rows.append((f"Workload class {w.name}", text, source))
    rows.append(("Cooling", dc.cooling.technology.replace("_", " "), _source(dc.cooling, "technology")))
    rows.append(("Restart after a loss of load", f"{number(dc.restart_hours)} h", _source(dc, "restart_hours")))
    return rows


def _technology_rows(sc: Scenario) -> list[Row]:
    t = sc.technologies
    rows: list[Row] = [
        (
            "PV",
            f"{t.pv.mount.replace('_', ' ')} mount, DC/AC ratio {number(t.pv.dc_ac_ratio)}, "
            f"{_pct(t.pv.degradation_per_year)} degradation per year",
            _source(t, "pv"),
        ),
        (
            "Wind turbine",
            f"{t.wind.turbine}, hub {number(t.wind.hub_height_m)} m, wake loss {_pct(t.wind.wake_loss_fraction)}",
            _source(t, "wind"),
        ),
        (
            "Battery",
            f"round trip {_pct(t.battery.round_trip_efficiency)}, {number(t.battery.min_duration_h)} to "
            f"{number(t.battery.max_duration_h)} h of storage",
            _source(t, "battery"),
        ),
        (
            "Hydrogen",
            (
                f"electrolyser {_pct(t.hydrogen.electrolyser_efficiency)}, fuel cell "
                f"{_pct(t.hydrogen.fuel_cell_efficiency)} (LHV)"
            )
            if t.hydrogen.enabled
            else "not allowed",
            _source(t, "hydrogen"),
        ),
        ("CSP", "allowed" if t.csp.enabled else "not allowed", _source(t, "csp")),
    ]
    return rows


def _money_rows(sc: Scenario) -> list[Row]:
    c, f = sc.costs, sc.finance
    table = f"shipped table, set {c.set}" if c.table == "default" else f"table {c.table}"
    rows: list[Row] = [
        (
            "Cost table",
            f"{table}, in USD of {c.money_year}",
            "greendc/data/costs/costs.csv (each row's source is in the table of costs used)"
            if c.table == "default"
            else "scenario file",
        ),
    ]
    if c.capex_factors:
        rows.append(
            (
                "Capital cost factors",
                ", ".join(f"{k} × {number(v)}" for k, v in c.capex_factors.items()),
                "scenario file",
            )
        )
    rows += [
        ("Discount rate", _pct(f.discount_rate) + " per year", _source(f, "discount_rate", "assumption")),
        ("Project life", f"{f.project_years} years", _source(f, "project_years", "a common PPA and financing term")),
        (
            "Tariff",
            f"{number(f.tariff_usd_per_mwh)} USD/MWh"
            if f.tariff_usd_per_mwh is not None
            else "none stated: finance at the break-even tariff",
            _source(f, "tariff_usd_per_mwh"),
        ),
    ]
    return rows


def _rule_rows(sc: Scenario) -> list[Row]:
    r = sc.rules
    if r.on_site_only:
        grid = "none: every hour from on-site supply"
    else:
        g = r.grid
        grid = (
            f"allowed at {number(g.price_usd_per_mwh or 0.0)} USD/MWh"
            + (f", at most {number(g.max_import_mw)} MW" if g.max_import_mw else "")
            + (f", 24/7 carbon-free target {_pct(g.cfe_target)}" if g.cfe_target is not None else "")
        )
    rows: list[Row] = [
        ("Grid", grid, _source(r, "on_site_only")),
        (
            "Firm energy served",
            _pct(r.reliability_target) + " of the firm IT energy requested, on the design weather",
            _source(r, "reliability_target"),
        ),
        (
            "Power reserve",
            _pct(r.reserve_fraction) + " of the load as battery and fuel-cell headroom",
            _source(r, "reserve_fraction"),
        ),
        (
            "Energy reserve for the firm load",
            f"{number(r.reserve_hours)} h" if r.reserve_hours else "none",
            _source(r, "reserve_hours"),
        ),
        ("Land limit", f"{number(r.land_limit_km2)} km²" if r.land_limit_km2 else "none", _source(r, "land_limit_km2")),
        ("PV between the turbines", "yes" if r.pv_between_turbines else "no", _source(r, "pv_between_turbines")),
    ]
    a = r.availability
    if a is None:
        rows.append(
            (
                "Availability target",
                "none: the out-of-sample figures are reported, not required",
                _source(r, "availability"),
            )
        )
    else:
        rows.append(
            (
                "Availability target",
                f"{a.name}: at most {number(a.firm_hours_per_year)} firm hours cut per year in "
                f"{_pct(a.share_of_years)} of {a.verification_years} unseen years",
                "Uptime Institute tier hours (a benchmark); the share of years is greendc's choice"
                if a.name.startswith("tier")
                else "scenario file",
            )
        )
    return rows


def scenario_assumptions(scenario: Scenario) -> list[Row]:
    """The inputs of a scenario a committee must see, as (input, value, source) rows."""
    return (
        _weather_rows(scenario)
        + _load_rows(scenario)
        + _technology_rows(scenario)
        + _money_rows(scenario)
        + _rule_rows(scenario)
    )


def assumptions_html(rows: list[Row] | Mapping[str, Any], caption: str = "") -> str:
    """The appendix table: input, value, source (a mapping is input → value, sourced in the value)."""
    items = [[k, str(v), ""] for k, v in rows.items()] if isinstance(rows, Mapping) else [list(r) for r in rows]
    return table_html(["input", "value", "source"], items, caption, numeric_from=99)
