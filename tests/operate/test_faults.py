"""Forced outages: seeded, reproducible, and with the long-run unavailability MTTR / (MTBF + MTTR)."""

from __future__ import annotations

import numpy as np
import pytest

from greendc.errors import DataFileError, ScenarioError
from greendc.operate import Design, fleet_availability, load_reliability
from greendc.operate.faults import FLEETS, Reliability, unit_count


def test_shipped_table_has_every_fleet_with_a_source_and_confidence():
    table = load_reliability()
    for tech, _, _ in FLEETS.values():
        row = table[tech]
        assert row.mtbf_h > 0 and row.mttr_h > 0
        assert row.confidence in ("high", "medium", "low") and len(row.source) > 40
    # Carroll et al. (2016), per-mode rates as tabulated in NREL WOMBAT: 8.21 failures/turbine-year
    assert 8760.0 / table["wind_turbine"].mtbf_h == pytest.approx(8.21, abs=0.01)


def test_same_seed_same_outages_other_seed_other_outages():
    design = Design(pv_mw=500.0, wind_mw=420.0, battery_mw=100.0, electrolyser_mw=50.0, fuel_cell_mw=10.0)
    a = fleet_availability(design, 2000, 1.0, seed=42)
    b = fleet_availability(design, 2000, 1.0, seed=42)
    c = fleet_availability(design, 2000, 1.0, seed=43)
    for fleet in FLEETS:
        np.testing.assert_array_equal(a[fleet], b[fleet])
        assert not np.array_equal(a[fleet], c[fleet])
    # resizing one fleet leaves the others' outages unchanged (one stream per fleet)
    d = fleet_availability(
        Design(pv_mw=500.0, wind_mw=840.0, battery_mw=100.0, electrolyser_mw=50.0, fuel_cell_mw=10.0),
        2000,
        1.0,
        seed=42,
    )
    np.testing.assert_array_equal(a["pv"], d["pv"])


def test_long_run_unavailability_matches_mttr_over_cycle():
    """Two-state Markov unit, failure rate λ = 1/MTBF, repair rate μ = 1/MTTR: the time-average
    unavailability over T hours of N units has mean U = λ/(λ+μ) and variance ≈ 2λμ/((λ+μ)³ T N)
    (Billinton & Allan 1992, ch. 9). Here U = 25/125 = 0.2, σ ≈ 0.0038; tolerance 4σ."""
    table = {tech: Reliability(tech, "unit", 100.0, 25.0, "low", "test") for tech, _, _ in FLEETS.values()}
    avail = fleet_availability(Design(wind_mw=50.0, wind_turbine_mw=1.0), 8760, 1.0, seed=7, reliability=table)
    lam, mu, t_h, n = 1 / 100.0, 1 / 25.0, 8760.0, 50
    sigma = np.sqrt(2 * lam * mu / (lam + mu) ** 3 / t_h / n)
    assert 1.0 - avail["wind"].mean() == pytest.approx(0.2, abs=4 * sigma)
    # no start-up transient: the first 50 hours are already near U (stationary start)
    assert 1.0 - avail["wind"][:50].mean() == pytest.approx(0.2, abs=0.1)


def test_sub_hourly_outages_average_to_the_hourly_ones():
    """The same seed draws the same event times whatever the step: 5-min shares average to the hourly."""
    design = Design(wind_mw=420.0, battery_mw=100.0)
    hourly = fleet_availability(design, 500, 1.0, seed=3)
    fine = fleet_availability(design, 6000, 1.0 / 12.0, seed=3)
    for fleet in ("wind", "battery"):
        np.testing.assert_allclose(fine[fleet].reshape(500, 12).mean(axis=1), hourly[fleet], atol=1e-12)


def test_units_and_bad_input():
    assert unit_count(900.0, 4.2) == 215 and unit_count(8.4, 4.2) == 2 and unit_count(0.0, 4.2) == 0
    avail = fleet_availability(Design(pv_mw=10.0), 10, 1.0, seed=0)
    np.testing.assert_array_equal(avail["wind"], np.ones(10))
    with pytest.raises(ScenarioError, match="seed"):
        fleet_availability(Design(), 10, 1.0, seed=-1)


def test_malformed_table_raises(tmp_path):
    path = tmp_path / "rel.csv"
    path.write_text("technology,unit,mtbf_h,mttr_h,confidence,source\nwind_turbine,t,-5,1,low,x\n")
    with pytest.raises(DataFileError, match="mtbf_h"):
        load_reliability(path)
    path.write_text("technology,unit,mtbf_h,mttr_h\nwind_turbine,t,5,1\n")
    with pytest.raises(DataFileError, match="confidence"):
        load_reliability(path)
