"""Time aggregation of plan inputs: runs of consecutive steps (fixed blocks or segments) averaged into longer
steps."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from greendc.errors import ScenarioError
from greendc.plan.inputs import PlanInputs


def aggregate_time(inputs: PlanInputs, steps_per_block: int) -> PlanInputs:
    """Average blocks of ``steps_per_block`` consecutive steps into one longer step.

    Blocks of a fixed length (the last may be shorter); see :func:`aggregate_segments`.

    Parameters
    ----------
    inputs : PlanInputs
    steps_per_block : int
        Number of consecutive input steps per aggregated step (≥ 1).
    """
    k = int(steps_per_block)
    if k != steps_per_block or k < 1:
        raise ScenarioError(f"steps_per_block must be a whole number ≥ 1, got {steps_per_block!r}")
    if k == 1:
        return inputs
    return aggregate_segments(inputs, np.arange(0, inputs.n_steps, k), label=str(k))


def aggregate_segments(inputs: PlanInputs, starts: np.ndarray, label: str | None = None) -> PlanInputs:
    """Average runs of consecutive steps, each beginning at one of ``starts``, into one longer step.

    Power and per-unit series become run means weighted by step length (energy is conserved exactly);
    the new weights are the run lengths. Storage balances, backlog windows and energy costs in
    :mod:`greendc.plan.model` use these weights, so state of charge stays continuous and energy is counted
    right; only variability inside a run is lost.

    Parameters
    ----------
    inputs : PlanInputs
    starts : array of int
        First step of each run, increasing, beginning with 0 (e.g.
        :func:`greendc.plan.segment.segment_starts`).
    label : str, optional
        Recorded in the provenance as ``time_aggregation_steps`` (default: the number of runs).
    """
    starts = np.asarray(starts, dtype=int)
    n = inputs.n_steps
    if starts.size == 0 or starts[0] != 0 or np.any(np.diff(starts) <= 0) or starts[-1] >= n:
        raise ScenarioError(f"starts must increase from 0 and stay below {n} steps")
    if starts.size == n:
        return inputs
    w = inputs.weights_h
    w_sum = np.add.reduceat(w, starts)

    def within(values: np.ndarray, x: np.ndarray) -> np.ndarray:
        # a weighted mean lies between the run's extremes; rounding must not push it out (a PUE of exactly 1
        # averaged to 0.9999999999999999 would fail the inputs' range check)
        return np.clip(values, np.minimum.reduceat(x, starts), np.maximum.reduceat(x, starts))

    def mean(x: np.ndarray) -> np.ndarray:
        return within(np.add.reduceat(x * w, starts) / w_sum, x)

    def mean_of_product(x: np.ndarray, y: np.ndarray, x_mean: np.ndarray) -> np.ndarray:
        # energy-weighted mean of y (e.g. PUE weighted by IT power), falling back to the plain mean
        num = np.add.reduceat(x * y * w, starts)
        den = x_mean * w_sum
        return within(np.where(den > 0, num / np.where(den > 0, den, 1.0), mean(y)), y)

    total_it = sum(wl.requested_mw for wl in inputs.workloads)
    total_it_mean = mean(total_it)
    workloads = tuple(
        replace(wl, requested_mw=mean(wl.requested_mw), min_mw=mean(wl.min_mw), max_mw=mean(wl.max_mw))
        for wl in inputs.workloads
    )
    return replace(
        inputs,
        index=inputs.index[starts],
        weights_h=w_sum,
        pv_cf=mean(inputs.pv_cf),
        wind_cf=mean(inputs.wind_cf),
        workloads=workloads,
        pue=mean_of_product(total_it, inputs.pue, total_it_mean),
        desalination_mwh_per_mwh_it=mean_of_product(total_it, inputs.desalination_mwh_per_mwh_it, total_it_mean),
        water_m3_per_mwh_it=mean_of_product(total_it, inputs.water_m3_per_mwh_it, total_it_mean),
        auxiliary_mw=mean(inputs.auxiliary_mw),
        csp=None if inputs.csp is None else replace(inputs.csp, thermal_cf=mean(inputs.csp.thermal_cf)),
        provenance=inputs.provenance.with_details(time_aggregation_steps=label or f"{starts.size} segments"),
    )
