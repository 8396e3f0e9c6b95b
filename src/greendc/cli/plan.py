"""`greendc plan`: the least-cost design of a data center powered only by its own site."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from greendc.assets.profiles import build_profiles
from greendc.cli._common import console, handle_errors
from greendc.errors import ScenarioError
from greendc.plan.aggregate import aggregate_time
from greendc.plan.from_csv import inputs_from_profiles_csv
from greendc.plan.from_scenario import inputs_from_scenario
from greendc.plan.inputs import PlanInputs
from greendc.plan.result import PlanResult
from greendc.plan.solve import SolveOptions, solve
from greendc.report.plan_report import write_plan_report
from greendc.scenario.io import load_scenario
from greendc.units import PLAN_CAPACITY_UNITS
from greendc.weather.readers import read_weather
from greendc.weather.source import scenario_weather


def _progress() -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console)


@handle_errors
def plan(
    scenario: str = typer.Option("dakhla", "--scenario", "-s", help="scenario YAML or shipped scenario name"),
    years: int | None = typer.Option(None, "--years", min=1, max=100, help="weather years in the horizon"),
    seed: int | None = typer.Option(None, "--seed", min=0, help="synthetic weather seed"),
    weather_file: Path | None = typer.Option(None, "--weather", help="weather file instead of the scenario's"),
    profiles_csv: Path | None = typer.Option(
        None, "--profiles", help="bring your own data: CSV with timestamp, pv_cf, wind_cf, it_load_mw"
    ),
    costs_csv: str = typer.Option("default", "--costs", help="cost table CSV (bring-your-own-data mode)"),
    discount_rate: float | None = typer.Option(
        None, "--discount-rate", min=0.0, max=0.3, help="discount rate [1/yr] (bring-your-own-data mode)"
    ),
    out: Path = typer.Option(Path("plan"), "--out", "-o", help="folder for summary.json, dispatch.parquet, report"),
    time_limit_s: float = typer.Option(3600.0, "--time-limit", min=1.0, help="solver time limit [s]"),
    steps_per_block: int = typer.Option(
        1, "--aggregate", min=1, max=24, help="average blocks of N steps (faster on long horizons; storage kept right)"
    ),
    pypsa: bool = typer.Option(False, "--pypsa", help="also export the design as a PyPSA network (needs pypsa)"),
) -> None:
    """Size PV, wind, battery and hydrogen at least annualised cost, then write a summary, the hourly
    dispatch and an HTML report."""
    out.mkdir(parents=True, exist_ok=True)
    options = SolveOptions(time_limit_s=time_limit_s)
    with _progress() as progress:
        if profiles_csv is not None:
            if weather_file is not None or seed is not None:
                raise ScenarioError("--weather and --seed do not apply with --profiles (bring your own data)")
            task = progress.add_task(f"reading {profiles_csv.name} and {costs_csv}")
            inputs = inputs_from_profiles_csv(
                profiles_csv, costs_csv, 0.07 if discount_rate is None else discount_rate, years
            )
            title, timezone = f"Plan from {profiles_csv.name}", "UTC"
        else:
            if discount_rate is not None or costs_csv != "default":
                raise ScenarioError(
                    "--costs and --discount-rate belong to --profiles mode; in a scenario set costs.table "
                    "and finance.discount_rate"
                )
            sc = load_scenario(scenario)
            updates = {k: v for k, v in (("years", years), ("seed", seed)) if v is not None}
            if updates:
                sc = sc.model_copy(update={"weather": sc.weather.model_copy(update=updates)})
            task = progress.add_task("weather")
            if weather_file is not None:
                data, _ = read_weather(weather_file, latitude=sc.site.latitude, longitude=sc.site.longitude)
            else:
                data, _ = scenario_weather(sc)
            progress.update(task, description=f"profiles on {len(data)} steps")
            profiles = build_profiles(sc, data)
            inputs = inputs_from_scenario(sc, profiles)
            title, timezone = f"Plan of scenario '{sc.name}' ({sc.site.name})", sc.site.timezone
        inputs = aggregate_time(inputs, steps_per_block)
        progress.update(task, description=f"building and solving the LP ({inputs.n_steps} steps, HiGHS)")
        result = solve(inputs, options)
        progress.update(task, description="writing summary, dispatch and report")
        paths = write_plan_outputs(result, inputs, out, title, timezone, pypsa)
        progress.update(task, description="done")
    print_plan_summary(result)
    console.print("wrote " + ", ".join(str(p) for p in paths))


def write_plan_outputs(
    result: PlanResult, inputs: PlanInputs, out: Path, title: str, timezone: str, pypsa: bool = False
) -> list[Path]:
    """Write ``summary.json``, ``dispatch.parquet``, ``report.html`` (and ``network.nc``) into ``out``."""
    summary = out / "summary.json"
    summary.write_text(json.dumps(result.summary(), indent=2, default=str), encoding="utf-8")
    dispatch = out / "dispatch.parquet"
    frame = result.dispatch.assign(price_usd_per_mwh=result.energy_price_usd_per_mwh)
    frame.to_parquet(dispatch)
    report = write_plan_report(result, out / "report.html", title, timezone)
    paths = [summary, dispatch, report]
    if pypsa:
        from greendc.plan.pypsa_export import export_pypsa

        paths.append(export_pypsa(inputs, result, out / "network.nc"))
    return paths


def print_plan_summary(result: PlanResult) -> None:
    """Print capacities and key costs as a rich table."""
    table = Table(title="Least-cost design", title_justify="left")
    table.add_column("quantity")
    table.add_column("value", justify="right")
    for key, value in result.capacities.items():
        table.add_row(key, f"{value:,.1f} {PLAN_CAPACITY_UNITS.get(key, '')}")
    table.add_row("total cost", f"{result.objective_usd_per_yr / 1e6:,.1f} million USD/yr")
    table.add_row("per MWh of IT energy", f"{result.cost_usd_per_mwh_it:,.1f} USD/MWh")
    table.add_row("capex", f"{sum(result.capex_usd.values()) / 1e9:,.2f} billion USD")
    table.add_row("curtailment", f"{result.curtailment_fraction:.1%}")
    table.add_row("unserved IT energy", f"{result.unserved_mwh_per_yr:,.1f} MWh/yr")
    table.add_row("land", f"{result.land_km2:,.1f} km²")
    table.add_row("solve", f"{result.provenance.get('solve_s', float('nan')):.1f} s ({result.status.value})")
    console.print(table)


