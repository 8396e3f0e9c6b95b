"""What the planner needs, in one frozen object: time steps, per-unit profiles, demand, costs and rules.

:class:`PlanInputs` is built either from a scenario and its profiles
(:func:`~greendc.plan.from_scenario.inputs_from_scenario`) or from two plain CSV files ("bring your own
data", :func:`~greendc.plan.from_csv.inputs_from_profiles_csv`). The linear program of
:mod:`greendc.plan.model` reads nothing else.

Time
----
One tz-aware UTC index of N steps; ``weights_h[t]`` is the length of step ``t`` in hours. Power series
are step means [MW]; energy in a step is ``power × weights_h``. :func:`~greendc.plan.aggregate.aggregate_time`
averages blocks of consecutive hours into longer steps and keeps storage balances right through these weights.

Capacity names (the keys of bounds, land use and results): ``pv_mw``, ``wind_mw``, ``battery_mw``,
``battery_mwh``, ``electrolyser_mw``, ``h2_store_mwh``, ``fuel_cell_mw``; with the water balance
(:class:`WaterSpec`, cooling that uses water) also ``desalination_m3_per_h`` and ``water_tank_m3``; with CSP
(:class:`CspSpec`) also ``csp_field_mw_th``, ``csp_storage_mwh_th`` and ``csp_power_block_mw``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from greendc.costs import CostRow, CostTable
from greendc.errors import DataFileError, ScenarioError
from greendc.plan.checks import CAPACITY_NAMES as _CAPACITY_NAMES
from greendc.plan.checks import CSP_CAPACITY_NAMES as _CSP_CAPACITY_NAMES
from greendc.plan.checks import WATER_CAPACITY_NAMES as _WATER_CAPACITY_NAMES
from greendc.plan.checks import check_plan_inputs
from greendc.provenance import Provenance
from greendc.units import COMPONENT_CAPACITY as _COMPONENT_CAPACITY

CAPACITY_NAMES = _CAPACITY_NAMES
WATER_CAPACITY_NAMES = _WATER_CAPACITY_NAMES
CSP_CAPACITY_NAMES = _CSP_CAPACITY_NAMES
#: Cost-table row of each CSP component and the capacity it prices.
CSP_COMPONENT_CAPACITY: dict[str, str] = {k: v for k, v in _COMPONENT_CAPACITY.items() if v in _CSP_CAPACITY_NAMES}


#: Which capacity each cost row prices (:data:`greendc.units.COMPONENT_CAPACITY`).
COMPONENT_CAPACITY: dict[str, str] = _COMPONENT_CAPACITY


@dataclass(frozen=True, eq=False)
class CspSpec:
    """CSP plant parameters as the planner sees them.

    Attributes
    ----------
    thermal_cf : numpy.ndarray
        Heat collected per MW_th of field (design point) per step [MW_th/MW_th,dp]
        (:func:`greendc.assets.csp.csp_thermal_per_mw_field`, the ``csp_th_cf`` profile).
    power_block_efficiency : float
        Electricity out per heat in of the power block, net of the plant's own consumption [-].
    storage_loss_per_hour : float
        Share of the stored heat lost per hour [1/h].
    initial_storage_mwh_th : float or None
        Heat in storage before the first step [MWh_th]; None = cyclic (the horizon repeats). Given, the
        end is free (a dispatch window).
    """

    thermal_cf: np.ndarray
    power_block_efficiency: float
    storage_loss_per_hour: float = 0.0
    initial_storage_mwh_th: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "thermal_cf", np.asarray(self.thermal_cf, dtype=float))
        cf = self.thermal_cf
        if cf.ndim != 1 or not np.all(np.isfinite(cf)) or np.any(cf < 0.0) or np.any(cf > 1.5):
            bad = int(np.argmax(~np.isfinite(cf) | (cf < 0.0) | (cf > 1.5))) if cf.ndim == 1 else 0
            raise ScenarioError(
                f"csp thermal_cf (csp_th_cf) at step {bad} is {cf.ravel()[bad]!r}; allowed: a 1-D "
                "series of finite numbers in [0, 1.5] [MW_th per MW_th of field]"
            )
        eta = self.power_block_efficiency
        if not (isinstance(eta, int | float) and np.isfinite(eta) and 0.0 < eta <= 1.0):
            raise ScenarioError(f"technologies.csp.power_block_efficiency = {eta!r}; allowed: a number in (0, 1]")
        loss = self.storage_loss_per_hour
        if not (isinstance(loss, int | float) and np.isfinite(loss) and 0.0 <= loss < 1.0):
            raise ScenarioError(f"technologies.csp.storage_loss_per_hour = {loss!r}; allowed: a number in [0, 1) [1/h]")
        init = self.initial_storage_mwh_th
        if init is not None and not (isinstance(init, int | float) and np.isfinite(init) and init >= 0.0):
            raise ScenarioError(
                f"csp initial_storage_mwh_th = {init!r}; allowed: None (cyclic) or a finite number >= 0 [MWh_th]"
            )


#: Separator of a balance-of-plant component: ``<cost row>@<capacity>``, e.g. ``grid_connection@pv_mw``.
BOP_SEPARATOR = "@"


def capacity_of(component: str) -> str:
    """Capacity a cost component is paid per: :data:`COMPONENT_CAPACITY`, or the part after ``@`` of a
    balance-of-plant component (``grid_connection@pv_mw`` → ``pv_mw``)."""
    if BOP_SEPARATOR in component:
        return component.split(BOP_SEPARATOR, 1)[1]
    return COMPONENT_CAPACITY[component]


def with_balance_of_plant(costs: Mapping[str, CostRow], table: CostTable) -> dict[str, CostRow]:
    """``costs`` plus one ``<row>@<capacity>`` component per balance-of-plant row of ``table`` and capacity it
    applies to that ``costs`` prices (a row for ``fuel_cell_mw`` is skipped when no hydrogen is modelled).

    Raises
    ------
    DataFileError
        A balance-of-plant row names a capacity the planner does not know.
    """
    known = set(CAPACITY_NAMES + WATER_CAPACITY_NAMES + CSP_CAPACITY_NAMES)
    priced = {capacity_of(c) for c in costs}
    out = dict(costs)
    for name, row in table.balance_of_plant.items():
        unknown = [c for c in row.applies_to if c not in known]
        if unknown:
            raise DataFileError(
                f"cost table {table.origin}: row '{name}' applies_to {unknown}; allowed capacities: {sorted(known)}"
            )
        out |= {f"{name}{BOP_SEPARATOR}{c}": row for c in row.applies_to if c in priced}
    return out


def _check_initial_level(name: str, value: float | None, unit: str = "MWh") -> None:
    """An initial storage level or backlog: None (cyclic) or a finite number ≥ 0 [``unit``]."""
    ok = isinstance(value, int | float) and not isinstance(value, bool) and np.isfinite(value) and value >= 0
    if value is not None and not ok:
        raise ScenarioError(f"{name} = {value!r}; allowed: None (cyclic) or a finite number >= 0 [{unit}]")


@dataclass(frozen=True, eq=False)
class WorkloadInput:
    """One IT workload class as the planner sees it.

    Attributes
    ----------
    name : str
        Class name (``it_<name>_mw`` in results).
    requested_mw : numpy.ndarray
        Requested IT power per step [MW].
    flexible : bool
        Whether the work may move in time (backlog formulation) or must be served when requested.
    min_mw, max_mw : numpy.ndarray
        Power envelope of a flexible class per step [MW] (equal to ``requested_mw`` for a firm class).
    deadline_hours : float
        Work requested at ``t`` must be done by ``t + deadline_hours`` [h].
    value_of_lost_load_usd_per_mwh : float or None
        Price of unserved IT energy [USD/MWh]; None = must be served (unless the reliability rule allows).
    initial_backlog_mwh : float or None
        Work of a flexible class waiting before the first step [MWh]; None = cyclic backlog (the horizon
        repeats). Given, the backlog starts at this value and the end is free (a dispatch window).
    """

    name: str
    requested_mw: np.ndarray
    flexible: bool = False
    min_mw: np.ndarray | None = None
    max_mw: np.ndarray | None = None
    deadline_hours: float = 24.0
    value_of_lost_load_usd_per_mwh: float | None = None
    initial_backlog_mwh: float | None = None

    def __post_init__(self) -> None:
        req = np.asarray(self.requested_mw, dtype=float)
        object.__setattr__(self, "requested_mw", req)
        for attr in ("min_mw", "max_mw"):
            value = getattr(self, attr)
            object.__setattr__(self, attr, req.copy() if value is None else np.asarray(value, dtype=float))
        _check_initial_level(f"class '{self.name}': initial_backlog_mwh", self.initial_backlog_mwh)


@dataclass(frozen=True)
class BatterySpec:
    """Battery technical parameters.

    Attributes
    ----------
    charge_efficiency, discharge_efficiency : float
        One-way efficiencies [-]; their product is the AC round trip.
    self_discharge_per_hour : float
        Share of the stored energy lost per hour [1/h].
    min_duration_h, max_duration_h : float or None
        Bounds on energy/power [h]; None = no bound.
    initial_soc_mwh : float or None
        State of charge before the first step [MWh]; None = cyclic (the horizon repeats). Given, the end
        is free (a dispatch window).
    """

    charge_efficiency: float
    discharge_efficiency: float
    self_discharge_per_hour: float = 0.0
    min_duration_h: float | None = None
    max_duration_h: float | None = None
    initial_soc_mwh: float | None = None

    def __post_init__(self) -> None:
        _check_initial_level("battery initial_soc_mwh", self.initial_soc_mwh)


@dataclass(frozen=True)
class HydrogenSpec:
    """Hydrogen chain parameters.

    Attributes
    ----------
    electrolyser_efficiency : float
        MWh of hydrogen (LHV) per MWh of electricity [-].
    fuel_cell_efficiency : float
        MWh of electricity per MWh of hydrogen (LHV) [-].
    water_l_per_kg_h2 : float
        Process water of the electrolyser [L/kg of hydrogen].
    initial_h2_mwh : float or None
        Hydrogen in store before the first step [MWh, LHV]; None = cyclic. Given, the end is free.
    """

    electrolyser_efficiency: float
    fuel_cell_efficiency: float
    water_l_per_kg_h2: float = 0.0
    initial_h2_mwh: float | None = None

    def __post_init__(self) -> None:
        _check_initial_level("hydrogen initial_h2_mwh", self.initial_h2_mwh)


@dataclass(frozen=True)
class WaterSpec:
    """Fresh-water supply of a site whose cooling uses water: a seawater desalination plant and a tank.

    The planner sizes the plant [m³/h] and the tank [m³] (cost rows ``desalination`` and ``water_tank``)
    and runs the plant when electricity is cheapest; without a ``WaterSpec`` the desalination energy
    follows the IT load step by step (``desalination_mwh_per_mwh_it``). The operational simulator does
    not model water: it keeps that per-MWh-of-IT overhead.

    Attributes
    ----------
    desalination_kwh_per_m3 : float
        Electricity of the desalination plant per m³ of fresh water [kWh/m³].
    initial_tank_m3 : float or None
        Water in the tank before the first step [m³]; None = cyclic (the horizon repeats). Given, the
        end is free (a dispatch window).
    """

    desalination_kwh_per_m3: float
    initial_tank_m3: float | None = None

    def __post_init__(self) -> None:
        _check_initial_level("water initial_tank_m3", self.initial_tank_m3, unit="m³")


@dataclass(frozen=True)
class PlanRules:
    """What a design must satisfy.

    Attributes
    ----------
    grid_allowed : bool
        Whether grid import is allowed (never by default).
    grid_price_usd_per_mwh : float or None
        Price of grid energy [USD/MWh], needed when ``grid_allowed``.
    grid_max_import_mw : float or None
        Largest grid import [MW]; None = no limit.
    grid_carbon_kg_per_mwh : float or None
        Emissions of grid energy [kg CO2/MWh], reported with the result (not priced).
    grid_cfe_share : float
        Carbon-free share of grid energy [-].
    grid_cfe_target : float or None
        Least carbon-free share of the facility's energy over the horizon (:mod:`greendc.plan.cfe`) [-];
        None = no target.
    reserve_fraction : float
        Battery plus fuel-cell headroom must be at least this share of facility load every step [-].
    land_limit_km2 : float or None
        Most total land (the site's outer area, :func:`greendc.plan.land.total_km2`) the plant may use [km²].
    land_km2_per_unit : mapping
        Total land per unit of capacity, by capacity name [km²/MW or km²/MWh]; for wind the whole project
        area, spacing between the turbines included.
    direct_land_km2_per_unit : mapping
        Direct (exclusive) land per unit of capacity, where it is less than the total [km²/MW]: wind's pads,
        roads and substations; a capacity absent here is exclusive over its whole land (:mod:`greendc.plan.land`).
    pv_between_turbines : bool
        PV arrays and the CSP field may lie in the wind farm's spacing area (total land is then the larger of
        all direct land and the wind farm's outer area); False: side by side.
    capacity_bounds : mapping
        ``{capacity name: (min, max)}`` [MW or MWh]; max None = unbounded.
    reliability_target : float
        Share of requested firm IT energy that must be served [-]; 1 = every hour.
    reserve_hours : float
        Stored energy kept for the firm load alone carries its peak for this long
        (:func:`greendc.plan.reserve.add_energy_reserve`) [h]; 0 = no energy reserve.
    reserve_refill_hours : float or None
        A used reserve can be refilled within this time at full charging power [h]; None = no such rule.
    """

    grid_allowed: bool = False
    grid_price_usd_per_mwh: float | None = None
    grid_max_import_mw: float | None = None
    grid_carbon_kg_per_mwh: float | None = None
    grid_cfe_share: float = 0.0
    grid_cfe_target: float | None = None
    reserve_fraction: float = 0.0
    land_limit_km2: float | None = None
    land_km2_per_unit: Mapping[str, float] = field(default_factory=dict)
    direct_land_km2_per_unit: Mapping[str, float] = field(default_factory=dict)
    pv_between_turbines: bool = False
    capacity_bounds: Mapping[str, tuple[float, float | None]] = field(default_factory=dict)
    reliability_target: float = 1.0
    reserve_hours: float = 0.0
    reserve_refill_hours: float | None = 168.0


@dataclass(frozen=True, eq=False)
class PlanInputs:
    """Everything the least-cost planner reads.

    Attributes
    ----------
    index : pandas.DatetimeIndex
        Start of each step, tz-aware UTC, strictly increasing.
    weights_h : numpy.ndarray
        Length of each step [h].
    pv_cf, wind_cf : numpy.ndarray
        AC output per MW of PV (DC nameplate) and of wind [MW/MW].
    workloads : tuple of WorkloadInput
        IT load classes.
    pue : numpy.ndarray
        Facility power per IT power, cooling and power chain [-].
    desalination_mwh_per_mwh_it : numpy.ndarray
        Energy to desalinate the cooling water [MWh/MWh of IT].
    water_m3_per_mwh_it : numpy.ndarray
        Fresh water the data centre's cooling consumes [m³/MWh of IT].
    auxiliary_mw : numpy.ndarray
        Facility load independent of IT (offices, security) [MW].
    costs : mapping of str to CostRow
        Cost row of each model component (``pv``, ``wind``, ``battery_energy``, ``battery_power``,
        ``electrolyser``, ``h2_store``, ``fuel_cell``; ``desalination``, ``water_tank`` with the water
        balance).
    discount_rate : float
        [1/yr].
    horizon_years : float
        Length of the horizon [yr]; the objective is per year of horizon.
    battery : BatterySpec or None
        None = no battery may be built.
    hydrogen : HydrogenSpec or None
        None = no hydrogen chain may be built.
    water : WaterSpec or None
        Desalination plant and water tank to size; used only when ``water_m3_per_mwh_it`` is above 0 in
        some step (:attr:`water_active`). None = desalination energy tied to the IT load.
    csp : CspSpec or None
        CSP plant (solar field, thermal storage, power block) the planner may build, with the field's
        ``csp_th_cf`` profile; None = no CSP (the default).
    rules : PlanRules
    provenance : Provenance
        Where the inputs come from: scenario and hash, weather, cost table and currency, mode.
    seawater_m3_per_mwh_heat : float
        Seawater a once-through seawater cooling withdraws per MWh of heat it carries to the sea [m³/MWh]
        (:func:`greendc.assets.water.seawater_withdrawal_m3_per_s` × 3600 s); 0 = no heat goes to the sea
        (:attr:`heat_to_sea_mw_per_mw_it`).
    pv_cleaning_m3_per_mw_yr : float
        PV cleaning water per MW of PV DC nameplate [m³/(MW·yr)]
        (:func:`greendc.assets.water.pv_cleaning_water_m3_per_yr` of 1 MW); reported, not in the LP.
    """

    index: pd.DatetimeIndex
    weights_h: np.ndarray
    pv_cf: np.ndarray
    wind_cf: np.ndarray
    workloads: tuple[WorkloadInput, ...]
    costs: Mapping[str, CostRow]
    discount_rate: float
    horizon_years: float
    pue: np.ndarray | None = None
    desalination_mwh_per_mwh_it: np.ndarray | None = None
    water_m3_per_mwh_it: np.ndarray | None = None
    auxiliary_mw: np.ndarray | None = None
    battery: BatterySpec | None = None
    hydrogen: HydrogenSpec | None = None
    water: WaterSpec | None = None
    csp: CspSpec | None = None
    rules: PlanRules = PlanRules()
    provenance: Provenance = field(default_factory=lambda: Provenance("plan"))
    seawater_m3_per_mwh_heat: float = 0.0
    pv_cleaning_m3_per_mw_yr: float = 0.0

    def __post_init__(self) -> None:
        n = len(self.index)
        defaults = {
            "pue": 1.0,
            "desalination_mwh_per_mwh_it": 0.0,
            "water_m3_per_mwh_it": 0.0,
            "auxiliary_mw": 0.0,
        }
        for name, default in defaults.items():
            value = getattr(self, name)
            arr = np.full(n, default) if value is None else np.asarray(value, dtype=float)
            object.__setattr__(self, name, arr)
        for name in ("weights_h", "pv_cf", "wind_cf"):
            object.__setattr__(self, name, np.asarray(getattr(self, name), dtype=float))
        object.__setattr__(self, "workloads", tuple(self.workloads))
        for name in ("seawater_m3_per_mwh_heat", "pv_cleaning_m3_per_mw_yr"):
            value = getattr(self, name)
            if not (np.isfinite(value) and value >= 0.0):
                raise ScenarioError(f"{name} = {value!r}; allowed: a finite number >= 0")
        check_plan_inputs(self)

    @property
    def n_steps(self) -> int:
        """Number of time steps."""
        return len(self.index)

    @property
    def water_active(self) -> bool:
        """Whether the LP has the water balance: a :class:`WaterSpec` and cooling that uses water."""
        return self.water is not None and bool(np.any(self.water_m3_per_mwh_it > 0.0))

    @property
    def heat_to_sea_mw_per_mw_it(self) -> np.ndarray:
        """Heat carried to the sea per MW of served IT [MW/MW]: the PUE with once-through seawater cooling
        (every kW of it ends in the seawater, :func:`greendc.assets.cooling.cooling_breakdown`), else 0.
        Derived from the PUE, so it follows :func:`~greendc.plan.aggregate.aggregate_time`."""
        return self.pue if self.seawater_m3_per_mwh_heat > 0.0 else np.zeros(self.n_steps)

    @property
    def it_overhead(self) -> np.ndarray:
        """Facility power per MW of served IT [-]: ``PUE + desalination``, or ``PUE`` alone when the water
        balance carries the desalination energy (:attr:`water_active`)."""
        return self.pue if self.water_active else self.pue + self.desalination_mwh_per_mwh_it
