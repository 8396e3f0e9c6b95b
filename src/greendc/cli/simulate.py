"""`greendc simulate`: run a planned design on weather it was not designed on."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from greendc.cli._common import console, handle_errors
from greendc.cli.weather import print_table
from greendc.constants import HOURS_PER_YEAR
from greendc.errors import ScenarioError

if TYPE_CHECKING:
    from greendc.operate.forecasts import Forecast
    from greendc.operate.policies import Policy


@handle_errors
def simulate_command(
    design_dir: Path = typer.Option(..., "--design", help="folder written by 'greendc plan' (summary.json)"),
    scenario: str = typer.Option("dakhla", "--scenario", "-s", help="scenario YAML or shipped scenario name"),
    years: int = typer.Option(1, "--years", min=1, max=100, help="weather years per run"),
    seed: int = typer.Option(1, "--seed", min=0, help="weather seed (the plan's seed gives in-sample weather)"),
    step: str = typer.Option("1h", "--step", help="time step: 5min, 15min, 30min or 1h"),
    runs: int = typer.Option(1, "--runs", min=1, max=10_000, help="Monte Carlo: weather seeds seed … seed+runs−1"),
    fault_seed: int = typer.Option(0, "--fault-seed", min=0, help="seed of the forced outages"),
    weather_file: Path | None = typer.Option(None, "--weather", help="weather file instead of synthetic years"),
    allow_partial_year: bool = typer.Option(
        False, "--allow-partial-year", help="accept a weather file that does not cover whole years"
    ),
    climate: str | None = typer.Option(
        None, "--climate", help="climate-stress case, e.g. ssp245-2050 (greendc/data/climate/cmip6_deltas.csv)"
    ),
    policy_name: str = typer.Option("rule", "--policy", help="dispatch: 'rule' (priority rules) or 'rolling' (LP)"),
    horizon_h: float = typer.Option(48.0, "--horizon", min=1.0, max=HOURS_PER_YEAR, help="rolling: LP look-ahead [h]"),
    replan_h: float = typer.Option(1.0, "--replan", min=0.0833, max=HOURS_PER_YEAR, help="rolling: re-solve every [h]"),
    forecast_name: str = typer.Option(
        "persistence", "--forecast", help="what the dispatch knows ahead: perfect, persistence (24 h) or noisy"
    ),
    out: Path = typer.Option(Path("simulation"), "--out", "-o", help="output folder"),
) -> None:
    """Time-step a fixed design with faults and the workload scheduler; write results and a report."""
    import pandas as pd

    from greendc.assets.profiles import build_profiles
    from greendc.operate import design_from_summary, monte_carlo, simulate
    from greendc.provenance import WeatherProvenance
    from greendc.report.simulation_report import write_simulation_report
    from greendc.scenario.io import load_scenario
    from greendc.weather.source import (
        scenario_weather,
        with_climate,
        with_synthetic_years,
        with_weather_file,
    )

    if step not in ("5min", "15min", "30min", "1h"):
        raise ScenarioError(f"--step: '{step}' is not one of 5min, 15min, 30min, 1h")
    policy = dispatch_policy(policy_name, horizon_h, replan_h)
    forecast = dispatch_forecast(forecast_name)
    summary_path = design_dir / "summary.json"
    if not summary_path.is_file():
        raise ScenarioError(f"--design: {summary_path} not found; run 'greendc plan --out {design_dir}' first")
    sc = with_climate(load_scenario(scenario), climate)
    design = design_from_summary(summary_path, sc)
    out.mkdir(parents=True, exist_ok=True)
    if runs > 1:
        if weather_file is not None:
            raise ScenarioError("--runs > 1 draws synthetic weather years; it cannot be combined with --weather")
        mc = monte_carlo(
            design,
            sc,
            weather_seeds=range(seed, seed + runs),
            fault_seeds=[fault_seed],
            years=years,
            step=step,
            policy=policy,
            forecast=forecast,
        )
        paths = [mc.to_parquet(out / "runs.parquet"), mc.to_json(out / "summary.json")]
        paths.append(write_simulation_report(mc, out / "report.html", f"Monte Carlo of {design_dir.name}"))
        console.print(f"{len(mc.runs)} year-runs")
    else:
        with console.status("weather and profiles"):
            if weather_file is not None or sc.weather.source == "file":
                sc = with_weather_file(sc, weather_file, allow_partial_year)
            else:
                sc = with_synthetic_years(sc, years, seed)
            data, meta = scenario_weather(sc)
            profiles = build_profiles(sc, data)
        for note in meta["notes"]:
            console.print(f"weather: {note}")
        with console.status(f"simulating {len(profiles)} hours at {step}"):
            result = simulate(
                design,
                sc,
                profiles,
                step=step,
                fault_seed=fault_seed,
                weather=WeatherProvenance.from_metadata(meta),
                policy=policy,
                forecast=forecast,
            )
        plan_dispatch = design_dir / "dispatch.parquet"
        comparison = result.compare_with_plan(pd.read_parquet(plan_dispatch)) if plan_dispatch.is_file() else None
        paths = [result.to_parquet(out / "dispatch.parquet"), result.to_json(out / "summary.json")]
        paths.append(
            write_simulation_report(
                result, out / "report.html", f"Simulation of {design_dir.name}", sc.site.timezone, comparison
            )
        )
        if comparison:
            frame = pd.DataFrame(comparison).T
            frame.index.name = "per year"
            print_table(frame, "Plan (perfect foresight, design weather) vs simulation (other weather)", digits=1)
    console.print("wrote " + ", ".join(str(p) for p in paths))


def dispatch_policy(name: str, horizon_h: float, replan_h: float) -> Policy:
    """The policy named on the command line (``--policy``, ``--horizon``, ``--replan``)."""
    from greendc.operate import RollingHorizonPolicy, RuleBasedPolicy

    if name == "rule":
        return RuleBasedPolicy()
    if name == "rolling":
        return RollingHorizonPolicy(horizon_h=horizon_h, replan_every_h=replan_h)
    raise ScenarioError(f"--policy: '{name}' is not one of rule, rolling")


def dispatch_forecast(name: str) -> Forecast:
    """The forecast named on the command line (``--forecast``)."""
    from greendc.operate import NoisyForecast, PerfectForecast, PersistenceForecast

    forecasts = {"perfect": PerfectForecast, "persistence": PersistenceForecast, "noisy": NoisyForecast}
    if name not in forecasts:
        raise ScenarioError(f"--forecast: '{name}' is not one of {', '.join(forecasts)}")
    return forecasts[name]()
