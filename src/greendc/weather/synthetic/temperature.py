"""Diurnal cycle of the synthetic air temperature."""

from __future__ import annotations

import numpy as np

__all__ = ["diurnal_temperature_shape"]


def diurnal_temperature_shape(solar_hour: np.ndarray, hour_min: float, hour_max: float) -> np.ndarray:
    r"""Diurnal air-temperature shape: 0 at the daily minimum, 1 at the maximum, mean 1/2.

    Parameters
    ----------
    solar_hour : numpy.ndarray
        Apparent solar time [h].
    hour_min, hour_max : float
        Solar times of the minimum and maximum [h], ``hour_min < hour_max``.

    Returns
    -------
    numpy.ndarray
        Half-cosine rise from ``hour_min`` to ``hour_max``, half-cosine fall to ``hour_min + 24`` [-].

    Notes
    -----
    Each half-cosine averages 1/2, so :math:`T = T_{min} + (T_{max} - T_{min})\,s(h)` has the daily mean
    :math:`(T_{min} + T_{max})/2`, the convention of climate normals.
    """
    rise = hour_max - hour_min
    tau = np.mod(solar_hour - hour_min, 24.0)
    up = 0.5 * (1.0 - np.cos(np.pi * tau / rise))
    down = 0.5 * (1.0 + np.cos(np.pi * (tau - rise) / (24.0 - rise)))
    return np.where(tau < rise, up, down)
