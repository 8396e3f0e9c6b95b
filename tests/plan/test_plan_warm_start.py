"""Warm start of the hourly LP from the basis of its LP on blocks of hours (greendc.plan.warm_start)."""

from __future__ import annotations

from dataclasses import replace

import highspy
import numpy as np
import pandas as pd
import pytest
from tests.plan.test_plan_model import small_full_inputs

from greendc.plan.aggregate import aggregate_time
from greendc.plan.highs import solve_model
from greendc.plan.model import build_model
from greendc.plan.result import SolveStatus
from greendc.plan.solve import SolveOptions, solve
from greendc.plan.warm_start import fine_basis

COLD = SolveOptions(warm_start_block=None)
WARM = SolveOptions(warm_start_block=2, warm_start_min_steps=0)


def two_weeks():
    """Three varied days (sun, wind, PUE, a flexible class, battery and hydrogen) repeated to 14 days,
    with some noise so that no two days are the same."""
    base = small_full_inputs(reserve_fraction=0.1)
    n = 14 * 24
    rng = np.random.default_rng(11)
    tile = np.resize(np.arange(base.n_steps), n)
    pv = np.clip(base.pv_cf[tile] * rng.uniform(0.7, 1.1, n), 0, 1)
    wind = np.clip(base.wind_cf[tile] * rng.uniform(0.5, 1.3, n), 0, 1)
    workloads = tuple(
        replace(w, requested_mw=w.requested_mw[tile], min_mw=w.min_mw[tile], max_mw=w.max_mw[tile])
        for w in base.workloads
    )
    return replace(
        base,
        index=pd.date_range(base.index[0], periods=n, freq="h"),
        weights_h=np.ones(n),
        pv_cf=pv,
        wind_cf=wind,
        workloads=workloads,
        horizon_years=n / 8760,
        pue=base.pue[tile],
        desalination_mwh_per_mwh_it=base.desalination_mwh_per_mwh_it[tile],
        water_m3_per_mwh_it=base.water_m3_per_mwh_it[tile],
        auxiliary_mw=base.auxiliary_mw[tile],
    )


def statuses(values) -> np.ndarray:
    return np.array([int(s) for s in values])


def test_fine_basis_copies_each_block_status_to_its_hours_and_has_one_basic_per_row():
    inputs = two_weeks()
    coarse = solve_model(aggregate_time(inputs, 2), COLD)
    assert coarse.status is SolveStatus.OPTIMAL
    fine = build_model(inputs)
    basis = fine_basis(fine, coarse.model, coarse.model.solver_model.getBasis(), 2)
    cols, rows = statuses(basis.col_status), statuses(basis.row_status)
    coarse_cols = statuses(coarse.model.solver_model.getBasis().col_status)
    assert cols.size == fine.matrices.vlabels.size and rows.size == fine.matrices.clabels.size
    basic = int(highspy.HighsBasisStatus.kBasic)
    assert (cols == basic).sum() + (rows == basic).sum() == rows.size
    # columns are copied as they are (only row slacks are changed to fix the count): hours 2b and 2b+1
    # of the hourly LP take the status of block b of the 2-hour LP; capacities keep theirs
    fine_order, coarse_order = fine.matrices.vlabels, coarse.model.matrices.vlabels
    for name in ("battery_soc_mwh", "h2_level_mwh", "it_training_mw", "capacity_pv_mw", "capacity_battery_mwh"):
        f = np.atleast_1d(fine.variables[name].labels.values)
        c = np.atleast_1d(coarse.model.variables[name].labels.values)
        c_of_f = c[np.arange(f.size) // 2] if f.size > 1 else c
        np.testing.assert_array_equal(
            cols[np.searchsorted(fine_order, f)], coarse_cols[np.searchsorted(coarse_order, c_of_f)]
        )
    h = build_model(inputs).to_highspy()
    assert h.setBasis(basis) == highspy.HighsStatus.kOk


def test_warm_start_reaches_the_cold_optimum_in_fewer_iterations():
    inputs = two_weeks()
    cold = solve(inputs, COLD)
    warm = solve(inputs, WARM)
    assert cold.provenance.details["warm_start_block"] is None
    assert warm.provenance.details["warm_start_block"] == 2
    # the warm start only moves where the simplex starts: same optimum
    assert warm.objective_usd_per_yr == pytest.approx(cold.objective_usd_per_yr, rel=1e-9)
    assert warm.capacities["electrolyser_mw"] + warm.capacities["battery_mwh"] > 0
    # and the hourly simplex used the basis (a basis HiGHS rejected would give the cold count)
    assert warm.provenance.details["simplex_iterations"] < cold.provenance.details["simplex_iterations"]


def test_warm_start_is_skipped_where_it_cannot_apply():
    inputs = two_weeks()
    assert solve_model(inputs, SolveOptions()).warm_start_block is None  # 336 steps < 8 000
    assert solve_model(inputs, replace(WARM, warm_start_max_steps=300)).warm_start_block is None
    assert solve_model(inputs, replace(WARM, solver="ipx")).warm_start_block is None
    assert solve_model(inputs, WARM, elastic=True).warm_start_block is None
