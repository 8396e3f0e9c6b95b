"""Losses that grow with time: soiling between cleanings (faster with dust) and module degradation."""

from __future__ import annotations

import numpy as np
import pandas as pd


def soiling_loss(
    index: pd.DatetimeIndex,
    dust: pd.Series | np.ndarray | None,
    rate_per_day: float,
    dust_rate_per_day: float,
    cleaning_interval_days: float,
) -> pd.Series:
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
