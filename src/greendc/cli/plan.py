"""`greendc plan`: the least-cost design of a data center powered only by its own site."""

from __future__ import annotations

import json
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from greendc.cli._common import console, handle_errors
from greendc.errors import ScenarioError
from greendc.units import PLAN_CAPACITY_UNITS

if TYPE_CHECKING:
    from rich.progress import Progress

    from greendc.availability.sizing import AvailabilityDesign, Round
    from greendc.availability.verify import Verification
    from greendc.plan.certify import CertifyRound
    from greendc.plan.inputs import PlanInputs
    from greendc.plan.result import PlanResult
    from greendc.scenario.models import Scenario

# The command's option defaults, here so that ``greendc --help`` need not import the planner (linopy, HiGHS);
# tests/cli/test_cli_start.py checks that they equal greendc.plan.certify.CERTIFY_MIN_YEARS and DEFAULT_GAP.
#: From this many calendar years on, ``greendc plan`` certifies a segmented design (see greendc.plan.certify).
CERTIFY_MIN_YEARS = 3
#: Largest relative gap between a certified design's cost and the lower bound [-].
DEFAULT_GAP = 0.005


def _progress() -> Progress:
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console)


@handle_errors
def plan(
    scenario: str = typer.Option("dakhla", "--scenario", "-s", help="scenario YAML or shipped scenario name"),
    years: int | None = typer.Option(None, "--years", min=1, max=100, help="weather years in the horizon"),
    seed: int | None = typer.Option(None, "--seed", min=0, help="synthetic weather seed"),
    weather_file: Path | None = typer.Option(None, "--weather", help="weather file instead of the scenario's"),
    allow_partial_year: bool = typer.Option(
        False, "--allow-partial-year", help="accept a weather file that does not cover whole years"
    ),
    climate: str | None = typer.Option(
        None, "--climate", help="climate-stress case, e.g. ssp245-2050 (greendc/data/climate/cmip6_deltas.csv)"
    ),
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
    availability: str | None = typer.Option(
        None, "--availability", help="design to a target: tier-iii, tier-iv or none (default: the scenario's)"
    ),
    verify_years: int | None = typer.Option(
        None, "--verify-years", min=10, max=100_000, help="unseen years of the out-of-sample check [default: 200]"
    ),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="dask scheduler address (tcp://HOST:8786); default a local cluster"
    ),
    exact: bool = typer.Option(
        False, "--exact", help=f"one monolithic LP at full resolution, even from {CERTIFY_MIN_YEARS} years on"
    ),
    gap: float = typer.Option(
        DEFAULT_GAP, "--gap", min=1e-4, max=0.5, help="largest gap to the best design of a certified plan [-]"
    ),
) -> None:
    """Size PV, wind, battery and hydrogen at least annualised cost (to an availability target with
    --availability), verify the design on unseen weather years, then write a summary, the hourly dispatch
    and HTML reports."""
    from greendc.assets.profiles import build_profiles
    from greendc.availability.outputs import out_of_sample_summary, write_availability, write_verification
    from greendc.availability.sizing import design_for_availability
    from greendc.availability.verify import dask_client, verify
    from greendc.operate.design import design_from_summary
    from greendc.plan.aggregate import aggregate_time
    from greendc.plan.certify import plan_many_years
    from greendc.plan.flexibility import flexibility_value
    from greendc.plan.from_csv import inputs_from_profiles_csv
    from greendc.plan.from_scenario import inputs_from_scenario
    from greendc.plan.segment import year_starts
    from greendc.plan.solve import SolveOptions
    from greendc.provenance import WeatherProvenance
    from greendc.report.availability_report import write_availability_report
    from greendc.report.verification_report import write_verification_report
    from greendc.scenario.io import load_scenario
    from greendc.weather.source import (
        scenario_weather,
        with_climate,
        with_synthetic_years,
        with_weather_file,
    )

    out.mkdir(parents=True, exist_ok=True)
    options = SolveOptions(time_limit_s=time_limit_s)
    check: Verification | None = None
    sized: AvailabilityDesign | None = None
    cert = None
    with _progress() as progress:
        if profiles_csv is not None:
            if weather_file is not None or seed is not None or allow_partial_year or climate is not None:
                raise ScenarioError(
                    "--weather, --seed, --allow-partial-year and --climate do not apply with --profiles (bring your "
                    "own data)"
                )
            task = progress.add_task(f"reading {profiles_csv.name} and {costs_csv}")
            if availability is not None or verify_years is not None:
                raise ScenarioError(
                    "--availability and --verify-years need a scenario (its weather model draws the unseen years); "
                    "they do not apply with --profiles"
                )
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
            sc = with_availability(load_scenario(scenario), availability, verify_years)
            sc = with_weather_file(sc, weather_file, allow_partial_year)
            sc = with_climate(with_synthetic_years(sc, years, seed), climate)
            task = progress.add_task("weather")
            data, weather_meta = scenario_weather(sc)
            weather = WeatherProvenance.from_metadata(weather_meta)
            for note in weather.notes:
                console.print(f"weather: {note}")
            progress.update(task, description=f"profiles on {len(data)} steps")
            profiles = build_profiles(sc, data)
            title, timezone = f"Plan of scenario '{sc.name}' ({sc.site.name})", sc.site.timezone
        if profiles_csv is None and sc.rules.availability is not None:
            progress.update(task, description=f"designing to {sc.rules.availability.name}")
            bar = progress.add_task("out-of-sample check", total=None)
            with dask_client(scheduler) as client:
                sized = design_for_availability(
                    sc,
                    profiles,
                    client=client,
                    solve_options=options,
                    steps_per_block=steps_per_block,
                    weather=weather,
                    progress=lambda stage, done, total: progress.update(
                        bar, description=stage, completed=done, total=total
                    ),
                    on_round=lambda r: console.print(round_line(r)),
                )
            inputs, result, check = sized.chosen.inputs, sized.chosen.plan, sized.chosen.verification
        else:
            if profiles_csv is None:
                inputs = inputs_from_scenario(sc, profiles, weather=weather)
            inputs = aggregate_time(inputs, steps_per_block)
            n_years = len(year_starts(inputs))
            many = profiles_csv is None and not exact and n_years >= CERTIFY_MIN_YEARS
            how = (
                f"certified design over {n_years} years (segments, hourly check, repair)"
                if many
                else f"building and solving the LP ({inputs.n_steps} steps, HiGHS)"
            )
            progress.update(task, description=how)
            with dask_client(scheduler) if many else nullcontext() as client:
                result, cert = plan_many_years(
                    inputs,
                    options,
                    exact or profiles_csv is not None,
                    gap,
                    client,
                    on_round=lambda r: console.print(certify_line(r)),
                )
            if cert is not None:
                console.print(
                    f"certified: {cert.lower_bound_usd_per_yr / 1e6:,.2f} <= optimum <= "
                    f"{cert.upper_bound_usd_per_yr / 1e6:,.2f} million USD/yr, gap {cert.gap:.2%} "
                    f"({'within' if cert.converged else 'NOT within'} {gap:.2%}; {cert.wall_s:.0f} s)"
                )
            if profiles_csv is None:
                bar = progress.add_task("out-of-sample check", total=None)
                with dask_client(scheduler) as client:
                    check = verify(
                        design_from_summary(result.summary(), sc),
                        sc,
                        years=verify_years,
                        client=client,
                        progress=lambda done, total: progress.update(
                            bar, description=f"out-of-sample check ({total} tasks)", completed=done, total=total
                        ),
                    )
        flexibility = None
        if any(w.flexible for w in inputs.workloads):
            progress.update(task, description="valuing flexibility: the same plan with every class firm")
            # a certified plan is valued on its segments (both plans solved the same way)
            flexibility = (
                flexibility_value(cert.segmented_inputs, cert.segmented, options)
                if cert is not None
                else flexibility_value(inputs, result, options)
            )
        progress.update(task, description="writing summary, dispatch and report")
        oos = out_of_sample_summary(check) if check is not None else None
        paths = write_plan_outputs(
            result,
            inputs,
            out,
            title,
            timezone,
            pypsa,
            oos,
            sc if profiles_csv is None else None,
            flexibility,
        )
        if sized is not None:
            paths += write_availability(sized, out)
            paths.append(write_availability_report(sized, out / "availability.html", title, timezone, scenario=sc))
        elif check is not None:
            paths += write_verification(check, out)
            paths.append(
                write_verification_report(
                    check, result.summary(), out / "availability.html", title, timezone, scenario=sc
                )
            )
        progress.update(task, description="done")
    print_plan_summary(result, oos, land_computed=bool(inputs.rules.land_km2_per_unit))
    if sized is not None:
        premium = sized.premium()
        verdict = "met" if sized.met else "NOT met (closest round shown)"
        console.print(
            f"target {sized.target.name}: {verdict} after {len(sized.rounds)} rounds; premium over the "
            f"design without reserve {premium['usd_per_mwh']:+,.1f} USD/MWh ({premium['fraction']:+.1%})"
        )
    console.print("wrote " + ", ".join(str(p) for p in paths))


def with_availability(scenario: Scenario, preset: str | None, verify_years: int | None) -> Scenario:
    """``scenario`` with the target named by ``--availability`` and the years of ``--verify-years``."""
    from greendc.scenario.models import AVAILABILITY_PRESETS

    rules = scenario.rules
    if preset is not None:
        if preset not in AVAILABILITY_PRESETS:
            raise ScenarioError(f"--availability: '{preset}' is not one of {', '.join(AVAILABILITY_PRESETS)}")
        rules = rules.model_copy(update={"availability": AVAILABILITY_PRESETS[preset]})
    if verify_years is not None and rules.availability is not None:
        rules = rules.model_copy(
            update={"availability": rules.availability.model_copy(update={"verification_years": verify_years})}
        )
    return scenario.model_copy(update={"rules": rules})


def certify_line(r: CertifyRound) -> str:
    """One line per round of a certified plan for the console."""
    upper = "no design yet" if r.upper_bound_usd_per_yr is None else f"{r.upper_bound_usd_per_yr / 1e6:,.2f}"
    return (
        f"segments {r.n_segments:,} ({r.full_resolution_steps:,} hourly): lower bound "
        f"{r.lower_bound_usd_per_yr / 1e6:,.2f}, upper {upper} million USD/yr; hourly check short "
        f"{r.unserved_mwh_per_yr:,.1f} MWh/yr{' (raised)' if r.raised else ''} ({r.solve_s + r.check_s:.0f} s)"
    )


def round_line(r: Round) -> str:
    """One line per plan-and-verify round for the console."""
    t = r.verification.table
    h = t["firm_hours_supply_per_yr"]
    return (
        f"round {r.index}: reserve {r.reserve_hours:g} h, {r.plan.cost_usd_per_mwh_it:,.1f} USD/MWh, firm hours "
        f"cut/yr mean {h['mean']:.2f}, P95 {h['p95']:.1f}; years meeting {t['share_of_years_meeting']:.1%} "
        f"({'pass' if r.verification.passed else 'fail'}, {r.wall_time_s:.0f} s)"
    )


def write_plan_outputs(
    result: PlanResult,
    inputs: PlanInputs,
    out: Path,
    title: str,
    timezone: str,
    pypsa: bool = False,
    out_of_sample: dict[str, Any] | None = None,
    scenario: Scenario | None = None,
    flexibility: dict[str, Any] | None = None,
) -> list[Path]:
    """Write ``summary.json`` (with ``out_of_sample`` beside the plan's own figures, the finance figures, the
    value of flexibility, every cost number used and the weather's provenance), ``dispatch.parquet``,
    ``report.html`` (its assumptions from ``scenario``; None for bring-your-own-data plans) and ``network.nc``
    into ``out``."""
    from greendc.finance import finance_summary
    from greendc.provenance import stamped
    from greendc.report.costs_report import costs_listing
    from greendc.report.plan_report import write_plan_report
    from greendc.scenario.models import Finance

    finance = scenario.finance if scenario is not None else Finance()
    money = finance_summary(
        result, inputs.costs, finance.tariff_usd_per_mwh, inputs.discount_rate, finance.project_years
    )
    summary = out / "summary.json"
    content = result.summary() | {
        "finance": money.to_dict(),
        "flexibility_value": flexibility,
        "costs_used": costs_listing(inputs.costs),
        "weather": weather.to_dict()
        if (weather := result.provenance.weather) is not None
        else "none: bring-your-own-data profiles",
        "out_of_sample": out_of_sample
        if out_of_sample is not None
        else "not verified: bring-your-own-data plans have no weather model to draw unseen years",
    }
    summary.write_text(json.dumps(content, indent=2, default=str), encoding="utf-8")
    dispatch = out / "dispatch.parquet"
    frame = result.dispatch.assign(price_usd_per_mwh=result.energy_price_usd_per_mwh)
    stamped(frame, result.provenance).to_parquet(dispatch)
    report = write_plan_report(
        result, out / "report.html", title, timezone, out_of_sample, inputs.costs, money, flexibility, scenario
    )
    paths = [summary, dispatch, report]
    if pypsa:
        from greendc.plan.pypsa_export import export_pypsa

        paths.append(export_pypsa(inputs, result, out / "network.nc"))
    return paths


def print_plan_summary(
    result: PlanResult, out_of_sample: dict[str, Any] | None = None, land_computed: bool = True
) -> None:
    """Print capacities, key costs, and the in-sample unserved energy beside the out-of-sample figures.

    ``land_computed`` False (bring-your-own-data inputs carry no land per MW) prints "not computed" instead
    of a land of 0 km²."""
    from rich.table import Table

    table = Table(title="Least-cost design", title_justify="left")
    table.add_column("quantity")
    table.add_column("value", justify="right")
    for key, value in result.capacities.items():
        table.add_row(key, f"{value:,.1f} {PLAN_CAPACITY_UNITS.get(key, '')}")
    table.add_row("total cost", f"{result.objective_usd_per_yr / 1e6:,.1f} million USD/yr")
    table.add_row("per MWh of IT energy", f"{result.cost_usd_per_mwh_it:,.1f} USD/MWh")
    table.add_row("capex", f"{sum(result.capex_usd.values()) / 1e9:,.2f} billion USD")
    table.add_row("curtailment", f"{result.curtailment_fraction:.1%}")
    table.add_row("unserved IT energy, design weather", f"{result.unserved_mwh_per_yr:,.1f} MWh/yr (perfect foresight)")
    if out_of_sample is None:
        table.add_row("out of sample", "not verified (no weather model)")
    else:
        for label, key in (
            ("firm hours cut/yr, unseen years", "firm_hours_per_yr"),
            ("  of which supply adequacy", "firm_hours_supply_per_yr"),
            ("  of which common-mode trips", "firm_hours_common_mode_per_yr"),
        ):
            h = out_of_sample[key]
            table.add_row(label, f"mean {h['mean']:.2f}, P95 {h['p95']:.1f}, worst {h['worst']:.0f} h")
        table.add_row(
            "unserved IT energy, unseen years",
            f"{out_of_sample['eens_mwh_per_yr']:,.0f} MWh/yr (mean, "
            f"{out_of_sample['years']} years, rule-based dispatch, outages)",
        )
        table.add_row("years with firm load cut", f"{out_of_sample['share_of_years_with_loss']:.0%}")
    if land_computed:
        direct = sum(result.land_by_kind_km2["direct"].values())
        table.add_row("land", f"{result.land_km2:,.1f} km² total, {direct:,.1f} km² direct")
    else:
        table.add_row("land", "not computed (bring-your-own-data profiles carry no land per MW)")
    table.add_row("solve", f"{result.provenance.details.get('solve_s', float('nan')):.1f} s ({result.status.value})")
    console.print(table)
