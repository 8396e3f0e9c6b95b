"""Tests of :mod:`greendc.assets.csp` against hand calculations at stated conditions and physical bounds.

Coefficients (defaults of the module): η_0 = 0.816, a_1 = -0.00159 /°, a_2 = 0.0000977 /°², c_1 = 0.0622
W/(m²K), c_2 = 0.00023 W/(m²K²) (Janotte et al. 2014 via oemof-thermal); field 293 → 391 °C; 950 W/m²
design point.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pvlib
import pytest

from greendc.assets.csp import (
    csp_thermal_per_mw_field,
    incidence_angle_modifier,
    peak_incidence_angle_modifier,
    trough_heat_per_m2,
    trough_incidence_angle,
)
from greendc.errors import ScenarioError, WeatherDataError

LAT, LON, ELEV = 23.71, -15.94, 10.0


def test_incidence_angle_modifier_by_hand():
    """K(θ) = 1 - a_1|θ| - a_2 θ² with a_1 = -0.00159, a_2 = 0.0000977.

    θ = 0: 1; θ = 30°: 1 + 0.0477 - 0.08793 = 0.95977; θ = 60°: 1 + 0.0954 - 0.35172 = 0.74368;
    θ = -30° equals 30° (|θ|).
    """
    k = incidence_angle_modifier(np.array([0.0, 30.0, 60.0, -30.0]))
    np.testing.assert_allclose(k, [1.0, 0.95977, 0.74368, 0.95977], atol=1e-12)


def test_peak_incidence_angle_modifier_is_the_vertex():
    """θ* = 0.00159 / (2·0.0000977) = 8.1372°; K(θ*) = 1 + 0.00159² / (4·0.0000977) = 1.0064690."""
    assert peak_incidence_angle_modifier() == pytest.approx(1.0 + 0.00159**2 / (4 * 0.0000977), abs=1e-12)
    assert peak_incidence_angle_modifier() == pytest.approx(1.006469, abs=1e-6)
    # a monotonic modifier peaks at normal incidence
    assert peak_incidence_angle_modifier(0.001, 0.0001) == 1.0


def test_heat_at_normal_incidence_by_hand():
    """DNI 1000 W/m², θ = 0, X = 1, air 25 °C: ΔT = (293 + 391)/2 - 25 = 317 K.

    absorbed 0.816·1·1000 = 816; losses 0.0622·317 + 0.00023·317² = 19.7174 + 23.11247 = 42.82987;
    q = 773.17013 W/m².
    """
    q = trough_heat_per_m2(np.array([1000.0]), np.array([0.0]), np.array([25.0]), cleanliness=1.0)
    assert q[0] == pytest.approx(773.17013, abs=1e-6)


def test_heat_at_an_angle_with_soiling_by_hand():
    """DNI 800 W/m², θ = 30°, X = 0.97, air 35 °C: ΔT = 307 K.

    E = 800·cos30°·0.97^1.5 = 800·0.8660254·0.9553533 = 661.87842; K = 0.95977;
    absorbed 0.816·0.95977·661.87842 = 518.36486; losses 0.0622·307 + 0.00023·307² = 19.0954 + 21.67727
    = 40.77267; q = 477.59219 W/m².
    """
    e = 800.0 * math.cos(math.radians(30.0)) * 0.97**1.5
    expected = 0.816 * 0.95977 * e - (0.0622 * 307 + 0.00023 * 307**2)
    assert expected == pytest.approx(477.59219, abs=1e-5)
    q = trough_heat_per_m2(np.array([800.0]), np.array([30.0]), np.array([35.0]), cleanliness=0.97)
    assert q[0] == pytest.approx(expected, rel=1e-12)


def test_heat_is_zero_without_beam_and_clipped_at_zero():
    """Night (DNI 0 or θ = 90°) gives 0, not -losses; weak beam below the losses gives 0 (clipped).

    DNI 50 W/m² at θ = 0: 0.816·50 = 40.8 < 42.83 W/m² of losses at 25 °C.
    """
    q = trough_heat_per_m2(np.array([0.0, 1000.0, 50.0]), np.array([0.0, 90.0, 0.0]), np.full(3, 25.0), cleanliness=1.0)
    np.testing.assert_array_equal(q, [0.0, 0.0, 0.0])


def test_incidence_angle_on_a_north_south_trough():
    """Solar noon (sun in the meridian, azimuth 180°): θ = zenith. Sun due east (azimuth 90°) or west: θ = 0.

    General case by hand: elevation 30°, azimuth 135°: cos θ = sqrt(1 - cos²30°·cos²135°)
    = sqrt(1 - 0.75·0.5) = sqrt(0.625) = 0.7905694 → θ = 37.7612°. Below the horizon: 90°.
    """
    zen = np.array([30.0, 60.0, 60.0, 60.0, 95.0])
    azi = np.array([180.0, 90.0, 270.0, 135.0, 180.0])
    aoi = trough_incidence_angle(zen, azi)
    expected_general = math.degrees(math.acos(math.sqrt(1 - 0.75 * 0.5)))
    np.testing.assert_allclose(aoi, [30.0, 0.0, 0.0, expected_general, 90.0], atol=1e-6)
    assert expected_general == pytest.approx(37.7612, abs=1e-4)


def clear_sky_weather(start: str, end: str, temp_air: float = 25.0) -> pd.DataFrame:
    index = pd.date_range(start, end, freq="1h", tz="UTC", inclusive="left")
    loc = pvlib.location.Location(LAT, LON, altitude=ELEV)
    clear = loc.get_clearsky(index + pd.Timedelta(minutes=30), model="ineichen")
    return pd.DataFrame({"dni": clear["dni"].to_numpy(), "temp_air": temp_air}, index=index)


def test_chain_zero_at_night_and_below_the_optical_peak():
    """On a clear-sky week at Dakhla: zero whenever the sun is down at mid-hour, never above
    η_0 · max K · DNI / 950 (no loss, best angle), and positive around noon."""
    weather = clear_sky_weather("2030-06-15", "2030-06-22")
    cf = csp_thermal_per_mw_field(weather, LAT, LON, ELEV)
    assert cf.name == "csp_th_cf" and cf.index.equals(weather.index)
    sun = pvlib.solarposition.get_solarposition(weather.index + pd.Timedelta(minutes=30), LAT, LON, altitude=ELEV)
    night = sun["apparent_zenith"].to_numpy() >= 90.0
    assert night.any() and (cf.to_numpy()[night] == 0.0).all()
    peak = 0.816 * peak_incidence_angle_modifier() * weather["dni"].to_numpy() / 950.0
    assert (cf.to_numpy() <= peak + 1e-12).all()
    assert cf.max() > 0.6  # clear June noon: DNI ≈ 900 W/m², θ ≈ zenith ≈ 0-10°


def test_chain_matches_the_pure_functions_at_solar_noon():
    """The chain is sun position (mid-period) → N-S tracker angle → heat / 950: rebuild one noon hour."""
    weather = clear_sky_weather("2030-03-20", "2030-03-21", temp_air=20.0)
    cf = csp_thermal_per_mw_field(weather, LAT, LON, ELEV, cleanliness=1.0)
    sun = pvlib.solarposition.get_solarposition(
        weather.index + pd.Timedelta(minutes=30),
        LAT,
        LON,
        altitude=ELEV,
        temperature=20.0,
        pressure=pvlib.atmosphere.alt2pres(ELEV),
    )
    i = 12
    aoi = trough_incidence_angle(sun["apparent_zenith"].to_numpy()[[i]], sun["azimuth"].to_numpy()[[i]])
    q = trough_heat_per_m2(weather["dni"].to_numpy()[[i]], aoi, np.array([20.0]), cleanliness=1.0)
    assert cf.iloc[i] == pytest.approx(q[0] / 950.0, rel=1e-9)


def test_bad_weather_and_parameters_are_named():
    weather = clear_sky_weather("2030-06-15", "2030-06-16")
    with pytest.raises(WeatherDataError, match="dni"):
        csp_thermal_per_mw_field(weather.drop(columns="dni"), LAT, LON)
    bad = weather.copy()
    bad.iloc[3, bad.columns.get_loc("dni")] = -5.0
    with pytest.raises(WeatherDataError, match=r"'dni' = -5\.0"):
        csp_thermal_per_mw_field(bad, LAT, LON)
    with pytest.raises(ScenarioError, match="optical_efficiency"):
        csp_thermal_per_mw_field(weather, LAT, LON, optical_efficiency=1.2)
    with pytest.raises(ScenarioError, match="outlet_temp_c"):
        csp_thermal_per_mw_field(weather, LAT, LON, inlet_temp_c=400.0, outlet_temp_c=300.0)
