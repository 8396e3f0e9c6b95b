"""A scenario under a climate-stress case: synthetic and file weather morphed, stress events stressed, the
case recorded in provenance."""

from __future__ import annotations

import numpy as np
import pytest
from tests.weather.files import synthetic_year, write_epw

from greendc.errors import ScenarioError
from greendc.scenario.io import load_scenario
from greendc.weather.climate import load_climate_case
from greendc.weather.source import scenario_weather, synthetic_scenario_weather, with_climate, with_weather_file


@pytest.fixture(scope="module")
def scenario():
    return load_scenario("dakhla")


def test_synthetic_weather_is_morphed_and_recorded(scenario):
    base, _ = scenario_weather(scenario)
    hot, meta = scenario_weather(with_climate(scenario, "ssp585-2080"))
    case = load_climate_case("ssp585-2080")
    assert meta["climate"] == "ssp585-2080"
    assert any("climate stress ssp585-2080" in note for note in meta["notes"])
    # Same seed: the undisturbed weather is the same draw, shifted by the case's monthly mean warming; the
    # stressed heat waves (x4.0, +4.6 K) add on top, so the mean warming is at least the case's.
    warming = hot["temp_air"].mean() - base["temp_air"].mean()
    assert warming >= case.temp_air_mean_delta.mean() - 0.01
    sea = hot["temp_sea"].groupby(hot.index.month).mean() - base["temp_sea"].groupby(base.index.month).mean()
    np.testing.assert_allclose(sea.to_numpy(), case.temp_sea_delta, atol=1e-9)


def test_stress_events_are_stressed(scenario):
    # Heat waves: 0.5/yr at baseline; x4.0 in ssp585-2080, so over 20 years the hot hours multiply.
    base = synthetic_scenario_weather(scenario, years=20, seed=3)
    hot = synthetic_scenario_weather(with_climate(scenario, "ssp585-2080"), years=20, seed=3)
    peak = load_climate_case("ssp585-2080").temp_air_mean_delta.mean()
    assert (hot["temp_air"] > 35.0 + peak).sum() > 2 * (base["temp_air"] > 35.0).sum()


def test_file_weather_is_morphed(scenario, tmp_path):
    path = write_epw(tmp_path / "dakhla.epw", synthetic_year())
    plain, _ = scenario_weather(with_weather_file(scenario, path))
    hot, meta = scenario_weather(with_climate(with_weather_file(scenario, path), "ssp245-2050"))
    assert meta["climate"] == "ssp245-2050"
    assert hot["temp_air"].mean() - plain["temp_air"].mean() == pytest.approx(1.15, abs=0.02)


def test_unknown_case_is_a_clear_error(scenario):
    with pytest.raises(ScenarioError, match="ssp999-2050"):
        with_climate(scenario, "ssp999-2050")


def test_unseen_years_of_the_check_are_drawn_under_the_case(scenario):
    # The availability check's year (its own seeds) under the scenario's case: morphed and labelled.
    from greendc.availability.seeds import YearSeeds
    from greendc.availability.verify import _year_profiles

    seeds = YearSeeds(index=0, weather=5, outage=1, common_mode=2, forecast=3)
    base, _ = _year_profiles(scenario, seeds, 2031)
    hot, _ = _year_profiles(with_climate(scenario, "ssp245-2050"), seeds, 2031)
    assert hot.attrs["climate"] == "ssp245-2050" and "climate" not in base.attrs
    assert hot["temp_sea"].mean() - base["temp_sea"].mean() == pytest.approx(
        load_climate_case("ssp245-2050").temp_sea_delta.mean(), abs=0.01
    )
