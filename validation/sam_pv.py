"""greendc's PV model against NREL SAM (PySAM ``Pvwattsv8``): annual and monthly AC yield.

Run ``python validation/sam_pv.py``; it prints, for each weather set and mount, both annual yields, the
relative difference, the monthly differences and a step-by-step breakdown of where they come from.

What is compared, like for like
-------------------------------
* **Weather**: (A) one self-contained, seeded year at Dakhla (23.71 N, 15.94 W, 10 m): pvlib's Ineichen
  clear sky (monthly Linke turbidity) at mid-hour times a random cloud factor (daily Beta(8, 1.5) with
  hourly noise), split into DNI/DHI by Erbs, with seasonal/diurnal air temperature and trade wind; and
  (B) when importable, greendc's own synthetic year (``greendc.weather.synthetic.generate_weather``,
  Dakhla climatology, seed 2030). The same values go to both models.
* **Time stamps**: weather values are hourly means stamped at the start of the hour. greendc evaluates
  the sun at start + 30 min. SAM gets ``minute = 30`` in its resource dict, and for data with a minute
  column it evaluates the sun at that instant (``cmod_pvwattsv8.cpp``: instantaneous mode), so both
  models see the sun at mid-hour; ``year, month, day, hour`` are the period start, ``tz = 0`` (UTC).
* **Plant**: 100 MW DC (SAM estimates its row count from the size; many rows approach greendc's
  infinite-sheds geometry), DC/AC 1.25, inverter 96 % nominal, losses 9.6 % (greendc's default, passed as
  SAM ``losses``), albedo 0.3, gcr 0.35; fixed rack tilt 20° facing south, or a N-S single-axis tracker
  ±55° with backtracking (SAM ``array_type`` 0 and 3). Standard module (SAM ``module_type`` 0, a CEC
  single-diode module of 19 % efficiency; greendc: ``temperature_coefficient_per_c = −0.0037``, the
  PVWatts v8 standard-module value). No soiling, no degradation, monofacial, no snow, no transformer
  losses, no wind stow.

Target: annual AC yield within ±2 %.

Result (PySAM 7.1.1, pvlib 0.16.1)
----------------------------------
======================  ==========  =======  =======  ================
case                    SAM kWh/kW  greendc  diff     monthly diffs
======================  ==========  =======  =======  ================
A fixed 20°             1741.5      1741.6   +0.01 %  −0.1 … +0.3 %
A tracker backtracking  1989.5      2006.1   +0.84 %  +0.5 … +1.2 %
B fixed 20°             1780.1      1779.1   −0.06 %  −0.3 … +0.1 %
B tracker backtracking  2056.7      2072.4   +0.76 %  +0.5 … +1.0 %
======================  ==========  =======  =======  ================

Where the remaining differences come from
-----------------------------------------
The breakdown printed for each case follows the chain (front plane-of-array irradiance after row
shading, cell temperature, DC, AC). For weather A, tracker: POA +0.48 %, DC per unit POA −0.03 %,
inverter +0.37 %; fixed rack: POA +0.13 %, DC per unit POA −0.55 %, inverter +0.42 %. Three model
choices explain them; none is a tuning.

1. **Row shading of circumsolar and ground-reflected light** (POA). PVWatts multiplies the whole Perez
   sky diffuse, circumsolar included, by the isotropic sky view factor of a row between rows, and
   derates ground-reflected light by its own formula (``diffuse_reduce`` in SAM's ``lib_pvshade.cpp``).
   greendc shades circumsolar light like beam, as it comes from the sun's direction (with backtracking
   the beam is never shaded, so the tracker keeps it: about +0.9 % of POA), and takes ground-reflected
   light from the infinite-sheds view factors, which see less of the lit ground between rows than
   PVWatts' formula (about −0.45 % of POA for the tracker). The sky view ratios themselves agree
   (tracker: 0.958 both, mean over daylight hours). Recomputing greendc's POA with PVWatts' two
   conventions ("POA with PVWatts' circumsolar and ground derates", using SAM's hourly ground derate)
   matches SAM's POA within 0.01 % in all four cases: transposition, sun position and time stamping
   agree.
2. **Inverter** (+0.35 to +0.42 %). PVWatts v8 no longer uses the PVWatts v5 part-load curve: it calls
   SAM's Sandia inverter model with C0…C3 = 0 and a self-consumption ``Pso`` of 0.4931 % of the AC rating
   (its utility-scale value, ``cmod_pvwattsv8.cpp``), i.e. ``P_ac = P_ac0·(P_dc − Pso)/(P_dc0 − Pso)``,
   less efficient at part load than the curve of :func:`pvlib.inverter.pvwatts` that greendc uses.
   greendc's inverter fed with SAM's own DC series ("greendc inverter on SAM DC") reproduces the gap.
3. **Module model** (DC per unit POA: −0.55 % fixed, −0.03 % tracker). PVWatts v8 computes DC with the CEC
   single-diode model of one module (Canadian Solar CS1H-320MS) behind its own cover-reflection model;
   greendc uses the linear PVWatts DC model (:func:`pvlib.pvsystem.pvwatts_dc`) behind the Fresnel model
   of AR-coated glass. The ratio by irradiance bin mixes both effects: for the fixed rack greendc is about
   1 % lower at 200–600 W/m², where the single-diode module is more efficient than a linear one and the
   angles of incidence are large; below 200 W/m² greendc is higher (by about 4 % for the tracker), where
   the single-diode module loses efficiency. Cell temperatures (both SAM's NOCT model) agree within
   0.12 °C; both use De Soto's air-mass modifier.

No factor in greendc is tuned to this comparison.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd
import pvlib

from greendc.assets.pv import ac_per_mw_dc, pv_model_chain
from greendc.scenario.models import PV

LATITUDE, LONGITUDE, ELEVATION_M = 23.71, -15.94, 10.0
YEAR = 2030
SYSTEM_KW = 100_000.0
COMMON = dict(
    dc_ac_ratio=1.25,
    inverter_efficiency=0.96,
    system_losses_fraction=0.096,
    albedo=0.3,
    gcr=0.35,
    temperature_coefficient_per_c=-0.0037,
    soiling_rate_per_day=0.0,
    soiling_dust_rate_per_day=0.0,
    degradation_per_year=0.0,
    bifacial=False,
)
#: (greendc PV options, PySAM SystemDesign values) for each mount
CASES: dict[str, tuple[PV, dict[str, float]]] = {
    "fixed 20°": (
        PV(mount="fixed", surface_tilt=20.0, surface_azimuth=180.0, **COMMON),
        dict(array_type=0, tilt=20.0, azimuth=180.0, rotlim=45.0),
    ),
    "tracker backtracking": (
        PV(mount="single_axis", axis_azimuth=180.0, max_angle=55.0, backtrack=True, **COMMON),
        dict(array_type=3, tilt=0.0, azimuth=180.0, rotlim=55.0),
    ),
}


def self_contained_weather(year: int = YEAR, seed: int = 2030) -> pd.DataFrame:
    """One hourly year at Dakhla: Ineichen clear sky × seeded cloud factor, Erbs split, temperature, wind.

    Values are hourly means stamped at the start of the hour (the clear sky is evaluated at mid-hour).
    """
    index = pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="1h", tz="UTC", inclusive="left")
    mid = index + pd.Timedelta(minutes=30)
    loc = pvlib.location.Location(LATITUDE, LONGITUDE, altitude=ELEVATION_M)
    sun = loc.get_solarposition(mid)
    clear = loc.get_clearsky(mid, model="ineichen", solar_position=sun)
    rng = np.random.default_rng(seed)
    n_days = len(index) // 24
    cloud = np.repeat(rng.beta(8.0, 1.5, n_days), 24) * (1.0 + 0.08 * rng.standard_normal(len(index)))
    ghi = clear["ghi"].to_numpy() * np.clip(cloud, 0.05, 1.0)
    zenith = sun["zenith"].to_numpy()
    cos_z = np.clip(np.cos(np.radians(zenith)), 0.0, None)
    dni = np.minimum(np.nan_to_num(pvlib.irradiance.erbs(ghi, zenith, mid)["dni"].to_numpy()), clear["dni"].to_numpy())
    dhi = np.clip(ghi - dni * cos_z, 0.0, None)
    doy, hour = index.day_of_year.to_numpy(), index.hour.to_numpy() + 0.5
    season, day_cycle = np.sin(2 * np.pi * (doy - 150) / 365), np.sin(2 * np.pi * (hour - 10) / 24)
    temp_air = 20.5 + 2.5 * season + 3.5 * day_cycle + rng.normal(0.0, 0.5, len(index))
    wind_season = np.sin(2 * np.pi * (doy - 110) / 365)
    wind = np.clip(7.6 + 2.0 * wind_season + 1.5 * day_cycle + rng.normal(0.0, 1.5, len(index)), 0.0, None)
    return pd.DataFrame(
        {
            "ghi": dhi + dni * cos_z,
            "dni": dni,
            "dhi": dhi,
            "temp_air": temp_air,
            "relative_humidity": 70.0,
            "pressure": 101_200.0,
            "wind_speed": wind,
        },
        index=index,
    )


def greendc_synthetic_weather(year: int = YEAR, seed: int = 2030) -> pd.DataFrame | None:
    """greendc's synthetic year for Dakhla, or ``None`` when the generator is not available."""
    try:
        from greendc.weather.climatology import load_climatology
        from greendc.weather.synthetic import generate_weather
    except ImportError:
        return None
    return generate_weather(
        LATITUDE, LONGITUDE, ELEVATION_M, load_climatology("dakhla"), years=1, start_year=year, seed=seed
    )


def run_pvwatts(
    weather: pd.DataFrame, sam_design: dict[str, float], pv: PV, system_kw: float = SYSTEM_KW
) -> pd.DataFrame:
    """Run PySAM ``Pvwattsv8`` on ``weather``; hourly outputs per kW DC (``ac``, ``dc`` in kW/kW)."""
    import PySAM.Pvwattsv8 as pvwatts

    model = pvwatts.new()
    idx = weather.index
    model.SolarResource.solar_resource_data = {
        "lat": LATITUDE,
        "lon": LONGITUDE,
        "tz": 0.0,
        "elev": ELEVATION_M,
        "year": idx.year.tolist(),
        "month": idx.month.tolist(),
        "day": idx.day.tolist(),
        "hour": idx.hour.tolist(),
        "minute": [30] * len(idx),  # sun at mid-period, see the docstring
        "dn": weather["dni"].tolist(),
        "df": weather["dhi"].tolist(),
        "gh": weather["ghi"].tolist(),
        "tdry": weather["temp_air"].tolist(),
        "wspd": weather["wind_speed"].tolist(),
        "pres": (weather["pressure"] / 100.0).tolist(),  # mbar
    }
    model.SolarResource.use_wf_albedo = 0
    model.SolarResource.albedo = [pv.albedo]
    design = model.SystemDesign
    design.system_capacity = system_kw
    design.module_type = 0
    design.dc_ac_ratio = pv.dc_ac_ratio
    design.inv_eff = 100.0 * pv.inverter_efficiency
    design.losses = 100.0 * pv.system_losses_fraction
    design.gcr = pv.gcr
    design.bifaciality = 0.0
    design.en_snowloss = 0
    design.enable_wind_stow = 0
    for name, value in sam_design.items():
        setattr(design, name, value)
    model.AdjustmentFactors.adjust_constant = 0.0
    model.execute(0)
    out = model.Outputs
    res = pd.DataFrame(
        {k: np.asarray(getattr(out, k), dtype=float) for k in ("ac", "dc", "poa", "tcell", "ss_gnd_diffuse_factor")},
        index=idx,
    )
    res[["ac", "dc"]] /= system_kw * 1000.0  # W -> W/W DC = MW/MW DC
    return res


def compare(weather: pd.DataFrame, name: str) -> list[dict[str, float | str]]:
    """Run both models on ``weather`` for every case; print the breakdown, return the summary rows."""
    rows = []
    for case, (pv, sam_design) in CASES.items():
        t0 = time.perf_counter()
        chain = pv_model_chain(weather, LATITUDE, LONGITUDE, pv, ELEVATION_M)
        wall_s = time.perf_counter() - t0
        sam = run_pvwatts(weather, sam_design, pv)
        g_kwh, s_kwh = chain["pv_cf"].sum(), sam["ac"].sum()  # hourly MW/MW summed = kWh per kW DC
        monthly = pd.DataFrame({"g": chain["pv_cf"], "s": sam["ac"]}).groupby(weather.index.month).sum()
        monthly_pct = 100.0 * (monthly["g"] / monthly["s"] - 1.0)
        rows.append(
            {
                "weather": name,
                "case": case,
                "sam": s_kwh,
                "greendc": g_kwh,
                "diff_pct": 100.0 * (g_kwh / s_kwh - 1.0),
                "monthly": monthly_pct,
                "wall_s": wall_s,
            }
        )
        # step by step
        poa_g, poa_s = chain["poa_global"].sum(), sam["poa"].sum()
        # greendc POA with PVWatts' conventions: circumsolar x sky view ratio, PVWatts' ground derate
        cos_tilt = np.cos(np.radians(chain["surface_tilt"].fillna(0.0)))
        ground_open = pv.albedo * weather["ghi"] * (1.0 - cos_tilt) / 2.0
        circumsolar_derate = chain["poa_circumsolar"] * (1.0 - chain["sky_view_ratio"].fillna(1.0))
        poa_pvwatts = (
            chain["poa_global"]
            - circumsolar_derate
            - chain["poa_ground_diffuse"]
            + ground_open * sam["ss_gnd_diffuse_factor"]
        ).sum()
        t_g = (chain["temp_cell"] * chain["poa_global"]).sum() / poa_g
        t_s = (sam["tcell"] * sam["poa"]).sum() / poa_s
        dc_g, dc_s = chain["pv_dc_cf"].sum(), sam["dc"].sum()
        inv_on_sam = ac_per_mw_dc(sam["dc"].to_numpy(), pv.dc_ac_ratio, pv.inverter_efficiency).sum()
        print(f"\n[{name}] {case}")
        print(
            f"  front POA after row shading  greendc {poa_g / 1e3:8.1f}  SAM {poa_s / 1e3:8.1f} kWh/m2  "
            f"{100 * (poa_g / poa_s - 1):+6.2f} %"
        )
        print(
            f"    of which ground-reflected  greendc {chain['poa_ground_diffuse'].sum() / 1e3:8.1f}  "
            f"SAM-derated {(ground_open * sam['ss_gnd_diffuse_factor']).sum() / 1e3:8.1f} kWh/m2"
        )
        print(
            f"  POA with PVWatts' circumsolar and ground derates  greendc {poa_pvwatts / 1e3:8.1f}  "
            f"{100 * (poa_pvwatts / poa_s - 1):+6.2f} %"
        )
        print(f"  cell temperature (POA-weighted)  greendc {t_g:6.2f}  SAM {t_s:6.2f} degC")
        print(
            f"  DC yield   greendc {dc_g:8.1f}  SAM {dc_s:8.1f} kWh/kW  {100 * (dc_g / dc_s - 1):+6.2f} %"
            f"  (DC/POA ratio {100 * ((dc_g / poa_g) / (dc_s / poa_s) - 1):+6.2f} %)"
        )
        lit = (sam["poa"] > 0) & (chain["poa_global"] > 0)
        bins = pd.cut(sam["poa"][lit], [0, 200, 400, 600, 800, 1000, 1500])
        ratio = pd.DataFrame(
            {"g": chain["pv_dc_cf"][lit] / chain["poa_global"][lit], "s": sam["dc"][lit] / sam["poa"][lit], "b": bins}
        )
        ratio = ratio.groupby("b", observed=True).median()
        by_bin = (f"{b.left:.0f}-{b.right:.0f}: {100 * (r.g / r.s - 1):+.1f} %" for b, r in ratio.iterrows())
        print("  DC per POA, greendc / SAM - 1, by SAM POA bin [W/m2]: " + ", ".join(by_bin))
        print(
            f"  inverter   greendc AC/DC {chain['pv_cf'].sum() / dc_g:.4f}  "
            f"SAM AC/DC {sam['ac'].sum() / dc_s:.4f}"
            f"  greendc inverter on SAM DC {100 * (inv_on_sam / sam['ac'].sum() - 1):+6.2f} %"
        )
    return rows


def main() -> int:
    import importlib.util

    if importlib.util.find_spec("PySAM") is None:
        print("PySAM is not installed: pip install nrel-pysam")
        return 2
    weathers = {"A self-contained": self_contained_weather()}
    synthetic = greendc_synthetic_weather()
    if synthetic is not None:
        weathers["B greendc synthetic"] = synthetic
    rows = []
    for name, weather in weathers.items():
        sums = {c: weather[c].sum() / 1e3 for c in ("ghi", "dni", "dhi")}
        print(f"\nweather {name}: GHI {sums['ghi']:.0f}, DNI {sums['dni']:.0f}, DHI {sums['dhi']:.0f} kWh/m2/yr")
        rows += compare(weather, name)
    print("\nAnnual AC yield per kW DC (target: within ±2 %)")
    print(
        f"{'weather':22s} {'case':22s} {'SAM kWh/kW':>11s} {'greendc':>9s} {'diff %':>7s}  "
        f"{'greendc s':>9s}  monthly diff % (Jan…Dec)"
    )
    ok = True
    for r in rows:
        ok &= abs(r["diff_pct"]) <= 2.0
        months = " ".join(f"{v:+.1f}" for v in r["monthly"])
        print(
            f"{r['weather']:22s} {r['case']:22s} {r['sam']:11.1f} {r['greendc']:9.1f} "
            f"{r['diff_pct']:+7.2f}  {r['wall_s']:9.2f}  {months}"
        )
    print("\nall within ±2 %" if ok else "\nOUTSIDE ±2 %")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
