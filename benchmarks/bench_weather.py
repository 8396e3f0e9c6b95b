"""Speed and memory of the synthetic weather generator (a benchmark, not a test).

Prints, for 1 and 20 hourly years of the Dakhla reference site with the default stress events:

* wall time of :func:`greendc.weather.synthetic.generate_weather` (best of a few runs);
* peak memory traced by :mod:`tracemalloc` (numpy buffers included) during one run;
* side by side, the floor: pvlib's solar position (ephemeris) and Ineichen clear sky alone on the same
  index, and the ratio generator / floor; for reference also pvlib's default SPA solar position.

Target: 20 years in under 20 s and under 1 GB.

Run: ``python benchmarks/bench_weather.py``.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib

from greendc.scenario.models import StressEvents
from greendc.weather.climatology import load_climatology
from greendc.weather.monthly import monthly_summary
from greendc.weather.schema import check_weather
from greendc.weather.synthetic import generate_weather

LAT, LON, ELEV = 23.71, -15.94, 10.0


def _best_of(fn, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _floor(index: pd.DatetimeIndex, method: str) -> None:
    """pvlib solar position + Ineichen clear sky on the period mid-points (monthly Linke turbidity)."""
    times = index + pd.Timedelta("30min")
    solpos = pvlib.solarposition.get_solarposition(times, LAT, LON, altitude=ELEV, method=method)
    linke = pd.Series(3.55, index=times)
    pvlib.location.Location(LAT, LON, altitude=ELEV).get_clearsky(times, solar_position=solpos, linke_turbidity=linke)


def cli_run(years: int) -> tuple[float, float]:
    """Wall time [s] and peak RSS [MiB] of the whole command ``greendc weather --years N`` (CSV written)."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "greendc.cli", "weather", "--years", str(years), "--out", str(Path(tmp, "w.csv"))]
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        wall = time.perf_counter() - t0
    return wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    clim = load_climatology("dakhla")
    events = StressEvents()
    print(f"{'years':>5} {'steps':>8} {'generator s':>12} {'peak MiB':>9} {'floor s':>8} {'ratio':>6} {'SPA s':>7}")
    for years in (1, 20):

        def run(years: int = years) -> pd.DataFrame:
            return generate_weather(LAT, LON, ELEV, clim, years, 2030, seed=2030, stress_events=events)

        repeats = 3 if years == 1 else 2
        wall = _best_of(run, repeats)
        tracemalloc.start()
        weather = run()
        peak_mib = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        index = weather.index
        floor = _best_of(lambda index=index: _floor(index, "ephemeris"), repeats)
        spa = _best_of(lambda index=index: _floor(index, "nrel_numpy"), 1)
        print(
            f"{years:>5} {len(index):>8} {wall:>12.2f} {peak_mib:>9.0f} {floor:>8.2f} {wall / floor:>6.1f} {spa:>7.2f}"
        )
    check_weather(weather)
    max_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process max RSS {max_rss_mib:.0f} MiB (includes the interpreter and libraries)")
    wall, rss = cli_run(20)
    print(
        f"whole command 'greendc weather --years 20' (CSV included): {wall:.1f} s, peak RSS {rss:.0f} MiB "
        "(target < 20 s, < 1024 MiB)"
    )
    summary = monthly_summary(weather, clim)
    print("\n20-year monthly means beside the targets (default stress events on):")
    print(summary.round(2).to_string())
    annual = weather["ghi"].mean() * 24 / 1000
    print(
        f"annual GHI {annual:.2f} kWh/m2/day (target 5.54); wind {weather['wind_speed'].mean():.2f} m/s "
        f"(target 7.64); DNI {weather['dni'].sum() / 1000 / 20:.0f} kWh/m2/yr; "
        f"DHI/GHI {weather['dhi'].sum() / weather['ghi'].sum():.2f}; "
        f"calms {np.mean(weather['wind_speed'] < 0.5):.2%}"
    )


if __name__ == "__main__":
    main()
