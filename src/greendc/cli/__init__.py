"""The `greendc` command line: thin commands over the Python API.

Importing this package is cheap: each command module imports the heavy libraries (numba, pvlib, linopy,
HiGHS, dask, the service stack) inside the command that needs them, so that ``greendc --help`` and
``greendc --version`` answer at once (``tests/cli/test_cli_start.py``, ``benchmarks/bench_cli_start.py``).
"""

from __future__ import annotations

import typer

from greendc.cli import compare, kpi, plan, profiles, resource, scenario, serve, simulate, study, weather
from greendc.cli._common import CONTEXT_SETTINGS, HelpCommand, HelpGroup

app = typer.Typer(
    name="greendc",
    help="Digital twin of data centers powered only by their own on-site renewables.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=HelpGroup,
    context_settings=CONTEXT_SETTINGS,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        import greendc

        typer.echo(f"greendc {greendc.__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(
        False, "--version", "-V", callback=_version, is_eager=True, help="Print the version of greendc and exit."
    ),
) -> None:
    """Digital twin of data centers powered only by their own on-site renewables."""


app.add_typer(scenario.app, name="scenario", cls=HelpGroup)
app.command("weather", cls=HelpCommand)(weather.weather)
app.command("profiles", cls=HelpCommand)(profiles.profiles)
app.command("plan", cls=HelpCommand)(plan.plan)
app.command("resource", cls=HelpCommand)(resource.resource)
app.command("simulate", cls=HelpCommand)(simulate.simulate_command)
app.command("kpi", cls=HelpCommand)(kpi.kpi)
app.command("serve", cls=HelpCommand)(serve.serve)
app.add_typer(serve.token_app, name="token", cls=HelpGroup)
app.command("replay", cls=HelpCommand)(serve.replay)
app.command("bridge", cls=HelpCommand)(serve.bridge)
app.command("study", cls=HelpCommand)(study.study)
app.command("compare", cls=HelpCommand)(compare.compare_command)

__all__ = ["app"]
