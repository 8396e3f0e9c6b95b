"""Operate and verify a design out of sample.

A plan is sized with perfect foresight on its design weather, so it serves every hour of that year by
construction. Whether it would keep a data center running is only believable on weather it never saw. This
example plans the default Dakhla scenario on its one synthetic design year, turns the plan into a fixed
`Design`, and runs it hour by hour, with the default rule-based dispatch (persistence forecast), seeded forced
outages, common-mode failures and the 4 h restart of shed IT:

1. on its own design year, without faults: the dispatch policy alone, no foresight;
2. on five synthetic years it was not designed on, with faults (`greendc.monte_carlo`).

`greendc plan` does step 2 on 200 years in parallel (`greendc.availability.verify`), and `greendc simulate
--design plan --runs 100` does it from the command line.

What to check in the output: the plan reports 0 unserved; the same design operated without foresight already
sheds some firm load on its own year, mostly in winter, and more on unseen years. That gap is what
`greendc plan --availability tier-iii` designs away.
"""

import time

import greendc

start = time.perf_counter()
scenario = greendc.load_scenario("dakhla")
weather, _ = greendc.scenario_weather(scenario)
profiles = greendc.build_profiles(scenario, weather)
plan = greendc.solve(greendc.inputs_from_scenario(scenario, profiles))
design = greendc.design_from_summary(plan.summary(), scenario)
c = design.capacities()
print(
    f"plan on the design year (seed {scenario.weather.seed}): {plan.status}, {plan.cost_usd_per_mwh_it:.1f} USD/MWh "
    f"of IT energy, unserved {plan.unserved_mwh_per_yr:.0f} MWh/yr"
)
print(
    f"  design: PV {c['pv_mw']:.0f} MW, wind {c['wind_mw']:.0f} MW, battery {c['battery_mw']:.0f} MW / "
    f"{c['battery_mwh']:.0f} MWh, electrolyser {c['electrolyser_mw']:.0f} MW, H2 store {c['h2_store_mwh']:.0f} MWh, "
    f"fuel cell {c['fuel_cell_mw']:.0f} MW  ({time.perf_counter() - start:.0f} s)"
)

# 1. In sample: the design year again, operated without foresight and without faults.
own = greendc.simulate(design, scenario, profiles, faults=False, common_mode=False)
s = own.summary
print(
    f"\n1. design year, rule-based dispatch, no faults: firm load shed in {s['lolh_h_per_yr']:.0f} h, "
    f"unserved IT energy {s['unserved_mwh_per_yr']:.0f} MWh"
)
firm = [w.name for w in scenario.datacenter.workload_classes if not w.flexible]
shed = own.dispatch[[f"unserved_{name}_mw" for name in firm]].sum(axis=1) > 1e-6
winter = shed[shed.index.month.isin([11, 12, 1, 2])].sum()
print(f"   {winter} of those {shed.sum()} hours fall in November to February")

# 2. Out of sample: five unseen weather years (seeds not used for the design), forced outages on.
seeds = [101, 102, 103, 104, 105]
mc = greendc.monte_carlo(design, scenario, weather_seeds=seeds, fault_seeds=[1], years=1, progress=False)
runs = mc.runs
print("\n2. unseen years, rule-based dispatch, forced outages and common-mode failures:")
print("   weather seed   firm hours shed   unserved IT energy [MWh]   longest interruption [h]")
for _, r in runs.iterrows():
    print(
        f"   {int(r['weather_seed']):>12}   {r['lolh_h_per_yr']:>15.0f}   {r['unserved_mwh_per_yr']:>24.0f}   "
        f"{r['longest_interruption_h']:>24.0f}"
    )
print(
    f"   mean {runs['lolh_h_per_yr'].mean():.1f} h/yr of firm load shed, "
    f"{runs['unserved_mwh_per_yr'].mean():.0f} MWh/yr unserved, in {len(runs)} unseen years"
)
print(f"finished in {time.perf_counter() - start:.1f} s")
