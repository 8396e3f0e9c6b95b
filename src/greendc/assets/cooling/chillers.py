"""Chiller efficiency: Lei & Masanet's water-cooled COP regression and a Carnot-fraction air-cooled COP."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from greendc.errors import ScenarioError

COP_REGRESSION_T_MIN_C = 10.0  #: below: chiller regression held at its 10 °C value
COP_REGRESSION_T_MAX_C = 35.0  #: above: regression continued along its tangent
PLR_MIN, PLR_MAX = 0.2, 0.8  #: part-load ratios sampled by Lei & Masanet (hyperscale range)
COP_FLOOR = 1.0  #: lowest COP returned far above the regression's range
MIN_LIFT_K = 10.0  #: smallest compressor lift in the Carnot-fraction model [K]


def chiller_cop_water_cooled(t_condenser: ArrayLike, part_load_ratio: ArrayLike) -> np.ndarray:
    r"""COP of a water-cooled chiller from Lei & Masanet's regression [kW_th/kW_el].

    Parameters
    ----------
    t_condenser : array-like
        Condenser entering water [°C] (wet-bulb + tower approach, or sea temperature).
    part_load_ratio : array-like
        Chiller part-load ratio [-], within [0.2, 0.8] (the range sampled for the fit).

    Raises
    ------
    ScenarioError
        If a part-load ratio is outside [0.2, 0.8].

    Notes
    -----
    .. math:: COP = 16.798751 + 0.008840\,t^2 - 8.528931\,L^2 + 9.885294\,L - 0.760621\,t + 0.084615\,L t

    (Lei & Masanet 2020, doi:10.1016/j.energy.2020.117556), used as published for 10 ≤ t ≤ 35 °C; held at
    its 10 °C value below, continued along its tangent at 35 °C above (the quadratic would turn upward near
    39–42 °C), never below :data:`COP_FLOOR`.

    Examples
    --------
    >>> round(float(chiller_cop_water_cooled(30.0, 0.5)), 2)  # reference table: 6.02
    6.02
    """
    t = np.asarray(t_condenser, dtype=float)
    plr = np.asarray(part_load_ratio, dtype=float)
    bad = np.atleast_1d(~((plr >= PLR_MIN - 1e-12) & (plr <= PLR_MAX + 1e-12)))
    if bad.any():
        value = np.atleast_1d(plr)[np.flatnonzero(bad)[0]]
        raise ScenarioError(
            f"chiller part_load_ratio = {value!r} is outside the regression range [{PLR_MIN}, {PLR_MAX}]"
        )
    tc = np.clip(t, COP_REGRESSION_T_MIN_C, COP_REGRESSION_T_MAX_C)
    cop = 16.798751 + 0.008840 * tc**2 - 8.528931 * plr**2 + 9.885294 * plr - 0.760621 * tc + 0.084615 * plr * tc
    slope = 2 * 0.008840 * COP_REGRESSION_T_MAX_C - 0.760621 + 0.084615 * plr
    cop = np.where(t > COP_REGRESSION_T_MAX_C, cop + slope * (t - COP_REGRESSION_T_MAX_C), cop)
    return np.maximum(cop, COP_FLOOR)


def chiller_cop_carnot(
    t_chilled_water: ArrayLike,
    t_heat_sink: ArrayLike,
    carnot_efficiency: float = 0.5,
    evaporator_approach_k: float = 2.0,
    condensing_approach_k: float = 16.7,
) -> np.ndarray:
    r"""COP of a chiller rejecting heat to air, as a fraction of the Carnot COP [kW_th/kW_el].

    Parameters
    ----------
    t_chilled_water : array-like
        Leaving chilled-water temperature [°C].
    t_heat_sink : array-like
        Air entering the condenser or dry cooler [°C].
    carnot_efficiency : float
        Second-law efficiency, condenser fans included [-].
    evaporator_approach_k, condensing_approach_k : float
        Chilled water − evaporating temperature, condensing − entering air temperature [K].

    Notes
    -----
    :math:`COP = \eta_{II} T_{ev} / (T_{cd} - T_{ev})`, :math:`T_{ev} = t_{chw} - a_{ev} + 273.15`,
    :math:`T_{cd} = t_{sink} + a_{cd} + 273.15`, lift not below :data:`MIN_LIFT_K`. The condensing approach
    is AHRI 550/590 (2015) Table 1: 125 °F saturated condensing at 95 °F entering air. At the AHRI rating point
    (44 °F = 6.67 °C chilled water, 35 °C air) the defaults give COP 2.95 (10.1 Btu/Wh). No part-load term:
    the part-load ratio acts on the water-cooled regression only.

    Examples
    --------
    >>> round(float(chiller_cop_carnot(6.67, 35.0)), 2)
    2.95
    """
    t_ev = np.asarray(t_chilled_water, dtype=float) - evaporator_approach_k + 273.15
    t_cd = np.asarray(t_heat_sink, dtype=float) + condensing_approach_k + 273.15
    return carnot_efficiency * t_ev / np.maximum(t_cd - t_ev, MIN_LIFT_K)
