"""Moist-air properties as vectorised functions of weather arrays (SI units, °C, Pa, kg/kg).

These are the few psychrometric relations the cooling model needs: saturation vapour pressure,
humidity ratio, dew point, wet-bulb temperature, moist-air enthalpy and density, the latent heat of
vaporisation of water used by the cooling-tower water model, and the outdoor-air (airside) economiser,
a mixing and adiabatic-humidification process on these properties.

All functions accept scalars, :class:`numpy.ndarray` or :class:`pandas.Series` and return
:class:`numpy.ndarray` (or a float for scalar input), so they run unchanged over 8760 × N hours.

References
----------
.. [1] Alduchov, O. A. and Eskridge, R. E. (1996). Improved Magnus form approximation of saturation
   vapor pressure. J. Appl. Meteor. 35, 601–609. doi:10.1175/1520-0450(1996)035<0601:IMFAOS>2.0.CO;2
.. [2] ASHRAE (2017). Handbook — Fundamentals, chapter 1 "Psychrometrics" (SI edition),
   equations (22), (32), (35).
.. [3] Stull, R. (2011). Wet-bulb temperature from relative humidity and air temperature.
   J. Appl. Meteor. Climatol. 50, 2267–2269. doi:10.1175/JAMC-D-11-0143.1
.. [4] Lei, N. and Masanet, E. (2020). Statistical analysis for predicting location-specific data
   center PUE and its improvement potential. Energy 201, 117556. doi:10.1016/j.energy.2020.117556
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

ArrayLike = npt.ArrayLike

#: Ratio of the molar masses of water vapour and dry air (ASHRAE Fundamentals 2017, ch. 1, eq. 20) [-].
MOLAR_MASS_RATIO = 0.621945
#: Specific gas constant of dry air [J/(kg·K)] (ASHRAE Fundamentals 2017, ch. 1).
R_DRY_AIR_J_PER_KG_K = 287.042
#: Magnus coefficients of Alduchov & Eskridge (1996) over liquid water: e_s = A exp(B t / (t + C)).
MAGNUS_A_PA = 610.94
MAGNUS_B = 17.625
MAGNUS_C_DEGC = 243.04
#: Lowest relative humidity used when a logarithm of RH is needed (dew point) [%].
RH_FLOOR_PERCENT = 0.01
_ZERO_C_IN_K = 273.15


def _out(x: np.ndarray) -> np.ndarray | float:
    return float(x) if np.ndim(x) == 0 else x


def saturation_vapour_pressure(temp_air: ArrayLike) -> np.ndarray | float:
    """Saturation vapour pressure over liquid water [Pa].

    Parameters
    ----------
    temp_air : array-like
        Air (or water-surface) temperature [°C].

    Returns
    -------
    numpy.ndarray or float
        Saturation vapour pressure [Pa].

    Notes
    -----
    Magnus form with the Alduchov & Eskridge (1996) coefficients [1]_:

    .. math:: e_s = 610.94 \\exp\\left(\\frac{17.625\\,t}{t + 243.04}\\right)

    Relative error below 0.4 % between −40 and +50 °C against the Wexler/Hyland–Wexler reference.
    Below 0 °C it is the value over supercooled water.

    References
    ----------
    .. [1] Alduchov & Eskridge (1996), doi:10.1175/1520-0450(1996)035<0601:IMFAOS>2.0.CO;2

    Examples
    --------
    >>> round(saturation_vapour_pressure(20.0), 1)
    2333.4
    """
    t = np.asarray(temp_air, dtype=float)
    return _out(MAGNUS_A_PA * np.exp(MAGNUS_B * t / (t + MAGNUS_C_DEGC)))


def vapour_pressure(temp_air: ArrayLike, relative_humidity: ArrayLike) -> np.ndarray | float:
    """Partial pressure of water vapour, ``RH/100 · e_s(T)`` [Pa].

    Parameters
    ----------
    temp_air : array-like
        Dry-bulb temperature [°C].
    relative_humidity : array-like
        Relative humidity [%], 0–100.
    """
    rh = np.asarray(relative_humidity, dtype=float)
    return _out(rh / 100.0 * np.asarray(saturation_vapour_pressure(temp_air)))


def dew_point(temp_air: ArrayLike, relative_humidity: ArrayLike) -> np.ndarray | float:
    """Dew-point temperature [°C] by inverting the Magnus formula.

    Parameters
    ----------
    temp_air : array-like
        Dry-bulb temperature [°C].
    relative_humidity : array-like
        Relative humidity [%]; values below :data:`RH_FLOOR_PERCENT` are raised to it.

    Notes
    -----
    With :math:`\\gamma = \\ln(RH/100) + B t/(t + C)`, :math:`T_d = C\\gamma/(B - \\gamma)` with the
    Alduchov & Eskridge (1996) coefficients (see :func:`saturation_vapour_pressure`).

    Examples
    --------
    >>> round(dew_point(21.0, 75.0), 1)  # Dakhla climatology T7: 21 °C & 75 % -> 16.4 °C
    16.4
    """
    t = np.asarray(temp_air, dtype=float)
    rh = np.maximum(np.asarray(relative_humidity, dtype=float), RH_FLOOR_PERCENT)
    gamma = np.log(rh / 100.0) + MAGNUS_B * t / (t + MAGNUS_C_DEGC)
    return _out(MAGNUS_C_DEGC * gamma / (MAGNUS_B - gamma))


def humidity_ratio_from_vapour_pressure(vapour_pressure_pa: ArrayLike, pressure: ArrayLike) -> np.ndarray | float:
    """Humidity ratio ``W = 0.621945 p_w / (p − p_w)`` [kg water / kg dry air].

    Parameters
    ----------
    vapour_pressure_pa : array-like
        Partial pressure of water vapour [Pa].
    pressure : array-like
        Total (barometric) pressure [Pa].

    Notes
    -----
    ASHRAE Fundamentals 2017, ch. 1, eq. (22).
    """
    pw = np.asarray(vapour_pressure_pa, dtype=float)
    p = np.asarray(pressure, dtype=float)
    return _out(MOLAR_MASS_RATIO * pw / (p - pw))


def humidity_ratio(temp_air: ArrayLike, relative_humidity: ArrayLike, pressure: ArrayLike) -> np.ndarray | float:
    """Humidity ratio of moist air from dry-bulb temperature and relative humidity [kg/kg dry air].

    Parameters
    ----------
    temp_air : array-like
        Dry-bulb temperature [°C].
    relative_humidity : array-like
        Relative humidity [%].
    pressure : array-like
        Barometric pressure [Pa].

    Examples
    --------
    >>> round(humidity_ratio(20.0, 50.0, 101325.0), 5)
    0.00724
    """
    return humidity_ratio_from_vapour_pressure(vapour_pressure(temp_air, relative_humidity), pressure)


def moist_air_enthalpy(temp_air: ArrayLike, humidity_ratio_kg_per_kg: ArrayLike) -> np.ndarray | float:
    """Specific enthalpy of moist air [kJ/kg dry air].

    Parameters
    ----------
    temp_air : array-like
        Dry-bulb temperature [°C].
    humidity_ratio_kg_per_kg : array-like
        Humidity ratio [kg water / kg dry air].

    Notes
    -----
    ASHRAE Fundamentals 2017, ch. 1, eq. (32): :math:`h = 1.006\\,t + W (2501 + 1.86\\,t)`.

    Examples
    --------
    >>> round(moist_air_enthalpy(20.0, 0.00726), 2)
    38.55
    """
    t = np.asarray(temp_air, dtype=float)
    w = np.asarray(humidity_ratio_kg_per_kg, dtype=float)
    return _out(1.006 * t + w * (2501.0 + 1.86 * t))


def wet_bulb_stull(temp_air: ArrayLike, relative_humidity: ArrayLike) -> np.ndarray | float:
    """Wet-bulb temperature from Stull's (2011) empirical fit, at sea-level pressure [°C].

    Parameters
    ----------
    temp_air : array-like
        Dry-bulb temperature [°C].
    relative_humidity : array-like
        Relative humidity [%].

    Notes
    -----
    .. math::

        T_w = T \\arctan[0.151977 (RH + 8.313659)^{1/2}] + \\arctan(T + RH) - \\arctan(RH - 1.676331)
              + 0.00391838\\,RH^{3/2} \\arctan(0.023101\\,RH) - 4.686035

    Fitted for 101.325 kPa, RH 5–99 % and T −20…50 °C; errors −1 to +0.65 K, largest at low RH
    [1]_. The cooling model uses the pressure-aware :func:`wet_bulb_temperature`; this fit is kept as
    the published reference.

    References
    ----------
    .. [1] Stull (2011), doi:10.1175/JAMC-D-11-0143.1

    Examples
    --------
    >>> round(wet_bulb_stull(20.0, 50.0), 1)  # Stull (2011): 13.7 °C
    13.7
    """
    t = np.asarray(temp_air, dtype=float)
    rh = np.asarray(relative_humidity, dtype=float)
    tw = (
        t * np.arctan(0.151977 * np.sqrt(rh + 8.313659))
        + np.arctan(t + rh)
        - np.arctan(rh - 1.676331)
        + 0.00391838 * rh**1.5 * np.arctan(0.023101 * rh)
        - 4.686035
    )
    return _out(tw)


def wet_bulb_temperature(
    temp_air: ArrayLike, relative_humidity: ArrayLike, pressure: ArrayLike, iterations: int = 40
) -> np.ndarray | float:
    """Thermodynamic wet-bulb temperature at the given pressure [°C].

    Parameters
    ----------
    temp_air : array-like
        Dry-bulb temperature [°C].
    relative_humidity : array-like
        Relative humidity [%].
    pressure : array-like
        Barometric pressure [Pa].
    iterations : int
        Bisection steps; 40 steps shrink the 80 K bracket below 1e-10 K.

    Notes
    -----
    Solves the adiabatic-saturation balance, ASHRAE Fundamentals 2017, ch. 1, eq. (35):

    .. math:: W = \\frac{(2501 - 2.326\\,t^*) W_s^* - 1.006 (t - t^*)}{2501 + 1.86\\,t - 4.186\\,t^*}

    for :math:`t^*` by bisection on :math:`[t - 80, t]` (the right side increases with :math:`t^*`),
    vectorised over all hours. :math:`W_s^*` is the saturation humidity ratio at :math:`t^*` from
    :func:`saturation_vapour_pressure`. The liquid-water form is used below 0 °C too.

    Examples
    --------
    >>> round(wet_bulb_temperature(20.0, 50.0, 101325.0), 1)  # PsychroLib 2.5: 13.78 °C
    13.8
    """
    t = np.asarray(temp_air, dtype=float)
    p = np.asarray(pressure, dtype=float)
    w = np.asarray(humidity_ratio(t, relative_humidity, p))
    t, p, w = np.broadcast_arrays(t, p, w)
    lo = t - 80.0
    hi = t.copy()
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        ws = np.asarray(humidity_ratio_from_vapour_pressure(saturation_vapour_pressure(mid), p))
        w_mid = ((2501.0 - 2.326 * mid) * ws - 1.006 * (t - mid)) / (2501.0 + 1.86 * t - 4.186 * mid)
        above = w_mid > w
        hi = np.where(above, mid, hi)
        lo = np.where(above, lo, mid)
    return _out(0.5 * (lo + hi))


def air_density(
    temp_air: ArrayLike, pressure: ArrayLike, humidity_ratio_kg_per_kg: ArrayLike = 0.0
) -> np.ndarray | float:
    """Density of moist air (ideal gas) [kg/m³].

    Parameters
    ----------
    temp_air : array-like
        Dry-bulb temperature [°C].
    pressure : array-like
        Barometric pressure [Pa].
    humidity_ratio_kg_per_kg : array-like
        Humidity ratio [kg/kg dry air]; 0 gives dry air.

    Notes
    -----
    :math:`\\rho = \\frac{p\\,(1 + W)}{R_{da}\\,T\\,(1 + 1.607858\\,W)}` with
    :math:`R_{da} = 287.042` J/(kg·K) (ASHRAE Fundamentals 2017, ch. 1, eqs. 11 and 28).

    Examples
    --------
    >>> round(air_density(21.0, 101500.0, humidity_ratio(21.0, 75.0, 101500.0)), 3)  # Dakhla T8
    1.194
    """
    t_k = np.asarray(temp_air, dtype=float) + _ZERO_C_IN_K
    p = np.asarray(pressure, dtype=float)
    w = np.asarray(humidity_ratio_kg_per_kg, dtype=float)
    return _out(p * (1.0 + w) / (R_DRY_AIR_J_PER_KG_K * t_k * (1.0 + w / MOLAR_MASS_RATIO)))


def latent_heat_vaporisation(temp_water: ArrayLike) -> np.ndarray | float:
    """Latent heat of vaporisation of water [kJ/kg].

    Parameters
    ----------
    temp_water : array-like
        Water temperature [°C].

    Notes
    -----
    Quadratic fit used by Lei & Masanet (2020) [1]_ in their tower water model:

    .. math:: h_{fg}(T) = -0.0013\\,T^2 - 2.3097\\,T + 2500.5

    References
    ----------
    .. [1] Lei & Masanet (2020), doi:10.1016/j.energy.2020.117556

    Examples
    --------
    >>> round(latent_heat_vaporisation(30.0), 2)
    2430.04
    """
    t = np.asarray(temp_water, dtype=float)
    return _out(-0.0013 * t**2 - 2.3097 * t + 2500.5)


def airside_economiser(
    temp_air: ArrayLike,
    relative_humidity: ArrayLike,
    pressure: ArrayLike,
    t_supply_air: float,
    t_return_air: float,
    dew_point_min: float,
    dew_point_max: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Outdoor-air economiser with enthalpy control and adiabatic humidification.

    Parameters
    ----------
    temp_air, relative_humidity, pressure : array-like
        Outdoor dry-bulb [°C], relative humidity [%], pressure [Pa].
    t_supply_air, t_return_air : float
        Supply- and return-air temperatures of the halls [°C].
    dew_point_min, dew_point_max : float
        Allowed supply-air dew points [°C].

    Returns
    -------
    free_fraction, outdoor_air_fraction, humidification_kg_per_kg : numpy.ndarray
        Share of the heat removed by outdoor air [-], outdoor / supply air mass ratio [-], water added per
        kg of supply air [kg/kg].

    Notes
    -----
    Supply humidity ``W_s = clip(W_oa, W(dp_min), W(dp_max))``; drier air is humidified adiabatically
    (enthalpy unchanged); air more humid than ``dp_max`` is not used (no mechanical dehumidification: the
    halls recirculate). Otherwise, with enthalpies at ``W_s``,
    :math:`f = \mathrm{clip}((h_{ra} - h_{oa})/(h_{ra} - h_{sa}), 0, 1)` and
    :math:`x_{oa} = \min(1, (h_{ra} - h_{sa})/(h_{ra} - h_{oa}))`: cold air is mixed with return air, warmer
    air is used 100 % and trimmed by the chiller coil. After Lei & Masanet's (2020) "PUE_AE" enthalpy
    economiser (doi:10.1016/j.energy.2020.117556), without its direct evaporative cooling.
    """
    t, p = np.asarray(temp_air, dtype=float), np.asarray(pressure, dtype=float)
    w_oa = np.asarray(humidity_ratio(t, relative_humidity, p))
    w_min, w_max = (
        np.asarray(humidity_ratio_from_vapour_pressure(saturation_vapour_pressure(dp), p))
        for dp in (dew_point_min, dew_point_max)
    )
    w_s = np.clip(w_oa, w_min, w_max)
    h_oa = np.asarray(moist_air_enthalpy(t, w_oa))
    h_sa, h_ra = (np.asarray(moist_air_enthalpy(ts, w_s)) for ts in (t_supply_air, t_return_air))
    free = np.where(w_oa <= w_max, np.clip((h_ra - h_oa) / (h_ra - h_sa), 0.0, 1.0), 0.0)
    x_oa = np.where(free > 0.0, np.minimum(1.0, (h_ra - h_sa) / np.maximum(h_ra - h_oa, 1e-12)), 0.0)
    return free, x_oa, x_oa * np.maximum(w_s - w_oa, 0.0)
