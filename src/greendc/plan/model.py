"""The least-cost design linear program: :func:`build_model`, the rows that join the components, the objective.

Each component has its builder, grouped by what it models: :mod:`greendc.plan.supply` (PV, wind, grid
import), :mod:`greendc.plan.storage` (battery, hydrogen, water), :mod:`greendc.plan.workloads` (IT classes)
and :mod:`greendc.plan.csp`; :mod:`greendc.plan.parts` holds what they share. This module adds the site's
energy balance, reserve and land limit, and the objective; :mod:`greendc.plan.cfe` the carbon-free
energy target of a grid-connected site.

Notation (every series is indexed by the time step ``t`` of :class:`~greendc.plan.inputs.PlanInputs`):

* ``w_t`` [h] step length, ``Y`` [yr] horizon length; the objective is per year of horizon.
* Capacities (variables, one value each): ``P_pv``, ``P_wind`` [MW], ``P_b`` [MW], ``E_b`` [MWh],
  ``P_el`` [MW of electricity], ``E_h2`` [MWh of hydrogen, LHV], ``P_fc`` [MW of electricity].
* Dispatch [MW, step means]: ``c_t``/``d_t`` battery charge/discharge,
  ``e_t`` electrolyser input, ``f_t`` fuel-cell output, ``s_{k,t}`` served IT power of class ``k``,
  ``u_{k,t}`` unserved IT power, ``m_t`` grid import; levels [MWh]: ``soc_t``, ``h_t``, backlog ``b_{k,t}``.
* Water balance (only when the cooling uses water, :func:`~greendc.plan.storage.add_water`): plant
  ``Q_ds`` [m³/h], tank ``V_w`` [m³], production ``q_t`` [m³/h], tank level ``v_t`` [m³].
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
Costs enter the objective multiplied by ``cost_scale``; by default (:func:`objective_scale`) one over the
yearly cost of the dearest unit of capacity, so that the largest capacity cost is 1 whatever the currency
or the size of the site (costs in USD were measured to need 40 % more simplex iterations than in MUSD, 3x
the time, and HiGHS's absolute 1e-7 tolerances need costs well above them; see :mod:`greendc.plan.solve`).
The LP has, per step, 6 to 8 variables and 9 rows (balance, two storage balances, six capacity limits)
with PV, wind, battery and hydrogen; a flexible class adds its served power and backlog (bounded variables) and one row.

References
----------
.. [1] Brown, T., Hörsch, J., Schlachtberger, D. (2018). PyPSA: Python for Power System Analysis.
   J. Open Research Software 6(1):4. doi:10.5334/jors.188 (storage and link equations)
.. [2] Riepin, I., Brown, T., Zavala, V. M. (2025). Spatio-temporal load shifting for truly clean
   computing. Advances in Applied Energy 17:100202. doi:10.1016/j.adapen.2024.100202 (flexible loads)
"""

from __future__ import annotations

import linopy
import numpy as np

from greendc.plan.cfe import add_cfe_target
from greendc.plan.csp import add_csp
from greendc.plan.inputs import (
    CAPACITY_NAMES,
    CSP_CAPACITY_NAMES,
    WATER_CAPACITY_NAMES,
    PlanInputs,
)
from greendc.plan.land import land_limit_rows
from greendc.plan.parts import ModelParts, facility_expression, series, step_variable, total
from greendc.plan.reserve import add_energy_reserve
from greendc.plan.storage import add_battery, add_hydrogen, add_water
from greendc.plan.supply import add_grid, add_pv, add_wind
from greendc.plan.workloads import add_workloads

#: Multiplier from USD to the objective's unit (MUSD) when no capacity has a cost.
DEFAULT_COST_SCALE = 1e-6


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
        z = step_variable(m, parts, "shortfall_mw")
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

    def headroom(unit: str, output: str, efficiency: float, level: str) -> None:
        """Headroom of one store: within its rating less its output, and its level over one hour."""
        x = step_variable(m, parts, f"reserve_{unit}_mw")
        m.add_constraints(
            x + m.variables[output] - m.variables[f"capacity_{unit}_mw"] <= 0.0, name=f"reserve_{unit}_power"
        )
        m.add_constraints(x - efficiency * m.variables[level] <= 0.0, name=f"reserve_{unit}_energy")
        terms.append(x)

    if inputs.battery is not None:
        headroom("battery", "battery_discharge_mw", inputs.battery.discharge_efficiency, "battery_soc_mwh")
    if inputs.hydrogen is not None:
        headroom("fuel_cell", "fuel_cell_mw", inputs.hydrogen.fuel_cell_efficiency, "h2_level_mwh")
    lhs = total(terms) if terms else None
    facility = facility_expression(parts)
    rhs = series(parts, share * parts.facility_const)
    if facility is not None:
        lhs = (-share * facility) if lhs is None else lhs - share * facility
    if elastic:
        z = step_variable(m, parts, "reserve_shortfall_mw")
        lhs = z if lhs is None else lhs + z
        parts.slack_cost.append((series(parts, inputs.weights_h / inputs.horizon_years) * z).sum())
    if lhs is None:  # nothing can provide reserve: leave it to the pre-checks
        return
    m.add_constraints(lhs >= rhs, name="reserve")


def add_land_limit(m: linopy.Model, inputs: PlanInputs, elastic: bool = False) -> None:
    """Land limit on the site's total (outer) area [km²], :mod:`greendc.plan.land`.

    .. math:: \\sum_i a_i P_i \\le A^{max}

    with ``a_i`` the total land per unit of capacity ``i`` (row ``land_limit``). With PV between turbines the
    total is ``max(Σ_i d_i P_i, Σ_{i: d_i < a_i} a_i P_i)``, ``d_i`` the direct land, and the limit is two rows:

    .. math:: \\sum_i d_i P_i \\le A^{max} \\quad (land\\_limit), \\qquad
        \\sum_{i: d_i < a_i} a_i P_i \\le A^{max} \\quad (land\\_limit\\_spaced)

    Elastic mode subtracts one slack ``excess_land_km2 ≥ 0`` from every row: the land above the limit.
    """
    limit = inputs.rules.land_limit_km2
    if limit is None:
        return
    rows = {}
    for name, coefficients in zip(("land_limit", "land_limit_spaced"), land_limit_rows(inputs.rules), strict=False):
        terms = [c * m.variables[f"capacity_{k}"] for k, c in coefficients.items() if f"capacity_{k}" in m.variables]
        if terms:
            rows[name] = total(terms)
    excess = m.add_variables(lower=0.0, name="excess_land_km2") if elastic and rows else None
    for name, lhs in rows.items():
        m.add_constraints((lhs if excess is None else lhs - excess) <= limit, name=name)


def component_cost_usd_per_yr(inputs: PlanInputs) -> dict[str, float]:
    """Yearly cost of one unit of capacity per cost component [USD/yr per MW or MWh]: annuity, fixed O&M, and
    for PV and wind the variable O&M of their available output (``vom × Σ_t w_t cf_t / Y``)."""
    out = {}
    for component, row in inputs.costs.items():
        cost = row.annualised_cost(inputs.discount_rate)
        if component in ("pv", "wind") and row.vom_usd_per_mwh:
            cf = inputs.pv_cf if component == "pv" else inputs.wind_cf
            cost += row.vom_usd_per_mwh * float((cf * inputs.weights_h).sum()) / inputs.horizon_years
        out[component] = cost
    return out


def capacity_cost_usd_per_yr(inputs: PlanInputs) -> dict[str, float]:
    """Yearly cost of one unit of each capacity [USD/yr per MW or MWh]: :func:`component_cost_usd_per_yr`
    summed over the capacity's own row and the balance-of-plant rows paid per unit of it
    (``<row>@<capacity>``, :func:`greendc.plan.inputs.capacity_of`)."""
    from greendc.plan.inputs import capacity_of

    out: dict[str, float] = {}
    for component, cost in component_cost_usd_per_yr(inputs).items():
        capacity = capacity_of(component)
        out[capacity] = out.get(capacity, 0.0) + cost
    return out


def objective_scale(inputs: PlanInputs) -> float:
    """Multiplier from USD to the objective's unit [1/USD]: one over the largest yearly cost of one unit of
    capacity (:func:`capacity_cost_usd_per_yr`), or :data:`DEFAULT_COST_SCALE` when nothing has a cost.

    HiGHS's optimality tolerances are absolute (1e-7 on reduced costs): objective coefficients of order 1
    keep the optimum accurate on a small site with costs of a few USD as on a 500 MW site. On the default
    Dakhla scenario this is 3.2e-6 (fuel cell, 310 944 USD/yr per MW), close to MUSD (1e-6); the solve takes
    as long and ends 1.4e-7 (relative) lower, at the LP's optimum to HiGHS's tolerance.
    """
    largest = max((c for c in capacity_cost_usd_per_yr(inputs).values() if c > 0), default=0.0)
    return 1.0 / largest if largest > 0 else DEFAULT_COST_SCALE


def add_objective(m: linopy.Model, inputs: PlanInputs, parts: ModelParts, cost_scale: float, elastic: bool) -> None:
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


def build_model(inputs: PlanInputs, cost_scale: float | None = None, elastic: bool = False) -> linopy.Model:
    """The least-cost design LP of ``inputs``.

    Parameters
    ----------
    inputs : PlanInputs
    cost_scale : float, optional
        Multiplier from USD to the objective's unit [1/USD]; default :func:`objective_scale`.
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
    add_cfe_target(m, inputs, parts, elastic)
    add_reserve(m, inputs, parts, elastic)
    add_energy_reserve(m, inputs, parts, elastic)
    add_land_limit(m, inputs, elastic)
    add_objective(m, inputs, parts, objective_scale(inputs) if cost_scale is None else cost_scale, elastic)
    return m


__all__ = [
    "DEFAULT_COST_SCALE",
    "add_balance",
    "add_land_limit",
    "add_objective",
    "add_reserve",
    "build_model",
    "capacity_cost_usd_per_yr",
    "component_cost_usd_per_yr",
    "objective_scale",
]
