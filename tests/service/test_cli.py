"""The service's commands: `token create|revoke`, `serve` (a real server from the command) and `replay`
(a simulation streamed in, whose KPIs the service then gives as ``greendc kpi`` gives them offline)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time

import httpx
import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from greendc.cli.serve import replay, serve, token_app
from greendc.kpi import KpiOptions, kpi_report
from greendc.service.db import make_engine
from greendc.service.tokens import create_token
from tests.service.support import client, free_port

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    app.add_typer(token_app, name="token")
    app.command("serve")(serve)
    app.command("replay")(replay)
    return app


def _simulation(folder, hours: int = 48):  # type: ignore[no-untyped-def]
    """A small dispatch.parquet in the simulator's layout (docs/nomenclature.md), balanced every hour:
    pv + wind + discharge − charge = facility; 300 MW of IT in two classes, facility = 1.15 × IT."""
    idx = pd.date_range("2030-06-01", periods=hours, freq="h", tz="UTC")
    hour = idx.hour.to_numpy()
    pv_avail = np.clip(900 * np.sin(np.pi * (hour - 6) / 12), 0, None)
    it_inference = np.full(hours, 150.0)
    it_training = np.where(pv_avail > 0, 150.0, 100.0)
    it = it_inference + it_training
    facility = 1.15 * it
    wind = np.full(hours, 100.0)
    need = facility - wind
    pv = np.minimum(pv_avail, need + 200.0)  # up to 200 MW more than the load charges the battery
    charge = np.clip(pv - need, 0, None)
    discharge = np.clip(need - pv, 0, None)
    frame = pd.DataFrame(
        {
            "pv_mw": pv,
            "wind_mw": wind,
            "curtailed_mw": pv_avail - pv,
            "battery_charge_mw": charge,
            "battery_discharge_mw": discharge,
            "battery_soc_mwh": 2000.0 + np.cumsum(charge - discharge) * 0.5,
            "it_mw": it,
            "it_inference_mw": it_inference,
            "it_training_mw": it_training,
            "requested_inference_mw": it_inference,
            "requested_training_mw": np.full(hours, 150.0),
            "facility_mw": facility,
            "unserved_mw": np.zeros(hours),
            "water_m3": 0.2 * it,
            "reserve_mw": np.full(hours, 400.0),
            "backlog_training_mwh": np.zeros(hours),
            "pv_available_fraction": np.ones(hours),
        },
        index=idx,
    )
    folder.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(folder / "dispatch.parquet")
    design = {"pv_mw": 1000.0, "wind_mw": 150.0, "battery_mw": 400.0, "battery_mwh": 8000.0}
    (folder / "summary.json").write_text(json.dumps({"summary": {}, "design": design}))
    return frame


def test_token_create_and_revoke(database, server):
    app = _app()
    made = runner.invoke(app, ["token", "create", "--role", "operator", "--name", "cli", "--db", database.url])
    assert made.exit_code == 0, made.output
    token = made.stdout.strip().splitlines()[-1]
    assert token.startswith("gdc_") and len(token) == 4 + 43
    with client(server, token) as c:
        assert c.get("/api/v1/meters").status_code == 200
        with client(server, database.tokens["admin"]) as admin:
            tokens = admin.get("/api/v1/tokens").json()
        token_id = next(t["id"] for t in tokens if t["name"] == "cli")
        revoked = runner.invoke(app, ["token", "revoke", str(token_id), "--db", database.url])
        assert revoked.exit_code == 0 and "revoked" in revoked.stdout
        assert c.get("/api/v1/meters").status_code == 401
    bad = runner.invoke(app, ["token", "create", "--role", "root", "--db", database.url])
    assert bad.exit_code == 2 and "role 'root' is not one of viewer, gateway, operator, admin" in bad.output
    gateway = ["token", "create", "--role", "gateway", "--site", "cli-site", "--expires-in-days", "1"]
    made = runner.invoke(app, [*gateway, "--db", database.url])
    assert made.exit_code == 0 and "gateway, expires" in made.output, made.output
    scoped = runner.invoke(app, ["token", "create", "--role", "viewer", "--site", "cli-site", "--db", database.url])
    assert scoped.exit_code == 2 and "gateway tokens only" in scoped.output
    missing = runner.invoke(app, ["token", "revoke", "99999", "--db", database.url])
    assert missing.exit_code == 2 and "does not exist" in missing.output


def test_replay_gives_the_kpis_of_the_offline_code(database, server, tmp_path):
    frame = _simulation(tmp_path / "sim")
    args = ["replay", "--simulation", str(tmp_path / "sim"), "--url", server.url, "--speed", "inf", "--site", "sim"]
    # an operator token cannot create meters: a clear error
    refused = runner.invoke(_app(), [*args, "--token", database.tokens["operator"], "--create-meters"])
    assert refused.exit_code == 2 and "HTTP 403" in refused.output
    done = runner.invoke(_app(), [*args, "--token", database.tokens["admin"], "--create-meters", "--batch", "200"])
    assert done.exit_code == 0, done.output
    n = frame.size  # 17 columns × 48 steps
    assert f"{n} readings" in done.stdout and f"{n} stored" in done.stdout
    assert "48/48 steps" in done.stderr and f"{n} readings sent" in done.stderr  # the progress bar
    # a second replay (a retry of everything, from the Parquet file itself) stores nothing twice
    again = runner.invoke(
        _app(),
        [*args[:2], str(tmp_path / "sim" / "dispatch.parquet"), *args[3:], "--token", database.tokens["operator"]],
    )
    assert again.exit_code == 0 and f"{n} already there" in again.stdout
    with client(server, database.tokens["viewer"]) as c:
        got = c.get("/api/v1/kpi", params={"site": "sim"}).json()
        meters = {m["name"]: m for m in c.get("/api/v1/meters", params={"site": "sim"}).json()}
    offline = kpi_report(pd.read_parquet(tmp_path / "sim" / "dispatch.parquet"), KpiOptions(), source="site sim")
    for key, value in offline.as_dict().items():
        assert got[key] == (pytest.approx(value) if isinstance(value, float) else value), key
    # hand check: facility = 1.15 × IT every hour
    assert got["pue"] == pytest.approx(1.15)
    # meter ranges come from the design capacities where there is one (summary.json), else from the data
    assert meters["sim.pv_mw"]["max_value"] == pytest.approx(1000.0, rel=1e-6)
    assert meters["sim.battery_soc_mwh"]["max_value"] == pytest.approx(8000.0, rel=1e-6)
    assert meters["sim.facility_mw"]["max_value"] == pytest.approx(1.5 * frame["facility_mw"].max())


def test_the_whole_chain_simulator_to_service(database, server, tmp_path):
    """``greendc.operate.simulate`` → ``dispatch.parquet`` → replay → KPIs from the service, equal to
    ``kpi_report`` of the parquet. Toy case (as in tests/operate): PV 100 MW at 0.5 per unit 08:00-16:00,
    16 MW of firm IT at PUE 1.25, battery 20 MW / 80 MWh, two days."""
    from greendc.operate import Design, simulate
    from greendc.scenario.models import DataCenter, Electrical, Scenario, WorkloadClass

    dc = DataCenter(
        it_capacity_mw=20.0,
        workload_classes=[WorkloadClass(name="web", share=1.0, utilisation=0.8)],
        electrical=Electrical(auxiliary_mw=0.0),
    )
    idx = pd.date_range("2030-06-01", periods=48, freq="h", tz="UTC", name="timestamp")
    profiles = pd.DataFrame(
        {
            "pv_cf": np.where((idx.hour >= 8) & (idx.hour < 16), 0.5, 0.0),
            "wind_cf": 0.0,
            "pue": 1.25,
            "water_m3_per_mwh_it": 0.2,
            "desalination_mwh_per_mwh_it": 0.0,
            "it_web_mw": 16.0,
        },
        index=idx,
    )
    design = Design(pv_mw=100.0, battery_mw=20.0, battery_mwh=80.0)
    result = simulate(design, Scenario(datacenter=dc), profiles, faults=False, initial_soc_fraction=0.5)
    result.to_parquet(tmp_path / "dispatch.parquet")
    result.to_json(tmp_path / "summary.json")
    args = ["replay", "--simulation", str(tmp_path), "--url", server.url, "--speed", "inf", "--site", "toy"]
    done = runner.invoke(_app(), [*args, "--token", database.tokens["admin"], "--create-meters"])
    assert done.exit_code == 0, done.output
    with client(server, database.tokens["viewer"]) as c:
        got = c.get("/api/v1/kpi", params={"site": "toy"}).json()
    offline = kpi_report(pd.read_parquet(tmp_path / "dispatch.parquet"), KpiOptions(), source="site toy")
    for key, value in offline.as_dict().items():
        assert got[key] == (pytest.approx(value) if isinstance(value, float) else value), key
    # served IT is 16 MW whenever served, at PUE 1.25: PUE = 1.25 (auxiliaries 0)
    assert got["pue"] == pytest.approx(1.25)


def test_replay_refuses_a_missing_simulation(tmp_path):
    out = runner.invoke(_app(), ["replay", "--simulation", str(tmp_path), "--token", "x", "--speed", "inf"])
    assert out.exit_code == 2 and "dispatch.parquet not found" in out.output


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_command_runs_a_server(tmp_path, workers):
    port = free_port()
    code = "import typer; from greendc.cli.serve import serve; app = typer.Typer(); app.command()(serve); app()"
    db = f"sqlite:///{tmp_path / 'served.db'}"
    cmd = [sys.executable, "-c", code, "--db", db, "--port", str(port), "--log-level", "warning"]
    cmd += ["--workers", str(workers), "--max-future-s", "60"]
    with open(tmp_path / "serve.log", "wb") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline, health = time.monotonic() + 60, None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1.0).json()
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert health == {"status": "ok", "database": "sqlite", "schema_revision": "0005"}, (
            tmp_path / "serve.log"
        ).read_text()
        assert (tmp_path / "served.db").is_file()
        # the settings of the command line reach every worker: a reading 1 h ahead of the clock is refused
        admin = create_token(make_engine(db), "admin")[1]
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {admin}"}) as c:
            assert c.post("/api/v1/sites", json={"name": "w"}).status_code == 201
            body = {"name": "w-it", "site": "w", "column": "it_mw", "max_value": 10}
            assert c.post("/api/v1/meters", json=body).status_code == 201
            ahead = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()
            for _ in range(2 * workers):  # reach each worker
                r = c.post("/api/v1/readings", json={"readings": [{"meter": "w-it", "ts": ahead, "value": 1.0}]})
                assert r.status_code == 422 and "ahead of the server clock" in r.json()["detail"], r.text
    finally:
        proc.terminate()
        proc.wait(timeout=10)
