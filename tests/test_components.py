"""The component table (greendc.units.COMPONENTS) is the one place where component names live; what the planner,
the simulator, the reports and the service use is derived from it."""

from __future__ import annotations

from greendc.operate.design import Design
from greendc.plan.checks import CAPACITY_NAMES, CSP_CAPACITY_NAMES, WATER_CAPACITY_NAMES
from greendc.plan.inputs import COMPONENT_CAPACITY, CSP_COMPONENT_CAPACITY
from greendc.report.labels import CAPACITIES
from greendc.service.replay import CAPACITY_OF
from greendc.units import CAPACITY_KEYS, COMPONENTS, PLAN_CAPACITY_UNITS, RENAMED_CAPACITIES, RENAMED_COLUMNS

#: Unit of a capacity, read from its key's suffix (docs/nomenclature.md).
SUFFIX_UNITS = {"_mw": "MW", "_mwh": "MWh", "_m3_per_h": "m³/h", "_m3": "m³", "_mw_th": "MW_th", "_mwh_th": "MWh_th"}


def test_every_capacity_key_says_its_unit():
    for c in COMPONENTS:
        suffix = max((s for s in SUFFIX_UNITS if c.capacity.endswith(s)), key=len)
        assert SUFFIX_UNITS[suffix] == c.unit, c


def test_names_are_unique_and_the_derived_tables_agree():
    assert len({c.capacity for c in COMPONENTS}) == len({c.cost_row for c in COMPONENTS}) == len(COMPONENTS) == 12
    assert CAPACITY_NAMES == CAPACITY_KEYS == (
        "pv_mw", "wind_mw", "battery_mw", "battery_mwh", "electrolyser_mw", "h2_store_mwh", "fuel_cell_mw"
    )  # fmt: skip
    assert WATER_CAPACITY_NAMES == ("desalination_m3_per_h", "water_tank_m3")
    assert CSP_CAPACITY_NAMES == ("csp_field_mw_th", "csp_storage_mwh_th", "csp_power_block_mw")
    assert set(COMPONENT_CAPACITY.values()) == set(PLAN_CAPACITY_UNITS) == set(CAPACITIES)
    assert CSP_COMPONENT_CAPACITY == {
        "csp_field": "csp_field_mw_th", "csp_storage": "csp_storage_mwh_th", "csp_power_block": "csp_power_block_mw"
    }  # fmt: skip
    # the simulator's design holds exactly the core capacities
    assert set(CAPACITY_KEYS) <= set(Design.__dataclass_fields__)


def test_flows_and_levels_point_at_the_capacity_that_bounds_them():
    assert CAPACITY_OF == {
        "pv_mw": "pv_mw",
        "wind_mw": "wind_mw",
        "battery_charge_mw": "battery_mw",
        "battery_discharge_mw": "battery_mw",
        "battery_soc_mwh": "battery_mwh",
        "electrolyser_mw": "electrolyser_mw",
        "h2_level_mwh": "h2_store_mwh",
        "fuel_cell_mw": "fuel_cell_mw",
    }


def test_a_capacity_is_named_apart_from_every_level_and_a_lone_flow_is_spelled_as_its_capacity():
    levels = {c.level for c in COMPONENTS if c.level}
    assert not {c.capacity for c in COMPONENTS} & levels
    # a component with one flow (PV, wind, electrolyser, fuel cell) names its capacity as that flow
    for c in COMPONENTS:
        if len(c.flows) == 1:
            assert c.capacity == c.flows[0], c
    fuel_cell = next(c for c in COMPONENTS if c.cost_row == "fuel_cell")
    assert fuel_cell.capacity == fuel_cell.flows[0] == "fuel_cell_mw"


def test_old_names_map_to_current_names_and_are_used_no_more():
    capacities = {c.capacity for c in COMPONENTS}
    columns = set(CAPACITY_OF)
    assert RENAMED_CAPACITIES == {"fuelcell_mw": "fuel_cell_mw"}
    assert set(RENAMED_CAPACITIES.values()) <= capacities and not set(RENAMED_CAPACITIES) & capacities
    assert RENAMED_COLUMNS == {"h2_store_mwh": "h2_level_mwh"}
    assert set(RENAMED_COLUMNS.values()) <= columns and not set(RENAMED_COLUMNS) & columns
