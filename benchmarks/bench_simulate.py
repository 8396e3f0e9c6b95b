"""Speed of the simulator (a benchmark, not a test), side by side with Vessim.

Prints:

1. a rule-based year of the Dakhla-like design at 5-minute steps (105 120 steps): wall time of the whole
   :func:`greendc.operate.simulate` call (profile interpolation, outages, forecast, numba kernel, tables,
   summary) and of the kernel alone, steps per second — target under 1 s;
2. 100 Monte Carlo year-runs of that design (hourly, synthetic weather with stress events, outages):
   10 weather seeds × 10 years, and 100 weather seeds × 1 year — target under 2 minutes;
3. Vessim (``pip install vessim``; never a greendc dependency) and greendc on an equivalent microgrid —
   PV, wind, one lossless battery, one load, a year at 5-minute steps; Vessim's ``SimpleBattery`` in front
   of an unlimited ``GridConnection`` that takes the surplus (curtailment) and covers the deficit (unserved
   load) — steps per second of both and the ratio (target ≥ 50), plus a cross-check of the results
   (state of charge, curtailment and unserved load, step by step) from a Vessim run with its ``Recorder``.

The Dakhla-like design is made up (no plan is shipped): PV 1500 MW, wind 900 MW, battery 600 MW /
3000 MWh, electrolyser 300 MW, hydrogen store 60 000 MWh, fuel cell 450 MW, on the profiles of the
default scenario.

Run: ``python benchmarks/bench_simulate.py``.
"""

from __future__ import annotations

import platform
import time

import numpy as np
import pandas as pd

from greendc.assets.profiles import build_profiles
from greendc.operate import Design, design_from_scenario, monte_carlo, simulate
from greendc.operate.faults import fleet_availability, load_reliability
from greendc.operate.forecasts import PersistenceForecast
from greendc.operate.policies import DispatchState, RuleBasedPolicy
from greendc.operate.scheduler import SchedulerParameters
from greendc.operate.simulate import dispatch_inputs, resample_profiles, run_policy
from greendc.scenario.models import DataCenter, Electrical, Scenario, Weather, WorkloadClass
from greendc.weather.synthetic import synthetic_weather

DAKHLA_LIKE = {
    "pv_mw": 1500.0,
    "wind_mw": 900.0,
    "battery_mw": 600.0,
    "battery_mwh": 3000.0,
    "electrolyser_mw": 300.0,
    "h2_store_mwh": 60000.0,
    "fuel_cell_mw": 450.0,
}


def best_of(fn, repeats: int = 3) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def year_at_5_min(scenario: Scenario, profiles: pd.DataFrame, design: Design) -> None:
    simulate(design, scenario, profiles.iloc[:48], step="5min")  # compile / load the numba cache
    wall, res = best_of(lambda: simulate(design, scenario, profiles, step="5min", fault_seed=1))
    n = len(res.dispatch)
    prof = resample_profiles(profiles, "5min")
    table = load_reliability()
    avail = fleet_availability(design, n, 1.0 / 12.0, 1, table)
    inputs = dispatch_inputs(design, scenario, prof, avail, table, PersistenceForecast(), SchedulerParameters(), 1)
    policy = RuleBasedPolicy()
    kernel_wall, _ = best_of(lambda: run_policy(policy, inputs, DispatchState.initial(inputs, 1500.0, 30000.0)))
    fc_wall, _ = best_of(lambda: policy.forecast_surplus_mwh(inputs))
    s = res.summary
    print("1. Rule-based year at 5-minute steps (Dakhla-like design, outages on, persistence forecast)")
    print(f"   steps                      {n:,}")
    print(
        f"   simulate() wall time       {wall:.3f} s  ({n / wall:,.0f} steps/s)   target < 1 s: "
        f"{'met' if wall < 1.0 else 'NOT met'}"
    )
    print(
        f"   of which the policy run    {kernel_wall:.3f} s (numba kernel and forecast window; the window alone "
        f"{fc_wall:.3f} s)"
    )
    print(
        f"   result: unserved {s['unserved_mwh_per_yr']:,.0f} MWh/yr, LOLH {s['lolh_h_per_yr']:.1f} h/yr, "
        f"curtailment {100 * s['curtailment_fraction']:.1f} %, battery cycles {s['battery_cycles_per_yr']:.0f}/yr"
    )


def monte_carlo_100(scenario: Scenario, design: Design) -> None:
    print("2. Monte Carlo, 100 year-runs (hourly, synthetic weather with stress events, outages)")
    for label, seeds, years in (
        ("10 weather seeds x 10 years", range(10), 10),
        ("100 weather seeds x 1 year", range(100, 200), 1),
    ):
        t0 = time.perf_counter()
        mc = monte_carlo(design, scenario, weather_seeds=list(seeds), fault_seeds=[0], years=years, progress=False)
        wall = time.perf_counter() - t0
        m = mc.summary
        print(
            f"   {label:28s} {len(mc.runs)} year-runs in {wall:6.1f} s   target < 120 s: "
            f"{'met' if wall < 120 else 'NOT met'}; mean LOLH {m['mean']['lolh_h_per_yr']:.1f} h/yr, "
            f"10-yr unserved {m['return_levels']['unserved_mwh_per_yr']['10']:,.0f} MWh"
        )


def equivalent_microgrid(profiles: pd.DataFrame) -> tuple[Scenario, pd.DataFrame, Design, pd.DataFrame]:
    """One firm load (the Dakhla facility load, PUE folded in), PV, wind, a lossless battery; 5-min steps."""
    prof = resample_profiles(profiles, "5min")
    load = (prof["it_inference_mw"] + prof["it_training_mw"]) * prof["pue"] + 2.0
    micro = pd.DataFrame(
        {
            "pv_cf": prof["pv_cf"],
            "wind_cf": prof["wind_cf"],
            "pue": 1.0,
            "water_m3_per_mwh_it": 0.0,
            "desalination_mwh_per_mwh_it": 0.0,
            "it_load_mw": load,
        },
        index=prof.index,
    )
    # Vessim has no restart of shed IT: none here either, so that both tools model the same microgrid
    dc = DataCenter(
        it_capacity_mw=600.0,
        workload_classes=[WorkloadClass(name="load", share=1.0)],
        electrical=Electrical(auxiliary_mw=0.0),
        restart_hours=0.0,
    )
    design = Design(
        pv_mw=DAKHLA_LIKE["pv_mw"],
        wind_mw=DAKHLA_LIKE["wind_mw"],
        battery_mw=DAKHLA_LIKE["battery_mw"],
        battery_mwh=DAKHLA_LIKE["battery_mwh"],
        battery_charge_efficiency=1.0,
        battery_discharge_efficiency=1.0,
    )
    series = pd.DataFrame(
        {"pv_w": micro.pv_cf * design.pv_mw * 1e6, "wind_w": micro.wind_cf * design.wind_mw * 1e6, "load_w": load * 1e6}
    )
    return Scenario(datacenter=dc), micro, design, series


def vessim_environment(series: pd.DataFrame, design: Design, record: bool):
    import vessim as vs

    offsets = np.arange(len(series)) * 300
    env = vs.Environment(sim_start="2030-01-01", step_size=300)
    trace = {k: vs.Trace(pd.Series(series[k].to_numpy(), index=offsets)) for k in series}
    battery = vs.SimpleBattery(
        "battery", capacity=design.battery_mwh * 1e6, initial_soc=0.5, c_rate=design.battery_mw / design.battery_mwh
    )
    env.add_microgrid(
        actors=[
            vs.Producer("pv", trace["pv_w"]),
            vs.Producer("wind", trace["wind_w"]),
            vs.Consumer("load", trace["load_w"]),
        ],
        dispatchables=[battery, vs.GridConnection("slack")],
        name="dakhla",
    )
    recorder = env.add_controller(vs.Recorder()) if record else None
    return env, battery, recorder, int(offsets[-1] + 300)


def vessim_side_by_side(profiles: pd.DataFrame) -> None:
    print("3. Vessim side by side: PV + wind + lossless battery + load, one year at 5-minute steps")
    scenario, micro, design, series = equivalent_microgrid(profiles)
    n = len(micro)
    simulate(design, scenario, micro.iloc[:48], faults=False)
    g_wall, res = best_of(lambda: simulate(design, scenario, micro, faults=False))
    g_rate = n / g_wall
    print(f"   greendc simulate()         {g_wall:.3f} s  ({g_rate:,.0f} steps/s)")
    try:
        from importlib.metadata import version

        import vessim  # noqa: F401

        vessim_version = version("vessim")
    except Exception as err:
        print(f"   Vessim: not run — import failed: {type(err).__name__}: {err}. Install it with `pip install vessim`.")
        return
    try:
        from loguru import logger

        logger.remove()  # Vessim logs every clipped battery set-point at INFO; keep the timing clean
        env, battery, _, until = vessim_environment(series, design, record=False)
        t0 = time.perf_counter()
        env.run(until=until)
        v_wall = time.perf_counter() - t0
        env_r, _, recorder, _ = vessim_environment(series, design, record=True)
        t0 = time.perf_counter()
        env_r.run(until=until)
        v_rec_wall = time.perf_counter() - t0
    except Exception as err:
        print(f"   Vessim {vessim_version}: run failed: {type(err).__name__}: {err}")
        return
    v_rate = n / v_wall
    print(
        f"   Vessim {vessim_version} native       {v_wall:.3f} s  ({v_rate:,.0f} steps/s); "
        f"with Recorder {v_rec_wall:.3f} s ({n / v_rec_wall:,.0f} steps/s)"
    )
    ratio = g_rate / v_rate
    print(f"   ratio greendc / Vessim     {ratio:,.0f} x   target >= 50: {'met' if ratio >= 50 else 'NOT met'}")
    df = res.dispatch
    rec = recorder.to_df()
    v_soc_start = rec["dispatch_states.battery.charge_level"].to_numpy() / 1e6  # level at the start of a step
    v_slack = rec["dispatch_states.slack.current_power"].to_numpy() / 1e6  # + export (surplus), − import
    soc_diff = np.abs(v_soc_start[1:] - df["battery_soc_mwh"].to_numpy()[:-1]).max()
    curt_diff = np.abs(np.maximum(v_slack, 0.0) - df["curtailed_mw"].to_numpy()).max()
    unserved_diff = np.abs(np.maximum(-v_slack, 0.0) - df["unserved_mw"].to_numpy()).max()
    print(
        f"   cross-check, every step of the year (Vessim Recorder run): max |state of charge difference| "
        f"{soc_diff:.1e} MWh, max |curtailment difference| {curt_diff:.1e} MW, max |unserved difference| "
        f"{unserved_diff:.1e} MW; final state of charge greendc {df['battery_soc_mwh'].iloc[-1]:,.1f} MWh, "
        f"Vessim {battery.charge_level / 1e6:,.1f} MWh"
    )


def main() -> None:
    print(f"greendc simulator benchmark — Python {platform.python_version()}, {platform.machine()}")
    scenario = Scenario()
    events = scenario.weather.stress_events
    weather = synthetic_weather(scenario.site, Weather(years=1, seed=2031, stress_events=events))
    profiles = build_profiles(scenario, weather)
    design = design_from_scenario(scenario, **DAKHLA_LIKE)
    year_at_5_min(scenario, profiles, design)
    monte_carlo_100(scenario, design)
    vessim_side_by_side(profiles)


if __name__ == "__main__":
    main()
