"""Tests of the climate cases: the shipped table, the loader's errors, the morphing of weather frames by hand
values (Belcher et al. 2005 shift and stretch) and the stressed events."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from greendc.errors import DataFileError, ScenarioError, WeatherDataError
from greendc.scenario.models import StressEvents
from greendc.weather.climate import (
    COLUMNS,
    MONTHLY_QUANTITIES,
    SCALAR_QUANTITIES,
    ClimateCase,
    available_climate_cases,
    describe,
    load_climate_case,
    morph_weather,
    stressed_events,
)
from greendc.weather.climatology import CONFIDENCE_LEVELS

SHIPPED = ["ssp245-2050", "ssp245-2080", "ssp585-2050", "ssp585-2080"]


def _case(**changes: object) -> ClimateCase:
    """A neutral case (no change) with some quantities replaced; scalars given for monthly ones are expanded."""
    fields: dict[str, object] = {"name": "test-2050", "scenario": "test", "year": 2050}
    fields |= {q: np.ones(12) if q.endswith("factor") else np.zeros(12) for q in MONTHLY_QUANTITIES}
    fields |= {q: 1.0 if q.endswith("factor") else 0.0 for q in SCALAR_QUANTITIES}
    for name, value in changes.items():
        fields[name] = np.full(12, value) if name in MONTHLY_QUANTITIES and np.ndim(value) == 0 else value
    return ClimateCase(**fields)  # type: ignore[arg-type]


def _hourly(start: str, hours: int, tz: str = "UTC", **columns: object) -> pd.DataFrame:
    index = pd.date_range(start, periods=hours, freq="h", tz=tz)
    return pd.DataFrame({k: np.broadcast_to(np.asarray(v, dtype=float), hours) for k, v in columns.items()}, index)


# --- the shipped table ------------------------------------------------------------------------------------


def test_shipped_cases_are_listed() -> None:
    assert available_climate_cases() == SHIPPED


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_case_loads_with_months_and_sources(name: str) -> None:
    case = load_climate_case(name)
    assert case.name == name
    assert case.year == int(name[-4:])
    assert case.scenario == {"ssp245": "SSP2-4.5", "ssp585": "SSP5-8.5"}[name[:6]]
    for quantity in MONTHLY_QUANTITIES:
        values = getattr(case, quantity)
        assert values.shape == (12,)
        assert not values.flags.writeable
    for quantity in (*MONTHLY_QUANTITIES, *SCALAR_QUANTITIES):
        confidence, source = case.sources[quantity]
        assert confidence in CONFIDENCE_LEVELS
        assert source.strip()


def test_deltas_grow_with_time_and_forcing() -> None:
    c = {name: load_climate_case(name) for name in SHIPPED}
    warming = {name: case.temp_air_mean_delta.mean() for name, case in c.items()}
    assert warming["ssp585-2080"] > warming["ssp245-2050"]
    for scenario in ("ssp245", "ssp585"):
        assert warming[f"{scenario}-2080"] > warming[f"{scenario}-2050"]
        assert c[f"{scenario}-2080"].heat_wave_frequency_factor > c[f"{scenario}-2050"].heat_wave_frequency_factor
        assert c[f"{scenario}-2080"].temp_sea_delta.mean() > c[f"{scenario}-2050"].temp_sea_delta.mean()
    for year in ("2050", "2080"):
        assert warming[f"ssp585-{year}"] > warming[f"ssp245-{year}"]
    for case in c.values():  # the upwelling coast warms less than the air, heat waves become more frequent
        assert 0.0 < case.temp_sea_delta.mean() < case.temp_air_mean_delta.mean()
        assert case.heat_wave_frequency_factor > 1.0
        assert case.heat_wave_intensity_delta > 0.0


def test_shipped_values_follow_the_stated_derivation() -> None:
    """Delta GSAT = AR6 Table SPM.1 level minus 0.85 C; air 1.0x, sea 0.65x in the annual mean."""
    for name, level in {"ssp245-2050": 2.0, "ssp245-2080": 2.7, "ssp585-2050": 2.4, "ssp585-2080": 4.4}.items():
        case = load_climate_case(name)
        np.testing.assert_allclose(case.temp_air_mean_delta, level - 0.85)
        assert case.temp_sea_delta.mean() == pytest.approx(0.65 * (level - 0.85), abs=0.01)


@pytest.mark.parametrize("spelling", ["ssp245-2050", "SSP245-2050", "SSP2-4.5-2050", " ssp2-4.5_2050 "])
def test_case_names_are_spelling_independent(spelling: str) -> None:
    assert load_climate_case(spelling).name == "ssp245-2050"


def test_unknown_case_lists_the_available_ones() -> None:
    with pytest.raises(ScenarioError, match="ssp126-2050") as err:
        load_climate_case("ssp126-2050")
    for name in SHIPPED:
        assert name in str(err.value)


def test_describe_is_one_line() -> None:
    text = describe(load_climate_case("ssp245-2050"))
    assert text.startswith("SSP2-4.5 2050: +1.15 K mean air temperature")
    assert "heat waves x2.2" in text and "\n" not in text


# --- user tables ------------------------------------------------------------------------------------------


def _rows(case: str = "site-2050") -> list[list[str]]:
    """A valid one-case table: every quantity annual (month 0)."""
    units = {q: spec[0] for q, spec in (MONTHLY_QUANTITIES | SCALAR_QUANTITIES).items()}
    return [[case, q, "0", "1" if q.endswith("factor") else "0.5", u, "M", "test value"] for q, u in units.items()]


def _write(path: Path, rows: list[list[str]], header: tuple[str, ...] = COLUMNS) -> Path:
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows([list(header), *rows])
    return path


def test_user_table_with_one_case_loads(tmp_path: Path) -> None:
    case = load_climate_case(_write(tmp_path / "mine.csv", _rows()))
    assert (case.name, case.scenario, case.year) == ("site-2050", "site", 2050)
    np.testing.assert_allclose(case.temp_air_mean_delta, 0.5)
    assert case.sources["ghi_factor"] == ("M", "test value")


def test_user_table_with_monthly_rows(tmp_path: Path) -> None:
    rows = [r for r in _rows() if r[1] != "temp_sea_delta"]
    rows += [
        ["site-2050", "temp_sea_delta", str(m), str(0.1 * m), "K", "L" if m == 7 else "M", "s"] for m in range(1, 13)
    ]
    case = load_climate_case(_write(tmp_path / "mine.csv", rows))
    np.testing.assert_allclose(case.temp_sea_delta, 0.1 * np.arange(1, 13))
    assert case.sources["temp_sea_delta"] == ("L", "s")  # the lowest confidence of the rows


def test_user_table_with_several_cases_needs_a_choice(tmp_path: Path) -> None:
    path = _write(tmp_path / "two.csv", _rows("a-2050") + _rows("b-2080"))
    with pytest.raises(DataFileError, match="a-2050"):
        load_climate_case(path)
    assert load_climate_case(f"{path}:b-2080").year == 2080
    with pytest.raises(ScenarioError, match="c-2050"):
        load_climate_case(f"{path}:c-2050")


def test_missing_user_table(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="not found"):
        load_climate_case(tmp_path / "absent.csv")


@pytest.mark.parametrize(
    ("row", "column", "text", "message"),
    [
        (3, "value", "warm", r"line 5 .*'warm' is not a finite number"),
        (0, "month", "13", r"line 2 .*not 0 \(annual\) or 1-12"),
        (4, "confidence", "high", r"line 6 .*confidence 'high'"),
        (2, "unit", "degC", r"line 4 .*unit 'degC', expected 'K'"),
        (1, "quantity", "temp_air_maximum", r"line 3: unknown quantity 'temp_air_maximum'"),
        (6, "source", " ", r"line 8 .*empty source"),
        (8, "month", "7", r"line 10 .*scalar and needs month 0"),
        (0, "case", "site", r"line 2: case name 'site' must end with its year"),
    ],
)
def test_malformed_user_table_names_the_line(tmp_path: Path, row: int, column: str, text: str, message: str) -> None:
    rows = _rows()
    rows[row][COLUMNS.index(column)] = text
    with pytest.raises(DataFileError, match=message):
        load_climate_case(_write(tmp_path / "bad.csv", rows))


def test_malformed_user_table_structure(tmp_path: Path) -> None:
    rows = _rows()
    with pytest.raises(DataFileError, match=r"missing column\(s\) \['confidence'\]"):
        load_climate_case(_write(tmp_path / "a.csv", [r[:5] + r[6:] for r in rows], COLUMNS[:5] + COLUMNS[6:]))
    with pytest.raises(DataFileError, match=r"no row for \['dust_frequency_factor'\]"):
        load_climate_case(_write(tmp_path / "b.csv", [r for r in rows if r[1] != "dust_frequency_factor"]))
    with pytest.raises(DataFileError, match=r"line 12 .*month 0 appears twice \(lines 2 and 12\)"):
        load_climate_case(_write(tmp_path / "c.csv", [*rows, rows[0]]))
    partial = [*rows[1:], *[["site-2050", "temp_air_mean_delta", str(m), "1", "K", "M", "s"] for m in range(1, 12)]]
    with pytest.raises(DataFileError, match=r"'temp_air_mean_delta' lacks month\(s\) \[12\]"):
        load_climate_case(_write(tmp_path / "d.csv", partial))


def test_case_values_are_range_checked() -> None:
    with pytest.raises(DataFileError, match=r"'wind_speed_factor' = 3 1 in month 1 is outside"):
        _case(wind_speed_factor=3.0)


# --- morphing ---------------------------------------------------------------------------------------------


def test_temperature_shift_and_stretch_by_hand() -> None:
    """T = 20 + 5 sin(2 pi h / 24) over two July days: mean 20, daily max 25, min 15, range 10 K.

    With dT_mean = 2, dT_max = 3, dT_min = 1: alpha = (3 - 1) / 10 = 0.2, T' = T + 2 + 0.2 (T - 20), so the
    mean is 22, the daily maximum 28 = 25 + 3, the minimum 16 = 15 + 1 and the range 12 = 10 (1 + 2/10).
    """
    hours = np.arange(48)
    weather = _hourly("2030-07-10", 48, temp_air=20.0 + 5.0 * np.sin(2.0 * np.pi * hours / 24.0))
    out = morph_weather(weather, _case(temp_air_mean_delta=2.0, temp_air_max_delta=3.0, temp_air_min_delta=1.0))
    t = out["temp_air"]
    assert t.mean() == pytest.approx(22.0, abs=1e-12)
    daily = t.groupby(t.index.floor("D")).agg(["max", "min"])
    np.testing.assert_allclose(daily["max"], 28.0, atol=1e-12)
    np.testing.assert_allclose(daily["min"], 16.0, atol=1e-12)
    np.testing.assert_allclose(daily["max"] - daily["min"], 10.0 * (1.0 + 2.0 / 10.0), atol=1e-12)
    np.testing.assert_allclose(t, weather["temp_air"] + 2.0 + 0.2 * (weather["temp_air"] - 20.0), atol=1e-12)


def test_each_month_gets_its_own_change_by_utc_month() -> None:
    """The hour 2030-02-01 00:30 at UTC+1 is 31 January in UTC: it takes January's change."""
    delta = np.zeros(12)
    delta[0], delta[1] = 1.0, 2.0
    weather = _hourly("2030-01-31 20:30", 8, tz="Etc/GMT-1", temp_air=10.0, temp_sea=18.0)
    out = morph_weather(weather, _case(temp_air_mean_delta=delta, temp_sea_delta=delta))
    expected = np.where(weather.index.tz_convert("UTC").month == 1, 1.0, 2.0)
    np.testing.assert_allclose(out["temp_air"] - 10.0, expected)
    np.testing.assert_allclose(out["temp_sea"] - 18.0, expected)
    assert expected.tolist().count(1.0) == 5  # 20:30 to 00:30 local = 19:30 to 23:30 UTC


def test_shipped_case_without_stretch_shifts_the_mean() -> None:
    case = load_climate_case("ssp585-2080")
    hours = np.arange(72)
    weather = _hourly("2030-08-01", 72, temp_air=24.0 + 4.0 * np.cos(2.0 * np.pi * hours / 24.0))
    out = morph_weather(weather, case)
    np.testing.assert_allclose(out["temp_air"] - weather["temp_air"], case.temp_air_mean_delta[7], atol=1e-12)


def test_relative_humidity_is_shifted_and_clipped() -> None:
    weather = _hourly("2030-03-01", 3, relative_humidity=[99.5, 50.0, 1.5])
    np.testing.assert_allclose(
        morph_weather(weather, _case(relative_humidity_delta=2.0))["relative_humidity"], [100, 52, 3.5]
    )
    np.testing.assert_allclose(
        morph_weather(weather, _case(relative_humidity_delta=-2.0))["relative_humidity"], [97.5, 48, 1]
    )


def test_wind_and_irradiance_are_stretched() -> None:
    weather = _hourly(
        "2030-06-01 12:00",
        2,
        wind_speed=[8.0, 0.0],
        wind_speed_100m=10.0,
        ghi=[800.0, 100.0],
        dni=900.0,
        dhi=[100.0, 100.0],
    )
    out = morph_weather(weather, _case(wind_speed_factor=1.1, ghi_factor=0.9))
    np.testing.assert_allclose(out["wind_speed"], [8.8, 0.0])
    np.testing.assert_allclose(out["wind_speed_100m"], 11.0)
    np.testing.assert_allclose(out["ghi"], [720.0, 90.0])
    np.testing.assert_allclose(out["dni"], 810.0)
    np.testing.assert_allclose(out["dhi"], [90.0, 90.0])
    assert (out["dhi"] <= out["ghi"]).all()


def test_columns_attrs_and_input_are_kept() -> None:
    weather = _hourly("2030-01-01", 24, temp_air=15.0, pressure=101_325.0, dust=0.2, my_column=7.0)
    weather.attrs = {"source": "test", "site": {"name": "Dakhla"}}
    before = weather.copy(deep=True)
    out = morph_weather(weather, load_climate_case("ssp245-2080"))
    assert list(out.columns) == list(weather.columns)  # absent columns stay absent, unknown ones are kept
    np.testing.assert_array_equal(out["my_column"], 7.0)
    np.testing.assert_array_equal(out["pressure"], 101_325.0)
    np.testing.assert_array_equal(out["dust"], 0.2)
    assert out.attrs == {"source": "test", "site": {"name": "Dakhla"}, "climate": "ssp245-2080"}
    pd.testing.assert_frame_equal(weather, before)
    assert weather.attrs == {"source": "test", "site": {"name": "Dakhla"}}
    out.attrs["site"]["name"] = "elsewhere"
    assert weather.attrs["site"]["name"] == "Dakhla"


def test_morph_refuses_a_frame_without_datetime_index_and_an_inverted_range() -> None:
    with pytest.raises(WeatherDataError, match="DatetimeIndex"):
        morph_weather(pd.DataFrame({"temp_air": [1.0, 2.0]}), _case())
    weather = _hourly("2030-05-01", 24, temp_air=20.0 + np.sin(2.0 * np.pi * np.arange(24) / 24.0))
    with pytest.raises(WeatherDataError, match="2030-05"):
        morph_weather(weather, _case(temp_air_max_delta=0.0, temp_air_min_delta=3.0))


# --- stress events ----------------------------------------------------------------------------------------


def test_stressed_events_by_hand() -> None:
    events = StressEvents(heat_waves_per_year=0.5, heat_wave_peak_temp_air=44.0, dust_episodes_per_year=3.0)
    case = _case(heat_wave_frequency_factor=2.2, heat_wave_intensity_delta=1.6, dust_frequency_factor=1.5)
    out = stressed_events(events, case)
    assert out.heat_waves_per_year == pytest.approx(1.1)
    assert out.heat_wave_peak_temp_air == pytest.approx(45.6)
    assert out.dust_episodes_per_year == pytest.approx(4.5)
    assert out.heat_wave_days == events.heat_wave_days and out.long_lulls_per_year == events.long_lulls_per_year
    assert events.heat_waves_per_year == 0.5  # the input is unchanged


def test_stressed_peak_is_capped_at_the_model_ceiling() -> None:
    events = StressEvents(heat_wave_peak_temp_air=54.0)
    out = stressed_events(events, load_climate_case("ssp585-2080"))
    assert out.heat_wave_peak_temp_air == 55.0
    StressEvents.model_validate(out.model_dump())  # still a valid model
