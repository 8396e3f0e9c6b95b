"""Stress events of the synthetic weather (heat waves, dust episodes, long lulls): placement and envelopes."""

from __future__ import annotations

import numpy as np

__all__ = ["NS_PER_H", "event_envelope", "place_events"]

#: Nanoseconds per hour [ns/h]; instants and event starts are in ns since the epoch.
NS_PER_H = 3_600_000_000_000


def event_envelope(
    t_ns: np.ndarray, starts_ns: np.ndarray, duration_h: float, peaks: np.ndarray | None = None
) -> np.ndarray:
    """Intensity of stress events through time: trapezoids, the strongest event wins where they overlap.

    Parameters
    ----------
    t_ns : numpy.ndarray of int64
        Instants [ns since the epoch].
    starts_ns : numpy.ndarray of int64
        Event starts [ns since the epoch].
    duration_h : float
        Event length [h]; ramps of ``min(12, duration_h / 4)`` h at both ends.
    peaks : numpy.ndarray, optional
        Peak intensity of each event [-], default 1.

    Returns
    -------
    numpy.ndarray
        Intensity, from 0 to 1 [-].
    """
    w = np.zeros(len(t_ns))
    ramp_h = min(12.0, duration_h / 4.0)
    for i, start in enumerate(np.asarray(starts_ns, dtype=np.int64)):
        end = start + int(duration_h * NS_PER_H)
        i0, i1 = np.searchsorted(t_ns, [start, end])
        tau = (t_ns[i0:i1] - start) / NS_PER_H
        seg = np.clip(np.minimum(tau, duration_h - tau) / ramp_h, 0.0, 1.0)
        peak = 1.0 if peaks is None else float(peaks[i])
        w[i0:i1] = np.maximum(w[i0:i1], peak * seg)
    return w


def place_events(
    rng: np.random.Generator,
    rate: float,
    n_years: int,
    year_of_day: np.ndarray,
    day_weight: np.ndarray,
) -> np.ndarray:
    """Poisson number of events per year, days drawn with the given weights; returns day numbers."""
    days = []
    for y in range(n_years):
        n = rng.poisson(rate)
        idx = np.flatnonzero(year_of_day == y)
        if n == 0 or idx.size == 0:
            continue
        p = day_weight[idx] / day_weight[idx].sum()
        days.append(rng.choice(idx, size=n, p=p))
    return np.concatenate(days) if days else np.zeros(0, dtype=int)
