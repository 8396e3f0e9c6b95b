"""The glossary in code: the names of built capacities and their units.

Every stage that speaks of a design (the planner's ``summary.json``, the simulator's ``Design``, the
reports) uses these keys. Column names and units of time series are listed in ``docs/nomenclature.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

V = TypeVar("V")


@dataclass(frozen=True)
class Component:
    """One built component of a plant: how the cost table, the planner, the simulator and the reports name it.

    Attributes
    ----------
    cost_row : str
        Row of the cost table that prices it (``pv`` stands for the row of the PV mount).
    capacity : str
        Key of its built capacity (``summary.json``, :class:`~greendc.operate.design.Design`), in ``unit``.
    unit : str
        Unit of the capacity.
    label, short : str
        How reports name the capacity, in full and in a table column.
    group : str
        ``core`` (sized by every plan and run by the simulator), ``water`` (the water balance) or ``csp``.
    flows : tuple of str
        Dispatch columns bounded by the capacity [MW].
    level : str or None
        Dispatch column of the level it stores [MWh], for an energy capacity.
    storage : bool
        Part of storage (battery, hydrogen chain, CSP heat store) in cost shares.
    """

    cost_row: str
    capacity: str
    unit: str
    label: str
    short: str
    group: str = "core"
    flows: tuple[str, ...] = ()
    level: str | None = None
    storage: bool = False


#: Every component a plan may build, in the order reports show them.
COMPONENTS: tuple[Component, ...] = (
    Component("pv", "pv_mw", "MW", "Solar PV (DC nameplate)", "PV", flows=("pv_mw",)),
    Component("wind", "wind_mw", "MW", "Wind turbines", "wind", flows=("wind_mw",)),
    Component("battery_power", "battery_mw", "MW", "Battery power", "battery",
              flows=("battery_charge_mw", "battery_discharge_mw"), storage=True),
    Component("battery_energy", "battery_mwh", "MWh", "Battery energy", "battery", level="battery_soc_mwh",
              storage=True),
    Component("electrolyser", "electrolyser_mw", "MW", "Electrolysers", "electrolysers", flows=("electrolyser_mw",),
              storage=True),
    Component("h2_store", "h2_store_mwh", "MWh", "Hydrogen store (LHV)", "H2 store", level="h2_level_mwh",
              storage=True),
    Component("fuel_cell", "fuel_cell_mw", "MW", "Fuel cells", "fuel cells", flows=("fuel_cell_mw",), storage=True),
    Component("desalination", "desalination_m3_per_h", "m³/h", "Desalination", "desalination", group="water"),
    Component("water_tank", "water_tank_m3", "m³", "Water tank", "water tank", group="water"),
    Component("csp_field", "csp_field_mw_th", "MW_th", "CSP solar field", "CSP field", group="csp"),
    Component("csp_storage", "csp_storage_mwh_th", "MWh_th", "CSP heat store", "CSP store", group="csp",
              storage=True),
    Component("csp_power_block", "csp_power_block_mw", "MW", "CSP power block", "CSP block", group="csp"),
)  # fmt: skip


def capacities(group: str) -> tuple[str, ...]:
    """Capacity keys of the components of ``group`` (``core``, ``water`` or ``csp``), in table order."""
    return tuple(c.capacity for c in COMPONENTS if c.group == group)


#: Capacity key → unit of the core components (what the simulator's design holds), in report order.
CAPACITY_UNITS: dict[str, str] = {c.capacity: c.unit for c in COMPONENTS if c.group == "core"}
#: Capacity keys of a design, as in the planner's ``summary.json`` [MW or MWh].
CAPACITY_KEYS: tuple[str, ...] = tuple(CAPACITY_UNITS)
#: Every capacity a plan may size (the core ones, the water plant and CSP), with its unit.
PLAN_CAPACITY_UNITS: dict[str, str] = {c.capacity: c.unit for c in COMPONENTS}
#: Cost-table row → the capacity it prices.
COMPONENT_CAPACITY: dict[str, str] = {c.cost_row: c.capacity for c in COMPONENTS}
#: Dispatch column (a flow or a stored level) → the capacity that bounds it.
CAPACITY_OF_COLUMN: dict[str, str] = {
    column: c.capacity for c in COMPONENTS for column in (*c.flows, *([c.level] if c.level else []))
}

# Names changed in greendc 0.1.0 (pyproject ``version``), old → current: the fuel-cell capacity is spelled as
# its cost row and its flow, and the hydrogen level no longer shares its name with the store's capacity. Files
# written before (a plan's ``summary.json``, a study spec, a dispatch or telemetry table, a service meter) are
# read with these tables; nothing is written under an old name.
#: Capacity keys renamed (``summary.json``, a study's ``capacities``, a design), old → current.
RENAMED_CAPACITIES: dict[str, str] = {"fuelcell_mw": "fuel_cell_mw"}
#: Time-series columns renamed (dispatch and telemetry tables), old → current.
RENAMED_COLUMNS: dict[str, str] = {"h2_store_mwh": "h2_level_mwh"}


def renaming(names: Iterable[str], renamed: Mapping[str, str]) -> dict[str, str]:
    """The old names among ``names``, each to its current name (for :meth:`pandas.DataFrame.rename`).

    Parameters
    ----------
    names : iterable of str
        Read from a user's file: the keys of a ``summary.json``, the columns of a dispatch or telemetry table.
    renamed : mapping of str to str
        :data:`RENAMED_CAPACITIES` or :data:`RENAMED_COLUMNS`.

    Returns
    -------
    dict of str to str
        Old name → current name; an old name whose current one is among ``names`` too is left out (kept as it
        is, its reader then sees a name it does not know).

    Examples
    --------
    >>> renaming(["timestamp", "h2_store_mwh"], RENAMED_COLUMNS)
    {'h2_store_mwh': 'h2_level_mwh'}
    """
    present = set(names)
    return {old: new for old, new in renamed.items() if old in present and new not in present}


def current_names(names: Mapping[str, V], renamed: Mapping[str, str]) -> dict[str, V]:
    """``names`` with its old keys (:func:`renaming`) under their current names, order kept.

    Examples
    --------
    >>> current_names({"pv_mw": 10.0, "fuelcell_mw": 2.0}, RENAMED_CAPACITIES)
    {'pv_mw': 10.0, 'fuel_cell_mw': 2.0}
    """
    rename = renaming(names, renamed)
    return {rename.get(key, key): value for key, value in names.items()}


def step_text(step: timedelta) -> str:
    """A time step as people write it, in its largest whole unit: ``'1 h'``, ``'15 min'``, ``'30 s'``, ``'1 d'``.

    Parameters
    ----------
    step : datetime.timedelta or pandas.Timedelta
        Length of the step; one that is not a whole number of seconds (or not positive) is written as
        Python writes it.

    Examples
    --------
    >>> from datetime import timedelta
    >>> step_text(timedelta(hours=1)), step_text(timedelta(minutes=90)), step_text(timedelta(days=2))
    ('1 h', '90 min', '2 d')
    """
    seconds = step.total_seconds()
    if seconds <= 0 or seconds != int(seconds):
        return str(step)
    whole = int(seconds)
    for unit, size in (("d", 86_400), ("h", 3_600), ("min", 60)):
        if whole % size == 0:
            return f"{whole // size} {unit}"
    return f"{whole} s"
