"""Common-mode failures: sourced table, closed-form trip hours, N+1 logic, seeds, malformed tables.

Closed forms (Billinton & Allan 1992, ch. 4 and 9): a unit is down a share U = MTTR / (MTBF + MTTR) of
the time; n independent stationary units have a binomial number c down; an element with r redundant
units trips the site with probability P(c > r) and keeps the share min(1, (n - c) / (n - r)).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from greendc.errors import DataFileError, ScenarioError
from greendc.operate.common_mode import (
    COMMON_MODE_STREAM,
    _down_count_timeline,
    _step_mean,
    available_share,
    common_mode_series,
    expected_available_fraction,
    expected_trip_hours_per_year,
    load_common_mode,
)
from greendc.operate.faults import _down_unit_hours, down_intervals

HEADER = "element,effect,units,redundant_units,mtbf_h,mttr_h,confidence,source\n"


def _table(tmp_path, rows: str, name: str = "cm.csv"):
    path = tmp_path / name
    path.write_text(HEADER + rows)
    return load_common_mode(path)


def test_shipped_table_rates_as_derived_from_their_sources():
    table = load_common_mode()
    assert {
        "main_substation_bus",
        "main_substation_transformers",
        "collector_feeder",
        "control_system",
        "cooling_module",
    } <= set(table)
    for row in table.values():
        assert row.confidence in ("high", "medium", "low") and len(row.source) > 200
    # CIGRE: 0.30 major failures per 100 breaker-years, 12 breakers -> 0.036 /yr
    assert 8760.0 / table["main_substation_bus"].mtbf_h == pytest.approx(0.036, rel=1e-5)
    # CIGRE WG A2.37: 964 major failures in 167459 transformer-years
    assert 8760.0 / table["main_substation_transformers"].mtbf_h == pytest.approx(964 / 167459, rel=1e-6)
    # EPRI median 2.89 failures / 100 conductor-miles / yr over 8 km x 3 conductors
    assert 8760.0 / table["collector_feeder"].mtbf_h == pytest.approx(2.89 / 160.9344 * 24, rel=1e-4)
    # chiller train (OREDA-2009 via the cited calculation): 1.845 failures/yr, 25.4942 down-hours/yr
    cooling = table["cooling_module"]
    assert 8760.0 / cooling.mtbf_h == pytest.approx(1.845, rel=1e-4)
    assert cooling.mttr_h == pytest.approx(25.4942 / 1.845, abs=0.05)
    assert (cooling.units, cooling.redundant_units) == (10, 1)


def test_closed_form_trip_hours_of_the_shipped_table_by_hand():
    """bus: U = 8/243341 -> 8760 U = 0.28799 h; control: U = 4/43804 -> 0.79993 h; transformers 2 of 4
    down: U = 720/1522443 = 4.729e-4, P = 1 - (1-U)^4 - 4U(1-U)^3 = 1.3419e-6 -> 0.011755 h;
    union 1 - Π(1 - P) = 1.09964 h/yr."""
    u_bus, u_ctl, u_tr = 8 / 243341, 4 / 43804, 720 / 1522443
    p_tr = 1 - (1 - u_tr) ** 4 - 4 * u_tr * (1 - u_tr) ** 3
    assert 8760 * p_tr == pytest.approx(0.011755, rel=1e-3)
    by_hand = 8760 * (1 - (1 - u_bus) * (1 - u_ctl) * (1 - p_tr))
    assert by_hand == pytest.approx(1.09964, abs=1e-4)
    assert expected_trip_hours_per_year() == pytest.approx(by_hand, rel=1e-9)


def test_long_run_site_trips_of_the_shipped_table_over_2000_years():
    """2000 years, one step a year. Each single-unit element's down time over T is a renewal sum with
    variance ≈ (T / cycle) · E[D²] = (T / cycle) · 2 MTTR² (exponential repairs): bus 72 trips × 128 h²,
    control 400 × 32 h², so σ of the mean ≈ sqrt(9216 + 12800) / 2000 = 0.074 h/yr (the transformer
    pairs add < 0.01). Tolerance 4σ. Generation: 30 feeders, each time-average with variance
    2 MTTR² / (MTBF · T) = 2 · 72² / (20325 · 1.752e7) -> σ ≈ 1.7e-4 / sqrt(30) = 3.1e-5; cooling: about
    940 spells of 2 modules down in 2000 years, each ≈ 6.9 h losing 1/9 -> σ ≈ sqrt(940 · 2 · 0.77²) /
    1.752e7 ≈ 2e-6. Tolerances 4σ (rounded up)."""
    years = 2000
    s = common_mode_series(years, 8760.0, seed=11)
    table = load_common_mode()
    var = 0.0
    for name in ("main_substation_bus", "control_system"):
        row = table[name]
        var += years * 8760.0 / (row.mtbf_h + row.mttr_h) * 2 * row.mttr_h**2
    sigma = math.sqrt(var) / years
    assert sigma == pytest.approx(0.074, abs=0.002)
    assert s["site_trip_fraction"].mean() * 8760.0 == pytest.approx(expected_trip_hours_per_year(), abs=4 * sigma)
    # generation and cooling at their closed forms (1 - U of a feeder; the N+1 binomial sum)
    assert s["generation_available_fraction"].mean() == pytest.approx(
        expected_available_fraction(table["collector_feeder"]), abs=1.3e-4
    )
    assert s["cooling_available_fraction"].mean() == pytest.approx(
        expected_available_fraction(table["cooling_module"]), abs=1e-5
    )


def test_long_run_means_of_a_dense_table_match_the_binomial_closed_forms(tmp_path):
    """Hand table with large U so that 2e6 h hold ~10^4 cycles per unit.

    site: A (1 unit, U = 10/100 = 0.1) and B (3 units, 1 redundant, U = 20/100 = 0.2):
    P_B = 3·0.2²·0.8 + 0.2³ = 0.104; union 1 - 0.9·0.896 = 0.1936.
    generation: 4 feeders, U = 0.25 -> 0.75.
    cooling: 4 modules, 1 redundant, U = 0.4: P(c) = .1296 .3456 .3456 .1536 .0256 for c = 0..4,
    E[a] = .1296 + .3456 + .3456·2/3 + .1536·1/3 + 0 = 0.7568 (the share-of-all-units rule
    1 - (c - r)/n would give 0.8176, the no-redundancy rule 1 - c/n 0.6).
    Tolerance: 4 standard errors by batch means over the 2000 steps of 1000 h, each far longer than the
    correlation time of the process (tens of hours)."""
    table = _table(
        tmp_path,
        "a,site_trip,1,0,90,10,low,t\nb,site_trip,3,1,80,20,low,t\n"
        "gen,generation_share,4,0,75,25,low,t\ncool,cooling_share,4,1,60,40,low,t\n",
    )
    s = common_mode_series(2000, 1000.0, seed=5, table=table)
    for name, expected in (
        ("site_trip_fraction", 0.1936),
        ("generation_available_fraction", 0.75),
        ("cooling_available_fraction", 0.7568),
    ):
        x = s[name]
        sem = x.std(ddof=1) / math.sqrt(x.size)
        assert sem < 0.003
        assert x.mean() == pytest.approx(expected, abs=4 * sem), name
    assert expected_trip_hours_per_year(table) / 8760 == pytest.approx(0.1936, rel=1e-9)
    assert expected_available_fraction(table["cool"]) == pytest.approx(0.7568, rel=1e-9)


def test_n_plus_one_share_by_hand():
    # 10 modules, 1 redundant, each sized for 1/9 of the design load
    np.testing.assert_allclose(available_share([0, 1, 2, 3, 10], 10, 1), [1.0, 1.0, 8 / 9, 7 / 9, 0.0])
    # no redundancy: one feeder of 30 down removes 1/30
    np.testing.assert_allclose(available_share([0, 1, 30], 30, 0), [1.0, 29 / 30, 0.0])


def test_extreme_rates_give_all_up_and_all_down(tmp_path):
    """MTBF = 1e15 h, MTTR = 1e-9 h: every unit up for the whole horizon; MTBF = 1e-9 h, MTTR = 1e15 h:
    every unit down (stationary start with U = 1, repair far beyond the horizon)."""
    up = _table(
        tmp_path,
        "s,site_trip,2,1,1e15,1e-9,low,t\ng,generation_share,30,0,1e15,1e-9,low,t\n"
        "c,cooling_share,10,1,1e15,1e-9,low,t\n",
        "up.csv",
    )
    s = common_mode_series(48, 0.5, seed=0, table=up)
    np.testing.assert_array_equal(s["site_trip_fraction"], np.zeros(48))
    np.testing.assert_array_equal(s["generation_available_fraction"], np.ones(48))
    np.testing.assert_array_equal(s["cooling_available_fraction"], np.ones(48))
    down = _table(
        tmp_path,
        "s,site_trip,2,1,1e-9,1e15,low,t\ng,generation_share,30,0,1e-9,1e15,low,t\n"
        "c,cooling_share,10,1,1e-9,1e15,low,t\n",
        "down.csv",
    )
    s = common_mode_series(48, 0.5, seed=0, table=down)
    np.testing.assert_array_equal(s["site_trip_fraction"], np.ones(48))
    np.testing.assert_array_equal(s["generation_available_fraction"], np.zeros(48))
    np.testing.assert_array_equal(s["cooling_available_fraction"], np.zeros(48))


def test_n_plus_one_with_frozen_states(tmp_path):
    """MTBF = 9e15 h, MTTR = 1e15 h over 24 h: each unit keeps its start state (down with U = 0.1), so
    each seed draws a fixed count c ~ Binomial(10, 0.1) of cooling modules down. Every series must be
    constant at min(1, (10 - c)/9); the share of seeds at exactly 1 is P(c <= 1) = 0.9^10 + 10·0.1·0.9^9
    = 0.7361 (it would be P(c = 0) = 0.3487 if one module down cost capacity), at exactly 8/9 is
    P(c = 2) = 45·0.01·0.9^8 = 0.1937. Site element 3 units, 1 redundant, U = 0.5: P(trip) = 0.5.
    400 seeds: binomial standard errors sqrt(p(1-p)/400) = 0.022, 0.020, 0.025; tolerance 4σ."""
    table = _table(tmp_path, "c,cooling_share,10,1,9e15,1e15,low,t\ns,site_trip,3,1,1e15,1e15,low,t\n")
    lattice = [min(1.0, (10 - c) / 9) for c in range(11)]
    cooling, trips = [], []
    for seed in range(400):
        s = common_mode_series(24, 1.0, seed=seed, table=table)
        c, t = s["cooling_available_fraction"], s["site_trip_fraction"]
        assert np.all(c == c[0]) and np.all(t == t[0])
        assert min(abs(c[0] - v) for v in lattice) < 1e-12 and t[0] in (0.0, 1.0)
        cooling.append(c[0])
        trips.append(t[0])
    cooling = np.array(cooling)
    assert np.mean(cooling == 1.0) == pytest.approx(0.7361, abs=4 * 0.022)
    assert np.mean(np.isclose(cooling, 8 / 9, rtol=0, atol=1e-12)) == pytest.approx(0.1937, abs=4 * 0.020)
    assert np.mean(trips) == pytest.approx(0.5, abs=4 * 0.025)


def test_same_seed_same_series_other_seed_other_series():
    a = common_mode_series(20 * 8760, 1.0, seed=42)
    b = common_mode_series(20 * 8760, 1.0, seed=42)
    c = common_mode_series(20 * 8760, 1.0, seed=43)
    for name in a:
        np.testing.assert_array_equal(a[name], b[name])
        assert not np.array_equal(a[name], c[name]), name
        assert a[name].min() >= 0.0 and a[name].max() <= 1.0
    assert a["site_trip_fraction"].sum() > 0  # 20 years hold a few trips


def test_sub_hourly_series_average_to_the_hourly_ones(tmp_path):
    """Event times depend on the seed and the horizon only, so 5-min steps average to the hourly ones."""
    table = _table(tmp_path, "a,site_trip,1,0,90,10,low,t\ncool,cooling_share,4,1,60,40,low,t\n")
    hourly = common_mode_series(500, 1.0, seed=3, table=table)
    fine = common_mode_series(6000, 1.0 / 12.0, seed=3, table=table)
    for name in hourly:
        np.testing.assert_allclose(fine[name].reshape(500, 12).mean(axis=1), hourly[name], atol=1e-9)


def test_down_intervals_reproduce_the_fleet_outage_model():
    """Same stream, same draws: the common-mode timeline of the intervals, averaged over the steps, equals the
    fleet model's down unit-hours."""
    n_steps, step_h, n_units, mtbf_h, mttr_h = 3000, 1.0, 7, 120.0, 30.0
    expected = _down_unit_hours(n_steps, step_h, n_units, mtbf_h, mttr_h, np.random.default_rng(9))
    starts, ends = down_intervals(n_steps * step_h, n_units, mtbf_h, mttr_h, np.random.default_rng(9))
    times, counts = _down_count_timeline(starts, ends)
    np.testing.assert_allclose(_step_mean(times, counts.astype(float), n_steps, step_h) * step_h, expected, atol=1e-9)
    assert expected.sum() > 0


def test_streams_are_not_the_fleet_streams():
    # fleet_availability spawns keys (0,)…(4,) from the seed; these live under (COMMON_MODE_STREAM, i)
    children = np.random.SeedSequence(7, spawn_key=(COMMON_MODE_STREAM,)).spawn(5)
    fleet = np.random.SeedSequence(7).spawn(5)
    assert {c.spawn_key for c in children}.isdisjoint({f.spawn_key for f in fleet})


def test_table_without_an_effect_and_bad_arguments(tmp_path):
    table = _table(tmp_path, "a,site_trip,1,0,90,10,low,t\n")
    s = common_mode_series(10, 1.0, seed=0, table=table)
    np.testing.assert_array_equal(s["generation_available_fraction"], np.ones(10))
    np.testing.assert_array_equal(s["cooling_available_fraction"], np.ones(10))
    for kwargs, field in (
        ({"seed": -1}, "seed"),
        ({"seed": True}, "seed"),
        ({"n_steps": 0}, "n_steps"),
        ({"step_h": 0.0}, "step_h"),
    ):
        args = {"n_steps": 10, "step_h": 1.0, "seed": 0, "table": table} | kwargs
        with pytest.raises(ScenarioError, match=field):
            common_mode_series(**args)


@pytest.mark.parametrize(
    ("rows", "match"),
    [
        ("a,site_trip,1,0,-5,1,low,t\n", r"cm\.csv' line 2: mtbf_h"),
        ("a,site_trip,1,0,5,1,low,t\nb,site_trip,1,0,5,abc,low,t\n", r"line 3: mttr_h = 'abc' is not a number"),
        ("a,site_trip,2.5,0,5,1,low,t\n", r"line 2: units = '2.5' is not an integer"),
        ("a,site_trip,2,2,5,1,low,t\n", r"line 2: redundant_units = 2; allowed: 0 <= redundant_units < units"),
        ("a,grid_trip,1,0,5,1,low,t\n", r"line 2: effect = 'grid_trip'"),
        ("a,site_trip,1,0,5,1,sure,t\n", r"line 2: confidence"),
        ("a,site_trip,1,0,5,1,low,t\na,site_trip,1,0,5,1,low,t\n", r"line 3: element = 'a'"),
    ],
)
def test_malformed_table_names_file_line_and_column(tmp_path, rows, match):
    with pytest.raises(DataFileError, match=match):
        _table(tmp_path, rows)


def test_missing_column_is_named(tmp_path):
    path = tmp_path / "cm.csv"
    path.write_text("element,effect,units,mtbf_h,mttr_h,confidence,source\na,site_trip,1,5,1,low,t\n")
    with pytest.raises(DataFileError, match=r"cm\.csv': missing column\(s\) \['redundant_units'\]"):
        load_common_mode(path)
    with pytest.raises(DataFileError, match="not found"):
        load_common_mode(tmp_path / "absent.csv")
