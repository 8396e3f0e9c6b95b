"""The `greendc` command line: thin commands over the Python API."""

from __future__ import annotations

import typer

from greendc.cli import compare, kpi, plan, profiles, resource, scenario, serve, simulate, study, weather

app = typer.Typer(
    name="greendc",
    help="Digital twin of data centers powered only by their own on-site renewables.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(scenario.app, name="scenario")
app.command("weather")(weather.weather)
app.command("profiles")(profiles.profiles)
app.command("plan")(plan.plan)
app.command("resource")(resource.resource)
app.command("simulate")(simulate.simulate_command)
app.command("kpi")(kpi.kpi)
app.command("serve")(serve.serve)
app.add_typer(serve.token_app, name="token")
app.command("replay")(serve.replay)
app.command("study")(study.study)
app.command("compare")(compare.compare_command)

__all__ = ["app"]
