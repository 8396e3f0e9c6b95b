"""Resource uncertainty: P50 and P90 resource years, and how the least-cost plan moves with the resource level.

An energy-yield assessment states the yield exceeded with 50 % and 90 % probability (P50, P90) over the
years a plant may see. :func:`annual_yields` gives the annual capacity factors of a multi-year profiles table,
:func:`resource_levels` their P50 and P90 (empirical, and under the normal law usual in yield assessments), and
:func:`resource_sensitivity` solves the plan again with the PV, the wind, or both scaled from the design year's
level to their P90, so that the cost of a poor resource year is a number, not a guess.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from greendc.errors import ScenarioError
from greendc.plan.inputs import PlanInputs
from greendc.plan.result import PlanResult
from greendc.plan.solve import SolveOptions, solve

__all__ = ["RESOURCE_COLUMNS", "annual_yields", "resource_levels", "resource_sensitivity"]

#: Profile columns whose annual mean is a resource level (AC output per MW installed [MW/MW]).
RESOURCE_COLUMNS: tuple[str, ...] = ("pv_cf", "wind_cf", "csp_th_cf")


def annual_yields(profiles: pd.DataFrame) -> pd.DataFrame:
    """Mean capacity factor of each resource column in each whole calendar year (UTC) [MW/MW].

    Parameters
    ----------
    profiles : pandas.DataFrame
        Profiles table (:func:`greendc.assets.profiles.build_profiles`) on a regular UTC index; uses the
        columns of :data:`RESOURCE_COLUMNS` it has.

    Returns
    -------
    pandas.DataFrame
        One row per calendar year that the table covers entirely (index ``year``), one column per resource.

    Raises
    ------
    ScenarioError
        The table covers no whole calendar year.
    """
    cols = [c for c in RESOURCE_COLUMNS if c in profiles.columns]
    step = profiles.index[1] - profiles.index[0]
    years = profiles.index.year
    counts = pd.Series(1, index=profiles.index).groupby(years).sum()
    full = [y for y, n in counts.items() if n * step == pd.Timestamp(y + 1, 1, 1) - pd.Timestamp(y, 1, 1)]
    if not full:
        raise ScenarioError(
            f"resource years: the profiles cover {profiles.index[0]} to {profiles.index[-1]}, no whole calendar "
            "year; give at least one"
        )
    annual = profiles[cols].groupby(years).mean().loc[full]
    annual.index.name = "year"
    return annual


def resource_levels(annual: pd.DataFrame, probabilities: tuple[float, ...] = (0.5, 0.9)) -> pd.DataFrame:
    """P50, P90 (exceedance) levels of each resource over the years of ``annual``.

    Parameters
    ----------
    annual : pandas.DataFrame
        :func:`annual_yields` (one row per year).
    probabilities : tuple of float
        Exceedance probabilities [-]; ``0.9`` gives the level exceeded in 90 % of years (P90).

    Returns
    -------
    pandas.DataFrame
        One row per resource: ``years``, ``mean``, ``sd``, ``cv``, and for each probability ``p`` (as
        ``P50``, ``P90`` …) the empirical level (the ``1 - p`` quantile, linear interpolation), the
        normal-law level ``mean × (1 − z_p cv)`` (``P90_normal``) and the year closest to the empirical
        level (``P90_year``).

    Notes
    -----
    The normal law with :math:`z_{0.9} = 1.2816` is the convention of wind and solar yield assessments
    (e.g. IEC 61400-15 drafts; Dobos, Gilman & Kasberg, "P50/P90 analysis for solar energy systems using
    the System Advisor Model", NREL/CP-6A20-54488, 2012); with few years the empirical quantile is noisy
    and the normal level is the steadier of the two.

    Examples
    --------
    >>> annual = pd.DataFrame({"pv_cf": [0.20, 0.21, 0.22, 0.23, 0.24]}, index=range(2030, 2035))
    >>> levels = resource_levels(annual)
    >>> round(float(levels.loc["pv_cf", "P90"]), 4), int(levels.loc["pv_cf", "P90_year"])
    (0.204, 2030)
    """
    rows = {}
    for col in annual.columns:
        values = annual[col].to_numpy(dtype=float)
        mean, sd = float(values.mean()), float(values.std(ddof=1)) if len(values) > 1 else 0.0
        row: dict[str, Any] = {"years": len(values), "mean": mean, "sd": sd, "cv": sd / mean if mean > 0 else np.nan}
        for p in probabilities:
            name = f"P{round(100 * p)}"
            level = float(np.quantile(values, 1.0 - p))
            row[name] = level
            row[f"{name}_normal"] = mean * (1.0 - float(stats.norm.ppf(p)) * row["cv"]) if mean > 0 else 0.0
            row[f"{name}_year"] = int(annual.index[int(np.argmin(np.abs(values - level)))])
        rows[col] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def resource_sensitivity(
    inputs: PlanInputs,
    plan: PlanResult,
    levels: pd.DataFrame,
    probability: str = "P90",
    options: SolveOptions | None = None,
) -> pd.DataFrame:
    """The plan solved again with PV, wind, or both scaled from the design year's level to ``probability``.

    Parameters
    ----------
    inputs : PlanInputs
        The inputs ``plan`` was solved from (its design year or years).
    plan : PlanResult
        The least-cost plan on ``inputs``.
    levels : pandas.DataFrame
        :func:`resource_levels`; rows ``pv_cf`` and ``wind_cf``.
    probability : str
        Column of ``levels`` to scale to (``'P90'``, ``'P90_normal'``, ``'P50'`` …).
    options : SolveOptions, optional
        Solver options of the re-solves.

    Returns
    -------
    pandas.DataFrame
        One row per case (``design weather``, ``PV at P90``, ``wind at P90``, ``PV and wind at P90``):
        ``pv_factor``, ``wind_factor`` (the scaling of the hourly profile [-]), ``cost_usd_per_mwh_it``,
        ``cost_change_fraction`` (from the design plan), and the capacities (``pv_mw``, ``wind_mw``,
        ``battery_mwh`` …).

    Notes
    -----
    The factor is ``level / mean(cf of the design weather)``; the hourly shape is kept and the wind
    capacity factor is capped at 1. Scaling the shape is the usual first-order treatment of a resource
    level; a poor year's weather also changes its shape (longer lulls), which the out-of-sample check on
    unseen years covers.
    """
    missing = [c for c in ("pv_cf", "wind_cf") if c not in levels.index]
    if missing or probability not in levels.columns:
        raise ScenarioError(
            f"resource sensitivity: levels need rows pv_cf and wind_cf and a column '{probability}'; "
            f"got rows {list(levels.index)}, columns {list(levels.columns)}"
        )
    weights = inputs.weights_h / inputs.weights_h.sum()
    factor = {
        c: float(levels.loc[c, probability]) / float((getattr(inputs, c) * weights).sum()) for c in ("pv_cf", "wind_cf")
    }
    label = probability.split("_")[0]
    cases = {
        "design weather": (1.0, 1.0),
        f"PV at {label}": (factor["pv_cf"], 1.0),
        f"wind at {label}": (1.0, factor["wind_cf"]),
        f"PV and wind at {label}": (factor["pv_cf"], factor["wind_cf"]),
    }
    rows = {}
    for name, (f_pv, f_wind) in cases.items():
        result = (
            plan
            if (f_pv, f_wind) == (1.0, 1.0)
            else solve(
                replace(inputs, pv_cf=inputs.pv_cf * f_pv, wind_cf=np.minimum(inputs.wind_cf * f_wind, 1.0)), options
            )
        )
        rows[name] = {
            "pv_factor": f_pv,
            "wind_factor": f_wind,
            "cost_usd_per_mwh_it": result.cost_usd_per_mwh_it,
            "cost_change_fraction": result.cost_usd_per_mwh_it / plan.cost_usd_per_mwh_it - 1.0,
            **{k: float(v) for k, v in result.capacities.items()},
        }
    return pd.DataFrame.from_dict(rows, orient="index")
