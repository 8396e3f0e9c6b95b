"""What the planner needs, in one frozen object: time steps, per-unit profiles, demand, costs and rules.

:class:`PlanInputs` is built either from a scenario and its profiles (:func:`inputs_from_scenario`) or
from two plain CSV files ("bring your own data", :func:`inputs_from_profiles_csv`). The linear program of
:mod:`greendc.plan.model` reads nothing else.

Time
----
One tz-aware UTC index of N steps; ``weights_h[t]`` is the length of step ``t`` in hours. Power series
are step means [MW]; energy in a step is ``power × weights_h``. :func:`aggregate_time` averages blocks of
consecutive hours into longer steps and keeps storage balances right through these weights.

Capacity names (the keys of bounds, land use and results): ``pv_mw``, ``wind_mw``, ``battery_mw``,
``battery_mwh``, ``electrolyser_mw``, ``h2_store_mwh``, ``fuelcell_mw``; with the water balance
(:class:`WaterSpec`, cooling that uses water) also ``desalination_m3_per_h`` and ``water_tank_m3``; with CSP
(:class:`~greendc.plan.csp.CspSpec`) also ``csp_field_mw_th``, ``csp_storage_mwh_th`` and ``csp_power_block_mw``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from greendc.costs import CostRow, CostTable, load_cost_table
from greendc.errors import DataFileError, ScenarioError
from greendc.plan.checks import CAPACITY_NAMES as _CAPACITY_NAMES
from greendc.plan.checks import WATER_CAPACITY_NAMES as _WATER_CAPACITY_NAMES
from greendc.plan.checks import check_plan_inputs
from greendc.plan.csp import CSP_CAPACITY_NAMES as _CSP_CAPACITY_NAMES
from greendc.plan.csp import CSP_COMPONENT_CAPACITY, CspSpec

if TYPE_CHECKING:  # pragma: no cover
    from greendc.scenario.models import Scenario

CAPACITY_NAMES = _CAPACITY_NAMES
WATER_CAPACITY_NAMES = _WATER_CAPACITY_NAMES
CSP_CAPACITY_NAMES = _CSP_CAPACITY_NAMES
#: Cost-table rows of the bring-your-own-data mode, by the model component that uses them.
BYO_TECHNOLOGIES: dict[str, str] = {
    "pv": "pv_single_axis",
    "wind": "wind_onshore",
    "battery_energy": "battery_energy",
    "battery_power": "battery_power",
    "electrolyser": "electrolyser",
    "h2_store": "h2_store",
    "fuel_cell": "fuel_cell",
}
#: Which capacity each cost row prices.
COMPONENT_CAPACITY: dict[str, str] = {
    "pv": "pv_mw",
    "wind": "wind_mw",
    "battery_energy": "battery_mwh",
    "battery_power": "battery_mw",
    "electrolyser": "electrolyser_mw",
    "h2_store": "h2_store_mwh",
    "fuel_cell": "fuelcell_mw",
    "desalination": "desalination_m3_per_h",
    "water_tank": "water_tank_m3",
    **CSP_COMPONENT_CAPACITY,
}
#: Lower heating value of hydrogen, 33.33 kWh/kg = 120 MJ/kg (DOE Hydrogen Program Record 9017, 2009).
H2_LHV_MWH_PER_KG = 0.03333


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
    reserve_fraction : float
        Battery plus fuel-cell headroom must be at least this share of facility load every step [-].
    land_limit_km2 : float or None
        Most land the plant may use [km²].
    land_km2_per_unit : mapping
        Land per unit of capacity, by capacity name [km²/MW or km²/MWh].
    capacity_bounds : mapping
        ``{capacity name: (min, max)}`` [MW or MWh]; max None = unbounded.
    reliability_target : float
        Share of requested firm IT energy that must be served [-]; 1 = every hour.
    """

    grid_allowed: bool = False
    grid_price_usd_per_mwh: float | None = None
    grid_max_import_mw: float | None = None
    grid_carbon_kg_per_mwh: float | None = None
    reserve_fraction: float = 0.0
    land_limit_km2: float | None = None
    land_km2_per_unit: Mapping[str, float] = field(default_factory=dict)
    capacity_bounds: Mapping[str, tuple[float, float | None]] = field(default_factory=dict)
    reliability_target: float = 1.0


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
        Water used by cooling [m³/MWh of IT].
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
    provenance : mapping
        Where the inputs come from (scenario hash, weather source and seed, cost table).
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
    provenance: Mapping[str, str] = field(default_factory=dict)

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
    def it_overhead(self) -> np.ndarray:
        """Facility power per MW of served IT [-]: ``PUE + desalination``, or ``PUE`` alone when the water
        balance carries the desalination energy (:attr:`water_active`)."""
        return self.pue if self.water_active else self.pue + self.desalination_mwh_per_mwh_it


# ----------------------------------------------------------------------------------------------------------
# bring your own data
# ----------------------------------------------------------------------------------------------------------

PROFILE_COLUMNS: tuple[str, ...] = ("timestamp", "pv_cf", "wind_cf", "it_load_mw")


def read_profiles_csv(path: str | Path) -> pd.DataFrame:
    """Read a bring-your-own profiles CSV: ``timestamp``, ``pv_cf``, ``wind_cf``, ``it_load_mw``.

    Timestamps without a zone are taken as UTC; with a zone they are converted to UTC. The steps must be
    regular, strictly increasing and gap-free.

    Raises
    ------
    DataFileError
        Missing file or column, unparsable timestamp, irregular steps, a value that is not a number or
        out of range; the message names the column and the row (1-based line of the file).
    """
    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"profiles file not found: {path}")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as err:
        raise DataFileError(f"profiles file {path}: not a readable CSV ({err})") from None
    raw.columns = [c.strip() for c in raw.columns]
    missing = [c for c in PROFILE_COLUMNS if c not in raw.columns]
    if missing:
        raise DataFileError(
            f"profiles file {path}: missing column(s) {missing}; required: {list(PROFILE_COLUMNS)}"
        )
    if len(raw) < 2:
        raise DataFileError(f"profiles file {path}: needs at least 2 rows, got {len(raw)}")
    ts = pd.to_datetime(raw["timestamp"].str.strip(), errors="coerce", utc=True, format="mixed")
    if ts.isna().any():
        i = int(np.argmax(ts.isna().to_numpy()))
        raise DataFileError(
            f"profiles file {path}, line {i + 2}, column 'timestamp': '{raw['timestamp'].iloc[i]}' is not a "
            "date-time (use ISO 8601, e.g. 2030-01-01T00:00Z)"
        )
    index = pd.DatetimeIndex(ts, name="timestamp")
    step = index[1] - index[0]
    diffs = index[1:] - index[:-1]
    if step <= pd.Timedelta(0) or not (diffs == step).all():
        i = int(np.argmax(diffs != step)) + 1 if step > pd.Timedelta(0) else 1
        raise DataFileError(
            f"profiles file {path}, line {i + 2}, column 'timestamp': steps must be regular and increasing "
            f"({step} expected, got {index[i] - index[i - 1]} before {index[i]})"
        )
    out = {}
    limits = {"pv_cf": (0.0, 1.0), "wind_cf": (0.0, 1.0), "it_load_mw": (0.0, 1e7)}
    for col, (low, high) in limits.items():
        values = pd.to_numeric(raw[col].str.strip(), errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(values) | (values < low) | (values > high)
        if bad.any():
            i = int(np.argmax(bad))
            raise DataFileError(
                f"profiles file {path}, line {i + 2}, column '{col}': '{raw[col].iloc[i]}' is not a number "
                "in "
                f"[{low:g}, {high:g}]"
            )
        out[col] = values
    return pd.DataFrame(out, index=index)


def select_years(
    frame: pd.DataFrame, years: int | None, origin: str = "profiles"
) -> tuple[pd.DataFrame, float]:
    """Keep the first ``years`` calendar years of ``frame``; return it and the horizon in years.

    ``years=N`` keeps the rows stamped before ``first timestamp + N calendar years`` (8760 or 8784 hours
    each, leap days kept) and the horizon is exactly N years. ``years=None`` keeps every row and the
    horizon is (number of hours) / 8760.
    """
    step_h = (frame.index[1] - frame.index[0]) / pd.Timedelta(hours=1)
    if years is None:
        return frame, len(frame) * step_h / 8760.0
    if not (isinstance(years, int | np.integer) and years >= 1):
        raise DataFileError(f"years must be a whole number ≥ 1, got {years!r}")
    end = frame.index[0] + pd.DateOffset(years=int(years))
    covered_until = frame.index[-1] + pd.Timedelta(hours=step_h)
    if covered_until < end:
        have = len(frame) * step_h / 8760.0
        raise DataFileError(
            f"{origin}: {years} year(s) requested from {frame.index[0]} (until {end}), but the data end at "
            f"{covered_until} ({have:.2f} years of {step_h:g}-hour steps)"
        )
    return frame.loc[frame.index < end], float(years)


def inputs_from_profiles_csv(
    profiles_csv: str | Path,
    costs_csv: str | Path = "default",
    discount_rate: float = 0.07,
    years: int | None = None,
) -> PlanInputs:
    """Plan inputs of the bring-your-own-data mode.

    The model is then exactly: one bus, PV, wind, a battery (energy and power sized independently, the
    power rating shared by charge and discharge, each way ``sqrt(round trip)``), electrolyser, hydrogen
    store and fuel cell, demand met every step, no other rule.

    Parameters
    ----------
    profiles_csv : str or pathlib.Path
        CSV with ``timestamp``, ``pv_cf`` [MW/MW], ``wind_cf`` [MW/MW], ``it_load_mw`` [MW, PUE applied].
    costs_csv : str or pathlib.Path
        Cost table with the columns of ``greendc/data/costs.csv`` and the rows ``pv_single_axis``,
        ``wind_onshore``, ``battery_energy``, ``battery_power``, ``electrolyser``, ``h2_store``,
        ``fuel_cell``; ``"default"`` for the shipped table.
    discount_rate : float
        [1/yr].
    years : int or None
        Number of calendar years from the first timestamp to use (see :func:`select_years`); None = all.

    Raises
    ------
    DataFileError
        Malformed CSV (column and row named), too few years, missing cost rows.
    """
    frame = read_profiles_csv(profiles_csv)
    frame, horizon_years = select_years(frame, years, origin=f"profiles file {profiles_csv}")
    table = load_cost_table(costs_csv)
    costs = {component: table[row] for component, row in BYO_TECHNOLOGIES.items()}
    round_trip = costs["battery_power"].efficiency
    step_h = (frame.index[1] - frame.index[0]) / pd.Timedelta(hours=1)
    return PlanInputs(
        index=frame.index,
        weights_h=np.full(len(frame), step_h),
        pv_cf=frame["pv_cf"].to_numpy(),
        wind_cf=frame["wind_cf"].to_numpy(),
        workloads=(WorkloadInput(name="load", requested_mw=frame["it_load_mw"].to_numpy()),),
        costs=costs,
        discount_rate=float(discount_rate),
        horizon_years=horizon_years,
        battery=BatterySpec(
            charge_efficiency=float(np.sqrt(round_trip)), discharge_efficiency=float(np.sqrt(round_trip))
        ),
        hydrogen=HydrogenSpec(
            electrolyser_efficiency=costs["electrolyser"].efficiency,
            fuel_cell_efficiency=costs["fuel_cell"].efficiency,
        ),
        rules=PlanRules(),
        provenance={"profiles": str(profiles_csv), "costs": table.origin, "mode": "bring-your-own-data"},
    )


# ----------------------------------------------------------------------------------------------------------
# scenario
# ----------------------------------------------------------------------------------------------------------

SCENARIO_PROFILE_COLUMNS: tuple[str, ...] = (
    "pv_cf",
    "wind_cf",
    "pue",
    "water_m3_per_mwh_it",
    "desalination_mwh_per_mwh_it",
)


def inputs_from_scenario(
    scenario: Scenario, profiles: pd.DataFrame, cost_table: CostTable | None = None
) -> PlanInputs:
    """Plan inputs of a scenario on its profiles.

    Parameters
    ----------
    scenario : greendc.scenario.models.Scenario
    profiles : pandas.DataFrame
        Output of the profiles orchestrator on a regular UTC index: ``pv_cf``, ``wind_cf``, ``pue``,
        ``water_m3_per_mwh_it``, ``desalination_mwh_per_mwh_it`` and one ``it_<class>_mw`` per workload
        class [MW of requested IT power].
    cost_table : CostTable, optional
        Overrides ``scenario.costs.table``.

    Notes
    -----
    A flexible class may run between ``min_power_fraction`` and ``max_power_fraction`` of its installed
    share; the installed share per step is taken as ``requested / utilisation`` so that build-out phases
    carry over. Its deadline is ``deadline_hours``. Facility power is
    ``Σ_c IT_c (PUE + desalination) + auxiliary_mw``, the PUE covering cooling and the power chain. When
    the cooling uses water and ``technologies.water.enabled``, the desalination plant and a water tank are
    sized instead (:class:`WaterSpec`; cost rows ``desalination`` and ``water_tank``), and the desalination
    energy follows the plant's production. ``rules.on_site_only: false`` allows grid import at
    ``rules.grid.price_usd_per_mwh``, up to ``rules.grid.max_import_mw``. With
    ``technologies.csp.enabled`` the profiles need ``csp_th_cf`` and the cost table the rows ``csp_field``,
    ``csp_storage`` and ``csp_power_block`` (:class:`~greendc.plan.csp.CspSpec`).
    Efficiencies of battery and hydrogen come from ``scenario.technologies``, prices from the cost table.
    The horizon is ``scenario.weather.years`` when the profiles cover exactly that many calendar years,
    else their length in hours / 8760.
    """
    from greendc.scenario.io import scenario_hash

    dc = scenario.datacenter
    required = list(SCENARIO_PROFILE_COLUMNS) + [f"it_{w.name}_mw" for w in dc.workload_classes]
    missing = [c for c in required if c not in profiles.columns]
    if missing:
        raise DataFileError(f"profiles: missing column(s) {missing}; required: {required}")
    index = profiles.index
    if not isinstance(index, pd.DatetimeIndex) or len(index) < 2:
        raise DataFileError("profiles: the index must be a DatetimeIndex of at least 2 steps")
    step = index[1] - index[0]
    if not ((index[1:] - index[:-1]) == step).all():
        raise DataFileError("profiles: the time index must be regular")
    step_h = step / pd.Timedelta(hours=1)
    table = cost_table if cost_table is not None else load_cost_table(scenario.costs.table)
    tech = scenario.technologies
    pv_row = {"single_axis": "pv_single_axis", "fixed": "pv_fixed"}[tech.pv.mount]
    costs = {"pv": table[pv_row], "wind": table["wind_onshore"]}
    costs |= {"battery_energy": table["battery_energy"], "battery_power": table["battery_power"]}
    hydrogen = None
    if tech.hydrogen.enabled:
        costs |= {k: table[k] for k in ("electrolyser", "h2_store", "fuel_cell")}
        hydrogen = HydrogenSpec(
            electrolyser_efficiency=tech.hydrogen.electrolyser_efficiency,
            fuel_cell_efficiency=tech.hydrogen.fuel_cell_efficiency,
            water_l_per_kg_h2=tech.hydrogen.water_l_per_kg_h2,
        )
    one_way = float(np.sqrt(tech.battery.round_trip_efficiency))
    battery = BatterySpec(
        charge_efficiency=one_way,
        discharge_efficiency=one_way,
        self_discharge_per_hour=tech.battery.self_discharge_per_hour,
        min_duration_h=tech.battery.min_duration_h or None,
        max_duration_h=tech.battery.max_duration_h,
    )
    rules = scenario.rules
    grid = rules.grid
    if not rules.on_site_only and grid.price_usd_per_mwh is None:
        raise ScenarioError(
            "rules.on_site_only: false allows grid import, which needs rules.grid.price_usd_per_mwh "
            "(a number ≥ 0 [USD/MWh]); set it, or use on_site_only: true"
        )
    water = None
    cooling_water = profiles["water_m3_per_mwh_it"].to_numpy(dtype=float)
    if tech.water.enabled and np.any(cooling_water > 0.0):
        absent = [k for k in ("desalination", "water_tank") if k not in table]
        if absent:
            raise DataFileError(
                f"cost table {table.origin}: the cooling uses water (water_m3_per_mwh_it > 0), so the planner "
                f"sizes a desalination plant and a water tank, but the table has no row {absent}; add the rows "
                "(see greendc/data/costs.csv) or set technologies.water.enabled: false"
            )
        costs |= {"desalination": table["desalination"], "water_tank": table["water_tank"]}
        water = WaterSpec(desalination_kwh_per_m3=dc.cooling.desalination_kwh_per_m3)
    csp = None
    land = {"pv_mw": tech.pv.land_km2_per_mw, "wind_mw": tech.wind.land_km2_per_mw}
    if tech.csp.enabled:
        if "csp_th_cf" not in profiles.columns:
            raise DataFileError(
                "profiles: technologies.csp.enabled needs the column 'csp_th_cf' (heat per MW_th of field); "
                "build the profiles with CSP enabled (greendc.assets.profiles.build_profiles)"
            )
        absent = [k for k in ("csp_field", "csp_storage", "csp_power_block") if k not in table]
        if absent:
            raise DataFileError(
                f"cost table {table.origin}: technologies.csp.enabled needs the rows {absent}; add them (see "
                "greendc/data/costs.csv) or set technologies.csp.enabled: false"
            )
        costs |= {k: table[k] for k in ("csp_field", "csp_storage", "csp_power_block")}
        csp = CspSpec(
            thermal_cf=profiles["csp_th_cf"].to_numpy(dtype=float),
            power_block_efficiency=tech.csp.power_block_efficiency,
            storage_loss_per_hour=tech.csp.storage_loss_per_hour,
        )
        land["csp_field_mw_th"] = tech.csp.land_km2_per_mw_th
    workloads = []
    for wc in dc.workload_classes:
        req = profiles[f"it_{wc.name}_mw"].to_numpy(dtype=float)
        if wc.flexible:
            installed = req / wc.utilisation if wc.utilisation > 0 else np.zeros_like(req)
            lo, hi = installed * wc.min_power_fraction, installed * wc.max_power_fraction
        else:
            lo, hi = req, req
        workloads.append(
            WorkloadInput(
                name=wc.name,
                requested_mw=req,
                flexible=wc.flexible,
                min_mw=lo,
                max_mw=hi,
                deadline_hours=float(wc.deadline_hours),
                value_of_lost_load_usd_per_mwh=wc.value_of_lost_load_usd_per_mwh,
            )
        )
    n = len(index)
    # whole calendar years (leap days kept) count as exactly that many years, else hours / 8760
    whole = scenario.weather.years
    calendar_end = index[0] + pd.DateOffset(years=whole)
    years = float(whole) if index[-1] + step == calendar_end else n * step_h / 8760.0
    utc_index = index.tz_convert("UTC") if index.tz is not None else index.tz_localize("UTC")
    return PlanInputs(
        index=utc_index,
        weights_h=np.full(n, step_h),
        pv_cf=profiles["pv_cf"].to_numpy(dtype=float),
        wind_cf=profiles["wind_cf"].to_numpy(dtype=float),
        workloads=tuple(workloads),
        costs=costs,
        discount_rate=scenario.finance.discount_rate,
        horizon_years=years,
        pue=profiles["pue"].to_numpy(dtype=float),
        desalination_mwh_per_mwh_it=profiles["desalination_mwh_per_mwh_it"].to_numpy(dtype=float),
        water_m3_per_mwh_it=cooling_water,
        auxiliary_mw=np.full(n, dc.electrical.auxiliary_mw),
        battery=battery,
        hydrogen=hydrogen,
        water=water,
        csp=csp,
        rules=PlanRules(
            grid_allowed=not rules.on_site_only,
            grid_price_usd_per_mwh=None if rules.on_site_only else grid.price_usd_per_mwh,
            grid_max_import_mw=None if rules.on_site_only else grid.max_import_mw,
            grid_carbon_kg_per_mwh=None if rules.on_site_only else grid.carbon_intensity_kg_per_mwh,
            reserve_fraction=rules.reserve_fraction,
            land_limit_km2=rules.land_limit_km2,
            land_km2_per_unit=land,
            reliability_target=rules.reliability_target,
        ),
        provenance={
            "scenario": scenario.name,
            "scenario_hash": scenario_hash(scenario),
            "weather_source": scenario.weather.source,
            "weather_seed": str(scenario.weather.seed) if scenario.weather.source == "synthetic" else "",
            "costs": table.origin,
            "mode": "scenario",
        },
    )


# ----------------------------------------------------------------------------------------------------------
# time aggregation
# ----------------------------------------------------------------------------------------------------------


def aggregate_time(inputs: PlanInputs, steps_per_block: int) -> PlanInputs:
    """Average blocks of ``steps_per_block`` consecutive steps into one longer step.

    Power and per-unit series become block means weighted by step length (energy is conserved exactly);
    the new weights are the block lengths (the last block may be shorter). Storage balances, backlog
    windows and energy costs in :mod:`greendc.plan.model` use these weights, so state of charge stays
    continuous and energy is counted right; only variability inside a block is lost.

    Parameters
    ----------
    inputs : PlanInputs
    steps_per_block : int
        Number of consecutive input steps per aggregated step (≥ 1).
    """
    k = int(steps_per_block)
    if k != steps_per_block or k < 1:
        raise ScenarioError(f"steps_per_block must be a whole number ≥ 1, got {steps_per_block!r}")
    if k == 1:
        return inputs
    n = inputs.n_steps
    starts = np.arange(0, n, k)
    w = inputs.weights_h
    w_sum = np.add.reduceat(w, starts)

    def mean(x: np.ndarray) -> np.ndarray:
        return np.add.reduceat(x * w, starts) / w_sum

    def mean_of_product(x: np.ndarray, y: np.ndarray, x_mean: np.ndarray) -> np.ndarray:
        # energy-weighted mean of y (e.g. PUE weighted by IT power), falling back to the plain mean
        num = np.add.reduceat(x * y * w, starts)
        den = x_mean * w_sum
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), mean(y))

    total_it = sum(wl.requested_mw for wl in inputs.workloads)
    total_it_mean = mean(total_it)
    workloads = tuple(
        replace(wl, requested_mw=mean(wl.requested_mw), min_mw=mean(wl.min_mw), max_mw=mean(wl.max_mw))
        for wl in inputs.workloads
    )
    return replace(
        inputs,
        index=inputs.index[starts],
        weights_h=w_sum,
        pv_cf=mean(inputs.pv_cf),
        wind_cf=mean(inputs.wind_cf),
        workloads=workloads,
        pue=mean_of_product(total_it, inputs.pue, total_it_mean),
        desalination_mwh_per_mwh_it=mean_of_product(
            total_it, inputs.desalination_mwh_per_mwh_it, total_it_mean
        ),
        water_m3_per_mwh_it=mean_of_product(total_it, inputs.water_m3_per_mwh_it, total_it_mean),
        auxiliary_mw=mean(inputs.auxiliary_mw),
        csp=None if inputs.csp is None else replace(inputs.csp, thermal_cf=mean(inputs.csp.thermal_cf)),
        provenance={**inputs.provenance, "time_aggregation_steps": str(k)},
    )
