"""The linear program of one rolling-horizon window (see :mod:`greendc.operate.rolling`).

:func:`dispatch_window` gathers what the LP of the window starting at step ``t_0`` knows (forecast outputs,
schedules, ratings held at ``t_0``, storage levels, the backlog of each flexible class and the deadlines of
its packets); :func:`window_plan_inputs` turns it into the planner's :class:`~greendc.plan.inputs.PlanInputs`
(capacities fixed, initial levels instead of cyclic ones); :class:`WindowLP` builds that LP once with the
planner's builders, adds :func:`add_terminal_value` and :func:`add_soft_floor`, and changes its numbers in
HiGHS for every later window.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import linopy
import numpy as np
import pandas as pd

from greendc.constants import HOURS_PER_YEAR
from greendc.costs import CostRow
from greendc.errors import GreendcError
from greendc.operate.forecasts import Forecast
from greendc.operate.policies import DispatchInputs, DispatchState
from greendc.plan.inputs import (
    CSP_COMPONENT_CAPACITY,
    BatterySpec,
    CspSpec,
    HydrogenSpec,
    PlanInputs,
    PlanRules,
    WorkloadInput,
)
from greendc.plan.model import build_model
from greendc.plan.parts import STEP, series
from greendc.plan.solve import SolveOptions
from greendc.provenance import Provenance
from greendc.units import COMPONENTS

#: Name of the site auxiliaries in a window's LP, a firm pseudo-class (no workload class may start with "_").
AUXILIARIES = "_auxiliaries"
#: Cost rows of the components a window prices (those the simulator runs), in the component table's order.
_COMPONENTS = tuple(c.cost_row for c in COMPONENTS if c.group == "core")


@dataclass(frozen=True, eq=False)
class Window:
    """One re-planning window as the LP sees it (arrays of ``T`` steps; MW are step means).

    Attributes
    ----------
    start : int
        First step of the window in the run [-].
    weights_h, overhead : numpy.ndarray
        Step lengths [h], ``PUE + desalination`` [-].
    pv_mw, wind_mw : numpy.ndarray
        Forecast available output [MW].
    pv_scale_mw, wind_scale_mw : float
        Capacities fixed in the LP: the design's, or the forecast peak where higher (a noisy forecast) [MW].
    firm_requested_mw : numpy.ndarray
        (n_firm + 1, T): the firm classes, then the site auxiliaries as IT power ``A / ω`` (shed with the
        firm load, as the real-time balancing does) [MW].
    flexible_requested_mw, flexible_floor_mw, flexible_max_mw : numpy.ndarray
        (n_flex, T) requests, must-run floor (the minimum power where the backlog has work for it), maximum
        [MW].
    backlog_max_mwh : numpy.ndarray
        (n_flex, T) work that may still wait at the end of each step: packets not yet due [MWh].
    backlog_mwh : numpy.ndarray
        (n_flex,) work waiting at the start [MWh].
    battery_power_mw, electrolyser_power_mw, fuel_cell_power_mw : numpy.ndarray
        Available ratings, held at their value at ``start`` [MW].
    battery_soc_mwh, h2_level_mwh : float
        Storage levels at the start [MWh].
    csp_heat_mw_th : numpy.ndarray
        Forecast CSP field heat ``cf^{csp} P_f`` [MW_th] (zeros without a CSP plant).
    csp_field_scale_mw_th : float
        Field fixed in the LP: the design's, or the forecast peak where higher [MW_th].
    csp_storage_mwh_th : float
        Heat in the CSP storage at the start [MWh_th].
    """

    start: int
    weights_h: np.ndarray
    overhead: np.ndarray
    pv_mw: np.ndarray
    wind_mw: np.ndarray
    pv_scale_mw: float
    wind_scale_mw: float
    firm_requested_mw: np.ndarray
    flexible_requested_mw: np.ndarray
    flexible_floor_mw: np.ndarray
    flexible_max_mw: np.ndarray
    backlog_max_mwh: np.ndarray
    backlog_mwh: np.ndarray
    battery_power_mw: np.ndarray
    electrolyser_power_mw: np.ndarray
    fuel_cell_power_mw: np.ndarray
    battery_soc_mwh: float
    h2_level_mwh: float
    csp_heat_mw_th: np.ndarray
    csp_field_scale_mw_th: float
    csp_storage_mwh_th: float

    @property
    def n_steps(self) -> int:
        """Number of steps [-]."""
        return int(self.weights_h.size)

    def firm_facility_mw(self) -> np.ndarray:
        """``ω Σ_firm r`` (auxiliaries included), summed in the planner's order [MW]."""
        const = np.zeros(self.n_steps)
        for r in self.firm_requested_mw:
            const += r * self.overhead
        return const


def _pad(x: np.ndarray, n: int, fill: float | None = 0.0) -> np.ndarray:
    """``x`` (last axis) extended to ``n`` steps with ``fill`` (None: its last step repeated)."""
    missing = n - x.shape[-1]
    if missing <= 0:
        return x
    tail = np.repeat(x[..., -1:], missing, axis=-1) if fill is None else np.full((*x.shape[:-1], missing), fill)
    return np.concatenate([x, tail], axis=-1)


def _backlog_bounds(
    inputs: DispatchInputs,
    state: DispatchState,
    start: int,
    requested_mw: np.ndarray,
    min_mw: np.ndarray,
    w: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Initial backlog, bound ``W`` of the work that may wait, and the must-run floor, per flexible class.

    Packet ``s`` (the work requested in step ``s``, ``d`` the deadline in steps) is dropped at the end of
    step ``s + d``, so at the end of window step ``τ`` the waiting work may hold only packets not yet due:

    .. math:: W_τ = \\sum_{s < t_0,\\ s + d > t_0 + τ} p_s + \\sum_{τ - d < τ' \\le τ} w_{τ'} r_{τ'}

    The floor is the minimum power where the backlog has work for it (``B_τ = B_{τ-1} + w_τ (r_τ - f_τ)``,
    ``f_τ = min(P^{min}_τ, B_{τ-1}/w_τ + r_τ)``), so the window's LP is always feasible.
    """
    n_flex, n = requested_mw.shape
    size = state.backlog_buffer_mwh.shape[1]
    b0, w_max, floor = np.zeros(n_flex), np.zeros((n_flex, n)), np.zeros((n_flex, n))
    tau = np.arange(n)
    for j in range(n_flex):
        d = int(inputs.deadline_steps[j])
        s = np.arange(max(int(state.backlog_head[j]), start - d, 0), start)
        packets = state.backlog_buffer_mwh[j, s % size]
        b0[j] = float(packets.sum())
        by_due = np.bincount(s + d - start, weights=packets, minlength=max(n, d) + 1)
        waiting = np.cumsum(by_due[::-1])[::-1]  # waiting[k]: packets due at the end of window step k or later
        cum = np.concatenate([[0.0], np.cumsum(requested_mw[j] * w)])
        w_max[j] = waiting[1 : n + 1] + cum[tau + 1] - cum[np.maximum(tau + 1 - d, 0)]
        work = b0[j]
        for k in range(n):
            work += requested_mw[j, k] * w[k]
            floor[j, k] = min(min_mw[j, k], work / w[k])
            work -= floor[j, k] * w[k]
    return b0, w_max, floor


def padded_available(inputs: DispatchInputs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Available PV and wind output [MW] and CSP field heat [MW_th] with their first value repeated in
    front, as :func:`dispatch_window` takes them (made once per run)."""
    return tuple(  # type: ignore[return-value]
        np.concatenate([x[:1], x]) for x in (inputs.pv_available_mw, inputs.wind_available_mw, inputs.csp_heat_mw_th)
    )


def dispatch_window(
    inputs: DispatchInputs,
    state: DispatchState,
    start: int,
    horizon_steps: int,
    forecast: Forecast,
    padded_pv_mw: np.ndarray,
    padded_wind_mw: np.ndarray,
    padded_csp_mw_th: np.ndarray,
) -> Window:
    """The window of ``horizon_steps`` steps that starts at step ``start`` (see the module docstring).

    ``padded_*`` are the available series with their first value repeated in front
    (:func:`padded_available`): then
    ``forecast.predict(padded, start, …)`` forecasts steps ``start …`` as issued at the end of step
    ``start − 1`` (for ``start = 0`` too). Past the end of the run the window is idle (no output, load,
    request or flow; the backlog bound held), so every window has one length and the terminal value
    applies to the levels at the end of the run (less any self-discharge over the idle steps).
    """
    end = min(start + horizon_steps, inputs.n_steps)
    n, sl, d = horizon_steps, slice(start, end), inputs.design

    def predicted(padded: np.ndarray) -> np.ndarray:
        fc = forecast.predict(
            padded, start, end - start, float(inputs.weights_h[start]), inputs.forecast_seed_at(start)
        )
        return _pad(np.maximum(np.asarray(fc, dtype=float), 0.0), n)

    def held(rating_mw: np.ndarray) -> np.ndarray:
        return _pad(np.full(end - start, float(rating_mw[start])), n)

    def scale(forecast_mw: np.ndarray, design_mw: float) -> float:
        peak = max(design_mw, float(forecast_mw.max()))
        return peak if peak > 0.0 else 1.0

    pv, wind = predicted(padded_pv_mw), predicted(padded_wind_mw)
    csp = predicted(padded_csp_mw_th)
    firm_mw = _pad(np.vstack([inputs.firm_requested_mw[:, sl], inputs.auxiliary_mw[sl] / inputs.overhead[sl]]), n)
    b0, w_max, floor = _backlog_bounds(
        inputs, state, start, inputs.flexible_requested_mw[:, sl], inputs.flexible_min_mw[:, sl], inputs.weights_h[sl]
    )
    return Window(
        start=start,
        weights_h=_pad(inputs.weights_h[sl], n, None),
        overhead=_pad(inputs.overhead[sl], n, None),
        pv_mw=pv,
        wind_mw=wind,
        pv_scale_mw=scale(pv, d.pv_mw),
        wind_scale_mw=scale(wind, d.wind_mw),
        firm_requested_mw=firm_mw,
        flexible_requested_mw=_pad(inputs.flexible_requested_mw[:, sl], n),
        flexible_floor_mw=_pad(floor, n),
        flexible_max_mw=_pad(inputs.flexible_max_mw[:, sl], n),
        backlog_max_mwh=_pad(w_max, n, None),
        backlog_mwh=b0,
        battery_power_mw=held(inputs.battery_power_mw),
        electrolyser_power_mw=held(inputs.electrolyser_power_mw),
        fuel_cell_power_mw=held(inputs.fuel_cell_power_mw),
        battery_soc_mwh=min(max(float(state.storage_mwh[0]), 0.0), d.battery_mwh),
        h2_level_mwh=min(max(float(state.storage_mwh[1]), 0.0), d.h2_store_mwh),
        csp_heat_mw_th=csp,
        csp_field_scale_mw_th=scale(csp, d.csp_field_mw_th),
        csp_storage_mwh_th=min(max(float(state.storage_mwh[2]), 0.0), d.csp_storage_mwh_th),
    )


def window_plan_inputs(
    window: Window,
    inputs: DispatchInputs,
    firm_voll_usd_per_mwh: float,
    flexible_voll_usd_per_mwh: float,
    cycling_penalty_usd_per_mwh: float,
) -> PlanInputs:
    """The planner's inputs of one window: capacities fixed, initial levels, unserved work priced.

    Per-unit renewable output is the forecast over the fixed capacity; a zero-capex cost table carries the
    cycling penalty as variable O&M (battery discharge and electrolyser ``ε``, fuel cell ``2ε``, CSP block
    output ``ε/2``: before the battery in a deficit, never run on heat that would be dumped while PV or wind
    is curtailed); a battery or hydrogen chain without energy or power is left out. A CSP plant
    (``Design.has_csp``) has its three capacities fixed (the field at :attr:`Window.csp_field_scale_mw_th`),
    the window's forecast field heat per MW_th and its storage starting at the simulator's level, not
    cyclic. The site auxiliaries are a firm class (:data:`AUXILIARIES`), so that a window without any
    supply can still be solved by shedding.
    """
    d = inputs.design
    step = pd.Timedelta(hours=float(window.weights_h[0]))
    index = pd.date_range(pd.Timestamp("2000-01-01", tz="UTC") + window.start * step, periods=window.n_steps, freq=step)
    eps = cycling_penalty_usd_per_mwh
    vom = {"battery_power": eps, "electrolyser": eps, "fuel_cell": 2.0 * eps, "csp_power_block": 0.5 * eps}
    costs = {
        c: CostRow(c, 0.0, "USD/MW", 1.0, 0.0, 1.0, "dispatch window: capacities fixed, no investment", vom.get(c, 0.0))
        for c in (*_COMPONENTS, *(CSP_COMPONENT_CAPACITY if d.has_csp else ()))
    }
    fixed = {"pv_mw": window.pv_scale_mw, "wind_mw": window.wind_scale_mw}
    battery = hydrogen = None
    if d.battery_mw > 0.0 and d.battery_mwh > 0.0:
        battery = BatterySpec(
            d.battery_charge_efficiency,
            d.battery_discharge_efficiency,
            d.battery_self_discharge_per_hour,
            initial_soc_mwh=window.battery_soc_mwh,
        )
        fixed |= {"battery_mw": d.battery_mw, "battery_mwh": d.battery_mwh}
    if d.h2_store_mwh > 0.0 and (d.electrolyser_mw > 0.0 or d.fuel_cell_mw > 0.0):
        hydrogen = HydrogenSpec(d.electrolyser_efficiency, d.fuel_cell_efficiency, initial_h2_mwh=window.h2_level_mwh)
        fixed |= {"electrolyser_mw": d.electrolyser_mw, "h2_store_mwh": d.h2_store_mwh, "fuel_cell_mw": d.fuel_cell_mw}
    csp = None
    if d.has_csp:
        csp = CspSpec(
            window.csp_heat_mw_th / window.csp_field_scale_mw_th,
            d.csp_power_block_efficiency,
            d.csp_storage_loss_per_hour,
            initial_storage_mwh_th=window.csp_storage_mwh_th,
        )
        fixed |= {
            "csp_field_mw_th": window.csp_field_scale_mw_th,
            "csp_storage_mwh_th": d.csp_storage_mwh_th,
            "csp_power_block_mw": d.csp_power_block_mw,
        }
    workloads = [
        WorkloadInput(name, r, value_of_lost_load_usd_per_mwh=firm_voll_usd_per_mwh)
        for name, r in zip((*inputs.firm_names, AUXILIARIES), window.firm_requested_mw, strict=True)
    ]
    workloads += [
        WorkloadInput(
            name,
            window.flexible_requested_mw[j],
            True,
            window.flexible_floor_mw[j],
            window.flexible_max_mw[j],
            float(inputs.flexible_deadline_h[j]),
            flexible_voll_usd_per_mwh,
            initial_backlog_mwh=float(window.backlog_mwh[j]),
        )
        for j, name in enumerate(inputs.flexible_names)
    ]
    return PlanInputs(
        index=index,
        weights_h=window.weights_h,
        pv_cf=window.pv_mw / window.pv_scale_mw,
        wind_cf=window.wind_mw / window.wind_scale_mw,
        workloads=tuple(workloads),
        costs=costs,
        discount_rate=0.0,
        horizon_years=float(window.weights_h.sum()) / HOURS_PER_YEAR,
        pue=window.overhead,
        battery=battery,
        hydrogen=hydrogen,
        csp=csp,
        rules=PlanRules(capacity_bounds={k: (v, v) for k, v in fixed.items()}),
        provenance=Provenance("simulation", details={"mode": "rolling-horizon dispatch window"}),
    )


def add_terminal_value(
    m: linopy.Model, inputs: PlanInputs, value_usd_per_mwh: float, backlog_overhead: float, cost_scale: float
) -> None:
    """Add the value of the stores and the cost of the work still waiting at the end of the window.

    .. math:: -\\frac{\\lambda}{Y} \\Big( \\eta_d\\, soc_{T-1} + \\eta_{fc}\\, h_{T-1} + \\eta_{pb}\\, s_{T-1}
        - \\bar\\omega \\sum_{flex} b_{k,T-1} \\Big)

    (``s`` the CSP plant's stored heat [MWh_th], worth what its power block makes of it.)
    ``λ`` = ``value_usd_per_mwh`` [USD/MWh at the bus], ``ω̄`` = ``backlog_overhead`` [-], ``Y`` the window
    length [yr] (the planner's objective is per year of horizon), times ``cost_scale`` [-].
    """
    k = cost_scale * value_usd_per_mwh / inputs.horizon_years
    last = {STEP: inputs.n_steps - 1}
    expr = m.objective.expression
    if inputs.battery is not None:
        expr = expr - k * inputs.battery.discharge_efficiency * m.variables["battery_soc_mwh"].isel(last)
    if inputs.hydrogen is not None:
        expr = expr - k * inputs.hydrogen.fuel_cell_efficiency * m.variables["h2_level_mwh"].isel(last)
    if inputs.csp is not None:
        expr = expr - k * inputs.csp.power_block_efficiency * m.variables["csp_storage_mwh_th"].isel(last)
    for wl in (wl for wl in inputs.workloads if wl.flexible):
        expr = expr + k * backlog_overhead * m.variables[f"backlog_{wl.name}_mwh"].isel(last)
    m.add_objective(expr, overwrite=True)


def add_soft_floor(m: linopy.Model, inputs: PlanInputs, price_usd_per_mwh: float, cost_scale: float) -> None:
    """Let each flexible class run below its must-run floor ``s^{min}`` at a price, as the real-time
    balancing does before it sheds firm load (a window with no supply stays feasible).

    .. math:: s_{k,t} + z_{k,t} \\ge s^{min}_{k,t}, \\quad 0 \\le z_{k,t} \\le s^{min}_{k,t}, \\quad s_{k,t} \\ge 0

    with ``z`` [MW of IT] priced at ``price_usd_per_mwh`` × ``w_t`` / ``Y`` × ``cost_scale`` in the objective.
    """
    steps = np.arange(inputs.n_steps)
    k = cost_scale * price_usd_per_mwh / inputs.horizon_years
    expr = m.objective.expression
    for wl in (wl for wl in inputs.workloads if wl.flexible):
        it = m.variables[f"it_{wl.name}_mw"]
        floor = series(steps, wl.min_mw)
        it.update(lower=series(steps, 0.0))
        below = m.add_variables(lower=0.0, upper=floor, name=f"below_floor_{wl.name}_mw")
        m.add_constraints(it + below >= floor, name=f"floor_{wl.name}")
        expr = expr + (series(steps, k * inputs.weights_h) * below).sum()
    m.add_objective(expr, overwrite=True)


class WindowLP:
    """A window's LP in HiGHS: built by the planner's builders, then given the numbers of other windows.

    :meth:`set_window` writes what the builders do not set — fleet ratings, backlog bounds, unbounded
    unserved flexible work — and, with ``builder_data=True``, also everything the builders derive from
    their inputs (fixed renewable capacities and per-unit outputs, the CSP field and its heat per MW_th,
    ``PUE`` coefficients, facility load, initial levels, requests, the flexible envelope), which turns the
    model of one window into another's.
    """

    def __init__(
        self,
        plan_inputs: PlanInputs,
        value_usd_per_mwh: float,
        backlog_overhead: float,
        below_floor_usd_per_mwh: float,
        options: SolveOptions,
    ) -> None:
        cost_scale = options.objective_scale(plan_inputs)
        m = build_model(plan_inputs, cost_scale=cost_scale)
        add_terminal_value(m, plan_inputs, value_usd_per_mwh, backlog_overhead, cost_scale)
        add_soft_floor(m, plan_inputs, below_floor_usd_per_mwh, cost_scale)
        matrices = m.matrices

        def find(group, name: str, labels: np.ndarray) -> np.ndarray | None:
            if name not in group:
                return None
            flat = np.asarray(group[name].labels.values).reshape(-1)
            pos = np.minimum(np.searchsorted(labels, flat), labels.size - 1)
            if not np.array_equal(labels[pos], flat):
                raise GreendcError(f"window LP: '{name}' is not in the solver model (an unexpected builder change)")
            return pos.astype(np.int32)

        vl, cl = np.asarray(matrices.vlabels), np.asarray(matrices.clabels)

        def col(name: str) -> np.ndarray | None:
            return find(m.variables, name, vl)

        def row(name: str) -> np.ndarray | None:
            return find(m.constraints, name, cl)

        flex = [wl.name for wl in plan_inputs.workloads if wl.flexible]
        self.n_steps = plan_inputs.n_steps
        spec = plan_inputs.battery
        self.keep0 = (1.0 - spec.self_discharge_per_hour) ** plan_inputs.weights_h[0] if spec is not None else 1.0
        self.cap_pv, self.cap_wind = col("capacity_pv_mw"), col("capacity_wind_mw")
        self.flows = [col(k) for k in ("battery_charge_mw", "battery_discharge_mw", "electrolyser_mw", "fuel_cell_mw")]
        self.firm_unserved = [col(f"unserved_{wl.name}_mw") for wl in plan_inputs.workloads if not wl.flexible]
        self.flex_it = [col(f"it_{k}_mw") for k in flex]
        self.flex_below = [col(f"below_floor_{k}_mw") for k in flex]
        self.flex_floor = [row(f"floor_{k}") for k in flex]
        self.flex_backlog = [col(f"backlog_{k}_mwh") for k in flex]
        self.flex_unserved = [col(f"unserved_{k}_mw") for k in flex]
        self.balance, self.battery_balance, self.h2_balance = row("balance"), row("battery_balance"), row("h2_balance")
        csp = plan_inputs.csp
        self.cap_csp, self.csp_block = col("capacity_csp_field_mw_th"), col("csp_heat_to_block_mw_th")
        self.csp_balance = row("csp_storage_balance")
        self.csp_efficiency = csp.power_block_efficiency if csp is not None else 0.0
        self.csp_keep0 = (1.0 - csp.storage_loss_per_hour) ** plan_inputs.weights_h[0] if csp is not None else 1.0
        self.backlog_balance = [row(f"backlog_balance_{k}") for k in flex]
        self.highs = m.to_highspy()
        for key, value in options.to_highs().items():
            self.highs.setOptionValue(key, value)

    def set_window(self, window: Window, builder_data: bool) -> None:
        """Write ``window``'s numbers into the HiGHS model (see the class docstring)."""
        if window.n_steps != self.n_steps:
            raise GreendcError(f"window of {window.n_steps} steps given to an LP of {self.n_steps}")
        cols: list[tuple] = []
        rows: list[tuple] = []
        ratings = (
            window.battery_power_mw,
            window.battery_power_mw,
            window.electrolyser_power_mw,
            window.fuel_cell_power_mw,
        )
        cols += [(pos, 0.0, rating) for pos, rating in zip(self.flows, ratings, strict=True)]
        cols += [(b, 0.0, w) for b, w in zip(self.flex_backlog, window.backlog_max_mwh, strict=True)]
        cols += [(u, 0.0, np.inf) for u in self.flex_unserved]
        h = self.highs
        if builder_data:
            cols += [
                (self.cap_pv, window.pv_scale_mw, window.pv_scale_mw),
                (self.cap_wind, window.wind_scale_mw, window.wind_scale_mw),
            ]
            cols += [(u, 0.0, r) for u, r in zip(self.firm_unserved, window.firm_requested_mw, strict=True)]
            cols += [(s, 0.0, window.flexible_max_mw[j]) for j, s in enumerate(self.flex_it)]
            cols += [(z, 0.0, window.flexible_floor_mw[j]) for j, z in enumerate(self.flex_below)]
            rows += [(r, window.flexible_floor_mw[j], np.inf) for j, r in enumerate(self.flex_floor)]
            rows.append((self.balance, window.firm_facility_mw(), np.inf))
            if self.battery_balance is not None:
                rows.append((self.battery_balance[:1], self.keep0 * window.battery_soc_mwh, None))
            if self.h2_balance is not None:
                rows.append((self.h2_balance[:1], window.h2_level_mwh, None))
            if self.csp_balance is not None:
                cols.append((self.cap_csp, window.csp_field_scale_mw_th, window.csp_field_scale_mw_th))
                rows.append((self.csp_balance[:1], self.csp_keep0 * window.csp_storage_mwh_th, None))
            for j, r in enumerate(self.backlog_balance):
                rhs = window.weights_h * window.flexible_requested_mw[j]
                rhs[0] += window.backlog_mwh[j]
                rows.append((r, rhs, None))
            balance = self.balance.tolist()
            coefficients = [
                (balance, [int(self.cap_pv[0])] * self.n_steps, window.pv_mw / window.pv_scale_mw),
                (balance, [int(self.cap_wind[0])] * self.n_steps, window.wind_mw / window.wind_scale_mw),
            ]
            coefficients += [(balance, s.tolist(), -window.overhead) for s in self.flex_it]
            coefficients += [(balance, u.tolist(), window.overhead) for u in self.firm_unserved]
            if self.csp_balance is not None:  # − w cf^{csp} on the field in the heat balance
                coefficients.append(
                    (
                        self.csp_balance.tolist(),
                        [int(self.cap_csp[0])] * self.n_steps,
                        -window.weights_h * window.csp_heat_mw_th / window.csp_field_scale_mw_th,
                    )
                )
            for rows_, columns, values in coefficients:
                for r, c, v in zip(rows_, columns, values.tolist(), strict=True):
                    h.changeCoeff(r, c, v)
        cols = [(p, lo, hi) for p, lo, hi in cols if p is not None]
        if cols:  # none: a first window without storage or flexible classes
            idx = np.concatenate([p for p, _, _ in cols])
            low = np.concatenate([np.broadcast_to(np.asarray(lo, dtype=float), p.shape) for p, lo, _ in cols])
            high = np.concatenate([np.broadcast_to(np.asarray(hi, dtype=float), p.shape) for p, _, hi in cols])
            h.changeColsBounds(idx.size, idx, low, high)
        if rows:
            idx = np.concatenate([p for p, _, _ in rows])
            low = np.concatenate([np.broadcast_to(np.asarray(lo, dtype=float), p.shape) for p, lo, _ in rows])
            high = np.concatenate(
                [np.broadcast_to(np.asarray(lo if hi is None else hi, dtype=float), p.shape) for p, lo, hi in rows]
            )
            h.changeRowsBounds(idx.size, idx, low, high)

    def solve(self, start: int) -> tuple[np.ndarray, int]:
        """Run HiGHS (warm start); return the set-points (5 + n_flex, T) and the simplex iterations.

        Set-point rows: battery charge, battery discharge, electrolyser, fuel cell, CSP power-block output
        ``η_pb q`` (0 without CSP), flexible IT power [MW].
        """
        h = self.highs
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            h.clearSolver()  # once more from scratch before giving up
            h.run()
        status = h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise GreendcError(
                f"rolling-horizon window at step {start}: HiGHS stopped with "
                f"'{h.modelStatusToString(status)}'; raise SolveOptions.time_limit_s"
            )
        x = np.asarray(h.getSolution().col_value)
        plan = np.zeros((5 + len(self.flex_it), self.n_steps))
        for i, pos in enumerate([*self.flows, self.csp_block, *self.flex_it]):
            if pos is not None:
                plan[i] = x[pos]
        plan[4] *= self.csp_efficiency
        return plan, int(h.getInfo().simplex_iteration_count)


__all__ = [
    "AUXILIARIES",
    "Window",
    "WindowLP",
    "add_soft_floor",
    "add_terminal_value",
    "dispatch_window",
    "window_plan_inputs",
]
