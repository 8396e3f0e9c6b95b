"""Tests of greendc.assets.psychrometrics against published values and an independent tool.

Sources: Stull (2011, doi:10.1175/JAMC-D-11-0143.1) for the wet-bulb fit; the Dakhla climatology notes of
this project (rows T7 and T8: Magnus dew point, Stull wet-bulb, ideal-gas moist-air density) for site
states; PsychroLib 2.5.0 (Meyer & Thevenard 2019, J. Open Source Softw. 4(33) 1137,
doi:10.21105/joss.01137), which implements the ASHRAE Handbook Fundamentals 2017 ch. 1 equations with the
Hyland–Wexler saturation pressure, for the pressure-aware properties; Lei & Masanet (2020,
doi:10.1016/j.energy.2020.117556) for the latent heat fit. Hand calculations are written out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from greendc.assets.psychrometrics import (
    air_density,
    airside_economiser,
    dew_point,
    humidity_ratio,
    humidity_ratio_from_vapour_pressure,
    latent_heat_vaporisation,
    moist_air_enthalpy,
    saturation_vapour_pressure,
    wet_bulb_stull,
    wet_bulb_temperature,
)

# PsychroLib 2.5.0, SI units, values computed with GetTWetBulbFromRelHum, GetHumRatioFromRelHum,
# GetMoistAirEnthalpy and GetMoistAirDensity:
# (temp_air °C, RH %, pressure Pa, wet-bulb °C, humidity ratio kg/kg, enthalpy kJ/kg, density kg/m³)
PSYCHROLIB = [
    (20.0, 50.0, 101325.0, 13.783, 0.007262, 38.552, 1.1989),
    (21.0, 75.0, 101325.0, 17.989, 0.011667, 50.761, 1.1917),
    (40.0, 15.0, 101325.0, 20.356, 0.006873, 57.941, 1.1226),
    (35.0, 20.0, 101325.0, 18.870, 0.006986, 53.138, 1.1407),
    (25.0, 80.0, 101500.0, 22.381, 0.015934, 65.741, 1.1748),
    (30.0, 30.0, 90000.0, 17.491, 0.008929, 53.010, 1.0287),
    (5.0, 90.0, 101325.0, 4.302, 0.004858, 17.224, 1.2654),
    (45.0, 5.0, 101325.0, 18.901, 0.002958, 52.916, 1.1075),
]


def test_stull_published_check_value():
    """Stull (2011), text after eq. (1): T = 20 °C, RH = 50 % gives Tw = 13.7 °C."""
    assert wet_bulb_stull(20.0, 50.0) == pytest.approx(13.7, abs=0.05)


@pytest.mark.parametrize(
    ("temp_air", "rh", "t_dew", "t_wet"),
    [(18.5, 70.0, 12.9, 14.9), (21.0, 75.0, 16.4, 17.9), (25.0, 80.0, 21.3, 22.3), (40.0, 15.0, 8.5, 20.8)],
)
def test_dakhla_t7_dew_point_and_stull_wet_bulb(temp_air, rh, t_dew, t_wet):
    """Dakhla climatology notes, row T7 (Magnus dew point, Stull 2011 wet-bulb), given to 0.1 °C."""
    assert dew_point(temp_air, rh) == pytest.approx(t_dew, abs=0.051)
    assert wet_bulb_stull(temp_air, rh) == pytest.approx(t_wet, abs=0.051)


@pytest.mark.parametrize(
    ("t", "es_pa"), [(0.0, 611.15), (10.0, 1228.0), (20.0, 2338.8), (30.0, 4246.03), (40.0, 7383.46)]
)
def test_saturation_pressure_within_magnus_accuracy(t, es_pa):
    """PsychroLib GetSatVapPres (Hyland–Wexler, ASHRAE 2017 eq. 6); Alduchov & Eskridge (1996) state a
    relative error below 0.4 % for the Magnus form between −40 and 50 °C."""
    assert saturation_vapour_pressure(t) == pytest.approx(es_pa, rel=0.004)


@pytest.mark.parametrize(("t", "rh", "p", "twb", "w", "h", "rho"), PSYCHROLIB)
def test_properties_against_psychrolib(t, rh, p, twb, w, h, rho):
    """PsychroLib 2.5.0; tolerances cover the Magnus vs Hyland–Wexler saturation pressure (≤ 0.4 %)."""
    assert wet_bulb_temperature(t, rh, p) == pytest.approx(twb, abs=0.03)
    w_here = humidity_ratio(t, rh, p)
    assert w_here == pytest.approx(w, rel=0.004)
    assert moist_air_enthalpy(t, w_here) == pytest.approx(h, rel=0.003)
    assert air_density(t, p, w_here) == pytest.approx(rho, rel=0.001)


@pytest.mark.parametrize(
    ("t", "rh", "rho"), [(18.5, 70.0, 1.206), (21.0, 75.0, 1.194), (25.0, 80.0, 1.175), (40.0, 15.0, 1.124)]
)
def test_dakhla_t8_air_density(t, rh, rho):
    """Dakhla climatology notes, row T8: ideal-gas moist air at 1015 hPa, given to 0.001 kg/m³."""
    assert air_density(t, 101500.0, humidity_ratio(t, rh, 101500.0)) == pytest.approx(rho, abs=0.0011)


def test_humidity_ratio_and_enthalpy_hand_calculation():
    """ASHRAE Fundamentals 2017 ch. 1 eqs. (22), (32) by hand at 30 °C, 40 %, 101 325 Pa:
    e_s = 610.94·exp(17.625·30/273.04) = 4236.65 Pa; p_w = 1694.66 Pa;
    W = 0.621945·1694.66/(101325 − 1694.66) = 0.0105788; h = 1.006·30 + W·(2501 + 55.8) = 57.228 kJ/kg."""
    e_s = 610.94 * np.exp(17.625 * 30.0 / 273.04)
    assert saturation_vapour_pressure(30.0) == pytest.approx(e_s, rel=1e-12)
    w = humidity_ratio(30.0, 40.0, 101325.0)
    assert w == pytest.approx(0.621945 * 0.4 * e_s / (101325.0 - 0.4 * e_s), rel=1e-12)
    assert w == pytest.approx(0.0105788, rel=1e-4)
    assert moist_air_enthalpy(30.0, w) == pytest.approx(57.228, abs=0.002)


def test_wet_bulb_between_dew_point_and_dry_bulb_and_vectorised():
    """Physical ordering T_d ≤ T_wb ≤ T (equality at saturation) over a grid; Series in, arrays out."""
    t, rh = np.meshgrid(np.linspace(-5.0, 50.0, 12), np.linspace(2.0, 100.0, 9))
    t, rh = pd.Series(t.ravel()), pd.Series(rh.ravel())
    twb = wet_bulb_temperature(t, rh, 101325.0)
    assert isinstance(twb, np.ndarray) and twb.shape == (len(t),)
    assert np.all(twb <= t + 1e-9)
    assert np.all(twb >= dew_point(t, rh) - 0.05)  # Magnus dew point vs solved wet-bulb, same e_s
    saturated = rh.to_numpy() == 100.0
    np.testing.assert_allclose(twb[saturated], t[saturated], atol=1e-6)


def test_wet_bulb_falls_with_altitude():
    """The wet-bulb depends on pressure, which Stull's sea-level fit ignores: PsychroLib 2.5.0 gives
    17.491 °C at 90 kPa and 17.972 °C at 101.325 kPa for 30 °C, 30 %."""
    assert wet_bulb_temperature(30.0, 30.0, 90000.0) == pytest.approx(17.491, abs=0.03)
    assert wet_bulb_temperature(30.0, 30.0, 101325.0) == pytest.approx(17.972, abs=0.03)


def test_latent_heat_at_30c():
    """Lei & Masanet (2020): h_fg(30 °C) = −0.0013·900 − 2.3097·30 + 2500.5 = 2430.039 kJ/kg (≈ 2430), so
    one kWh of heat (3600 kJ) evaporates 3600/2430.039 = 1.4814 kg ≈ 1.48 L of water."""
    assert latent_heat_vaporisation(30.0) == pytest.approx(2430.039, abs=1e-9)
    assert 3600.0 / latent_heat_vaporisation(30.0) == pytest.approx(1.48, abs=0.005)


# --- outdoor-air economiser ------------------------------------------------------------------------------------

T_SA, T_RA = 25.0, 39.0  # supply air 25 °C, air ΔT 14 K (worked example of the reference notes)


def _economiser(t, rh, p=101325.0):
    return airside_economiser(t, rh, p, T_SA, T_RA, -9.0, 15.0)


def test_airside_partial_free_cooling_is_sensible_ratio():
    """30 °C, 30 % (dew point 10.5 °C, inside −9…15 °C): no humidity change, so the enthalpy ratio reduces
    to the dry-bulb ratio (T_ra − T_oa)/(T_ra − T_sa) = (39 − 30)/(39 − 25) = 9/14 with 100 % outdoor air."""
    f, x_oa, hum = _economiser(30.0, 30.0)
    assert f == pytest.approx(9.0 / 14.0, rel=1e-12)
    assert x_oa == pytest.approx(1.0)
    assert hum == 0.0


def test_airside_cold_air_is_mixed():
    """20 °C, 50 %: colder than supply air, so full free cooling; mixing outdoor and return air to 25 °C
    needs x_oa = (T_ra − T_sa)/(T_ra − T_oa) = 14/19 of outdoor air (same humidity ratio)."""
    f, x_oa, _ = _economiser(20.0, 50.0)
    assert f == pytest.approx(1.0)
    assert x_oa == pytest.approx(14.0 / 19.0, rel=1e-12)


def test_airside_refuses_hot_or_humid_air():
    """Hotter than the return air (41 °C, 10 %), or dew point above 15 °C (22 °C, 90 %: T_d = 20.3 °C):
    no outdoor air, the chiller takes all the heat."""
    for t, rh in [(41.0, 10.0), (22.0, 90.0)]:
        f, x_oa, hum = _economiser(t, rh)
        assert (f, x_oa, hum) == (0.0, 0.0, 0.0)


def test_airside_humidifies_very_dry_air():
    """10 °C, 5 % (dew point −23 °C): humidified to the −9 °C dew point. Hand calculation:
    W_oa = 0.621945·0.05·1226.02/(101325 − 61.30) = 3.7653e-4; e_s(−9 °C) = 610.94·exp(17.625·(−9)/234.04)
    = 310.20 Pa, W_min = 0.621945·310.20/(101325 − 310.20) = 1.9100e-3; adiabatic humidification keeps
    h_oa = 1.006·10 + W_oa·2519.6 = 11.0087 kJ/kg; h_sa = 1.006·25 + W_min·2547.5 = 30.0158,
    h_ra = 1.006·39 + W_min·2573.54 = 44.1495; x_oa = (44.1495 − 30.0158)/(44.1495 − 11.0087) = 0.42647;
    water = x_oa·(W_min − W_oa) = 6.5397e-4 kg per kg of supply air."""
    f, x_oa, hum = _economiser(10.0, 5.0)
    w_oa = 0.621945 * 0.05 * 1226.0206 / (101325.0 - 0.05 * 1226.0206)
    w_min = 0.621945 * 310.2036 / (101325.0 - 310.2036)
    assert saturation_vapour_pressure(-9.0) == pytest.approx(310.2036, rel=1e-5)
    w_min_code = humidity_ratio_from_vapour_pressure(saturation_vapour_pressure(-9.0), 101325.0)
    assert w_min_code == pytest.approx(w_min, rel=1e-5)
    h_oa = 1.006 * 10.0 + w_oa * (2501.0 + 18.6)
    h_sa = 1.006 * 25.0 + w_min * (2501.0 + 46.5)
    h_ra = 1.006 * 39.0 + w_min * (2501.0 + 72.54)
    assert f == pytest.approx(1.0)
    assert x_oa == pytest.approx((h_ra - h_sa) / (h_ra - h_oa), rel=1e-5)
    assert hum == pytest.approx(x_oa * (w_min - w_oa), rel=1e-5)
    assert hum == pytest.approx(6.54e-4, rel=2e-3)
