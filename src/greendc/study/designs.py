"""The points of a study: one-at-a-time, full grid, a given list, Latin hypercube and Morris trajectories.

Each point is a mapping of scenario path to value (:mod:`greendc.study.paths`). The one-at-a-time design
(``oat``) starts from the base scenario (point 0, no change) and moves each parameter alone through its
values: the tornado chart of :mod:`greendc.study.analysis`. Latin hypercube samples come from
:class:`scipy.stats.qmc.LatinHypercube` (McKay et al. 1979) and Morris trajectories from SALib
(Morris 1991; Campolongo et al. 2007), in SALib's order, which its analysis expects.

References
----------
.. [1] McKay, M. D., Beckman, R. J., Conover, W. J. (1979). A comparison of three methods for selecting values
   of input variables in the analysis of output from a computer code. Technometrics 21(2):239-245.
.. [2] Morris, M. D. (1991). Factorial sampling plans for preliminary computational experiments.
   Technometrics 33(2):161-174. doi:10.1080/00401706.1991.10484804
.. [3] Campolongo, F., Cariboni, J., Saltelli, A. (2007). An effective screening design for sensitivity
   analysis of large models. Environ. Model. Softw. 22(10):1509-1518.
.. [4] Herman, J., Usher, W. (2017). SALib: an open-source Python library for sensitivity analysis. JOSS 2(9):97.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from greendc.study.spec import Parameter, StudySpec


@dataclass(frozen=True)
class Point:
    """One point of a study.

    Attributes
    ----------
    index : int
        Position in the design (Morris analysis reads the points in this order).
    values : dict
        Scenario path → value; empty for the base scenario.
    varied : str or None
        ``oat``: the path moved at this point (None at the base point).
    """

    index: int
    values: dict[str, Any] = field(default_factory=dict)
    varied: str | None = None


def _cast(p: Parameter, value: float) -> float | int:
    return int(np.rint(value)) if p.integer else float(value)


def _scale(unit: np.ndarray, params: list[Parameter]) -> np.ndarray:
    low = np.array([p.low for p in params], dtype=float)
    high = np.array([p.high for p in params], dtype=float)
    return low + unit * (high - low)


def morris_problem(params: list[Parameter]) -> dict[str, Any]:
    """The SALib problem of a Morris study: names (paths) and bounds."""
    return {
        "num_vars": len(params),
        "names": [p.path for p in params],
        "bounds": [[float(p.low), float(p.high)] for p in params],
    }


def study_points(spec: StudySpec) -> list[Point]:
    """The points of ``spec`` in design order (see the module docstring)."""
    params = spec.parameters
    if spec.design == "oat":
        points = [Point(0)]
        for p in params:
            points += [Point(len(points) + i, {p.path: v}, p.path) for i, v in enumerate(p.values or [])]
        return points
    if spec.design == "grid":
        combos = itertools.product(*[p.values or [] for p in params])
        return [Point(i, dict(zip([p.path for p in params], c, strict=True))) for i, c in enumerate(combos)]
    if spec.design == "list":
        return [Point(i, dict(values)) for i, values in enumerate(spec.points or [])]
    if spec.design == "lhs":
        from scipy.stats import qmc

        sample = _scale(qmc.LatinHypercube(d=len(params), seed=spec.seed).random(spec.samples), params)
    else:
        from SALib.sample import morris

        sample = morris.sample(morris_problem(params), N=spec.samples, num_levels=spec.levels, seed=spec.seed)
    return [Point(i, {p.path: _cast(p, x) for p, x in zip(params, row, strict=True)}) for i, row in enumerate(sample)]


__all__ = ["Point", "morris_problem", "study_points"]
