"""`greendc weather`: make synthetic weather for a site, convert a weather file to greendc CSV, or fit a site
climatology to a multi-year weather file (``--calibrate-from``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from greendc.cli._common import console, handle_errors
from greendc.errors import ScenarioError

if TYPE_CHECKING:
    import pandas as pd

    from greendc.scenario.models import Scenario

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
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    table.add_column(str(frame.index.name or ""), justify="left")
    for col in frame.columns:
        table.add_column(str(col), justify="right")
    for idx, row in frame.iterrows():
        cells = [f"{v:.{digits}f}" if isinstance(v, float) else str(v) for v in row.to_numpy()]
        table.add_row(str(idx), *cells)
    console.print(table)


#: Years generated from a calibrated climatology to check it against the file.
CHECK_YEARS = 10


def calibrate(sc: Scenario, path: Path, out: Path, seed: int) -> None:
    """Fit a climatology to ``path`` for the scenario's site, write it to ``out`` and check it."""
    from greendc.weather.calibrate import calibrate_climatology
    from greendc.weather.climatology import load_climatology, write_climatology
    from greendc.weather.diagnostics import compare_weather
    from greendc.weather.readers import read_weather_at
    from greendc.weather.synthetic import generate_weather

    site = sc.site
    with console.status(f"reading {path.name}"):
        data, meta = read_weather_at(path, site.latitude, site.longitude, site.elevation_m)
    console.print(f"read {path} ({meta.get('format', '?')}): {len(data)} rows, {data.index[0]} to {data.index[-1]}")
    base = load_climatology(site.climatology)
    with console.status("fitting the climatology"):
        clim = calibrate_climatology(
            data, site.latitude, site.longitude, site.elevation_m, out.stem, base, source=path.name
        )
    write_climatology(clim, out)
    fitted = sum(src.source.startswith("Fitted") for src in clim.sources.values())
    console.print(
        f"wrote {out} and {out.stem}_sources.csv: {fitted} of {len(clim.sources)} numbers fitted, the "
        f"others kept from '{base.name}' (each row says which); use it with site.climatology: {out}"
    )
    with console.status(f"checking: {CHECK_YEARS} years generated from the fit beside the file"):
        generated = generate_weather(
            site.latitude, site.longitude, site.elevation_m, clim, CHECK_YEARS, int(data.index[0].year), seed
        )
        check = compare_weather(data, generated, site.longitude)
    check_path = out.with_name(out.stem + "_check.csv")
    check.to_csv(check_path, index=False)
    print_table(
        check.set_index("statistic")[["reference", "candidate", "difference", "tolerance"]],
        f"Calibration check ({CHECK_YEARS} generated years, seed {seed}, beside {path.name}); {check_path}",
        digits=3,
    )
    bad = check.loc[~check["ok"], "statistic"].tolist()
    console.print("every statistic within its tolerance" if not bad else f"[yellow]outside tolerance: {bad}")


@handle_errors
def weather(
    out: Path = typer.Option(
        ..., "--out", "-o", help="CSV file to write (greendc weather CSV; with --calibrate-from, the climatology)"
    ),
    site: str = typer.Option("dakhla", "--site", help="shipped scenario whose site and climatology to use"),
    scenario: Path | None = typer.Option(None, "--scenario", help="scenario YAML (overrides --site)"),
    years: int | None = typer.Option(None, "--years", min=1, max=100, help="years to generate"),
    seed: int | None = typer.Option(None, "--seed", min=0, help="random seed (same seed, same weather)"),
    start_year: int | None = typer.Option(None, "--start-year", help="first calendar year"),
    no_stress: bool = typer.Option(False, "--no-stress", help="no heat waves, dust episodes or long lulls"),
    from_file: Path | None = typer.Option(
        None, "--from", help="convert this weather file (any format greendc reads) instead of generating"
    ),
    calibrate_from: Path | None = typer.Option(
        None,
        "--calibrate-from",
        help="fit the site's climatology to this multi-year weather file (ERA5, MERRA-2, EPW, PVGIS, CSV) and "
        "write it to --out",
    ),
) -> None:
    """Generate seeded synthetic weather for a site, convert a weather file, or calibrate a site climatology."""
    from greendc.scenario.io import load_scenario
    from greendc.weather.climatology import load_climatology
    from greendc.weather.monthly import monthly_summary
    from greendc.weather.readers import read_weather_at, write_csv
    from greendc.weather.synthetic import synthetic_weather

    sc = load_scenario(scenario if scenario is not None else site)
    if calibrate_from is not None:
        if from_file is not None or years is not None or start_year is not None or no_stress:
            raise ScenarioError("--calibrate-from takes only --out, --site/--scenario and --seed (of the check)")
        calibrate(sc, calibrate_from, out, sc.weather.seed if seed is None else seed)
        return
    if from_file is not None:
        if any(v is not None for v in (years, seed, start_year)):
            raise ScenarioError("--years, --seed and --start-year only apply to synthetic weather, not with --from")
        with console.status(f"reading {from_file.name}"):
            data, meta = read_weather_at(from_file, sc.site.latitude, sc.site.longitude, sc.site.elevation_m)
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
