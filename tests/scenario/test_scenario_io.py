"""Scenario files: the shipped default, round trips, and errors that name the field, value and rule."""

from __future__ import annotations

import pytest
import yaml

from greendc.errors import ScenarioError
from greendc.scenario.io import (
    load_scenario,
    save_scenario,
    scenario_from_dict,
    scenario_hash,
    shipped_scenarios,
)
from greendc.scenario.models import Scenario
from greendc.scenario.reporting import Reporting


def test_shipped_dakhla_matches_model_defaults():
    # The YAML shipped for users and the model defaults describe the same case (only the prose differs), except
    # the declared reporting facts: their defaults are null (undeclared), the shipped case declares Morocco.
    shipped = load_scenario("dakhla")
    assert "dakhla" in shipped_scenarios()
    assert shipped.model_copy(update={"description": "", "reporting": Reporting()}) == Scenario()
    assert (shipped.reporting.country, shipped.reporting.municipality) == ("MA", "Dakhla")
    assert shipped.reporting.floor_areas.total_m2 is None and shipped.reporting.refrigerants is None
    assert shipped.datacenter.it_capacity_mw == 500.0
    assert (shipped.site.latitude, shipped.site.longitude) == (23.71, -15.94)


def test_round_trip_through_yaml(tmp_path):
    sc = load_scenario("dakhla")
    path = save_scenario(sc, tmp_path / "copy.yaml")
    again = load_scenario(path)
    assert again == sc
    assert scenario_hash(again) == scenario_hash(sc)


def test_hash_changes_with_content():
    a = Scenario()
    b = a.model_copy(update={"finance": a.finance.model_copy(update={"discount_rate": 0.05})})
    assert scenario_hash(a) != scenario_hash(b)


def test_unknown_key_is_an_error_naming_the_path(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({"site": {"latitud": 23.7}}))
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    msg = str(err.value)
    assert "site.latitud" in msg and "unknown key" in msg and "23.7" in msg


def test_out_of_range_value_names_field_value_and_bound():
    with pytest.raises(ScenarioError) as err:
        scenario_from_dict({"site": {"latitude": 123.0}})
    msg = str(err.value)
    assert "site.latitude" in msg and "123.0" in msg and "90" in msg


def test_wrong_type_deep_in_a_list():
    data = {"datacenter": {"workload_classes": [{"name": "batch", "share": "half"}]}}
    with pytest.raises(ScenarioError) as err:
        scenario_from_dict(data)
    assert "datacenter.workload_classes.0.share" in str(err.value)
    assert "'half'" in str(err.value)


def test_shares_must_sum_to_one():
    data = {"datacenter": {"workload_classes": [{"name": "a", "share": 0.6}, {"name": "b", "share": 0.6}]}}
    with pytest.raises(ScenarioError, match=r"shares must add up to 1, got 1\.2"):
        scenario_from_dict(data)


def test_firm_class_with_envelope_is_rejected():
    data = {"datacenter": {"workload_classes": [{"name": "a", "share": 1.0, "min_power_fraction": 0.5}]}}
    with pytest.raises(ScenarioError, match="firm class"):
        scenario_from_dict(data)


def test_file_weather_needs_a_path():
    with pytest.raises(ScenarioError, match="weather: source 'file' needs 'path'"):
        scenario_from_dict({"weather": {"source": "file"}})


def test_relative_weather_path_is_resolved_against_the_scenario_file(tmp_path):
    (tmp_path / "w.csv").write_text("")
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump({"weather": {"source": "file", "path": "w.csv"}}))
    assert load_scenario(path).weather.path == tmp_path / "w.csv"


def test_unknown_shipped_name_and_missing_file(tmp_path):
    with pytest.raises(ScenarioError, match="unknown scenario 'atlantis'"):
        load_scenario("atlantis")
    with pytest.raises(ScenarioError, match="not found"):
        load_scenario(tmp_path / "nope.yaml")


def test_not_yaml(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("site: [unclosed")
    with pytest.raises(ScenarioError, match="not valid YAML"):
        load_scenario(path)


def test_availability_presets_by_name_and_a_clear_error_for_an_unknown_one(tmp_path):
    """`rules.availability: tier-iii` in a file is the preset (1.6 h in 95 % of 200 unseen years); an unknown
    name is refused naming the field and the presets."""
    text = yaml.safe_dump({"rules": {"availability": "tier-iii"}})
    path = tmp_path / "s.yaml"
    path.write_text(text)
    target = load_scenario(str(path)).rules.availability
    assert (target.name, target.firm_hours_per_year, target.share_of_years, target.verification_years) == (
        "tier-iii",
        1.6,
        0.95,
        200,
    )
    path.write_text(yaml.safe_dump({"rules": {"availability": "tier-v"}}))
    with pytest.raises(ScenarioError, match=r"rules\.availability: 'tier-v' is not a preset; allowed: none, tier-iii"):
        load_scenario(str(path))
