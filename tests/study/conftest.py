"""The short scenario every study test plans: the Dakhla default on a 4-day weather file (each plan takes seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from greendc.scenario.io import load_scenario, save_scenario, scenario_from_dict
from greendc.weather.readers import write_csv
from greendc.weather.source import scenario_weather

DAYS = 4


@pytest.fixture(scope="session")
def scenario_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("study")
    base = load_scenario("dakhla")
    weather, _ = scenario_weather(base)
    path = write_csv(weather.iloc[: 24 * DAYS], folder / "w.csv")
    data = base.model_dump(mode="json")
    data["weather"] |= {"source": "file", "path": str(path), "allow_partial_year": True}
    return save_scenario(scenario_from_dict(data), folder / "s.yaml")
