"""The provenance record: frozen, typed, JSON out and back, the weather kept apart from the stage's settings."""

from __future__ import annotations

import dataclasses
import json

import pandas as pd
import pytest

from greendc.kpi.reporting import kpi_provenance
from greendc.kpi.telemetry import read_telemetry
from greendc.provenance import Provenance, WeatherProvenance, provenance_of, stamped
from greendc.scenario.io import load_scenario, scenario_hash
from greendc.weather.source import scenario_weather, scenario_weather_provenance


def test_provenance_is_frozen_all_the_way_to_its_mappings():
    prov = Provenance("plan", "dakhla", "ab12", WeatherProvenance("synthetic", seed=7), {"python": "3.12"}, {"a": 1})
    with pytest.raises(dataclasses.FrozenInstanceError):
        prov.stage = "simulation"  # type: ignore[misc]
    with pytest.raises(TypeError):
        prov.details["a"] = 2  # type: ignore[index]
    with pytest.raises(TypeError):
        prov.versions["python"] = "2.7"  # type: ignore[index]
    with pytest.raises(TypeError):
        prov.weather.fallbacks["ghi"] = "x"  # type: ignore[index,union-attr]
    # with_details returns a copy; the original keeps its settings
    more = prov.with_details(a=3, b="x")
    assert dict(more.details) == {"a": 3, "b": "x"} and dict(prov.details) == {"a": 1}


def test_stage_must_be_known():
    with pytest.raises(ValueError, match=r"Provenance\.stage = 'planning'; expected one of plan, simulation"):
        Provenance("planning")


def test_to_dict_order_timings_and_round_trip():
    weather = WeatherProvenance.from_metadata(
        {"source": "site.epw", "format": "epw", "years": 1.0, "fallbacks": {"temp_sea": "climatology"},
         "notes": ["temp_sea: not in site.epw"], "rows": 8760, "original": "/home/x/site.epw", "seed": None}
    )  # fmt: skip
    prov = Provenance(
        "simulation", "dakhla", "ab12", weather, {"greendc": "0.1"}, {"fault_seed": 0, "wall_time_s": 1.5}
    )
    out = prov.to_dict()
    # typed items first, the stage's settings next, versions last; unknown and None metadata left out
    assert list(out) == ["stage", "scenario", "scenario_hash", "weather", "fault_seed", "wall_time_s", "versions"]
    assert out["weather"] == {
        "source": "site.epw", "format": "epw", "years": 1.0, "fallbacks": {"temp_sea": "climatology"},
        "notes": ["temp_sea: not in site.epw"],
    }  # fmt: skip
    assert "wall_time_s" not in prov.to_dict(timings=False)
    assert Provenance.from_dict(json.loads(json.dumps(out))) == prov
    # a summary.json written before the stage was recorded reads as the stage the caller names
    old = {
        "scenario": "dakhla",
        "scenario_hash": "ab12",
        "costs": "t",
        "weather": {"source": "synthetic", "seed": 2030},
    }
    read = Provenance.from_dict(old, stage="plan")
    assert (read.stage, read.weather.seed, dict(read.details)) == ("plan", 2030, {"costs": "t"})


def test_the_scenarios_word_and_the_readers_metadata_agree_for_synthetic_weather():
    """Without the reader's metadata a result records what the scenario says; for synthetic weather it is what
    the generator's metadata gives, less the notes (none without a climate case)."""
    sc = load_scenario("dakhla")
    _, meta = scenario_weather(sc)
    assert WeatherProvenance.from_metadata(meta) == scenario_weather_provenance(sc)
    assert scenario_hash(sc)  # the hash the provenance carries is defined for the shipped scenario


def test_a_stamped_table_carries_its_provenance_through_parquet_to_the_kpis(tmp_path):
    idx = pd.date_range("2030-01-01", periods=3, freq="h", tz="UTC", name="timestamp")
    frame = pd.DataFrame({"it_mw": [10.0, 10.0, 10.0], "facility_mw": [12.0, 11.0, 13.0]}, index=idx)
    run = Provenance(
        "simulation", "dakhla", "ab12", WeatherProvenance("site.epw", format="epw"), {"greendc": "0"},
        {"fault_seed": 3, "wall_time_s": 9.9},
    )  # fmt: skip
    stamped(frame, run).to_parquet(tmp_path / "dispatch.parquet")
    assert frame.attrs == {}  # the caller's table is left as it was
    back = provenance_of(read_telemetry(tmp_path / "dispatch.parquet"))
    assert back == Provenance(run.stage, run.scenario, run.scenario_hash, run.weather, run.versions, {"fault_seed": 3})
    kpi = kpi_provenance(read_telemetry(tmp_path / "dispatch.parquet"), "dispatch.parquet")
    assert (kpi.stage, kpi.scenario, kpi.weather, kpi.details["telemetry_from"]) == (
        "kpi", "dakhla", run.weather, "simulation"
    )  # fmt: skip
    # meter readings carry none
    frame.to_parquet(tmp_path / "meters.parquet")
    meters = read_telemetry(tmp_path / "meters.parquet")
    assert provenance_of(meters) is None
    assert kpi_provenance(meters, "meters.parquet").to_dict(timings=False) == {
        "stage": "kpi", "telemetry": "meters.parquet", "telemetry_from": "meter readings",
        "versions": dict(kpi_provenance(meters, "x").versions),
    }  # fmt: skip
