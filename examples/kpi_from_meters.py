"""KPIs from meter data.

The KPIs of a running data center come from its meters, not from a model. This example writes two days of
15-minute meter readings of an islanded PV + battery site by hand (simple enough to check every figure with a
pocket calculator), reads them back as greendc telemetry and computes the standard KPIs with
`greendc.kpi_report`: the same code that evaluates plans, simulations and the monitoring service.

The site: IT draws 400 MW by night and 420 MW by day; the facility meter reads IT x 1.12 + 2 MW (cooling, power
chain, offices); PV could deliver 1,600 MW at noon on a sine from 06:00 to 18:00 UTC; the battery takes what PV
has in excess and gives it back at night, with no grid. The cooling evaporates nothing; the offices draw 20 m3
of fresh water per 15 minutes.

What to check in the output: PUE = facility energy / IT energy, computed by hand beside the report; the
renewable energy factor (REF) and the 24/7 carbon-free share are 1 on an island that never imports; WUE = water
/ IT energy. The command-line equivalent is `greendc kpi --telemetry meters.csv --out kpi.json`.
"""

import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import greendc

start = time.perf_counter()
index = pd.date_range("2030-06-01", periods=2 * 96, freq="15min", tz="UTC")
hour = index.hour + index.minute / 60
day = (hour >= 6) & (hour < 18)
it = np.where(day, 420.0, 400.0)  # [MW]
facility = 1.12 * it + 2.0  # [MW]
pv_available = np.where(day, 1600.0 * np.sin(np.pi * (hour - 6) / 12), 0.0)  # [MW]
# the battery evens out the day: charge the PV surplus, discharge the deficit (no losses, to keep it checkable)
battery_charge = np.clip(pv_available - facility, 0.0, None)
battery_discharge = np.clip(facility - pv_available, 0.0, None)
# energy check: over a day, what is charged must cover what is discharged, or the night goes dark
surplus_mwh = battery_charge.sum() * 0.25 / 2
deficit_mwh = battery_discharge.sum() * 0.25 / 2
curtailed = np.zeros_like(it)
if surplus_mwh > deficit_mwh:  # throw away what the night does not need, at the midday peak
    excess = surplus_mwh - deficit_mwh
    scale = 1.0 - excess / surplus_mwh
    curtailed = battery_charge * (1.0 - scale)
    battery_charge = battery_charge * scale
meters = pd.DataFrame(
    {
        "it_mw": it,
        "facility_mw": facility,
        "pv_mw": pv_available - curtailed,  # PV delivered to the site (curtailed output excluded)
        "curtailed_mw": curtailed,
        "battery_charge_mw": battery_charge,
        "battery_discharge_mw": battery_discharge,
        "water_m3": np.full(len(it), 20.0),  # per 15-minute period [m3]
    },
    index=index,
)
meters.index.name = "timestamp"

with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "meters.csv"
    meters.to_csv(path)
    print(
        f"wrote {len(meters)} readings of {len(meters.columns)} meters to meters.csv "
        f"(PV surplus {surplus_mwh:.0f} MWh/day, night deficit {deficit_mwh:.0f} MWh/day)"
    )
    telemetry = greendc.read_telemetry(path)

report = greendc.kpi_report(telemetry)
pue_by_hand = facility.sum() / it.sum()
wue_by_hand = 20.0 * len(it) * 1000 / (it.sum() * 0.25 * 1000)  # litres per kWh of IT energy
print(
    f"IT energy {it.sum() * 0.25:.0f} MWh, facility energy {facility.sum() * 0.25:.0f} MWh over {len(it) * 0.25:.0f} h"
)
print(f"PUE by hand {pue_by_hand:.4f}; WUE by hand {wue_by_hand:.4f} L/kWh")


print("kpi_report:")
for key, value, unit in (
    ("pue", report.pue, "-"),
    ("ref", report.ref, "-"),
    ("cfe_share", report.cfe_share, "-"),
    ("served_facility_fraction", report.served_facility_fraction, "-"),
    ("wue_l_per_kwh", report.wue_l_per_kwh, "L/kWh"),
    ("renewable_on_site_mwh", report.renewable_on_site_mwh, "MWh"),
    ("unserved_facility_mwh", report.energies["unserved_facility_mwh"], "MWh"),
):
    print(f"  {key:26s} {value:12.4f} {unit}")
print(f"finished in {time.perf_counter() - start:.1f} s")
