"""`greendc resource`: P50 and P90 resource years of a site, and the least-cost plan at the P90 levels."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from greendc.cli._common import console, handle_errors
from greendc.cli.weather import print_table

if TYPE_CHECKING:
    import pandas as pd

    from greendc.scenario.models import Scenario

#: Seed of the resource years by default: not a design seed of the shipped scenario, not the verification root.
RESOURCE_SEED = 4_242


def resource_profiles(scenario: Scenario, years: int, seed: int) -> pd.DataFrame:
    """Profiles of ``years`` independent synthetic years of the site's climatology (and climate case).

    Year ``i`` is the calendar year ``start_year + i`` drawn alone with seed ``seed + i``, so that each is
    a plant in its first year: PV degradation, which a multi-year run would add year after year, does not
    pass for a weaker resource.
    """
    import pandas as pd

    from greendc.assets.profiles import build_profiles
    from greendc.weather.source import synthetic_scenario_weather

    sc = scenario.model_copy(
        update={"weather": scenario.weather.model_copy(update={"source": "synthetic", "path": None})}
    )
    start = sc.weather.start_year
    return pd.concat([build_profiles(sc, synthetic_scenario_weather(sc, 1, start + i, seed + i)) for i in range(years)])


@handle_errors
def resource(
    scenario: str = typer.Option("dakhla", "--scenario", "-s", help="scenario YAML or shipped scenario name"),
    weather_file: Path | None = typer.Option(None, "--weather", help="design weather file instead of the scenario's"),
    years: int = typer.Option(30, "--years", min=3, max=200, help="resource years drawn from the site climatology"),
    seed: int = typer.Option(RESOURCE_SEED, "--seed", min=0, help="seed of the resource years"),
    verify_years: int = typer.Option(200, "--verify-years", min=10, max=100_000, help="unseen years of the check"),
    out: Path = typer.Option(Path("resource"), "--out", "-o", help="folder for the tables, resource.json, report"),
    scheduler: str | None = typer.Option(None, "--scheduler", help="dask scheduler address; default a local one"),
) -> None:
    """P50 and P90 PV and wind levels over many resource years, and the plan solved again at the P90 levels."""
    from greendc.assets.profiles import build_profiles
    from greendc.availability.outputs import out_of_sample_summary
    from greendc.availability.verify import dask_client, verify
    from greendc.operate.design import design_from_summary
    from greendc.plan.from_scenario import inputs_from_scenario
    from greendc.plan.resource import annual_yields, resource_levels, resource_sensitivity
    from greendc.plan.solve import SolveOptions, solve
    from greendc.report.resource_report import write_resource_report
    from greendc.scenario.io import load_scenario
    from greendc.weather.source import scenario_weather, with_weather_file

    out.mkdir(parents=True, exist_ok=True)
    sc = with_weather_file(load_scenario(scenario), weather_file)
    with console.status(f"{years} resource years from the climatology '{sc.site.climatology}'"):
        annual = annual_yields(resource_profiles(sc, years, seed))
    levels = resource_levels(annual)
    with console.status("the plan on the design weather"):
        data, meta = scenario_weather(sc)
        inputs = inputs_from_scenario(sc, build_profiles(sc, data))
        options = SolveOptions()
        plan = solve(inputs, options)
    status = console.status(f"out-of-sample check of the design ({verify_years} unseen years)")
    with status, dask_client(scheduler) as c:
        check = verify(design_from_summary(plan.summary(), sc), sc, years=verify_years, client=c)
    oos = out_of_sample_summary(check)
    with console.status("the plan again at the P90 levels (3 solves)"):
        sensitivity = resource_sensitivity(inputs, plan, levels, "P90", options)
    hours = oos["firm_hours_per_yr"]
    note = (
        f"the design (on the design weather) loses firm work {hours['mean']:.1f} h/yr on average, "
        f"{hours['p95']:.0f} h in the 95th-percentile year, over {oos['years']} unseen years"
    )
    paths = [out / "resource_years.csv", out / "resource_levels.csv", out / "resource_sensitivity.csv"]
    annual.to_csv(paths[0])
    levels.to_csv(paths[1], index_label="resource")
    sensitivity.to_csv(paths[2], index_label="case")
    paths.append(out / "resource.json")
    paths[-1].write_text(
        json.dumps(
            {
                "resource_years": {"years": years, "seed": seed, "climatology": sc.site.climatology},
                "design_weather": meta["source"],
                "levels": levels.to_dict(orient="index"),
                "sensitivity": sensitivity.to_dict(orient="index"),
                "out_of_sample": oos,
            },
            indent=2,
            default=str,
        ),
        encoding="utf-8",
    )
    paths.append(
        write_resource_report(
            out / "resource.html", f"Resource years of scenario '{sc.name}'", annual, levels, sensitivity, note
        )
    )
    print_table(levels[["mean", "cv", "P50", "P90", "P90_normal"]], "Annual capacity factor [MW/MW]", digits=4)
    print_table(
        sensitivity[
            [
                "pv_factor",
                "wind_factor",
                "cost_usd_per_mwh_it",
                "cost_change_fraction",
                "pv_mw",
                "wind_mw",
                "battery_mwh",
            ]
        ],
        "The plan at the P90 levels",
        digits=3,
    )
    console.print(f"out of sample: {note}")
    console.print("wrote " + ", ".join(str(p) for p in paths))
