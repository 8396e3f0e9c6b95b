"""Study files and their designs of points, checked by counting and by the defining property of each design."""

from __future__ import annotations

import numpy as np
import pytest

from greendc.errors import ScenarioError
from greendc.scenario.io import load_scenario
from greendc.study.designs import study_points
from greendc.study.paths import get_path, point_scenario
from greendc.study.run import plan_tasks
from greendc.study.spec import load_study, shipped_studies, study_from_dict
from greendc.study.store import KEY_HEX, ResultStore


def test_oat_starts_at_the_base_and_moves_one_parameter_at_a_time():
    spec = study_from_dict(
        {
            "design": "oat",
            "parameters": [
                {"path": "finance.discount_rate", "values": [0.05, 0.1]},
                {"path": "rules.reserve_hours", "values": [12]},
            ],
        }
    )
    points = study_points(spec)
    assert [p.values for p in points] == [
        {},
        {"finance.discount_rate": 0.05},
        {"finance.discount_rate": 0.1},
        {"rules.reserve_hours": 12},
    ]
    assert [p.varied for p in points] == [None, "finance.discount_rate", "finance.discount_rate", "rules.reserve_hours"]


def test_grid_is_the_cartesian_product():
    spec = study_from_dict(
        {"design": "grid", "parameters": [{"path": "a.b", "values": [1, 2, 3]}, {"path": "c", "values": ["x", "y"]}]}
    )
    points = study_points(spec)
    assert len(points) == 6 and points[1].values == {"a.b": 1, "c": "y"} and points[5].values == {"a.b": 3, "c": "y"}


def test_latin_hypercube_puts_one_point_in_each_stratum_of_each_parameter():
    spec = study_from_dict(
        {
            "design": "lhs",
            "samples": 8,
            "seed": 3,
            "parameters": [{"path": "x", "low": 0.0, "high": 8.0}, {"path": "y", "low": -1.0, "high": 1.0}],
        }
    )
    points = study_points(spec)
    x = np.array([p.values["x"] for p in points])
    y = np.array([p.values["y"] for p in points])
    assert sorted(np.floor(x).astype(int)) == list(range(8))  # strata of width 1 on [0, 8)
    assert sorted(np.floor((y + 1.0) / 0.25).astype(int)) == list(range(8))


def test_morris_trajectories_move_one_factor_by_the_morris_step():
    # 4 levels: the step is levels / (2 (levels - 1)) = 2/3 of the range (Morris 1991), here 2/3 x 3 = 2.
    spec = study_from_dict(
        {
            "design": "morris",
            "samples": 5,
            "levels": 4,
            "seed": 2,
            "parameters": [{"path": "x", "low": 0.0, "high": 3.0}, {"path": "y", "low": 10.0, "high": 13.0}],
        }
    )
    points = study_points(spec)
    assert len(points) == 5 * (2 + 1)
    grid = np.array([[p.values["x"], p.values["y"]] for p in points]).reshape(5, 3, 2)
    for trajectory in grid:
        steps = np.abs(np.diff(trajectory, axis=0))
        assert ((steps > 1e-9).sum(axis=1) == 1).all()
        np.testing.assert_allclose(steps.max(axis=1), 2.0)


@pytest.mark.parametrize("name", shipped_studies())
def test_every_shipped_study_resolves_every_point(name):
    spec = load_study(name)
    tasks = plan_tasks(spec)
    # Morris trajectories may share a point: it is solved once (one key) and read back for each
    assert len(tasks) == len(study_points(spec)) + (spec.near_optimal is not None and spec.design != "list")


def test_study_file_errors_name_the_field(tmp_path):
    with pytest.raises(ScenarioError, match=r"design 'oat' needs values for parameter finance\.discount_rate"):
        study_from_dict({"design": "oat", "parameters": [{"path": "finance.discount_rate", "low": 0, "high": 1}]})
    with pytest.raises(ScenarioError, match="points\\[0\\] sets \\['x'\\], not among the parameters"):
        study_from_dict({"design": "list", "parameters": [], "points": [{"x": 1}]})
    with pytest.raises(ScenarioError, match="desing: unknown key"):
        study_from_dict({"desing": "oat"})
    with pytest.raises(ScenarioError, match="study file not found"):
        load_study(tmp_path / "none.yaml")


def test_a_study_file_and_store_written_before_the_rename_read_the_current_capacity_names(tmp_path):
    """``fuelcell_mw`` (greendc.units.RENAMED_CAPACITIES) in a study's near-optimal capacities and in a stored
    point's columns is read as ``fuel_cell_mw``."""
    spec = study_from_dict({"near_optimal": {"capacities": ["pv_mw", "fuelcell_mw"]}})
    assert spec.near_optimal is not None and spec.near_optimal.capacities == ["pv_mw", "fuel_cell_mw"]
    store = ResultStore(tmp_path / "points")
    store.write({"key": "a" * KEY_HEX, "point": 0, "pv_mw": 10.0, "fuelcell_mw": 2.0})
    store.write({"key": "b" * KEY_HEX, "point": 1, "pv_mw": 20.0, "fuel_cell_mw": 4.0})
    rows = store.read()
    assert list(rows.columns) == ["key", "point", "pv_mw", "fuel_cell_mw"]
    assert rows["fuel_cell_mw"].tolist() == [2.0, 4.0]


def test_paths_address_sections_named_entries_and_new_cost_factors():
    base = load_scenario("dakhla")
    sc = point_scenario(
        base, {"costs.capex_factors.battery_energy": 0.6, "datacenter.workload_classes.training.envelope": "deep-70"}
    )
    assert sc.costs.capex_factors == {"battery_energy": 0.6}
    # deep-70 keeps 37.5 % of the requested power: min_power_fraction = 0.8 x 0.375 = 0.3, re-derived
    assert sc.datacenter.workload_classes[1].min_power_fraction == pytest.approx(0.3)
    assert get_path(sc, "datacenter.workload_classes.training.envelope") == "deep-70"
    assert point_scenario(base, {}) == base
    with pytest.raises(ScenarioError, match="no entry named 'gpu'; entries: inference, training"):
        point_scenario(base, {"datacenter.workload_classes.gpu.share": 0.1})
    with pytest.raises(ScenarioError, match=r"'rules\.availability' is null"):
        point_scenario(base, {"rules.availability.firm_hours_per_year": 1.0})
