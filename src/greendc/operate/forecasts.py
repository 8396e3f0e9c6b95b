"""Forecasts of the renewable output that the dispatch policy and the workload scheduler act on.

Three forecasters share one small interface:

* :class:`PerfectForecast` — the actual future (what the planner's linear program sees);
* :class:`PersistenceForecast` — diurnal persistence: the value observed one period (24 h) earlier at
  the same time of day, the usual baseline of day-ahead solar and load forecasting;
* :class:`NoisyForecast` — the actual future times a multiplicative error that grows with the lead time
  (stated error model below), seeded.

Each has ``predict(series, issue_step, horizon_steps, step_h, seed)`` (the forecast of ``series[issue_step + 1 :
issue_step + 1 + horizon_steps]`` as known at the end of step ``issue_step``; used by block policies) and
``surplus_window_mwh(renewable_mw, load_mw, weights_h, horizon_steps)``: for every step ``t``, the
forecast renewable surplus energy of the next ``horizon_steps`` steps,

.. math:: F_t = \\sum_{k=1}^{H} w_{t+k} \\max\\left(\\hat G_{t+k \\mid t} - L_{t+k},\\ 0\\right)

with ``G`` the available renewable power and ``L`` the firm facility load (known: firm IT requests and
auxiliaries are scheduled). Steps past the end of the horizon count as zero.

References
----------
.. [1] Antonanzas, J. et al. (2016). Review of photovoltaic power forecasting. Solar Energy 136:78–111.
   doi:10.1016/j.solener.2016.06.069 (persistence as the reference forecast).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from greendc.errors import ScenarioError


@njit(cache=True)
def _window_perfect(g: np.ndarray, load: np.ndarray, w: np.ndarray, horizon: int) -> np.ndarray:
    n = g.size
    s = np.maximum(g - load, 0.0) * w
    csum = np.zeros(n + 1)
    for i in range(n):
        csum[i + 1] = csum[i] + s[i]
    out = np.empty(n)
    for t in range(n):
        hi = min(t + 1 + horizon, n)
        out[t] = csum[hi] - csum[t + 1] if t + 1 < n else 0.0
    return out


@njit(cache=True)
def _window_persistence(g: np.ndarray, load: np.ndarray, w: np.ndarray, horizon: int, period: int) -> np.ndarray:
    """O(n ⌈H/P⌉): leads ``k`` in ``((m−1)P, mP]`` all look ``mP`` steps back, so each block of leads is a
    window sum of ``y_m[j] = w_j max(G_{max(j − mP, 0)} − L_j, 0)`` taken from a cumulative sum."""
    n = g.size
    out = np.zeros(n)
    csum = np.zeros(n + 1)
    n_blocks = (horizon + period - 1) // period
    for m in range(1, n_blocks + 1):
        lag = m * period
        for j in range(n):
            csum[j + 1] = csum[j] + w[j] * max(g[max(j - lag, 0)] - load[j], 0.0)
        k_lo = (m - 1) * period + 1
        k_hi = min(m * period, horizon)
        for t in range(n):
            a = min(t + k_lo, n)
            b = min(t + k_hi + 1, n)
            if b > a:
                out[t] += csum[b] - csum[a]
    return out


@njit(cache=True)
def _window_noisy(
    g: np.ndarray,
    load: np.ndarray,
    w: np.ndarray,
    horizon: int,
    phi: float,
    sigma_step: float,
    rng: np.random.Generator,
) -> np.ndarray:
    n = g.size
    out = np.zeros(n)
    for t in range(n):
        acc = 0.0
        e = 0.0
        for k in range(1, horizon + 1):
            j = t + k
            if j >= n:
                break
            e = phi * e + sigma_step * rng.standard_normal()
            acc += w[j] * max(g[j] * max(1.0 + e, 0.0) - load[j], 0.0)
        out[t] = acc
    return out


def _check(renewable_mw: np.ndarray, load_mw: np.ndarray, weights_h: np.ndarray, horizon_steps: int) -> tuple:
    g = np.ascontiguousarray(renewable_mw, dtype=float)
    load = np.ascontiguousarray(load_mw, dtype=float)
    w = np.ascontiguousarray(weights_h, dtype=float)
    if not (g.shape == load.shape == w.shape) or g.ndim != 1:
        raise ScenarioError(f"forecast inputs must be 1-D arrays of one length, got {g.shape}, {load.shape}, {w.shape}")
    if isinstance(horizon_steps, bool) or int(horizon_steps) != horizon_steps or horizon_steps < 1:
        raise ScenarioError(f"forecast horizon_steps = {horizon_steps!r}; allowed: an integer >= 1")
    return g, load, w, int(horizon_steps)


@dataclass(frozen=True)
class PerfectForecast:
    """The actual future: what a planner with perfect foresight sees."""

    def describe(self) -> str:
        """One line for provenance."""
        return "perfect"

    def predict(
        self, series: np.ndarray, issue_step: int, horizon_steps: int, step_h: float = 1.0, seed: int = 0
    ) -> np.ndarray:
        """Forecast of ``series[issue_step + 1 : issue_step + 1 + horizon_steps]`` (shorter at the end)."""
        return np.asarray(series, dtype=float)[issue_step + 1 : issue_step + 1 + horizon_steps].copy()

    def surplus_window_mwh(self, renewable_mw, load_mw, weights_h, horizon_steps: int, seed: int = 0) -> np.ndarray:
        """Forecast surplus energy of the next ``horizon_steps`` steps, per step [MWh] (see module Notes)."""
        g, load, w, h = _check(renewable_mw, load_mw, weights_h, horizon_steps)
        return _window_perfect(g, load, w, h)


@dataclass(frozen=True)
class PersistenceForecast:
    """Diurnal persistence: ``Ĝ(t + k | t) = G(t + k − P ⌈k / P⌉)``, ``P`` = ``period_h``.

    Attributes
    ----------
    period_h : float
        Persistence period [h]; 24 h repeats the last observed day.
    """

    period_h: float = 24.0

    def __post_init__(self) -> None:
        if not self.period_h > 0:
            raise ScenarioError(f"PersistenceForecast.period_h = {self.period_h!r}; allowed: > 0 [h]")

    def describe(self) -> str:
        """One line for provenance."""
        return f"persistence ({self.period_h:g} h)"

    def _period_steps(self, weights_h: np.ndarray) -> int:
        return max(1, round(self.period_h / float(weights_h[0])))

    def predict(
        self, series: np.ndarray, issue_step: int, horizon_steps: int, step_h: float = 1.0, seed: int = 0
    ) -> np.ndarray:
        """Forecast of ``series[issue_step + 1 : issue_step + 1 + horizon_steps]`` from values up to ``issue_step``."""
        x = np.asarray(series, dtype=float)
        period = max(1, round(self.period_h / step_h))
        k = np.arange(1, horizon_steps + 1)
        k = k[issue_step + k < x.size]
        src = issue_step + k - period * ((k + period - 1) // period)
        return x[np.clip(src, 0, None)]

    def surplus_window_mwh(self, renewable_mw, load_mw, weights_h, horizon_steps: int, seed: int = 0) -> np.ndarray:
        """Forecast surplus energy of the next ``horizon_steps`` steps, per step [MWh] (see module Notes)."""
        g, load, w, h = _check(renewable_mw, load_mw, weights_h, horizon_steps)
        return _window_persistence(g, load, w, h, self._period_steps(w))


@dataclass(frozen=True)
class NoisyForecast:
    """The actual future with a multiplicative error that grows with the lead time.

    Error model (an assumption, stated): a forecast issued at the end of step ``t`` is
    ``Ĝ(t + k | t) = G(t + k) max(1 + e_k, 0)`` with

    .. math:: e_0 = 0, \\qquad e_k = \\varphi\\, e_{k-1} + \\sigma_\\infty \\sqrt{1 - \\varphi^2}\\, \\eta_k,
        \\qquad \\varphi = e^{-w / \\tau}

    (``η`` standard normal, a fresh draw for every issue time), so the error's standard deviation at lead
    ``k`` steps is ``σ∞ sqrt(1 − φ^{2k})``: zero now, ``≈ σ∞ sqrt(2 w k / τ)`` for short leads and ``σ∞``
    beyond a few ``τ``.

    Attributes
    ----------
    sigma : float
        Long-lead standard deviation ``σ∞`` of the relative error [-]. Default 0.3: relative day-ahead
        errors of single-site wind and PV output of tens of percent, an assumption.
    tau_h : float
        Time constant of the error's growth ``τ`` [h].
    """

    sigma: float = 0.3
    tau_h: float = 6.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.sigma <= 5.0:
            raise ScenarioError(f"NoisyForecast.sigma = {self.sigma!r}; allowed: 0 to 5")
        if not self.tau_h > 0:
            raise ScenarioError(f"NoisyForecast.tau_h = {self.tau_h!r}; allowed: > 0 [h]")

    def describe(self) -> str:
        """One line for provenance."""
        return f"noisy (sigma {self.sigma:g}, tau {self.tau_h:g} h)"

    def error_std(self, lead_h: np.ndarray) -> np.ndarray:
        """Standard deviation of the relative error at lead time ``lead_h`` [-] (before clipping at −1)."""
        return self.sigma * np.sqrt(1.0 - np.exp(-2.0 * np.asarray(lead_h, dtype=float) / self.tau_h))

    def _ar(self, step_h: float) -> tuple[float, float]:
        phi = float(np.exp(-step_h / self.tau_h))
        return phi, self.sigma * float(np.sqrt(1.0 - phi**2))

    def predict(
        self, series: np.ndarray, issue_step: int, horizon_steps: int, step_h: float = 1.0, seed: int = 0
    ) -> np.ndarray:
        """Forecast of ``series[issue_step + 1 : issue_step + 1 + horizon_steps]`` (seeded by seed and issue step)."""
        x = np.asarray(series, dtype=float)[issue_step + 1 : issue_step + 1 + horizon_steps]
        phi, s = self._ar(step_h)
        rng = np.random.default_rng([seed, issue_step])
        e = np.empty(x.size)
        prev = 0.0
        for k, eta in enumerate(rng.standard_normal(x.size)):
            prev = phi * prev + s * eta
            e[k] = prev
        return x * np.maximum(1.0 + e, 0.0)

    def surplus_window_mwh(self, renewable_mw, load_mw, weights_h, horizon_steps: int, seed: int = 0) -> np.ndarray:
        """Forecast surplus energy of the next ``horizon_steps`` steps, per step [MWh] (see module Notes)."""
        g, load, w, h = _check(renewable_mw, load_mw, weights_h, horizon_steps)
        phi, s = self._ar(float(w[0]))
        return _window_noisy(g, load, w, h, phi, s, np.random.default_rng(int(seed)))


Forecast = PerfectForecast | PersistenceForecast | NoisyForecast

__all__ = ["Forecast", "NoisyForecast", "PerfectForecast", "PersistenceForecast"]
