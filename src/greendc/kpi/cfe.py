"""24/7 carbon-free energy (CFE): hourly matching, with the carbon-free share carried through storage.

The score (Google 2021 [1]; the hourly constraint of Riepin, Brown & Zavala 2025 [2]) is the share of the
energy consumed at the facility meter that is matched, hour by hour, by carbon-free energy:

.. math:: CFE = \\frac{\\sum_h \\min(L_h, C_h)}{\\sum_h L_h}, \\qquad L_h = \\sum_{t \\in h} facility_t \\Delta t

A surplus in one hour never counts in another; what is curtailed never counts. ``L_h`` is the energy
**served**: load demanded and not served (``unserved_facility_mw``) does not lower the score, it is reported
apart as the served fraction (:func:`greendc.kpi.metrics.served_fraction`). An islanded site that serves
99.27 % of its load from its own plant therefore scores CFE = 1 with a served fraction of 0.9927, not a
CFE of 0.9927 that would read as "0.73 % of the energy was not carbon-free".

**Carbon-free supply** ``C_h``: storage carries the carbon-free share of the energy that charged it. Every
step ``t`` [MWh = MW × Δt] the site's sources feed one pool:

.. math::

    S_t = G^{ren}_t + m_t + b^-_t + f_t, \\qquad
    K_t = G^{ren}_t + s_t m_t + \\phi^b_{t-1} b^-_t + \\phi^h_{t-1} f_t

with on-site renewables ``G^ren`` (``pv_mw + wind_mw + csp_mw``, carbon-free), grid import ``m`` at the
grid's carbon-free share ``s_t`` of that hour, battery discharge ``b^-`` at the battery's current
carbon-free fraction ``φ^b`` and fuel-cell output ``f`` at the hydrogen store's ``φ^h``. The pool feeds the
load, the battery charge ``b^+`` and the electrolyser ``e``; each sink takes the pool's carbon-free fraction
(proportional, or *pool*, attribution: no source is assigned to a sink first)

.. math:: q_t = K_t / \\max(S_t, D_t), \\qquad D_t = facility_t + b^+_t + e_t

(``D_t > S_t`` means metered consumption no metered source covers: that part counts as not carbon-free).
The carbon-free energy left for the load in the step, surplus included, is ``c_t = K_t − q_t (b^+_t + e_t)``
and ``C_h = Σ_{t∈h} c_t``: steps finer than an hour are matched on their hourly sums, as granular
certificates of at most one hour are (EnergyTag [3]). For an islanded site whose supply is all renewable,
``q_t = 1`` and ``c_t`` is the served energy: the score is 1.

Each store's carbon-free fraction is a stock-weighted mix, tracked like a state of charge. With ``X_t`` the
stock at the end of step ``t`` and ``n_t = max(X_t − X_{t−1}, 0)`` the energy charged into it in the step
(0 in a step without charging):

.. math:: \\phi_t = \\frac{\\phi_{t-1} (X_t - n_t) + q_t n_t}{X_t}

(``φ`` unchanged while the store is empty). Conventions:

* stock ``X``: the ``battery_soc_mwh`` and ``h2_level_mwh`` columns when present (levels at the end of the
  step, in their own units: only ratios of one store's stock enter), with the first step's start level
  ``max(X_0 − (charge_0 − discharge_0) Δt, 0)``; otherwise the running sum of AC energy charged minus
  discharged (electrolyser input minus fuel-cell output), never below 0, from an empty store;
* losses take the store's fraction (they do not change it); a step that both charges and discharges a
  store adds its net change; discharge in a step is drawn at the fraction the store held before it;
* ``initial_storage_cfe_share`` (default 1) is the fraction of what the stores hold at the start, and of
  any discharge before anything is charged in the series. A fuel cell running on hydrogen electrolysed on
  site is carbon-free only through this tracked fraction; hydrogen bought across the boundary is not
  in the telemetry and is not modelled here.

Worked examples (facility 10 MW, one-hour steps, grid share ``s``):

1. No renewables, ``s = 0``. Hour 0: grid 20 = facility 10 + battery charge 10: ``K = 0``, ``q = 0``, the
   battery holds 10 MWh at ``φ^b = 0``. Hour 1: discharge 9 + grid 1 = facility 10: ``K = 0·9 + 0·1 = 0``.
   CFE = 0 / 20 = 0 (counting the discharge as carbon-free whatever charged it would give 9/20 = 0.45).
2. ``s = 0.5``. Hour 0: PV 10 + grid 10 = facility 10 + charge 10: ``K = 10 + 5 = 15`` of ``S = 20``,
   ``q = 0.75``; the battery gets 10 MWh at 0.75 and the load ``c = 15 − 7.5 = 7.5``. Hour 1: discharge 8 +
   grid 2 = facility 10: ``c = 0.75·8 + 0.5·2 = 7``. CFE = (7.5 + 7) / 20 = 0.725.

Storage passing on the attributes of the energy it stored, net of losses, is the rule of storage
certificates [4]; they link charge and discharge records first in, first out, where the pool needs no record
of individual charges. The PyPSA 24/7 CFE model [2] counts storage net of charging (``discharge − charge``
added to carbon-free supply); when every charge comes from carbon-free supply (``q_t = 1``, ``φ = 1``) that
is ``c_t`` here, hour by hour.

References
----------
.. [1] Google (2021). 24/7 Carbon-Free Energy: Methodologies and Metrics.
.. [2] Riepin, I., Brown, T., Zavala, V. M. (2025). Spatio-temporal load shifting for truly clean
   computing. Advances in Applied Energy 17:100202. doi:10.1016/j.adapen.2024.100202 (open model:
   PyPSA 247-cfe).
.. [3] EnergyTag (2022). Granular Certificate Scheme Standard: production or storage-discharge interval of
   at most one hour; each certificate states whether it was issued from production or released from storage.
.. [4] Granular Registry, storage methodology: storage-discharge granular certificates keep the attributes
   of the energy stored, net of storage losses; storage allocation records link charge and discharge
   records first in, first out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numba import njit

from greendc.errors import GreendcError, TelemetryError
from greendc.kpi.metrics import _HOUR, RENEWABLE_COLUMNS, _checked, _intervals, _share, _values
from greendc.kpi.telemetry import NEGATIVE_TOLERANCE, step_hours

__all__ = ["STORES", "cfe_hourly", "cfe_ledger", "cfe_score", "cfe_share", "check_grid_cfe_share"]

#: Stores whose carbon-free fraction is tracked: name -> (charging column, discharging column, stock column).
STORES: dict[str, tuple[str, str, str]] = {
    "battery": ("battery_charge_mw", "battery_discharge_mw", "battery_soc_mwh"),
    "h2": ("electrolyser_mw", "fuel_cell_mw", "h2_level_mwh"),
}


def check_grid_cfe_share(value: float | pd.Series, name: str = "grid_cfe_share") -> float | pd.Series:
    """Check the grid's carbon-free share: a share in [0, 1], or an hourly series of shares.

    Parameters
    ----------
    value : float or pandas.Series
        Carbon-free share of grid import [-]: one value for the whole series, or one value per clock hour
        (a Series indexed by tz-aware hour starts; converted to UTC).
    name : str
        Name used in messages.

    Returns
    -------
    float or pandas.Series
        The share, or the series as floats with a sorted UTC index.

    Raises
    ------
    GreendcError
        A share outside [0, 1] or not finite (naming the hour), an index that is not tz-aware hour starts,
        a repeated hour, an empty series.
    """
    if not isinstance(value, pd.Series):
        if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
            raise GreendcError(f"{name} = {value!r}: give a share in [0, 1] or an hourly pandas Series of shares")
        return _share(float(value), name)
    idx = value.index
    if not isinstance(idx, pd.DatetimeIndex) or idx.tz is None:
        raise GreendcError(
            f"{name}: an hourly series needs a tz-aware DatetimeIndex of hour starts (UTC), not {type(idx).__name__}"
            + ("" if not isinstance(idx, pd.DatetimeIndex) else " without a time zone")
        )
    idx = idx.tz_convert("UTC")
    if idx.empty:
        raise GreendcError(f"{name}: the hourly series has no values")
    if idx.has_duplicates:
        raise GreendcError(f"{name}: hour {idx[idx.duplicated()][0].isoformat()} appears more than once")
    off_hour = idx != idx.floor("h")
    if off_hour.any():
        raise GreendcError(
            f"{name}: stamp {idx[off_hour][0].isoformat()} is not on the clock hour; give one share per hour, "
            "stamped at the hour's start"
        )
    shares = pd.to_numeric(value, errors="coerce").to_numpy(dtype=float)
    bad = ~(np.isfinite(shares) & (shares >= 0.0) & (shares <= 1.0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise GreendcError(f"{name} at {idx[i].isoformat()} = {value.iloc[i]} must be a share in [0, 1]")
    return pd.Series(shares, index=idx, name=value.name).sort_index()


def _grid_share_per_step(frame: pd.DataFrame, grid_cfe_share: float | pd.Series, dt_h: float) -> np.ndarray:
    """Grid carbon-free share of each row [-]: the hour's value; the mean of its hours for a step over 1 h."""
    share = check_grid_cfe_share(grid_cfe_share)
    if not isinstance(share, pd.Series):
        return np.full(len(frame), share)
    hours_per_row = max(1, round(dt_h))
    first = frame.index[0].floor("h")
    row_hour = np.asarray((frame.index.floor("h") - first) // _HOUR, dtype=np.int64)
    needed = (row_hour[:, None] + np.arange(hours_per_row)).ravel()
    hours = pd.date_range(first, periods=int(needed[-1]) + 1, freq="h")
    values = share.reindex(hours).to_numpy(dtype=float)[needed]
    missing = hours[np.unique(needed[np.isnan(values)])]
    if len(missing):
        shown = ", ".join(t.isoformat() for t in missing[:3]) + (" …" if len(missing) > 3 else "")
        raise GreendcError(
            f"grid_cfe_share: the hourly series has no value for {len(missing)} clock hour(s) of the telemetry "
            f"({shown}); it must cover every hour from {hours[0].isoformat()} to {hours[-1].isoformat()} (UTC)"
        )
    return values.reshape(len(frame), hours_per_row).mean(axis=1)


def _stock_levels(frame: pd.DataFrame, column: str, charged_mwh: np.ndarray, discharged_mwh: np.ndarray) -> np.ndarray:
    """Stock of a store at the start of the series and at the end of every step (``n + 1`` values)."""
    net_mwh = charged_mwh - discharged_mwh
    if column not in frame.columns:
        running = np.cumsum(net_mwh)
        return np.concatenate(([0.0], running - np.minimum.accumulate(np.minimum(running, 0.0))))
    level = _values(frame, column)
    bad = ~(np.isfinite(level) & (level >= -NEGATIVE_TOLERANCE))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise TelemetryError(
            f"column {column!r} at {frame.index[i].isoformat()} = {level[i]!r}: a store level is finite and ≥ 0"
        )
    level = np.clip(level, 0.0, None)
    return np.concatenate(([max(level[0] - net_mwh[0], 0.0)], level))


@njit(cache=True, inline="always")
def _mix(fraction: float, pool_fraction: float, before: float, after: float, charged: float) -> float:
    """Carbon-free fraction of a store after a step: stock-weighted mix of what it held and what came in."""
    if charged <= 0.0 or after <= 0.0:
        return fraction
    new = min(max(after - before, 0.0), after)
    return (fraction * (after - new) + pool_fraction * new) / after


@njit(cache=True)
def _pool_kernel(
    renewable: np.ndarray,
    grid: np.ndarray,
    grid_share: np.ndarray,
    facility: np.ndarray,
    charged: np.ndarray,
    discharged: np.ndarray,
    stock: np.ndarray,
    initial_fraction: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Step loop of the pool attribution (module notes); energies per step [MWh], stores along axis 0.

    Returns the carbon-free energy left for the load ``c_t`` [MWh], the pool fraction ``q_t`` (NaN where
    nothing flows) and each store's fraction at the end of the step.
    """
    n_stores, n = charged.shape
    cfe_mwh = np.empty(n)
    pool = np.empty(n)
    fractions = np.empty((n_stores, n))
    phi = np.full(n_stores, initial_fraction)
    for t in range(n):
        carbon_free = renewable[t] + grid_share[t] * grid[t]
        supply = renewable[t] + grid[t]
        demand = facility[t]
        into_stores = 0.0
        for k in range(n_stores):
            carbon_free += phi[k] * discharged[k, t]
            supply += discharged[k, t]
            demand += charged[k, t]
            into_stores += charged[k, t]
        denominator = max(supply, demand)
        q = carbon_free / denominator if denominator > 0.0 else 0.0
        pool[t] = q if denominator > 0.0 else np.nan
        cfe_mwh[t] = max(carbon_free - q * into_stores, 0.0)
        for k in range(n_stores):
            phi[k] = _mix(phi[k], q, stock[k, t], stock[k, t + 1], charged[k, t])
            fractions[k, t] = phi[k]
    return cfe_mwh, pool, fractions


def _ledger(
    frame: pd.DataFrame, dt_h: float, grid_cfe_share: float | pd.Series, initial_storage_cfe_share: float
) -> pd.DataFrame:
    initial = _share(initial_storage_cfe_share, "initial_storage_cfe_share")
    shares = _grid_share_per_step(frame, grid_cfe_share, dt_h)
    renewable = sum((_values(frame, c) for c in RENEWABLE_COLUMNS), np.zeros(len(frame))) * dt_h
    facility = _values(frame, "facility_mw") * dt_h
    charged = np.vstack([_values(frame, c) * dt_h for c, _, _ in STORES.values()])
    discharged = np.vstack([_values(frame, d) * dt_h for _, d, _ in STORES.values()])
    stock = np.vstack(
        [_stock_levels(frame, s, charged[k], discharged[k]) for k, (_, _, s) in enumerate(STORES.values())]
    )
    cfe_mwh, pool, fractions = _pool_kernel(
        renewable, _values(frame, "grid_import_mw") * dt_h, shares, facility, charged, discharged, stock, initial
    )
    columns = {"load_mwh": facility, "cfe_supply_mwh": cfe_mwh, "grid_cfe_share": shares, "pool_cfe_fraction": pool}
    columns |= {f"{name}_cfe_fraction": fractions[k] for k, name in enumerate(STORES)}
    return pd.DataFrame(columns, index=frame.index)


def cfe_ledger(
    frame: pd.DataFrame, grid_cfe_share: float | pd.Series = 0.0, initial_storage_cfe_share: float = 1.0
) -> pd.DataFrame:
    """Step-by-step carbon-free ledger of the site: what reaches the load and what each store holds.

    Parameters
    ----------
    frame : pandas.DataFrame
        Telemetry [MW] (:mod:`greendc.kpi.telemetry`); ``battery_soc_mwh`` and ``h2_level_mwh`` [MWh] are
        read when present.
    grid_cfe_share : float or pandas.Series
        Carbon-free share of grid import [-]: a constant, or one value per clock hour (UTC hour starts)
        covering the telemetry.
    initial_storage_cfe_share : float
        Carbon-free fraction of what the stores hold at the start of the series [-].

    Returns
    -------
    pandas.DataFrame
        Same index as ``frame``: ``load_mwh`` (served facility energy), ``cfe_supply_mwh`` (carbon-free
        energy left for the load, ``c_t``), ``grid_cfe_share`` (``s_t``), ``pool_cfe_fraction`` (``q_t``;
        NaN where nothing flows), ``battery_cfe_fraction`` and ``h2_cfe_fraction`` (``φ`` at the end of the
        step).

    Raises
    ------
    GreendcError
        A share outside [0, 1]; an hourly grid series that misses hours of the telemetry.
    TelemetryError
        Malformed telemetry, or a store level that is negative or not finite.

    Notes
    -----
    Pool attribution and store fractions as in the module notes (:mod:`greendc.kpi.cfe`).
    """
    return _ledger(frame, _checked(frame), grid_cfe_share, initial_storage_cfe_share)


def cfe_hourly(
    frame: pd.DataFrame, grid_cfe_share: float | pd.Series = 0.0, initial_storage_cfe_share: float = 1.0
) -> pd.DataFrame:
    """Hourly served load, carbon-free supply and matched energy [MWh] (24/7 CFE accounting).

    Parameters
    ----------
    frame : pandas.DataFrame
        Telemetry [MW], any step that divides one hour (or a whole number of hours).
    grid_cfe_share : float or pandas.Series
        Carbon-free share of grid import [-], constant or hourly (:func:`cfe_ledger`); 0 by default.
    initial_storage_cfe_share : float
        Carbon-free fraction of what the stores hold at the start [-] (:func:`cfe_ledger`).

    Returns
    -------
    pandas.DataFrame
        Indexed by matching interval (clock hour; the step itself when coarser than an hour), columns
        ``load_mwh`` (``L_h``), ``cfe_supply_mwh`` (``C_h``), ``matched_mwh`` (``min(L_h, C_h)``).

    Notes
    -----
    ``L_h`` and ``C_h`` are the sums over the hour of the ledger's ``load_mwh`` and ``cfe_supply_mwh``
    (:func:`cfe_ledger`; Google 2021 [1], Riepin et al. 2025 [2]). A step over one hour is its own
    interval: the match is then an upper bound of the hourly one.
    """
    keys, _ = _intervals(frame)  # checks the telemetry
    ledger = _ledger(frame, step_hours(frame), grid_cfe_share, initial_storage_cfe_share)
    hourly = ledger[["load_mwh", "cfe_supply_mwh"]].groupby(keys).sum()
    hourly["matched_mwh"] = np.minimum(hourly["load_mwh"], hourly["cfe_supply_mwh"])
    hourly.index.name = "timestamp"
    return hourly


def cfe_share(
    frame: pd.DataFrame, grid_cfe_share: float | pd.Series = 0.0, initial_storage_cfe_share: float = 1.0
) -> float:
    """24/7 carbon-free energy score over the series [-]: served load matched hour by hour.

    Parameters
    ----------
    frame : pandas.DataFrame
        Telemetry [MW].
    grid_cfe_share : float or pandas.Series
        Carbon-free share of grid import [-], constant or hourly.
    initial_storage_cfe_share : float
        Carbon-free fraction of what the stores hold at the start [-].

    Raises
    ------
    TelemetryError
        The facility served no energy over the series; a step that fits no hourly grid.

    Notes
    -----
    ``CFE = Σ_h min(L_h, C_h) / Σ_h L_h`` (:func:`cfe_hourly`; Google 2021 [1]). Unserved load is not in
    ``L_h``: read it in :func:`greendc.kpi.metrics.served_fraction`.

    Examples
    --------
    Worked example 1 of the module notes, a battery charged from a grid without carbon-free supply:

    >>> idx = pd.date_range("2030-01-01", periods=2, freq="h", tz="UTC")
    >>> f = pd.DataFrame({"it_mw": 8.0, "facility_mw": 10.0, "grid_import_mw": [20.0, 1.0],
    ...                   "battery_charge_mw": [10.0, 0.0], "battery_discharge_mw": [0.0, 9.0]}, index=idx)
    >>> cfe_share(f)
    0.0

    Worked example 2, a battery charged from PV and a grid half carbon-free:

    >>> g = pd.DataFrame({"it_mw": 8.0, "facility_mw": 10.0, "pv_mw": [10.0, 0.0], "grid_import_mw": [10.0, 2.0],
    ...                   "battery_charge_mw": [10.0, 0.0], "battery_discharge_mw": [0.0, 8.0]}, index=idx)
    >>> round(cfe_share(g, grid_cfe_share=0.5), 12)
    0.725
    """
    return cfe_score(cfe_hourly(frame, grid_cfe_share, initial_storage_cfe_share))


def cfe_score(hourly: pd.DataFrame) -> float:
    """``Σ_h matched_h / Σ_h L_h`` of an hourly table of :func:`cfe_hourly` [-].

    Raises
    ------
    TelemetryError
        The facility served no energy over the series.
    """
    total = float(hourly["load_mwh"].sum())
    if total <= 0.0:
        raise TelemetryError("column 'facility_mw' adds up to 0 MWh: the CFE score of the served load is undefined")
    return float(hourly["matched_mwh"].sum()) / total
