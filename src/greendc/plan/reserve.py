"""Energy reserve of the design LP: stored energy kept for the firm load alone, sized to carry it through a
lull of stated length (:func:`add_energy_reserve`).

A plan sized on a few weather years with perfect foresight empties its storage exactly when its own worst
lull ends; an unseen year with a longer lull then goes dark. A plant with no grid and no diesel keeps what a
diesel plant keeps in its tanks: stored energy that the normal dispatch never touches and that carries the
firm load alone for ``D`` hours (the *reserve hours*, the autonomy of back-up fuel). The operating policy
uses the same levels: flexible work is held back before the reserve is touched
(:class:`greendc.operate.policies.RuleBasedPolicy`).
"""

from __future__ import annotations

import linopy
import numpy as np

from greendc.plan.inputs import PlanInputs
from greendc.plan.parts import ModelParts, total


def firm_facility_mw(inputs: PlanInputs) -> np.ndarray:
    """Facility load of the firm classes and the auxiliaries per step, ``A_t + ω_t Σ_firm r_{k,t}`` [MW]."""
    firm = np.zeros(inputs.n_steps)
    for wl in inputs.workloads:
        if not wl.flexible:
            firm = firm + wl.requested_mw
    return inputs.auxiliary_mw + inputs.it_overhead * firm


def reserve_energy_mwh(inputs: PlanInputs) -> float:
    """Energy the reserve must deliver: ``E_R = D · max_t L^{firm}_t`` [MWh] (0 without reserve hours).

    Examples
    --------
    >>> import pandas as pd
    >>> from greendc.costs import CostRow
    >>> from greendc.plan.inputs import BatterySpec, PlanRules, WorkloadInput
    >>> idx = pd.date_range("2030-01-01", periods=2, freq="h", tz="UTC")
    >>> row = CostRow("pv", 1.0, "USD/MW", 20, 0.0, 1.0, "test")
    >>> costs = {k: row for k in ("pv", "wind", "battery_energy", "battery_power")}
    >>> it = WorkloadInput("it", np.array([8.0, 10.0]))
    >>> inputs = PlanInputs(idx, np.ones(2), np.ones(2), np.zeros(2), (it,), costs, 0.05, 2 / 8760,
    ...                     pue=np.full(2, 1.1), auxiliary_mw=np.ones(2), battery=BatterySpec(0.95, 0.95),
    ...                     rules=PlanRules(reserve_hours=20.0))
    >>> reserve_energy_mwh(inputs)
    240.0
    """
    hours = inputs.rules.reserve_hours
    if hours <= 0.0:
        return 0.0
    return float(hours * firm_facility_mw(inputs).max())


def add_energy_reserve(m: linopy.Model, inputs: PlanInputs, parts: ModelParts, elastic: bool = False) -> None:
    """Energy reserve for the firm load: levels ``R_b`` [MWh] in the battery and ``R_h`` [MWh of hydrogen]
    in the store, never used by the planned dispatch, that deliver ``E_R`` (:func:`reserve_energy_mwh`)
    within the reserve hours ``D``.

    .. math::
        soc_t \\ge R_b, \\quad h_t \\ge R_h \\quad \\forall t, \\qquad
        \\eta_d R_b + \\eta_{fc} R_h \\ge E_R = D \\max_t L^{firm}_t

        \\eta_d R_b \\le D P_b, \\quad \\eta_{fc} R_h \\le D P_{fc}, \\qquad P_b + P_{fc} \\ge \\max_t L^{firm}_t

    The last three rows make the reserve deliverable: each store can give its share within ``D`` hours,
    and battery and fuel cell together carry the firm peak. The LP chooses the split, so a long reserve
    tends to go to hydrogen (cheap per MWh stored) and a short one to the battery (cheap per MW). Elastic
    mode prices a shortfall of ``E_R`` [MWh] instead of refusing it.
    """
    need = reserve_energy_mwh(inputs)
    if need <= 0.0:
        return
    hours = inputs.rules.reserve_hours
    peak = float(firm_facility_mw(inputs).max())
    energy, power = [], []
    refill = inputs.rules.reserve_refill_hours
    for spec, level, capacity_p, capacity_in, store, eff_name, eff_in_name in (
        (
            inputs.battery,
            "battery_soc_mwh",
            "capacity_battery_mw",
            "capacity_battery_mw",
            "battery",
            "discharge_efficiency",
            "charge_efficiency",
        ),
        (
            inputs.hydrogen,
            "h2_level_mwh",
            "capacity_fuel_cell_mw",
            "capacity_electrolyser_mw",
            "h2",
            "fuel_cell_efficiency",
            "electrolyser_efficiency",
        ),
    ):
        if spec is None:
            continue
        eff = getattr(spec, eff_name)
        r = m.add_variables(lower=0.0, name=f"reserve_{store}_mwh")
        m.add_constraints(m.variables[level] - r >= 0.0, name=f"reserve_{store}_level")
        m.add_constraints(eff * r - hours * m.variables[capacity_p] <= 0.0, name=f"reserve_{store}_deliverable")
        if refill is not None:
            m.add_constraints(
                r - refill * getattr(spec, eff_in_name) * m.variables[capacity_in] <= 0.0,
                name=f"reserve_{store}_refill",
            )
        energy.append(eff * r)
        power.append(1.0 * m.variables[capacity_p])
    if not energy:  # nothing can hold a reserve: left to the pre-checks
        return
    lhs = total(energy)
    if elastic:
        z = m.add_variables(lower=0.0, name="reserve_energy_shortfall_mwh")
        lhs = lhs + z
        parts.slack_cost.append(1.0 * z)
    m.add_constraints(lhs >= need, name="energy_reserve")
    m.add_constraints(total(power) >= peak, name="reserve_power")


__all__ = ["add_energy_reserve", "firm_facility_mw", "reserve_energy_mwh"]
