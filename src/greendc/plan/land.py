"""Land by kind: the exclusive (direct) footprint of each technology, the wind farm's spacing area, and the
site's total (outer) area, from capacities and land per unit of capacity.

Two areas per unit of capacity ``i`` [km² per MW, MW_th or MWh]:

* ``a_i`` — total area: all land inside the plant's boundary (``PlanRules.land_km2_per_unit``).
* ``d_i ≤ a_i`` — direct area: land the plant occupies exclusively (``PlanRules.direct_land_km2_per_unit``;
  a capacity without an entry there is exclusive over its whole area, ``d_i = a_i``).

A PV plant or a CSP field is fenced and closed to other uses, so all of its land counts as direct: the shipped
PV figure is the total (site boundary) area of [2]_, which also reports a smaller direct area (arrays, access
roads, substations, buildings) that leaves out fenced land between them. A wind farm's direct area is the
permanently disturbed land of turbine pads, roads and substations, 0.3 ± 0.3 ha/MW against a total project
area of 34.5 ± 22.4 ha/MW [1]_: the land between the turbines (spacing) stays usable for grazing, crops or PV.

.. math::
    A^{direct}_i = d_i P_i, \\qquad A^{spacing} = \\sum_i (a_i - d_i) P_i

    A^{total} = \\sum_i a_i P_i = \\sum_i A^{direct}_i + A^{spacing}

With PV between turbines (``PlanRules.pv_between_turbines``) every exclusive footprint (PV arrays, CSP
field) may lie in the spacing area of the capacities that have one (the wind farm), so the site is as
large as the wind farm's outer area or the sum of all direct footprints, whichever is larger:

.. math::
    A^{total} = \\max\\Big(\\sum_i d_i P_i, \\; \\sum_{i: d_i < a_i} a_i P_i\\Big)

A land limit ``A^{total} ≤ A^{max}`` is then linear as two rows (:func:`land_limit_rows`):
``Σ_i d_i P_i ≤ A^{max}`` and ``Σ_{i: d_i < a_i} a_i P_i ≤ A^{max}``.

References
----------
.. [1] Denholm, P., Hand, M., Jackson, M., Ong, S. (2009). Land-Use Requirements of Modern Wind Power Plants
   in the United States. NREL/TP-6A2-45834, National Renewable Energy Laboratory, Golden, CO.
.. [2] Ong, S., Campbell, C., Denholm, P., Margolis, R., Heath, G. (2013). Land-Use Requirements for Solar
   Power Plants in the United States. NREL/TP-6A20-56290, National Renewable Energy Laboratory, Golden, CO
   (direct area: arrays, access roads, substations, service buildings; total area: the site boundary).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from greendc.plan.inputs import COMPONENT_CAPACITY, PlanRules

#: Technology (cost-table row) of each capacity that may use land, the keys of ``land_by_kind_km2["direct"]``.
TECHNOLOGY_OF_CAPACITY: dict[str, str] = {capacity: tech for tech, capacity in COMPONENT_CAPACITY.items()}


def direct_land_per_unit(rules: PlanRules) -> dict[str, float]:
    """Direct (exclusive) land per unit of each capacity with land [km²/unit]: ``d_i``, or ``a_i`` if unset."""
    return {k: rules.direct_land_km2_per_unit.get(k, a) for k, a in rules.land_km2_per_unit.items()}


def spaced_capacities(rules: PlanRules) -> tuple[str, ...]:
    """Capacities whose total area exceeds their direct area (``d_i < a_i``): those with spacing (wind)."""
    direct = direct_land_per_unit(rules)
    return tuple(k for k, a in rules.land_km2_per_unit.items() if direct[k] < a)


def land_limit_rows(rules: PlanRules) -> list[dict[str, float]]:
    """Coefficients of the linear rows ``Σ_i c_i P_i ≤ A^{max}`` that together say ``A^{total} ≤ A^{max}``.

    Parameters
    ----------
    rules : PlanRules
        Land per unit (total and direct) and ``pv_between_turbines``.

    Returns
    -------
    list of dict
        ``{capacity name: c_i}`` [km²/unit], zero coefficients left out: one row ``a_i`` without PV between
        turbines; with it, the direct row ``d_i`` and, when a capacity has spacing, the outer-area row ``a_i``
        over those capacities.
    """
    if not rules.pv_between_turbines:
        return [{k: a for k, a in rules.land_km2_per_unit.items() if a > 0}]
    rows = [{k: d for k, d in direct_land_per_unit(rules).items() if d > 0}]
    spaced = spaced_capacities(rules)
    if spaced:
        rows.append({k: rules.land_km2_per_unit[k] for k in spaced})
    return rows


def direct_km2(capacities: Mapping[str, float], rules: PlanRules) -> dict[str, float]:
    """Exclusive footprint of each technology with land [km²]: ``d_i P_i``, keyed by technology (``pv``,
    ``wind``, ``csp_field``…); capacities absent from ``capacities`` count as 0."""
    return {
        TECHNOLOGY_OF_CAPACITY.get(k, k): d * float(capacities.get(k, 0.0))
        for k, d in direct_land_per_unit(rules).items()
    }


def spacing_km2(capacities: Mapping[str, float], rules: PlanRules) -> float:
    """Area between the turbines [km²]: ``Σ_i (a_i − d_i) P_i``, still usable for grazing or PV."""
    direct = direct_land_per_unit(rules)
    return float(sum((a - direct[k]) * float(capacities.get(k, 0.0)) for k, a in rules.land_km2_per_unit.items()))


def total_km2(capacities: Mapping[str, float], rules: PlanRules) -> float:
    """The site's outer area [km²]: the largest left-hand side of :func:`land_limit_rows` (their sum without PV
    between turbines, which is a single row)."""
    return max(
        (float(sum(c * float(capacities.get(k, 0.0)) for k, c in row.items())) for row in land_limit_rows(rules)),
        default=0.0,
    )


def land_by_kind_km2(capacities: Mapping[str, float], rules: PlanRules) -> dict[str, Any]:
    """``{"direct": {technology: km²}, "spacing": km², "total": km²}`` of a design [km²].

    ``total`` is ``Σ direct + spacing`` without PV between turbines; with it, the PV and CSP footprints
    may lie in the spacing, so ``total`` can be less than that sum (never less than ``Σ direct``).
    """
    return {
        "direct": direct_km2(capacities, rules),
        "spacing": spacing_km2(capacities, rules),
        "total": total_km2(capacities, rules),
    }


__all__ = [
    "TECHNOLOGY_OF_CAPACITY",
    "direct_km2",
    "direct_land_per_unit",
    "land_by_kind_km2",
    "land_limit_rows",
    "spaced_capacities",
    "spacing_km2",
    "total_km2",
]
