"""Scenario fields of the grid connection and of the water supply: defaults and readable errors."""

from __future__ import annotations

import pytest

from greendc.errors import ScenarioError
from greendc.scenario.io import load_scenario, scenario_from_dict
from greendc.scenario.models import Scenario


def test_defaults_are_on_site_only_with_the_water_balance_on():
    sc = Scenario()
    assert sc.rules.on_site_only
    assert sc.rules.grid.price_usd_per_mwh is None and sc.rules.grid.max_import_mw is None
    assert sc.technologies.water.enabled


def test_grid_without_a_price_is_an_error_naming_the_field(tmp_path):
    path = tmp_path / "grid.yaml"
    path.write_text("rules:\n  on_site_only: false\n")
    with pytest.raises(ScenarioError, match=r"rules: on_site_only: false .* needs grid.price_usd_per_mwh"):
        load_scenario(path)


@pytest.mark.parametrize(
    ("grid", "message"),
    [
        ({"price_usd_per_mwh": -5.0}, r"rules.grid.price_usd_per_mwh: .*greater than or equal to 0 \(got -5.0\)"),
        ({"price_usd_per_mwh": 50.0, "max_import_mw": 0.0}, r"rules.grid.max_import_mw: .*greater than 0"),
        ({"price_usd_per_mwh": 50.0, "carbon_intensity_kg_per_mwh": -1}, r"rules.grid.carbon_intensity_kg_per_mwh"),
        ({"price": 50.0}, r"rules.grid.price: unknown key"),
    ],
)
def test_bad_grid_fields_name_path_and_value(grid, message):
    with pytest.raises(ScenarioError, match=message):
        scenario_from_dict({"rules": {"on_site_only": False, "grid": grid}})


def test_water_section_rejects_unknown_keys():
    with pytest.raises(ScenarioError, match=r"technologies.water.tank_m3: unknown key"):
        scenario_from_dict({"technologies": {"water": {"tank_m3": 100}}})
