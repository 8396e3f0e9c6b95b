"""Segmentation of the planning horizon: neighbouring steps that look alike merged into longer steps.

Chronology is kept: a segment is a run of consecutive steps, and the LP keeps its chronological, cyclic
storage equations with the segment lengths as step weights (:mod:`greendc.plan.model`). Unlike blocks of
a fixed length (:func:`~greendc.plan.aggregate.aggregate_time`), segments are short where the profiles
change fast (dawn, dusk, a front) and long where they stay flat (a windless night), so the same number of
steps keeps more of what sizes storage. :func:`segment_starts` finds the segments by merging neighbours
bottom-up (Ward's criterion restricted to adjacent segments, the method of tsam's segmentation, here over
the whole horizon instead of within typical periods); :func:`~greendc.plan.aggregate.aggregate_segments`
averages the inputs over them.

When is the segmented LP a relaxation of the hourly one (its optimum a lower bound)? Average any feasible
hourly dispatch over each segment: every balance, bound and limit that is linear in the step's variables
with data constant over the segment still holds for the averages; storage levels at segment ends are the
hourly levels there; so the averaged dispatch is feasible for the segmented LP at the same cost. This holds
for PV, wind, battery, hydrogen, CSP storage, firm load, reserves and land. It is not exact where two
time-varying numbers multiply a decision inside a segment: the flexible IT served times the PUE (the
segment keeps the PUE weighted by the *requested* IT), and the backlog window of a flexible class, which
the segment evaluates at its end only. Both err by the PUE's and the request's variation inside a segment
times the flexible work moved within it; :func:`segment_starts` can cut where they change
(``columns``).

References
----------
L. Kotzur et al., Impact of different time series aggregation methods on optimal energy system design,
Renewable Energy 117 (2018) 474-487 (tsam). M. Hoffmann et al., A review on time series aggregation methods
for energy system models, Energies 13 (2020) 641. PyPSA ``Network.cluster.temporal.segment`` (tsam-based).
"""

from __future__ import annotations

import heapq

import numpy as np
import pandas as pd

from greendc.errors import ScenarioError
from greendc.plan.inputs import PlanInputs

__all__ = ["check_starts", "feature_matrix", "segment_starts", "year_starts"]


def year_starts(inputs: PlanInputs) -> np.ndarray:
    """Index of the first step of each calendar year (UTC) of the horizon, the first step included."""
    years = inputs.index.year.to_numpy()
    return np.flatnonzero(np.r_[True, years[1:] != years[:-1]])


def check_starts(inputs: PlanInputs, month: int = 7, hour: int = 12) -> np.ndarray:
    """Where the horizon is cut into the pieces an hourly check solves one by one: the first step, and the
    first step at or after ``month``-1 ``hour``:00 UTC of every year (mid-summer noon by default).

    A cut fixes the storage levels on both sides (:mod:`greendc.plan.hourly_check`); at a summer noon the
    sun fills the battery and the winter lulls are months away, so the fixed levels constrain little. A cut
    on 1 January would fall in the middle of the season that sizes the storage.
    """
    idx = inputs.index
    cuts = [0]
    for year in np.unique(idx.year):
        t = pd.Timestamp(int(year), month, 1, hour, tz="UTC")
        k = int(idx.searchsorted(t))
        if 0 < k < inputs.n_steps:
            cuts.append(k)
    return np.unique(cuts)


def feature_matrix(inputs: PlanInputs) -> np.ndarray:
    """The profiles segments are judged on, each scaled to unit range [-].

    PV and wind output per MW, the facility load the firm and flexible requests cause (requested IT × PUE
    plus auxiliary load) and the PUE; a constant column is left out.
    """
    requested = sum(wl.requested_mw for wl in inputs.workloads)
    load = requested * inputs.it_overhead + inputs.auxiliary_mw
    columns = [inputs.pv_cf, inputs.wind_cf, load, inputs.pue]
    if inputs.csp is not None:
        columns.append(inputs.csp.thermal_cf)
    out = []
    for col in columns:
        col = np.asarray(col, dtype=float)
        span = col.max() - col.min()
        if span > 0:
            out.append((col - col.min()) / span)
    return np.column_stack(out) if out else np.zeros((inputs.n_steps, 1))


def segment_starts(
    inputs: PlanInputs,
    n_segments: int,
    forced_starts: np.ndarray | None = None,
    full_resolution: np.ndarray | None = None,
) -> np.ndarray:
    r"""First step of each segment: the horizon cut into ``n_segments`` runs of alike steps.

    Parameters
    ----------
    inputs : PlanInputs
        Hourly (or any regular) inputs; :func:`feature_matrix` gives what is compared.
    n_segments : int
        Number of segments wanted (at least the number of forced starts and full-resolution steps).
    forced_starts : array of int, optional
        Steps that must start a segment (e.g. :func:`year_starts`, where the hourly check joins the years).
    full_resolution : array of bool, optional
        Steps kept as segments of their own (periods a check found short).

    Returns
    -------
    numpy.ndarray
        Sorted first steps, starting with 0.

    Notes
    -----
    Greedy agglomeration: start from one segment per step; repeatedly merge the adjacent pair whose merge
    increases the within-segment weighted sum of squares least, :math:`\Delta = \frac{w_a w_b}{w_a + w_b}
    \lVert \mu_a - \mu_b \rVert^2` (Ward), never across a forced start or a full-resolution step, until
    ``n_segments`` remain. A heap with lazy deletion makes it :math:`O(n \log n)`.
    """
    n = inputs.n_steps
    forced = np.zeros(n, dtype=bool)
    forced[0] = True
    if forced_starts is not None:
        forced[np.asarray(forced_starts, dtype=int)] = True
    if full_resolution is not None:
        keep = np.asarray(full_resolution, dtype=bool)
        if keep.shape != (n,):
            raise ScenarioError(f"full_resolution: expected {n} flags, got shape {keep.shape}")
        forced |= keep
        forced[1:] |= keep[:-1]  # the step after a kept one starts a new segment
    minimum = int(forced.sum())
    if not isinstance(n_segments, int | np.integer) or n_segments < 1:
        raise ScenarioError(f"n_segments = {n_segments!r}; allowed: a whole number >= 1")
    target = max(int(n_segments), minimum)
    if target >= n:
        return np.arange(n)
    x = feature_matrix(inputs)
    w = np.asarray(inputs.weights_h, dtype=float)
    # segment state, indexed by its first step; linked list of neighbours
    weight = w.copy()
    mean = x.copy()
    nxt = np.arange(1, n + 1)
    prv = np.arange(-1, n - 1)
    alive = np.ones(n, dtype=bool)
    version = np.zeros(n, dtype=np.int64)

    def cost(a: int, b: int) -> float:
        d = mean[a] - mean[b]
        return float(weight[a] * weight[b] / (weight[a] + weight[b]) * (d @ d))

    heap = [(cost(a, a + 1), a, 0, 0) for a in range(n - 1) if not forced[a + 1]]
    heapq.heapify(heap)
    count = n
    while count > target and heap:
        _, a, va, vb = heapq.heappop(heap)
        b = nxt[a]
        if not alive[a] or b >= n or version[a] != va or version[b] != vb:
            continue
        # merge b into a
        total = weight[a] + weight[b]
        mean[a] = (weight[a] * mean[a] + weight[b] * mean[b]) / total
        weight[a] = total
        alive[b] = False
        nxt[a] = nxt[b]
        if nxt[a] < n:
            prv[nxt[a]] = a
        version[a] += 1
        count -= 1
        if nxt[a] < n and not forced[nxt[a]]:
            heapq.heappush(heap, (cost(a, nxt[a]), a, version[a], version[nxt[a]]))
        p = prv[a]
        if p >= 0 and not forced[a]:
            heapq.heappush(heap, (cost(p, a), p, version[p], version[a]))
    return np.flatnonzero(alive)
