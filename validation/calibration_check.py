"""Calibration of the synthetic generator from an ERA5-layout file, checked by the weather it then makes.

Run ``python validation/calibration_check.py``; it prints, for two reference files and three generator
seeds each, the largest difference of every statistic of :data:`greendc.weather.diagnostics.TOLERANCES`
between the file and ten years generated from the climatology fitted to it, and the fitted wind parameters.

What is compared
----------------
* **The reference**: ten years at Dakhla whose irradiance, temperature, humidity, pressure and sea
  temperature are synthetic, and whose wind is built by an *independent* model (log-normal around the
  monthly means, a daily-step AR(1) synoptic factor times an hourly AR(1), a two-harmonic 10 m daily cycle,
  and a 100 m wind by a shear exponent with a daily and a seasonal cycle): ``tests/weather/files.py``,
  ``reanalysis_like_years``. It is written as an ERA5 single-level NetCDF in the CDS layout and read back
  by greendc's ERA5 reader, as a user's file would be.
* **The fit**: :func:`greendc.weather.calibrate.calibrate_climatology`, with Dakhla's table as the base.
* **The check**: :func:`greendc.weather.diagnostics.compare_weather`: monthly means (GHI, diffuse fraction,
  temperature, 10 m and 100 m wind), daily cycles by solar hour (temperature, 10 m and 100 m wind) and the
  lull statistics of the 100 m wind (hours below 4 m/s, spells of 6 h or more, their mean length).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.weather.files import ELEV, LAT, LON, reanalysis_like_years, write_era5_netcdf

from greendc.weather.calibrate import calibrate_climatology
from greendc.weather.climatology import load_climatology
from greendc.weather.diagnostics import compare_weather
from greendc.weather.readers import read_weather_at
from greendc.weather.synthetic import generate_weather

REFERENCE_SEEDS = (21, 22)
GENERATOR_SEEDS = (7, 8, 9)
YEARS = 10


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for ref_seed in REFERENCE_SEEDS:
            path = write_era5_netcdf(Path(tmp) / f"era5_{ref_seed}.nc", reanalysis_like_years(YEARS, 2001, ref_seed))
            data, _ = read_weather_at(path, LAT, LON, ELEV)
            clim = calibrate_climatology(data, LAT, LON, ELEV, "fit", load_climatology("dakhla"), source=path.name)
            print(
                f"reference {ref_seed}: fitted Weibull k (annual) {clim.wind_weibull_k_annual:.2f}, synoptic share "
                f"{clim.wind_synoptic_share:.2f}, hourly lag-1 {clim.wind_hourly_lag1:.3f}, synoptic time scale "
                f"{clim.synoptic_timescale_h:.0f} h, shear {clim.wind_shear_exponent.min():.3f}-"
                f"{clim.wind_shear_exponent.max():.3f} + {clim.wind_shear_diurnal_amplitude:.3f} cos(.. - "
                f"{clim.wind_shear_max_solar_hour:.1f} h)"
            )
            for seed in GENERATOR_SEEDS:
                table = compare_weather(data, generate_weather(LAT, LON, ELEV, clim, YEARS, 2040, seed=seed), LON)
                rows.append(
                    table.assign(reference=ref_seed, seed=seed)[
                        ["statistic", "reference", "seed", "difference", "tolerance", "ok"]
                    ]
                )
    frame = pd.concat(rows)
    summary = frame.groupby("statistic", sort=False).agg(
        smallest=("difference", "min"),
        largest=("difference", "max"),
        tolerance=("tolerance", "first"),
        all_ok=("ok", "all"),
    )
    pd.set_option("display.width", 160)
    print(f"\nlargest difference per statistic over {len(REFERENCE_SEEDS)} files x {len(GENERATOR_SEEDS)} seeds")
    print(summary.round(4).to_string())


if __name__ == "__main__":
    main()
