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
