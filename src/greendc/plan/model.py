"""The least-cost design linear program, one builder per component.

Notation (every series is indexed by the time step ``t`` of :class:`~greendc.plan.inputs.PlanInputs`):

* ``w_t`` [h] step length, ``Y`` [yr] horizon length; the objective is per year of horizon.
* Capacities (variables, one value each): ``P_pv``, ``P_wind`` [MW], ``P_b`` [MW], ``E_b`` [MWh],
  ``P_el`` [MW of electricity], ``E_h2`` [MWh of hydrogen, LHV], ``P_fc`` [MW of electricity].
* Dispatch [MW, step means]: ``c_t``/``d_t`` battery charge/discharge,
  ``e_t`` electrolyser input, ``f_t`` fuel-cell output, ``s_{k,t}`` served IT power of class ``k``,
  ``u_{k,t}`` unserved IT power, ``m_t`` grid import; levels [MWh]: ``soc_t``, ``h_t``, backlog ``b_{k,t}``.
* Water balance (only when the cooling uses water, :func:`add_water`): plant ``Q_ds`` [m³/h], tank
  ``V_w`` [m³], production ``q_t`` [m³/h], tank level ``v_t`` [m³].
* CSP (only when enabled, :func:`greendc.plan.csp.add_csp`): field ``P_f`` [MW_th], storage ``E_s``
  [MWh_th], power block ``P_pb`` [MW_e]; heat into the block ``q^{csp}_t``, dumped heat ``x_t`` [MW_th],
  storage level ``s_t`` [MWh_th]; electric output ``η_pb q^{csp}_t`` [MW].

All storage levels are cyclic: the step before the first is the last, so the horizon (N weather years
in one continuous index) repeats without free energy. A dispatch window (fixed capacities, a known
starting state) gives initial levels instead (``BatterySpec.initial_soc_mwh``,
``HydrogenSpec.initial_h2_mwh``, ``WorkloadInput.initial_backlog_mwh``, ``WaterSpec.initial_tank_m3``,
``CspSpec.initial_storage_mwh_th``):
the level before the first step
is then that value and the last level is free. Variable and constraint names in the linopy model
are the canonical result names (``battery_soc_mwh``…; capacities are ``capacity_<name>``).

Time coordinate is the integer ``step``; :mod:`greendc.plan.result` maps it back to the UTC index.
Costs enter the objective multiplied by ``cost_scale`` (MUSD by default: measured to need 40 % fewer
simplex iterations than USD, 3x less time; see :mod:`greendc.plan.solve`). The LP has, per step, 6 to 8
variables and 9 rows (balance, two storage balances, six capacity limits) with PV, wind, battery and
hydrogen; a flexible class adds its served power and backlog (bounded variables) and one row.

References
----------
.. [1] Brown, T., Hörsch, J., Schlachtberger, D. (2018). PyPSA: Python for Power System Analysis.
   J. Open Research Software 6(1):4. doi:10.5334/jors.188 (storage and link equations)
.. [2] Riepin, I., Brown, T., Zavala, V. M. (2025). Spatio-temporal load shifting for truly clean
   computing. Advances in Applied Energy 17:100202. doi:10.1016/j.adapen.2024.100202 (flexible loads)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import linopy
import numpy as np
import xarray as xr

from greendc.plan.csp import add_csp
from greendc.plan.inputs import (
    CAPACITY_NAMES,
    CSP_CAPACITY_NAMES,
    H2_LHV_MWH_PER_KG,
    WATER_CAPACITY_NAMES,
    PlanInputs,
    WorkloadInput,
)

STEP = "step"
#: Default multiplier from USD to the objective's unit (MUSD).
DEFAULT_COST_SCALE = 1e-6


@dataclass
class ModelParts:
    """Expressions shared between builders while a model is assembled.

    Attributes
    ----------
    steps : numpy.ndarray
        The integer time coordinate.
    supply : list
        Terms of the supply side of the energy balance [MW].
    facility : list
        Variable terms of the facility load [MW] (flexible or sheddable IT × overhead, desalination with
        the water balance).
    facility_const : numpy.ndarray
        Constant facility load [MW] (firm IT × overhead + auxiliaries); the overhead is
        :attr:`~greendc.plan.inputs.PlanInputs.it_overhead`.
    operating_cost : list
        Terms of the operating cost [USD per year of horizon].
    slack_cost : list
        Elastic-mode penalty terms.
    """

    steps: np.ndarray
    supply: list = field(default_factory=list)
    facility: list = field(default_factory=list)
    facility_const: np.ndarray | None = None
    operating_cost: list = field(default_factory=list)
    slack_cost: list = field(default_factory=list)


def series(parts_or_steps: ModelParts | np.ndarray, values: np.ndarray | float) -> xr.DataArray:
    """A per-step coefficient as an xarray DataArray on the ``step`` coordinate."""
    steps = parts_or_steps.steps if isinstance(parts_or_steps, ModelParts) else parts_or_steps
    arr = np.broadcast_to(np.asarray(values, dtype=float), steps.shape)
    return xr.DataArray(arr, coords={STEP: steps}, dims=STEP)


def total(terms: list) -> linopy.LinearExpression:
    """Sum of linopy variables and expressions of the same coordinates, in one merge (no repeated copies)."""
    exprs = [t.to_linexpr() if isinstance(t, linopy.Variable) else t for t in terms]
    return exprs[0] if len(exprs) == 1 else linopy.merge(exprs, cls=linopy.LinearExpression)


def _capacity(m: linopy.Model, inputs: PlanInputs, name: str, elastic: bool) -> linopy.Variable:
    """Capacity variable ``capacity_<name>`` with its bounds (elastic: the upper bound becomes a soft row)."""
    lo, hi = inputs.rules.capacity_bounds.get(name, (0.0, None))
    upper = np.inf if (hi is None or elastic) else hi
    var = m.add_variables(lower=lo, upper=upper, name=f"capacity_{name}")
    if elastic and hi is not None:
        excess = m.add_variables(lower=0.0, name=f"excess_capacity_{name}")
        m.add_constraints(var - excess <= hi, name=f"capacity_bound_{name}")
    return var


def add_pv(
    m: linopy.Model, inputs: PlanInputs, parts: ModelParts, elastic: bool = False
) -> linopy.LinearExpression:
    """PV plant: capacity ``P_pv`` [MW DC] and its available output.

    .. math::
        \\mathrm{avail}^{pv}_t = cf^{pv}_t \\, P_{pv}, \\qquad P^{min}_{pv} \\le P_{pv} \\le P^{max}_{pv}

    Variable O&M is charged on the available output (curtailment is not credited).
    Returns the available output [MW] per step.
    """
    cap = _capacity(m, inputs, "pv_mw", elastic)
    return series(parts, inputs.pv_cf) * cap


def add_wind(
    m: linopy.Model, inputs: PlanInputs, parts: ModelParts, elastic: bool = False
) -> linopy.LinearExpression:
    """Wind farm: capacity ``P_wind`` [MW] and its available output.

    .. math:: \\mathrm{avail}^{wind}_t = cf^{wind}_t \\, P_{wind}

    Returns the available output [MW] per step.
    """
    cap = _capacity(m, inputs, "wind_mw", elastic)
    return series(parts, inputs.wind_cf) * cap


def add_battery(m: linopy.Model, inputs: PlanInputs, parts: ModelParts, elastic: bool = False) -> None:
    """Battery, energy ``E_b`` and power ``P_b`` sized independently.

    .. math::
        soc_t = (1 - \\sigma)^{w_t} soc_{t-1} + w_t (\\eta_c c_t - d_t / \\eta_d), \\quad soc_{-1} = soc_{T-1}
        \\ \\text{(cyclic) or } soc^{init}

        0 \\le c_t \\le P_b, \\quad 0 \\le d_t \\le P_b, \\quad 0 \\le soc_t \\le E_b,
        \\quad \\delta^{min} P_b \\le E_b \\le \\delta^{max} P_b

    ``σ`` is the self-discharge per hour; the power rating is one inverter shared by charge and discharge.
    """
    spec = inputs.battery
    if spec is None:
        return
    p = _capacity(m, inputs, "battery_mw", elastic)
    e = _capacity(m, inputs, "battery_mwh", elastic)
    c = m.add_variables(lower=0.0, coords=[parts.steps], dims=[STEP], name="battery_charge_mw")
    d = m.add_variables(lower=0.0, coords=[parts.steps], dims=[STEP], name="battery_discharge_mw")
    soc = m.add_variables(lower=0.0, coords=[parts.steps], dims=[STEP], name="battery_soc_mwh")
    w = inputs.weights_h
    keep, start = _previous_level((1.0 - spec.self_discharge_per_hour) ** w, spec.initial_soc_mwh)
    m.add_constraints(
        soc
        - series(parts, keep) * soc.roll({STEP: 1})
        - series(parts, w * spec.charge_efficiency) * c
        + series(parts, w / spec.discharge_efficiency) * d
        == series(parts, start),
        name="battery_balance",
    )
    m.add_constraints(c - p <= 0.0, name="battery_charge_limit")
    m.add_constraints(d - p <= 0.0, name="battery_discharge_limit")
    m.add_constraints(soc - e <= 0.0, name="battery_energy_limit")
    if spec.min_duration_h:
        m.add_constraints(e - spec.min_duration_h * p >= 0.0, name="battery_min_duration")
    if spec.max_duration_h is not None:
        m.add_constraints(e - spec.max_duration_h * p <= 0.0, name="battery_max_duration")
    parts.supply.extend([d, -1.0 * c])
    vom = inputs.costs["battery_power"].vom_usd_per_mwh
    if vom:
        parts.operating_cost.append((series(parts, w * vom / inputs.horizon_years) * d).sum())


def add_hydrogen(m: linopy.Model, inputs: PlanInputs, parts: ModelParts, elastic: bool = False) -> None:
    """Hydrogen chain: electrolyser ``P_el`` [MW_el], store ``E_h2`` [MWh H2, LHV], fuel cell ``P_fc``
    [MW_el].

    .. math::
        h_t = h_{t-1} + w_t (\\eta_{el} e_t - f_t / \\eta_{fc}), \\quad h_{-1} = h_{T-1}
        \\ \\text{(cyclic) or } h^{init}

        0 \\le e_t \\le P_{el}, \\quad 0 \\le f_t \\le P_{fc}, \\quad 0 \\le h_t \\le E_{h2}
    """
    spec = inputs.hydrogen
    if spec is None:
        return
    p_el = _capacity(m, inputs, "electrolyser_mw", elastic)
    e_h2 = _capacity(m, inputs, "h2_store_mwh", elastic)
    p_fc = _capacity(m, inputs, "fuelcell_mw", elastic)
    el = m.add_variables(lower=0.0, coords=[parts.steps], dims=[STEP], name="electrolyser_mw")
    fc = m.add_variables(lower=0.0, coords=[parts.steps], dims=[STEP], name="fuel_cell_mw")
    h = m.add_variables(lower=0.0, coords=[parts.steps], dims=[STEP], name="h2_store_mwh")
    w = inputs.weights_h
    keep, start = _previous_level(np.ones_like(w), spec.initial_h2_mwh)
    m.add_constraints(
        h
        - series(parts, keep) * h.roll({STEP: 1})
        - series(parts, w * spec.electrolyser_efficiency) * el
        + series(parts, w / spec.fuel_cell_efficiency) * fc
        == series(parts, start),
        name="h2_balance",
    )
    m.add_constraints(el - p_el <= 0.0, name="electrolyser_limit")
    m.add_constraints(fc - p_fc <= 0.0, name="fuel_cell_limit")
    m.add_constraints(h - e_h2 <= 0.0, name="h2_store_limit")
    parts.supply.extend([fc, -1.0 * el])
    for key, var in (("electrolyser", el), ("fuel_cell", fc)):
        vom = inputs.costs[key].vom_usd_per_mwh
        if vom:
            parts.operating_cost.append((series(parts, w * vom / inputs.horizon_years) * var).sum())


def backlog_window_mwh(workload: WorkloadInput, weights_h: np.ndarray) -> np.ndarray:
    """Work requested in the ``deadline_hours`` before the end of each step, cyclic [MWh].

    .. math:: W_t = R(\\tau_t) - R(\\tau_t - D), \\quad R(\\tau) = \\int_0^{\\tau} r \\, d\\tau'

    with ``τ_t`` the end of step ``t`` [h], ``r`` piecewise constant and ``R`` extended periodically
    before the start (the horizon is cyclic). With an initial backlog ``b_0`` (non-cyclic), that work is
    taken as requested evenly over the ``D`` hours before the start: ``R(τ) = b_0 τ / D`` for
    ``-D ≤ τ ≤ 0``.
    """
    w = weights_h
    energy = workload.requested_mw * w
    end_h = np.cumsum(w)
    total_h, total_e = end_h[-1], energy.sum()
    cum_e = np.cumsum(energy)
    if workload.initial_backlog_mwh is not None:
        b0, d_h = workload.initial_backlog_mwh, workload.deadline_hours
        start_h = end_h - d_h
        knots_h = np.concatenate([[-d_h, 0.0], end_h])
        knots_e = np.concatenate([[-b0, 0.0], cum_e])
        return np.maximum(cum_e - np.interp(start_h, knots_h, knots_e), 0.0)
    # cumulative curve on [-total_h, total_h] (one period before the start), breakpoints at step ends
    knots_h = np.concatenate([[-total_h], end_h - total_h, end_h])
    knots_e = np.concatenate([[-total_e], cum_e - total_e, cum_e])
    start_h = end_h - min(workload.deadline_hours, total_h)
    return np.maximum(cum_e - np.interp(start_h, knots_h, knots_e), 0.0)


def _previous_level(keep: np.ndarray, initial: float | None) -> tuple[np.ndarray, np.ndarray]:
    """Coefficient of the previous level and constant of a storage balance ``x_t - k_t x_{t-1} - … = a_t``.

    Cyclic (``initial`` None): ``k_t`` as given, ``a = 0``, the previous of the first step is the last.
    Non-cyclic: ``k_0 = 0`` and ``a_0 = k_0 x^{init}`` (the level before the first step is a constant).
    """
    keep = np.asarray(keep, dtype=float).copy()
    start = np.zeros_like(keep)
    if initial is not None:
        start[0] = keep[0] * initial
        keep[0] = 0.0
    return keep, start


def add_workloads(m: linopy.Model, inputs: PlanInputs, parts: ModelParts, elastic: bool = False) -> None:
    """IT workload classes and the facility load they cause.

    Firm class ``k`` (served when requested, ``r_{k,t}``): ``s_{k,t} = r_{k,t} - u_{k,t}``, with
    ``0 ≤ u ≤ r`` when the class has a value of lost load or the reliability target is below 1, else
    ``u = 0``. Flexible class (backlog formulation):

    .. math::
        b_{k,t} = b_{k,t-1} + w_t (r_{k,t} - s_{k,t} - u_{k,t}), \\quad b_{k,-1} = b_{k,T-1}
        \\ \\text{(cyclic) or } b^{init}_k

        s^{min}_{k,t} \\le s_{k,t} \\le s^{max}_{k,t}, \\quad 0 \\le b_{k,t} \\le W_{k,t}

    where ``W`` is the work requested in the last ``D_k`` hours (:func:`backlog_window_mwh`): whatever
    is still waiting was requested less than ``D_k`` hours ago, i.e. every MWh is done by its deadline.
    Unserved flexible work (priced) is dropped when requested, ``0 ≤ u_{k,t} ≤ r_{k,t}`` (``+ b^{init}_k /
    w_0`` in the first step). Facility load:

    .. math:: L_t = \\sum_k s_{k,t} (PUE_t + q^{desal}_t) + A_t

    (``q^{desal}`` left out when :func:`add_water` charges the desalination by its production).

    Unserved energy costs ``VOLL_k`` per MWh; with a reliability target ``ρ < 1``:
    ``Σ_{firm k,t} w_t u_{k,t} ≤ (1 - ρ) Σ_{firm k,t} w_t r_{k,t}``.
    """
    w = inputs.weights_h
    overhead = inputs.it_overhead
    overhead_da = series(parts, overhead)
    const = inputs.auxiliary_mw.astype(float).copy()
    rho = inputs.rules.reliability_target
    firm_unserved = []
    firm_requested_mwh = 0.0
    for wl in inputs.workloads:
        voll = wl.value_of_lost_load_usd_per_mwh
        if not wl.flexible:
            firm_requested_mwh += float((wl.requested_mw * w).sum())
            const += wl.requested_mw * overhead
            if voll is not None or rho < 1.0:
                u = m.add_variables(
                    lower=0.0, upper=series(parts, wl.requested_mw), name=f"unserved_{wl.name}_mw"
                )
                parts.facility.append(-1.0 * overhead_da * u)
                firm_unserved.append(u)
                if voll:
                    parts.operating_cost.append((series(parts, w * voll / inputs.horizon_years) * u).sum())
            continue
        s = m.add_variables(
            lower=series(parts, wl.min_mw), upper=series(parts, wl.max_mw), name=f"it_{wl.name}_mw"
        )
        b = m.add_variables(
            lower=0.0, upper=series(parts, backlog_window_mwh(wl, w)), name=f"backlog_{wl.name}_mwh"
        )
        keep, start = _previous_level(np.ones_like(w), wl.initial_backlog_mwh)
        lhs = b - series(parts, keep) * b.roll({STEP: 1}) + series(parts, w) * s
        if voll is not None or elastic:
            # work is dropped when requested (never later: that would only tighten the backlog); an initial
            # backlog may be dropped in the first step
            u = m.add_variables(
                lower=0.0, upper=series(parts, wl.requested_mw + start / w), name=f"unserved_{wl.name}_mw"
            )
            lhs = lhs + series(parts, w) * u
            if elastic and voll is None:
                parts.slack_cost.append((series(parts, w / inputs.horizon_years) * u).sum())
            elif voll:
                parts.operating_cost.append((series(parts, w * voll / inputs.horizon_years) * u).sum())
        m.add_constraints(lhs == series(parts, w * wl.requested_mw + start), name=f"backlog_balance_{wl.name}")
        parts.facility.append(overhead_da * s)
    parts.facility_const = const
    if firm_unserved and rho < 1.0:
        total = sum((series(parts, w) * u).sum() for u in firm_unserved)
        allowed = (1.0 - rho) * firm_requested_mwh
        if elastic:
            excess = m.add_variables(lower=0.0, name="excess_unserved_mwh")
            m.add_constraints(total - excess <= allowed, name="reliability")
            parts.slack_cost.append(excess / inputs.horizon_years)
        else:
            m.add_constraints(total <= allowed, name="reliability")


def facility_expression(parts: ModelParts) -> linopy.LinearExpression | None:
    """Variable part of the facility load [MW] (None when every class is firm and always served)."""
    if not parts.facility:
        return None
    return total(parts.facility)


def add_grid(m: linopy.Model, inputs: PlanInputs, parts: ModelParts) -> None:
    """Grid import, only when the rules allow it.

    .. math:: 0 \\le m_t \\le M^{max}, \\qquad \\text{cost } \\frac{1}{Y} \\sum_t p^{grid} w_t m_t

    ``M^{max}`` is ``rules.grid_max_import_mw`` (no bound when None).
    """
    if not inputs.rules.grid_allowed:
        return
    limit = inputs.rules.grid_max_import_mw
    g = m.add_variables(
        lower=0.0, upper=np.inf if limit is None else limit, coords=[parts.steps], dims=[STEP], name="grid_import_mw"
    )
    parts.supply.append(g)
    price = inputs.rules.grid_price_usd_per_mwh or 0.0
    parts.operating_cost.append((series(parts, inputs.weights_h * price / inputs.horizon_years) * g).sum())


def water_demand_m3_per_h(
    m: linopy.Model, inputs: PlanInputs, parts: ModelParts
) -> tuple[linopy.LinearExpression | None, np.ndarray]:
    """Fresh water used per step [m³/h]: cooling of the served IT, plus electrolysis; returned as its
    variable part (None if there is none) and its constant part.

    .. math:: D_t = \\omega_t \\sum_k s_{k,t} + \\chi\\, e_t, \\qquad
        \\chi = \\frac{\\eta_{el}\\, \\ell_{H_2}}{1000 \\cdot LHV_{H_2}}

    ``ω_t`` cooling water [m³/MWh of IT], ``s_{k,t} = r_{k,t} - u_{k,t}`` for a firm class, ``ℓ`` the
    electrolyser's process water [L/kg H2] and ``LHV`` = 0.03333 MWh/kg: ``χ`` [m³/h per MW of
    electrolyser input] (0.28 for 15 L/kg at η 0.6217).
    """
    q = series(parts, inputs.water_m3_per_mwh_it)
    const = np.zeros(inputs.n_steps)
    terms = []
    for wl in inputs.workloads:
        if wl.flexible:
            terms.append(q * m.variables[f"it_{wl.name}_mw"])
            continue
        const = const + inputs.water_m3_per_mwh_it * wl.requested_mw
        if f"unserved_{wl.name}_mw" in m.variables:
            terms.append(-1.0 * q * m.variables[f"unserved_{wl.name}_mw"])
    if inputs.hydrogen is not None and inputs.hydrogen.water_l_per_kg_h2 > 0:
        chi = inputs.hydrogen.electrolyser_efficiency * inputs.hydrogen.water_l_per_kg_h2 / (1000 * H2_LHV_MWH_PER_KG)
        terms.append(chi * m.variables["electrolyser_mw"])
    return (total(terms) if terms else None), const


def add_water(m: linopy.Model, inputs: PlanInputs, parts: ModelParts, elastic: bool = False) -> None:
    """Water balance: desalination plant ``Q_ds`` [m³/h] and fresh-water tank ``V_w`` [m³], only when the
    cooling uses water (:attr:`~greendc.plan.inputs.PlanInputs.water_active`).

    .. math::
        v_t = v_{t-1} + w_t (q_t - D_t), \\quad v_{-1} = v_{T-1} \\ \\text{(cyclic) or } v^{init}

        0 \\le q_t \\le Q_{ds}, \\quad 0 \\le v_t \\le V_w, \\qquad
        L^{desal}_t = \\frac{k_{ds}}{1000} q_t

    ``D_t`` is :func:`water_demand_m3_per_h` and ``k_ds`` the plant's electricity [kWh/m³]; ``L^{desal}``
    [MW] joins the facility load in place of the per-MWh-of-IT desalination overhead, so that a tank lets
    the plant run when the sun shines. Costs: rows ``desalination`` (per m³/h) and ``water_tank`` (per m³).
    Must be built after :func:`add_hydrogen` and :func:`add_workloads` (it reads their variables). The
    operational simulator does not model water (the design's capacities stay those of
    :data:`greendc.units.CAPACITY_KEYS`).

    References
    ----------
    .. [1] Caldera, U., Bogdanov, D., Breyer, C. (2016). Local cost of seawater RO desalination based on
       solar PV and wind energy: A global estimate. Desalination 385:207-216. doi:10.1016/j.desal.2016.02.004
       (plant and water storage as sized components of a renewable system)
    """
    spec = inputs.water
    if spec is None or not inputs.water_active:
        return
    cap = _capacity(m, inputs, "desalination_m3_per_h", elastic)
    tank_cap = _capacity(m, inputs, "water_tank_m3", elastic)
    q = m.add_variables(lower=0.0, coords=[parts.steps], dims=[STEP], name="desalination_m3_per_h")
    v = m.add_variables(lower=0.0, coords=[parts.steps], dims=[STEP], name="water_tank_m3")
    w = inputs.weights_h
    keep, start = _previous_level(np.ones_like(w), spec.initial_tank_m3)
    demand, demand_const = water_demand_m3_per_h(m, inputs, parts)
    lhs = v - series(parts, keep) * v.roll({STEP: 1}) - series(parts, w) * q
    if demand is not None:
        lhs = lhs + series(parts, w) * demand
    m.add_constraints(lhs == series(parts, start - w * demand_const), name="water_balance")
    m.add_constraints(q - cap <= 0.0, name="desalination_limit")
    m.add_constraints(v - tank_cap <= 0.0, name="water_tank_limit")
    parts.facility.append(spec.desalination_kwh_per_m3 / 1000.0 * q)


def add_balance(m: linopy.Model, inputs: PlanInputs, parts: ModelParts, elastic: bool = False) -> None:
    """Energy balance of the single site bus, every step [MW], with free disposal (curtailment).

    .. math:: cf^{pv}_t P_{pv} + cf^{wind}_t P_{wind} + d_t - c_t + f_t - e_t + m_t
        + \\eta_{pb} q^{csp}_t \\ge L_t

    (the CSP term only when CSP is enabled).

    The surplus (left minus right) is the curtailed renewable output. Writing the balance as an
    inequality replaces the usual "used output ``0 ≤ g_t ≤ avail_t``" variable and row per step: every MWh
    that reaches the bus comes from PV or wind (storage only shifts it, with losses), so any surplus can
    be traced back to renewable output and curtailed there at no cost; the optimal cost and capacities are
    those of the equality form (checked against PyPSA in ``benchmarks/bench_plan_pypsa.py``).

    Its dual, divided by ``w_t / Y`` and ``cost_scale``, is the shadow price of energy [USD/MWh].
    Elastic mode adds a priced shortfall ``z_t ≥ 0`` on the supply side.
    """
    lhs = total(parts.supply)
    facility = facility_expression(parts)
    if facility is not None:
        lhs = lhs - facility
    if elastic:
        z = m.add_variables(lower=0.0, coords=[parts.steps], dims=[STEP], name="shortfall_mw")
        lhs = lhs + z
        parts.slack_cost.append((series(parts, inputs.weights_h / inputs.horizon_years) * z).sum())
    m.add_constraints(lhs >= series(parts, parts.facility_const), name="balance")


def add_reserve(m: linopy.Model, inputs: PlanInputs, parts: ModelParts, elastic: bool = False) -> None:
    """Operating reserve: battery and fuel-cell headroom cover a share ``ρ_r`` of the facility load.

    .. math::
        x^b_t \\le P_b - d_t, \\quad x^b_t \\cdot 1\\,h \\le \\eta_d \\, soc_t, \\quad
        x^f_t \\le P_{fc} - f_t, \\quad x^f_t \\cdot 1\\,h \\le \\eta_{fc} \\, h_t

        x^b_t + x^f_t \\ge ρ_r L_t

    Headroom must be sustainable for one hour from the energy left after the step's dispatch.
    """
    share = inputs.rules.reserve_fraction
    if share <= 0.0:
        return
    terms = []
    if inputs.battery is not None:
        xb = m.add_variables(lower=0.0, coords=[parts.steps], dims=[STEP], name="reserve_battery_mw")
        m.add_constraints(
            xb + m.variables["battery_discharge_mw"] - m.variables["capacity_battery_mw"] <= 0.0,
            name="reserve_battery_power",
        )
        m.add_constraints(
            xb - inputs.battery.discharge_efficiency * m.variables["battery_soc_mwh"] <= 0.0,
            name="reserve_battery_energy",
        )
        terms.append(xb)
    if inputs.hydrogen is not None:
        xf = m.add_variables(lower=0.0, coords=[parts.steps], dims=[STEP], name="reserve_fuel_cell_mw")
        m.add_constraints(
            xf + m.variables["fuel_cell_mw"] - m.variables["capacity_fuelcell_mw"] <= 0.0,
            name="reserve_fuel_cell_power",
        )
        m.add_constraints(
            xf - inputs.hydrogen.fuel_cell_efficiency * m.variables["h2_store_mwh"] <= 0.0,
            name="reserve_fuel_cell_energy",
        )
        terms.append(xf)
    lhs = total(terms) if terms else None
    facility = facility_expression(parts)
    rhs = series(parts, share * parts.facility_const)
    if facility is not None:
        lhs = (-share * facility) if lhs is None else lhs - share * facility
    if elastic:
        z = m.add_variables(lower=0.0, coords=[parts.steps], dims=[STEP], name="reserve_shortfall_mw")
        lhs = z if lhs is None else lhs + z
        parts.slack_cost.append((series(parts, inputs.weights_h / inputs.horizon_years) * z).sum())
    if lhs is None:  # nothing can provide reserve: leave it to the pre-checks
        return
    m.add_constraints(lhs >= rhs, name="reserve")


def add_land_limit(m: linopy.Model, inputs: PlanInputs, elastic: bool = False) -> None:
    """Land limit: ``Σ_i a_i P_i ≤ A^{max}`` [km²], ``a_i`` the land per unit of capacity ``i``."""
    limit = inputs.rules.land_limit_km2
    if limit is None:
        return
    terms = [
        a * m.variables[f"capacity_{name}"]
        for name, a in inputs.rules.land_km2_per_unit.items()
        if a > 0 and f"capacity_{name}" in m.variables
    ]
    if not terms:
        return
    lhs = total(terms)
    if elastic:
        excess = m.add_variables(lower=0.0, name="excess_land_km2")
        m.add_constraints(lhs - excess <= limit, name="land_limit")
    else:
        m.add_constraints(lhs <= limit, name="land_limit")


def capacity_cost_usd_per_yr(inputs: PlanInputs) -> dict[str, float]:
    """Yearly cost of one unit of each capacity [USD/yr per MW or MWh]: annuity, fixed O&M, and for PV and
    wind the variable O&M of their available output (``vom × Σ_t w_t cf_t / Y``)."""
    from greendc.plan.inputs import COMPONENT_CAPACITY

    out = {}
    for component, row in inputs.costs.items():
        cost = row.annualised_cost(inputs.discount_rate)
        if component in ("pv", "wind") and row.vom_usd_per_mwh:
            cf = inputs.pv_cf if component == "pv" else inputs.wind_cf
            cost += row.vom_usd_per_mwh * float((cf * inputs.weights_h).sum()) / inputs.horizon_years
        out[COMPONENT_CAPACITY[component]] = cost
    return out


def add_objective(
    m: linopy.Model, inputs: PlanInputs, parts: ModelParts, cost_scale: float, elastic: bool
) -> None:
    """Total cost per year of horizon, times ``cost_scale``.

    .. math::
        \\min \\sum_i (\\mathrm{CRF}(r, n_i) + f^{FOM}_i) C_i P_i
        + \\frac{1}{Y} \\sum_t w_t \\Big( \\sum_k VOLL_k u_{k,t} + p^{grid} m_t + \\sum_j v_j x_{j,t} \\Big)

    Elastic mode minimises the slacks instead (MWh per year of missing energy, km² of extra land, MW
    of capacity above its bound), with the real cost scaled by 1e-9 as a tie-breaker.
    """
    unit_cost = capacity_cost_usd_per_yr(inputs)
    cap_terms = [
        unit_cost[name] * m.variables[f"capacity_{name}"]
        for name in CAPACITY_NAMES + WATER_CAPACITY_NAMES + CSP_CAPACITY_NAMES
        if f"capacity_{name}" in m.variables and name in unit_cost
    ]
    cost = total(cap_terms + parts.operating_cost)
    if not elastic:
        m.add_objective(cost_scale * cost)
        return
    slacks = list(parts.slack_cost)
    for name in m.variables:
        if name.startswith("excess_capacity_") or name == "excess_land_km2":
            slacks.append(1.0 * m.variables[name])
    m.add_objective(total([1e-9 * cost, *slacks]))


def build_model(
    inputs: PlanInputs, cost_scale: float = DEFAULT_COST_SCALE, elastic: bool = False
) -> linopy.Model:
    """The least-cost design LP of ``inputs``.

    Parameters
    ----------
    inputs : PlanInputs
    cost_scale : float
        Multiplier from USD to the objective's unit [-] (1e-6: MUSD/yr).
    elastic : bool
        Build the elastic (minimum-infeasibility) variant used by :mod:`greendc.plan.diagnose`: every rule
        gets a priced slack and the objective minimises them.

    Returns
    -------
    linopy.Model
    """
    m = linopy.Model(force_dim_names=True)
    parts = ModelParts(steps=np.arange(inputs.n_steps))
    parts.supply.append(add_pv(m, inputs, parts, elastic))
    parts.supply.append(add_wind(m, inputs, parts, elastic))
    add_battery(m, inputs, parts, elastic)
    add_hydrogen(m, inputs, parts, elastic)
    add_csp(m, inputs, parts, elastic)
    add_grid(m, inputs, parts)
    add_workloads(m, inputs, parts, elastic)
    add_water(m, inputs, parts, elastic)
    add_balance(m, inputs, parts, elastic)
    add_reserve(m, inputs, parts, elastic)
    add_land_limit(m, inputs, elastic)
    add_objective(m, inputs, parts, cost_scale, elastic)
    return m


__all__ = [
    "DEFAULT_COST_SCALE",
    "ModelParts",
    "add_balance",
    "add_battery",
    "add_csp",
    "add_grid",
    "add_hydrogen",
    "add_land_limit",
    "add_objective",
    "add_pv",
    "add_reserve",
    "add_water",
    "add_wind",
    "add_workloads",
    "backlog_window_mwh",
    "build_model",
    "capacity_cost_usd_per_yr",
    "series",
    "water_demand_m3_per_h",
]
