"""Every column greendc produces is documented, with its unit, in docs/nomenclature.md."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from greendc.assets.profiles import build_profiles
from greendc.scenario.models import Scenario, Weather
from greendc.weather.schema import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from greendc.weather.synthetic import synthetic_weather

DOC = Path(__file__).parents[1] / "docs" / "nomenclature.md"


def documented_names(section: str) -> set[str]:
    """First-column names of the tables under the heading that starts with ``section``."""
    text = DOC.read_text(encoding="utf-8")
    parts = re.split(r"^## ", text, flags=re.M)
    body = next(p for p in parts if p.startswith(section))
    return set(re.findall(r"^\| `([^`]+)` \|", body, flags=re.M))


def matches(column: str, names: set[str]) -> bool:
    return column in names or any("<" in n and re.fullmatch(re.sub(r"<[^>]+>", "[a-z0-9_]+", n), column) for n in names)


def test_weather_columns_documented():
    names = documented_names("Weather")
    assert set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS) == names


@pytest.fixture(scope="module")
def profiles() -> pd.DataFrame:
    sc = Scenario()
    weather = synthetic_weather(sc.site, Weather(years=1, seed=1))
    return build_profiles(sc, weather.iloc[: 24 * 14])


def test_profile_columns_documented(profiles):
    names = documented_names("Profiles")
    undocumented = [c for c in profiles.columns if not matches(c, names)]
    assert undocumented == []


def test_plan_and_simulation_columns_documented(profiles):
    from greendc.operate import design_from_scenario, simulate
    from greendc.plan.from_scenario import inputs_from_scenario
    from greendc.plan.solve import solve

    sc = Scenario()
    plan = solve(inputs_from_scenario(sc, profiles))
    names = documented_names("Dispatch")
    assert [c for c in plan.dispatch.columns if not matches(c, names)] == []
    assert [k for k in plan.summary() if k in ("pv_mw", "objective_usd_per_yr")] == ["objective_usd_per_yr", "pv_mw"]
    design = design_from_scenario(sc, **{k: float(v) for k, v in plan.capacities.items()})
    sim = simulate(design, sc, profiles)
    assert [c for c in sim.dispatch.columns if not matches(c, names)] == []


def test_plan_dispatch_is_valid_telemetry_for_the_kpis(profiles):
    from greendc.kpi import kpi_report
    from greendc.plan.from_scenario import inputs_from_scenario
    from greendc.plan.solve import solve

    plan = solve(inputs_from_scenario(Scenario(), profiles))
    report = kpi_report(plan.dispatch)
    # Islanded plan serving everything: every MWh of facility load comes from site renewables (CFE = 1),
    # and the PUE of the plan is its facility energy over its IT energy.
    assert report.cfe_share == pytest.approx(1.0)
    assert report.pue == pytest.approx(plan.facility_energy_mwh_per_yr / plan.it_energy_mwh_per_yr)
