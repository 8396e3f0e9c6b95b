"""Results the report tests share: one real design-for-availability round of the Dakhla scenario (a full-year
plan verified on ten unseen years) and a two-week plan with its simulation, each built once per session."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import pytest

from greendc.availability.sizing import AvailabilityDesign


@pytest.fixture(scope="session")
def design() -> AvailabilityDesign:
    """One real round: the least-cost Dakhla design, verified on 10 unseen years by two dask workers (~40 s)."""
    from greendc.assets.profiles import build_profiles
    from greendc.availability.sizing import design_for_availability
    from greendc.availability.verify import dask_client
    from greendc.scenario.io import load_scenario
    from greendc.scenario.models import AvailabilityTarget
    from greendc.weather.source import scenario_weather

    sc = load_scenario("dakhla")
    data, _ = scenario_weather(sc)
    target = AvailabilityTarget(name="tier-iii", verification_years=10, max_iterations=1)
    with dask_client(n_workers=2) as client:
        return design_for_availability(sc, build_profiles(sc, data), target, client=client)


@dataclass
class TwoWeeks:
    """The default scenario on two weeks of synthetic weather: its profiles, plan inputs, plan and a simulation
    of the planned design on the same weather (faults on)."""

    scenario: Any
    profiles: pd.DataFrame
    inputs: Any
    plan: Any
    simulation: Any


@pytest.fixture(scope="session")
def two_weeks() -> TwoWeeks:
    """Two weeks of the default scenario (~6 s): the plan builds a battery but no hydrogen; the simulation with
    outages on the same weather leaves IT energy unserved."""
    from greendc.assets.profiles import build_profiles
    from greendc.operate import design_from_scenario, simulate
    from greendc.plan.from_scenario import inputs_from_scenario
    from greendc.plan.solve import solve
    from greendc.scenario.models import Scenario, Weather
    from greendc.weather.synthetic import synthetic_weather

    sc = Scenario()
    profiles = build_profiles(sc, synthetic_weather(sc.site, Weather(years=1, seed=1)).iloc[: 24 * 14])
    inputs = inputs_from_scenario(sc, profiles)
    plan = solve(inputs)
    design = design_from_scenario(sc, **{k: float(v) for k, v in plan.capacities.items()})
    return TwoWeeks(sc, profiles, inputs, plan, simulate(design, sc, profiles))
