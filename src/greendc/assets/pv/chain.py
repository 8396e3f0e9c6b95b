"""The PV model chain: checks the weather and runs geometry, irradiance, losses and PVWatts in order."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pvlib

from greendc.assets.pv.geometry import mount_orientation, period_midpoints, sun_position
from greendc.assets.pv.irradiance import plane_of_array, spectral_factor, transmitted_irradiance
from greendc.assets.pv.losses import degradation_factor, soiling_loss
from greendc.assets.pv.pvwatts import ac_per_mw_dc, cell_temperature, dc_per_mw_dc
from greendc.errors import WeatherDataError
from greendc.scenario.models import PV
from greendc.timeindex import check_time_index

#: Weather columns the PV model reads (``pressure`` and ``dust`` are used when present).
PV_WEATHER_COLUMNS: tuple[str, ...] = ("ghi", "dni", "dhi", "temp_air", "wind_speed")
#: Height of the row centre above ground per collector (slant) width [-]; assumed typical geometry: a
#: one-in-portrait tracker (about 2.2 m wide, axis about 1.5 m high), a two-in-portrait fixed rack (about
#: 4 m slant, centre about 1.5 m high). Only ground-reflected and rear light depend on it.
ROW_HEIGHT_PER_COLLECTOR_WIDTH: dict[str, float] = {"single_axis": 0.7, "fixed": 0.4}
#: Fraction of rear irradiance blocked by racking and torque tube (pvlib infinite_sheds default).
REAR_SHADE_FACTOR = -0.02
_FRONT = ("poa_direct", "poa_circumsolar", "poa_isotropic", "poa_horizon", "poa_ground_diffuse", "poa_global")
_NON_NEGATIVE = ("ghi", "dni", "dhi", "dust")


def check_pv_weather(weather: pd.DataFrame) -> None:
    """Raise :class:`~greendc.errors.WeatherDataError` unless ``weather`` can feed the PV model.

    ``weather`` [pvlib names and units] needs a tz-aware, regular, increasing index and finite
    :data:`PV_WEATHER_COLUMNS` (irradiance and dust >= 0); physical ranges are checked by
    :func:`greendc.weather.schema.check_weather`.
    """
    idx = weather.index
    check_time_index(idx, "PV weather", WeatherDataError)
    steps = np.diff(idx.asi8)
    if steps[0] <= 0 or (steps != steps[0]).any():
        bad = int(np.flatnonzero(steps != steps[0])[0]) if (steps != steps[0]).any() else 0
        raise WeatherDataError(
            f"PV weather: the index must be regular and increasing; bad step after {idx[bad].isoformat()} (row {bad})"
        )
    missing = [c for c in PV_WEATHER_COLUMNS if c not in weather.columns]
    if missing:
        raise WeatherDataError(
            f"PV weather: missing column(s) {missing}; the PV model needs "
            f"{list(PV_WEATHER_COLUMNS)} (ghi, dni, dhi in W/m2, temp_air in degC, "
            "wind_speed in m/s at 10 m)"
        )
    for col in (*PV_WEATHER_COLUMNS, *(c for c in ("pressure", "dust") if c in weather.columns)):
        values = pd.to_numeric(weather[col], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(values) | ((values < 0.0) if col in _NON_NEGATIVE else False)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            allowed = "finite values >= 0" if col in _NON_NEGATIVE else "finite values"
            raise WeatherDataError(
                f"PV weather: column '{col}' = {weather[col].iloc[i]!r} at "
                f"{idx[i].isoformat()} (row {i}) is not allowed; allowed: {allowed}"
            )


def pv_model_chain(
    weather: pd.DataFrame, latitude: float, longitude: float, pv: PV, elevation_m: float = 0.0
) -> pd.DataFrame:
    """Every step of the PV model on ``weather``: geometry, irradiance, temperature, DC and AC.

    Parameters
    ----------
    weather, latitude, longitude, pv, elevation_m
        As for :func:`pv_ac_per_mw_dc` [W/m², °C, m/s, Pa, 0–1; degrees; m]. Without a ``pressure`` column
        the standard pressure at ``elevation_m`` is used (:func:`pvlib.atmosphere.alt2pres`).

    Returns
    -------
    pandas.DataFrame
        On the weather index: ``surface_tilt``, ``aoi`` [degrees] (NaN at night); ``poa_global`` (front,
        after row shading, before soiling), ``poa_circumsolar``, ``poa_ground_diffuse``, ``poa_back`` (rear,
        before bifaciality), ``effective_irradiance`` [W/m²]; ``sky_view_ratio``, ``soiling_loss`` [-];
        ``temp_cell`` [°C]; ``pv_dc_cf`` (DC after losses and degradation), ``pv_cf`` (AC) [MW/MW_DC].
    """
    check_pv_weather(weather)
    index = weather.index
    col = {c: weather[c].to_numpy(dtype=float) for c in PV_WEATHER_COLUMNS}
    pressure = (
        weather["pressure"].to_numpy(dtype=float)
        if "pressure" in weather.columns
        else np.full(len(index), pvlib.atmosphere.alt2pres(elevation_m))
    )
    sp = sun_position(index, latitude, longitude, elevation_m, pressure, col["temp_air"])
    zen_all = sp["apparent_zenith"].to_numpy(dtype=float)
    day = (zen_all < 90.0) & (col["ghi"] > 0.0)
    dust = weather["dust"].to_numpy(dtype=float) if "dust" in weather.columns else None
    soiling = soiling_loss(
        index, dust, pv.soiling_rate_per_day, pv.soiling_dust_rate_per_day, pv.cleaning_interval_days
    ).to_numpy()
    res = pd.DataFrame(
        0.0,
        index=index,
        columns=[
            "surface_tilt",
            "aoi",
            "poa_global",
            "poa_circumsolar",
            "poa_ground_diffuse",
            "poa_back",
            "effective_irradiance",
            "sky_view_ratio",
            "soiling_loss",
            "temp_cell",
            "pv_dc_cf",
            "pv_cf",
        ],
    )
    res[["surface_tilt", "aoi", "sky_view_ratio"]] = np.nan
    res["soiling_loss"], res["temp_cell"] = soiling, col["temp_air"]
    if not day.any():
        return res
    zen, azi = zen_all[day], sp["azimuth"].to_numpy(dtype=float)[day]
    ghi, dni, dhi, temp_air, wind = (col[c][day] for c in PV_WEATHER_COLUMNS)
    mount = mount_orientation(zen, azi, pv)
    dni_extra = pvlib.irradiance.get_extra_radiation(period_midpoints(index)[day]).to_numpy(dtype=float)
    am_rel = np.asarray(pvlib.atmosphere.get_relative_airmass(zen), dtype=float)  # finite for zen < 90
    am_abs = np.asarray(pvlib.atmosphere.get_absolute_airmass(am_rel, pressure[day]), dtype=float)
    poa = plane_of_array(
        mount["surface_tilt"],
        mount["surface_azimuth"],
        zen,
        azi,
        dni,
        ghi,
        dhi,
        dni_extra,
        am_rel,
        pv.albedo,
        pv.gcr,
        ROW_HEIGHT_PER_COLLECTOR_WIDTH[pv.mount],
        rear=pv.bifacial,
    )
    front = {k: poa[k] * (1.0 - soiling[day]) for k in _FRONT}
    rear = pv.bifaciality * (1.0 + REAR_SHADE_FACTOR) * poa["poa_back"] if pv.bifacial else 0.0
    effective = (transmitted_irradiance(front, mount["aoi"], mount["surface_tilt"]) + rear) * spectral_factor(am_abs)
    t_cell = cell_temperature(front["poa_global"] + rear, temp_air, wind, effective)
    pdc = dc_per_mw_dc(effective, t_cell, pv.temperature_coefficient_per_c, pv.system_losses_fraction)
    pdc *= degradation_factor(index, pv.degradation_per_year)[day]
    values = {
        **{k: mount[k] for k in ("surface_tilt", "aoi")},
        **{k: poa[k] for k in ("poa_global", "poa_circumsolar", "poa_ground_diffuse", "poa_back", "sky_view_ratio")},
        "effective_irradiance": effective,
        "temp_cell": t_cell,
        "pv_dc_cf": pdc,
        "pv_cf": ac_per_mw_dc(pdc, pv.dc_ac_ratio, pv.inverter_efficiency),
    }
    for name, v in values.items():
        res.loc[day, name] = v
    return res


def pv_ac_per_mw_dc(
    weather: pd.DataFrame, latitude: float, longitude: float, pv: PV, elevation_m: float = 0.0
) -> pd.Series:
    """AC output of 1 MW of DC PV nameplate on ``weather`` [MW/MW_DC].

    Parameters
    ----------
    weather : pandas.DataFrame
        Weather on a period-start, tz-aware (UTC) index: ``ghi``, ``dni``, ``dhi`` [W/m²], ``temp_air``
        [°C], ``wind_speed`` [m/s at 10 m]; optional ``pressure`` [Pa] and ``dust`` [0–1].
    latitude, longitude : float
        Site [degrees north, degrees east].
    pv : greendc.scenario.models.PV
        Plant options.
    elevation_m : float
        Site elevation [m].

    Returns
    -------
    pandas.Series
        ``pv_cf``: mean AC power of each period per MW of DC nameplate, on the weather index.

    Raises
    ------
    WeatherDataError
        A needed column is missing or holds a bad value, or the index is not tz-aware and regular.

    Notes
    -----
    ``P_ac = inverter(max(0, E·M/1000·(1 + γ(T_c − 25)))·(1 − L)·D)``, ``E = τ(E_front)·(1 − s) + φ·E_rear``:
    ``τ`` reflection (:func:`~greendc.assets.pv.irradiance.transmitted_irradiance`), ``s`` soiling
    (:func:`~greendc.assets.pv.losses.soiling_loss`), ``φ`` bifaciality·(1 + :data:`REAR_SHADE_FACTOR`) (0 if
    monofacial), ``M`` spectral factor, ``L`` system losses, ``D`` degradation. Zero when the sun is below
    the horizon at mid-period or GHI is 0. The intermediate steps are in :func:`pv_model_chain`.
    """
    return pv_model_chain(weather, latitude, longitude, pv, elevation_m)["pv_cf"].rename("pv_cf")
