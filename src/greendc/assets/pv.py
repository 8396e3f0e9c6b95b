"""Photovoltaic plant: AC output per MW of DC nameplate, built from pvlib functions.

The chain follows PVWatts v8 (NREL SAM), with pvlib doing each step: sun position at mid-period
(:func:`sun_position`); fixed rack or single-axis tracker with backtracking (:func:`mount_orientation`);
Perez transposition with row-to-row shading of beam, sky and ground light and the rear side from the
infinite-sheds view factors (:func:`plane_of_array`); soiling reset at each cleaning (:func:`soiling_loss`);
reflection and spectrum (:func:`transmitted_irradiance`, :func:`spectral_factor`); SAM's NOCT cell
temperature (:func:`cell_temperature`); PVWatts DC with losses and degradation (:func:`dc_per_mw_dc`,
:func:`degradation_factor`); PVWatts inverter with clipping at ``1 / dc_ac_ratio`` per MW DC
(:func:`ac_per_mw_dc`). :func:`pv_model_chain` runs the chain and keeps every step;
:func:`pv_ac_per_mw_dc` returns its ``pv_cf``. ``validation/sam_pv.py`` compares it with PySAM
``Pvwattsv8`` on the same weather.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import pvlib
from pvlib.bifacial import infinite_sheds

from greendc.errors import WeatherDataError
from greendc.scenario.models import PV

#: Weather columns the PV model reads (``pressure`` and ``dust`` are used when present).
PV_WEATHER_COLUMNS: tuple[str, ...] = ("ghi", "dni", "dhi", "temp_air", "wind_speed")
#: Effective refractive index of an anti-reflective coating, the "typical value" of the
#: :func:`pvlib.iam.physical` docstring; glass n = 1.526, K = 4 /m, L = 2 mm are pvlib's defaults.
AR_COATING_INDEX = 1.29
#: Air-mass spectral modifier a0..a4 of the CEC module model (De Soto et al. 2006), as in SAM/PVWatts v8.
DESOTO_AIRMASS_COEFFICIENTS: tuple[float, ...] = (0.918093, 0.086257, -0.024459, 0.002816, -0.000126)
#: Air mass above which the polynomial is not extrapolated: the sea-level air mass at zenith 86°, where SAM
#: caps the zenith in its CEC module model (``cec6par_module_t``); beyond, the polynomial falls to 0 by AM 15.
SPECTRAL_AIRMASS_MAX = float(pvlib.atmosphere.get_relative_airmass(86.0))
#: Nominal operating cell temperature of rack and tracker modules [°C] (PVWatts v8: 45 °C).
NOCT_C = 45.0
#: Module efficiency at STC used by the NOCT heat balance [-] (PVWatts v8 "standard" module: 19 %).
MODULE_EFFICIENCY = 0.19
#: Reference efficiency of the PVWatts inverter part-load curve [-] (Dobos 2014).
INVERTER_EFFICIENCY_REF = 0.9637
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
    if not isinstance(idx, pd.DatetimeIndex) or idx.tz is None:
        raise WeatherDataError("PV weather: the index must be a tz-aware (UTC) DatetimeIndex, got "
                               f"{type(idx).__name__} with tz={getattr(idx, 'tz', None)!s}")
    if len(idx) < 2:
        raise WeatherDataError(f"PV weather: needs at least two time steps, got {len(idx)}")
    steps = np.diff(idx.asi8)
    if steps[0] <= 0 or (steps != steps[0]).any():
        bad = int(np.flatnonzero(steps != steps[0])[0]) if (steps != steps[0]).any() else 0
        raise WeatherDataError("PV weather: the index must be regular and increasing; bad step after "
                               f"{idx[bad].isoformat()} (row {bad})")
    missing = [c for c in PV_WEATHER_COLUMNS if c not in weather.columns]
    if missing:
        raise WeatherDataError(f"PV weather: missing column(s) {missing}; the PV model needs "
                               f"{list(PV_WEATHER_COLUMNS)} (ghi, dni, dhi in W/m2, temp_air in degC, "
                               "wind_speed in m/s at 10 m)")
    for col in (*PV_WEATHER_COLUMNS, *(c for c in ("pressure", "dust") if c in weather.columns)):
        values = pd.to_numeric(weather[col], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(values) | ((values < 0.0) if col in _NON_NEGATIVE else False)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            allowed = "finite values >= 0" if col in _NON_NEGATIVE else "finite values"
            raise WeatherDataError(f"PV weather: column '{col}' = {weather[col].iloc[i]!r} at "
                                   f"{idx[i].isoformat()} (row {i}) is not allowed; allowed: {allowed}")


def period_midpoints(index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """Middle of each period of a period-start index: ``index + Δt/2`` [timestamps]."""
    return index + (index[1] - index[0]) / 2


def sun_position(index: pd.DatetimeIndex, latitude: float, longitude: float, elevation_m: float = 0.0,
                 pressure: np.ndarray | float | None = None,
                 temp_air: np.ndarray | float = 12.0) -> pd.DataFrame:
    """Solar position at the middle of each period (NREL SPA, :func:`pvlib.solarposition.get_solarposition`).

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Period starts (tz-aware, regular).
    latitude, longitude : float
        Site [degrees north, degrees east].
    elevation_m : float
        Site elevation [m].
    pressure : array-like or float, optional
        Air pressure for refraction [Pa]; default :func:`pvlib.atmosphere.alt2pres` of the elevation.
    temp_air : array-like or float
        Air temperature for refraction [°C].

    Returns
    -------
    pandas.DataFrame
        pvlib's columns (``apparent_zenith``, ``zenith``, ``azimuth`` … [degrees]) on ``index``.

    Notes
    -----
    A value stamped ``t`` is the mean over ``[t, t + Δt)``; the sun is evaluated at ``t + Δt/2``, which
    keeps a symmetric day symmetric and does not shift sunrise and sunset by half a step. PVWatts does
    the same (an hourly file read as period means, or a minute column at 30).

    References
    ----------
    Reda, I., Andreas, A. (2004) Solar position algorithm for solar radiation applications. Solar Energy
    76, 577-589. doi:10.1016/j.solener.2003.12.003
    """
    if pressure is None:
        pressure = pvlib.atmosphere.alt2pres(elevation_m)
    sp = pvlib.solarposition.get_solarposition(period_midpoints(index), latitude, longitude,
                                               altitude=elevation_m, pressure=pressure, temperature=temp_air)
    sp.index = index
    return sp


def mount_orientation(solar_zenith: np.ndarray, solar_azimuth: np.ndarray, pv: PV) -> dict[str, np.ndarray]:
    """Module orientation on a fixed rack or a horizontal single-axis tracker.

    Parameters
    ----------
    solar_zenith, solar_azimuth : numpy.ndarray
        Apparent solar zenith; azimuth clockwise from north [degrees].
    pv : greendc.scenario.models.PV
        ``mount``; ``surface_tilt``, ``surface_azimuth`` (fixed) or ``axis_azimuth``, ``max_angle``,
        ``backtrack``, ``gcr`` (tracker).

    Returns
    -------
    dict of numpy.ndarray
        ``surface_tilt``, ``surface_azimuth``, ``aoi`` and ``tracker_theta`` (rotation, negative towards
        east for a N-S axis; 0 for fixed racks) [degrees].

    Notes
    -----
    Tracker: true tracking ``θ_T`` puts the sun in the plane normal to the modules; backtracking turns the
    rows back to ``θ_B = θ_T − sign(θ_T)·arccos(cos θ_T / gcr)`` when ``cos θ_T < gcr`` (rows would shade
    each other); the result is limited to ``±max_angle`` (Anderson & Mikofski 2020). Fixed: ``cos aoi =
    cos z cos β + sin z sin β cos(γs − γ)`` (:func:`pvlib.irradiance.aoi`).

    References
    ----------
    Anderson, K., Mikofski, M. (2020) Slope-aware backtracking for single-axis trackers.
    NREL/TP-5K00-76626. doi:10.2172/1660126
    """
    zen = np.asarray(solar_zenith, dtype=float)
    azi = np.asarray(solar_azimuth, dtype=float)
    if pv.mount == "fixed":
        tilt, az = np.full(zen.shape, pv.surface_tilt), np.full(zen.shape, pv.surface_azimuth)
        aoi = np.asarray(pvlib.irradiance.aoi(tilt, az, zen, azi), dtype=float)
        return {"surface_tilt": tilt, "surface_azimuth": az, "aoi": aoi, "tracker_theta": np.zeros(zen.shape)}
    trk = pvlib.tracking.singleaxis(zen, azi, axis_tilt=0.0, axis_azimuth=pv.axis_azimuth,
                                    max_angle=pv.max_angle, backtrack=pv.backtrack, gcr=pv.gcr)
    theta = np.nan_to_num(np.asarray(trk["tracker_theta"], dtype=float))
    tilt = np.nan_to_num(np.asarray(trk["surface_tilt"], dtype=float))
    az = np.asarray(trk["surface_azimuth"], dtype=float)
    az = np.where(np.isfinite(az), az, (pv.axis_azimuth + 90.0) % 360.0)
    aoi = np.asarray(pvlib.irradiance.aoi(tilt, az, zen, azi), dtype=float)
    return {"surface_tilt": tilt, "surface_azimuth": az, "aoi": aoi, "tracker_theta": theta}


def plane_of_array(surface_tilt: np.ndarray, surface_azimuth: np.ndarray, solar_zenith: np.ndarray,
                   solar_azimuth: np.ndarray, dni: np.ndarray, ghi: np.ndarray, dhi: np.ndarray,
                   dni_extra: np.ndarray, airmass_relative: np.ndarray, albedo: float, gcr: float,
                   row_height_per_width: float, rear: bool = False) -> dict[str, np.ndarray]:
    """Front (and rear) irradiance of a row inside a large array of parallel rows [W/m²].

    Parameters
    ----------
    surface_tilt, surface_azimuth : numpy.ndarray
        Module orientation [degrees].
    solar_zenith, solar_azimuth : numpy.ndarray
        Apparent solar zenith and azimuth [degrees].
    dni, ghi, dhi : numpy.ndarray
        Direct normal, global and diffuse horizontal irradiance [W/m²].
    dni_extra : numpy.ndarray
        Extraterrestrial normal irradiance [W/m²].
    airmass_relative : numpy.ndarray
        Relative (not pressure-corrected) air mass [-].
    albedo : float
        Ground reflectance [-].
    gcr : float
        Ground coverage ratio, collector width / row pitch [-].
    row_height_per_width : float
        Height of the row centre above ground / collector width [-].
    rear : bool
        Also compute the rear irradiance (bifacial modules).

    Returns
    -------
    dict of numpy.ndarray
        After row-to-row shading: ``poa_direct``, ``poa_circumsolar``, ``poa_isotropic``, ``poa_horizon``,
        ``poa_ground_diffuse``, their sum ``poa_global``, and ``poa_back`` (rear, before bifaciality; 0 if
        not ``rear``) [W/m²]; ``shaded_fraction``, ``sky_view_ratio``, ``ground_view_ratio`` [-].

    Notes
    -----
    The Perez (1990) components ``Ib = DNI·cos(aoi)``, ``Ic`` (circumsolar), ``Ii`` (isotropic), ``Ih``
    (horizon band) and ``Ig = ρ·GHI·(1 − cos β)/2`` are reduced for the neighbouring rows:

    - beam and circumsolar light ``× (1 − f_sh)``, ``f_sh`` the shaded fraction of the slant height (zero
      when backtracking);
    - isotropic and horizon light ``× F_sky = VF_row→sky / ((1 + cos β)/2)``, the sky view factor of a row
      inside the array integrated over its slant height over the unobstructed one;
    - ground-reflected light ``× F_gnd``, the infinite-sheds ground-reflected irradiance (row shadows on
      the ground, rows hiding the sky from the ground) over the open-field ``Ig``.

    ``f_sh``, ``F_sky``, ``F_gnd`` and the rear irradiance come from
    :func:`pvlib.bifacial.infinite_sheds.get_irradiance_poa` / ``get_irradiance`` (isotropic sky). Applying
    view-factor ratios to the Perez components is what PVWatts v8 does (``diffuse_reduce`` in SAM's
    ``lib_pvshade.cpp``), except that here circumsolar light is shaded like beam (it comes from the
    sun's direction) where PVWatts multiplies it by the sky view factor.

    References
    ----------
    Perez, R., Ineichen, P., Seals, R., Michalsky, J., Stewart, R. (1990) Modeling daylight availability
    and irradiance components from direct and global irradiance. Solar Energy 44, 271-289.
    doi:10.1016/0038-092X(90)90055-H

    Mikofski, M. et al. (2019) Bifacial performance modeling in large arrays. IEEE 46th PVSC, 1282-1287.
    doi:10.1109/PVSC40753.2019.8980572
    """
    tilt = np.asarray(surface_tilt, dtype=float)
    cos_tilt = np.cos(np.radians(tilt))
    beam = pvlib.irradiance.beam_component(tilt, surface_azimuth, solar_zenith, solar_azimuth, dni)
    beam = np.clip(np.asarray(beam, dtype=float), 0.0, None)
    perez = pvlib.irradiance.perez(tilt, surface_azimuth, dhi, dni, dni_extra, solar_zenith, solar_azimuth,
                                   airmass_relative, return_components=True)
    iso, circ, hor = (np.nan_to_num(np.asarray(perez[f"poa_{c}"], dtype=float))
                      for c in ("isotropic", "circumsolar", "horizon"))
    sky_open = np.asarray(dhi, dtype=float) * (1.0 + cos_tilt) / 2.0
    ground_open = albedo * np.asarray(ghi, dtype=float) * (1.0 - cos_tilt) / 2.0
    sheds_args = dict(surface_tilt=tilt, surface_azimuth=surface_azimuth, solar_zenith=solar_zenith,
                      solar_azimuth=solar_azimuth, gcr=gcr, height=row_height_per_width, pitch=1.0 / gcr,
                      ghi=ghi, dhi=dhi, dni=dni, albedo=albedo, model="isotropic")
    if rear:
        sheds = infinite_sheds.get_irradiance(bifaciality=1.0, shade_factor=0.0, **sheds_args)
        names = ("poa_front_sky_diffuse", "poa_front_ground_diffuse", "shaded_fraction_front")
        back = np.clip(np.nan_to_num(np.asarray(sheds["poa_back"], dtype=float)), 0.0, None)
    else:
        sheds = infinite_sheds.get_irradiance_poa(**sheds_args)
        names = ("poa_sky_diffuse", "poa_ground_diffuse", "shaded_fraction")
        back = np.zeros_like(beam)
    front_sky, front_gnd, shaded = (np.nan_to_num(np.asarray(sheds[n], dtype=float)) for n in names)
    ones = np.ones_like(beam)
    f_sky = np.clip(np.divide(front_sky, sky_open, out=ones.copy(), where=sky_open > 1e-6), 0.0, 1.0)
    f_gnd = np.clip(np.divide(front_gnd, ground_open, out=ones.copy(), where=ground_open > 1e-6), 0.0, 1.0)
    shaded = np.clip(shaded, 0.0, 1.0)
    out = {"poa_direct": beam * (1.0 - shaded), "poa_circumsolar": circ * (1.0 - shaded),
           "poa_isotropic": iso * f_sky, "poa_horizon": hor * f_sky,
           "poa_ground_diffuse": ground_open * f_gnd}
    out["poa_global"] = sum(out.values())
    out.update(poa_back=back, shaded_fraction=shaded, sky_view_ratio=f_sky, ground_view_ratio=f_gnd)
    return out


@lru_cache(maxsize=16)
def _diffuse_iam_table(n_ar: float, tilts: tuple[float, ...]) -> dict[str, np.ndarray]:
    # Marion's integration costs about 25 ms per tilt: tabulate once per process
    iam = pvlib.iam.marion_diffuse("physical", np.asarray(tilts), n_ar=n_ar)
    return {k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in iam.items()}


def _diffuse_iam(tilt: np.ndarray, n_ar: float) -> dict[str, np.ndarray]:
    if tilt.size and np.all(tilt == tilt.flat[0]):  # fixed rack: exact
        table = _diffuse_iam_table(n_ar, (float(tilt.flat[0]),))
        return {k: np.full(tilt.shape, v[0]) for k, v in table.items()}
    grid = np.arange(0.0, 91.0, 5.0)  # trackers: every 5 degrees, interpolated
    return {k: np.interp(tilt, grid, v) for k, v in _diffuse_iam_table(n_ar, tuple(grid.tolist())).items()}


def transmitted_irradiance(poa: dict[str, np.ndarray], aoi: np.ndarray, surface_tilt: np.ndarray,
                           n_ar: float = AR_COATING_INDEX) -> np.ndarray:
    """Front irradiance that passes the module cover [W/m²].

    Parameters
    ----------
    poa : dict of numpy.ndarray
        Components from :func:`plane_of_array` (after soiling, if any) [W/m²].
    aoi : numpy.ndarray
        Angle of incidence of the beam [degrees].
    surface_tilt : numpy.ndarray
        Module tilt [degrees].
    n_ar : float
        Effective refractive index of the anti-reflective coating [-].

    Returns
    -------
    numpy.ndarray
        ``IAM(aoi)·(Ib + Ic) + IAM_sky(β)·Ii + IAM_hor(β)·Ih + IAM_gnd(β)·Ig`` [W/m²].

    Notes
    -----
    ``IAM`` is the Fresnel–Bouguer transmittance of an AR-coated glass cover relative to normal incidence
    (:func:`pvlib.iam.physical`, De Soto et al. 2006); the diffuse modifiers integrate it over the sky
    dome, the horizon band and the ground (:func:`pvlib.iam.marion_diffuse`, Marion 2017).

    References
    ----------
    De Soto, W., Klein, S., Beckman, W. (2006) Improvement and validation of a model for photovoltaic array
    performance. Solar Energy 80, 78-88. doi:10.1016/j.solener.2005.06.010

    Marion, B. (2017) Numerical method for angle-of-incidence correction factors for diffuse radiation
    incident photovoltaic modules. Solar Energy 147, 344-348. doi:10.1016/j.solener.2017.03.027
    """
    diffuse = _diffuse_iam(np.asarray(surface_tilt, dtype=float), float(n_ar))
    iam_beam = np.nan_to_num(np.asarray(pvlib.iam.physical(aoi, n_ar=n_ar), dtype=float))
    return (iam_beam * (poa["poa_direct"] + poa["poa_circumsolar"]) + diffuse["sky"] * poa["poa_isotropic"]
            + diffuse["horizon"] * poa["poa_horizon"] + diffuse["ground"] * poa["poa_ground_diffuse"])


def spectral_factor(airmass_absolute: np.ndarray) -> np.ndarray:
    """Air-mass spectral modifier of the CEC module model [-].

    Parameters
    ----------
    airmass_absolute : numpy.ndarray
        Pressure-corrected air mass [-].

    Returns
    -------
    numpy.ndarray
        ``M = Σ_{i=0..4} a_i·AM^i`` (:func:`pvlib.spectrum.spectral_factor_sapm` with
        :data:`DESOTO_AIRMASS_COEFFICIENTS`, crystalline silicon), ``AM`` capped at
        :data:`SPECTRAL_AIRMASS_MAX` (12.3).

    References
    ----------
    De Soto, W., Klein, S., Beckman, W. (2006) Solar Energy 80, 78-88. doi:10.1016/j.solener.2005.06.010

    Examples
    --------
    >>> round(float(spectral_factor(np.array([1.5]))[0]), 4)
    1.0013
    """
    coeffs = {f"A{i}": a for i, a in enumerate(DESOTO_AIRMASS_COEFFICIENTS)}
    airmass = np.minimum(np.asarray(airmass_absolute, dtype=float), SPECTRAL_AIRMASS_MAX)
    factor = pvlib.spectrum.spectral_factor_sapm(airmass, coeffs)
    return np.nan_to_num(np.asarray(factor, dtype=float))


def soiling_loss(index: pd.DatetimeIndex, dust: pd.Series | np.ndarray | None, rate_per_day: float,
                 dust_rate_per_day: float, cleaning_interval_days: float) -> pd.Series:
    """Fraction of front irradiance lost to soiling, growing daily and reset at each cleaning [-].

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Period starts (regular).
    dust : pandas.Series or numpy.ndarray or None
        Dust-episode intensity of each period [0–1]; ``None`` = no dust.
    rate_per_day : float
        Loss growth on dust-free days [fraction/day].
    dust_rate_per_day : float
        Extra loss growth at full dust intensity [fraction/day].
    cleaning_interval_days : float
        Days between cleanings; the first cleaning is at the first timestamp [day].

    Returns
    -------
    pandas.Series
        ``soiling_loss`` on ``index``, in [0, 1].

    Notes
    -----
    Kimber-type accumulation: the loss grows linearly with the time since the last cleaning (here faster
    during dust episodes) and returns to zero at each cleaning ``t_k = t_0 + k·T``. For period ``j`` of
    length ``Δt`` [day] after the last cleaning ``t_k`` (mid-period value):

    ``s_j = min(1, Σ_{t_k ≤ t_i < t_j} (r + r_d·d_i)·Δt + ½·(r + r_d·d_j)·Δt)``

    so that with ``d = 0``, ``s(t) = r·(t − t_k + Δt/2)``. Rain cleaning is not modelled (Dakhla: about
    11 mm/yr). Moroccan field data: one uncleaned year at Benguerir lost 13–15 % of the energy, daily
    soiling ratio down to 0.70 (Ammari et al. 2022); the Global Solar Atlas assumes 3.5 %/yr.

    References
    ----------
    Kimber, A., Mitchell, L., Nogradi, S., Wenger, H. (2006) The effect of soiling on large grid-connected
    photovoltaic systems in California and the Southwest region of the United States. IEEE 4th WCPEC,
    2391-2395. doi:10.1109/WCPEC.2006.279690

    Ammari, N. et al. (2022) Heliyon 8, e11395. doi:10.1016/j.heliyon.2022.e11395

    Examples
    --------
    >>> idx = pd.date_range("2030-01-01", periods=49, freq="h", tz="UTC")
    >>> s = soiling_loss(idx, None, 0.0024, 0.0, 1.0)
    >>> round(float(s.iloc[23]), 6), round(float(s.iloc[24]), 6)  # 23.5 h of growth; cleaned after 24 h
    (0.00235, 5e-05)
    """
    step_days = (index[1] - index[0]) / pd.Timedelta(days=1)
    d = np.zeros(len(index)) if dust is None else np.clip(np.asarray(dust, dtype=float), 0.0, 1.0)
    increment = (rate_per_day + dust_rate_per_day * d) * step_days
    elapsed_days = np.asarray((index - index[0]) / pd.Timedelta(days=1), dtype=float)
    cycle = np.floor(elapsed_days / cleaning_interval_days + 1e-9).astype(np.int64)
    total = np.cumsum(increment)
    new_cycle = np.r_[True, np.diff(cycle) != 0]
    before = np.r_[0.0, total][np.flatnonzero(new_cycle)]  # accumulated before each cycle starts
    loss = total - before[np.cumsum(new_cycle) - 1] - 0.5 * increment
    return pd.Series(np.clip(loss, 0.0, 1.0), index=index, name="soiling_loss")


def degradation_factor(index: pd.DatetimeIndex, rate_per_year: float) -> np.ndarray:
    """Remaining fraction of the initial DC output in each calendar year [-].

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Timestamps (calendar years are counted in the index's time zone, UTC by convention).
    rate_per_year : float
        Linear degradation rate [fraction/yr].

    Returns
    -------
    numpy.ndarray
        ``D = max(0, 1 − r·(y − y0))``, ``y0`` the year of the first timestamp.

    Notes
    -----
    Linear and stepwise by calendar year, as SAM's single-value ``dc_degradation`` in lifetime mode; the
    median of field rates for crystalline silicon is about 0.5 %/yr (Jordan & Kurtz 2013).

    References
    ----------
    Jordan, D., Kurtz, S. (2013) Photovoltaic degradation rates — an analytical review. Progress in
    Photovoltaics 21, 12-29. doi:10.1002/pip.1182

    Examples
    --------
    >>> idx = pd.DatetimeIndex(["2030-06-01", "2031-06-01", "2032-06-01"], tz="UTC")
    >>> degradation_factor(idx, 0.005).round(4).tolist()
    [1.0, 0.995, 0.99]
    """
    years = np.asarray(index.year, dtype=float)
    return np.clip(1.0 - rate_per_year * (years - years[0]), 0.0, None)


def cell_temperature(poa_global: np.ndarray, temp_air: np.ndarray, wind_speed: np.ndarray,
                     effective_irradiance: np.ndarray | None = None, noct_c: float = NOCT_C,
                     module_efficiency: float = MODULE_EFFICIENCY) -> np.ndarray:
    """Cell temperature by SAM's NOCT model, open rack below 22 ft [°C].

    Parameters
    ----------
    poa_global : numpy.ndarray
        Irradiance on the module, front + rear·bifaciality [W/m²].
    temp_air : numpy.ndarray
        Air temperature [°C].
    wind_speed : numpy.ndarray
        Wind speed at 10 m [m/s].
    effective_irradiance : numpy.ndarray, optional
        Irradiance converted by the cells (after reflection and spectrum) [W/m²].
    noct_c : float
        Nominal operating cell temperature [°C].
    module_efficiency : float
        Module efficiency at STC [-].

    Returns
    -------
    numpy.ndarray
        ``T_c = T_a + G/800·(NOCT − 20)·(1 − η/(τα·E/G))·9.5/(5.7 + 3.8·0.51·v)`` (τα = 0.9;
        :func:`pvlib.temperature.noct_sam`); ``T_a`` where ``G = 0``.

    References
    ----------
    Gilman, P. et al. (2018) SAM Photovoltaic Model Technical Reference Update. NREL/TP-6A20-67399,
    eq. 10.37. doi:10.2172/1429291
    """
    poa = np.asarray(poa_global, dtype=float)
    lit = poa > 0.0
    eff = None
    if effective_irradiance is not None:  # noct_sam divides by E/G: keep it finite where it does not matter
        eff_in = np.asarray(effective_irradiance, dtype=float)
        lit &= eff_in > 0.0
        eff = np.where(lit, eff_in, 1.0)
    t = pvlib.temperature.noct_sam(np.where(lit, poa, 1.0), temp_air, wind_speed, noct_c, module_efficiency,
                                   effective_irradiance=eff)
    return np.where(lit, np.asarray(t, dtype=float), np.asarray(temp_air, dtype=float))


def dc_per_mw_dc(effective_irradiance: np.ndarray, temp_cell: np.ndarray,
                 temperature_coefficient_per_c: float, system_losses_fraction: float) -> np.ndarray:
    """DC output per MW of DC nameplate after system losses [MW/MW_DC].

    Parameters
    ----------
    effective_irradiance : numpy.ndarray
        Irradiance converted by the cells [W/m²].
    temp_cell : numpy.ndarray
        Cell temperature [°C].
    temperature_coefficient_per_c : float
        Power temperature coefficient γ [1/°C] (negative).
    system_losses_fraction : float
        PVWatts-style DC losses L (wiring, mismatch, nameplate, availability …) [-].

    Returns
    -------
    numpy.ndarray
        ``P_dc = max(0, E/1000·(1 + γ·(T_c − 25)))·(1 − L)`` (:func:`pvlib.pvsystem.pvwatts_dc`, pdc0 = 1).

    References
    ----------
    Dobos, A. (2014) PVWatts Version 5 Manual. NREL/TP-6A20-62641. doi:10.2172/1158421

    Examples
    --------
    >>> float(dc_per_mw_dc(np.array([1000.0]), np.array([25.0]), -0.0034, 0.1)[0])
    0.9
    """
    pdc = pvlib.pvsystem.pvwatts_dc(effective_irradiance, temp_cell, 1.0, temperature_coefficient_per_c)
    return np.clip(np.asarray(pdc, dtype=float), 0.0, None) * (1.0 - system_losses_fraction)


def ac_per_mw_dc(pdc_per_mw_dc: np.ndarray, dc_ac_ratio: float, inverter_efficiency: float) -> np.ndarray:
    """AC output per MW of DC nameplate of a PVWatts inverter with clipping [MW/MW_DC].

    Parameters
    ----------
    pdc_per_mw_dc : numpy.ndarray
        Inverter DC input per MW of DC nameplate [MW/MW_DC].
    dc_ac_ratio : float
        DC nameplate / inverter AC rating [-].
    inverter_efficiency : float
        Nominal inverter efficiency η_nom [-].

    Returns
    -------
    numpy.ndarray
        ``P_ac = min(η·P_dc, P_ac0)``, ``P_ac0 = 1/dc_ac_ratio``, ``η = η_nom/0.9637·(−0.0162·ζ − 0.0059/ζ
        + 0.9858)``, ``ζ = P_dc/P_dc0``, ``P_dc0 = P_ac0/η_nom`` (:func:`pvlib.inverter.pvwatts`).

    References
    ----------
    Dobos, A. (2014) PVWatts Version 5 Manual. NREL/TP-6A20-62641. doi:10.2172/1158421

    Examples
    --------
    >>> float(ac_per_mw_dc(np.array([2.0]), 1.25, 0.96)[0])  # clipped at the AC rating
    0.8
    """
    pac0 = 1.0 / dc_ac_ratio
    pac = pvlib.inverter.pvwatts(np.asarray(pdc_per_mw_dc, dtype=float), pac0 / inverter_efficiency,
                                 eta_inv_nom=inverter_efficiency, eta_inv_ref=INVERTER_EFFICIENCY_REF)
    return np.asarray(pac, dtype=float)


def pv_model_chain(weather: pd.DataFrame, latitude: float, longitude: float, pv: PV,
                   elevation_m: float = 0.0) -> pd.DataFrame:
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
    pressure = (weather["pressure"].to_numpy(dtype=float) if "pressure" in weather.columns
                else np.full(len(index), pvlib.atmosphere.alt2pres(elevation_m)))
    sp = sun_position(index, latitude, longitude, elevation_m, pressure, col["temp_air"])
    zen_all = sp["apparent_zenith"].to_numpy(dtype=float)
    day = (zen_all < 90.0) & (col["ghi"] > 0.0)
    dust = weather["dust"].to_numpy(dtype=float) if "dust" in weather.columns else None
    soiling = soiling_loss(index, dust, pv.soiling_rate_per_day, pv.soiling_dust_rate_per_day,
                           pv.cleaning_interval_days).to_numpy()
    res = pd.DataFrame(0.0, index=index, columns=["surface_tilt", "aoi", "poa_global", "poa_circumsolar",
                                                  "poa_ground_diffuse", "poa_back", "effective_irradiance",
                                                  "sky_view_ratio", "soiling_loss", "temp_cell", "pv_dc_cf",
                                                  "pv_cf"])
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
    poa = plane_of_array(mount["surface_tilt"], mount["surface_azimuth"], zen, azi, dni, ghi, dhi,
                         dni_extra, am_rel, pv.albedo, pv.gcr, ROW_HEIGHT_PER_COLLECTOR_WIDTH[pv.mount],
                         rear=pv.bifacial)
    front = {k: poa[k] * (1.0 - soiling[day]) for k in _FRONT}
    rear = pv.bifaciality * (1.0 + REAR_SHADE_FACTOR) * poa["poa_back"] if pv.bifacial else 0.0
    effective = (transmitted_irradiance(front, mount["aoi"], mount["surface_tilt"]) + rear) \
        * spectral_factor(am_abs)
    t_cell = cell_temperature(front["poa_global"] + rear, temp_air, wind, effective)
    pdc = dc_per_mw_dc(effective, t_cell, pv.temperature_coefficient_per_c, pv.system_losses_fraction)
    pdc *= degradation_factor(index, pv.degradation_per_year)[day]
    values = {**{k: mount[k] for k in ("surface_tilt", "aoi")},
              **{k: poa[k] for k in ("poa_global", "poa_circumsolar", "poa_ground_diffuse", "poa_back",
                                     "sky_view_ratio")},
              "effective_irradiance": effective, "temp_cell": t_cell, "pv_dc_cf": pdc,
              "pv_cf": ac_per_mw_dc(pdc, pv.dc_ac_ratio, pv.inverter_efficiency)}
    for name, v in values.items():
        res.loc[day, name] = v
    return res


def pv_ac_per_mw_dc(weather: pd.DataFrame, latitude: float, longitude: float, pv: PV,
                    elevation_m: float = 0.0) -> pd.Series:
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
    ``τ`` reflection (:func:`transmitted_irradiance`), ``s`` soiling (:func:`soiling_loss`), ``φ``
    bifaciality·(1 + :data:`REAR_SHADE_FACTOR`) (0 if monofacial), ``M`` spectral factor, ``L`` system
    losses, ``D`` degradation. Zero when the sun is below the horizon at mid-period or GHI is 0. The
    intermediate steps are in :func:`pv_model_chain`.
    """
    return pv_model_chain(weather, latitude, longitude, pv, elevation_m)["pv_cf"].rename("pv_cf")
