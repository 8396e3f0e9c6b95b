"""`greendc scenario init|show|validate`."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import typer

from greendc.cli._common import HelpCommand, console, err_console, handle_errors
from greendc.errors import ScenarioError

app = typer.Typer(help="Create, show and check scenario files.", no_args_is_help=True)


@app.command("init", cls=HelpCommand)
@handle_errors
def init(
    path: Path = typer.Argument(Path("scenario.yaml"), help="file to write"),
    template: str = typer.Option("dakhla", "--from", help="shipped scenario to copy"),
    force: bool = typer.Option(False, "--force", help="overwrite an existing file"),
) -> None:
    """Write an editable copy of a shipped scenario (with its comments and sources)."""
    from greendc.scenario.io import SHIPPED_DIR, shipped_scenarios

    if template not in shipped_scenarios():
        raise ScenarioError(f"--from: unknown shipped scenario '{template}'; choose one of {shipped_scenarios()}")
    if path.exists() and not force:
        raise ScenarioError(f"{path} exists; use --force to overwrite it")
    text = resources.files("greendc").joinpath(SHIPPED_DIR, f"{template}.yaml").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    console.print(f"wrote {path} (from shipped scenario '{template}'); check it with: greendc scenario validate {path}")


@app.command("show", cls=HelpCommand)
@handle_errors
def show(scenario: str = typer.Argument("dakhla", help="YAML file or shipped scenario name")) -> None:
    """Print the validated scenario with every field, defaults included (YAML that loads back as the same
    scenario: greendc scenario show > my.yaml)."""
    from greendc.scenario.io import load_scenario, scenario_to_yaml

    # raw text, never through rich: markup ("[...]"), highlighting and wrapping at the console width would
    # change the YAML
    typer.echo(scenario_to_yaml(load_scenario(scenario)), nl=False)


@app.command("validate", cls=HelpCommand)
@handle_errors
def validate(scenario: str = typer.Argument(..., help="YAML file or shipped scenario name")) -> None:
    """Check a scenario file and read what it names (turbine power curve, climatology, climate case, cost table,
    weather file) as the planner would; exit code 2 and one line per problem if anything is invalid."""
    from greendc.scenario.io import load_scenario, scenario_hash
    from greendc.scenario.resolve import scenario_data_problems

    sc = load_scenario(scenario)
    with console.status("reading the turbine, climatology, costs and weather the scenario names"):
        problems = scenario_data_problems(sc)
    if problems:
        from rich.markup import escape

        for line in problems:
            err_console.print(f"[bold red]error:[/] {escape(line)}", highlight=False, soft_wrap=True)
        err_console.print(f"scenario '{sc.name}': {len(problems)} problem(s)", highlight=False)
        raise typer.Exit(code=2)
    console.print(f"[green]valid[/]: scenario '{sc.name}' (hash {scenario_hash(sc)})")
