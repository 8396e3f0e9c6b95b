"""The glossary in code: the names of built capacities and their units.

Every stage that speaks of a design (the planner's ``summary.json``, the simulator's ``Design``, the
reports) uses these keys. Column names and units of time series are listed in ``docs/nomenclature.md``.
"""

from __future__ import annotations

#: Capacity key → unit, in the order reports show them.
CAPACITY_UNITS: dict[str, str] = {
    "pv_mw": "MW",
    "wind_mw": "MW",
    "battery_mw": "MW",
    "battery_mwh": "MWh",
    "electrolyser_mw": "MW",
    "h2_store_mwh": "MWh",
    "fuelcell_mw": "MW",
}
#: Capacity keys of a design, as in the planner's ``summary.json`` [MW or MWh].
CAPACITY_KEYS: tuple[str, ...] = tuple(CAPACITY_UNITS)
#: Capacities a plan may size beyond the simulator's design: the water plant and CSP, with their units.
PLAN_CAPACITY_UNITS: dict[str, str] = CAPACITY_UNITS | {
    "desalination_m3_per_h": "m³/h",
    "water_tank_m3": "m³",
    "csp_field_mw_th": "MW_th",
    "csp_storage_mwh_th": "MWh_th",
    "csp_power_block_mw": "MW",
}
