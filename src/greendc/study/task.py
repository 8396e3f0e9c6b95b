"""One study point, as a dask task: plan the point's scenario (optionally a near-optimal direction), check the
design out of sample, and return one flat row for the store.

A point whose rules cannot be met is a result, not a failure: its row has ``status = "infeasible"`` and the
diagnosis of :func:`greendc.plan.diagnose.diagnose_infeasibility`, and the study goes on.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import time
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from greendc.constants import HOURS_PER_YEAR
from greendc.errors import GreendcError, InfeasibleDesignError
from greendc.plan.solve import SolveOptions
from greendc.provenance import WeatherProvenance
from greendc.scenario.models import Scenario

#: Statuses a stored row can have.
STATUSES = ("optimal", "infeasible", "error")


@dataclass(frozen=True)
class NearOptimalDirection:
    """Minimise or maximise one capacity within ``epsilon`` of ``optimum_usd_per_yr`` [USD/yr]."""

    capacity: str
    sense: str
    epsilon: float
    optimum_usd_per_yr: float | None = None


@dataclass(frozen=True)
class PointTask:
    """Everything a worker needs for one point (picklable; the key is computed by the client)."""

    key: str
    study: str
    point: int
    values: Mapping[str, Any]
    scenario: Scenario
    options: SolveOptions
    verify_years: int = 0
    varied: str | None = None
    direction: NearOptimalDirection | None = None
    run_id: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)


@contextmanager
def _verification_client():
    """The cluster this task runs on, for the out-of-sample chains (:func:`distributed.worker_client`
    secedes from the worker's thread, so the chains run beside it); outside a worker, None."""
    try:
        from distributed import get_worker, worker_client

        get_worker()
    except (ImportError, ValueError):
        yield None
        return
    with worker_client() as client:
        yield client


def _design(task: PointTask, weather_profiles: Any, weather: WeatherProvenance) -> tuple[Any, Any]:
    """The plan of the point (``weather`` recorded in its provenance) and its out-of-sample verification (None
    when not asked for)."""
    from greendc.availability.sizing import design_for_availability
    from greendc.availability.verify import verify
    from greendc.operate.design import design_from_summary
    from greendc.plan.certify import plan_many_years
    from greendc.plan.from_scenario import inputs_from_scenario
    from greendc.plan.near_optimal import near_optimal_design

    sc = task.scenario
    if sc.rules.availability is not None and task.direction is None:
        with _verification_client() as client:
            sized = design_for_availability(
                sc, weather_profiles, client=client, solve_options=task.options, weather=weather
            )
        return sized.chosen.plan, sized.chosen.verification
    inputs = inputs_from_scenario(sc, weather_profiles, weather=weather)
    d = task.direction
    if d is not None:
        result = near_optimal_design(inputs, float(d.optimum_usd_per_yr), d.epsilon, d.capacity, d.sense, task.options)
    else:
        result, _ = plan_many_years(inputs, task.options)
    if task.verify_years <= 0:
        return result, None
    with _verification_client() as client:
        check = verify(design_from_summary(result.summary(), sc), sc, years=task.verify_years, client=client)
    return result, check


def _scalars(mapping: Mapping[str, Any], prefix: str = "") -> dict[str, float]:
    return {prefix + k: float(v) for k, v in mapping.items() if isinstance(v, int | float) and not isinstance(v, bool)}


def oos_figures(table: Mapping[str, Any]) -> dict[str, Any]:
    """The out-of-sample figures a study row keeps [h/yr, MWh/yr, -], from a verification table
    (:func:`~greendc.availability.verify.verification_table`, or the ``out_of_sample`` of a plan's
    ``summary.json``)."""
    hours = table["firm_hours_per_yr"]
    out = {
        "oos_years": int(table["years"]),
        "oos_firm_hours_per_yr_mean": hours["mean"],
        "oos_firm_hours_per_yr_p95": hours["p95"],
        "oos_firm_hours_per_yr_worst": hours["worst"],
        "oos_availability": 1.0 - hours["mean"] / HOURS_PER_YEAR,
        "oos_eens_mwh_per_yr": table["eens_mwh_per_yr"],
        "oos_share_of_years_with_loss": table["share_of_years_with_loss"],
    }
    if "passed" in table:
        out["oos_passed"] = bool(table["passed"])
    return out


def run_point(task: PointTask) -> dict[str, Any]:
    """Solve one point and return its row (see the module docstring).

    Returns
    -------
    dict
        ``key``, ``study``, ``point``, ``status``, ``diagnosis``; the parameters as ``p:<path>`` columns and
        ``values_json``; the design's capacities and the plan summary's scalars (``objective_usd_per_yr``,
        ``cost_usd_per_mwh_it``, ``land_km2``, ``water_m3_per_yr`` …; with a grid ``cfe_score``, the hourly 24/7
        score of :func:`greendc.kpi.cfe.cfe_share`); with verification the ``oos_*``
        figures of :func:`oos_figures`; for a near-optimal direction ``near_optimal_capacity``,
        ``near_optimal_sense`` and ``epsilon``; ``summary_json``, ``scenario_json``, ``greendc_version``,
        ``run_id``, ``worker``, ``wall_s`` and ``finished_at`` (UTC, ISO 8601).
    """
    import greendc
    from greendc.assets.profiles import build_profiles
    from greendc.weather.source import scenario_weather

    t0 = time.perf_counter()
    row: dict[str, Any] = {
        "key": task.key,
        "study": task.study,
        "point": task.point,
        "varied": task.varied,
        "values_json": json.dumps(dict(task.values), sort_keys=True),
    }
    row |= {f"p:{k}": v for k, v in task.values.items()}
    if task.direction is not None:
        row |= {
            "near_optimal_capacity": task.direction.capacity,
            "near_optimal_sense": task.direction.sense,
            "epsilon": task.direction.epsilon,
        }
    row |= dict(task.extra)
    try:
        weather, meta = scenario_weather(task.scenario)
        profiles = build_profiles(task.scenario, weather)
        result, check = _design(task, profiles, WeatherProvenance.from_metadata(meta))
        summary = result.summary()
        row |= {"status": "optimal", "diagnosis": ""} | _scalars(summary)
        row["summary_json"] = json.dumps(summary, default=str)
        if not task.scenario.rules.on_site_only:  # hourly, storage-tracked 24/7 CFE score of the plan
            from greendc.kpi.cfe import cfe_share

            row["cfe_score"] = cfe_share(result.dispatch, task.scenario.rules.grid.cfe_share)
        if check is not None:
            row |= oos_figures(check.table)
    except InfeasibleDesignError as err:  # the plan's own diagnosis (greendc.plan.diagnose)
        row |= {"status": "infeasible", "diagnosis": str(err)}
    except GreendcError as err:
        row |= {"status": "error", "diagnosis": str(err)}
    row |= {
        "scenario_json": task.scenario.model_dump_json(),
        "greendc_version": greendc.__version__,
        "run_id": task.run_id,
        "worker": f"{socket.gethostname()}:{os.getpid()}",
        "wall_s": time.perf_counter() - t0,
        "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    return row


__all__ = ["STATUSES", "NearOptimalDirection", "PointTask", "oos_figures", "run_point"]
