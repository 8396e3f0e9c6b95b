"""Ledger of the IT energy of a simulation: requested = work done + unserved + change of the backlog.

The IT power served to a flexible class (``it_<class>_mw``) is not all requested work: the scheduler
(:func:`greendc.operate.scheduler.work_done`) draws full power without progress for ``t_r`` hours per MW of
jobs resumed (checkpoint reload and the work redone since it was written) and, at a power cap ``f``, does
``1 − ρ (1 − f)`` MWh of work per MWh. That IT energy — the **overhead** — is served (it is drawn from the
bus and counted in ``it_mw`` and ``facility_mw``) but does not reduce the backlog. The ledger of a class
therefore closes on the work done, not on the energy served:

.. math::
    \\sum_t r_t w_t = \\sum_t W_t + \\sum_t u_t w_t + (b_T - b_0), \\qquad
    W_t = p_t w_t - o_t

with ``r`` the requested power (``requested_<class>_mw``), ``p`` the served IT power (``it_<class>_mw``),
``o`` the overhead [MWh], ``u`` the work dropped at its deadline (``unserved_<class>_mw``) and ``b`` the
backlog at the end of a step (``backlog_<class>_mwh``); ``w`` the step length [h]. Firm classes have no
overhead and no backlog: their ledger is ``requested = served + unserved``.

:func:`flexible_overhead_mw` gives the overhead step by step by replaying the scheduler's capping and restart
model on the served power alone (the state it carries — the nominal power of the running jobs and the restart
overhead still owed — depends on nothing else); :func:`energy_accounting` sums the ledger of every class and
its residual, which is round-off when the backlog bookkeeping of the dispatch neither lost nor created work.

References
----------
.. [1] Radovanovic, A. et al. (2023). Carbon-aware computing for datacenters. IEEE Trans. Power Systems
   38(2):1270–1280. doi:10.1109/TPWRS.2022.3173250 (flexible work as a backlog served within a deadline).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from numba import njit

from greendc.errors import DataFileError
from greendc.operate.scheduler import SchedulerParameters, work_done
from greendc.timeindex import check_time_index

#: Keys of each ledger in :func:`energy_accounting` (all [MWh]).
LEDGER_KEYS: tuple[str, ...] = (
    "requested_mwh",
    "served_mwh",
    "work_mwh",
    "overhead_mwh",
    "unserved_mwh",
    "backlog_change_mwh",
    "residual_mwh",
)


@njit(cache=True)
def _replay_work(served_mw, weights_h, cap_floor, penalty, restart_h):  # pragma: no cover - compiled
    """Work done each step [MWh] by :func:`~greendc.operate.scheduler.work_done`, from the first step of a run
    (no jobs running before it, nothing owed)."""
    n = served_mw.shape[0]
    work = np.zeros(n)
    running = -1.0
    debt = 0.0
    for t in range(n):
        work[t], running, _, debt = work_done(served_mw[t], running, debt, weights_h[t], cap_floor, penalty, restart_h)
    return work


def flexible_overhead_mw(
    served_mw: np.ndarray,
    requested_mw: np.ndarray,
    backlog_mwh: np.ndarray,
    weights_h: np.ndarray,
    scheduler: SchedulerParameters | None = None,
    initial_backlog_mwh: float = 0.0,
) -> np.ndarray:
    """IT power of a flexible class that did no requested work, step by step [MW].

    Parameters
    ----------
    served_mw : numpy.ndarray
        IT power served to the class, ``it_<class>_mw``, from the first step of a run [MW].
    requested_mw : numpy.ndarray
        IT power requested, ``requested_<class>_mw`` [MW].
    backlog_mwh : numpy.ndarray
        Work waiting at the end of each step, ``backlog_<class>_mwh`` [MWh].
    weights_h : numpy.ndarray
        Step lengths [h].
    scheduler : SchedulerParameters, optional
        Capping and restart parameters of the run (its provenance ``scheduler``); default the simulator's.
    initial_backlog_mwh : float
        Work waiting before the first step [MWh]; 0 for a run started by
        :meth:`~greendc.operate.policies.DispatchState.initial`.

    Returns
    -------
    numpy.ndarray
        Overhead ``o_t / w_t`` [MW], in ``[0, p_t]`` when ``ρ ≥ 0``.

    Notes
    -----
    The scheduler's work ``Ŵ_t`` is replayed from ``p`` (:func:`~greendc.operate.scheduler.work_done`: jobs
    capped at ``f = p / R`` for ``c_min R ≤ p < R``, suspended below, ``t_r`` hours of full-power compute per
    MW resumed, an overhead longer than a step paid over the next steps). Work cannot exceed what waits, so

    .. math::
        W_t = \\min\\left(\\hat W_t,\\ b_{t-1} + r_t w_t\\right), \\qquad o_t = p_t w_t - W_t

    (the minimum binds only with ``ρ < 0``, where a capped MWh does more than a MWh of work).

    Examples
    --------
    10 MW, off for an hour, back to 10 MW (10 MW resumed, 0.1 h/MW: 1 MWh without progress), then capped at
    8 MW with ``ρ = 0.2`` (``8 × 0.2 × 0.2 = 0.32`` MWh lost to the cap):

    >>> p = np.array([10.0, 0.0, 10.0, 8.0])
    >>> o = flexible_overhead_mw(p, p, np.zeros(4), np.ones(4), SchedulerParameters(capping_efficiency_penalty=0.2))
    >>> print(np.round(o, 6))
    [0.   0.   1.   0.32]
    """
    sched = scheduler if scheduler is not None else SchedulerParameters()
    p = np.ascontiguousarray(served_mw, dtype=float)
    w = np.ascontiguousarray(np.broadcast_to(np.asarray(weights_h, dtype=float), p.shape))
    r = np.asarray(requested_mw, dtype=float)
    b = np.asarray(backlog_mwh, dtype=float)
    if not (p.ndim == 1 and r.shape == p.shape and b.shape == p.shape):
        raise DataFileError(
            f"flexible_overhead_mw: served, requested and backlog must be 1-d arrays of one length, "
            f"got shapes {p.shape}, {r.shape}, {b.shape}"
        )
    work = _replay_work(p, w, sched.cap_floor_fraction, sched.capping_efficiency_penalty, sched.restart_overhead_h)
    waiting = np.concatenate([[initial_backlog_mwh], b[:-1]]) + r * w
    return (p * w - np.minimum(work, waiting)) / w


def _weights_h(dispatch: pd.DataFrame) -> np.ndarray:
    """Step lengths of a dispatch table from its regular time index [h]."""
    idx = dispatch.index
    check_time_index(idx, "dispatch", DataFileError, tz_aware=False, regular=True)
    return np.full(len(idx), (idx[1] - idx[0]) / pd.Timedelta(hours=1))


def energy_accounting(
    dispatch: pd.DataFrame,
    firm_classes: Sequence[str],
    flexible_classes: Sequence[str],
    initial_backlog_mwh: Mapping[str, float] | None = None,
    scheduler: SchedulerParameters | None = None,
) -> dict[str, dict]:
    """Ledger of the IT energy of every workload class over a dispatch table (module equations).

    Parameters
    ----------
    dispatch : pandas.DataFrame
        A simulation's dispatch table (:mod:`greendc.operate.result` columns ``requested_<class>_mw``,
        ``it_<class>_mw``, ``unserved_<class>_mw`` [MW] and, for flexible classes, ``backlog_<class>_mwh``
        [MWh]) on a regular time index, from the first step of its run.
    firm_classes, flexible_classes : sequence of str
        Class names (``SimulationResult`` keeps them as ``DispatchInputs.firm_names`` / ``flexible_names``).
    initial_backlog_mwh : mapping, optional
        Work waiting before the first step, by flexible class [MWh]; default 0 (a fresh run).
    scheduler : SchedulerParameters, optional
        Capping and restart parameters of the run, to replay the overhead (:func:`flexible_overhead_mw`)
        where the table has no ``overhead_<class>_mw`` column; default the simulator's. Pass the run's own,
        ``SchedulerParameters(**result.provenance.details["scheduler"])``: other parameters replay another overhead,
        and the residual shows it.

    Returns
    -------
    dict
        ``{"classes": {name: ledger}, "total": ledger}``; each ledger holds [MWh] ``requested_mwh``,
        ``served_mwh`` (IT energy served), ``work_mwh`` (served as requested work), ``overhead_mwh`` (served
        IT energy that did no requested work: restarts and capping), ``unserved_mwh`` (dropped at the deadline
        or shed), ``backlog_change_mwh`` (``b_T − b_0``) and ``residual_mwh`` = ``requested − work − unserved
        − backlog_change``.

    Raises
    ------
    DataFileError
        A missing column (named) or an index that is not regular.

    Examples
    --------
    >>> idx = pd.date_range("2030-01-01", periods=3, freq="h", tz="UTC")
    >>> df = pd.DataFrame({"requested_batch_mw": [6.0, 0.0, 0.0], "it_batch_mw": [0.0, 5.0, 1.5],
    ...                    "unserved_batch_mw": 0.0, "backlog_batch_mwh": [6.0, 1.5, 0.0]}, index=idx)
    >>> ledger = energy_accounting(df, [], ["batch"])["classes"]["batch"]
    >>> print(round(ledger["overhead_mwh"], 6), round(ledger["residual_mwh"], 6))
    0.5 0.0
    """
    w = _weights_h(dispatch)
    initial = dict(initial_backlog_mwh or {})

    def column(name: str) -> np.ndarray:
        if name not in dispatch.columns:
            raise DataFileError(f"dispatch: column '{name}' is missing; needed by energy_accounting")
        return dispatch[name].to_numpy(dtype=float)

    def energy(x: np.ndarray) -> float:
        return float(np.sum(x * w))

    classes: dict[str, dict[str, float]] = {}
    for c in firm_classes:
        requested, served, unserved = (energy(column(f"{k}_{c}_mw")) for k in ("requested", "it", "unserved"))
        classes[c] = {
            "requested_mwh": requested,
            "served_mwh": served,
            "work_mwh": served,
            "overhead_mwh": 0.0,
            "unserved_mwh": unserved,
            "backlog_change_mwh": 0.0,
            "residual_mwh": requested - served - unserved,
        }
    for c in flexible_classes:
        p, r, u = (column(f"{k}_{c}_mw") for k in ("it", "requested", "unserved"))
        b = column(f"backlog_{c}_mwh")
        b0 = float(initial.get(c, 0.0))
        if f"overhead_{c}_mw" in dispatch.columns:
            o = column(f"overhead_{c}_mw")
        else:
            o = flexible_overhead_mw(p, r, b, w, scheduler, b0)
        requested, served, overhead, unserved = energy(r), energy(p), energy(o), energy(u)
        work = served - overhead
        change = float(b[-1]) - b0
        classes[c] = {
            "requested_mwh": requested,
            "served_mwh": served,
            "work_mwh": work,
            "overhead_mwh": overhead,
            "unserved_mwh": unserved,
            "backlog_change_mwh": change,
            "residual_mwh": requested - work - unserved - change,
        }
    total = {k: float(sum(led[k] for led in classes.values())) for k in LEDGER_KEYS}
    return {"classes": classes, "total": total}


__all__ = ["LEDGER_KEYS", "energy_accounting", "flexible_overhead_mw"]
