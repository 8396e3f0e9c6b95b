"""Writers of whole-year weather files in the real layouts of their formats, for end-to-end tests.

The values are one year of greendc's synthetic Dakhla weather (plausible, so that a plan on them is
meaningful); the layouts are those of the tools that make such files:

* EPW: the 8 header lines and 35-field rows of the EnergyPlus data dictionary (EnergyPlus Auxiliary
  Programs, "Weather Converter Program"), hour ``h`` = the hour ending ``h``:00 local standard time;
* PVGIS TMY CSV: as PVGIS 5.3 writes it (site lines, irradiance time offset, ``month,year`` table,
  ``time(UTC),T2m,RH,G(h),Gb(n),Gd(h),IR(h),WS10m,WD10m,SP`` rows stamped ``YYYYMMDD:HH00``);
* PVGIS hourly series CSV (``seriescalc`` with ``angle=0``, ``components=1``): site lines, radiation
  database, slope and azimuth, ``time,Gb(i),Gd(i),Gr(i),H_sun,T2m,WS10m,Int`` rows stamped
  ``YYYYMMDD:HH10`` (SARAH's time within the hour), then the variable descriptions, as in pvlib's test
  file ``pvgis_hourly_Timeseries_45.000_8.000_SA_30deg_0deg_2016_2016.csv``;
* ERA5 NetCDF as the CDS delivers it since 2024 (the layout of :mod:`tests.weather.test_reanalysis`): NetCDF4,
  ``valid_time`` (end of each hour, seconds since 1970), descending latitude, CDS names and units, irradiance
  accumulated over the hour ending at ``valid_time`` [J/m²], ``sst`` NaN over land.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import xarray as xr

from greendc.weather.climatology import load_climatology
from greendc.weather.synthetic import generate_weather

LAT, LON, ELEV = 23.71, -15.94, 10.0  # Dakhla
EPW_FLAGS = "?9?9?9?9E0?9?9?9?9?9?9?9?9?9?9?9?9?9*9*9?9*9*9"


@cache
def synthetic_year(year: int = 2030, seed: int = 11) -> pd.DataFrame:
    """One year of synthetic Dakhla weather (hourly, UTC), the values every writer puts in its layout."""
    return generate_weather(LAT, LON, ELEV, load_climatology("dakhla"), 1, year, seed=seed)


def write_epw(path: Path, wx: pd.DataFrame, hours: int | None = None) -> Path:
    """``wx`` as an EPW file at UTC+0 (row = the hour ending at its stamp + 1 h), optionally truncated."""
    head = [
        f"LOCATION,Dakhla,-,MAR,SRC-TMYx,600960,{LAT},{LON},0.0,{ELEV}",
        "DESIGN CONDITIONS,0", "TYPICAL/EXTREME PERIODS,0", "GROUND TEMPERATURES,0",
        "HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0", "COMMENTS 1,greendc test file", "COMMENTS 2,synthetic year",
        "DATA PERIODS,1,1,Data,Tuesday, 1/ 1,12/31",
    ]  # fmt: skip
    rows = []
    for t, r in wx.iloc[: hours or len(wx)].iterrows():
        fields = [
            t.year, t.month, t.day, t.hour + 1, 60, EPW_FLAGS,
            round(r.temp_air, 1), 12.0, round(r.relative_humidity), round(r.pressure),
            1415, 1415, 350, round(r.ghi), round(r.dni), round(r.dhi),
            999999, 999999, 999999, 9999,
            20, round(r.wind_speed, 1), 0, 0, 16.0, 77777, 9, 999999999, 2.1, 0.15, 0, 88, 0.2, 0.0, 1.0,
        ]  # fmt: skip
        rows.append(",".join(str(v) for v in fields))
    path.write_text("\n".join(head + rows) + "\n")
    return path


def write_pvgis_tmy_csv(path: Path, wx: pd.DataFrame) -> Path:
    """``wx`` (a non-leap year) as a PVGIS TMY CSV whose twelve months all come from its year."""
    year = int(wx.index[0].year)
    lines = [
        f"Latitude (decimal degrees): {LAT:.3f}", f"Longitude (decimal degrees): {LON:.3f}",
        f"Elevation (m): {ELEV}", "Irradiance Time Offset (h): 0.1761", "month,year",
        *(f"{m},{year}" for m in range(1, 13)), "time(UTC),T2m,RH,G(h),Gb(n),Gd(h),IR(h),WS10m,WD10m,SP",
    ]  # fmt: skip
    for t, r in wx.iterrows():
        values = (r.temp_air, r.relative_humidity, r.ghi, r.dni, r.dhi, 350.0, r.wind_speed, 10.0, r.pressure)
        lines.append(t.strftime("%Y%m%d:%H%M") + "," + ",".join(f"{v:.2f}" for v in values))
    lines += ["", "T2m: 2-m air temperature (degree Celsius)", "", "PVGIS (c) European Union, 2001-2025"]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    return path


def write_pvgis_hourly_csv(path: Path, wx: pd.DataFrame, slope_deg: float = 0.0) -> Path:
    """``wx`` as a PVGIS hourly series (horizontal plane, components), rows stamped ``HH:10`` UTC."""
    stamps = wx.index + pd.Timedelta(minutes=10)
    height = 90.0 - pvlib.solarposition.get_solarposition(stamps, LAT, LON)["apparent_zenith"].to_numpy()
    beam = np.clip(wx["ghi"].to_numpy() - wx["dhi"].to_numpy(), 0.0, None)
    lines = [
        f"Latitude (decimal degrees):\t{LAT:.3f}", f"Longitude (decimal degrees):\t{LON:.3f}",
        f"Elevation (m):\t{ELEV}", "Radiation database:\tPVGIS-SARAH3", "", "",
        f"Slope: {slope_deg:g} deg. ", "Azimuth: 0 deg. ", "time,Gb(i),Gd(i),Gr(i),H_sun,T2m,WS10m,Int",
    ]  # fmt: skip
    for i, t in enumerate(stamps):
        r = wx.iloc[i]
        cells = (beam[i], r.dhi, 0.0, max(height[i], 0.0), r.temp_air, r.wind_speed)
        lines.append(t.strftime("%Y%m%d:%H%M") + "," + ",".join(f"{v:.2f}" for v in cells) + ",0.0")
    lines += [
        "", "Gb(i): Beam (direct) irradiance on the inclined plane (plane of the array) (W/m2)",
        "Gd(i): Diffuse irradiance on the inclined plane (plane of the array) (W/m2)",
        "Gr(i): Reflected irradiance on the inclined plane (plane of the array) (W/m2)",
        "H_sun: Sun height (degree)", "T2m: 2-m air temperature (degree Celsius)",
        "WS10m: 10-m total wind speed (m/s)", "Int: 1 means solar radiation values are reconstructed",
        "", "PVGIS (c) European Union, 2001-2025",
    ]  # fmt: skip
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    return path


def write_era5_netcdf(path: Path, wx: pd.DataFrame) -> Path:
    """``wx`` as an ERA5 single-level NetCDF on a 3 x 3 grid whose centre is the site's cell, sea to the west."""
    n = len(wx)
    valid = (wx.index + pd.Timedelta(hours=1)).tz_localize(None)  # an accumulation is stamped at its end
    dew = pvlib.atmosphere.tdew_from_rh(wx["temp_air"].to_numpy(), wx["relative_humidity"].to_numpy())
    site = {
        "ssrd": wx["ghi"].to_numpy() * 3600.0, "fdir": (wx["ghi"] - wx["dhi"]).clip(lower=0).to_numpy() * 3600.0,
        "t2m": wx["temp_air"].to_numpy() + 273.15, "d2m": np.asarray(dew) + 273.15, "sp": wx["pressure"].to_numpy(),
        "u10": wx["wind_speed"].to_numpy(), "v10": np.zeros(n),
        "u100": wx["wind_speed_100m"].to_numpy(), "v100": np.zeros(n),
    }  # fmt: skip
    fields = {k: np.repeat(np.repeat(v[:, None, None], 3, axis=1), 3, axis=2) for k, v in site.items()}
    sst = np.full((n, 3, 3), np.nan)
    sst[:, :, 0] = (wx["temp_sea"].to_numpy() + 273.15)[:, None]  # the western column is the Atlantic
    fields["sst"] = sst
    units = {"ssrd": "J m**-2", "fdir": "J m**-2", "t2m": "K", "d2m": "K", "sp": "Pa", "sst": "K"}
    dims = ("valid_time", "latitude", "longitude")
    ds = xr.Dataset(
        {k: (dims, v.astype("float32"), {"units": units.get(k, "m s**-1")}) for k, v in fields.items()},
        coords={
            "valid_time": ("valid_time", valid),
            "latitude": ("latitude", np.array([24.0, 23.75, 23.5]), {"units": "degrees_north"}),
            "longitude": ("longitude", np.array([-16.25, -16.0, -15.75]), {"units": "degrees_east"}),
        },
        attrs={"GRIB_centre": "ecmf", "Conventions": "CF-1.7", "institution": "ECMWF"},
    )
    encoding = {k: {"zlib": True, "complevel": 1} for k in fields}
    encoding["valid_time"] = {"units": "seconds since 1970-01-01", "calendar": "proleptic_gregorian", "dtype": "int64"}
    ds.to_netcdf(path, engine="netcdf4", format="NETCDF4", encoding=encoding)
    return path


@cache
def reanalysis_like_years(years: int = 6, start_year: int = 2001, seed: int = 21) -> pd.DataFrame:
    """Hourly weather whose wind is *not* from greendc's generator family, as a stand-in for a reanalysis.

    Irradiance, temperature, humidity, pressure and sea temperature are synthetic Dakhla years; the wind is
    rebuilt by an independent model: log-normal (not Weibull) around the monthly means, a daily AR(1)
    synoptic factor (lag-1 0.7 per day) times an hourly AR(1) (0.9 per hour), a 10 m daily cycle with a
    second harmonic, and a 100 m wind from a shear exponent 0.09 + 0.06 cos(2 pi (h - 4) / 24) plus a
    seasonal 0.03 cos(2 pi (month - 7) / 12). A calibration that reproduces it must capture these features
    with the generator's own (different) construction.
    """
    wx = generate_weather(LAT, LON, ELEV, load_climatology("dakhla"), years, start_year, seed=seed).copy()
    rng = np.random.default_rng(seed)
    n = len(wx)
    days = n // 24 + 1
    daily = np.empty(days)
    daily[0] = rng.standard_normal()
    for i in range(1, days):
        daily[i] = 0.7 * daily[i - 1] + np.sqrt(1 - 0.49) * rng.standard_normal()
    hourly = np.empty(n)
    hourly[0] = rng.standard_normal()
    for i in range(1, n):
        hourly[i] = 0.9 * hourly[i - 1] + np.sqrt(1 - 0.81) * rng.standard_normal()
    z = 0.8 * np.repeat(daily, 24)[:n] + 0.6 * hourly
    solar_hour = np.mod(wx.index.hour + 0.5 + LON / 15.0, 24.0)
    cycle = (1.0 + 0.18 * np.cos(2 * np.pi * (solar_hour - 15.0) / 24.0)
             + 0.05 * np.cos(4 * np.pi * (solar_hour - 9.0) / 24.0))  # fmt: skip
    monthly = load_climatology("dakhla").wind_speed_10m[wx.index.month - 1]
    sigma = 0.45
    wx["wind_speed"] = monthly * np.exp(sigma * z - sigma**2 / 2) * cycle
    alpha = (
        0.09
        + 0.06 * np.cos(2 * np.pi * (solar_hour - 4.0) / 24.0)
        + 0.03 * np.cos(2 * np.pi * (wx.index.month - 7) / 12.0)
    )
    wx["wind_speed_100m"] = wx["wind_speed"] * 10.0**alpha
    return wx
