"""`greendc serve`, `greendc token create|revoke`, `greendc replay`, `greendc bridge`: the monitoring service from the
command line."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from greendc.cli._common import HelpCommand, console, err_console, handle_errors

__all__ = ["bridge", "replay", "serve", "token_app", "token_create", "token_revoke"]

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
    max_future_s: float | None = typer.Option(
        None,
        "--max-future-s",
        help="refuse readings stamped more than this ahead of the clock [s] (default 300, or GREENDC_MAX_FUTURE_S); "
        "inf accepts a simulated future year (greendc replay of a 2030 simulation)",
    ),
    workers: int = typer.Option(
        1,
        "--workers",
        min=1,
        max=64,
        help="server processes; 2 on a 2-core machine about doubles ingestion (each process keeps its own rate-limit "
        "counters)",
    ),
) -> None:
    """Run the monitoring service: REST API (/api/v1, /openapi.json, docs at /docs) and dashboard (/dashboard)."""
    from greendc.service import Settings, create_app  # first: names the 'service' extra when it is missing

    settings = Settings.from_env(db_url=_db_url(db), max_future_s=max_future_s)  # checked before any process starts
    console.print(f"greendc monitor on http://{host}:{port}/dashboard (database {_shown(settings.db_url)})")
    console.print(
        f"sign in: paste a viewer token (greendc token create --role viewer) into the page's form, or open "
        f"http://{host}:{port}/dashboard#token=<token> (kept in that browser tab only)",
        highlight=False,
    )
    import uvicorn

    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level)
        return
    # each worker process builds the app from the environment: hand it what the command line set
    os.environ["GREENDC_DB_URL"] = settings.db_url
    os.environ["GREENDC_MAX_FUTURE_S"] = str(settings.max_future_s)
    uvicorn.run(
        "greendc.service.app:app_from_env", factory=True, workers=workers, host=host, port=port, log_level=log_level
    )


def _shown(url: str) -> str:
    from greendc.service.db import normalise_url

    return normalise_url(url).render_as_string(hide_password=True)


@handle_errors
def token_create(
    role: str = typer.Option(
        ...,
        "--role",
        help="viewer (read), gateway (write readings only), operator (read and write readings), admin (manage)",
    ),
    name: str = typer.Option("", "--name", help="what the token is for"),
    expires_in_days: float = typer.Option(90.0, "--expires-in-days", min=0.0, help="lifetime [days]; 0: never expires"),
    site: list[str] = typer.Option([], "--site", help="gateway only: a site it may write to (repeat for more)"),
    meter: list[str] = typer.Option([], "--meter", help="gateway only: a meter it may write to (repeat for more)"),
    db: str | None = typer.Option(None, "--db", help=_DB_HELP + " (or GREENDC_DB_URL)"),
) -> None:
    """Make an API token (printed once; only its SHA-256 digest is stored). Creates the database if needed."""
    import datetime as dt

    from greendc.service.db import make_engine, migrate
    from greendc.service.tokens import create_token

    expires_at = dt.datetime.now(dt.UTC) + dt.timedelta(days=expires_in_days) if expires_in_days > 0 else None
    engine = make_engine(_db_url(db))
    try:
        migrate(engine)
        token_id, token = create_token(
            engine, role, name, expires_at=expires_at, sites=site or None, meters=meter or None
        )
    finally:
        engine.dispose()
    until = "never expires" if expires_at is None else f"expires {expires_at:%Y-%m-%d %H:%M} UTC"
    err_console.print(f"token {token_id} ({role}, {until}) for {_shown(_db_url(db))}; it is shown once, keep it:")
    typer.echo(token)


@handle_errors
def token_revoke(
    token_id: int = typer.Argument(..., help="id of the token (GET /api/v1/tokens lists them)"),
    db: str | None = typer.Option(None, "--db", help=_DB_HELP + " (or GREENDC_DB_URL)"),
) -> None:
    """Revoke an API token: it answers 401 from then on."""
    from greendc.service.db import make_engine, migrate
    from greendc.service.tokens import revoke_token

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
    token: str | None = typer.Option(
        None,
        "--token",
        envvar="GREENDC_TOKEN",
        help="API token: operator, or admin with --create-meters (with --mqtt, optional: checks the meters)",
    ),
    speed: float = typer.Option(
        3600.0,
        "--speed",
        help="simulated seconds per wall-clock second (3600: an hour a second, a year in 2.4 h; 1e6: a year in "
        "32 s; inf: no wait)",
    ),
    site: str = typer.Option("simulation", "--site", help="site name; meters are <site>.<column>"),
    create_meters: bool = typer.Option(False, "--create-meters", help="create the site and meters (admin token)"),
    batch: int = typer.Option(1000, "--batch", min=1, max=100_000, help="readings per request"),
    steps: int | None = typer.Option(None, "--steps", min=1, help="stop after this many time steps"),
    mqtt: str | None = typer.Option(
        None, "--mqtt", help="publish to this MQTT broker (mqtt://host:port) for 'greendc bridge', not over HTTP"
    ),
    mqtt_format: str = typer.Option("sparkplug", "--mqtt-format", help="sparkplug (NBIRTH, NDATA) or json"),
    group: str = typer.Option("greendc", "--group", help="Sparkplug B group of the edge node <site>"),
) -> None:
    """Stream a simulation's dispatch into the service as meter readings (retries are idempotent), with a
    progress bar on stderr; over HTTP, or through an MQTT broker and 'greendc bridge' (--mqtt)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from greendc.service.replay import replay as run_replay

    columns = (
        TextColumn("replay"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("steps,"),
        TextColumn("{task.fields[readings]:,} readings sent {task.fields[rate]}"),
        TimeElapsedColumn(),
    )
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
            mqtt=mqtt,
            mqtt_format=mqtt_format,
            group=group,
        )
    if mqtt is not None:
        console.print(
            f"{result.steps} steps, {result.readings} readings in {result.batches} {mqtt_format} messages "
            f"acknowledged by the broker {mqtt}",
            soft_wrap=True,
        )
        return
    console.print(
        f"{result.steps} steps, {result.readings} readings in {result.batches} batches: "
        f"{result.inserted} stored, {result.duplicates} already there, {result.retries} retries",
        soft_wrap=True,
    )


@handle_errors
def bridge(
    broker: str = typer.Option(
        "mqtt://127.0.0.1:1883", "--broker", help="MQTT broker: mqtt://[user:password@]host:port"
    ),
    db: str | None = typer.Option(None, "--db", "--db-url", help=_DB_HELP + " (or GREENDC_DB_URL)"),
    group: str | None = typer.Option(None, "--group", help="Sparkplug B group to read (default: every group)"),
    client_id: str = typer.Option(
        "greendc-bridge", "--client-id", help="MQTT client id: the broker keeps this session's messages while away"
    ),
    meter_name: str = typer.Option(
        "{metric}",
        "--meter-name",
        help="meter of a Sparkplug metric, from {group}, {node}, {device}, {metric} (e.g. {device}.{metric})",
    ),
    dead_letters: Path = typer.Option(
        Path("greendc-dead-letters.jsonl"), "--dead-letters", help="JSON-lines file of the messages the service refused"
    ),
    json_topics: bool = typer.Option(
        True, "--json/--no-json", help="also read the plain JSON topics greendc/<site>/readings"
    ),
    max_future_s: float | None = typer.Option(
        None,
        "--max-future-s",
        help="refuse readings stamped more than this ahead of the clock [s] (default 300, or GREENDC_MAX_FUTURE_S); "
        "inf accepts a simulated future year",
    ),
) -> None:
    """Store the readings that field gateways publish to an MQTT broker (Sparkplug B, or JSON on
    greendc/<site>/readings): QoS 1, persistent session, each message acknowledged after its commit."""
    import logging
    import signal
    import threading

    from greendc.service.bridge import Bridge, BridgeConfig

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    config = BridgeConfig(broker, _db_url(db), group, client_id, meter_name, dead_letters, json_topics, max_future_s)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    err_console.print(f"greendc bridge: {broker} → {_shown(config.db_url)}; topics {', '.join(config.topics)}")
    Bridge(config).run(stop)


token_app = typer.Typer(help="API tokens of the monitoring service.", no_args_is_help=True)
token_app.command("create", cls=HelpCommand)(token_create)
token_app.command("revoke", cls=HelpCommand)(token_revoke)
