"""The cooling orchestrator: checks its inputs, runs the technology model, returns PUE(t), water use and heat to
sea."""

from __future__ import annotations

import numpy as np
import pandas as pd

from greendc.assets import water  # a module, not a name: greendc.assets.water imports this package
from greendc.assets.cooling.auxiliaries import power_chain_losses
from greendc.assets.cooling.chillers import PLR_MAX, PLR_MIN
from greendc.assets.cooling.design import DEFAULT_DESIGN, CoolingDesign
from greendc.assets.cooling.heat_rejection import facility_water_supply_temp
from greendc.assets.cooling.technologies import TECHNOLOGIES, TECHNOLOGY_MODELS, Parts
from greendc.errors import ScenarioError, WeatherDataError
from greendc.scenario.models import Cooling, Electrical
from greendc.weather.schema import UNITS, column_in_range

_AIR_COIL_TECHNOLOGIES = ("air_chiller_economiser", "evaporative", "seawater")


def required_weather_columns(cooling: Cooling, design: CoolingDesign = DEFAULT_DESIGN) -> tuple[str, ...]:
    """Weather columns the cooling model needs for ``cooling.technology`` and the design options."""
    if cooling.technology not in TECHNOLOGY_MODELS:
        raise ScenarioError(f"cooling.technology = {cooling.technology!r} is not one of {list(TECHNOLOGIES)}")
    if cooling.technology == "seawater":
        return ("temp_sea", "pressure")
    if cooling.technology == "liquid_dry_cooler" and not design.dry_cooler_adiabatic_assist:
        return ("temp_air", "pressure")
    return ("temp_air", "relative_humidity", "pressure")


def _weather_arrays(weather: pd.DataFrame, columns: tuple[str, ...], technology: str) -> Parts:
    if not isinstance(weather, pd.DataFrame):
        raise WeatherDataError(f"weather must be a pandas DataFrame, got {type(weather).__name__}")
    out: Parts = {}
    for col in columns:
        if col not in weather.columns:
            raise WeatherDataError(
                f"weather: missing column '{col}' [{UNITS[col]}], needed by cooling technology "
                f"'{technology}' (needs {list(columns)})"
            )
        out[col] = column_in_range(weather, col, "weather")
    return out


def _part_load_ratio(it_load_fraction: float | pd.Series, index: pd.Index, d: CoolingDesign) -> np.ndarray:
    if isinstance(it_load_fraction, pd.Series):
        if not it_load_fraction.index.equals(index):
            raise ScenarioError("it_load_fraction: its index differs from the weather index; align it explicitly")
        values = pd.to_numeric(it_load_fraction, errors="coerce").to_numpy(dtype=float)
    elif isinstance(it_load_fraction, int | float | np.number) and not isinstance(it_load_fraction, bool):
        values = np.full(len(index), float(it_load_fraction))
    else:
        kind = type(it_load_fraction).__name__
        raise ScenarioError(f"it_load_fraction must be a number or a pandas Series, got {kind}")
    bad = ~(np.isfinite(values) & (values >= 0.0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ScenarioError(f"it_load_fraction = {values[i]!r} at {index[i]} must be a finite number >= 0")
    return np.clip(values * d.chiller_plr_at_full_it, PLR_MIN, PLR_MAX)


def cooling_breakdown(
    weather: pd.DataFrame,
    cooling: Cooling,
    electrical: Electrical,
    it_load_fraction: float | pd.Series = 0.8,
    design: CoolingDesign = DEFAULT_DESIGN,
) -> pd.DataFrame:
    """Hourly facility power and water components per unit of IT power, for one cooling technology.

    Parameters
    ----------
    weather : pandas.DataFrame
        Weather table with the columns of :func:`required_weather_columns`: ``temp_sea`` [°C] and
        ``pressure`` [Pa] for seawater; ``temp_air`` [°C], ``relative_humidity`` [%], ``pressure`` [Pa] else.
    cooling : greendc.scenario.models.Cooling
        Technology and set points.
    electrical : greendc.scenario.models.Electrical
        Power-chain losses; ``auxiliary_mw`` is not used (absolute load, added by the planner).
    it_load_fraction : float or pandas.Series
        IT power / installed IT power [-], ≥ 0; sets the chiller part-load ratio
        ``clip(it_load_fraction × design.chiller_plr_at_full_it, 0.2, 0.8)`` (0, e.g. before the first
        build-out phase, is accepted: the profile is per unit of IT power). A Series must carry the weather
        index.
    design : CoolingDesign
        Equipment parameters.

    Returns
    -------
    pandas.DataFrame
        On the weather index: ``ups_loss``, ``distribution_loss``, ``lighting``, ``air_fans``, ``pumps``,
        ``chiller``, ``heat_rejection_fans`` (each ``*_mw_per_mw_it``), ``economiser_fraction`` [-],
        ``chiller_cop`` [-], ``water_evaporated``, ``water_drift``, ``water_blowdown`` (each
        ``*_m3_per_mwh_it``), ``pue``, ``water_m3_per_mwh_it``, ``desalination_mwh_per_mwh_it``,
        ``heat_to_sea_mw_per_mw_it`` [MW_th/MW_IT] and ``seawater_m3_per_mwh_it`` [m³/MWh of IT] (once-through
        seawater withdrawn and returned; 0 for the other technologies).

    Raises
    ------
    WeatherDataError
        If a needed weather column is missing, not finite or outside its physical range.
    ScenarioError
        If ``it_load_fraction`` is invalid, or the facility water is not colder than the supply air for a
        technology with air coils.

    Notes
    -----
    Balance in the :mod:`greendc.assets.cooling` docstring. Water in kg/s per kW of IT × 3600 s/h = L/kWh =
    m³/MWh. Coils run dry (facility water above the hall dew point), so coil-based systems carry no
    humidification or dehumidification load (Lei & Masanet's sensible heat ratio taken as 1).

    Seawater: all the electric power in the PUE ends as heat in the seawater (first law: IT, power-chain
    losses and lighting in the halls, fan heat picked up by the coils, pump work dissipated in the water,
    chiller work at the condenser), so ``heat_to_sea_mw_per_mw_it`` equals ``pue``; the seawater pumps move
    ``heat / (ρ c_p ΔT)`` (:func:`greendc.assets.water.seawater_withdrawal_m3_per_s`, ``ΔT`` =
    ``design.seawater_delta_t_k``). Lei & Masanet size that flow on ``Q + P_chiller`` with fresh-water c_p;
    the difference is a few per cent of the flow.
    """
    tech = cooling.technology
    w = _weather_arrays(weather, required_weather_columns(cooling, design), tech)
    plr = _part_load_ratio(it_load_fraction, weather.index, design)
    if tech in _AIR_COIL_TECHNOLOGIES and cooling.facility_water_supply_temp >= cooling.supply_air_temp:
        hint = facility_water_supply_temp(cooling.supply_air_temp, design.air_delta_t_k, design.coil_effectiveness)
        raise ScenarioError(
            f"cooling.facility_water_supply_temp = {cooling.facility_water_supply_temp} °C must be "
            f"below supply_air_temp = {cooling.supply_air_temp} °C for technology '{tech}' "
            f"(air coils), e.g. {hint:g} °C"
        )
    ups, distribution, lighting = power_chain_losses(
        electrical.ups_efficiency, electrical.distribution_loss_fraction, electrical.lighting_fraction_of_it
    )
    parts = TECHNOLOGY_MODELS[tech](w, 1.0 + ups + distribution + lighting, plr, cooling, design)
    n = len(weather.index)
    columns: dict[str, np.ndarray] = {}
    for name, value in (("ups_loss", ups), ("distribution_loss", distribution), ("lighting", lighting)):
        columns[f"{name}_mw_per_mw_it"] = np.full(n, value)
    for name in ("air_fans", "pumps", "chiller", "heat_rejection_fans"):
        columns[f"{name}_mw_per_mw_it"] = np.broadcast_to(parts[name], (n,)).astype(float)
    columns["economiser_fraction"] = np.broadcast_to(parts["economiser_fraction"], (n,)).astype(float)
    columns["chiller_cop"] = np.broadcast_to(parts["chiller_cop"], (n,)).astype(float)
    for name in ("evaporated", "drift", "blowdown"):
        columns[f"water_{name}_m3_per_mwh_it"] = np.broadcast_to(parts[name], (n,)).astype(float) * 3600.0
    out = pd.DataFrame(columns, index=weather.index)
    out["pue"] = 1.0 + out[[k for k in columns if k.endswith("_mw_per_mw_it")]].sum(axis=1)
    out["water_m3_per_mwh_it"] = out[[k for k in columns if k.endswith("_m3_per_mwh_it")]].sum(axis=1)
    out["desalination_mwh_per_mwh_it"] = out["water_m3_per_mwh_it"] * cooling.desalination_kwh_per_m3 / 1000.0
    heat_to_sea = np.broadcast_to(parts["heat_to_sea"], (n,)).astype(float)
    out["heat_to_sea_mw_per_mw_it"] = heat_to_sea
    out["seawater_m3_per_mwh_it"] = water.seawater_withdrawal_m3_per_s(heat_to_sea, design.seawater_delta_t_k) * 3600.0
    return out


def facility_overhead(
    weather: pd.DataFrame,
    cooling: Cooling,
    electrical: Electrical,
    it_load_fraction: float | pd.Series = 0.8,
    design: CoolingDesign = DEFAULT_DESIGN,
) -> pd.DataFrame:
    """Hourly PUE, on-site water use and desalination energy per unit of IT energy.

    Parameters
    ----------
    weather, cooling, electrical, it_load_fraction, design
        As in :func:`cooling_breakdown`.

    Returns
    -------
    pandas.DataFrame
        On the weather index: ``pue`` [-] (facility power / IT power, excluding ``Electrical.auxiliary_mw``
        and desalination), ``water_m3_per_mwh_it`` [m³/MWh = L/kWh] (fresh water consumed on site),
        ``desalination_mwh_per_mwh_it`` [MWh/MWh], the energy to make that water from seawater,
        ``heat_to_sea_mw_per_mw_it`` [MW/MW] and ``seawater_m3_per_mwh_it`` [m³/MWh] (once-through seawater
        withdrawn and returned, 0 unless the technology is ``seawater``).

    Notes
    -----
    ``desalination = water × desalination_kwh_per_m3 / 1000``; modern seawater reverse-osmosis plants use
    about 3–4 kWh/m³ in total (Voutchkov 2018, doi:10.1016/j.desal.2017.10.033). The annual PUE KPI is the
    energy-weighted ``Σ P_fac / Σ P_IT``, not the mean of this column when the IT power varies.

    Examples
    --------
    >>> from greendc.scenario.models import Cooling, Electrical
    >>> idx = pd.date_range("2030-01-01", periods=2, freq="h", tz="UTC")
    >>> wx = pd.DataFrame({"temp_sea": [18.0, 23.5], "pressure": [101325.0] * 2}, index=idx)
    >>> facility_overhead(wx, Cooling(technology="seawater"), Electrical())["pue"].round(3).tolist()
    [1.104, 1.17]
    """
    return cooling_breakdown(weather, cooling, electrical, it_load_fraction, design)[
        [
            "pue",
            "water_m3_per_mwh_it",
            "desalination_mwh_per_mwh_it",
            "heat_to_sea_mw_per_mw_it",
            "seawater_m3_per_mwh_it",
        ]
    ]
