"""The solved design: capacities, costs, hourly dispatch, shadow prices and provenance.

Dispatch columns (MW are step means, MWh are levels at the end of the step, m³ per step):

=========================  =====  ==================================================================
column                     unit   meaning
=========================  =====  ==================================================================
``pv_mw``                  MW     PV output used (available output minus its share of curtailment)
``wind_mw``                MW     wind output used
``battery_charge_mw``      MW     battery charging power (AC side)
``battery_discharge_mw``   MW     battery discharging power (AC side)
``battery_soc_mwh``        MWh    battery state of charge
``electrolyser_mw``        MW     electrolyser electricity input
``h2_level_mwh``           MWh    hydrogen in store (LHV)
``fuel_cell_mw``           MW     fuel-cell electricity output
``curtailed_mw``           MW     renewable output not used
``it_mw``                  MW     served IT power, all classes
``it_<class>_mw``          MW     served IT power of one class
``facility_mw``            MW     facility power: IT × (PUE + desalination) + auxiliaries (with the
                                  water balance: IT × PUE + auxiliaries + desalination plant)
``unserved_mw``            MW     requested IT power not served (dropped work)
``unserved_facility_mw``   MW     facility power of that work: unserved IT × (PUE + desalination)
``requested_<class>_mw``   MW     IT power requested by one class
``unserved_<class>_mw``    MW     IT power of one class not served
``grid_import_mw``         MW     grid import (0 unless allowed)
``water_m3``               m³     fresh water of the data centre in the step (cooling; the data-centre
                                  boundary, :mod:`greendc.kpi.water`)
``electrolyser_water_m3``  m³     electrolyser process water (energy plant, outside the data centre)
``seawater_m3``            m³     seawater withdrawn (and returned) by once-through cooling
``heat_to_sea_mw``         MW     heat carried to the sea by that seawater [MW_th]
``desalination_m3_per_h``  m³/h   desalination plant production (only with the water balance)
``water_tank_m3``          m³     water in the tank at the end of the step (only with the water balance)
``csp_mw``                 MW     CSP power-block electric output used (only with CSP)
``csp_storage_mwh_th``     MWh    heat in the CSP thermal storage at the end of the step (only with CSP)
``csp_dumped_mw_th``       MW     CSP field heat dumped, mirrors defocused (only with CSP)
=========================  =====  ==================================================================

Energy balance, every step: ``pv + wind + csp + discharge − charge + fuel_cell − electrolyser + grid =
facility``. The curtailment is taken from PV and wind first, shared in proportion to their available
output; only what exceeds their output (a CSP block running above need) comes off ``csp_mw``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import linopy
import numpy as np
import pandas as pd

from greendc.assets.water import water_figures
from greendc.constants import H2_LHV_MWH_PER_KG
from greendc.plan.inputs import (
    CAPACITY_NAMES,
    CSP_CAPACITY_NAMES,
    WATER_CAPACITY_NAMES,
    PlanInputs,
    capacity_of,
)
from greendc.plan.land import land_by_kind_km2
from greendc.provenance import Provenance

DISPATCH_COLUMNS: tuple[str, ...] = (
    "pv_mw",
    "wind_mw",
    "battery_charge_mw",
    "battery_discharge_mw",
    "battery_soc_mwh",
    "electrolyser_mw",
    "h2_level_mwh",
    "fuel_cell_mw",
    "curtailed_mw",
    "it_mw",
    "facility_mw",
    "unserved_mw",
    "grid_import_mw",
    "water_m3",
    "electrolyser_water_m3",
    "seawater_m3",
    "heat_to_sea_mw",
)


class SolveStatus(StrEnum):
    """Outcome of a solve."""

    OPTIMAL = "optimal"
    TIME_LIMIT = "time_limit"
    ITERATION_LIMIT = "iteration_limit"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    ERROR = "error"


@dataclass(frozen=True, eq=False)
class PlanResult:
    """A least-cost design and how it runs.

    Attributes
    ----------
    capacities : mapping
        ``pv_mw``, ``wind_mw``, ``battery_mw``, ``battery_mwh``, ``electrolyser_mw``, ``h2_store_mwh``,
        ``fuel_cell_mw`` [MW or MWh]; with the water balance also ``desalination_m3_per_h`` [m³/h] and
        ``water_tank_m3`` [m³] (not part of the simulator's design, which does not model water); with CSP
        also ``csp_field_mw_th`` [MW_th at the design point], ``csp_storage_mwh_th`` [MWh_th] and
        ``csp_power_block_mw`` [MW_e] (read by the simulator).
    capex_usd : mapping
        Overnight investment by component (cost-table row) [USD].
    annualised_cost_usd_per_yr : mapping
        Capital annuity plus fixed O&M by component, plus ``variable_om``, ``unserved_energy`` and
        ``grid_import`` [USD/yr]; sums to ``objective_usd_per_yr``.
    objective_usd_per_yr : float
        Total cost per year of horizon [USD/yr].
    it_energy_mwh_per_yr, facility_energy_mwh_per_yr : float
        Served IT energy and facility energy per year [MWh/yr].
    cost_usd_per_mwh_it, cost_usd_per_mwh_facility : float
        Total cost per MWh of served IT energy and of facility energy [USD/MWh].
    curtailment_mwh_per_yr : float
        [MWh/yr].
    curtailment_fraction : float
        Curtailed share of the available renewable energy [-] (PV, wind and, with CSP, the power block's
        output).
    battery_cycles_per_yr, h2_cycles_per_yr : float
        Discharged energy / energy capacity, per year [1/yr] (hydrogen: fuel-cell input over store).
    land_km2 : float
        Total land of the plant, the site's outer area [km²] (:func:`greendc.plan.land.total_km2`).
    land_by_kind_km2 : mapping
        ``{"direct": {technology: km²}, "spacing": km², "total": km²}``: exclusive footprint by technology
        (``pv``, ``wind``: pads, roads, substations, ``csp_field``), the wind farm's area between the turbines
        and the total (:func:`greendc.plan.land.land_by_kind_km2`) [km²].
    water_m3_per_yr : float
        Fresh water of the data centre (cooling) [m³/yr]; the other kinds in ``water``.
    unserved_mwh_per_yr : float
        Requested IT energy not served [MWh/yr].
    dispatch : pandas.DataFrame
        Per step, columns of :data:`DISPATCH_COLUMNS` plus ``it_<class>_mw``; UTC index.
    energy_price_usd_per_mwh : pandas.Series
        Shadow price of energy: marginal cost of one more MWh of facility demand in that step [USD/MWh].
    weights_h : numpy.ndarray
        Step lengths [h].
    horizon_years : float
        [yr].
    status : SolveStatus
    provenance : Provenance
        Scenario and hash, weather, package versions; in ``details`` the cost table, solver, options, status,
        build and solve wall times [s].
    grid_import_mwh_per_yr : float or None
        Energy imported from the grid [MWh/yr]; None when the rules allow no grid.
    grid_co2_kg_per_yr : float or None
        Emissions of that import at ``rules.grid_carbon_kg_per_mwh`` [kg CO2/yr]; None without a grid or
        without a carbon intensity.
    reserves : mapping
        With an energy reserve (``rules.reserve_hours > 0``): ``reserve_hours`` [h], ``battery_reserve_mwh`` and
        ``h2_reserve_mwh`` [MWh], the levels kept for the firm load (:mod:`greendc.plan.reserve`); else empty.
    water : mapping
        Water by kind and the seawater figures (:func:`greendc.assets.water.water_figures`):
        ``water_by_kind_m3_per_yr``, ``seawater_withdrawal_m3_per_s`` and ``thermal_discharge_mw`` (mean,
        peak), ``outfall_delta_t_k``.
    """

    capacities: Mapping[str, float]
    capex_usd: Mapping[str, float]
    annualised_cost_usd_per_yr: Mapping[str, float]
    objective_usd_per_yr: float
    it_energy_mwh_per_yr: float
    facility_energy_mwh_per_yr: float
    cost_usd_per_mwh_it: float
    cost_usd_per_mwh_facility: float
    curtailment_mwh_per_yr: float
    curtailment_fraction: float
    battery_cycles_per_yr: float
    h2_cycles_per_yr: float
    land_km2: float
    land_by_kind_km2: Mapping[str, Any]
    water_m3_per_yr: float
    unserved_mwh_per_yr: float
    dispatch: pd.DataFrame
    energy_price_usd_per_mwh: pd.Series
    weights_h: np.ndarray
    horizon_years: float
    status: SolveStatus
    provenance: Provenance = field(default_factory=lambda: Provenance("plan"))
    grid_import_mwh_per_yr: float | None = None
    grid_co2_kg_per_yr: float | None = None
    reserves: Mapping[str, float] = field(default_factory=dict)
    water: Mapping[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """Headline figures as plain JSON-ready values (what ``summary.json`` holds)."""
        out: dict[str, Any] = {"objective_usd_per_yr": self.objective_usd_per_yr}
        out |= {k: float(v) for k, v in self.capacities.items()}
        out |= {
            "cost_usd_per_mwh_it": self.cost_usd_per_mwh_it,
            "cost_usd_per_mwh_facility": self.cost_usd_per_mwh_facility,
            "it_energy_mwh_per_yr": self.it_energy_mwh_per_yr,
            "facility_energy_mwh_per_yr": self.facility_energy_mwh_per_yr,
            "curtailment_mwh_per_yr": self.curtailment_mwh_per_yr,
            "curtailment_fraction": self.curtailment_fraction,
            "battery_cycles_per_yr": self.battery_cycles_per_yr,
            "h2_cycles_per_yr": self.h2_cycles_per_yr,
            "land_km2": self.land_km2,
            "land_by_kind_km2": {
                "direct": {k: float(v) for k, v in self.land_by_kind_km2["direct"].items()},
                "spacing": float(self.land_by_kind_km2["spacing"]),
                "total": float(self.land_by_kind_km2["total"]),
            },
            "water_m3_per_yr": self.water_m3_per_yr,
            "unserved_mwh_per_yr": self.unserved_mwh_per_yr,
        }
        for key in ("grid_import_mwh_per_yr", "grid_co2_kg_per_yr"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.reserves:
            out["reserves"] = {k: float(v) for k, v in self.reserves.items()}
        out |= dict(self.water)
        out |= {
            "horizon_years": self.horizon_years,
            "annualised_cost_usd_per_yr": {k: float(v) for k, v in self.annualised_cost_usd_per_yr.items()},
            "capex_usd": {k: float(v) for k, v in self.capex_usd.items()},
            "status": self.status.value,
            "provenance": self.provenance.to_dict(),
        }
        return out


def _values(m: linopy.Model, name: str, n: int) -> np.ndarray:
    if name not in m.variables:
        return np.zeros(n)
    return np.nan_to_num(np.asarray(m.variables[name].solution.values, dtype=float).reshape(-1), nan=0.0)


def _scalar(m: linopy.Model, name: str) -> float:
    if name not in m.variables:
        return 0.0
    return float(np.nan_to_num(m.variables[name].solution.values))


#: Capacities below this are solver noise and reported as zero [MW or MWh].
CAPACITY_ZERO_TOLERANCE = 1e-6


def _clean_capacity(value: float) -> float:
    """A solved capacity with solver noise removed: negative or below the tolerance → 0."""
    return float(value) if value > CAPACITY_ZERO_TOLERANCE else 0.0


def result_from_model(
    m: linopy.Model,
    inputs: PlanInputs,
    status: SolveStatus,
    cost_scale: float,
    provenance: Provenance,
) -> PlanResult:
    """Read a solved model of :func:`greendc.plan.model.build_model` back into a :class:`PlanResult`: the
    capacities, the flows of each step and the dispatch table (:func:`_flows`), the costs (:func:`_costs`), the
    yearly figures and the reserves."""
    n = inputs.n_steps
    w = inputs.weights_h
    years = inputs.horizon_years
    names = CAPACITY_NAMES + (WATER_CAPACITY_NAMES if inputs.water_active else ())
    names += CSP_CAPACITY_NAMES if inputs.csp is not None else ()
    caps = {name: _clean_capacity(_scalar(m, f"capacity_{name}")) for name in names}
    f = _flows(m, inputs, caps)
    it, facility, curtailed, avail, unserved = f.it, f.facility, f.curtailed, f.avail, f.unserved
    dis, fc, grid = f.dis, f.fc, f.grid
    water, electrolyser_water, seawater, heat_to_sea = f.water, f.electrolyser_water, f.seawater, f.heat_to_sea
    dispatch = f.dispatch
    capex, annual = _costs(m, inputs, caps, f)
    objective = float(m.objective.value) / cost_scale

    per_year = lambda x: float((x * w).sum()) / years  # noqa: E731
    it_mwh, fac_mwh = per_year(it), per_year(facility)
    avail_mwh = per_year(avail)
    dual = m.constraints["balance"].dual.values if "balance" in m.constraints else None
    price = (
        np.asarray(dual, dtype=float).reshape(-1) / cost_scale * years / w if dual is not None else np.full(n, np.nan)
    )
    land = land_by_kind_km2(caps, inputs.rules)
    grid_mwh = per_year(grid) if inputs.rules.grid_allowed else None
    carbon = inputs.rules.grid_carbon_kg_per_mwh
    grid_co2 = grid_mwh * carbon if grid_mwh is not None and carbon is not None else None
    return PlanResult(
        capacities=caps,
        capex_usd=capex,
        annualised_cost_usd_per_yr=annual,
        objective_usd_per_yr=objective,
        it_energy_mwh_per_yr=it_mwh,
        facility_energy_mwh_per_yr=fac_mwh,
        cost_usd_per_mwh_it=objective / it_mwh if it_mwh > 0 else float("nan"),
        cost_usd_per_mwh_facility=objective / fac_mwh if fac_mwh > 0 else float("nan"),
        curtailment_mwh_per_yr=per_year(curtailed),
        curtailment_fraction=per_year(curtailed) / avail_mwh if avail_mwh > 0 else 0.0,
        battery_cycles_per_yr=per_year(dis) / caps["battery_mwh"] if caps["battery_mwh"] > 1e-9 else 0.0,
        h2_cycles_per_yr=(
            per_year(fc) / inputs.hydrogen.fuel_cell_efficiency / caps["h2_store_mwh"]
            if inputs.hydrogen is not None and caps["h2_store_mwh"] > 1e-9
            else 0.0
        ),
        land_km2=float(land["total"]),
        land_by_kind_km2=land,
        water_m3_per_yr=float(water.sum()) / years,
        unserved_mwh_per_yr=per_year(unserved),
        dispatch=dispatch,
        energy_price_usd_per_mwh=pd.Series(price, index=inputs.index, name="energy_price_usd_per_mwh"),
        weights_h=w.copy(),
        horizon_years=years,
        status=status,
        provenance=provenance,
        grid_import_mwh_per_yr=grid_mwh,
        grid_co2_kg_per_yr=grid_co2,
        water=water_figures(
            w, years, water, electrolyser_water, seawater, heat_to_sea, inputs.pv_cleaning_m3_per_mw_yr * caps["pv_mw"]
        ),
        reserves=_reserves(m, inputs),
    )


@dataclass(frozen=True)
class _Flows:
    """What the solved model did in each step [MW, m³ per step]: the dispatch table and the series the
    yearly figures and the costs are made of."""

    dispatch: pd.DataFrame
    it: np.ndarray
    facility: np.ndarray
    curtailed: np.ndarray
    avail: np.ndarray
    unserved: np.ndarray
    dis: np.ndarray
    el: np.ndarray
    fc: np.ndarray
    grid: np.ndarray
    csp_gross: np.ndarray
    water: np.ndarray
    electrolyser_water: np.ndarray
    seawater: np.ndarray
    heat_to_sea: np.ndarray


def _flows(m: linopy.Model, inputs: PlanInputs, caps: dict[str, float]) -> _Flows:
    """The flows of each step read from the solved model, and the dispatch table made of them."""
    n = inputs.n_steps
    w = inputs.weights_h
    pv_avail = inputs.pv_cf * caps["pv_mw"]
    wind_avail = inputs.wind_cf * caps["wind_mw"]
    ch, dis = _values(m, "battery_charge_mw", n), _values(m, "battery_discharge_mw", n)
    el, fc = _values(m, "electrolyser_mw", n), _values(m, "fuel_cell_mw", n)
    grid = _values(m, "grid_import_mw", n)

    overhead = inputs.it_overhead
    served: dict[str, np.ndarray] = {}
    unserved_by_class: dict[str, np.ndarray] = {}
    for wl in inputs.workloads:
        u = _values(m, f"unserved_{wl.name}_mw", n)
        served[wl.name] = _values(m, f"it_{wl.name}_mw", n) if wl.flexible else wl.requested_mw - u
        unserved_by_class[wl.name] = u
    unserved = sum(unserved_by_class.values())
    it = sum(served.values())
    facility = it * overhead + inputs.auxiliary_mw
    water_columns: dict[str, np.ndarray] = {}
    if inputs.water_active and inputs.water is not None:
        desal = _values(m, "desalination_m3_per_h", n)
        facility = facility + desal * inputs.water.desalination_kwh_per_m3 / 1000.0
        water_columns = {
            "desalination_m3_per_h": desal,
            "water_tank_m3": np.clip(_values(m, "water_tank_m3", n), 0.0, caps["water_tank_m3"]),
        }
    csp_columns: dict[str, np.ndarray] = {}
    csp_gross = np.zeros(n)
    if inputs.csp is not None:
        csp_gross = inputs.csp.power_block_efficiency * _values(m, "csp_heat_to_block_mw_th", n)
    supply = pv_avail + wind_avail + csp_gross + dis - ch + fc - el + grid
    curtailed = np.maximum(supply - facility, 0.0)
    avail = pv_avail + wind_avail
    vre_cut = curtailed if inputs.csp is None else np.minimum(curtailed, avail)
    pv_share = np.divide(pv_avail, avail, out=np.zeros(n), where=avail > 0)
    pv_used = pv_avail - vre_cut * pv_share
    wind_used = wind_avail - vre_cut * (1.0 - pv_share) * (avail > 0)
    if inputs.csp is not None:
        csp_columns = {
            "csp_mw": csp_gross - (curtailed - vre_cut),
            "csp_storage_mwh_th": np.clip(_values(m, "csp_storage_mwh_th", n), 0.0, caps["csp_storage_mwh_th"]),
            "csp_dumped_mw_th": _values(m, "csp_dumped_mw_th", n),
        }
        avail = avail + csp_gross

    water = it * inputs.water_m3_per_mwh_it * w
    electrolyser_water = np.zeros(n)
    if inputs.hydrogen is not None:
        h2_kg = el * inputs.hydrogen.electrolyser_efficiency * w / H2_LHV_MWH_PER_KG
        electrolyser_water = h2_kg * inputs.hydrogen.water_l_per_kg_h2 / 1000.0
    heat_to_sea = it * inputs.heat_to_sea_mw_per_mw_it
    seawater = heat_to_sea * w * inputs.seawater_m3_per_mwh_heat

    dispatch = pd.DataFrame(
        {
            "pv_mw": pv_used,
            "wind_mw": wind_used,
            "battery_charge_mw": ch,
            "battery_discharge_mw": dis,
            "battery_soc_mwh": np.clip(_values(m, "battery_soc_mwh", n), 0.0, caps["battery_mwh"]),
            "electrolyser_mw": el,
            "h2_level_mwh": np.clip(_values(m, "h2_level_mwh", n), 0.0, caps["h2_store_mwh"]),
            "fuel_cell_mw": fc,
            "curtailed_mw": curtailed,
            "it_mw": it,
            "facility_mw": facility,
            "unserved_mw": unserved,
            "unserved_facility_mw": unserved * overhead,
            "grid_import_mw": grid,
            "water_m3": water,
            "electrolyser_water_m3": electrolyser_water,
            "seawater_m3": seawater,
            "heat_to_sea_mw": heat_to_sea,
        }
        | water_columns
        | csp_columns
        | {f"it_{name}_mw": s for name, s in served.items()}
        | {f"requested_{wl.name}_mw": wl.requested_mw * np.ones(n) for wl in inputs.workloads}
        | {f"unserved_{name}_mw": u for name, u in unserved_by_class.items()},
        index=inputs.index,
    )

    return _Flows(
        dispatch, it, facility, curtailed, avail, unserved, dis, el, fc, grid, csp_gross, water,
        electrolyser_water, seawater, heat_to_sea,
    )  # fmt: skip


def _costs(
    m: linopy.Model, inputs: PlanInputs, caps: dict[str, float], f: _Flows
) -> tuple[dict[str, float], dict[str, float]]:
    """Capital cost of each component [USD] and the annualised costs [USD/yr], with variable O&M, the value
    of lost load and grid purchases."""
    from greendc.plan.model import component_cost_usd_per_yr

    n = inputs.n_steps
    w = inputs.weights_h
    years = inputs.horizon_years
    dis, el, fc, csp_gross, grid = f.dis, f.el, f.fc, f.csp_gross, f.grid
    unit_cost = component_cost_usd_per_yr(inputs)
    capex = {c: row.capex_per_unit * caps.get(capacity_of(c), 0.0) for c, row in inputs.costs.items()}
    annual = {c: unit_cost[c] * caps.get(capacity_of(c), 0.0) for c in inputs.costs}
    vom = 0.0
    for comp, flow in (("battery_power", dis), ("electrolyser", el), ("fuel_cell", fc), ("csp_power_block", csp_gross)):
        if comp in inputs.costs:
            vom += inputs.costs[comp].vom_usd_per_mwh * float((flow * w).sum()) / years
    voll_cost = 0.0
    for wl in inputs.workloads:
        if wl.value_of_lost_load_usd_per_mwh:
            u = _values(m, f"unserved_{wl.name}_mw", n)
            voll_cost += wl.value_of_lost_load_usd_per_mwh * float((u * w).sum()) / years
    grid_cost = (inputs.rules.grid_price_usd_per_mwh or 0.0) * float((grid * w).sum()) / years
    annual |= {"variable_om": vom, "unserved_energy": voll_cost, "grid_import": grid_cost}
    return capex, annual


def _reserves(m: linopy.Model, inputs: PlanInputs) -> dict[str, float]:
    """The reserve held in each store [MWh] when the rules ask for reserve hours (else empty)."""
    return (
        {"reserve_hours": inputs.rules.reserve_hours}
        | {
            f"{store}_reserve_mwh": _clean_capacity(_scalar(m, f"reserve_{store}_mwh"))
            if f"reserve_{store}_mwh" in m.variables
            else 0.0
            for store in ("battery", "h2")
        }
        if inputs.rules.reserve_hours > 0
        else {}
    )
