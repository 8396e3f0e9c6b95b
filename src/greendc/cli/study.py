"""`greendc study`: run a study file on dask.distributed, resume it, and write its table and report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from greendc.cli._common import console, err_console, handle_errors

if TYPE_CHECKING:
    from greendc.study.run import StudyRun
    from greendc.study.spec import StudySpec


def write_study_outputs(run: StudyRun, spec: StudySpec, out: Path) -> list[Path]:
    """The study's rows as ``study.parquet`` and ``study.csv``, its provenance as ``provenance.json`` and its HTML
    report, in ``out``."""
    import json

    from greendc.report.study_report import write_study_report
    from greendc.study.run import study_provenance

    table = out / "study.parquet"
    run.rows.to_parquet(table, index=False)
    csv = out / "study.csv"
    run.rows.drop(columns=[c for c in ("summary_json", "scenario_json") if c in run.rows], errors="ignore").to_csv(
        csv, index=False
    )
    provenance = out / "provenance.json"
    provenance.write_text(json.dumps(study_provenance(spec, run).to_dict(), indent=2) + "\n", encoding="utf-8")
    report = write_study_report(run.rows, spec, out / "study.html")
    return [table, csv, provenance, report]


@handle_errors
def study(
    study_file: str = typer.Argument(..., help="study YAML, or a shipped study (e.g. dakhla-sensitivity)"),
    out: Path | None = typer.Option(None, "--out", "-o", help="study folder [default: study-<name>]"),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="dask scheduler address (tcp://HOST:8786); default a local cluster"
    ),
    workers: int | None = typer.Option(
        None, "--workers", min=1, max=256, help="local workers [default: by cores and memory_per_point_gb]"
    ),
) -> None:
    """Plan every point of a study (and check it out of sample) in parallel; points already in the study
    folder are not solved again. Writes study.parquet, study.csv and study.html."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from greendc.study.run import plan_tasks, run_study, study_client
    from greendc.study.spec import load_study

    spec = load_study(study_file)
    plan_tasks(spec)  # every point resolved and validated before a cluster starts
    out = out if out is not None else Path(f"study-{spec.name}")
    out.mkdir(parents=True, exist_ok=True)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with study_client(spec, scheduler, workers) as client:
        workers_now = len(client.scheduler_info().get("workers", {}))
        console.print(
            f"study '{spec.name}' ({spec.design}) on {workers_now} workers; dashboard {client.dashboard_link}"
        )
        with Progress(*columns, console=console) as progress:
            bar = progress.add_task("points", total=None)

            def tick(done: int, total: int, row: dict | None) -> None:
                what = "points" if row is None else f"point {row['point']}: {row.get('status')}"
                progress.update(bar, completed=done, total=total, description=what)

            try:
                run = run_study(spec, out, client, tick)
            except KeyboardInterrupt:
                err_console.print(
                    f"interrupted: finished points are stored in {out / 'points'}; run the same "
                    "command again to solve only the rest"
                )
                raise typer.Exit(code=130) from None
    console.print(
        f"{run.solved} points solved, {run.skipped} found in {out / 'points'}, {len(run.failed)} failed "
        f"({run.wall_s:.0f} s)"
    )
    for point, message in run.failed:
        err_console.print(f"point {point} failed (run again to retry): {message}")
    infeasible = run.rows[run.rows["status"] == "infeasible"] if "status" in run.rows else run.rows.iloc[:0]
    for _, row in infeasible.iterrows():
        console.print(f"point {row['point']} infeasible: {row['diagnosis'].splitlines()[0]}")
    paths = write_study_outputs(run, spec, out)
    console.print("wrote " + ", ".join(str(p) for p in paths))
    if run.failed:
        raise typer.Exit(code=1)
