"""Plan Dakhla.

The least-cost PV, wind, battery and hydrogen plant for the default 500 MW (IT) data center at Dakhla, from
Python, stage by stage: scenario, synthetic weather, hourly profiles, linear program. To run in seconds it
plans on one week of January and one week of July of the synthetic design year instead of the whole year;
`greendc plan --out plan` plans the whole year and checks the design on 200 unseen years (about a minute).

What to check in the output: each week is served in every hour (perfect foresight, design weather); the
dispatch's energy balance closes to round-off; the two weeks ask for different plants (the winter week
needs more wind and storage), which is why a real plan needs whole years, and then unseen years.
"""

import time

import greendc

start = time.perf_counter()
scenario = greendc.load_scenario("dakhla")  # the shipped default (src/greendc/data/scenarios/dakhla.yaml)
weather, meta = greendc.scenario_weather(scenario)  # one synthetic year, seeded: same seed, same weather
print(
    f"weather: {meta['source']}, {len(weather)} hours from {weather.index[0]:%Y-%m-%d}, "
    f"GHI {weather['ghi'].sum() / 1000:.0f} kWh/m2/yr, 10 m wind {weather['wind_speed'].mean():.2f} m/s"
)

for label, first, last in (("January week", "2030-01-08", "2030-01-14"), ("July week", "2030-07-08", "2030-07-14")):
    week = weather.loc[first:last]
    profiles = greendc.build_profiles(scenario, week)  # pv_cf, wind_cf, pue, IT load per class ...
    result = greendc.solve(greendc.inputs_from_scenario(scenario, profiles))
    d = result.dispatch
    supply = (
        d["pv_mw"]
        + d["wind_mw"]
        + d["battery_discharge_mw"]
        + d["fuel_cell_mw"]
        + d["grid_import_mw"]
        - d["battery_charge_mw"]
        - d["electrolyser_mw"]
    )
    imbalance = (supply - d["facility_mw"]).abs().max()
    c = result.capacities
    print(f"\n{label} ({len(week)} h): {result.status}")
    print(
        f"  PV {c['pv_mw']:7.0f} MW   wind {c['wind_mw']:7.0f} MW   battery {c['battery_mw']:5.0f} MW / "
        f"{c['battery_mwh']:6.0f} MWh   H2 store {c['h2_store_mwh']:5.0f} MWh"
    )
    print(
        f"  cost {result.cost_usd_per_mwh_it:6.1f} USD/MWh of IT energy (annualised), "
        f"curtailed {100 * result.curtailment_fraction:.1f} %, "
        f"unserved IT energy {result.unserved_mwh_per_yr:.1f} MWh/yr"
    )
    print(
        f"  mean PUE {(d['facility_mw'].sum() / d['it_mw'].sum()):.3f}; largest hourly energy imbalance "
        f"{imbalance:.1e} MW"
    )

print(f"\nfinished in {time.perf_counter() - start:.1f} s")
