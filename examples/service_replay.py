"""The monitoring service with replay.

The chain plan → simulate → monitor without hardware: this example starts the monitoring service
(`greendc serve`) on a free port of the loopback interface with an SQLite database in a temporary folder,
streams a short simulated dispatch into it as meter readings (`greendc replay`), asks the service for the KPIs
over that period (`GET /api/v1/kpi`), and stops it.

The dispatch is one January week of the Dakhla design, planned on that week and simulated on it hour by hour
with the rule-based policy (no faults), so that it takes seconds. On a real site the meters post their own
readings (`POST /api/v1/readings`, an operator token).

What to check in the output: the service stores every reading it acknowledges; the KPIs it computes from its
database equal `greendc.kpi_report` on the same dispatch offline (one KPI code for both). The commands are run
as `python -m greendc.cli ...`, the same as `greendc ...` on the command line.
"""

import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

import greendc

start = time.perf_counter()
folder = Path(tempfile.mkdtemp(prefix="greendc-service-"))
db = f"sqlite:///{folder / 'greendc.db'}"
greendc_cli = [sys.executable, "-m", "greendc.cli"]

# 1. A short simulated dispatch: plan one January week, then operate that design on the same week.
scenario = greendc.load_scenario("dakhla")
weather, _ = greendc.scenario_weather(scenario)
profiles = greendc.build_profiles(scenario, weather.loc["2030-01-08":"2030-01-14"])
plan = greendc.solve(greendc.inputs_from_scenario(scenario, profiles))
design = greendc.design_from_summary(plan.summary(), scenario)
sim = greendc.simulate(design, scenario, profiles, faults=False, common_mode=False)
dispatch = folder / "dispatch.parquet"
sim.dispatch.to_parquet(dispatch)
print(f"1. simulated {len(sim.dispatch)} hours: {dispatch.name}")


# 2. API tokens (stored as SHA-256 digests; the secret is printed once, on stdout).
def token(role: str) -> str:
    out = subprocess.run(
        [*greendc_cli, "token", "create", "--role", role, "--db", db], check=True, capture_output=True, text=True
    )
    return out.stdout.strip().splitlines()[-1]


admin, viewer = token("admin"), token("viewer")
print("2. tokens created: admin (creates meters, writes readings), viewer (reads)")

# 3. The service on a free loopback port.
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
url = f"http://127.0.0.1:{port}"
server = subprocess.Popen(
    [
        *greendc_cli,
        "serve",
        "--db",
        db,
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--max-future-s",
        "inf",
    ],  # the simulated year lies in the future
    stdout=subprocess.DEVNULL,
    stderr=subprocess.PIPE,
    text=True,
)
try:
    for _ in range(600):  # up to 60 s for the start-up (migrations run first)
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=1.0).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if server.poll() is not None:
            raise SystemExit(f"greendc serve exited: {server.stderr.read()}")
        time.sleep(0.1)
    else:
        raise SystemExit("greendc serve did not answer within 60 s")
    print(f"3. service up at {url} (database {db}); dashboard {url}/dashboard")

    # 4. Replay the dispatch as meter readings, as fast as the service takes them.
    replay = subprocess.run(
        [
            *greendc_cli,
            "replay",
            "--simulation",
            str(dispatch),
            "--url",
            url,
            "--token",
            admin,
            "--site",
            "demo",
            "--create-meters",
            "--speed",
            "inf",
        ],
        capture_output=True,
        text=True,
    )
    if replay.returncode != 0:
        raise SystemExit(f"greendc replay failed:\n{replay.stdout}\n{replay.stderr}")
    print(f"4. replayed: {replay.stdout.strip().splitlines()[-1]}")

    # 5. KPIs from the service's database, and the same KPIs offline.
    first, end = sim.dispatch.index[0], sim.dispatch.index[-1] + (sim.dispatch.index[1] - sim.dispatch.index[0])
    answer = httpx.get(
        f"{url}/api/v1/kpi",
        params={"site": "demo", "from": first.isoformat(), "to": end.isoformat()},
        headers={"Authorization": f"Bearer {viewer}"},
        timeout=60.0,
    )
    answer.raise_for_status()
    online = answer.json()
    offline = greendc.kpi_report(sim.dispatch, allow_unknown=True).as_dict()
    print("5. KPI                      service     offline")
    for key in ("pue", "ref", "cfe_share", "served_facility_fraction", "wue_l_per_kwh"):
        print(f"   {key:24s} {online[key]:9.4f}   {offline[key]:9.4f}")
finally:
    server.terminate()  # the server this script started, by its process
    server.wait(timeout=30)
    shutil.rmtree(folder, ignore_errors=True)
print(f"6. service stopped; finished in {time.perf_counter() - start:.1f} s")
