"""A fixed design: the capacities of a plan and the technical parameters the simulator needs.

The simulator does not size anything: it runs a :class:`Design` (capacities as in the planner's
``summary.json``, efficiencies from the scenario, unit sizes for the outage model) on weather the design
never saw.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from greendc.errors import DataFileError, ScenarioError
from greendc.plan.inputs import CSP_CAPACITY_NAMES
from greendc.scenario.models import Scenario
from greendc.units import CAPACITY_KEYS, RENAMED_CAPACITIES, current_names

#: Every capacity a design may have: the seven of :data:`CAPACITY_KEYS` and the CSP plant's three.
DESIGN_CAPACITY_KEYS: tuple[str, ...] = (*CAPACITY_KEYS, *CSP_CAPACITY_NAMES)

#: Unit sizes of the outage model when the scenario does not fix them [MW]; see ``data/reliability.csv``.
DEFAULT_PV_BLOCK_MW = 5.0
DEFAULT_BATTERY_BLOCK_MW = 5.0
DEFAULT_ELECTROLYSER_STACK_MW = 10.0
DEFAULT_FUEL_CELL_MODULE_MW = 0.125


@dataclass(frozen=True)
class Design:
    """Capacities and technical parameters of a built plant.

    Attributes
    ----------
    pv_mw : float
        PV DC nameplate [MW].
    wind_mw : float
        Installed wind rating [MW].
    battery_mw : float
        Battery power rating, charge and discharge [MW].
    battery_mwh : float
        Battery energy capacity [MWh].
    electrolyser_mw : float
        Electrolyser electric input rating [MW].
    h2_store_mwh : float
        Hydrogen store, lower heating value [MWh].
    fuel_cell_mw : float
        Fuel-cell electric output rating [MW].
    battery_charge_efficiency, battery_discharge_efficiency : float
        One-way AC efficiencies [-]; ``sqrt`` of the round trip each by default.
    battery_self_discharge_per_hour : float
        Share of the stored energy lost per hour [1/h].
    electrolyser_efficiency : float
        MWh of hydrogen (LHV) per MWh of electricity [-].
    fuel_cell_efficiency : float
        MWh of electricity per MWh of hydrogen (LHV) [-].
    water_l_per_kg_h2 : float
        Process water of the electrolyser [L/kg of hydrogen].
    wind_turbine_mw : float
        Rating of one turbine, the outage unit of the wind farm [MW].
    pv_block_mw : float
        DC nameplate behind one inverter block, the outage unit of the PV plant [MW].
    battery_block_mw : float
        Power of one battery block (one conversion system and its strings) [MW].
    electrolyser_stack_mw : float
        Electric input of one electrolyser module [MW].
    fuel_cell_module_mw : float
        Output of one fuel-cell module [MW].
    csp_field_mw_th : float
        CSP solar field ``P_f`` at the design point (aperture × 950 W/m²) [MW_th]; 0 = no CSP plant.
    csp_storage_mwh_th : float
        CSP thermal storage ``E_s`` [MWh_th].
    csp_power_block_mw : float
        CSP power block ``P_pb``, net electric output [MW].
    csp_power_block_efficiency : float
        ``η_pb``, net electricity per heat into the power block [-].
    csp_storage_loss_per_hour : float
        ``σ_s``, share of the stored heat lost per hour [1/h].
    battery_reserve_mwh, h2_reserve_mwh : float
        Energy the plan keeps in the battery and in the hydrogen store for the firm load alone
        (:func:`greendc.plan.reserve.add_energy_reserve`); the dispatch serves flexible work only above
        them [MWh, MWh of hydrogen].

    Examples
    --------
    >>> d = Design(pv_mw=100.0, battery_mw=10.0, battery_mwh=40.0)
    >>> round(d.battery_charge_efficiency * d.battery_discharge_efficiency, 3)
    0.9
    """

    pv_mw: float = 0.0
    wind_mw: float = 0.0
    battery_mw: float = 0.0
    battery_mwh: float = 0.0
    electrolyser_mw: float = 0.0
    h2_store_mwh: float = 0.0
    fuel_cell_mw: float = 0.0
    battery_charge_efficiency: float = math.sqrt(0.90)
    battery_discharge_efficiency: float = math.sqrt(0.90)
    battery_self_discharge_per_hour: float = 0.0
    electrolyser_efficiency: float = 0.6217
    fuel_cell_efficiency: float = 0.50
    water_l_per_kg_h2: float = 15.0
    wind_turbine_mw: float = 4.2
    pv_block_mw: float = DEFAULT_PV_BLOCK_MW
    battery_block_mw: float = DEFAULT_BATTERY_BLOCK_MW
    electrolyser_stack_mw: float = DEFAULT_ELECTROLYSER_STACK_MW
    fuel_cell_module_mw: float = DEFAULT_FUEL_CELL_MODULE_MW
    csp_field_mw_th: float = 0.0
    csp_storage_mwh_th: float = 0.0
    csp_power_block_mw: float = 0.0
    csp_power_block_efficiency: float = 0.34
    csp_storage_loss_per_hour: float = 0.0007
    battery_reserve_mwh: float = 0.0
    h2_reserve_mwh: float = 0.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ScenarioError(f"design field '{f.name}' = {value!r}; allowed: a finite number")
            object.__setattr__(self, f.name, float(value))
        for name in (*DESIGN_CAPACITY_KEYS, "water_l_per_kg_h2", "battery_reserve_mwh", "h2_reserve_mwh"):
            if getattr(self, name) < 0.0:
                raise ScenarioError(f"design field '{name}' = {getattr(self, name)!r}; allowed: >= 0")
        for reserve, capacity in (("battery_reserve_mwh", "battery_mwh"), ("h2_reserve_mwh", "h2_store_mwh")):
            if getattr(self, reserve) > getattr(self, capacity) * (1.0 + 1e-9) + 1e-9:
                raise ScenarioError(
                    f"design field '{reserve}' = {getattr(self, reserve)!r}; allowed: at most {capacity} "
                    f"({getattr(self, capacity)!r})"
                )
        for name in (
            "battery_charge_efficiency",
            "battery_discharge_efficiency",
            "electrolyser_efficiency",
            "fuel_cell_efficiency",
            "csp_power_block_efficiency",
        ):
            if not 0.0 < getattr(self, name) <= 1.0:
                raise ScenarioError(f"design field '{name}' = {getattr(self, name)!r}; allowed: (0, 1]")
        if not 0.0 <= self.battery_self_discharge_per_hour < 1.0:
            raise ScenarioError(
                f"design field 'battery_self_discharge_per_hour' = {self.battery_self_discharge_per_hour!r}; "
                "allowed: [0, 1)"
            )
        if not 0.0 <= self.csp_storage_loss_per_hour < 1.0:
            raise ScenarioError(
                f"design field 'csp_storage_loss_per_hour' = {self.csp_storage_loss_per_hour!r}; allowed: [0, 1)"
            )
        for name in (
            "wind_turbine_mw",
            "pv_block_mw",
            "battery_block_mw",
            "electrolyser_stack_mw",
            "fuel_cell_module_mw",
        ):
            if getattr(self, name) <= 0.0:
                raise ScenarioError(f"design field '{name}' = {getattr(self, name)!r}; allowed: > 0")

    def capacities(self) -> dict[str, float]:
        """The seven capacities, keyed as in ``summary.json`` [MW or MWh]."""
        return {k: getattr(self, k) for k in CAPACITY_KEYS}

    @property
    def has_csp(self) -> bool:
        """True when the design has a CSP plant (any of its three capacities above 0)."""
        return any(getattr(self, k) > 0.0 for k in CSP_CAPACITY_NAMES)

    def to_dict(self) -> dict[str, float]:
        """All fields as a JSON-ready dict."""
        return asdict(self)


def _scenario_parameters(scenario: Scenario) -> dict[str, float]:
    """Efficiencies and unit sizes of ``scenario`` (turbine rating from its power curve)."""
    from greendc.assets.power_curves import load_power_curve

    tech = scenario.technologies
    one_way = math.sqrt(tech.battery.round_trip_efficiency)
    return {
        "battery_charge_efficiency": one_way,
        "battery_discharge_efficiency": one_way,
        "battery_self_discharge_per_hour": tech.battery.self_discharge_per_hour,
        "electrolyser_efficiency": tech.hydrogen.electrolyser_efficiency,
        "fuel_cell_efficiency": tech.hydrogen.fuel_cell_efficiency,
        "water_l_per_kg_h2": tech.hydrogen.water_l_per_kg_h2,
        "wind_turbine_mw": load_power_curve(tech.wind.turbine).rated_mw,
        "csp_power_block_efficiency": tech.csp.power_block_efficiency,
        "csp_storage_loss_per_hour": tech.csp.storage_loss_per_hour,
    }


def design_from_scenario(scenario: Scenario, **capacities: float) -> Design:
    """A design with the given capacities and the technical parameters of ``scenario``.

    Parameters
    ----------
    scenario : greendc.scenario.models.Scenario
        Battery round trip (split equally between charge and discharge), self-discharge, electrolyser and
        fuel-cell efficiencies, electrolyser water, turbine rating (from the power curve), CSP power-block
        efficiency and storage loss (``technologies.csp``).
    **capacities : float
        Any of :data:`DESIGN_CAPACITY_KEYS` [MW, MWh, MW_th or MWh_th]; missing ones are 0.

    Examples
    --------
    >>> from greendc.scenario.models import Scenario
    >>> design_from_scenario(Scenario(), pv_mw=1500.0).wind_turbine_mw
    4.2
    """
    unknown = sorted(set(capacities) - set(DESIGN_CAPACITY_KEYS))
    if unknown:
        raise ScenarioError(f"unknown design capacity {unknown[0]!r}; allowed: {', '.join(DESIGN_CAPACITY_KEYS)}")
    return Design(**capacities, **_scenario_parameters(scenario))


def design_from_summary(summary: str | os.PathLike[str] | Mapping[str, Any], scenario: Scenario) -> Design:
    """The design of a plan: capacities read from its ``summary.json``, parameters from ``scenario``.

    Parameters
    ----------
    summary : path or mapping
        A planner ``summary.json`` (path) or its content; the seven keys of :data:`CAPACITY_KEYS` are read
        at the top level (or under ``capacities``) [MW or MWh], and the CSP plant's ``csp_field_mw_th``,
        ``csp_storage_mwh_th``, ``csp_power_block_mw`` where present (absent: 0, no CSP) [MW_th, MWh_th, MW];
        the firm-load reserves under ``reserves`` (``battery_reserve_mwh``, ``h2_reserve_mwh``; absent: 0).
        A capacity under its old name (:data:`greendc.units.RENAMED_CAPACITIES`, as an older plan wrote it) is
        read as its current one.
    scenario : greendc.scenario.models.Scenario
        Source of efficiencies and unit sizes (see :func:`design_from_scenario`).

    Raises
    ------
    DataFileError
        Unreadable file, a capacity missing or not a non-negative number (naming the key). The water plant
        of a plan (``desalination_m3_per_h``, ``water_tank_m3``) is not read: the simulator draws the
        desalination energy per MWh of IT, as the profiles give it.
    """
    origin = "summary"
    if isinstance(summary, Mapping):
        data: Any = summary
    else:
        path = Path(summary)
        origin = path.name
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as err:
            raise DataFileError(f"plan summary '{path}' not found") from err
        except json.JSONDecodeError as err:
            raise DataFileError(f"plan summary '{path}' is not valid JSON: {err}") from err
    if not isinstance(data, Mapping):
        raise DataFileError(f"{origin}: expected a JSON object with keys {', '.join(CAPACITY_KEYS)}")
    source = current_names(
        data.get("capacities", data) if isinstance(data.get("capacities"), Mapping) else data, RENAMED_CAPACITIES
    )
    caps: dict[str, float] = {}
    for key in DESIGN_CAPACITY_KEYS:
        if key not in source and key in CSP_CAPACITY_NAMES:
            continue
        if key not in source:
            raise DataFileError(
                f"{origin}: capacity key '{key}' is missing; a plan summary has {', '.join(CAPACITY_KEYS)}"
            )
        value = source[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise DataFileError(f"{origin}: '{key}' = {value!r}; allowed: a finite number >= 0 [MW or MWh]")
        caps[key] = float(value)
    reserves = data.get("reserves", {})
    if not isinstance(reserves, Mapping):
        raise DataFileError(f"{origin}: 'reserves' must be an object with battery_reserve_mwh, h2_reserve_mwh")
    levels: dict[str, float] = {}
    for key in ("battery_reserve_mwh", "h2_reserve_mwh"):
        value = reserves.get(key, 0.0)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise DataFileError(f"{origin}: reserves.{key} = {value!r}; allowed: a finite number >= 0 [MWh]")
        levels[key] = float(value)
    return replace(design_from_scenario(scenario, **caps), **levels)


__all__ = ["CAPACITY_KEYS", "DESIGN_CAPACITY_KEYS", "Design", "design_from_scenario", "design_from_summary"]
