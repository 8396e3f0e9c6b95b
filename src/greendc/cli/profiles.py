"""`greendc profiles`: per-unit production and consumption profiles of a scenario."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from greendc.cli._common import console, handle_errors
from greendc.cli.weather import print_table

if TYPE_CHECKING:
    import pandas as pd


@handle_errors
def profiles(
    scenario: str = typer.Option("dakhla", "--scenario", "-s", help="scenario YAML or shipped scenario name"),
    weather_file: Path | None = typer.Option(None, "--weather", help="weather file instead of the scenario's"),
    allow_partial_year: bool = typer.Option(
        False, "--allow-partial-year", help="accept a weather file that does not cover whole years"
    ),
    climate: str | None = typer.Option(
        None, "--climate", help="climate-stress case, e.g. ssp245-2050 (greendc/data/climate/cmip6_deltas.csv)"
    ),
    years: int | None = typer.Option(None, "--years", min=1, max=100, help="synthetic weather years"),
    seed: int | None = typer.Option(None, "--seed", min=0, help="synthetic weather seed"),
    out: Path = typer.Option(Path("profiles.csv"), "--out", "-o", help="CSV file to write"),
) -> None:
    """Compute pv_cf, wind_cf, PUE, water use and the IT load of each workload class, hour by hour."""
    import pandas as pd

    from greendc.assets.profiles import build_profiles, profiles_summary
    from greendc.scenario.io import load_scenario
    from greendc.weather.source import scenario_weather, with_climate, with_synthetic_years, with_weather_file

    sc = with_weather_file(load_scenario(scenario), weather_file, allow_partial_year)
    sc = with_climate(with_synthetic_years(sc, years, seed), climate)
    with console.status("weather"):
        data, meta = scenario_weather(sc)
    console.print(f"weather: {meta['source']} ({len(data)} steps, {data.index[0]} to {data.index[-1]})")
    for note in meta["notes"]:
        console.print(f"weather: {note}")
    with console.status("PV, wind, cooling and workload profiles"):
        prof = build_profiles(sc, data)
    write_profiles_csv(prof, out)
    console.print(f"wrote {out}: {len(prof)} rows, columns {list(prof.columns)}")
    summary = pd.DataFrame({"value": profiles_summary(prof)})
    summary.index.name = "quantity"
    print_table(summary, f"Profiles of scenario '{sc.name}'", digits=3)


def write_profiles_csv(profiles: pd.DataFrame, path: Path) -> None:
    """Write a profiles table with an ISO 8601 ``timestamp`` column (UTC offset included)."""
    frame = profiles.copy()
    frame.index = frame.index.strftime("%Y-%m-%dT%H:%M:%S%z").str.replace(r"(\d{2})(\d{2})$", r"\1:\2", regex=True)
    frame.index.name = "timestamp"
    frame.to_csv(path, float_format="%.6g")
