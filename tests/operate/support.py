"""Hand-made systems shared by the simulator tests: a scenario of a few workload classes, its hourly (or
sub-hourly) profiles and a flexible ``batch`` class; the rolling policy's window LPs of a run.

Units: MW, MWh, hours; PUE and capacity factors per unit.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from greendc.operate import Design, DispatchState, NoisyForecast, SchedulerParameters, load_reliability
from greendc.operate.faults import fleet_availability
from greendc.operate.policies import DispatchInputs
from greendc.operate.simulate import dispatch_inputs
from greendc.operate.window import Window, WindowLP, dispatch_window, padded_available, window_plan_inputs
from greendc.plan.solve import SolveOptions
from greendc.scenario.models import DataCenter, Electrical, Rules, Scenario, WorkloadClass


def toy_scenario(
    classes: list[WorkloadClass], it_capacity_mw: float, reserve_fraction: float = 0.0, restart_hours: float = 0.0
) -> Scenario:
    """A scenario of ``classes`` on ``it_capacity_mw`` of IT, without auxiliary load.

    Parameters
    ----------
    classes : list of WorkloadClass
        Workload classes of the data center.
    it_capacity_mw : float
        Installed IT power [MW].
    reserve_fraction : float
        Reserve rule, battery + fuel-cell headroom as a share of the load [-].
    restart_hours : float
        Restart time of shed IT [h]; 0 by default, so that a trace pins the priority order alone (the restart
        is traced in ``test_reserve_restart.py``).

    Returns
    -------
    Scenario
        The scenario, default otherwise.
    """
    dc = DataCenter(
        it_capacity_mw=it_capacity_mw,
        workload_classes=classes,
        electrical=Electrical(auxiliary_mw=0.0),
        restart_hours=restart_hours,
    )
    return Scenario(datacenter=dc, rules=Rules(reserve_fraction=reserve_fraction))


def toy_profiles(n: int, pv_cf: object, pue: float, it: dict[str, object], freq: str = "h") -> pd.DataFrame:
    """Simulation profiles of ``n`` steps from 2030-06-01 00:00 UTC: PV only, no water use.

    Parameters
    ----------
    n : int
        Number of steps.
    pv_cf : float or array-like
        PV capacity factor per step [-]; wind is 0.
    pue : float
        Power usage effectiveness [-].
    it : dict
        IT power requested per class name, a number or one value per step [MW].
    freq : str
        Step, a pandas frequency ("h", "15min", ...).

    Returns
    -------
    pandas.DataFrame
        ``pv_cf``, ``wind_cf``, ``pue``, ``water_m3_per_mwh_it``, ``desalination_mwh_per_mwh_it`` and
        ``it_<class>_mw`` on a tz-aware index named ``timestamp``.
    """
    idx = pd.date_range("2030-06-01", periods=n, freq=freq, tz="UTC", name="timestamp")
    data = {"pv_cf": pv_cf, "wind_cf": 0.0, "pue": pue, "water_m3_per_mwh_it": 0.0, "desalination_mwh_per_mwh_it": 0.0}
    return pd.DataFrame(data | {f"it_{k}_mw": v for k, v in it.items()}, index=idx)


def flexible_batch(share: float, utilisation: float, min_power_fraction: float, deadline_hours: int) -> WorkloadClass:
    """A flexible workload class named ``batch`` that may run up to its whole installed IT power.

    Parameters
    ----------
    share : float
        Share of the installed IT power [-].
    utilisation : float
        Mean utilisation of that share [-].
    min_power_fraction : float
        Lowest power, as a share of the class's installed IT power [-]; the highest is 1.
    deadline_hours : int
        Time within which requested work must be done [h].

    Returns
    -------
    WorkloadClass
        The class.
    """
    return WorkloadClass(
        name="batch",
        share=share,
        utilisation=utilisation,
        flexible=True,
        min_power_fraction=min_power_fraction,
        max_power_fraction=1.0,
        deadline_hours=deadline_hours,
    )


def window_lps(
    design: Design, sc: Scenario, prof: pd.DataFrame
) -> tuple[DispatchInputs, Callable[[DispatchState, int, int], Window], Callable[[Window], WindowLP]]:
    """The rolling policy's window LPs on a run with forced outages and a noisy forecast (both seed 3), for
    comparing an LP built once and given other windows' numbers with one built from scratch.

    Parameters
    ----------
    design : Design
        Capacities [MW, MWh].
    sc : Scenario
        The scenario.
    prof : pandas.DataFrame
        Hourly profiles, as :func:`~greendc.operate.simulate` takes them.

    Returns
    -------
    inputs : DispatchInputs
        The run's dispatch inputs.
    window_at : callable
        ``window_at(state, t0, steps)``: the forecast window of ``steps`` steps from step ``t0`` and ``state``.
    lp_of : callable
        ``lp_of(window)``: a window LP built from scratch for ``window`` (value of served energy 1000 USD/MWh,
        10 000 USD/MWh below the floor), its numbers set.
    """
    table, forecast = load_reliability(), NoisyForecast()
    avail = fleet_availability(design, len(prof), 1.0, 3, table)
    inputs = dispatch_inputs(design, sc, prof, avail, table, forecast, SchedulerParameters(), forecast_seed=3)
    padded = padded_available(inputs)
    omega = float(inputs.overhead.mean())

    def window_at(state: DispatchState, t0: int, steps: int) -> Window:
        return dispatch_window(inputs, state, t0, steps, forecast, *padded)

    def lp_of(window: Window) -> WindowLP:
        lp = WindowLP(
            window_plan_inputs(window, inputs, 20_000.0, 10_000.0, 1.0), 1_000.0, omega, 10_000.0, SolveOptions()
        )
        lp.set_window(window, builder_data=False)
        return lp

    return inputs, window_at, lp_of
