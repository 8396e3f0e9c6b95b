"""Run a study on dask.distributed: resolve every point, skip those stored, solve the rest in parallel and
store each row as it arrives (:mod:`greendc.study.store`).

By default the points run on a :class:`distributed.LocalCluster` of processes, one thread each (HiGHS gets
``solver.threads``, 1 by default), as many workers as the machine's cores and memory allow for
``memory_per_point_gb`` each (:func:`local_workers`), each with that memory limit. With a scheduler address
the points run on that cluster (workers started elsewhere with ``dask worker tcp://HOST:8786``); only this
client writes the store.

A worker that dies mid-point (killed, out of memory) loses only that attempt: the scheduler runs the point
again elsewhere, and the store keeps one row per key. Ctrl-C stores every point already finished before
stopping; running the study again solves only the rest.

Near-optimal alternatives (``near_optimal`` in the study file) need the least cost of the base scenario:
their tasks start when the base point's row is in (solved now or found in the store).
"""

from __future__ import annotations

import json
import math
import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from greendc.errors import ScenarioError
from greendc.plan.near_optimal import NEAR_OPTIMAL_SENSES
from greendc.plan.result import CAPACITY_NAMES
from greendc.plan.solve import PLAN_PACKAGES, SolveOptions
from greendc.provenance import Provenance, package_versions
from greendc.scenario.io import load_scenario, scenario_hash
from greendc.study.designs import study_points
from greendc.study.paths import point_scenario
from greendc.study.spec import StudySpec
from greendc.study.store import ResultStore, point_key
from greendc.study.task import NearOptimalDirection, PointTask, run_point

#: Capacities moved by default in a near-optimal study (those every plan sizes).
DEFAULT_NEAR_OPTIMAL_CAPACITIES = CAPACITY_NAMES

#: Packages whose versions a study records.
STUDY_PACKAGES: tuple[str, ...] = (*PLAN_PACKAGES, "dask", "distributed")


@dataclass
class StudyRun:
    """What :func:`run_study` did.

    Attributes
    ----------
    rows : pandas.DataFrame
        The study's rows from the store (every point of the study file that has one), ordered by point.
    solved, skipped : int
        Points solved in this run; points found in the store.
    failed : list of (int, str)
        Points whose task raised (not stored: running again retries them), with the error.
    interrupted : bool
        Stopped by Ctrl-C (everything finished before was stored).
    dashboard : str or None
        The Dask dashboard address of the cluster used.
    wall_s : float
    """

    rows: pd.DataFrame
    solved: int = 0
    skipped: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)
    interrupted: bool = False
    dashboard: str | None = None
    wall_s: float = 0.0


def solve_options(spec: StudySpec) -> SolveOptions:
    """The solver options of every point of ``spec``."""
    return SolveOptions(time_limit_s=spec.solver.time_limit_s, threads=spec.solver.threads)


def _key(task_kind: str, scenario_json: Any, options: SolveOptions, verify_years: int, **more: Any) -> str:
    import greendc

    highs = {k: v for k, v in options.to_highs().items() if k not in ("output_flag", "log_to_console")}
    return point_key(
        {
            "kind": task_kind,
            "scenario": scenario_json,
            "solver": highs,
            "verify_years": verify_years,
            "greendc": greendc.__version__,
        }
        | more
    )


def plan_tasks(spec: StudySpec, run_id: str = "") -> list[PointTask]:
    """One task per point of ``spec`` (every scenario resolved and validated first: a bad path or value fails
    here, before anything runs), plus the base scenario when near-optimal alternatives need it and the design
    has no base point."""
    base = load_scenario(spec.scenario)
    options = solve_options(spec)
    points = study_points(spec)
    if spec.near_optimal is not None and not any(not p.values for p in points):
        from greendc.study.designs import Point

        points.append(Point(len(points)))
    tasks = []
    for p in points:
        sc = point_scenario(base, p.values)
        key = _key("plan", sc.model_dump(mode="json"), options, spec.verify_years)
        tasks.append(
            PointTask(key, spec.name, p.index, p.values, sc, options, spec.verify_years, p.varied, run_id=run_id)
        )
    return tasks


def direction_tasks(spec: StudySpec, base: PointTask, first_index: int, run_id: str = "") -> list[PointTask]:
    """The near-optimal tasks of ``spec`` (each capacity minimised and maximised), keyed on the base point's key;
    their optimum is filled in when the base row is known."""
    no = spec.near_optimal
    if no is None:
        return []
    caps = no.capacities or list(DEFAULT_NEAR_OPTIMAL_CAPACITIES)
    tasks = []
    for cap in caps:
        for sense in NEAR_OPTIMAL_SENSES:
            d = NearOptimalDirection(cap, sense, no.epsilon)
            key = point_key(
                {"kind": "near_optimal", "base": base.key, "capacity": cap, "sense": sense, "epsilon": no.epsilon}
            )
            tasks.append(
                PointTask(
                    key,
                    spec.name,
                    first_index + len(tasks),
                    {},
                    base.scenario,
                    base.options,
                    spec.verify_years,
                    None,
                    d,
                    run_id,
                )
            )
    return tasks


def local_workers(memory_per_point_gb: float, cores: int | None = None, memory_gb: float | None = None) -> int:
    """Workers of a local cluster: one per core, at most as many as the memory holds at ``memory_per_point_gb``
    each (90 % of the machine's memory), at least one."""
    import psutil

    cores = cores or os.cpu_count() or 1
    memory_gb = memory_gb if memory_gb is not None else psutil.virtual_memory().total / 1e9
    return max(1, min(cores, math.floor(0.9 * memory_gb / memory_per_point_gb)))


@contextmanager
def study_client(spec: StudySpec, scheduler: str | None = None, n_workers: int | None = None) -> Iterator[Any]:
    """A client on the scheduler at ``scheduler``, or on a local cluster sized by :func:`local_workers`."""
    from distributed import Client, LocalCluster

    if scheduler is not None:
        with Client(scheduler) as client:
            yield client
        return
    workers = n_workers or local_workers(spec.memory_per_point_gb)
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            memory_limit=f"{spec.memory_per_point_gb}GB",
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def run_study(
    spec: StudySpec,
    out: str | Path,
    client: Any = None,
    progress: Callable[[int, int, dict[str, Any] | None], None] | None = None,
) -> StudyRun:
    """Run the points of ``spec`` not yet in the store of ``out`` on ``client``.

    Parameters
    ----------
    spec : StudySpec
    out : path
        The study folder; rows go to ``out/points/<key>.parquet``.
    client : distributed.Client, optional
        Default a local cluster for this call (:func:`study_client`).
    progress : callable, optional
        Called as ``progress(done, total, row)`` after each point (``row`` None for a failed one), and once
        as ``progress(0, total, None)`` before the first.

    Returns
    -------
    StudyRun

    Raises
    ------
    ScenarioError
        A point's scenario does not validate (the message names the point's values and the field).
    KeyboardInterrupt
        After storing every point finished so far.
    """
    if client is None:
        with study_client(spec) as own:
            return run_study(spec, out, own, progress)
    from distributed import as_completed

    t0 = time.perf_counter()
    run_id = uuid.uuid4().hex[:12]
    store = ResultStore(Path(out) / "points")
    tasks = plan_tasks(spec, run_id)
    base = next((t for t in tasks if not t.values), None)
    directions = direction_tasks(spec, base, len(tasks), run_id) if base is not None else []
    all_keys = {t.key for t in tasks} | {t.key for t in directions}
    done_keys = store.keys() & all_keys
    todo = list({t.key: t for t in tasks if t.key not in done_keys}.values())
    run = StudyRun(pd.DataFrame(), skipped=len(done_keys), dashboard=getattr(client, "dashboard_link", None))
    total = len(all_keys) - len(done_keys)
    pending_directions = [d for d in directions if d.key not in done_keys]

    def submit(task: PointTask) -> Any:
        return client.submit(run_point, task, key=f"point-{task.key}-{run_id}", pure=False)

    def directions_from(row: dict[str, Any]) -> list[PointTask]:
        if row.get("status") != "optimal":
            return []
        optimum = float(row["objective_usd_per_yr"])
        return [
            PointTask(
                **(
                    d.__dict__
                    | {
                        "direction": NearOptimalDirection(
                            d.direction.capacity, d.direction.sense, d.direction.epsilon, optimum
                        )
                    }
                )
            )
            for d in pending_directions
        ]

    futures = {submit(t): t for t in todo}
    if pending_directions and base is not None and base.key in done_keys:
        base_row = store.read({base.key}).iloc[0].to_dict()
        futures |= {submit(t): t for t in directions_from(base_row)}
        pending_directions = []
    if pending_directions and base is not None and base.key in {t.key for t in todo}:
        pass  # submitted when the base row arrives
    elif pending_directions:
        raise ScenarioError("near-optimal alternatives need the base scenario's plan, which is not a point")
    if progress is not None:
        progress(0, total, None)
    ac = as_completed(list(futures))
    done = 0
    try:
        for fut in ac:
            task = futures[fut]
            try:
                row = fut.result()
            except Exception as err:  # a point whose task raised: reported, retried on the next run
                run.failed.append((task.point, f"{type(err).__name__}: {err}"))
                row = None
            else:
                store.write(row)
                run.solved += 1
                if base is not None and task.key == base.key and pending_directions:
                    new = {submit(t): t for t in directions_from(row)}
                    futures |= new
                    ac.update(list(new))
                    total -= len(pending_directions) - len(new)
                    pending_directions = []
            done += 1
            if progress is not None:
                progress(done, total, row)
    except KeyboardInterrupt:
        run.interrupted = True
        for fut, task in futures.items():
            if fut.status == "finished" and task.key not in store:
                store.write(fut.result())
                run.solved += 1
        client.cancel(list(futures))
        raise
    finally:
        run.rows = study_rows(tasks + directions, store)
        run.wall_s = time.perf_counter() - t0
    return run


def study_provenance(spec: StudySpec, run: StudyRun) -> Provenance:
    """What a study records of how it was made: its base scenario, hash and weather (a point that varies them
    carries its own in its row's ``summary_json``), the design of points, what this run did, package versions."""
    from greendc.weather.source import scenario_weather_provenance

    base = load_scenario(spec.scenario)
    return Provenance(
        "study",
        base.name,
        scenario_hash(base),
        scenario_weather_provenance(base),
        package_versions(STUDY_PACKAGES),
        details={
            "study": spec.name,
            "design": spec.design,
            "points": len(run.rows),
            "solved": run.solved,
            "skipped": run.skipped,
            "failed": len(run.failed),
            "interrupted": run.interrupted,
            "wall_s": round(run.wall_s, 3),
        },
    )


def study_rows(tasks: list[PointTask], store: ResultStore) -> pd.DataFrame:
    """One row per point of ``tasks`` that has a stored row, in point order. Points that resolve to the same
    scenario (a Morris point on two trajectories, an oat value equal to the base) share one stored row; each
    gets it with its own ``point``, ``varied`` and parameter values."""
    stored = store.read({t.key for t in tasks})
    if stored.empty:
        return stored
    by_key = stored.set_index("key", drop=False)
    out = []
    for t in tasks:
        if t.key in by_key.index:
            row = by_key.loc[t.key].to_dict()
            row |= {"point": t.point, "varied": t.varied, "values_json": json.dumps(dict(t.values), sort_keys=True)}
            row |= {f"p:{k}": v for k, v in t.values.items()}
            out.append(row)
    return pd.DataFrame(out).sort_values("point", ignore_index=True)


__all__ = [
    "DEFAULT_NEAR_OPTIMAL_CAPACITIES",
    "StudyRun",
    "direction_tasks",
    "local_workers",
    "plan_tasks",
    "run_study",
    "solve_options",
    "study_client",
    "study_rows",
]
