"""greendc's wind model against NREL SAM (PySAM ``Windpower``): annual energy of one turbine.

Run ``python validation/sam_wind.py``; it prints one row per shipped turbine and air-density case.

What is compared, like for like
-------------------------------
* **Wind**: one reproducible year (8760 h, SAM needs whole years) of hub-height wind, Weibull distributed
  (k = 2.2, c = 10.5 m/s) and autocorrelated (a Gaussian AR(1) with lag-1 correlation 0.95, mapped to the
  Weibull by its quantiles), plus temperature (seasonal and daily cycle) and pressure (AR(1) noise around
  the standard atmosphere at the site elevation). Self-contained, seeded.
* **Same power curve**: the shipped CSV, given to SAM as ``wind_turbine_powercurve_windspeeds`` and
  ``..._powerout`` (kW).
* **No shear**: SAM gets the resource as a data dict whose heights all equal the hub height (fields
  temperature °C, pressure atm, speed m/s, direction °); greendc gets the same speed as
  ``wind_speed_100m`` with ``hub_height_m = 100``, so both read the curve at the same speed.
* **Same air density**: SAM computes dry-air density :math:`\\rho = p / (R T)` with R = 287.058 J/(kg K)
  from the resource temperature and pressure at hub height (NREL SSC ``cmod_windpower`` /
  ``lib_windwatts``), and applies the curve at density :math:`\\rho` by stretching its wind speeds by
  :math:`(\\rho_0/\\rho)^{1/3}`, :math:`\\rho_0` = 101325 / (287.058 × 288.15) = 1.225 kg/m³
  (``windTurbine::turbinePower`` in ``shared/lib_windwakemodel.cpp``, ``lib_physics.h``) — the IEC
  61400-12-1 normalisation greendc uses. SAM ignores humidity there, so greendc runs with
  ``relative_humidity = 0`` (its moist-air formula then reduces to the dry ideal gas, R = 287.05).
  greendc lifts temperature and pressure from 2 m to hub height; SAM is given greendc's lifted values, so
  the comparison tests the density correction and the curve, not the lapse-rate assumption.
* **No losses**: single turbine, no wake model, every SAM loss 0 %; greendc with wake loss 0,
  availability 1, electrical loss 0.

Target: annual energy within ±1 %. The column "no ρ corr." shows how far greendc would be without the
density correction, i.e. that the comparison can tell.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import ndtr

from greendc.assets.power_curves import PowerCurve, load_power_curve, shipped_turbines
from greendc.assets.wind import (
    power_from_curve,
    pressure_at_height,
    standard_pressure,
    temperature_at_height,
    wind_ac_per_mw,
)
from greendc.scenario.models import Wind

HUB_HEIGHT_M = 100.0
WEIBULL_K = 2.2
WEIBULL_C_M_PER_S = 10.5
LAG1_CORRELATION = 0.95
SAM_LOSS_INPUTS = (
    "avail_bop_loss",
    "avail_grid_loss",
    "avail_turb_loss",
    "elec_eff_loss",
    "elec_parasitic_loss",
    "env_degrad_loss",
    "env_exposure_loss",
    "env_env_loss",
    "env_icing_loss",
    "ops_env_loss",
    "ops_grid_loss",
    "ops_load_loss",
    "ops_strategies_loss",
    "turb_generic_loss",
    "turb_hysteresis_loss",
    "turb_perf_loss",
    "turb_specific_loss",
    "wake_ext_loss",
    "wake_future_loss",
    "wake_int_loss",
)


def _ar1(rng: np.random.Generator, n: int, phi: float) -> np.ndarray:
    """Standard-normal AR(1) series with lag-1 correlation ``phi``."""
    eps = rng.standard_normal(n) * np.sqrt(1.0 - phi**2)
    z = np.empty(n)
    z[0] = rng.standard_normal()
    for t in range(1, n):
        z[t] = phi * z[t - 1] + eps[t]
    return z


def synthetic_weather(seed: int = 2030, elevation_m: float = 0.0, year: int = 2030) -> pd.DataFrame:
    """One hourly year: Weibull, autocorrelated hub-height wind and 2 m temperature and pressure.

    Parameters
    ----------
    seed : int
        Random seed.
    elevation_m : float
        Site elevation [m]; sets the mean pressure (ISO 2533 standard atmosphere).
    year : int
        A non-leap year (SAM needs 8760 records).

    Returns
    -------
    pandas.DataFrame
        Canonical weather columns with ``wind_speed_100m`` the hub-height wind [m/s] and ``wind_speed``
        (10 m) by a 1/7 power law; ``relative_humidity`` 0 (dry air, as SAM).
    """
    index = pd.date_range(f"{year}-01-01", periods=8760, freq="h", tz="UTC")
    rng = np.random.default_rng(seed)
    u = np.clip(ndtr(_ar1(rng, len(index), LAG1_CORRELATION)), 1e-12, 1 - 1e-12)
    v_hub = WEIBULL_C_M_PER_S * (-np.log1p(-u)) ** (1.0 / WEIBULL_K)
    hours = np.arange(len(index))
    temp_air = (
        21.0
        + 2.5 * np.sin(2 * np.pi * (hours / 8760.0 - 0.4))
        + 3.0 * np.sin(2 * np.pi * (hours % 24 - 10) / 24.0)
        + 0.8 * _ar1(rng, len(index), 0.9)
    )
    pressure = standard_pressure(elevation_m) + 400.0 * _ar1(rng, len(index), 0.99)
    return pd.DataFrame(
        {
            "wind_speed": v_hub * (10.0 / HUB_HEIGHT_M) ** (1.0 / 7.0),
            "wind_speed_100m": v_hub,
            "temp_air": temp_air,
            "pressure": pressure,
            "relative_humidity": 0.0,
        },
        index=index,
    )


def sam_annual_energy_mwh(curve: PowerCurve, weather: pd.DataFrame) -> float:
    """Annual energy of one turbine from PySAM ``Windpower`` on hub-height data [MWh]."""
    import PySAM.Windpower as Windpower

    temp_air = weather["temp_air"].to_numpy(dtype=float)
    t_hub = temperature_at_height(temp_air, HUB_HEIGHT_M)
    p_hub_atm = pressure_at_height(weather["pressure"].to_numpy(dtype=float), temp_air, HUB_HEIGHT_M) / 101325.0
    speed = weather["wind_speed_100m"].to_numpy(dtype=float)
    data = np.column_stack([t_hub, p_hub_atm, speed, np.full(len(speed), 20.0)])
    model = Windpower.new()
    model.Resource.wind_resource_model_choice = 0
    model.Resource.wind_resource_data = {
        "lat": 23.71,
        "lon": -15.94,
        "elev": 0.0,
        "year": int(weather.index[0].year),
        "heights": [HUB_HEIGHT_M] * 4,
        "fields": [1, 2, 3, 4],
        "data": data.tolist(),
    }
    model.Turbine.wind_turbine_powercurve_windspeeds = curve.wind_speed.tolist()
    model.Turbine.wind_turbine_powercurve_powerout = (curve.power_mw * 1000.0).tolist()
    model.Turbine.wind_turbine_hub_ht = HUB_HEIGHT_M
    model.Turbine.wind_turbine_rotor_diameter = 130.0  # only used for wakes and Cp reports
    model.Turbine.wind_resource_shear = 0.14  # unused: data at hub height
    model.Turbine.wind_turbine_max_cp = 0.45
    model.Farm.system_capacity = curve.rated_mw * 1000.0
    model.Farm.wind_farm_wake_model = 0
    model.Farm.wind_farm_xCoordinates = [0.0]
    model.Farm.wind_farm_yCoordinates = [0.0]
    model.Farm.wind_resource_turbulence_coeff = 0.1
    for name in SAM_LOSS_INPUTS:
        setattr(model.Losses, name, 0.0)
    model.AdjustmentFactors.adjust_constant = 0.0
    model.execute(0)
    return float(model.Outputs.annual_energy) / 1000.0


def greendc_annual_energy_mwh(curve: PowerCurve, weather: pd.DataFrame, elevation_m: float) -> float:
    """Annual energy of one turbine from :func:`greendc.assets.wind.wind_ac_per_mw`, no losses [MWh]."""
    wind = Wind(
        turbine=curve.name,
        hub_height_m=HUB_HEIGHT_M,
        wake_loss_fraction=0.0,
        availability=1.0,
        electrical_loss_fraction=0.0,
    )
    cf = wind_ac_per_mw(weather, wind, elevation_m=elevation_m)
    return float(cf.sum()) * curve.rated_mw  # hourly steps: MW x 1 h


def compare(turbine: str, elevation_m: float = 0.0, seed: int = 2030) -> dict[str, float | str]:
    """SAM and greendc annual energy for one turbine and site elevation."""
    curve = load_power_curve(turbine)
    weather = synthetic_weather(seed=seed, elevation_m=elevation_m)
    sam = sam_annual_energy_mwh(curve, weather)
    gdc = greendc_annual_energy_mwh(curve, weather, elevation_m)
    no_rho = float(power_from_curve(weather["wind_speed_100m"].to_numpy(), curve).sum())
    return {
        "turbine": turbine,
        "elevation_m": elevation_m,
        "sam_mwh": sam,
        "greendc_mwh": gdc,
        "difference_pct": 100.0 * (gdc / sam - 1.0),
        "no_density_correction_pct": 100.0 * (no_rho / sam - 1.0),
    }


def main() -> None:
    rows = [compare(t, elevation) for t in shipped_turbines() for elevation in (0.0, 1500.0)]
    print(
        f"one turbine, one synthetic year at {HUB_HEIGHT_M:g} m (Weibull k={WEIBULL_K}, c={WEIBULL_C_M_PER_S} m/s), "
        "no losses"
    )
    header = f"{'turbine':<11} {'site m':>6} {'SAM MWh':>10} {'greendc MWh':>12} {'diff %':>7} {'no rho corr. %':>15}"
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r['turbine']:<11} {r['elevation_m']:>6.0f} {r['sam_mwh']:>10.1f} {r['greendc_mwh']:>12.1f} "
            f"{r['difference_pct']:>+7.3f} {r['no_density_correction_pct']:>+15.2f}"
        )
    worst = max(abs(float(r["difference_pct"])) for r in rows)
    print(f"largest |difference|: {worst:.3f} % (target 1 %): {'PASS' if worst <= 1.0 else 'FAIL'}")


if __name__ == "__main__":
    main()
