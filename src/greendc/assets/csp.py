"""Concentrating solar power: heat collected by a parabolic-trough field per MW_th of field (design point).

Concept: **parabolic troughs on horizontal north–south axes, tracking the sun east to west.** Its optics
reduce to one angle, the incidence angle ``θ`` of the beam on the aperture of a N–S single-axis tracker,
which :func:`pvlib.tracking.singleaxis` gives; a central tower's field efficiency depends on both sun
angles through a field-specific ray-traced table (atlite ships SAM's as ``SAM_solar_tower.yaml``), which
would have to be shipped and cited per layout. The collector equation (Janotte et al. 2014, the form and
coefficients oemof-thermal's ``csp_precalc`` uses) is

.. math::
    q = \\max\\big(0,\\ \\eta_0 K(\\theta) E - c_1 \\Delta T - c_2 \\Delta T^2\\big), \\qquad
    E = \\mathrm{DNI} \\cos\\theta \\, X^{3/2}, \\qquad
    K(\\theta) = 1 - a_1 |\\theta| - a_2 \\theta^2, \\qquad
    \\Delta T = \\tfrac{1}{2}(T_{in} + T_{out}) - T_{air}

with ``q`` the heat delivered per m² of aperture [W/m²], ``θ`` in degrees and ``X`` the mirror
cleanliness. One "MW_th of field" is the aperture that receives 1 MW of beam light at the design-point
DNI of 950 W/m² (1052.6 m²): the unit of the cost row (PyPSA/technology-data 'csp-tower',
EUR/kW_th,dp = cost per m² of reflector × 0.95 kW/m²) and of atlite's CSP capacity factors
(``r_irradiance: 950``). Hence ``csp_th_cf = q / 950``.

Not modelled: row-to-row shading at low sun, collector end losses, start-up heat and the night-time
freeze-protection heat (heat losses only lower the output, which is clipped at zero), and the
thermal inertia of the field (hourly steps).

References
----------
.. [1] Janotte, N., Feckler, G., Kötter, J., Decker, S., Herrmann, U., Schmitz, M., Lüpfert, E. (2014).
   Dynamic performance evaluation of the HelioTrough collector demonstration loop – towards a new
   benchmark in parabolic trough qualification. Energy Procedia 49, 109-117.
   doi:10.1016/j.egypro.2014.03.012 (collector equation and coefficients)
.. [2] oemof-thermal, ``src/oemof/thermal/concentrating_solar_power.py`` (``csp_precalc``, ``calc_iam``,
   ``calc_eta_c``, ``calc_collector_irradiance``) and ``examples/concentrating_solar_power/csp_plant.py``
   (a_1 = -0.00159, a_2 = 0.0000977, eta_0 = 0.816, c_1 = 0.0622, c_2 = 0.00023), github.com/oemof/
   oemof-thermal at commit 00ee87b / 0cb8467 (the coefficients as published there, with the sign
   convention of ``calc_iam``).
.. [3] Hofmann, F., Hampp, J., Neumann, F., Brown, T., Hörsch, J. (2021). atlite: a lightweight Python
   package for calculating renewable power potentials and time series. JOSS 6(62):3294.
   doi:10.21105/joss.03294 (CSP capacity per design-point DNI of 950 W/m²)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pvlib

from greendc.assets.pv import sun_position
from greendc.errors import ScenarioError, WeatherDataError
from greendc.timeindex import check_time_index

#: Weather columns the CSP model reads (``pressure`` is used for refraction when present).
CSP_WEATHER_COLUMNS: tuple[str, ...] = ("dni", "temp_air")
#: Design-point direct normal irradiance that defines 1 MW_th of field [W/m²] (atlite ``r_irradiance``;
#: PyPSA/technology-data 'csp-tower' costs per kW_th,dp at 0.95 kW/m²).
DESIGN_DNI_W_PER_M2 = 950.0
#: Optical efficiency at normal incidence η_0 [-] (HelioTrough, Janotte et al. 2014, via oemof-thermal).
OPTICAL_EFFICIENCY = 0.816
#: Incidence-angle modifier coefficients a_1 [1/°] and a_2 [1/°²] in ``K = 1 - a_1|θ| - a_2 θ²``
#: (Janotte et al. 2014, via oemof-thermal's example; a_1 < 0: K peaks slightly above 1 near 8°).
IAM_A1_PER_DEG = -0.00159
IAM_A2_PER_DEG2 = 0.0000977
#: Heat-loss coefficients per m² of aperture: c_1 [W/(m²·K)], c_2 [W/(m²·K²)] (same source).
HEAT_LOSS_C1 = 0.0622
HEAT_LOSS_C2 = 0.00023
#: Field inlet and outlet temperatures [°C]: an assumption, a synthetic-oil loop as in oil-based trough plants
#: (the oil limits the outlet to about 400 °C); the heat losses scale with their mean minus the air temperature.
FIELD_INLET_TEMP_C = 293.0
FIELD_OUTLET_TEMP_C = 391.0
#: Mirror cleanliness X [-]: an assumption (mirrors washed often, as the PV of the default scenario every
#: 14 days); enters as X^1.5 (mirror and receiver envelope, oemof-thermal ``calc_collector_irradiance``).
CLEANLINESS = 0.97


def incidence_angle_modifier(aoi: np.ndarray, a1: float = IAM_A1_PER_DEG, a2: float = IAM_A2_PER_DEG2) -> np.ndarray:
    """Incidence-angle modifier of a parabolic trough [-].

    Parameters
    ----------
    aoi : numpy.ndarray
        Incidence angle of the beam on the aperture [degrees].
    a1 : float
        Linear coefficient [1/degree].
    a2 : float
        Quadratic coefficient [1/degree²].

    Returns
    -------
    numpy.ndarray
        ``K = max(0, 1 - a1|θ| - a2 θ²)`` (Janotte et al. 2014); the cosine of ``θ`` is applied to the
        irradiance, not here.

    Examples
    --------
    >>> round(float(incidence_angle_modifier(np.array([30.0]))[0]), 5)  # 1 + 0.0477 - 0.08793
    0.95977
    """
    theta = np.abs(np.asarray(aoi, dtype=float))
    return np.clip(1.0 - a1 * theta - a2 * theta**2, 0.0, None)


def peak_incidence_angle_modifier(a1: float = IAM_A1_PER_DEG, a2: float = IAM_A2_PER_DEG2) -> float:
    """Largest ``K(θ)`` over ``0 ≤ θ ≤ 90°`` [-]: ``1 + a1²/(4 a2)`` at ``θ* = -a1/(2 a2)`` when that lies in
    range, else the larger end value."""
    candidates = [0.0, 90.0]
    if a2 > 0 and 0.0 < -a1 / (2.0 * a2) < 90.0:
        candidates.append(-a1 / (2.0 * a2))
    return float(incidence_angle_modifier(np.array(candidates), a1, a2).max())


def trough_incidence_angle(
    solar_zenith: np.ndarray, solar_azimuth: np.ndarray, axis_azimuth: float = 180.0
) -> np.ndarray:
    """Incidence angle of the beam on a horizontal single-axis trough with unlimited rotation [degrees].

    Parameters
    ----------
    solar_zenith, solar_azimuth : numpy.ndarray
        Apparent solar zenith; azimuth clockwise from north [degrees].
    axis_azimuth : float
        Azimuth of the tracking axis [degrees]; 180 (or 0) = north–south axis, tracking east to west.

    Returns
    -------
    numpy.ndarray
        ``θ`` from :func:`pvlib.tracking.singleaxis` (axis tilt 0, no backtracking, ±90° rotation); 90 when
        the sun is below the horizon. For a N–S axis ``cos θ = sqrt(1 - cos²α cos²γ_s)`` with ``α`` the
        solar elevation and ``γ_s`` the solar azimuth (the beam minus its component along the axis; Duffie &
        Beckman 2013, §1.7): at solar noon ``θ`` equals the zenith angle; for a sun due east or west it is 0.

    References
    ----------
    Duffie, J. A., Beckman, W. A. (2013). Solar Engineering of Thermal Processes, 4th ed., Wiley, §1.7.
    doi:10.1002/9781118671603
    """
    zen = np.asarray(solar_zenith, dtype=float)
    azi = np.asarray(solar_azimuth, dtype=float)
    trk = pvlib.tracking.singleaxis(zen, azi, axis_tilt=0.0, axis_azimuth=axis_azimuth, max_angle=90.0, backtrack=False)
    aoi = np.asarray(trk["aoi"], dtype=float)
    return np.where((zen < 90.0) & np.isfinite(aoi), aoi, 90.0)


def trough_heat_per_m2(
    dni: np.ndarray,
    aoi: np.ndarray,
    temp_air: np.ndarray,
    optical_efficiency: float = OPTICAL_EFFICIENCY,
    iam_a1: float = IAM_A1_PER_DEG,
    iam_a2: float = IAM_A2_PER_DEG2,
    heat_loss_c1: float = HEAT_LOSS_C1,
    heat_loss_c2: float = HEAT_LOSS_C2,
    inlet_temp_c: float = FIELD_INLET_TEMP_C,
    outlet_temp_c: float = FIELD_OUTLET_TEMP_C,
    cleanliness: float = CLEANLINESS,
) -> np.ndarray:
    """Heat delivered by a parabolic-trough field per m² of aperture [W/m²].

    Parameters
    ----------
    dni : numpy.ndarray
        Direct normal irradiance [W/m²].
    aoi : numpy.ndarray
        Incidence angle on the aperture [degrees] (:func:`trough_incidence_angle`).
    temp_air : numpy.ndarray
        Air temperature [°C].
    optical_efficiency : float
        η_0, optical efficiency at normal incidence [-].
    iam_a1, iam_a2 : float
        Incidence-angle modifier coefficients [1/degree, 1/degree²].
    heat_loss_c1, heat_loss_c2 : float
        Heat-loss coefficients [W/(m²·K), W/(m²·K²)].
    inlet_temp_c, outlet_temp_c : float
        Heat-transfer fluid temperatures at the field inlet and outlet [°C].
    cleanliness : float
        Mirror cleanliness X [-].

    Returns
    -------
    numpy.ndarray
        ``q = max(0, η_0 K(θ) E - c_1 ΔT - c_2 ΔT²)``, ``E = DNI cos θ X^1.5``, ``ΔT = (T_in + T_out)/2 -
        T_air`` (Janotte et al. 2014; oemof-thermal ``calc_eta_c`` × ``calc_collector_irradiance``).

    Examples
    --------
    Sun on the aperture normal, DNI 1000 W/m², clean mirrors, 25 °C air: ΔT = 342 - 25 = 317 K, losses
    0.0622·317 + 0.00023·317² = 19.7174 + 23.11247 = 42.82987 W/m²:

    >>> round(float(trough_heat_per_m2(np.array([1000.0]), np.array([0.0]), np.array([25.0]),
    ...                                cleanliness=1.0)[0]), 5)
    773.17013
    """
    theta = np.asarray(aoi, dtype=float)
    cos_theta = np.clip(np.cos(np.radians(theta)), 0.0, None)
    beam = np.clip(np.asarray(dni, dtype=float), 0.0, None) * cos_theta * cleanliness**1.5
    delta_t = 0.5 * (inlet_temp_c + outlet_temp_c) - np.asarray(temp_air, dtype=float)
    absorbed = optical_efficiency * incidence_angle_modifier(theta, iam_a1, iam_a2) * beam
    losses = heat_loss_c1 * delta_t + heat_loss_c2 * delta_t**2
    return np.where(beam > 0.0, np.clip(absorbed - losses, 0.0, None), 0.0)


def check_csp_weather(weather: pd.DataFrame) -> None:
    """Raise :class:`~greendc.errors.WeatherDataError` unless ``weather`` can feed the CSP model: a tz-aware
    regular index of at least two steps and finite ``dni`` (≥ 0) and ``temp_air``."""
    idx = weather.index
    check_time_index(idx, "CSP weather", WeatherDataError, regular=True)
    missing = [c for c in CSP_WEATHER_COLUMNS if c not in weather.columns]
    if missing:
        raise WeatherDataError(
            f"CSP weather: missing column(s) {missing}; the CSP model needs "
            f"{list(CSP_WEATHER_COLUMNS)} (dni in W/m2, temp_air in degC)"
        )
    for col in CSP_WEATHER_COLUMNS:
        values = pd.to_numeric(weather[col], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(values) | ((values < 0.0) if col == "dni" else False)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            allowed = "finite values >= 0" if col == "dni" else "finite values"
            raise WeatherDataError(
                f"CSP weather: column '{col}' = {float(values[i])!r} at "
                f"{idx[i].isoformat()} (row {i}) is not allowed; allowed: {allowed}"
            )


def _check_parameters(params: dict[str, float]) -> None:
    limits = {
        "optical_efficiency": (0.0, 1.0, False),
        "cleanliness": (0.0, 1.0, False),
        "heat_loss_c1": (0.0, 10.0, True),
        "heat_loss_c2": (0.0, 1.0, True),
        "iam_a1": (-0.1, 0.1, True),
        "iam_a2": (-0.01, 0.01, True),
        "inlet_temp_c": (0.0, 1000.0, True),
        "outlet_temp_c": (0.0, 1000.0, True),
        "axis_azimuth": (0.0, 360.0, True),
    }
    for name, (low, high, closed_low) in limits.items():
        value = params[name]
        ok = np.isfinite(value) and (low <= value if closed_low else low < value) and value <= high
        if not ok:
            bracket = "[" if closed_low else "("
            raise ScenarioError(
                f"technologies.csp.{name} = {value!r}; allowed: a number in {bracket}{low:g}, {high:g}]"
            )
    if params["outlet_temp_c"] < params["inlet_temp_c"]:
        raise ScenarioError(
            f"technologies.csp.outlet_temp_c = {params['outlet_temp_c']!r} is below inlet_temp_c = "
            f"{params['inlet_temp_c']!r}; the field heats the fluid: allowed outlet >= inlet [°C]"
        )


def csp_thermal_per_mw_field(
    weather: pd.DataFrame,
    latitude: float,
    longitude: float,
    elevation_m: float = 0.0,
    *,
    optical_efficiency: float = OPTICAL_EFFICIENCY,
    iam_a1: float = IAM_A1_PER_DEG,
    iam_a2: float = IAM_A2_PER_DEG2,
    heat_loss_c1: float = HEAT_LOSS_C1,
    heat_loss_c2: float = HEAT_LOSS_C2,
    inlet_temp_c: float = FIELD_INLET_TEMP_C,
    outlet_temp_c: float = FIELD_OUTLET_TEMP_C,
    cleanliness: float = CLEANLINESS,
    axis_azimuth: float = 180.0,
) -> pd.Series:
    """Heat collected by 1 MW_th (design point) of parabolic-trough field on ``weather`` [MW_th/MW_th,dp].

    Parameters
    ----------
    weather : pandas.DataFrame
        Period-start, tz-aware (UTC) index; ``dni`` [W/m²], ``temp_air`` [°C]; optional ``pressure`` [Pa].
    latitude, longitude : float
        Site [degrees north, degrees east].
    elevation_m : float
        Site elevation [m].
    optical_efficiency, iam_a1, iam_a2, heat_loss_c1, heat_loss_c2, inlet_temp_c, outlet_temp_c, cleanliness
        Collector parameters, as for :func:`trough_heat_per_m2`.
    axis_azimuth : float
        Tracking-axis azimuth [degrees] (180 = north–south).

    Returns
    -------
    pandas.Series
        ``csp_th_cf = q(DNI, θ, T_air) / 950 W/m²`` per step: the heat delivered to the heat-transfer fluid
        per MW_th of field at the design point (aperture × 950 W/m²), on the weather index. Zero when the
        sun is below the horizon at mid-period. Never above ``η_0 · max K · DNI / 950``.

    Raises
    ------
    WeatherDataError
        A needed column is missing or holds a bad value, or the index is not tz-aware and regular.
    ScenarioError
        A parameter is out of range (the message names it).
    """
    params = dict(
        optical_efficiency=optical_efficiency,
        iam_a1=iam_a1,
        iam_a2=iam_a2,
        heat_loss_c1=heat_loss_c1,
        heat_loss_c2=heat_loss_c2,
        inlet_temp_c=inlet_temp_c,
        outlet_temp_c=outlet_temp_c,
        cleanliness=cleanliness,
        axis_azimuth=axis_azimuth,
    )
    _check_parameters(params)
    check_csp_weather(weather)
    temp_air = weather["temp_air"].to_numpy(dtype=float)
    pressure = weather["pressure"].to_numpy(dtype=float) if "pressure" in weather.columns else None
    sp = sun_position(weather.index, latitude, longitude, elevation_m, pressure, temp_air)
    aoi = trough_incidence_angle(
        sp["apparent_zenith"].to_numpy(dtype=float), sp["azimuth"].to_numpy(dtype=float), axis_azimuth
    )
    params.pop("axis_azimuth")
    q = trough_heat_per_m2(weather["dni"].to_numpy(dtype=float), aoi, temp_air, **params)
    return pd.Series(q / DESIGN_DNI_W_PER_M2, index=weather.index, name="csp_th_cf")


__all__ = [
    "CSP_WEATHER_COLUMNS",
    "DESIGN_DNI_W_PER_M2",
    "check_csp_weather",
    "csp_thermal_per_mw_field",
    "incidence_angle_modifier",
    "peak_incidence_angle_modifier",
    "trough_heat_per_m2",
    "trough_incidence_angle",
]
