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
    return column in names or any(
        "<" in n and re.fullmatch(re.sub(r"<[^>]+>", "[a-z0-9_]+", n), column) for n in names
    )


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
