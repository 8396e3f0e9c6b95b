"""Rolling-horizon dispatch: re-solve a short linear program on forecasts, apply its first hours.

At every re-planning step ``t_0`` (each ``replan_every_h`` hours) :class:`RollingHorizonPolicy`

1. **forecasts** the next ``horizon_h`` hours (:func:`~greendc.operate.window.dispatch_window`): available
   PV and wind output from ``Forecast.predict`` on the simulator's available series (outages included),
   issued at the end of step ``t_0 − 1``, and the CSP field's heat the same way; IT requests, PUE and
   auxiliaries are schedules, known; battery, electrolyser and fuel-cell ratings are held at their value at
   ``t_0`` (outages are not forecast);
2. **builds** the window's LP with the planner's builders (:func:`greendc.plan.model.build_model`):
   capacities fixed to the design (lower = upper bound in ``PlanRules.capacity_bounds``), battery, hydrogen
   store, CSP thermal storage and flexible backlogs starting at the simulator's state, not cyclic
   (``initial_soc_mwh``, ``initial_h2_mwh``, ``initial_storage_mwh_th``, ``initial_backlog_mwh``), the
   backlog bounded by the deadlines of the packets actually waiting. Every window has a solution, whatever
   the forecast and the state: every class is priced at a value of lost load, the site auxiliaries are a
   firm class (:data:`~greendc.operate.window.AUXILIARIES`) and the flexible classes' must-run floor is soft
   (:func:`~greendc.operate.window.add_soft_floor`), as in the real-time balancing; the reserve rule is left
   to the summary, as with the rule-based policy;
3. **solves** it with HiGHS and applies its first ``replan_every_h`` hours as set-points
   (:func:`~greendc.operate.setpoint.setpoint_kernel`), balancing in real time what the forecast missed.

Objective of a window of ``T`` steps (USD per year of window, as the planner's, times ``cost_scale``):

.. math::
    \\min \\sum_t w_t \\Big( V_{firm} \\sum_{firm} u_{k,t} + V_{flex} \\sum_{flex} (u_{k,t} + z_{k,t})
    + \\varepsilon (d_t + e_t) + 2 \\varepsilon f_t + \\tfrac{1}{2} \\varepsilon y_t \\Big)
    - \\lambda \\Big( \\eta_d\\, soc_{T-1} + \\eta_{fc}\\, h_{T-1} + \\eta_{pb}\\, s_{T-1}
    - \\bar\\omega \\sum_{flex} b_{k,T-1} \\Big)

``z`` is flexible power below the must-run floor. ``λ`` values one MWh of electricity at the site bus at
the end of the window: stored energy is worth what it can deliver (``η_d`` per MWh in the battery,
``η_fc`` per MWh of hydrogen, ``η_pb`` per MWh_th of CSP heat ``s``) and flexible work left waiting
costs the facility energy it will need (``ω̄`` the mean ``PUE + desalination``). ``ε`` is a small cycling
penalty (twice on the fuel cell, so that the battery covers a deficit first; half on the CSP block's output,
which comes before the battery, as in the rule-based policy; ``y`` that output). Firm work is priced above
flexible work (shed last, as by the rule-based policy). Only the order ``V_firm > V_flex > λ max(ω) ≫ ε``
shapes the dispatch, and ``λ max(ω) < V_flex`` is checked: serving load now is always worth more than
keeping the energy, so the terminal value never leaves load unserved.

Terminal condition — a value of the energy left rather than a terminal level ``soc_{T-1} ≥ soc_{-1}``: the
window must not empty the stores for free (without a value a 48 h window ends with empty stores), nor keep
their level when a long deficit has begun (a hard terminal level sheds load inside the window to keep
energy for after it, and with self-discharge it can be infeasible), and it must want to fill them from
surplus it would otherwise curtail (a floor gives no reason to store above the start level).

Real-time balancing (:func:`~greendc.operate.setpoint.setpoint_kernel`): set-points are clipped to the
actual limits; a surplus over the plan first cuts fuel-cell, then battery discharge, then the CSP block's
output (keeping its heat; not below what runs on field heat the storage cannot take), then charges the
battery and the electrolyser further, then curtails; a shortfall first cuts the electrolyser and the
charging, raises the CSP block's output (before the battery, as the rule-based policy), then battery and
fuel-cell output, caps the flexible classes to their must-run level and below,
and sheds firm load last. With a perfect forecast and no outages the LP's dispatch is applied as it is.
Site trips, the cooling limit and the restart of shed IT act as in the rule-based kernel (its items 0 and 6);
the window LP does not foresee them, and it does not hold the plan's firm reserves
(``Design.battery_reserve_mwh``, ``h2_reserve_mwh``): its own look-ahead decides what to keep.

Speed: building a 48-step linopy model takes about 0.3 s, HiGHS solves it in about 1 ms. The LP is
therefore built once per run (``reuse_model=True``; every window has the same length, idle past the end
of the run) and each later window only changes its numbers in HiGHS — bounds, right-hand sides and the
per-step balance coefficients (``cf × capacity``, ``PUE × IT``) — and is re-solved warm
(``benchmarks/bench_rolling.py``). ``reuse_model=False`` rebuilds every window: the reference the fast
path is tested against.

References
----------
.. [1] Rawlings, J. B., Mayne, D. Q., Diehl, M. M. (2017). Model Predictive Control: Theory, Computation,
   and Design, 2nd ed. Nob Hill Publishing (receding horizon, terminal cost).
.. [2] Brown, T., Hörsch, J., Schlachtberger, D. (2018). PyPSA: Python for Power System Analysis.
   J. Open Research Software 6(1):4. doi:10.5334/jors.188 (rolling-horizon optimisation of fixed
   capacities).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from greendc.errors import ScenarioError
from greendc.operate.forecasts import Forecast
from greendc.operate.policies import DispatchInputs, DispatchOutputs, DispatchState
from greendc.operate.setpoint import setpoint_kernel
from greendc.operate.window import WindowLP, dispatch_window, padded_available, window_plan_inputs
from greendc.plan.solve import SolveOptions


@dataclass
class RollingStats:
    """What the rolling-horizon policy spent (accumulated over the runs of one policy object).

    Attributes
    ----------
    solves, builds, simplex_iterations : int
        LPs solved, linopy models built, simplex iterations [-].
    build_s, update_s, solve_s, apply_s : float
        Wall time building models, changing their numbers, in HiGHS, forecasting and applying [s].
    """

    solves: int = 0
    builds: int = 0
    simplex_iterations: int = 0
    build_s: float = 0.0
    update_s: float = 0.0
    solve_s: float = 0.0
    apply_s: float = 0.0


@dataclass(frozen=True)
class RollingHorizonPolicy:
    """Rolling-horizon dispatch (module docstring): an LP over ``horizon_h`` hours re-solved every
    ``replan_every_h`` hours, its first hours applied.

    Attributes
    ----------
    horizon_h : float
        Look-ahead of each LP [h] (at least two steps).
    replan_every_h : float
        Re-planning interval [h], from one step to ``horizon_h``; default one hour, the classic receding
        horizon.
    forecast : Forecast, optional
        What the LP knows of the renewable output; default the simulator's (``simulate(forecast=…)``).
    solve_options : greendc.plan.solve.SolveOptions, optional
        HiGHS settings and cost scale; default the planner's.
    firm_voll_usd_per_mwh, flexible_voll_usd_per_mwh : float
        Price of unserved firm and flexible IT energy in the LP [USD/MWh of IT]. Defaults 20 000 and 10 000,
        assumptions: only their order matters to the dispatch (firm work shed last).
    terminal_value_usd_per_mwh : float
        ``λ``, value of one MWh of electricity at the bus at the end of a window [USD/MWh]; must satisfy
        ``λ max(ω) < flexible_voll_usd_per_mwh``. Default 1 000, an assumption.
    cycling_penalty_usd_per_mwh : float
        ``ε`` on battery discharge and electrolyser input, ``2ε`` on fuel-cell output [USD/MWh]; a
        tie-breaker against needless cycling. Default 1, an assumption.
    reuse_model : bool
        Build the LP once per run and change its numbers (fast); False rebuilds it for every window.
    name : str
    stats : RollingStats
        Counts and time spent, accumulated over runs (read it after :func:`~greendc.operate.simulate`).

    A design with concentrating solar power is operated too: the window LP carries the CSP plant (field
    heat forecast like PV and wind, storage starting at the simulator's level) and its power-block output is
    a set-point of the real-time balancing.

    Examples
    --------
    >>> p = RollingHorizonPolicy(horizon_h=48, replan_every_h=24)
    >>> p.name, p.block_steps, p.steps(0.25)
    ('rolling_horizon', None, (192, 96))
    """

    horizon_h: float = 48.0
    replan_every_h: float = 1.0
    forecast: Forecast | None = None
    solve_options: SolveOptions | None = None
    firm_voll_usd_per_mwh: float = 20_000.0
    flexible_voll_usd_per_mwh: float = 10_000.0
    terminal_value_usd_per_mwh: float = 1_000.0
    cycling_penalty_usd_per_mwh: float = 1.0
    reuse_model: bool = True
    name: str = "rolling_horizon"
    #: None: the policy re-plans inside one call over the whole run (its interval is in hours, not steps).
    block_steps: int | None = field(default=None, init=False)
    stats: RollingStats = field(default_factory=RollingStats, compare=False, repr=False)

    def __post_init__(self) -> None:
        for name in (
            "horizon_h",
            "replan_every_h",
            "firm_voll_usd_per_mwh",
            "flexible_voll_usd_per_mwh",
            "terminal_value_usd_per_mwh",
            "cycling_penalty_usd_per_mwh",
        ):
            value = getattr(self, name)
            positive = name in ("horizon_h", "replan_every_h")
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not np.isfinite(value)
                or value < 0.0
                or (positive and value == 0.0)
            ):
                raise ScenarioError(
                    f"RollingHorizonPolicy.{name} = {value!r}; allowed: a number {'>' if positive else '>='} 0"
                )
        if self.replan_every_h > self.horizon_h:
            raise ScenarioError(
                f"RollingHorizonPolicy.replan_every_h = {self.replan_every_h!r}; allowed: at most "
                f"horizon_h ({self.horizon_h:g} h)"
            )

    def describe(self) -> str:
        """One line for provenance.

        >>> RollingHorizonPolicy().describe()
        'rolling_horizon (48 h window re-solved every 1 h)'
        """
        return f"{self.name} ({self.horizon_h:g} h window re-solved every {self.replan_every_h:g} h)"

    def steps(self, step_h: float) -> tuple[int, int]:
        """``(horizon, re-planning interval)`` in steps of ``step_h`` hours (at least 2 and 1) [-]."""
        return max(2, round(self.horizon_h / step_h)), max(1, round(self.replan_every_h / step_h))

    def run(
        self, inputs: DispatchInputs, state: DispatchState, outputs: DispatchOutputs, start: int, stop: int
    ) -> None:
        """Dispatch steps ``[start, stop)``: an LP every re-planning interval, its first steps applied."""
        st = self.stats
        omega_max = float(inputs.overhead.max())
        if self.terminal_value_usd_per_mwh * omega_max >= self.flexible_voll_usd_per_mwh:
            raise ScenarioError(
                f"RollingHorizonPolicy.terminal_value_usd_per_mwh = {self.terminal_value_usd_per_mwh:g}; allowed: "
                f"below flexible_voll_usd_per_mwh / max(PUE + desalination) = "
                f"{self.flexible_voll_usd_per_mwh / omega_max:g}"
            )
        horizon, interval = self.steps(float(inputs.weights_h[0]))
        forecast = self.forecast if self.forecast is not None else inputs.forecast
        options = self.solve_options if self.solve_options is not None else SolveOptions()
        padded = padded_available(inputs)
        loads, plant = inputs.kernel_loads(), inputs.kernel_plant()
        lp: WindowLP | None = None
        for t0 in range(start, stop, interval):
            tic = time.perf_counter()
            window = dispatch_window(inputs, state, t0, horizon, forecast, *padded)
            tac = time.perf_counter()
            st.apply_s += tac - tic
            if lp is None or not self.reuse_model:
                plan_inputs = window_plan_inputs(
                    window,
                    inputs,
                    self.firm_voll_usd_per_mwh,
                    self.flexible_voll_usd_per_mwh,
                    self.cycling_penalty_usd_per_mwh,
                )
                lp = WindowLP(
                    plan_inputs,
                    self.terminal_value_usd_per_mwh,
                    float(inputs.overhead.mean()),
                    self.flexible_voll_usd_per_mwh,
                    options,
                )
                lp.set_window(window, builder_data=False)
                st.builds += 1
                st.build_s += time.perf_counter() - tac
            else:
                lp.set_window(window, builder_data=True)
                st.update_s += time.perf_counter() - tac
            tic = time.perf_counter()
            plan, iterations = lp.solve(t0)
            tac = time.perf_counter()
            st.solve_s += tac - tic
            st.solves += 1
            st.simplex_iterations += iterations
            setpoint_kernel(
                *loads,
                *plant,
                inputs.site_trip_fraction,
                inputs.it_limit_mw,
                float(inputs.firm_restart_h),
                plan,
                t0,
                min(t0 + interval, stop),
                *state.arrays(),
                *outputs.arrays(),
            )
            st.apply_s += time.perf_counter() - tac


__all__ = ["RollingHorizonPolicy", "RollingStats"]
