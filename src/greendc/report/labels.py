"""The one table of what a report shows for each field name: words, unit and how the number is written.

Field names carry their unit (``pv_mw``, ``h2_store_mwh``, ``lolh_h_per_yr``: docs/nomenclature.md); a reader
sees words and units instead ("Solar PV (DC nameplate) [MW]", "Firm hours cut [h/yr]"). Every report of
:mod:`greendc.report` takes its labels from here, so that one field reads the same everywhere, and the browser
tests check the visible text of every report against :func:`field_names`.

Separate tables, because one name can stand for two things (``pv_mw`` is a built capacity in a plan summary and a
power flow in a dispatch table):

* :data:`CAPACITIES`: the capacities of a design (:data:`greendc.units.PLAN_CAPACITY_UNITS`, same keys);
* :data:`FLOWS`: the columns of a dispatch table (figures and the dashboard);
* :data:`FIGURES`: scalar figures of plan, simulation, Monte Carlo and study results;
* :data:`COMPONENTS`: the cost components of a plan (``PlanResult.annualised_cost_usd_per_yr`` keys);

and the causes of a loss of load (:data:`CAUSES`), the sub-keys of the dictionaries among the figures
(:data:`SUB_FIGURES`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from greendc.units import COMPONENTS

__all__ = [
    "CAPACITIES",
    "CAUSES",
    "CAUSE_WORDS",
    "COMPONENTS",
    "FIGURES",
    "FLOWS",
    "Label",
    "capacity_label",
    "component_label",
    "field_names",
    "figure_label",
    "flow_label",
    "number",
    "value_text",
]


@dataclass(frozen=True)
class Label:
    """How a report shows a field.

    Attributes
    ----------
    words : str
        What the field is, in plain words.
    unit : str
        Unit shown after the number (``""`` for a count, ``"%"`` for a share shown in per cent).
    scale : float
        Shown number = stored value × ``scale`` (100 for a share shown in %, 1e-3 for MWh shown in GWh) [-].
    digits : int or None
        Decimals shown; None: fewer the larger the number (:func:`number`).
    """

    words: str
    unit: str = ""
    scale: float = 1.0
    digits: int | None = None

    def text(self) -> str:
        """``words [unit]``, or the words alone without a unit."""
        return f"{self.words} [{self.unit}]" if self.unit else self.words


#: Built capacities: the components of :data:`greendc.units.COMPONENTS`, with their labels and units.
CAPACITIES: dict[str, Label] = {c.capacity: Label(c.label, c.unit, digits=0) for c in COMPONENTS}

#: Columns of a dispatch table (docs/nomenclature.md, "Dispatch"), as figures show them.
FLOWS: dict[str, Label] = {
    "pv_mw": Label("PV", "MW"),
    "wind_mw": Label("Wind", "MW"),
    "battery_discharge_mw": Label("Battery discharge", "MW"),
    "battery_charge_mw": Label("Battery charge", "MW"),
    "fuel_cell_mw": Label("Fuel cell", "MW"),
    "electrolyser_mw": Label("Electrolyser", "MW"),
    "curtailed_mw": Label("Curtailed", "MW"),
    "unserved_mw": Label("Unserved", "MW"),
    "unserved_facility_mw": Label("Unserved facility load", "MW"),
    "facility_mw": Label("Facility load", "MW"),
    "it_mw": Label("IT load", "MW"),
    "grid_import_mw": Label("Grid import", "MW"),
    "csp_mw": Label("CSP power block", "MW"),
    "battery_soc_mwh": Label("Battery energy stored", "MWh"),
    "h2_level_mwh": Label("Hydrogen stored (LHV)", "MWh"),
    "csp_storage_mwh_th": Label("CSP heat stored", "MWh_th"),
    "reserve_mw": Label("Reserve headroom", "MW"),
    "water_m3": Label("Fresh water", "m³"),
}

#: Scalar figures of results: the plan summary, the simulation summary (:func:`greendc.operate.result.summarise`),
#: the Monte Carlo summary, the plan-vs-simulation comparison and the study rows.
FIGURES: dict[str, Label] = {
    # costs
    "objective_usd_per_yr": Label("Total annualised cost", "million USD/yr", 1e-6, 1),
    "cost_usd_per_mwh_it": Label("Cost of IT energy", "USD/MWh", digits=1),
    "cost_usd_per_mwh_facility": Label("Cost of facility energy", "USD/MWh", digits=1),
    "capex_usd": Label("Capital expenditure", "billion USD", 1e-9, 2),
    # energies
    "it_energy_mwh_per_yr": Label("IT energy served", "GWh/yr", 1e-3, 0),
    "facility_energy_mwh_per_yr": Label("Facility energy", "GWh/yr", 1e-3, 0),
    "pv_energy_mwh_per_yr": Label("PV energy used", "GWh/yr", 1e-3, 0),
    "wind_energy_mwh_per_yr": Label("Wind energy used", "GWh/yr", 1e-3, 0),
    "battery_discharge_mwh_per_yr": Label("Battery energy discharged", "GWh/yr", 1e-3, 0),
    "fuel_cell_mwh_per_yr": Label("Fuel-cell energy", "GWh/yr", 1e-3, 1),
    "curtailment_mwh_per_yr": Label("Curtailed PV and wind energy", "GWh/yr", 1e-3, 0),
    "curtailment_fraction": Label("Curtailment, share of the available PV and wind energy", "%", 100.0, 1),
    "grid_import_mwh_per_yr": Label("Grid import", "GWh/yr", 1e-3, 1),
    "grid_co2_kg_per_yr": Label("CO2 of the grid import", "t/yr", 1e-3, 0),
    "requested_it_mwh_per_yr": Label("IT energy requested", "GWh/yr", 1e-3, 0),
    "served_it_mwh_per_yr": Label("IT energy served", "GWh/yr", 1e-3, 0),
    # loss of load
    "unserved_mwh_per_yr": Label("Unserved IT energy", "MWh/yr", digits=0),
    "unserved_it_mwh_per_yr": Label("Unserved IT energy", "MWh/yr", digits=0),
    "eens_facility_mwh_per_yr": Label("Unserved facility energy (IT with its overheads)", "MWh/yr", digits=0),
    "lolh_h_per_yr": Label("Firm hours cut (hours with firm IT load shed)", "h/yr", digits=1),
    "loss_of_load_events_per_yr": Label("Loss-of-load events", "per yr", digits=1),
    "longest_interruption_h": Label("Longest interruption of the firm load", "h", digits=1),
    "firm_served_fraction": Label("Share of firm IT energy served", "%", 100.0, 3),
    "served_fraction": Label("Share of requested IT energy served", "%", 100.0, 3),
    "reserve_below_rule_h_per_yr": Label("Hours with the reserve below the rule", "h/yr", digits=1),
    # storage
    "battery_cycles_per_yr": Label("Battery full cycles", "per yr", digits=0),
    "h2_cycles_per_yr": Label("Hydrogen store full cycles", "per yr", digits=1),
    "battery_soc_min_fraction": Label("Lowest battery level, share of its energy", "%", 100.0, 1),
    "h2_store_min_fraction": Label("Lowest hydrogen store level, share of its energy", "%", 100.0, 1),
    "csp_storage_min_fraction": Label("Lowest CSP heat store level, share of its energy", "%", 100.0, 1),
    "csp_energy_mwh_per_yr": Label("CSP energy", "GWh/yr", 1e-3, 0),
    "csp_dumped_heat_mwh_th_per_yr": Label("CSP heat dumped", "GWh_th/yr", 1e-3, 1),
    # land and water
    "land_km2": Label("Land", "km²", digits=1),
    "water_m3_per_yr": Label("Fresh water", "thousand m³/yr", 1e-3, 1),
    "water_by_kind_m3_per_yr": Label("Water by use", "thousand m³/yr", 1e-3, 1),
    "seawater_withdrawal_m3_per_s": Label("Seawater withdrawn for cooling", "m³/s", digits=1),
    "thermal_discharge_mw": Label("Heat discharged to the sea", "MW", digits=0),
    "outfall_delta_t_k": Label("Temperature rise at the cooling outfall", "K", digits=1),
    # run length
    "hours": Label("Hours simulated", "h", digits=0),
    "years": Label("Years simulated", "yr", digits=2),
    "horizon_years": Label("Horizon", "yr", digits=2),
    "step_h": Label("Time step", "h", digits=2),
    "year_runs": Label("Year-runs"),
    "share_of_years_with_loss_of_load": Label("Share of years with any firm hour cut", "%", 100.0, 1),
    "energy_accounting_mwh": Label("IT energy accounting over the run", "MWh", digits=0),
    # study and out of sample
    "cfe_score": Label("24/7 carbon-free energy score", "%", 100.0, 2),
    "oos_availability": Label("Availability, out of sample", "%", 100.0, 3),
    "oos_firm_hours_per_yr_mean": Label("Firm hours cut, mean unseen year", "h/yr", digits=2),
    "oos_firm_hours_per_yr_p95": Label("Firm hours cut, P95 unseen year", "h/yr", digits=1),
    "oos_firm_hours_per_yr_worst": Label("Firm hours cut, worst unseen year", "h/yr", digits=1),
    "oos_eens_mwh_per_yr": Label("Unserved IT energy, mean unseen year", "MWh/yr", digits=0),
    "oos_share_of_years_with_loss": Label("Share of unseen years with a firm hour cut", "%", 100.0, 1),
}

#: Parts of :data:`FIGURES` entries that are dictionaries, by sub-key.
SUB_FIGURES: dict[str, str] = {
    "datacenter_fresh": "data centre, fresh water",
    "electrolyser": "electrolysers",
    "pv_cleaning": "PV cleaning",
    "seawater_withdrawn": "seawater withdrawn (returned)",
    "mean": "mean",
    "peak": "peak",
    "requested_mwh": "requested",
    "served_mwh": "served",
    "work_mwh": "useful work done",
    "overhead_mwh": "restart and capping overhead",
    "unserved_mwh": "not served",
    "backlog_change_mwh": "change of the flexible backlog",
    "residual_mwh": "residual (requested − served − not served − backlog change)",
}

#: Cost components of a plan (``PlanResult.annualised_cost_usd_per_yr`` keys; ``row@capacity`` for a
#: balance-of-plant row paid per MW of a capacity: :func:`greendc.report.finance_report.component_label`).
COMPONENTS: dict[str, str] = {
    "pv": "Solar PV",
    "pv_single_axis": "Solar PV, single-axis trackers",
    "pv_fixed": "Solar PV, fixed mount",
    "wind": "Wind turbines",
    "wind_onshore": "Wind turbines, onshore",
    "battery_energy": "Battery energy",
    "battery_power": "Battery power (inverters)",
    "electrolyser": "Electrolysers",
    "h2_store": "Hydrogen store",
    "fuel_cell": "Fuel cells",
    "desalination": "Desalination",
    "water_tank": "Water tank",
    "csp_field": "CSP solar field",
    "csp_storage": "CSP heat store",
    "csp_power_block": "CSP power block",
    "variable_om": "Variable O&M",
    "unserved_energy": "Value of lost load (unserved work)",
    "grid_import": "Grid import",
    "grid_connection": "Grid connection",
    "grid_forming": "Grid-forming inverters",
}
#: Causes of a loss-of-load event (:data:`greendc.availability.events.CAUSES`, same keys) as tables show them;
#: :data:`CAUSE_WORDS` as a sentence says them.
CAUSES: dict[str, str] = {
    "common_mode": "Common-mode trip (substation, control system)",
    "outage": "Forced outages of units",
    "dispatch": "Dispatch (stored energy left unused)",
    "dust": "Dust episode",
    "heat_wave": "Heat wave",
    "lull": "Wind and sun lull",
    "other": "Other (none of the causes above)",
}
CAUSE_WORDS: dict[str, str] = {
    "common_mode": "common-mode trips of shared equipment (substation, control system)",
    "outage": "forced outages of generating and storage units",
    "dispatch": "stored energy left unused by the rule-based dispatch",
    "dust": "dust episodes",
    "heat_wave": "heat waves",
    "lull": "wind and sun lulls",
    "other": "plain shortfalls of supply, with none of the named causes (outages, dust, heat waves, lulls, unused "
    "storage) at work",
}
#: Cost components that are storage (battery, hydrogen, CSP heat), for the share of cost in storage.
STORAGE_COMPONENTS: tuple[str, ...] = (
    "battery_energy",
    "battery_power",
    "electrolyser",
    "h2_store",
    "fuel_cell",
    "csp_storage",
)


def number(value: float, digits: int | None = None) -> str:
    """A number for a reader: thousands separators, no scientific notation; without ``digits``, fewer decimals
    the larger it is, without trailing zeros.

    >>> number(1234567.8), number(0.05), number(12.345), number(2.5e-7), number(3.0, 1)
    ('1,234,568', '0.05', '12.3', '0', '3.0')
    """
    v = float(value)
    if not math.isfinite(v):
        return "–"
    if digits is not None:
        text = f"{v:,.{digits}f}"
    else:
        text = f"{v:,.{3 if abs(v) < 1 else 2 if abs(v) < 10 else 1 if abs(v) < 100 else 0}f}"
        text = text.rstrip("0").rstrip(".") if "." in text else text
    return text.lstrip("-") if not text.strip("-0.,") else text


def _label(table: Mapping[str, Label], name: str) -> Label:
    if name in table:
        return table[name]
    raise KeyError(f"{name!r} has no label in greendc.report.labels; add it there")


def capacity_label(name: str) -> str:
    """``Solar PV (DC nameplate) [MW]`` for ``pv_mw``."""
    return _label(CAPACITIES, name).text()


def component_label(component: str) -> str:
    """Readable name of a cost component (or cost-table row); a balance-of-plant component ``row@capacity`` (a
    row paid per MW of a capacity, :func:`greendc.plan.inputs.capacity_of`) reads "row, for capacity".

    >>> component_label("battery_power"), component_label("grid_connection@pv_mw")
    ('Battery power (inverters)', 'Grid connection, for Solar PV (DC nameplate)')
    """
    if "@" in component:
        row, capacity = component.split("@", 1)
        words = CAPACITIES[capacity].words if capacity in CAPACITIES else capacity
        return f"{component_label(row)}, for {words}"
    return COMPONENTS.get(component, component.replace("_", " ").capitalize())


def flow_label(name: str) -> str:
    """``PV`` for the dispatch column ``pv_mw`` (the unit is on the figure's axis)."""
    return _label(FLOWS, name).words


def figure_label(name: str) -> str:
    """``Firm hours cut (hours with firm IT load shed) [h/yr]`` for ``lolh_h_per_yr``."""
    return _label(FIGURES, name).text()


def value_text(name: str, value: float | None, table: Mapping[str, Label] = FIGURES) -> str:
    """The value of a field as a reader sees it: scaled, formatted, with its unit (``"12.5 GWh/yr"``).

    >>> value_text("curtailment_fraction", 0.2019), value_text("it_energy_mwh_per_yr", 3408759.55)
    ('20.2 %', '3,409 GWh/yr')
    """
    if value is None:
        return "–"
    lab = _label(table, name)
    text = number(float(value) * lab.scale, lab.digits)
    return f"{text} {lab.unit}" if lab.unit else text


def field_names() -> frozenset[str]:
    """Every field name (with an underscore) of the tables: none of them may appear in a report's visible text."""
    return frozenset(n for n in (*CAPACITIES, *FLOWS, *FIGURES, *COMPONENTS, *CAUSES, *SUB_FIGURES) if "_" in n)
