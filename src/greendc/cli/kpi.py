"""`greendc kpi`: the standard KPIs of a metered, planned or simulated time series."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from greendc.cli._common import console, handle_errors


@handle_errors
def kpi(
    telemetry: Path = typer.Option(
        ...,
        "--telemetry",
        "-t",
        help="metered time series: CSV (timestamp, it_mw, ...) or Parquet (e.g. simulate's dispatch.parquet)",
    ),
    out: Path = typer.Option(Path("kpi.json"), "--out", "-o", help="JSON file to write"),
    category: int = typer.Option(
        1, "--category", min=1, max=3, help="PUE measurement category (where E_IT is metered)"
    ),
    designed: bool = typer.Option(False, "--designed", help="the series is a plan or a simulation (designed PUE)"),
    partial: bool = typer.Option(False, "--partial", help="the meters cover part of the site (partial PUE)"),
    grid_factor: float | None = typer.Option(
        None, "--grid-emission-factor", min=0.0, help="grid import emission factor [kg CO2e/kWh]"
    ),
    scenario: str | None = typer.Option(
        None,
        "--scenario",
        "-s",
        help="scenario whose rules.grid.carbon_intensity_kg_per_mwh gives the grid factor and whose reporting "
        "section gives the EU scheme's Annex I facts",
    ),
    grid_renewable_share: float = typer.Option(
        0.0, "--grid-renewable-share", min=0.0, max=1.0, help="documented renewable share of grid import (REF)"
    ),
    grid_cfe_share: float = typer.Option(
        0.0, "--grid-cfe-share", min=0.0, max=1.0, help="carbon-free share of grid import (24/7 CFE)"
    ),
    year: int | None = typer.Option(None, "--year", help="calendar year of the EU reporting fields (default: all)"),
) -> None:
    """Compute PUE, REF, WUE, CUE, ERF, the 24/7 CFE score, the served fraction, availability by class and the
    EU report fields."""
    from rich.table import Table

    from greendc.kpi.eu_scheme import eu_reporting_fields
    from greendc.kpi.reporting import KPI_ROWS, KpiOptions, kpi_provenance, kpi_report
    from greendc.kpi.telemetry import read_telemetry
    from greendc.scenario.io import load_scenario

    sc = None if scenario is None else load_scenario(scenario)
    if sc is not None and grid_factor is None:
        intensity = sc.rules.grid.carbon_intensity_kg_per_mwh
        grid_factor = None if intensity is None else intensity / 1000.0
    options = KpiOptions(
        pue_category=category,
        designed=designed,
        partial=partial,
        grid_emission_factor_kg_per_kwh=grid_factor,
        grid_renewable_share=grid_renewable_share,
        grid_cfe_share=grid_cfe_share,
    )
    with console.status(f"reading {telemetry.name}"):
        frame = read_telemetry(telemetry)
    report = kpi_report(frame, options, source=telemetry.name)
    data = report.as_dict() | {
        "eu_reporting": eu_reporting_fields(frame, options, year=year, scenario=sc),
        "provenance": kpi_provenance(frame, telemetry.name).to_dict(),
    }
    out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    table = Table(
        title=f"KPIs of {telemetry.name}: {report.period_start} to {report.period_end} "
        f"({report.hours:g} h, PUE {report.pue_kind}, category {category})",
        title_justify="left",
    )
    for name, justify in (("KPI", "left"), ("value", "right"), ("unit", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for key, label, unit, fmt in KPI_ROWS:
        value = data[key]
        table.add_row(label, "n/a" if value is None else format(value, fmt), unit)
    for name, avail in report.availability.items():
        frac = avail["served_fraction"]
        table.add_row(
            f"served share, class {name}",
            "n/a" if frac is None else f"{frac:.5f}",
            f"- ({avail['shortfall_hours']:g} h short)",
        )
    console.print(table)
    for note in report.notes:
        console.print(f"note: {note}", highlight=False)
    console.print(f"wrote {out}")
