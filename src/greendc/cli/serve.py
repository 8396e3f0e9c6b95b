"""`greendc serve`, `greendc token create|revoke`, `greendc replay`: the monitoring service from the command line."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from greendc.cli._common import HelpCommand, console, err_console, handle_errors

__all__ = ["replay", "serve", "token_app", "token_create", "token_revoke"]

_DB_HELP = "database URL: sqlite:///file.db (default, embedded) or postgresql://user:password@host:port/db"


def _db_url(db: str | None) -> str:
    from greendc.service.settings import DEFAULT_DB_URL

    return db or os.environ.get("GREENDC_DB_URL") or DEFAULT_DB_URL


@handle_errors
def serve(
    db: str | None = typer.Option(None, "--db", help=_DB_HELP + " (or GREENDC_DB_URL)"),
    host: str = typer.Option("127.0.0.1", "--host", help="address to listen on"),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port"),
    log_level: str = typer.Option("info", "--log-level", help="uvicorn log level: warning, info, debug"),
) -> None:
    """Run the monitoring service: REST API (/api/v1, /openapi.json, docs at /docs) and dashboard (/dashboard)."""
    import uvicorn

    from greendc.service import Settings, create_app

    settings = Settings.from_env(db_url=_db_url(db))
    app = create_app(settings)
    console.print(f"greendc monitor on http://{host}:{port}/dashboard (database {_shown(settings.db_url)})")
    console.print(f"sign in: paste a viewer token (greendc token create --role viewer) into the page's form, or open "
                  f"http://{host}:{port}/dashboard#token=<token> (kept in that browser tab only)", highlight=False)
    uvicorn.run(app, host=host, port=port, log_level=log_level)


def _shown(url: str) -> str:
    from greendc.service.db import normalise_url

    return normalise_url(url).render_as_string(hide_password=True)


@handle_errors
def token_create(
    role: str = typer.Option(..., "--role", help="viewer (read), operator (write readings), admin (manage)"),
    name: str = typer.Option("", "--name", help="what the token is for"),
    db: str | None = typer.Option(None, "--db", help=_DB_HELP + " (or GREENDC_DB_URL)"),
) -> None:
    """Make an API token (printed once; only its SHA-256 digest is stored). Creates the database if needed."""
    from greendc.service.auth import create_token
    from greendc.service.db import make_engine, migrate

    engine = make_engine(_db_url(db))
    try:
        migrate(engine)
        token_id, token = create_token(engine, role, name)
    finally:
        engine.dispose()
    err_console.print(f"token {token_id} ({role}) for {_shown(_db_url(db))}; it is shown once, keep it:")
    typer.echo(token)


@handle_errors
def token_revoke(
    token_id: int = typer.Argument(..., help="id of the token (GET /api/v1/tokens lists them)"),
    db: str | None = typer.Option(None, "--db", help=_DB_HELP + " (or GREENDC_DB_URL)"),
) -> None:
    """Revoke an API token: it answers 401 from then on."""
    from greendc.service.auth import revoke_token
    from greendc.service.db import make_engine, migrate

    engine = make_engine(_db_url(db))
    try:
        migrate(engine)
        row = revoke_token(engine, token_id)
    finally:
        engine.dispose()
    console.print(f"token {row['id']} ({row['role']}, {row['name'] or 'no name'}) revoked at {row['revoked_at']}")


@handle_errors
def replay(
    simulation: Path = typer.Option(
        ..., "--simulation", help="folder written by 'greendc simulate', its dispatch.parquet, or a telemetry CSV"
    ),
    url: str = typer.Option("http://127.0.0.1:8000", "--url", help="service base URL"),
    token: str = typer.Option(
        ..., "--token", envvar="GREENDC_TOKEN", help="API token: operator, or admin with --create-meters"
    ),
    speed: float = typer.Option(
        3600.0, "--speed",
        help="simulated seconds per wall-clock second (3600: an hour a second, a year in 2.4 h; 1e6: a year in "
        "32 s; inf: no wait)",
    ),
    site: str = typer.Option("simulation", "--site", help="site name; meters are <site>.<column>"),
    create_meters: bool = typer.Option(False, "--create-meters", help="create the site and meters (admin token)"),
    batch: int = typer.Option(1000, "--batch", min=1, max=100_000, help="readings per request"),
    steps: int | None = typer.Option(None, "--steps", min=1, help="stop after this many time steps"),
) -> None:
    """Stream a simulation's dispatch into the service as meter readings (retries are idempotent), with a
    progress bar on stderr."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from greendc.service.replay import replay as run_replay

    columns = (TextColumn("replay"), BarColumn(), MofNCompleteColumn(), TextColumn("steps,"),
               TextColumn("{task.fields[readings]:,} readings sent {task.fields[rate]}"), TimeElapsedColumn())
    with Progress(*columns, console=err_console) as bar:
        task = bar.add_task("replay", total=None, readings=0, rate="")

        def show(done: int, total: int, readings: int) -> None:
            elapsed = bar.tasks[0].elapsed or 0.0
            rate = f"at {readings / elapsed:,.0f}/s" if elapsed > 0.5 else ""
            bar.update(task, completed=done, total=total, readings=readings, rate=rate)

        result = run_replay(
            simulation,
            url,
            token,
            speed=speed,
            site=site,
            create_meters=create_meters,
            batch_size=batch,
            max_steps=steps,
            log=lambda text: bar.console.print(text, highlight=False),
            progress=show,
        )
    console.print(
        f"{result.steps} steps, {result.readings} readings in {result.batches} batches: "
        f"{result.inserted} stored, {result.duplicates} already there, {result.retries} retries",
        soft_wrap=True,
    )


token_app = typer.Typer(help="API tokens of the monitoring service.", no_args_is_help=True)
token_app.command("create", cls=HelpCommand)(token_create)
token_app.command("revoke", cls=HelpCommand)(token_revoke)
