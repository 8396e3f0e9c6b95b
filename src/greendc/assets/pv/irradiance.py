"""Light on and into the modules: plane-of-array irradiance with row shading, cover reflection, spectrum."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pvlib
from pvlib.bifacial import infinite_sheds

#: Effective refractive index of an anti-reflective coating, the "typical value" of the
#: :func:`pvlib.iam.physical` docstring; glass n = 1.526, K = 4 /m, L = 2 mm are pvlib's defaults.
AR_COATING_INDEX = 1.29
#: Air-mass spectral modifier a0..a4 of the CEC module model (De Soto et al. 2006), as in SAM/PVWatts v8.
DESOTO_AIRMASS_COEFFICIENTS: tuple[float, ...] = (0.918093, 0.086257, -0.024459, 0.002816, -0.000126)
#: Air mass above which the polynomial is not extrapolated: the sea-level air mass at zenith 86°, where SAM
#: caps the zenith in its CEC module model (``cec6par_module_t``); beyond, the polynomial falls to 0 by AM 15.
SPECTRAL_AIRMASS_MAX = float(pvlib.atmosphere.get_relative_airmass(86.0))


def plane_of_array(
    surface_tilt: np.ndarray,
    surface_azimuth: np.ndarray,
    solar_zenith: np.ndarray,
    solar_azimuth: np.ndarray,
    dni: np.ndarray,
    ghi: np.ndarray,
    dhi: np.ndarray,
    dni_extra: np.ndarray,
    airmass_relative: np.ndarray,
    albedo: float,
    gcr: float,
    row_height_per_width: float,
    rear: bool = False,
) -> dict[str, np.ndarray]:
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
    perez = pvlib.irradiance.perez(
        tilt,
        surface_azimuth,
        dhi,
        dni,
        dni_extra,
        solar_zenith,
        solar_azimuth,
        airmass_relative,
        return_components=True,
    )
    iso, circ, hor = (
        np.nan_to_num(np.asarray(perez[f"poa_{c}"], dtype=float)) for c in ("isotropic", "circumsolar", "horizon")
    )
    sky_open = np.asarray(dhi, dtype=float) * (1.0 + cos_tilt) / 2.0
    ground_open = albedo * np.asarray(ghi, dtype=float) * (1.0 - cos_tilt) / 2.0
    sheds_args = dict(
        surface_tilt=tilt,
        surface_azimuth=surface_azimuth,
        solar_zenith=solar_zenith,
        solar_azimuth=solar_azimuth,
        gcr=gcr,
        height=row_height_per_width,
        pitch=1.0 / gcr,
        ghi=ghi,
        dhi=dhi,
        dni=dni,
        albedo=albedo,
        model="isotropic",
    )
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
    out = {
        "poa_direct": beam * (1.0 - shaded),
        "poa_circumsolar": circ * (1.0 - shaded),
        "poa_isotropic": iso * f_sky,
        "poa_horizon": hor * f_sky,
        "poa_ground_diffuse": ground_open * f_gnd,
    }
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


def transmitted_irradiance(
    poa: dict[str, np.ndarray], aoi: np.ndarray, surface_tilt: np.ndarray, n_ar: float = AR_COATING_INDEX
) -> np.ndarray:
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
    return (
        iam_beam * (poa["poa_direct"] + poa["poa_circumsolar"])
        + diffuse["sky"] * poa["poa_isotropic"]
        + diffuse["horizon"] * poa["poa_horizon"]
        + diffuse["ground"] * poa["poa_ground_diffuse"]
    )


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
