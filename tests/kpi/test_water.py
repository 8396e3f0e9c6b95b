"""WUE by kind at the data-centre boundary (greendc.kpi.water)."""

import pandas as pd
import pytest

from greendc.errors import TelemetryError
from greendc.kpi.metrics import energy_mwh
from greendc.kpi.telemetry import check_telemetry
from greendc.kpi.water import water_input_m3, wue_l_per_kwh


def series(**cols) -> pd.DataFrame:
    idx = pd.date_range("2030-01-01", periods=4, freq="h", tz="UTC")
    return pd.DataFrame({"it_mw": 100.0, "facility_mw": 110.0} | cols, index=idx)


def test_electrolyser_water_does_not_change_wue():
    # 4 h × 100 MW = 400 MWh of IT; 20 m³ of cooling water: WUE = 20 / 400 = 0.05 L/kWh, with or without
    # 4 × 50 m³ of electrolyser water (energy plant, outside the data centre)
    without = series(water_m3=5.0)
    with_h2 = series(water_m3=5.0, electrolyser_water_m3=50.0)
    check_telemetry(with_h2)  # a known telemetry column
    assert wue_l_per_kwh(without) == pytest.approx(0.05)
    assert wue_l_per_kwh(with_h2) == pytest.approx(0.05)
    assert wue_l_per_kwh(with_h2, kind="total") == pytest.approx(0.05)


def test_fresh_and_total_wue_with_once_through_seawater():
    # 500 MW of IT, PUE 1.1 to sea at 7.5 K: 550e6 / (1024.8 × 3996 × 7.5) = 17.908 m³/s = 64 467 m³ per hour;
    # no fresh water: fresh WUE 0 (class A), total (4 × 64 467 + 4 × 2) m³ / 2000 MWh = 128.938 L/kWh
    f = series(it_mw=500.0, facility_mw=550.0, water_m3=2.0, fresh_water_m3=0.0, seawater_m3=64_467.0)
    assert wue_l_per_kwh(f) == 0.0
    assert wue_l_per_kwh(f, kind="total") == pytest.approx((4 * 64_467.0 + 8.0) / 2000.0)
    assert water_input_m3(f, "total") == pytest.approx(257_876.0)
    # without fresh_water_m3 all of water_m3 counts as fresh: 8 m³ / 2000 MWh = 0.004
    assert wue_l_per_kwh(f.drop(columns="fresh_water_m3")) == pytest.approx(0.004)
    assert energy_mwh(f, "seawater_m3") == pytest.approx(257_868.0)


def test_bad_water_input_is_named():
    with pytest.raises(TelemetryError, match="'fresh_water_m3' adds up to 8 m3, above 'water_m3' = 4 m3"):
        wue_l_per_kwh(series(water_m3=1.0, fresh_water_m3=2.0))
    with pytest.raises(TelemetryError, match="kind = 'potable'"):
        wue_l_per_kwh(series(water_m3=1.0), kind="potable")
    with pytest.raises(TelemetryError, match="'seawater_m3' = -1 m3"):
        wue_l_per_kwh(series(water_m3=1.0, seawater_m3=[0.0, 0.0, -1.0, 0.0]))
    with pytest.raises(TelemetryError, match="'it_mw' adds up to 0 MWh"):
        wue_l_per_kwh(series(it_mw=0.0, water_m3=1.0))
