"""`greendc weather`: make synthetic weather for a site, or convert a weather file, to greendc CSV."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import typer
from rich.table import Table

from greendc.cli._common import console, handle_errors
from greendc.errors import ScenarioError
from greendc.scenario.io import load_scenario
from greendc.weather.climatology import load_climatology, monthly_summary
from greendc.weather.readers import read_weather, write_csv
from greendc.weather.synthetic import synthetic_weather

#: Short column labels for the monthly table (units in the labels).
SUMMARY_LABELS = {
    "ghi_kwh_per_m2_day": "GHI kWh/m2/d",
    "ghi_target_kwh_per_m2_day": "target",
    "temp_air_mean": "T air C",
    "temp_air_target": "target",
    "wind_speed_mean": "wind 10m m/s",
    "wind_speed_target": "target",
}


def print_table(frame: pd.DataFrame, title: str, digits: int = 2) -> None:
    """Print a small DataFrame as a rich table (index as first column)."""
    table = Table(title=title, title_justify="left")
    table.add_column(str(frame.index.name or ""), justify="left")
    for col in frame.columns:
        table.add_column(str(col), justify="right")
    for idx, row in frame.iterrows():
        cells = [f"{v:.{digits}f}" if isinstance(v, float) else str(v) for v in row.to_numpy()]
        table.add_row(str(idx), *cells)
    console.print(table)


@handle_errors
def weather(
    out: Path = typer.Option(..., "--out", "-o", help="CSV file to write (greendc weather CSV)"),
    site: str = typer.Option("dakhla", "--site", help="shipped scenario whose site and climatology to use"),
    scenario: Path | None = typer.Option(None, "--scenario", help="scenario YAML (overrides --site)"),
    years: int | None = typer.Option(None, "--years", min=1, max=100, help="years to generate"),
    seed: int | None = typer.Option(None, "--seed", min=0, help="random seed (same seed, same weather)"),
    start_year: int | None = typer.Option(None, "--start-year", help="first calendar year"),
    no_stress: bool = typer.Option(False, "--no-stress", help="no heat waves, dust episodes or long lulls"),
    from_file: Path | None = typer.Option(
        None, "--from", help="convert this EPW, PVGIS TMY (CSV/JSON) or greendc CSV instead of generating"
    ),
) -> None:
    """Generate seeded synthetic weather for a site, or convert a weather file, and print a monthly summary."""
    sc = load_scenario(scenario if scenario is not None else site)
    if from_file is not None:
        if any(v is not None for v in (years, seed, start_year)):
            raise ScenarioError("--years, --seed and --start-year only apply to synthetic weather, not with --from")
        with console.status(f"reading {from_file.name}"):
            data, meta = read_weather(from_file)
        console.print(f"read {from_file} ({meta.get('format', '?')}): {len(data)} rows")
        clim = None
    else:
        updates = {k: v for k, v in (("years", years), ("seed", seed), ("start_year", start_year)) if v is not None}
        if no_stress:
            stress = sc.weather.stress_events.model_copy(
                update={"heat_waves_per_year": 0.0, "dust_episodes_per_year": 0.0, "long_lulls_per_year": 0.0}
            )
            updates["stress_events"] = stress
        w = sc.weather.model_copy(update=updates)
        if w.source != "synthetic":
            w = w.model_copy(update={"source": "synthetic", "path": None})
        with console.status(f"generating {w.years} year(s) of weather for {sc.site.name} (seed {w.seed})"):
            data = synthetic_weather(sc.site, w)
        clim = load_climatology(sc.site.climatology)
    write_csv(data, out)
    console.print(f"wrote {out}: {len(data)} rows from {data.index[0]} to {data.index[-1]}")
    summary = monthly_summary(data, clim).rename(columns=SUMMARY_LABELS)
    print_table(summary, "Monthly means" + (f" beside the {sc.site.name} climatology targets" if clim else ""))
