"""The second shipped scenario, Ouarzazate (inland desert, dry-cooled): it loads, its climatology holds the
published station figures it cites, and it plans on a few days of its own weather."""

from __future__ import annotations

import numpy as np
import pytest
from tests.plan.test_plan_model import balance_residual

import greendc
from greendc.scenario.io import shipped_scenarios
from greendc.weather.climatology import available_climatologies, load_climatology

DAYS = 4


def test_ouarzazate_is_shipped_and_loads():
    assert "ouarzazate" in shipped_scenarios() and "ouarzazate" in available_climatologies()
    scenario = greendc.load_scenario("ouarzazate")
    assert scenario.site.climatology == "ouarzazate"
    assert scenario.site.latitude == pytest.approx(30.93) and scenario.site.elevation_m == pytest.approx(1140.0)
    # no sea inland: a seawater-cooled design here would be wrong
    assert scenario.datacenter.cooling.technology == "liquid_dry_cooler"


def test_climatology_holds_the_cited_station_figures():
    """Mean daily maximum / minimum air temperature quoted for Ouarzazate (ouarzazate_sources.csv: wanderlog.com,
    MERRA-2 based, for January, February and July; meteoatlas.de for August; weather-atlas.com for October and
    November); the table's harmonic fit keeps every one within 0.8 K."""
    clim = load_climatology("ouarzazate")
    quoted_max = {1: 15.0, 2: 17.0, 7: 37.0, 8: 36.0, 10: 24.7, 11: 18.7}
    quoted_min = {1: 1.0, 2: 2.0, 7: 20.0, 8: 21.0, 11: 8.4}
    for month, value in quoted_max.items():
        assert clim.temp_air_max[month - 1] == pytest.approx(value, abs=0.8), month
    for month, value in quoted_min.items():
        assert clim.temp_air_min[month - 1] == pytest.approx(value, abs=0.8), month
    # relative humidity quoted for November (weather-atlas.com): 40 %
    assert clim.relative_humidity[10] == pytest.approx(40.0, abs=2.0)
    # every number has a source, and the assumptions say so
    assert all(src.source for src in clim.sources.values())
    assert "ASSUMED" in clim.sources["wind_speed_10m"].source and clim.sources["wind_speed_10m"].confidence == "L"


def test_ouarzazate_plans_on_a_few_days_of_its_weather():
    scenario = greendc.load_scenario("ouarzazate")
    weather, meta = greendc.scenario_weather(scenario)
    assert meta["climatology"] == "ouarzazate"
    profiles = greendc.build_profiles(scenario, weather.iloc[: 24 * DAYS])
    # dry coolers without adiabatic pads evaporate nothing; the overhead is a real overhead
    assert np.all(profiles["water_m3_per_mwh_it"] == 0.0)
    assert profiles["pue"].min() >= 1.0
    result = greendc.solve(greendc.inputs_from_scenario(scenario, profiles))
    assert result.status == "optimal"
    assert result.unserved_mwh_per_yr == pytest.approx(0.0, abs=1e-6)
    assert np.allclose(balance_residual(result.dispatch), 0.0, atol=1e-6)
