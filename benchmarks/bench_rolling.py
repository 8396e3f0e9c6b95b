"""Speed of the rolling-horizon policy (a benchmark, not a test), side by side with its own peers.

Prints, for the Dakhla-like design of ``bench_simulate.py`` on the default scenario's first synthetic
year (hourly, forced outages, noisy forecast):

1. the rule-based policy over the year (the fast reference);
2. the rolling-horizon policy (48 h window re-solved every hour, 8 760 LPs): the LP built once and its
   numbers changed in HiGHS, warm-started (``reuse_model=True``, the default) — whole year, with the time
   split into building, changing numbers, HiGHS and forecasting/applying;
3. the same policy rebuilding the linopy model for every window (``reuse_model=False``) on the first
   ``--rebuilt-windows`` windows (default 96), and the per-window ratio of the two;
4. the served energy and unserved hours of policies 1 and 2 (the rolling one should lose less).

Run: ``python benchmarks/bench_rolling.py [--rebuilt-windows N]``.
"""

from __future__ import annotations

import argparse
import platform
import time

from bench_simulate import DAKHLA_LIKE

from greendc.assets.profiles import build_profiles
from greendc.operate import NoisyForecast, RollingHorizonPolicy, RuleBasedPolicy, design_from_scenario, simulate
from greendc.scenario.models import Scenario, Weather
from greendc.weather.synthetic import synthetic_weather


def run(policy, design, scenario, profiles):
    t0 = time.perf_counter()
    res = simulate(design, scenario, profiles, fault_seed=1, policy=policy, forecast=NoisyForecast())
    return time.perf_counter() - t0, res


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuilt-windows", type=int, default=96)
    args = parser.parse_args()
    sc = Scenario()
    profiles = build_profiles(sc, synthetic_weather(sc.site, Weather(years=1, seed=1)))
    design = design_from_scenario(sc, **DAKHLA_LIKE)
    print(f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    simulate(design, sc, profiles.iloc[:72], policy=RollingHorizonPolicy())  # compile the numba kernels

    rule_s, rule = run(RuleBasedPolicy(), design, sc, profiles)
    fast = RollingHorizonPolicy(horizon_h=48, replan_every_h=1)
    fast_s, rolling = run(fast, design, sc, profiles)
    n = args.rebuilt_windows
    rebuilt = RollingHorizonPolicy(horizon_h=48, replan_every_h=1, reuse_model=False)
    rebuilt_s, _ = run(rebuilt, design, sc, profiles.iloc[:n])

    st = fast.stats
    print(f"{'policy':<44} {'wall [s]':>9} {'windows':>8} {'ms/window':>10}")
    print(f"{'rule-based, year':<44} {rule_s:>9.2f} {'-':>8} {'-':>10}")
    print(
        f"{'rolling 48 h / 1 h, LP reused, year':<44} {fast_s:>9.2f} {st.solves:>8} {1e3 * fast_s / st.solves:>10.2f}"
    )
    print(
        f"{'rolling 48 h / 1 h, LP rebuilt, first windows':<44} {rebuilt_s:>9.2f} {rebuilt.stats.solves:>8} "
        f"{1e3 * rebuilt_s / rebuilt.stats.solves:>10.2f}"
    )
    ratio = (rebuilt_s / rebuilt.stats.solves) / (fast_s / st.solves)
    print(f"rebuilt / reused per window: {ratio:.1f}x")
    print(
        f"reused LP split: build {st.build_s:.2f} s, change numbers {st.update_s:.2f} s, HiGHS {st.solve_s:.2f} s "
        f"({st.simplex_iterations} simplex iterations), forecast and apply {st.apply_s:.2f} s"
    )
    for name, res in (("rule-based", rule), ("rolling", rolling)):
        s = res.summary
        print(
            f"{name:<11} unserved {s['unserved_mwh_per_yr']:>10.0f} MWh/yr, loss of load {s['lolh_h_per_yr']:>5.0f} "
            f"h/yr, curtailed {s['curtailment_fraction']:.1%}"
        )


if __name__ == "__main__":
    main()
