"""Wind farm output per MW of installed turbine rating (``wind_cf``).

Pure functions, chained by the orchestrator :func:`wind_ac_per_mw`:

1. hub-height wind speed from the 100 m (preferred) or 10 m column: power law (exponent given, fitted hour
   by hour from both columns, or 1/7) or log law;
2. temperature and pressure lifted to hub height, then moist-air density;
3. IEC 61400-12-1 density normalisation of the wind speed (pitch-regulated turbines);
4. the reference power curve, linear between points, zero below the first and above the last point;
5. wake, availability and electrical losses as factors.

Power curves are CSV files (``wind_speed`` [m/s], ``power_mw`` [MW]); shipped ones are in
``greendc/data/turbines`` (sources in the README there), read by
:func:`greendc.assets.power_curves.load_power_curve`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greendc.assets.power_curves import PowerCurve, load_power_curve
from greendc.errors import ScenarioError, WeatherDataError
from greendc.scenario.models import Wind
from greendc.weather.schema import UNITS, column_in_range
from greendc.weather.wind_profile import (
    DEFAULT_SHEAR_EXPONENT,
    GRAVITY_M_PER_S2,
    TEMP_AIR_HEIGHT_M,
    WIND_SPEED_100M_HEIGHT_M,
    WIND_SPEED_HEIGHT_M,
    fit_shear_exponent,
    log_law_wind_speed,
    power_law_wind_speed,
)

#: Specific gas constants of dry air and water vapour [J/(kg K)], IEC 61400-12-1 (R0, Rw).
R_DRY_AIR = 287.05
R_WATER_VAPOUR = 461.5
#: Reference air density of power curves [kg/m³] (IEC 61400-12-1; ISO 2533 at sea level, 15 °C).
REFERENCE_AIR_DENSITY = 1.225
#: Temperature lapse rate of the ISO 2533 standard atmosphere [K/m].
LAPSE_RATE_K_PER_M = 0.0065
#: Allowed relative gap between the mean station pressure and the standard atmosphere at the site.
PRESSURE_ELEVATION_TOLERANCE = 0.05


def power_from_curve(wind_speed: np.ndarray, curve: PowerCurve) -> np.ndarray:
    """Turbine power read from its reference power curve [MW].

    Parameters
    ----------
    wind_speed : array-like
        (Density-normalised) hub-height wind speed [m/s].
    curve : PowerCurve
        Reference power curve.

    Notes
    -----
    Linear interpolation between the points :math:`(V_i, P_i)`; :math:`P = 0` below the first point and
    above the last (cut-out), :math:`P = P_{last}` exactly at the last. This is how SAM's ``windpower``
    reads a curve (NREL SSC ``windTurbine::turbinePower``, ``shared/lib_windwakemodel.cpp``).

    Examples
    --------
    >>> round(float(power_from_curve(7.5, load_power_curve("E-141-4.2"))), 3)  # (1.471 + 2.151) / 2
    1.811
    """
    v = np.asarray(wind_speed, dtype=float)
    return np.interp(v, curve.wind_speed, curve.power_mw, left=0.0, right=0.0)


def _hub_wind_speed(weather: pd.DataFrame, wind: Wind) -> np.ndarray:
    """Hub-height wind speed from the highest available column, by the scenario's shear model [m/s]."""
    has_100m = "wind_speed_100m" in weather.columns
    ref_col, ref_height = (
        ("wind_speed_100m", WIND_SPEED_100M_HEIGHT_M) if has_100m else ("wind_speed", WIND_SPEED_HEIGHT_M)
    )
    v_ref = weather[ref_col].to_numpy(dtype=float)
    if wind.shear == "log":
        return log_law_wind_speed(v_ref, ref_height, wind.hub_height_m, wind.roughness_length_m)
    if wind.shear_exponent is not None:
        alpha: float | np.ndarray = wind.shear_exponent
    elif has_100m:
        alpha = fit_shear_exponent(weather["wind_speed"].to_numpy(dtype=float), v_ref)
    else:
        alpha = DEFAULT_SHEAR_EXPONENT
    return power_law_wind_speed(v_ref, ref_height, wind.hub_height_m, alpha)


def temperature_at_height(
    temp_air: np.ndarray, height_m: float, reference_height_m: float = TEMP_AIR_HEIGHT_M
) -> np.ndarray:
    """Air temperature at another height by the standard lapse rate [°C].

    Parameters
    ----------
    temp_air : array-like
        Air temperature at the reference height [°C].
    height_m, reference_height_m : float
        Target and reference heights [m].

    Notes
    -----
    :math:`T(z) = T(z_r) - \\Gamma (z - z_r)` with :math:`\\Gamma` = 0.0065 K/m (ISO 2533:1975, Standard
    Atmosphere).

    Examples
    --------
    >>> round(float(temperature_at_height(21.0, 102.0)), 2)
    20.35
    """
    return np.asarray(temp_air, dtype=float) - LAPSE_RATE_K_PER_M * (height_m - reference_height_m)


def pressure_at_height(
    pressure: np.ndarray, temp_air: np.ndarray, height_m: float, reference_height_m: float = TEMP_AIR_HEIGHT_M
) -> np.ndarray:
    """Air pressure at another height by the hypsometric equation [Pa].

    Parameters
    ----------
    pressure : array-like
        Pressure at the reference height [Pa].
    temp_air : array-like
        Air temperature at the reference height [°C].
    height_m, reference_height_m : float
        Target and reference heights [m].

    Notes
    -----
    Hydrostatic balance with the layer-mean temperature :math:`\\bar T` [K] (standard lapse rate):

    .. math:: p(z) = p(z_r) \\exp\\left(-g (z - z_r) / (R_d \\bar T)\\right)

    About -1.2 hPa per 10 m near sea level; IEC 61400-12-1 normalises with the air density at hub height.

    References
    ----------
    Wallace, J. M. & Hobbs, P. V. (2006). Atmospheric Science: An Introductory Survey, 2nd ed., §3.2
    (hypsometric equation). Academic Press.

    Examples
    --------
    >>> round(float(pressure_at_height(101500.0, 21.0, 102.0)))
    100327
    """
    dz = height_m - reference_height_m
    t_mean_k = np.asarray(temp_air, dtype=float) + 273.15 - LAPSE_RATE_K_PER_M * dz / 2.0
    return np.asarray(pressure, dtype=float) * np.exp(-GRAVITY_M_PER_S2 * dz / (R_DRY_AIR * t_mean_k))


def saturation_vapour_pressure(temp_air: np.ndarray) -> np.ndarray:
    """Saturation water-vapour pressure, IEC 61400-12-1 approximation [Pa].

    Parameters
    ----------
    temp_air : array-like
        Air temperature [°C].

    Notes
    -----
    :math:`P_w = 2.05 \\times 10^{-5} \\exp(0.0631846 \\, T)`, :math:`T` in K. Within 3 % of the Magnus
    formula at 15–30 °C (9 % high at 40 °C: at most 0.25 % on the density, at saturation).

    References
    ----------
    IEC 61400-12-1:2005, Wind turbines – Part 12-1: Power performance measurements of electricity
    producing wind turbines, clause 8.1 (data normalisation).

    Examples
    --------
    >>> round(float(saturation_vapour_pressure(21.0)))
    2418
    """
    return 2.05e-5 * np.exp(0.0631846 * (np.asarray(temp_air, dtype=float) + 273.15))


def moist_air_density(temp_air: np.ndarray, pressure: np.ndarray, relative_humidity: np.ndarray) -> np.ndarray:
    """Density of moist air [kg/m³].

    Parameters
    ----------
    temp_air : array-like
        Air temperature [°C].
    pressure : array-like
        Air pressure [Pa].
    relative_humidity : array-like
        Relative humidity [%], 0–100.

    Notes
    -----
    Ideal-gas mixture of dry air and water vapour (IEC 61400-12-1):

    .. math:: \\rho = \\frac{1}{T}\\left(\\frac{B}{R_0} - \\phi P_w \\left(\\frac{1}{R_0} -
        \\frac{1}{R_w}\\right)\\right)

    :math:`T` in K, :math:`B` pressure, :math:`\\phi` relative humidity (0–1), :math:`P_w` from
    :func:`saturation_vapour_pressure`, :math:`R_0` = 287.05, :math:`R_w` = 461.5 J/(kg K). Dry air at
    15 °C and 101 325 Pa: 1.225 kg/m³.

    References
    ----------
    IEC 61400-12-1:2005, clause 8.1 (data normalisation).

    Examples
    --------
    >>> round(float(moist_air_density(21.0, 101500.0, 75.0)), 3)
    1.194
    """
    t_k = np.asarray(temp_air, dtype=float) + 273.15
    phi = np.asarray(relative_humidity, dtype=float) / 100.0
    vapour = phi * saturation_vapour_pressure(temp_air) * (1 / R_DRY_AIR - 1 / R_WATER_VAPOUR)
    return (np.asarray(pressure, dtype=float) / R_DRY_AIR - vapour) / t_k


def density_normalised_wind_speed(
    wind_speed: np.ndarray, air_density: np.ndarray, reference_density: float = REFERENCE_AIR_DENSITY
) -> np.ndarray:
    """Wind speed normalised to the power curve's reference air density [m/s].

    Parameters
    ----------
    wind_speed : array-like
        Hub-height wind speed [m/s].
    air_density : array-like
        Air density at hub height [kg/m³].
    reference_density : float
        Air density of the reference power curve [kg/m³].

    Notes
    -----
    For pitch-regulated turbines (IEC 61400-12-1) :math:`V_n = V (\\rho / \\rho_0)^{1/3}`, and the reference
    curve is read at :math:`V_n`. Same as stretching the curve's wind speeds by
    :math:`(\\rho_0/\\rho)^{1/3}`, which is what SAM does (Svenningsen 2010, "method 2").

    References
    ----------
    IEC 61400-12-1:2005, clause 8.1 (data normalisation).
    Svenningsen, L. (2010). Power curve air density correction and other power curve options in WindPRO.
    EMD International A/S.

    Examples
    --------
    >>> round(float(density_normalised_wind_speed(8.0, 1.194)), 4)
    7.9319
    """
    ratio = np.asarray(air_density, dtype=float) / reference_density
    return np.asarray(wind_speed, dtype=float) * ratio ** (1.0 / 3.0)


def loss_factor(wake_loss_fraction: float, availability: float, electrical_loss_fraction: float) -> float:
    """Product of the farm loss factors [-].

    Parameters
    ----------
    wake_loss_fraction : float
        Energy lost to wakes inside the farm [-], 0–1.
    availability : float
        Time-based availability of the turbines [-], 0–1.
    electrical_loss_fraction : float
        Collection and transformer losses to the point of connection [-], 0–1.

    Notes
    -----
    :math:`f = (1 - L_{wake}) \\, A \\, (1 - L_{el})`: independent multiplicative losses, as in SAM's
    ``windpower`` loss categories and usual energy-yield loss budgets.

    Examples
    --------
    >>> round(loss_factor(0.08, 0.97, 0.02), 6)
    0.874552
    """
    values = {"wake_loss_fraction": wake_loss_fraction, "availability": availability}
    values["electrical_loss_fraction"] = electrical_loss_fraction
    for name, value in values.items():
        if not 0.0 <= value <= 1.0:
            raise ScenarioError(f"wind: {name} = {value!r} is outside [0, 1]")
    return (1.0 - wake_loss_fraction) * availability * (1.0 - electrical_loss_fraction)


def standard_pressure(elevation_m: float) -> float:
    """Pressure [Pa] of the ISO 2533 standard atmosphere at an elevation [m].

    :math:`p = 101325 (1 - 2.25577 \\times 10^{-5} z)^{5.25588}`.

    >>> round(standard_pressure(1000.0))
    89875
    """
    return 101325.0 * (1.0 - 2.25577e-5 * elevation_m) ** 5.25588


def _check_wind_weather(weather: pd.DataFrame, elevation_m: float) -> None:
    needed = ["wind_speed", "temp_air", "pressure", "relative_humidity"]
    missing = [c for c in needed if c not in weather.columns]
    if missing:
        raise WeatherDataError(
            f"wind model: missing weather column(s) {missing}; needs "
            + ", ".join(f"{c} [{UNITS[c]}]" for c in needed)
            + " and optionally wind_speed_100m [m/s]"
        )
    for col in needed + [c for c in ["wind_speed_100m"] if c in weather.columns]:
        column_in_range(weather, col, "wind model")
    p_mean, p_std = float(weather["pressure"].mean()), standard_pressure(elevation_m)
    if abs(p_mean / p_std - 1.0) > PRESSURE_ELEVATION_TOLERANCE:
        raise WeatherDataError(
            f"wind model: mean 'pressure' {p_mean:.0f} Pa differs by more than {PRESSURE_ELEVATION_TOLERANCE:.0%} "
            f"from the standard atmosphere at the site elevation {elevation_m:g} m ({p_std:.0f} Pa): give "
            "station pressure (not reduced to sea level) and the site elevation"
        )


def wind_ac_per_mw(weather: pd.DataFrame, wind: Wind, elevation_m: float = 0.0) -> pd.Series:
    """AC output of a wind farm per MW of installed turbine rating (``wind_cf``) [MW/MW].

    Parameters
    ----------
    weather : pandas.DataFrame
        Canonical weather table; uses ``wind_speed`` (10 m), ``wind_speed_100m`` when present,
        ``temp_air`` (2 m), ``pressure`` (station) and ``relative_humidity``.
    wind : greendc.scenario.models.Wind
        Turbine, hub height, shear model and losses.
    elevation_m : float
        Ground elevation of the site [m]; only used to check that ``pressure`` is station pressure (mean
        within :data:`PRESSURE_ELEVATION_TOLERANCE` of the standard atmosphere there).

    Returns
    -------
    pandas.Series
        ``wind_cf`` on ``weather.index``, between 0 and the loss factor.

    Raises
    ------
    WeatherDataError
        Missing or out-of-range column, or pressure inconsistent with the elevation.
    ScenarioError, DataFileError
        Unknown turbine or malformed power-curve file.

    Notes
    -----
    Hub-height speed from ``wind_speed_100m`` when present (closer to hub height), else ``wind_speed``:
    ``shear='log'`` by :func:`log_law_wind_speed` with ``roughness_length_m``; ``shear='power'`` by
    :func:`power_law_wind_speed` with ``shear_exponent`` if given, else hourly exponents fitted from the two
    columns (:func:`fit_shear_exponent`), else 1/7. Temperature and pressure are lifted from 2 m to hub height
    (:func:`temperature_at_height`, :func:`pressure_at_height`), relative humidity kept. Then

    .. math:: cf = \\frac{P_{curve}\\left(V_{hub} (\\rho_{hub}/1.225)^{1/3}\\right)}{P_{rated}}
        (1 - L_{wake}) \\, A \\, (1 - L_{el})

    One turbine stands for the farm; wakes enter only through ``wake_loss_fraction``.
    """
    _check_wind_weather(weather, elevation_m)
    curve = load_power_curve(wind.turbine)
    v_hub = _hub_wind_speed(weather, wind)
    temp_air = weather["temp_air"].to_numpy(dtype=float)
    t_hub = temperature_at_height(temp_air, wind.hub_height_m)
    p_hub = pressure_at_height(weather["pressure"].to_numpy(dtype=float), temp_air, wind.hub_height_m)
    rho = moist_air_density(t_hub, p_hub, weather["relative_humidity"].to_numpy(dtype=float))
    power_mw = power_from_curve(density_normalised_wind_speed(v_hub, rho), curve)
    factor = loss_factor(wind.wake_loss_fraction, wind.availability, wind.electrical_loss_fraction)
    return pd.Series(power_mw / curve.rated_mw * factor, index=weather.index, name="wind_cf")
