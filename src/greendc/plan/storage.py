"""Storage in the design LP: battery, hydrogen chain (electrolyser, store, fuel cell) and the water balance
(desalination plant and fresh-water tank). Each is a level balance, cyclic or from an initial level."""

from __future__ import annotations

import linopy
import numpy as np

from greendc.constants import H2_LHV_MWH_PER_KG
from greendc.plan.inputs import PlanInputs
from greendc.plan.parts import ModelParts, _capacity, level_change, series, step_variable, total


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
    c = step_variable(m, parts, "battery_charge_mw")
    d = step_variable(m, parts, "battery_discharge_mw")
    soc = step_variable(m, parts, "battery_soc_mwh")
    w = inputs.weights_h
    change, start = level_change(parts, soc, (1.0 - spec.self_discharge_per_hour) ** w, spec.initial_soc_mwh)
    m.add_constraints(
        change - series(parts, w * spec.charge_efficiency) * c + series(parts, w / spec.discharge_efficiency) * d
        == start,
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
    p_fc = _capacity(m, inputs, "fuel_cell_mw", elastic)
    el = step_variable(m, parts, "electrolyser_mw")
    fc = step_variable(m, parts, "fuel_cell_mw")
    h = step_variable(m, parts, "h2_level_mwh")
    w = inputs.weights_h
    change, start = level_change(parts, h, np.ones_like(w), spec.initial_h2_mwh)
    m.add_constraints(
        change
        - series(parts, w * spec.electrolyser_efficiency) * el
        + series(parts, w / spec.fuel_cell_efficiency) * fc
        == start,
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
    Must be built after :func:`add_hydrogen` and :func:`~greendc.plan.workloads.add_workloads` (it reads their
    variables). The operational simulator does not model water (the design's capacities stay those of
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
    q = step_variable(m, parts, "desalination_m3_per_h")
    v = step_variable(m, parts, "water_tank_m3")
    w = inputs.weights_h
    change, start = level_change(parts, v, np.ones_like(w), spec.initial_tank_m3)
    demand, demand_const = water_demand_m3_per_h(m, inputs, parts)
    lhs = change - series(parts, w) * q
    if demand is not None:
        lhs = lhs + series(parts, w) * demand
    m.add_constraints(lhs == start - series(parts, w * demand_const), name="water_balance")
    m.add_constraints(q - cap <= 0.0, name="desalination_limit")
    m.add_constraints(v - tank_cap <= 0.0, name="water_tank_limit")
    parts.facility.append(spec.desalination_kwh_per_m3 / 1000.0 * q)


__all__ = ["add_battery", "add_hydrogen", "add_water", "water_demand_m3_per_h"]
