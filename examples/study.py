"""A study.

A study plans many variants of one scenario in parallel and gathers them in one table and one report. This
example runs a three-point study: the Dakhla default and the same scenario with batteries 50 % cheaper and 50 %
dearer (a one-at-a-time design over `costs.capex_factors.battery_energy`), on four days of weather so that each
point is solved in seconds. It writes the study file, runs `greendc study` (points run on a local
dask.distributed cluster; a rerun solves nothing twice) and prints the table it writes.

The shipped studies (`greendc study dakhla-sensitivity`, `dakhla-frontier`, `dakhla-cfe`, `dakhla-morris`,
`dakhla-alternatives`) run on whole years and check each design on unseen years (`verify_years`); this one
sets `verify_years: 0`, because a design sized on four days says nothing about unseen years.

What to check in the output: three points, all optimal; the cheaper the battery, the cheaper the plan and the
more battery energy it builds.
"""

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import yaml

import greendc
from greendc.scenario.io import scenario_from_dict

start = time.perf_counter()
folder = Path(tempfile.mkdtemp(prefix="greendc-study-"))

# A short weather file (four January days of the design year) and a scenario that plans on it.
base = greendc.load_scenario("dakhla")
weather, _ = greendc.scenario_weather(base)
weather_file = greendc.write_csv(weather.loc["2030-01-08":"2030-01-11"], folder / "four_days.csv")
data = base.model_dump(mode="json")
data["weather"] |= {"source": "file", "path": str(weather_file), "allow_partial_year": True}
scenario_file = greendc.save_scenario(scenario_from_dict(data), folder / "dakhla_4days.yaml")

study = {
    "name": "battery-price",
    "description": "What does the battery price do to the plan?",
    "scenario": str(scenario_file),
    "design": "oat",
    "parameters": [
        {"path": "costs.capex_factors.battery_energy", "label": "battery energy capex x", "values": [0.5, 1.5]}
    ],
    "verify_years": 0,
}
study_file = folder / "battery_price.yaml"
study_file.write_text(yaml.safe_dump(study, sort_keys=False))
print(f"study file {study_file.name}:\n{study_file.read_text()}")

out = folder / "study"
run = subprocess.run(
    [sys.executable, "-m", "greendc.cli", "study", str(study_file), "--out", str(out), "--workers", "1"],
    capture_output=True,
    text=True,
)
if run.returncode != 0:
    raise SystemExit(f"greendc study failed:\n{run.stdout}\n{run.stderr}")
print(f"greendc study wrote: {', '.join(sorted(p.name for p in out.iterdir() if p.is_file()))}")

rows = pd.read_parquet(out / "study.parquet")
label = [c for c in rows.columns if "battery_energy" in c]
print("\npoint  battery capex x  status    cost [USD/MWh IT]  battery [MWh]  PV [MW]  wind [MW]")
for _, r in rows.iterrows():
    factor = r[label[0]] if label and pd.notna(r[label[0]]) else 1.0
    print(
        f"{int(r['point']):>5}  {factor:>15.1f}  {r['status']:8s}  {r['cost_usd_per_mwh_it']:>17.1f}  "
        f"{r['battery_mwh']:>13.0f}  {r['pv_mw']:>7.0f}  {r['wind_mw']:>9.0f}"
    )
shutil.rmtree(folder, ignore_errors=True)
print(f"finished in {time.perf_counter() - start:.1f} s")
