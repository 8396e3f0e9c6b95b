"""Warm start of the design LP from the optimal basis of the same LP on coarser time steps.

The design LP on ``k``-hour blocks (:func:`~greendc.plan.aggregate.aggregate_time`) has the same variables
and constraints as the hourly LP, each time-indexed one ``k`` times shorter. Its optimal simplex basis says,
for every block, which dispatch variables are strictly between their bounds (basic) and which constraints
are slack; copying that status to each hour of the block gives a starting basis for the hourly LP that is
close to its optimum (basis disaggregation). The dual simplex then only repairs what the hours inside a
block change, instead of starting from the all-slack basis.

The answer is the hourly LP's own optimum: the coarse solve only chooses where the simplex starts.
Measured on the default Dakhla scenario, 1 weather year (2-core machine, HiGHS dual simplex,
``python benchmarks/bench_plan_pypsa.py --warm-start``): 69 978 iterations cold, 9 192 from the 2-hour
basis (plus 32 036 for the 2-hour LP, which is four times smaller), the same optimum.

A simplex basis has exactly one basic variable per row. Scalars (the capacities) are basic once in both
LPs while time-indexed statuses are copied ``k`` times, so the copied basis has a few basic variables too
many or too few; row slacks are made basic or nonbasic to restore the count, and HiGHS replaces any
column that leaves the basis singular by a slack when it factorises the basis.
"""

from __future__ import annotations

import highspy
import linopy
import numpy as np

from greendc.plan.parts import STEP

_BASIC = int(highspy.HighsBasisStatus.kBasic)
_LOWER = int(highspy.HighsBasisStatus.kLower)
_UPPER = int(highspy.HighsBasisStatus.kUpper)
_ZERO = int(highspy.HighsBasisStatus.kZero)


def _coarse_labels(fine: np.ndarray, coarse: np.ndarray, dims: tuple[str, ...], k: int) -> np.ndarray:
    """The coarse label of each fine entry: step ``t`` of the fine model lies in block ``t // k``."""
    if STEP not in dims:
        return coarse
    axis = dims.index(STEP)
    return np.take(coarse, np.arange(fine.shape[axis]) // k, axis=axis)


def _copy_status(
    fine_items: linopy.Variables | linopy.Constraints,
    coarse_items: linopy.Variables | linopy.Constraints,
    fine_order: np.ndarray,
    coarse_order: np.ndarray,
    coarse_status: np.ndarray,
    out: np.ndarray,
    k: int,
) -> None:
    """Write into ``out`` (fine solver order) the coarse status of the block each fine entry lies in."""
    for name in fine_items:
        fine = np.asarray(fine_items[name].labels.values)
        coarse = _coarse_labels(fine, np.asarray(coarse_items[name].labels.values), fine_items[name].labels.dims, k)
        ok = (fine >= 0) & (coarse >= 0)
        out[np.searchsorted(fine_order, fine[ok])] = coarse_status[np.searchsorted(coarse_order, coarse[ok])]


def fine_basis(
    fine: linopy.Model, coarse: linopy.Model, coarse_basis: highspy.HighsBasis, steps_per_block: int
) -> highspy.HighsBasis:
    """Starting basis of ``fine`` from the optimal basis of ``coarse``, its LP on blocks of steps.

    Parameters
    ----------
    fine : linopy.Model
        The design LP on the original steps.
    coarse : linopy.Model
        The design LP of the same inputs aggregated by ``steps_per_block`` (same variables and
        constraints), solved by the simplex.
    coarse_basis : highspy.HighsBasis
        The optimal basis of ``coarse`` (``Highs.getBasis()``), in linopy's solver order.
    steps_per_block : int
        Steps of ``fine`` per step of ``coarse``.

    Returns
    -------
    highspy.HighsBasis
        A basis of ``fine`` with one basic variable per row, in linopy's solver order.
    """
    k = int(steps_per_block)
    fine_cols, fine_rows = np.asarray(fine.matrices.vlabels), np.asarray(fine.matrices.clabels)
    coarse_col_status = np.array([int(s) for s in coarse_basis.col_status])
    coarse_row_status = np.array([int(s) for s in coarse_basis.row_status])
    lower = np.asarray(fine.matrices.lb)
    col_status = np.where(np.isfinite(lower), _LOWER, _ZERO)
    row_status = np.full(fine_rows.size, _BASIC)
    _copy_status(
        fine.variables,
        coarse.variables,
        fine_cols,
        np.asarray(coarse.matrices.vlabels),
        coarse_col_status,
        col_status,
        k,
    )
    _copy_status(
        fine.constraints,
        coarse.constraints,
        fine_rows,
        np.asarray(coarse.matrices.clabels),
        coarse_row_status,
        row_status,
        k,
    )
    _repair_count(fine, col_status, row_status)
    basis = highspy.HighsBasis()
    basis.col_status = [highspy.HighsBasisStatus(int(s)) for s in col_status]
    basis.row_status = [highspy.HighsBasisStatus(int(s)) for s in row_status]
    basis.valid = True
    return basis


def _repair_count(fine: linopy.Model, col_status: np.ndarray, row_status: np.ndarray) -> None:
    """Make or unmake basic row slacks (in place) until there is one basic variable per row."""
    excess = int((col_status == _BASIC).sum() + (row_status == _BASIC).sum()) - row_status.size
    if excess > 0:
        # a nonbasic row sits at a finite side: ``≤`` rows (no finite lower side) at their upper side
        rows = np.flatnonzero(row_status == _BASIC)[:excess]
        at_upper = np.asarray(fine.matrices.sense)[rows] == "<"
        row_status[rows] = np.where(at_upper, _UPPER, _LOWER)
    elif excess < 0:
        row_status[np.flatnonzero(row_status != _BASIC)[:-excess]] = _BASIC
