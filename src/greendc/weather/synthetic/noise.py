"""Random processes of the generator: Gaussian AR(1) series and the within-block rank transform."""

from __future__ import annotations

import numpy as np
from scipy import signal

__all__ = ["ar1", "ar1_filter", "stratified_uniform"]


def ar1(rng: np.random.Generator, n: int, lag1: float) -> np.ndarray:
    r"""Stationary Gaussian AR(1) series of unit variance.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random stream.
    n : int
        Length [steps].
    lag1 : float
        Lag-1 autocorrelation :math:`\phi` per step [-], in [0, 1).

    Returns
    -------
    numpy.ndarray
        :math:`x_t = \phi x_{t-1} + \sqrt{1-\phi^2}\,\varepsilon_t`, :math:`x_0 \sim N(0, 1)` [-].
    """
    return ar1_filter(rng.standard_normal(n), lag1)


def ar1_filter(eps: np.ndarray, lag1: float) -> np.ndarray:
    r"""The stationary unit-variance AR(1) series driven by given standard normal innovations.

    Parameters
    ----------
    eps : numpy.ndarray
        Standard normal innovations; ``eps[0]`` is the first value.
    lag1 : float
        Lag-1 autocorrelation :math:`\phi` per step [-], in [0, 1).

    Returns
    -------
    numpy.ndarray
        :math:`x_0 = \varepsilon_0`, :math:`x_t = \phi x_{t-1} + \sqrt{1-\phi^2}\,\varepsilon_t` [-].

    Examples
    --------
    >>> ar1_filter(np.array([1.0, 0.0, 0.0]), 0.5).tolist()
    [1.0, 0.5, 0.25]
    """
    b = np.sqrt(1.0 - lag1**2)
    x, _ = signal.lfilter([b], [1.0, -lag1], eps[1:], zi=[lag1 * eps[0]])
    return np.concatenate([eps[:1], x])


def stratified_uniform(values: np.ndarray, block: np.ndarray) -> np.ndarray:
    """Rank of each value within its block, as a mid-point probability ``(rank + 0.5) / n``.

    Mapping these probabilities through a quantile function gives each block (a calendar month of a
    year) exactly the target distribution while keeping the time order, hence the autocorrelation, of
    ``values`` (Gaussian-copula rank mapping).

    Parameters
    ----------
    values : numpy.ndarray
        Series to rank [any unit].
    block : numpy.ndarray of int
        Block label of each value.
    """
    order = np.lexsort((values, block))
    sorted_block = block[order]
    starts = np.flatnonzero(np.r_[True, sorted_block[1:] != sorted_block[:-1]])
    counts = np.diff(np.r_[starts, len(values)])
    rank = np.arange(len(values)) - np.repeat(starts, counts)
    u = np.empty(len(values))
    u[order] = (rank + 0.5) / np.repeat(counts, counts)
    return u
