"""Studies on a real dask LocalCluster of processes: answers checked by hand, a worker killed mid-study, an
interrupted study resumed, an infeasible point, near-optimal directions, and a real scheduler with two
``dask worker`` processes on loopback.

The scenario is the Dakhla default on a 4-day weather file (each plan takes seconds).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import yaml

from greendc.assets.profiles import build_profiles
from greendc.costs import cost_sets
from greendc.errors import ScenarioError
from greendc.plan.from_scenario import inputs_from_scenario
from greendc.plan.solve import solve
from greendc.scenario.io import load_scenario
from greendc.study.run import local_workers, plan_tasks, run_study, solve_options
from greendc.study.spec import load_study, study_from_dict
from greendc.study.store import ResultStore
from greendc.weather.source import scenario_weather

COST_ROWS = sorted(cost_sets()["market-2024"])


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
        Client(cluster) as c,
    ):
        yield c


def spec_of(scenario_file: Path, **fields):
    return study_from_dict({"name": "t", "scenario": str(scenario_file), **fields})


def test_every_cost_scaled_by_k_scales_the_cost_by_k_and_keeps_the_design(scenario_file, client, tmp_path):
    # Scaling every cost row's investment by k (no row has a variable cost) multiplies the objective by k;
    # the LP's cost scale (one over the largest unit cost) makes the scaled LPs identical, so the design is
    # the same. Point k = 1 is the plain plan of the scenario, solved here outside the study.
    points = [{f"costs.capex_factors.{r}": k for r in COST_ROWS} for k in (0.5, 1.0, 2.0)]
    spec = spec_of(
        scenario_file,
        design="list",
        parameters=[{"path": f"costs.capex_factors.{r}"} for r in COST_ROWS],
        points=points,
    )
    ticks = []
    run = run_study(spec, tmp_path, client, progress=lambda d, t, row: ticks.append((d, t)))
    rows = run.rows.set_index("point")
    assert run.solved == 3 and run.skipped == 0 and not run.failed
    assert ticks[0] == (0, 3) and ticks[-1] == (3, 3)
    assert list(rows["status"]) == ["optimal"] * 3
    sc = load_scenario(scenario_file)
    weather, _ = scenario_weather(sc)
    direct = solve(inputs_from_scenario(sc, build_profiles(sc, weather)), solve_options(spec))
    assert rows.loc[1, "objective_usd_per_yr"] == pytest.approx(direct.objective_usd_per_yr, rel=1e-9)
    for k, point in ((0.5, 0), (2.0, 2)):
        assert rows.loc[point, "objective_usd_per_yr"] == pytest.approx(k * direct.objective_usd_per_yr, rel=1e-6)
        for cap, value in direct.capacities.items():
            assert rows.loc[point, cap] == pytest.approx(value, rel=1e-6, abs=1e-6)
    assert json.loads(rows.loc[2, "values_json"])["costs.capex_factors.pv_single_axis"] == 2.0


def test_infeasible_point_is_stored_with_its_diagnosis_and_the_study_goes_on(scenario_file, client, tmp_path):
    spec = spec_of(scenario_file, design="oat", parameters=[{"path": "rules.land_limit_km2", "values": [0.001]}])
    run = run_study(spec, tmp_path, client)
    rows = run.rows.set_index("point")
    assert rows.loc[0, "status"] == "optimal"
    assert rows.loc[1, "status"] == "infeasible"
    assert "land" in rows.loc[1, "diagnosis"].lower()
    assert np.isnan(rows.loc[1, "objective_usd_per_yr"])
    # stored, so a second run solves nothing
    again = run_study(spec, tmp_path, client)
    assert again.solved == 0 and again.skipped == 2


def test_an_interrupted_study_resumes_without_solving_a_point_twice(scenario_file, client, tmp_path):
    spec = spec_of(
        scenario_file,
        design="grid",
        parameters=[
            {"path": "finance.discount_rate", "values": [0.04, 0.06, 0.08]},
            {"path": "costs.capex_factors.battery_energy", "values": [0.7, 1.0]},
        ],
    )

    def ctrl_c_after_two(done, total, row):
        if done >= 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_study(spec, tmp_path, client, progress=ctrl_c_after_two)
    store = ResultStore(tmp_path / "points")
    first = store.read()
    assert 2 <= len(first) <= 6 and first["key"].is_unique
    stamps = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "points").glob("*.parquet")}
    run = run_study(spec, tmp_path, client)
    assert run.skipped == len(first) and run.solved == 6 - len(first)
    assert len(run.rows) == 6 and run.rows["key"].is_unique and sorted(run.rows["point"]) == list(range(6))
    # rows of the first run untouched, the rest written by the second
    assert all((tmp_path / "points" / n).stat().st_mtime_ns == t for n, t in stamps.items())
    assert run.rows["run_id"].nunique() == 2


def test_a_worker_killed_mid_study_loses_and_duplicates_nothing(scenario_file, client, tmp_path):
    spec = spec_of(
        scenario_file,
        design="grid",
        parameters=[
            {"path": "finance.discount_rate", "values": [0.03, 0.05, 0.07, 0.09]},
            {"path": "costs.capex_factors.wind_onshore", "values": [0.8, 1.2]},
        ],
    )
    pids = client.run(os.getpid)
    killed = []

    def kill_one_busy_worker(done, total, row):
        if done == 1 and not killed:
            busy = [addr for addr, tasks in client.processing().items() if tasks]
            victim = pids[busy[0]] if busy else next(iter(pids.values()))
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    run = run_study(spec, tmp_path, client, progress=kill_one_busy_worker)
    assert killed
    assert not run.failed and run.solved == 8
    files = sorted((tmp_path / "points").glob("*.parquet"))
    assert len(files) == 8 and sorted(run.rows["point"]) == list(range(8)) and run.rows["key"].is_unique
    assert set(run.rows["status"]) == {"optimal"}
    client.wait_for_workers(2, timeout=60)  # the nanny restarted the killed worker


def test_near_optimal_directions_stay_within_epsilon_and_bracket_the_optimum(scenario_file, client, tmp_path):
    eps = 0.05
    spec = spec_of(
        scenario_file,
        design="list",
        parameters=[{"path": "finance.discount_rate"}],
        points=[{"finance.discount_rate": 0.08}],
        near_optimal={"epsilon": eps, "capacities": ["pv_mw", "wind_mw"]},
    )
    run = run_study(spec, tmp_path, client)
    rows = run.rows
    assert len(rows) == 1 + 1 + 4  # the point, the base scenario (added for the directions), 2 x (min, max)
    base = rows[(rows["values_json"] == "{}") & rows["near_optimal_capacity"].isna()].iloc[0]
    alt = rows[rows["near_optimal_capacity"].notna()]
    assert (alt["status"] == "optimal").all()
    assert (alt["objective_usd_per_yr"] <= (1 + eps) * base["objective_usd_per_yr"] * (1 + 1e-6)).all()
    for cap in ("pv_mw", "wind_mw"):
        lo = alt[(alt["near_optimal_capacity"] == cap) & (alt["near_optimal_sense"] == "min")].iloc[0][cap]
        hi = alt[(alt["near_optimal_capacity"] == cap) & (alt["near_optimal_sense"] == "max")].iloc[0][cap]
        assert lo <= base[cap] + 1e-6 <= hi + 2e-6


def test_bad_paths_and_values_fail_before_anything_runs(scenario_file):
    with pytest.raises(ScenarioError, match=r"finance\.discount: unknown key"):
        plan_tasks(spec_of(scenario_file, design="oat", parameters=[{"path": "finance.discount", "values": [1]}]))
    with pytest.raises(ScenarioError, match=r"discount_rate: Input should be less than or equal to 0\.3"):
        plan_tasks(
            spec_of(scenario_file, design="oat", parameters=[{"path": "finance.discount_rate", "values": [0.5]}])
        )
    with pytest.raises(ScenarioError, match="design 'lhs' needs low and high"):
        spec_of(scenario_file, design="lhs", parameters=[{"path": "finance.discount_rate", "values": [0.1]}])


def test_local_workers_follow_cores_and_memory():
    assert local_workers(4.0, cores=2, memory_gb=24.0) == 2
    assert local_workers(4.0, cores=16, memory_gb=24.0) == 5  # floor(0.9 x 24 / 4)
    assert local_workers(64.0, cores=8, memory_gb=24.0) == 1


def test_a_real_scheduler_and_two_dask_workers_give_the_local_results(scenario_file, client, tmp_path):
    study = tmp_path / "study.yaml"
    study.write_text(
        yaml.safe_dump(
            {
                "name": "remote",
                "scenario": str(scenario_file),
                "design": "oat",
                "parameters": [{"path": "finance.discount_rate", "values": [0.05, 0.09]}],
            }
        )
    )
    local = run_study(load_study(study), tmp_path / "local", client).rows
    sched_file = tmp_path / "scheduler.json"
    dask = str(Path(sys.executable).with_name("dask"))  # the `dask` command of this environment
    procs = [
        subprocess.Popen(
            [
                dask,
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--dashboard-address",
                ":0",
                "--scheduler-file",
                str(sched_file),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    try:
        deadline = time.monotonic() + 60
        while not sched_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(sched_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        procs += [
            subprocess.Popen(
                [dask, "worker", address, "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(2)
        ]
        from distributed import Client

        with Client(address) as c:
            c.wait_for_workers(2, timeout=60)
        out = tmp_path / "remote"
        result = subprocess.run(
            [sys.executable, "-m", "greendc.cli", "study", str(study), "--scheduler", address, "--out", str(out)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "3 points solved" in result.stdout
        remote = ResultStore(out / "points").read()
        assert set(remote["worker"]) != set(local["worker"])  # solved elsewhere
        assert list(remote["key"]) == list(local["key"])
        np.testing.assert_allclose(remote["objective_usd_per_yr"], local["objective_usd_per_yr"], rtol=1e-9)
        assert (out / "study.html").exists() and (out / "study.parquet").exists()
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=30)


def test_every_study_column_is_documented(scenario_file, client, tmp_path):
    from tests.test_nomenclature import documented_names, matches

    grid = {"rules.on_site_only": False, "rules.grid.price_usd_per_mwh": 80.0, "rules.grid.cfe_target": 0.9}
    spec = spec_of(
        scenario_file,
        design="list",
        verify_years=10,
        parameters=[{"path": p} for p in grid],
        points=[grid],
        near_optimal={"epsilon": 0.1, "capacities": ["wind_mw"]},
    )
    rows = run_study(spec, tmp_path, client).rows
    names = documented_names("Study rows") | documented_names("Plan summary")
    assert "cfe_score" not in rows or rows["cfe_score"].notna().any()
    assert "p:<path>" in names  # a parameter column is p: and the scenario path, dots included
    assert [c for c in rows.columns if not c.startswith("p:") and not matches(c, names)] == []
