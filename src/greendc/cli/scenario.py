"""`greendc scenario init|show|validate`."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import typer
from rich.syntax import Syntax

from greendc.cli._common import console, handle_errors
from greendc.errors import ScenarioError
from greendc.scenario.io import SHIPPED_DIR, load_scenario, scenario_hash, scenario_to_yaml, shipped_scenarios

app = typer.Typer(help="Create, show and check scenario files.", no_args_is_help=True)


@app.command("init")
@handle_errors
def init(
    path: Path = typer.Argument(Path("scenario.yaml"), help="file to write"),
    template: str = typer.Option("dakhla", "--from", help="shipped scenario to copy"),
    force: bool = typer.Option(False, "--force", help="overwrite an existing file"),
) -> None:
    """Write an editable copy of a shipped scenario (with its comments and sources)."""
    if template not in shipped_scenarios():
        raise ScenarioError(f"--from: unknown shipped scenario '{template}'; choose one of {shipped_scenarios()}")
    if path.exists() and not force:
        raise ScenarioError(f"{path} exists; use --force to overwrite it")
    text = resources.files("greendc").joinpath(SHIPPED_DIR, f"{template}.yaml").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    console.print(f"wrote {path} (from shipped scenario '{template}'); check it with: greendc scenario validate {path}")


@app.command("show")
@handle_errors
def show(scenario: str = typer.Argument("dakhla", help="YAML file or shipped scenario name")) -> None:
    """Print the validated scenario with every field, defaults included."""
    sc = load_scenario(scenario)
    console.print(Syntax(scenario_to_yaml(sc), "yaml", theme="ansi_dark", background_color="default"))


@app.command("validate")
@handle_errors
def validate(scenario: str = typer.Argument(..., help="YAML file or shipped scenario name")) -> None:
    """Check a scenario file; exit code 2 and one line per problem if it is invalid."""
    sc = load_scenario(scenario)
    console.print(f"[green]valid[/]: scenario '{sc.name}' (hash {scenario_hash(sc)})")
