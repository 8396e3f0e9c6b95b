"""IT load of the data center: installed capacity over the build-out and the requested power of each class.

The requested power of a workload class ``k`` at time ``t`` is

.. math::

    P_k(t) = s_k \\, u_k \\, C(t) \\, \\left[1 + a_k \\cos\\left(2\\pi \\frac{h(t) - h_{peak}}{24}\\right)\\right]

with ``s_k`` the share of installed IT capacity, ``u_k`` its mean utilisation, ``C(t)`` the installed IT
capacity (build-out phases), ``a_k`` the relative diurnal amplitude, ``h(t)`` the local solar hour
(UTC hour + longitude/15) and ``h_peak`` = 20 h, the evening peak of user-facing inference traffic. The
cosine averages to zero over a day, so ``u_k`` stays the mean utilisation.

Firm classes must be served as requested; flexible classes may move their work within their envelope
``[min_power_fraction, max_power_fraction] × s_k × C(t)`` as long as it is done within the deadline; the
envelope is applied by the planner and the scheduler, not here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greendc.scenario.models import DataCenter, WorkloadClass

#: Local solar hour of the inference peak (evening traffic), used by ``diurnal_amplitude``.
INFERENCE_PEAK_SOLAR_HOUR = 20.0


def installed_it_capacity_mw(index: pd.DatetimeIndex, datacenter: DataCenter) -> pd.Series:
    """Installed IT capacity at each time step [MW].

    Before the first phase starts nothing is installed; with no phases the full ``it_capacity_mw`` is
    installed from the start.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Time steps, tz-aware UTC.
    datacenter : greendc.scenario.models.DataCenter
        Capacity and build-out phases.
    """
    if not datacenter.phases:
        return pd.Series(datacenter.it_capacity_mw, index=index, name="it_capacity_mw")
    capacity = np.zeros(len(index))
    starts = [pd.Timestamp(p.start) for p in datacenter.phases]
    starts = [s.tz_localize("UTC") if s.tzinfo is None else s.tz_convert("UTC") for s in starts]
    for start, phase in sorted(zip(starts, datacenter.phases, strict=True), key=lambda sp: sp[0]):
        capacity[index >= start] = phase.it_capacity_mw
    return pd.Series(capacity, index=index, name="it_capacity_mw")


def diurnal_factor(index: pd.DatetimeIndex, longitude: float, amplitude: float) -> np.ndarray:
    """Relative daily cycle ``1 + a cos(2π (h_solar − 20)/24)`` of a workload class [-].

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Period starts, tz-aware UTC; evaluated at mid-period.
    longitude : float
        Site longitude [degrees east], for local solar time.
    amplitude : float
        Relative amplitude ``a`` [-], 0 for a flat load.

    Examples
    --------
    >>> idx = pd.date_range("2030-01-01", periods=24, freq="h", tz="UTC")
    >>> round(float(diurnal_factor(idx, 0.0, 0.1).mean()), 12)
    1.0
    """
    step_h = (index[1] - index[0]) / pd.Timedelta(hours=1) if len(index) > 1 else 1.0
    hours = index.hour + index.minute / 60.0 + step_h / 2.0
    solar_hour = (np.asarray(hours) + longitude / 15.0) % 24.0
    return 1.0 + amplitude * np.cos(2.0 * np.pi * (solar_hour - INFERENCE_PEAK_SOLAR_HOUR) / 24.0)


def requested_it_mw(index: pd.DatetimeIndex, datacenter: DataCenter, longitude: float) -> pd.DataFrame:
    """Requested IT power of each workload class [MW], one column ``it_<class>_mw`` per class.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Time steps, tz-aware UTC.
    datacenter : greendc.scenario.models.DataCenter
        Installed capacity, phases and workload classes.
    longitude : float
        Site longitude [degrees east], for the daily cycle.
    """
    capacity = installed_it_capacity_mw(index, datacenter).to_numpy()
    columns = {}
    for wc in datacenter.workload_classes:
        columns[class_column(wc)] = (
            wc.share * wc.utilisation * capacity * diurnal_factor(index, longitude, wc.diurnal_amplitude)
        )
    return pd.DataFrame(columns, index=index)


def class_column(workload_class: WorkloadClass | str) -> str:
    """Column name of a workload class's IT power: ``it_<name>_mw``."""
    name = workload_class if isinstance(workload_class, str) else workload_class.name
    return f"it_{name}_mw"
