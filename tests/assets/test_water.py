"""Water by kind: once-through seawater withdrawal and heat, PV cleaning water (greendc.assets.water)."""

import numpy as np
import pandas as pd
import pytest

from greendc.assets.cooling import cooling_breakdown
from greendc.assets.water import (
    outfall_delta_t_k,
    pv_cleaning_water_m3_per_yr,
    seawater_withdrawal_m3_per_s,
    water_figures,
)
from greendc.errors import ScenarioError
from greendc.scenario.models import PV, Cooling, Electrical


def test_seawater_withdrawal_of_440_mw_at_7_5_k():
    # Q = P / (ρ c_p ΔT) = 440e6 W / (1024.8 kg/m³ × 3996 J/(kg K) × 7.5 K) = 440e6 / 30 713 256 = 14.3261 m³/s
    assert float(seawater_withdrawal_m3_per_s(440.0, 7.5)) == pytest.approx(14.3261, abs=1e-4)
    # half the rise, twice the flow; array in, array out
    np.testing.assert_allclose(seawater_withdrawal_m3_per_s([220.0, 440.0], 3.75), [14.3261, 28.6522], atol=1e-4)
    # back: 440 MW for one hour in 14.3261 × 3600 m³ is a 7.5 K rise
    assert outfall_delta_t_k(440.0, 14.3261 * 3600.0) == pytest.approx(7.5, rel=1e-5)
    assert np.isnan(outfall_delta_t_k(0.0, 0.0))
    with pytest.raises(ScenarioError, match="seawater delta_t_k"):
        seawater_withdrawal_m3_per_s(440.0, 0.0)
    with pytest.raises(ScenarioError, match="heat_mw"):
        seawater_withdrawal_m3_per_s(-1.0, 7.5)


def test_pv_cleaning_water_of_a_1_gw_plant():
    # A = 1000 MW / (0.21 × 1000 W/m²) = 4 761 904.8 m²; 365.25 / 14 = 26.0893 cleanings/yr at 1 L/m² (water_brush):
    # V = 4 761 904.8 × 1.0 × 26.0893 / 1000 = 124 234.7 m³/yr
    pv = PV(module_efficiency=0.21, cleaning_interval_days=14.0)
    assert pv_cleaning_water_m3_per_yr(1000.0, pv) == pytest.approx(124_234.7, abs=0.1)
    # an explicit 0.5 L/m² halves it; dry robots use none
    assert pv_cleaning_water_m3_per_yr(1000.0, pv.model_copy(update={"cleaning_water_l_per_m2": 0.5})) == (
        pytest.approx(62_117.3, abs=0.1)
    )
    assert pv_cleaning_water_m3_per_yr(1000.0, pv.model_copy(update={"cleaning_method": "robotic_dry"})) == 0.0
    with pytest.raises(ScenarioError, match="pv_mw_dc"):
        pv_cleaning_water_m3_per_yr(-1.0, pv)


def test_seawater_profile_carries_the_pue_to_sea_and_others_none():
    idx = pd.date_range("2030-01-01", periods=3, freq="h", tz="UTC")
    wx = pd.DataFrame({"temp_sea": [18.0, 23.5, 28.0], "pressure": 101325.0}, index=idx)
    b = cooling_breakdown(wx, Cooling(technology="seawater"), Electrical())
    # first law: every MW in the PUE ends in the seawater; seawater per MWh of IT = PUE × 3.6e9 J / (ρ c_p ΔT)
    np.testing.assert_allclose(b["heat_to_sea_mw_per_mw_it"], b["pue"], rtol=1e-12)
    np.testing.assert_allclose(b["seawater_m3_per_mwh_it"], b["pue"] * 3.6e9 / (1024.8 * 3996.0 * 7.5), rtol=1e-12)
    assert (b["water_m3_per_mwh_it"] == 0.0).all()  # returned seawater is no fresh water
    wx_air = pd.DataFrame({"temp_air": 30.0, "relative_humidity": 40.0, "pressure": 101325.0}, index=idx)
    towers = cooling_breakdown(wx_air, Cooling(technology="evaporative"), Electrical())
    assert (towers[["heat_to_sea_mw_per_mw_it", "seawater_m3_per_mwh_it"]] == 0.0).all().all()


def test_water_figures_by_kind_and_seawater_mean_and_peak():
    # two 1 h steps counted as one year: 10 and 20 m³/s withdrawn (36 000 and 72 000 m³),
    # heat 300 and 600 MW: mean 15 m³/s, peak 20; mean 450 MW, peak 600;
    # ΔT = 900 MWh × 3.6e9 J/MWh / (1024.8 × 3996 × 108 000 m³) = 3.24e12 / 4.42271e11 = 7.3258 K
    out = water_figures(
        np.ones(2),
        1.0,
        np.array([1.0, 2.0]),
        np.array([5.0, 0.0]),
        np.array([36_000.0, 72_000.0]),
        np.array([300.0, 600.0]),
        pv_cleaning_m3_per_yr=7.0,
    )
    assert out["water_by_kind_m3_per_yr"] == {
        "datacenter_fresh": 3.0,
        "electrolyser": 5.0,
        "pv_cleaning": 7.0,
        "seawater_withdrawn": 108_000.0,
    }
    assert out["seawater_withdrawal_m3_per_s"] == {"mean": pytest.approx(15.0), "peak": pytest.approx(20.0)}
    assert out["thermal_discharge_mw"] == {"mean": 450.0, "peak": 600.0}
    assert out["outfall_delta_t_k"] == pytest.approx(900.0 * 3.6e9 / (1024.8 * 3996.0 * 108_000.0), rel=1e-12)
    assert out["outfall_delta_t_k"] == pytest.approx(7.3258, abs=1e-4)
