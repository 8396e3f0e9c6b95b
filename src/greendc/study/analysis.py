"""What a finished study says: one-at-a-time sensitivities, Morris screening, Pareto fronts, near-optimal
capacity ranges and a metric against one parameter.

Every function takes the study's rows (:meth:`greendc.study.store.ResultStore.read`, one row per point; the
columns are described in :func:`greendc.study.task.run_point`) and, where the design matters, the
:class:`~greendc.study.spec.StudySpec`. A point whose plan failed (``status`` "infeasible" or "error") has no
figures: its metric is NaN here and its status is carried along in a column, never dropped silently.

The base point is the row with ``values_json == "{}"`` that is not a near-optimal direction (point 0 of an
``oat`` study; an extra point when another design asks for near-optimal alternatives).

References
----------
.. [1] Morris, M. D. (1991). Factorial sampling plans for preliminary computational experiments.
   Technometrics 33(2):161-174. doi:10.1080/00401706.1991.10484804
.. [2] Campolongo, F., Cariboni, J., Saltelli, A. (2007). An effective screening design for sensitivity
   analysis of large models. Environ. Model. Softw. 22(10):1509-1518. doi:10.1016/j.envsoft.2006.10.004
.. [3] Herman, J., Usher, W. (2017). SALib: an open-source Python library for sensitivity analysis.
   JOSS 2(9):97. doi:10.21105/joss.00097
.. [4] DeCarolis, J. F. (2011). Using modeling to generate alternatives (MGA) to expand our thinking on
   energy futures. Energy Economics 33(2):145-152. doi:10.1016/j.eneco.2010.05.002
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd

from greendc.errors import GreendcError
from greendc.scenario.models import Scenario
from greendc.study.paths import get_path
from greendc.study.spec import StudySpec
from greendc.units import PLAN_CAPACITY_UNITS

__all__ = [
    "OPTIMAL",
    "base_row",
    "design_rows",
    "morris_effects",
    "near_optimal_designs",
    "near_optimal_mask",
    "near_optimal_ranges",
    "pareto_front",
    "target_curve",
    "tornado",
]

#: Status of a point whose plan was solved (:data:`greendc.study.task.STATUSES`).
OPTIMAL = "optimal"
#: Senses a Pareto objective may take.
_SENSES = ("min", "max")


# --- rows ------------------------------------------------------------------------------------------------------


def _require(rows: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in rows.columns]
    if missing:
        shown = ", ".join(sorted(map(str, rows.columns))[:40]) or "none (no rows)"
        raise GreendcError(f"{what}: the study rows have no column {', '.join(map(repr, missing))}; columns: {shown}")


def near_optimal_mask(rows: pd.DataFrame) -> pd.Series:
    """True on the rows of near-optimal directions (``near_optimal_capacity`` set)."""
    if "near_optimal_capacity" not in rows.columns:
        return pd.Series(False, index=rows.index)
    return rows["near_optimal_capacity"].notna() & (rows["near_optimal_capacity"].astype(str) != "")


def design_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of the design's points (near-optimal directions left out), in point order."""
    out = rows[~near_optimal_mask(rows)]
    return out.sort_values("point", kind="stable") if "point" in out.columns else out


def base_row(rows: pd.DataFrame) -> pd.Series | None:
    """The base point's row (``values_json == "{}"``, not a near-optimal direction), or None if the study has
    none."""
    if "values_json" not in rows.columns or rows.empty:
        return None
    design = design_rows(rows)
    base = design[design["values_json"].astype(str).str.strip() == "{}"]
    return None if base.empty else base.iloc[0]


def _optimal(row: pd.Series | Mapping[str, Any] | None) -> bool:
    return row is not None and row.get("status") == OPTIMAL


def _metric(rows: pd.DataFrame, metric: str) -> pd.Series:
    """``metric`` as floats, NaN wherever the plan was not solved."""
    values = pd.to_numeric(rows[metric], errors="coerce").astype(float)
    return values.where(rows["status"] == OPTIMAL)


def _as_float(value: Any) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return math.nan
    return out


def _numeric(values: pd.Series) -> pd.Series | None:
    """``values`` as floats if every value given is a number (booleans are not), else None."""
    given = values.dropna()
    if any(isinstance(v, bool | np.bool_ | str) for v in given):
        return None
    out = pd.to_numeric(values, errors="coerce")
    return None if out[values.notna()].isna().any() else out.astype(float)


def _base_parameter(base: pd.Series | None, path: str) -> Any:
    """The base scenario's value at ``path`` from the base row's ``scenario_json`` (None when unknown)."""
    if base is None or not isinstance(base.get("scenario_json"), str):
        return None
    try:
        return get_path(Scenario.model_validate_json(base["scenario_json"]), path)
    except (ValueError, GreendcError):
        return None


def _sort_by_value(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """``frame`` by ``column``: numerically if every value is a number, else as given."""
    numeric = _numeric(frame[column])
    if numeric is None:
        return frame
    return frame.assign(_v=numeric.to_numpy()).sort_values("_v", kind="stable").drop(columns="_v")


# --- one at a time ---------------------------------------------------------------------------------------------


def _parameter_points(rows: pd.DataFrame, path: str, metric: str) -> pd.DataFrame:
    """The points where ``path`` takes a value, with that value, the metric and the status.

    One-at-a-time rows (``varied`` set): the points that move ``path`` plus the base point when the base
    scenario's value is known from its ``scenario_json``. Other designs: every design point with a value.
    """
    column = f"p:{path}"
    design = design_rows(rows)
    oat = "varied" in design.columns and design["varied"].notna().any()
    base = base_row(rows)
    if oat:
        chosen = design[design["varied"] == path]
    else:
        chosen = design[design[column].notna()] if column in design.columns else design.iloc[:0]
    table = pd.DataFrame(
        {
            "point": chosen["point"].to_numpy() if "point" in chosen.columns else np.arange(len(chosen)),
            "value": chosen[column].to_numpy() if column in chosen.columns else np.full(len(chosen), np.nan),
            metric: _metric(chosen, metric).to_numpy(),
            "status": chosen["status"].to_numpy(),
            "diagnosis": chosen["diagnosis"].to_numpy() if "diagnosis" in chosen.columns else "",
            "base": False,
        }
    )
    base_value = _base_parameter(base, path) if oat else None
    if base is not None and base_value is not None and not (table["value"] == base_value).any():
        base_metric = _as_float(base.get(metric)) if _optimal(base) else math.nan
        extra = pd.DataFrame(
            {
                "point": [base.get("point", 0)],
                "value": [base_value],
                metric: [base_metric],
                "status": [base.get("status")],
                "diagnosis": [base.get("diagnosis", "")],
                "base": [True],
            }
        )
        table = pd.concat([extra, table], ignore_index=True) if len(table) else extra
    table["diagnosis"] = table["diagnosis"].fillna("").astype(str)
    return _sort_by_value(table, "value").reset_index(drop=True)


def tornado(rows: pd.DataFrame, spec: StudySpec, metric: str = "cost_usd_per_mwh_it") -> pd.DataFrame:
    """One-at-a-time sensitivities of ``metric`` to each parameter of an ``oat`` study.

    For each parameter, the points that move it alone (plus the base point, when the base scenario's value
    of the parameter is known from its ``scenario_json``) are ordered by the parameter's value; the lowest and
    highest give the two ends of the parameter's bar.

    Parameters
    ----------
    rows : pandas.DataFrame
        The study's rows (columns ``point``, ``varied``, ``status``, ``p:<path>``, ``metric``).
    spec : StudySpec
        The study; its design must be ``oat``.
    metric : str
        Column of the rows to explain [its own unit, e.g. USD/MWh for ``cost_usd_per_mwh_it``].

    Returns
    -------
    pandas.DataFrame
        One row per parameter, largest ``|swing|`` first (parameters whose swing is unknown last):
        ``parameter`` (path), ``label``, ``base_value`` (the base scenario's value, None when unknown),
        ``base_metric`` (the metric at the base point), ``low_value`` and ``high_value`` (lowest and highest
        value of the parameter at a point), ``metric_at_low`` and ``metric_at_high`` [metric's unit],
        ``swing = metric_at_high - metric_at_low`` [metric's unit], ``low_status`` and ``high_status``
        (status of those points, "missing" if not run) and ``complete`` (both ends optimal). A non-optimal end
        has a NaN metric, and so a NaN swing. Values that are not numbers keep the order of the points.

    Raises
    ------
    GreendcError
        The design is not ``oat``, or a column is missing.

    Examples
    --------
    >>> from greendc.study.spec import StudySpec
    >>> spec = StudySpec(design="oat", parameters=[{"path": "finance.discount_rate", "values": [0.05, 0.1]}])
    >>> path = "finance.discount_rate"
    >>> rows = pd.DataFrame({"point": [0, 1, 2], "varied": [None, path, path], "status": ["optimal"] * 3,
    ...     "values_json": ["{}", '{"finance.discount_rate": 0.05}', '{"finance.discount_rate": 0.1}'],
    ...     "p:finance.discount_rate": [np.nan, 0.05, 0.1], "cost_usd_per_mwh_it": [70.0, 62.0, 81.0]})
    >>> print(tornado(rows, spec)["swing"].iloc[0])
    19.0
    """
    if spec.design != "oat":
        raise GreendcError(
            f"tornado: study '{spec.name}' has design '{spec.design}'; a tornado needs design 'oat' "
            "(one parameter moved at a time); use morris_effects for design 'morris'"
        )
    _require(rows, ["point", "status", "values_json", metric], "tornado")
    base = base_row(rows)
    base_metric = _as_float(base.get(metric)) if _optimal(base) else math.nan
    out = []
    for p in spec.parameters:
        pts = _parameter_points(rows, p.path, metric)
        pts = pts[pts["value"].notna()]
        row: dict[str, Any] = {
            "parameter": p.path,
            "label": p.name,
            "base_value": _base_parameter(base, p.path),
            "base_metric": base_metric,
        }
        if pts.empty:
            row |= {
                "low_value": None,
                "high_value": None,
                "metric_at_low": math.nan,
                "metric_at_high": math.nan,
                "low_status": "missing",
                "high_status": "missing",
            }
        else:
            low, high = pts.iloc[0], pts.iloc[-1]
            row |= {
                "low_value": low["value"],
                "high_value": high["value"],
                "metric_at_low": float(low[metric]),
                "metric_at_high": float(high[metric]),
                "low_status": low["status"],
                "high_status": high["status"],
            }
        row["swing"] = row["metric_at_high"] - row["metric_at_low"]
        row["complete"] = row["low_status"] == OPTIMAL and row["high_status"] == OPTIMAL
        out.append(row)
    columns = [
        "parameter",
        "label",
        "base_value",
        "base_metric",
        "low_value",
        "high_value",
        "metric_at_low",
        "metric_at_high",
        "swing",
        "low_status",
        "high_status",
        "complete",
    ]
    table = pd.DataFrame(out, columns=columns)
    order = np.argsort(-table["swing"].abs().fillna(-1.0).to_numpy(), kind="stable")
    return table.iloc[order].reset_index(drop=True)


def target_curve(rows: pd.DataFrame, path: str, metric: str = "cost_usd_per_mwh_it") -> pd.DataFrame:
    """``metric`` against the value of one parameter (a cost against a reliability or availability target).

    Parameters
    ----------
    rows : pandas.DataFrame
        The study's rows (with ``p:<path>``).
    path : str
        The parameter's scenario path (``rules.reliability_target``).
    metric : str
        Column of the rows [its own unit].

    Returns
    -------
    pandas.DataFrame
        One row per point where the parameter takes a value, by increasing value: ``point``, ``value`` (the
        parameter's value), ``metric`` [metric's unit, NaN unless optimal], ``status``, ``diagnosis``, ``base``
        (the base point, added in an ``oat`` study when the base value is known) and ``optimal`` (bool).
        In an ``oat`` study only the points that move ``path`` (and the base point) are taken; in other
        designs every design point, whatever the other parameters are.

    Raises
    ------
    GreendcError
        The rows have no ``p:<path>`` or no ``metric`` column.

    Examples
    --------
    >>> rows = pd.DataFrame({"point": [0, 1], "values_json": ['{"t": 1}', '{"t": 0.9}'],
    ...     "status": ["infeasible", "optimal"], "p:t": [1.0, 0.9], "cost_usd_per_mwh_it": [np.nan, 80.0]})
    >>> print(target_curve(rows, "t")["optimal"].tolist())
    [True, False]
    """
    _require(rows, [f"p:{path}", "point", "status", metric], "target_curve")
    table = _parameter_points(rows, path, metric)
    table["optimal"] = table["status"] == OPTIMAL
    return table


# --- Morris ----------------------------------------------------------------------------------------------------


def morris_effects(rows: pd.DataFrame, spec: StudySpec, metric: str = "cost_usd_per_mwh_it") -> pd.DataFrame:
    """Morris elementary-effects screening of ``metric`` over the parameters of a ``morris`` study.

    The points are those of :func:`greendc.study.designs.study_points` in design order (SALib's trajectory
    order, which the analysis needs), each matched to its row by ``point``, or by ``values_json`` when two
    points share a scenario and so one stored row. The inputs are the rows' ``p:<path>`` columns.

    Parameters
    ----------
    rows : pandas.DataFrame
        The study's rows.
    spec : StudySpec
        The study; its design must be ``morris`` (``levels`` and ``seed`` are passed to SALib).
    metric : str
        Column of the rows to screen [its own unit].

    Returns
    -------
    pandas.DataFrame
        Index ``parameter`` (path), in the spec's order: ``label``, ``mu``, ``mu_star``, ``sigma``,
        ``mu_star_conf`` (half-width of SALib's bootstrapped 95 % interval of ``mu_star``) [metric's unit].

    Raises
    ------
    GreendcError
        The design is not ``morris``, a point has no row yet, or a point is not optimal (every elementary
        effect needs both of its points; the message names the points and their diagnoses).

    Notes
    -----
    SALib's unscaled elementary effect of parameter :math:`i` between two points of a trajectory is

    .. math:: EE_i = \\frac{y(x + \\Delta_i e_i) - y(x)}{\\Delta}, \\quad \\Delta = \\frac{p}{2 (p - 1)}

    with :math:`\\Delta_i = \\Delta (b_i - a_i)` the step in the parameter's own unit, :math:`p` the number of
    levels and :math:`[a_i, b_i]` its range. So :math:`EE_i` is the change of the metric per unit of the
    *normalised* range: for :math:`y = c\\, x_i`, :math:`\\mu^* = |c| (b_i - a_i)`, the change of the metric
    over the whole range; parameters of different units compare directly. :math:`\\mu^*` is the mean of
    :math:`|EE_i|` (Campolongo et al. 2007) and :math:`\\sigma` their standard deviation, large when the
    parameter interacts with others or acts non-linearly (Morris 1991).
    """
    from SALib.analyze import morris

    from greendc.study.designs import morris_problem, study_points

    if spec.design != "morris":
        raise GreendcError(
            f"morris_effects: study '{spec.name}' has design '{spec.design}'; Morris screening needs "
            "design 'morris' (its trajectories); use tornado for design 'oat'"
        )
    paths = [p.path for p in spec.parameters]
    _require(rows, ["point", "status", "values_json", metric, *[f"p:{p}" for p in paths]], "morris_effects")
    design = design_rows(rows)
    by_point = {int(pt): i for i, pt in zip(design.index, design["point"], strict=True)}
    by_values = {str(v): i for i, v in zip(design.index, design["values_json"], strict=True)}
    chosen, missing = [], []
    for pt in study_points(spec):
        text = json.dumps(dict(pt.values), sort_keys=True)
        i = by_point.get(pt.index)
        if i is None or str(design.at[i, "values_json"]) != text:
            i = by_values.get(text)
        if i is None:
            missing.append(pt.index)
        else:
            chosen.append(i)
    if missing:
        raise GreendcError(
            f"morris_effects: study '{spec.name}': {len(missing)} of the design's points have no row "
            f"(points {_list(missing)}); run the study again to solve them"
        )
    table = design.loc[chosen]
    y = _metric(table, metric).to_numpy()
    bad = table[~np.isfinite(y)]
    if len(bad):
        what = "; ".join(
            f"point {int(r['point'])} {r['status']}" + _first_line(r.get("diagnosis"))
            for _, r in bad.head(10).iterrows()
        )
        raise GreendcError(
            f"morris_effects: Morris screening needs '{metric}' at every point of the design, but "
            f"{len(bad)} of {len(table)} points are not optimal ({what}"
            f"{'; …' if len(bad) > 10 else ''}); narrow the parameter ranges so that every point "
            "has a plan, or use design 'lhs'"
        )
    x = table[[f"p:{p}" for p in paths]].to_numpy(dtype=float)
    si = morris.analyze(morris_problem(spec.parameters), x, y.astype(float), num_levels=spec.levels, seed=spec.seed)
    out = pd.DataFrame(
        {
            "label": [p.name for p in spec.parameters],
            **{k: np.asarray(si[k], dtype=float) for k in ("mu", "mu_star", "sigma", "mu_star_conf")},
        },
        index=pd.Index(paths, name="parameter"),
    )
    return out


def _list(values: list[int], most: int = 20) -> str:
    return ", ".join(map(str, values[:most])) + (", …" if len(values) > most else "")


def _first_line(text: Any) -> str:
    if not isinstance(text, str) or not text.strip():
        return ""
    return f": {text.strip().splitlines()[0]}"


# --- Pareto front ----------------------------------------------------------------------------------------------


def pareto_front(rows: pd.DataFrame, objectives: Mapping[str, Literal["min", "max"]]) -> pd.DataFrame:
    """The optimal rows with a flag on those no other row dominates.

    Row :math:`a` dominates row :math:`b` when :math:`a` is at least as good as :math:`b` in every objective
    and strictly better in one. Identical rows do not dominate each other. Near-optimal alternatives count as
    designs like any other point.

    Parameters
    ----------
    rows : pandas.DataFrame
        The study's rows.
    objectives : mapping
        Column → "min" or "max", e.g. ``{"cost_usd_per_mwh_it": "min", "oos_availability": "max"}``.

    Returns
    -------
    pandas.DataFrame
        The optimal rows with a finite value of every objective (the others cannot be compared), ordered by
        the first objective (best first), with a boolean column ``on_front``; the front is
        ``out[out["on_front"]]``.

    Raises
    ------
    GreendcError
        No objective, a sense that is not "min" or "max", or a missing column.

    Examples
    --------
    >>> rows = pd.DataFrame({"status": ["optimal"] * 3, "cost": [1.0, 2.0, 3.0], "land": [5.0, 1.0, 2.0]})
    >>> print(pareto_front(rows, {"cost": "min", "land": "min"})["on_front"].tolist())
    [True, True, False]
    """
    if not objectives:
        raise GreendcError("pareto_front: give at least one objective, e.g. {'cost_usd_per_mwh_it': 'min'}")
    for column, sense in objectives.items():
        if sense not in _SENSES:
            raise GreendcError(f"pareto_front: objective {column!r} has sense {sense!r}; allowed: 'min', 'max'")
    _require(rows, ["status", *objectives], "pareto_front")
    values = np.column_stack([_metric(rows, c).to_numpy() for c in objectives])
    keep = np.isfinite(values).all(axis=1)
    table = rows[keep].copy()
    signs = np.array([1.0 if s == "min" else -1.0 for s in objectives.values()])
    cost = values[keep] * signs  # every objective minimised
    no_worse = (cost[:, None, :] <= cost[None, :, :]).all(axis=2)  # [a, b]: a no worse than b everywhere
    better = (cost[:, None, :] < cost[None, :, :]).any(axis=2)
    dominated = (no_worse & better).any(axis=0)
    table["on_front"] = ~dominated
    order = np.argsort(cost[:, 0], kind="stable") if len(cost) else np.array([], dtype=int)
    return table.iloc[order]


# --- near-optimal alternatives ---------------------------------------------------------------------------------


def _near_rows(rows: pd.DataFrame, what: str) -> tuple[pd.DataFrame, pd.Series]:
    near = rows[near_optimal_mask(rows)]
    if near.empty:
        raise GreendcError(f"{what}: the study has no near-optimal rows (set near_optimal in the study file)")
    base = base_row(rows)
    if base is None:
        raise GreendcError(
            f"{what}: the study has no base point (values_json '{{}}'), which the near-optimal "
            "alternatives are measured from"
        )
    return near.sort_values("point", kind="stable") if "point" in near.columns else near, base


def _capacities(rows: pd.DataFrame) -> list[str]:
    return [c for c in PLAN_CAPACITY_UNITS if c in rows.columns]


def near_optimal_ranges(rows: pd.DataFrame) -> pd.DataFrame:
    """How far each capacity can move within ``epsilon`` of the least cost (modelling to generate
    alternatives, DeCarolis 2011).

    Parameters
    ----------
    rows : pandas.DataFrame
        The study's rows: the base point and the near-optimal directions (``near_optimal_capacity``,
        ``near_optimal_sense``, ``epsilon``).

    Returns
    -------
    pandas.DataFrame
        Index ``capacity`` (each capacity moved, in the order of :data:`greendc.units.PLAN_CAPACITY_UNITS`):
        ``unit``; ``optimum`` (the least-cost design's capacity); ``min`` and ``max`` (the capacity when
        minimised and maximised within ``epsilon``, NaN if that direction did not solve) [unit];
        ``min_status``, ``max_status`` ("missing" if not run); ``optimum_cost_usd_per_mwh_it``,
        ``min_cost_usd_per_mwh_it``, ``max_cost_usd_per_mwh_it`` [USD/MWh of IT energy];
        ``min_objective_usd_per_yr``, ``max_objective_usd_per_yr`` [USD/yr]; ``epsilon`` [-].

    Raises
    ------
    GreendcError
        No near-optimal rows, or no base point.

    See Also
    --------
    near_optimal_designs : every capacity of each of these designs.
    """
    near, base = _near_rows(rows, "near_optimal_ranges")
    _require(rows, ["near_optimal_sense", "status"], "near_optimal_ranges")
    order = {c: i for i, c in enumerate(PLAN_CAPACITY_UNITS)}
    capacities = sorted(dict.fromkeys(near["near_optimal_capacity"].astype(str)), key=lambda c: order.get(c, 999))
    base_ok = _optimal(base)
    out = []
    for cap in capacities:
        row: dict[str, Any] = {
            "capacity": cap,
            "unit": PLAN_CAPACITY_UNITS.get(cap, ""),
            "optimum": _as_float(base.get(cap)) if base_ok else math.nan,
            "optimum_cost_usd_per_mwh_it": _as_float(base.get("cost_usd_per_mwh_it")) if base_ok else math.nan,
        }
        eps = math.nan
        for sense in _SENSES:
            match = near[(near["near_optimal_capacity"] == cap) & (near["near_optimal_sense"] == sense)]
            r = match.iloc[0] if len(match) else None
            ok = _optimal(r)
            row[sense] = _as_float(r.get(cap)) if ok and cap in r.index else math.nan
            row[f"{sense}_status"] = r.get("status") if r is not None else "missing"
            row[f"{sense}_cost_usd_per_mwh_it"] = _as_float(r.get("cost_usd_per_mwh_it")) if ok else math.nan
            row[f"{sense}_objective_usd_per_yr"] = _as_float(r.get("objective_usd_per_yr")) if ok else math.nan
            if r is not None and math.isnan(eps):
                eps = _as_float(r.get("epsilon"))
        row["epsilon"] = eps
        out.append(row)
    columns = [
        "capacity",
        "unit",
        "optimum",
        "min",
        "max",
        "min_status",
        "max_status",
        "optimum_cost_usd_per_mwh_it",
        "min_cost_usd_per_mwh_it",
        "max_cost_usd_per_mwh_it",
        "min_objective_usd_per_yr",
        "max_objective_usd_per_yr",
        "epsilon",
    ]
    return pd.DataFrame(out, columns=columns).set_index("capacity")


def near_optimal_designs(rows: pd.DataFrame) -> pd.DataFrame:
    """The full design of the least-cost point and of each near-optimal direction (for a parallel-coordinates
    or bar chart of the alternatives).

    Parameters
    ----------
    rows : pandas.DataFrame
        As :func:`near_optimal_ranges`.

    Returns
    -------
    pandas.DataFrame
        Index ``design`` ("least cost", then "<capacity> min" / "<capacity> max" in point order): ``capacity``
        and ``sense`` (None for the least-cost design), ``status``, every capacity column of the rows (as
        :data:`greendc.units.PLAN_CAPACITY_UNITS`) [MW, MWh, m³/h, m³], ``cost_usd_per_mwh_it`` [USD/MWh],
        ``objective_usd_per_yr`` [USD/yr] and, when present, ``land_km2`` [km²], ``water_m3_per_yr`` [m³/yr]
        and ``oos_availability`` [-]. Figures are NaN where the design did not solve.

    Raises
    ------
    GreendcError
        No near-optimal rows, or no base point.
    """
    near, base = _near_rows(rows, "near_optimal_designs")
    figures = [
        *_capacities(rows),
        *[
            c
            for c in ("cost_usd_per_mwh_it", "objective_usd_per_yr", "land_km2", "water_m3_per_yr", "oos_availability")
            if c in rows.columns
        ],
    ]
    both = pd.concat([base.to_frame().T, near])
    out = pd.DataFrame(
        {
            "capacity": [None, *near["near_optimal_capacity"].astype(str)],
            "sense": [None, *near["near_optimal_sense"]] if "near_optimal_sense" in near.columns else None,
            "status": both["status"].to_numpy(),
        }
    )
    for c in figures:
        out[c] = _metric(both, c).to_numpy()
    out.index = pd.Index(
        ["least cost", *[f"{c} {s}" for c, s in zip(out["capacity"][1:], out["sense"][1:], strict=True)]], name="design"
    )
    return out
