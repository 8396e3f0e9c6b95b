"""Tests of greendc.assets.wind: hand calculations from the cited equations, published reference values, and
NREL SAM (PySAM Windpower) on the same power curve. Each test names its source."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from greendc.assets.power_curves import PowerCurve, load_power_curve, shipped_turbines
from greendc.assets.wind import (
    density_normalised_wind_speed,
    fit_shear_exponent,
    log_law_wind_speed,
    loss_factor,
    moist_air_density,
    power_from_curve,
    power_law_wind_speed,
    pressure_at_height,
    temperature_at_height,
    wind_ac_per_mw,
)
from greendc.errors import DataFileError, ScenarioError, WeatherDataError
from greendc.scenario.models import Wind

NO_LOSSES = {"wake_loss_fraction": 0.0, "availability": 1.0, "electrical_loss_fraction": 0.0}


def _weather(wind_speed, wind_speed_100m=None, temp_air=21.0, pressure=101500.0, relative_humidity=75.0):
    n = len(np.atleast_1d(wind_speed))
    index = pd.date_range("2030-01-01", periods=n, freq="h", tz="UTC")
    df = pd.DataFrame(
        {"wind_speed": wind_speed, "temp_air": temp_air, "pressure": pressure, "relative_humidity": relative_humidity},
        index=index,
    )
    if wind_speed_100m is not None:
        df["wind_speed_100m"] = wind_speed_100m
    return df


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- hub-height extrapolation ---------------------------------------------------------------------------


def test_power_law_by_hand():
    # Peterson & Hennessey (1978): v(z) = v(zr) (z/zr)^alpha. By hand: ln 12 = 2.484907, /7 = 0.354987,
    # exp = 1.426162, x 6 m/s = 8.55697 m/s.
    assert power_law_wind_speed(6.0, 10.0, 120.0, 1 / 7) == pytest.approx(8.55697, abs=1e-5)
    # exponent 0: no change with height
    assert power_law_wind_speed(6.0, 10.0, 120.0, 0.0) == pytest.approx(6.0)


def test_log_law_by_hand():
    # Manwell et al. (2009), ch. 2: v(z) = v(zr) ln(z/z0)/ln(zr/z0). By hand, z0 = 0.03 m:
    # ln(4000) = 8.294050, ln(333.33) = 5.809143, ratio 1.427759, x 6 m/s = 8.56655 m/s.
    assert log_law_wind_speed(6.0, 10.0, 120.0, 0.03) == pytest.approx(8.56655, abs=1e-5)


def test_shear_exponent_fitted_hour_by_hour_by_hand():
    # alpha = ln(v100/v10) / ln(100/10). Hour 1: ln(1.4)/ln(10) = 0.336472/2.302585 = 0.146128.
    # Hour 2: ln(4/6) < 0, clipped to 0. Hour 3: ln(1.5)/ln(10) = 0.405465/2.302585 = 0.176091.
    # Hour 4: 10 m speed below 1 m/s, so the exponent of the mean speeds of hours 1-3:
    # ln((7+4+3)/(5+6+2)) / ln(10) = ln(14/13)/ln(10) = 0.074108/2.302585 = 0.032185.
    alpha = fit_shear_exponent([5.0, 6.0, 2.0, 0.5], [7.0, 4.0, 3.0, 3.0])
    np.testing.assert_allclose(alpha, [0.146128, 0.0, 0.176091, 0.032185], atol=1e-6)
    # ln(40)/ln(10) = 1.60, clipped to 0.6; no hour fit at all -> 1/7.
    assert fit_shear_exponent([1.2], [48.0])[0] == 0.6
    assert fit_shear_exponent([0.5], [0.5])[0] == pytest.approx(1 / 7)


def test_hub_wind_from_100m_column_with_fitted_exponent():
    # v10 = 5, v100 = 7 -> alpha = 0.146128 (above); hub 120 m: 7 x 1.2^0.146128 = 7 x 1.027000 = 7.18900 m/s.
    # The orchestrator must read the curve at that speed after the density normalisation (wiring check
    # against the public functions, IEC 61400-12-1 chain).
    weather = _weather([5.0], [7.0], relative_humidity=0.0)
    wind = Wind(turbine="E-141-4.2", hub_height_m=120.0, **NO_LOSSES)
    cf = wind_ac_per_mw(weather, wind)
    t_hub = temperature_at_height(21.0, 120.0)
    rho = moist_air_density(t_hub, pressure_at_height(101500.0, 21.0, 120.0), 0.0)
    curve = load_power_curve("E-141-4.2")
    expected = power_from_curve(density_normalised_wind_speed(7.18900, rho), curve) / 4.2
    assert cf.iloc[0] == pytest.approx(float(expected), rel=1e-4)


def test_10m_column_ignored_for_speed_when_100m_present_and_exponent_given():
    # shear_exponent = 0 and hub at 120 m: hub speed = 100 m speed whatever the 10 m column says.
    a = wind_ac_per_mw(_weather([2.0], [8.0]), Wind(turbine="E-141-4.2", shear_exponent=0.0))
    b = wind_ac_per_mw(_weather([9.0], [8.0]), Wind(turbine="E-141-4.2", shear_exponent=0.0))
    assert a.iloc[0] == pytest.approx(b.iloc[0])


# --- air density --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("temp_air", "rh", "rho"),
    [(18.5, 70.0, 1.206), (21.0, 75.0, 1.194), (25.0, 80.0, 1.175), (40.0, 15.0, 1.124)],
)
def test_moist_air_density_dakhla_reference_values(temp_air, rh, rho):
    # reference/dakhla_climatology.md, row T8: ideal-gas moist air at 1015 hPa, given to 3 decimals.
    assert moist_air_density(temp_air, 101500.0, rh) == pytest.approx(rho, abs=5e-4)


def test_dry_air_density_textbook():
    # ISO 2533 standard atmosphere at sea level: 1.2250 kg/m3 at 15 degC, 101325 Pa, dry.
    assert moist_air_density(15.0, 101325.0, 0.0) == pytest.approx(1.2250, abs=2e-4)


def test_pressure_and_temperature_lifted_to_hub_height():
    # ISO 2533 lapse 6.5 K/km: 21 degC at 2 m -> 20.35 degC at 102 m. Hypsometric equation by hand:
    # mean T = 294.15 - 0.325 = 293.825 K; g dz/(R T) = 980.665/(287.05 x 293.825) = 0.0116273;
    # 101500 x exp(-0.0116273) = 100326.7 Pa (about -1.2 hPa per 10 m).
    assert temperature_at_height(21.0, 102.0) == pytest.approx(20.35)
    assert pressure_at_height(101500.0, 21.0, 102.0) == pytest.approx(100326.7, abs=0.5)


def test_density_correction_by_hand():
    # IEC 61400-12-1: V_n = V (rho/1.225)^(1/3). rho = 1.194: 1.194/1.225 = 0.9746939, ln = -0.0256327,
    # /3 = -0.0085442, exp = 0.9914922; V = 8 m/s -> 7.93194 m/s.
    assert density_normalised_wind_speed(8.0, 1.194) == pytest.approx(7.93194, abs=1e-5)
    assert density_normalised_wind_speed(8.0, 1.225) == pytest.approx(8.0)


# --- power curves ---------------------------------------------------------------------------------------


def test_curve_interpolation_at_and_between_points():
    # OEP library table of the Enercon E-141 EP4 (kW): 1 m/s 0, 2 m/s 22, 3 m/s 104, 7 m/s 1471,
    # 8 m/s 2151, 25 m/s 4200 (last point).
    curve = load_power_curve("E-141-4.2")
    v = np.array([8.0, 7.5, 2.5, 1.5, 0.5, 25.0])
    expected = np.array([2.151, (1.471 + 2.151) / 2, (0.022 + 0.104) / 2, 0.011, 0.0, 4.2])
    np.testing.assert_allclose(power_from_curve(v, curve), expected, atol=1e-12)


def test_cut_in_and_cut_out(tmp_path):
    # Zero below the first point and above the last one (cut-out), as SAM reads a curve
    # (NREL SSC windTurbine::turbinePower). Hand values: 3.5 m/s is halfway from 0 to 1 MW.
    path = _write(tmp_path, "toy.csv", "# source: test\nwind_speed,power_mw\n3,0\n4,1\n12,4\n25,4\n")
    curve = load_power_curve(path)
    v = np.array([0.0, 2.9, 3.0, 3.5, 12.0, 25.0, 25.01, 40.0])
    np.testing.assert_allclose(power_from_curve(v, curve), [0, 0, 0, 0.5, 4, 4, 0, 0])
    assert curve.rated_mw == 4.0
    assert curve.source == "test"


def test_shipped_curves():
    # At least three current 3-6 MW onshore turbines, each with its source and rating (README.md there).
    names = shipped_turbines()
    assert {"E-141-4.2", "E-126-4.2", "N131-3.6", "V126-3.45"} <= set(names)
    for name in names:
        curve = load_power_curve(name)
        assert isinstance(curve, PowerCurve)
        assert 3.0 <= curve.rated_mw <= 6.0
        assert curve.power_mw.max() == pytest.approx(curve.rated_mw)
        assert "OpenEnergy Platform" in curve.source
        assert not curve.wind_speed.flags.writeable


@pytest.mark.parametrize(
    ("body", "column", "line"),
    [
        ("wind_speed,power_mw\n3,0\n5,1\n4,2\n", "wind_speed", 4),  # decreasing speed
        ("wind_speed,power_mw\n3,0\n4,-0.1\n5,2\n", "power_mw", 3),  # negative power
        ("wind_speed,power_mw\n3,0\n4,850\n5,4200\n", "power_mw", 3),  # kW, not MW
        ("wind_speed,power_mw\n3,0\n4,abc\n", "power_mw", 3),  # not a number
        ("wind_speed,power_kw\n3,0\n4,850\n", "power_mw", None),  # missing column
    ],
)
def test_malformed_curve_file_names_file_column_and_line(tmp_path, body, column, line):
    path = _write(tmp_path, "bad_curve.csv", body)
    with pytest.raises(DataFileError) as info:
        load_power_curve(path)
    message = str(info.value)
    assert "bad_curve.csv" in message
    assert column in message
    if line is not None:
        assert f"line {line}" in message


def test_rating_exceeded_and_missing_file(tmp_path):
    path = _write(tmp_path, "over.csv", "# rated_mw: 3.0\nwind_speed,power_mw\n3,0\n12,3.5\n")
    with pytest.raises(DataFileError, match="rating 3 MW"):
        load_power_curve(path)
    with pytest.raises(DataFileError, match="not found"):
        load_power_curve(tmp_path / "absent.csv")


def test_unknown_turbine_lists_shipped_names():
    with pytest.raises(ScenarioError) as info:
        load_power_curve("V999-9.9")
    for name in shipped_turbines():
        assert name in str(info.value)


# --- losses and orchestrator ---------------------------------------------------------------------------


def test_losses_multiply():
    # (1 - 0.08) x 0.97 x (1 - 0.02) = 0.92 x 0.97 x 0.98 = 0.874552.
    assert loss_factor(0.08, 0.97, 0.02) == pytest.approx(0.874552, abs=1e-12)
    weather = _weather([4.0, 7.0, 9.0, 12.0])
    lossless = wind_ac_per_mw(weather, Wind(turbine="N131-3.6", **NO_LOSSES))
    lossy = wind_ac_per_mw(
        weather, Wind(turbine="N131-3.6", wake_loss_fraction=0.08, availability=0.97, electrical_loss_fraction=0.02)
    )
    np.testing.assert_allclose(lossy.to_numpy(), lossless.to_numpy() * 0.874552, rtol=1e-12)


def test_per_mw_output_bounded_by_losses():
    # cf = P/P_rated x losses: never above the loss factor, equal to it at rated wind, zero past cut-out.
    rng = np.random.default_rng(7)
    weather = _weather(rng.uniform(0.0, 30.0, 500))
    wind = Wind(turbine="V126-3.45")
    factor = loss_factor(wind.wake_loss_fraction, wind.availability, wind.electrical_loss_fraction)
    cf = wind_ac_per_mw(weather, wind)
    assert cf.name == "wind_cf"
    assert cf.index.equals(weather.index)
    assert cf.min() >= 0.0
    assert cf.max() <= factor + 1e-12
    assert cf.max() == pytest.approx(factor)  # some hours at rated power
    assert (cf[weather["wind_speed"] > 25.0] == 0.0).all()  # beyond the 22.5 m/s cut-out at hub height


def test_default_wind_parameters_run():
    # The scenario's default turbine must give a profile (the default scenario depends on it).
    cf = wind_ac_per_mw(_weather([3.0, 8.0, 14.0]), Wind())
    assert ((cf >= 0.0) & (cf <= 1.0)).all()
    assert cf.iloc[1] > 0.0


def test_weather_errors():
    with pytest.raises(WeatherDataError, match="relative_humidity"):
        wind_ac_per_mw(_weather([8.0]).drop(columns="relative_humidity"), Wind(turbine="E-141-4.2"))
    with pytest.raises(WeatherDataError, match="wind_speed"):
        wind_ac_per_mw(_weather([8.0, -1.0]), Wind(turbine="E-141-4.2"))
    # sea-level pressure given for a site at 1500 m (standard atmosphere there: 84 556 Pa)
    with pytest.raises(WeatherDataError, match="station pressure"):
        wind_ac_per_mw(_weather([8.0]), Wind(turbine="E-141-4.2"), elevation_m=1500.0)


# --- NREL SAM ------------------------------------------------------------------------------------------


def _sam_validation_module():
    path = Path(__file__).resolve().parents[2] / "validation" / "sam_wind.py"
    spec = importlib.util.spec_from_file_location("greendc_validation_sam_wind", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("elevation_m", [0.0, 1500.0])
def test_annual_energy_matches_sam(elevation_m):
    # NREL SAM Windpower (PySAM), one turbine, same curve, hub-height data, no losses; see the docstring of
    # validation/sam_wind.py for what makes it like-for-like. Target: annual energy within 1 %.
    pytest.importorskip("PySAM")
    result = _sam_validation_module().compare("E-141-4.2", elevation_m=elevation_m, seed=11)
    assert abs(result["difference_pct"]) <= 1.0
    if elevation_m > 0:
        # without the density correction greendc would be far off: the comparison can tell
        assert abs(result["no_density_correction_pct"]) > 3.0
