"""Scheduler of the flexible workload classes: a backlog with deadlines, power capping, checkpoint/restart.

Work of a flexible class is counted in MWh of IT energy at full speed. The work requested during step
``s`` (``r_s w_s``) joins the class's backlog as one packet due at the **end of step** ``s + D/w``
(``D`` = ``deadline_hours``; the planner's backlog window, :func:`greendc.plan.workloads.backlog_window_mwh`,
has the same deadline). Packets are served oldest first (earliest deadline first); whatever is left of a
packet at its deadline is dropped and counted as unserved work of the class.

Each step the scheduler offers the dispatch policy three power levels per class (IT MW), see
:func:`allowance`:

* ``lo`` — must run: the class's minimum power (``min_power_fraction``) and the work due at the end of
  this step, whichever is larger;
* ``mid`` — the pace that finishes the work the forecast surplus will not cover within the deadline:
  ``max(lo, (B − F_it) / D)`` with ``B`` the backlog and ``F_it`` the forecast renewable surplus of the
  next ``D`` hours, in IT MWh, shared between classes in proportion to their backlogs;
* ``hi`` — as much as the envelope (``max_power_fraction``) and the backlog allow.

Power capping and restarts (:func:`work_done`): the class runs jobs of nominal power ``R``. A lower power
``p`` with ``p ≥ c_min R`` is met by capping every job at ``f = p / R`` (no restart); the work done is
``p w (1 − ρ (1 − f))`` — the work takes ``1/f`` longer and ``ρ`` is a configurable efficiency
penalty (``ρ < 0`` models the energy saving that caps bring on GPUs). Below ``c_min R`` jobs are
checkpointed and suspended (``R = p``). Jobs resumed (``R`` rises) cost ``t_r`` hours of full-power
compute per MW resumed (reload the checkpoint and redo the work since it was written) — energy drawn
without progress.

References
----------
.. [1] McDonald, J. et al. (2022). Great Power, Great Responsibility: Recommendations for Reducing Energy
   for Training Language Models. Findings of NAACL 2022. arXiv:2205.09646 (power caps at 60–80 % of GPU
   power: about 15 % less energy for a small increase in run time).
.. [2] Radovanovic, A. et al. (2023). Carbon-aware computing for datacenters. IEEE Trans. Power Systems
   38(2):1270–1280. doi:10.1109/TPWRS.2022.3173250 (flexible work completed within a day).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from greendc.errors import ScenarioError

_EPS = 1e-12


@dataclass(frozen=True)
class SchedulerParameters:
    """How the flexible classes slow down, pause and resume.

    Attributes
    ----------
    cap_floor_fraction : float
        Lowest power cap ``c_min`` as a share of the running jobs' nominal power [-]; further reductions
        suspend jobs. Default 0.6: caps of 60–80 % of GPU power used in practice (McDonald et al. 2022).
    capping_efficiency_penalty : float
        ``ρ`` [-]: at a cap ``f`` a MWh does ``1 − ρ (1 − f)`` MWh of full-speed work. Default 0 (work
        proportional to energy), an assumption; measured GPU caps suggest ``ρ`` slightly negative.
    restart_overhead_h : float
        ``t_r`` [h]: full-power compute lost per MW of jobs resumed. Default 0.1 h (six minutes to reload
        a checkpoint and redo the work since it was written), an assumption.
    """

    cap_floor_fraction: float = 0.6
    capping_efficiency_penalty: float = 0.0
    restart_overhead_h: float = 0.1

    def __post_init__(self) -> None:
        if not 0.0 < self.cap_floor_fraction <= 1.0:
            raise ScenarioError(f"cap_floor_fraction = {self.cap_floor_fraction!r}; allowed: (0, 1]")
        if not -1.0 <= self.capping_efficiency_penalty < 1.0:
            raise ScenarioError(f"capping_efficiency_penalty = {self.capping_efficiency_penalty!r}; allowed: [-1, 1)")
        if not 0.0 <= self.restart_overhead_h <= 24.0:
            raise ScenarioError(f"restart_overhead_h = {self.restart_overhead_h!r}; allowed: 0 to 24 [h]")


def deadline_steps(deadline_hours: float, step_h: float) -> int:
    """Deadline in whole steps, ``D / w`` rounded (at least 1) [-]."""
    return max(1, round(deadline_hours / step_h))


@njit(cache=True)
def backlog_add(buf: np.ndarray, total: np.ndarray, j: int, t: int, energy_mwh: float) -> None:
    """Add the work requested in step ``t`` to class ``j``'s ring buffer ``buf[j]`` [MWh]."""
    buf[j, t % buf.shape[1]] = energy_mwh
    total[j] += energy_mwh


@njit(cache=True)
def backlog_due(buf: np.ndarray, head: np.ndarray, j: int, t: int, d_steps: int) -> float:
    """Work of class ``j`` that must be done by the end of step ``t`` (requested in step ``t − D``) [MWh]."""
    s = t - d_steps
    if s < 0 or head[j] > s:
        return 0.0
    return buf[j, s % buf.shape[1]]


@njit(cache=True)
def backlog_serve(buf: np.ndarray, head: np.ndarray, total: np.ndarray, j: int, t: int, work_mwh: float) -> float:
    """Serve ``work_mwh`` of class ``j``'s backlog, oldest packet first; return the work used [MWh]."""
    size = buf.shape[1]
    remaining = work_mwh
    while remaining > _EPS and head[j] <= t:
        k = head[j] % size
        take = min(buf[j, k], remaining)
        buf[j, k] -= take
        remaining -= take
        if buf[j, k] <= _EPS:
            buf[j, k] = 0.0
            head[j] += 1
    used = work_mwh - remaining
    total[j] = max(total[j] - used, 0.0)
    return used


@njit(cache=True)
def backlog_expire(buf: np.ndarray, head: np.ndarray, total: np.ndarray, j: int, t: int, d_steps: int) -> float:
    """Drop what is left of the packet due at the end of step ``t``; return it (missed work) [MWh]."""
    s = t - d_steps
    if s < 0:
        return 0.0
    if head[j] < s:  # packets older than the due one are empty (served); skip them
        head[j] = s
    if head[j] > s:
        return 0.0
    k = s % buf.shape[1]
    missed = buf[j, k]
    buf[j, k] = 0.0
    head[j] = s + 1
    total[j] = max(total[j] - missed, 0.0)
    return missed


@njit(cache=True)
def allowance(
    backlog_mwh: float,
    due_mw: float,
    min_mw: float,
    max_mw: float,
    w_h: float,
    deadline_h: float,
    forecast_surplus_it_mwh: float,
) -> tuple[float, float, float]:
    """Power levels ``(lo, mid, hi)`` offered to the dispatch for one flexible class [MW of IT].

    .. math::
        hi = \\min(P_{max}, B / w), \\quad lo = \\min(\\max(P_{min}, p_{due}), hi),
        \\quad mid = \\min(\\max(lo, \\max(B - F, 0) / D), hi)

    ``B`` backlog including this step's request [MWh], ``p_due`` the power that completes the work due
    at the end of the step (:func:`power_for_work`) [MW], ``F`` forecast surplus usable by the class over
    the deadline [MWh of IT], ``D`` deadline [h].
    """
    hi = min(max_mw, backlog_mwh / w_h)
    lo = min(max(min_mw, due_mw), hi)
    mid = min(max(lo, max(backlog_mwh - forecast_surplus_it_mwh, 0.0) / deadline_h), hi)
    return lo, mid, hi


@njit(cache=True)
def work_done(
    power_mw: float,
    running_mw: float,
    debt_mwh: float,
    w_h: float,
    cap_floor: float,
    penalty: float,
    restart_h: float,
) -> tuple[float, float, float, float]:
    """Full-speed work done by a class drawing ``power_mw`` for ``w_h`` hours.

    Returns ``(work_mwh, running_mw, resumed_mw, debt_mwh)``: the work [MWh], the nominal power of the
    jobs running after the step [MW], the power of the jobs resumed in the step [MW] and the restart
    overhead still to pay [MWh] (an overhead longer than a step is paid over the next steps).
    ``running_mw < 0`` means "no history" (first step: nothing is resumed).

    .. math::
        f = p / R \\ (c_{min} R \\le p \\le R), \\quad
        W = \\max\\left(p\\,w\\,(1 - \\rho (1 - f)) - b,\\ 0\\right), \\quad
        b = b_{t-1} + t_r \\max(p - R, 0)
    """
    if power_mw <= _EPS:
        return 0.0, 0.0, 0.0, debt_mwh
    if running_mw < 0.0:
        return power_mw * w_h, power_mw, 0.0, debt_mwh
    resumed = 0.0
    cap = 1.0
    if power_mw >= running_mw:
        resumed = power_mw - running_mw
        running_mw = power_mw
    elif power_mw >= cap_floor * running_mw:
        cap = power_mw / running_mw
    else:
        running_mw = power_mw
    gross = power_mw * w_h * (1.0 - penalty * (1.0 - cap))
    debt = debt_mwh + restart_h * resumed
    paid = min(debt, gross)
    return gross - paid, running_mw, resumed, debt - paid


@njit(cache=True)
def power_for_work(
    work_mwh: float, running_mw: float, debt_mwh: float, w_h: float, restart_h: float, max_mw: float
) -> float:
    """IT power that does ``work_mwh`` of full-speed work this step, restart overhead included [MW].

    Without resuming jobs (``p ≤ R``): ``p = (W + b) / w``; resuming (``p > R``):
    ``p = (W + b − t_r R) / (w − t_r)``, or ``max_mw`` when ``w ≤ t_r`` (a resume then yields no net work
    within the step). Capped at ``max_mw``.
    """
    if work_mwh <= _EPS:
        return 0.0
    p = (work_mwh + debt_mwh) / w_h
    if running_mw < 0.0 or p <= running_mw:
        return min(p, max_mw)
    if w_h <= restart_h:
        return max_mw
    return min((work_mwh + debt_mwh - restart_h * running_mw) / (w_h - restart_h), max_mw)


__all__ = [
    "SchedulerParameters",
    "allowance",
    "backlog_add",
    "backlog_due",
    "backlog_expire",
    "backlog_serve",
    "deadline_steps",
    "power_for_work",
    "work_done",
]
