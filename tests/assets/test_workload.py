"""Requested IT load of each workload class: build-out phases and the daily cycle (hand calculations)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from greendc.assets.workload import diurnal_factor, installed_it_capacity_mw, requested_it_mw
from greendc.scenario.models import DataCenter, Phase, WorkloadClass


def _index(hours: int = 48) -> pd.DatetimeIndex:
    return pd.date_range("2030-12-31", periods=hours, freq="h", tz="UTC")


def test_default_classes_request_share_times_utilisation():
    # Dakhla default: 500 MW x 0.5 share x 0.8 utilisation = 200 MW per class on daily average.
    it = requested_it_mw(_index(), DataCenter(), longitude=-15.94)
    assert list(it.columns) == ["it_inference_mw", "it_training_mw"]
    assert it["it_training_mw"].to_numpy() == pytest.approx(200.0)
    assert it["it_inference_mw"].mean() == pytest.approx(200.0, rel=1e-9)


def test_diurnal_cycle_peaks_at_20h_solar_time():
    # longitude 0: solar time = UTC; mid-period of the 19:00-20:00 step is 19.5 h, of 20:00-21:00 is 20.5 h;
    # both are 0.5 h from the peak, so they share the day's maximum 1 + 0.1 cos(2 pi 0.5/24).
    f = diurnal_factor(_index(24), 0.0, 0.1)
    assert f.max() == pytest.approx(1 + 0.1 * np.cos(2 * np.pi * 0.5 / 24))
    assert set(np.flatnonzero(np.isclose(f, f.max()))) == {19, 20}


def test_phases_step_the_installed_capacity():
    dc = DataCenter(
        it_capacity_mw=500,
        phases=[Phase(start="2031-01-01", it_capacity_mw=500), Phase(start="2030-12-31T12:00", it_capacity_mw=250)],
    )
    cap = installed_it_capacity_mw(_index(), dc).to_numpy()
    assert cap[:12].tolist() == [0.0] * 12  # before the first phase nothing is installed
    assert cap[12:24].tolist() == [250.0] * 12
    assert cap[24:].tolist() == [500.0] * 24


def test_flexible_class_requested_like_a_firm_one():
    dc = DataCenter(
        workload_classes=[
            WorkloadClass(name="batch", share=1.0, utilisation=0.6, flexible=True, min_power_fraction=0.0)
        ]
    )
    it = requested_it_mw(_index(), dc, 0.0)
    assert it["it_batch_mw"].to_numpy() == pytest.approx(300.0)
