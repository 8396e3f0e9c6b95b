"""Bring your own site from an EPW file.

An EnergyPlus weather (EPW) file is the most common weather file for a site. This example plans a data center
at a site greendc does not ship, Zagora (Morocco, 30.33 N, 5.84 W, 720 m), from an EPW file: it reads the file,
shows what the file lacks and where greendc takes it from, and plans on two weeks of it.

greendc reads EPW but does not write it, and there is no internet here, so the example first writes the file
itself, in the EnergyPlus layout (8 header lines, 35 fields per hour), from one synthetic year of the nearby
Ouarzazate climatology: a stand-in for the EPW you would download (climate.onebuilding.org, PVGIS, ...).
With your own file, start at step 2.

What to check in the output: the reader finds the site in the LOCATION line; the sea temperature and the 100 m
wind, which no EPW carries, come from the scenario's climatology and greendc says so; the plan serves every hour.
"""

import shutil
import tempfile
import time
from pathlib import Path

import greendc
from greendc.scenario.io import scenario_from_dict
from greendc.weather.climatology import load_climatology

start = time.perf_counter()
SITE = {"name": "Zagora", "latitude": 30.33, "longitude": -5.84, "elevation_m": 720.0}
folder = Path(tempfile.mkdtemp(prefix="greendc-epw-"))

# 1. A stand-in EPW file: one synthetic year in the EPW layout (UTC+0, row = hour ending at hour + 1).
year = greendc.generate_weather(
    SITE["latitude"],
    SITE["longitude"],
    SITE["elevation_m"],
    load_climatology("ouarzazate"),
    years=1,
    start_year=2023,
    seed=7,
)
flags = "?9?9?9?9E0?9?9?9?9?9?9?9?9?9?9?9?9?9*9*9?9*9*9"
lines = [
    f"LOCATION,{SITE['name']},-,MAR,greendc example,000000,{SITE['latitude']},{SITE['longitude']},0.0,"
    f"{SITE['elevation_m']}",
    "DESIGN CONDITIONS,0",
    "TYPICAL/EXTREME PERIODS,0",
    "GROUND TEMPERATURES,0",
    "HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0",
    "COMMENTS 1,written by examples/own_site_epw.py",
    "COMMENTS 2,synthetic stand-in",
    "DATA PERIODS,1,1,Data,Sunday, 1/ 1,12/31",
]
for t, r in year.iterrows():
    fields = [
        t.year,
        t.month,
        t.day,
        t.hour + 1,
        60,
        flags,
        round(r.temp_air, 1),
        0.0,
        round(r.relative_humidity),
        round(r.pressure),
        1415,
        1415,
        350,
        round(r.ghi),
        round(r.dni),
        round(r.dhi),
        999999,
        999999,
        999999,
        9999,
        0,
        round(r.wind_speed, 1),
        0,
        0,
        16.0,
        77777,
        9,
        999999999,
        0,
        0.1,
        0,
        88,
        0.2,
        0.0,
        1.0,
    ]
    lines.append(",".join(str(v) for v in fields))
epw = folder / "zagora.epw"
epw.write_text("\n".join(lines) + "\n")
print(f"1. wrote {epw} ({epw.stat().st_size / 1e6:.1f} MB, {len(year)} hours)")

# 2. Read it: any format greendc knows is recognised from the content.
data, meta = greendc.read_weather(epw)
print(
    f"2. read as {meta['format']}: site {meta['latitude']:.2f} N, {meta['longitude']:.2f} E, "
    f"{meta['elevation_m']:.0f} m; columns {', '.join(data.columns)}"
)
print(
    f"   GHI {data['ghi'].sum() / 1000:.0f} kWh/m2/yr, DNI {data['dni'].sum() / 1000:.0f} kWh/m2/yr, "
    f"air {data['temp_air'].min():.1f} to {data['temp_air'].max():.1f} C, "
    f"10 m wind {data['wind_speed'].mean():.2f} m/s"
)

# 3. A scenario for the site: a copy of the shipped inland scenario with the site and the weather file changed.
base = greendc.load_scenario("ouarzazate").model_dump(mode="json")
base["name"] = "zagora"
base["site"] |= SITE
base["weather"] |= {"source": "file", "path": str(epw)}
scenario = scenario_from_dict(base)
path = greendc.save_scenario(scenario, folder / "zagora.yaml")
print(f"3. scenario {path} (site.climatology stays 'ouarzazate': it fills what the file lacks)")

# 4. The scenario's weather: the file, completed from the climatology where the EPW has no column.
weather, wmeta = greendc.scenario_weather(scenario)
print(
    f"4. weather from {wmeta['source']}: {len(weather)} hours; added: "
    f"{', '.join(c for c in weather.columns if c not in data.columns)}"
)
for note in wmeta.get("notes", []):
    print(f"   note: {note}")

# 5. Plan on two weeks of the file (a whole year: greendc plan --scenario zagora.yaml).
weeks = weather.loc["2023-03-01":"2023-03-14"]
result = greendc.solve(greendc.inputs_from_scenario(scenario, greendc.build_profiles(scenario, weeks)))
c = result.capacities
print(
    f"5. plan on {len(weeks)} h: {result.status}; PV {c['pv_mw']:.0f} MW, wind {c['wind_mw']:.0f} MW, battery "
    f"{c['battery_mw']:.0f} MW / {c['battery_mwh']:.0f} MWh, H2 store {c['h2_store_mwh']:.0f} MWh; "
    f"{result.cost_usd_per_mwh_it:.1f} USD/MWh of IT energy; unserved {result.unserved_mwh_per_yr:.1f} MWh/yr"
)
shutil.rmtree(folder)  # the example leaves nothing behind
print(f"finished in {time.perf_counter() - start:.1f} s")
