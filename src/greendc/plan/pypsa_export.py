"""The solved design as a PyPSA network, for users who continue in the PyPSA ecosystem.

PyPSA is imported lazily: it is an optional dependency (``pip install "greendc[pypsa]"``).

Mapping (one AC bus ``site``; ``battery`` and ``H2`` buses for the stores):

* PV and wind: ``Generator`` with ``p_max_pu`` = capacity factor, ``p_nom`` = the optimal capacity;
* battery: ``Store`` (``e_nom`` MWh) with a ``battery charger`` and a ``battery discharger`` ``Link``, each
  ``sqrt``-split efficiency; the discharger's ``p_nom`` is on its input side, ``battery_mw / η_d``;
* hydrogen: ``electrolyser`` ``Link`` (MW of electricity), ``H2 store`` ``Store`` (MWh LHV), ``fuel cell``
  ``Link`` whose ``p_nom`` is MW of hydrogen input (``fuelcell_mw / η_fc``, PyPSA's convention);
* grid import (when the rules allow it): ``Generator`` ``grid`` with the grid price as marginal cost and
  ``p_nom`` the import limit (or the largest import of the dispatch when there is no limit);
* CSP (when enabled), as PyPSA-Eur's 'csp-tower' components: a ``csp heat`` bus (carrier ``heat``); the solar
  field, ``Generator`` ``csp field`` with ``p_max_pu`` = the thermal capacity factor and ``p_nom`` = MW_th at
  the design point (``p_min_pu`` 0: mirrors may defocus, greendc's dumped heat ``x_t ≥ 0`` makes the field's
  output "≤" ``cf_t P_f``; greendc may also dump stored heat, which PyPSA cannot, but keeping that heat in
  storage instead is always feasible, so the least cost is the same); the thermal storage, ``Store``
  ``csp storage`` (``e_nom`` MWh_th, ``standing_loss`` the heat lost per hour); the power block, ``Link``
  ``csp power block`` from ``csp heat`` to ``site`` with ``efficiency`` η_pb and ``p_nom`` on its heat input
  (``csp_power_block_mw / η_pb``, as for the fuel cell), its variable O&M as ``marginal_cost`` per MWh_th in
  (``vom × η_pb``);
* the facility load as served (flexible work already placed in time, the desalination plant's electricity
  included), ``Load`` ``data center``; the water balance itself (plant and tank) is not exported.

Capital costs are annualised (USD/yr per unit) as in greendc's objective; variable O&M (battery discharge,
electrolyser, fuel cell, power block) and the grid price are ``marginal_cost`` per MWh of each component's
input. The ``stores`` and ``generators`` snapshot weightings are the step lengths [h]; the ``objective``
weighting is step length / horizon years, so that PyPSA's objective is greendc's, per year of horizon.
Stores are cyclic, except where the inputs give an initial level (a dispatch window): then they start
there and their end is free. The dispatch of the result is attached as the time series of each
component, so the exported file holds both the design and how it runs; for CSP, the field's output is
the heat it delivers, the storage's ``p`` is attached too, and the ``csp heat`` bus balances every step
(see :func:`_csp_heat_dispatch`).

Reference: Brown, T., Hörsch, J., Schlachtberger, D. (2018). PyPSA: Python for Power System Analysis.
J. Open Research Software 6(1):4. doi:10.5334/jors.188
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from greendc.errors import GreendcError
from greendc.plan.inputs import PlanInputs

if TYPE_CHECKING:  # pragma: no cover
    from greendc.plan.result import PlanResult


def _import_pypsa() -> Any:
    try:
        import pypsa
    except ImportError:
        raise GreendcError('the PyPSA export needs PyPSA: pip install "greendc[pypsa]"') from None
    return pypsa


def _start_level(initial_mwh: float | None) -> dict[str, Any]:
    """A store's start: cyclic over the horizon, or from a given level [MWh] with a free end."""
    return {"e_cyclic": initial_mwh is None, "e_initial": initial_mwh or 0.0}


def to_pypsa_network(inputs: PlanInputs, result: PlanResult) -> Any:
    """Build a :class:`pypsa.Network` holding the design of ``result`` and its dispatch.

    Parameters
    ----------
    inputs : PlanInputs
        The inputs ``result`` was solved from.
    result : PlanResult

    Returns
    -------
    pypsa.Network
    """
    pypsa = _import_pypsa()
    from greendc.plan.model import capacity_cost_usd_per_yr

    caps = result.capacities
    unit_cost = capacity_cost_usd_per_yr(inputs)
    d = result.dispatch
    snapshots = inputs.index.tz_convert("UTC").tz_localize(None)
    n = pypsa.Network(name="greendc design")
    n.set_snapshots(snapshots)
    # stores and generators integrate over the step lengths [h]; the objective counts per year of horizon
    n.snapshot_weightings["stores"] = inputs.weights_h
    n.snapshot_weightings["generators"] = inputs.weights_h
    n.snapshot_weightings["objective"] = inputs.weights_h / inputs.horizon_years
    n.add("Bus", "site", carrier="AC")
    n.add("Load", "data center", bus="site", p_set=d["facility_mw"].to_numpy())
    for name, cf, cap in (("pv", inputs.pv_cf, "pv_mw"), ("wind", inputs.wind_cf, "wind_mw")):
        n.add(
            "Generator",
            name,
            bus="site",
            carrier=name,
            p_nom=caps[cap],
            p_max_pu=cf,
            capital_cost=unit_cost[cap],
        )
        n.generators_t.p[name] = d[f"{name}_mw"].to_numpy()
    if inputs.rules.grid_allowed:
        limit = inputs.rules.grid_max_import_mw
        n.add(
            "Generator",
            "grid",
            bus="site",
            carrier="grid",
            p_nom=float(d["grid_import_mw"].max()) if limit is None else limit,
            marginal_cost=inputs.rules.grid_price_usd_per_mwh or 0.0,
        )
        n.generators_t.p["grid"] = d["grid_import_mw"].to_numpy()
    if inputs.battery is not None:
        eta_c, eta_d = inputs.battery.charge_efficiency, inputs.battery.discharge_efficiency
        n.add("Bus", "battery", carrier="battery")
        n.add(
            "Store",
            "battery",
            bus="battery",
            e_nom=caps["battery_mwh"],
            **_start_level(inputs.battery.initial_soc_mwh),
            standing_loss=inputs.battery.self_discharge_per_hour,
            capital_cost=unit_cost["battery_mwh"],
        )
        n.add(
            "Link",
            "battery charger",
            bus0="site",
            bus1="battery",
            efficiency=eta_c,
            p_nom=caps["battery_mw"],
            capital_cost=unit_cost["battery_mw"],
        )
        n.add(
            "Link",
            "battery discharger",
            bus0="battery",
            bus1="site",
            efficiency=eta_d,
            p_nom=caps["battery_mw"] / eta_d,
            marginal_cost=inputs.costs["battery_power"].vom_usd_per_mwh * eta_d,
        )
        n.stores_t.e["battery"] = d["battery_soc_mwh"].to_numpy()
        n.links_t.p0["battery charger"] = d["battery_charge_mw"].to_numpy()
        n.links_t.p0["battery discharger"] = d["battery_discharge_mw"].to_numpy() / eta_d
    if inputs.hydrogen is not None:
        h = inputs.hydrogen
        n.add("Bus", "H2", carrier="H2")
        n.add(
            "Link",
            "electrolyser",
            bus0="site",
            bus1="H2",
            efficiency=h.electrolyser_efficiency,
            p_nom=caps["electrolyser_mw"],
            capital_cost=unit_cost["electrolyser_mw"],
            marginal_cost=inputs.costs["electrolyser"].vom_usd_per_mwh,
        )
        n.add(
            "Store",
            "H2 store",
            bus="H2",
            e_nom=caps["h2_store_mwh"],
            **_start_level(h.initial_h2_mwh),
            capital_cost=unit_cost["h2_store_mwh"],
        )
        n.add(
            "Link",
            "fuel cell",
            bus0="H2",
            bus1="site",
            efficiency=h.fuel_cell_efficiency,
            p_nom=caps["fuelcell_mw"] / h.fuel_cell_efficiency,
            capital_cost=unit_cost["fuelcell_mw"] * h.fuel_cell_efficiency,
            marginal_cost=inputs.costs["fuel_cell"].vom_usd_per_mwh * h.fuel_cell_efficiency,
        )
        n.stores_t.e["H2 store"] = d["h2_store_mwh"].to_numpy()
        n.links_t.p0["electrolyser"] = d["electrolyser_mw"].to_numpy()
        n.links_t.p0["fuel cell"] = d["fuel_cell_mw"].to_numpy() / h.fuel_cell_efficiency
    if inputs.csp is not None:
        _add_csp(n, inputs, result, unit_cost)
    n.meta = {
        "greendc_objective_usd_per_yr": result.objective_usd_per_yr,
        "greendc_provenance": {k: str(v) for k, v in result.provenance.items()},
    }
    return n


def _csp_heat_dispatch(inputs: PlanInputs, result: PlanResult) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Field output, storage level and heat into the power block of the plan, on the heat bus's terms.

    Heat into the block is what its used output needs, ``q_t = csp_mw_t / η_pb`` [MW_th]; the field delivers
    ``g_t = max(0, q_t + (s_t - k_t s'_{t-1}) / w_t)`` [MW_th] (``k_t = (1 - σ)^{w_t}``, ``s`` the plan's
    level, ``s'`` the exported one) and ``s'_t = k_t s'_{t-1} + w_t (g_t - q_t)`` [MWh_th]. Where the plan only
    defocused, ``g_t = cf_t P_f - x_t`` and ``s' = s``. Heat the plan dumped from storage, or burnt in a block
    running above need (ties the LP may break either way), would make ``g_t`` negative: that heat stays in
    storage (``s' ≥ s``, still ``≤ E_s``) and the field dumps it at its next hours of output (``g_t`` less).
    Cyclic storage: the pass is repeated from the last level until it closes (100 passes at most).

    Parameters
    ----------
    inputs : PlanInputs
        With ``csp`` set.
    result : PlanResult

    Returns
    -------
    tuple of numpy.ndarray
        Field output [MW_th], storage level at the end of each step [MWh_th], heat into the power block
        [MW_th].
    """
    spec = inputs.csp
    assert spec is not None
    d = result.dispatch
    w = inputs.weights_h
    keep = (1.0 - spec.storage_loss_per_hour) ** w
    heat_in = d["csp_mw"].to_numpy() / spec.power_block_efficiency
    target = d["csp_storage_mwh_th"].to_numpy()
    cyclic = spec.initial_storage_mwh_th is None
    before = float(target[-1]) if cyclic else float(spec.initial_storage_mwh_th)
    tol = 1e-9 * max(1.0, float(result.capacities["csp_storage_mwh_th"]))
    for _ in range(100):
        level, field, prev = np.empty_like(target), np.empty_like(target), before
        for t in range(len(target)):
            field[t] = max(0.0, heat_in[t] + (target[t] - keep[t] * prev) / w[t])
            level[t] = prev = keep[t] * prev + w[t] * (field[t] - heat_in[t])
        if not cyclic or abs(level[-1] - before) <= tol:
            break
        before = float(level[-1])
    return field, level, heat_in


def _add_csp(n: Any, inputs: PlanInputs, result: PlanResult, unit_cost: dict[str, float]) -> None:
    """Add the CSP plant to ``n``: heat bus, solar field, thermal storage and power block, with their dispatch.

    Parameters
    ----------
    n : pypsa.Network
        The network being built, with the ``site`` bus.
    inputs : PlanInputs
        With ``csp`` set.
    result : PlanResult
    unit_cost : dict of str to float
        :func:`greendc.plan.model.capacity_cost_usd_per_yr` of ``inputs`` [USD/yr per MW_th, MWh_th or MW_e].
    """
    spec = inputs.csp
    assert spec is not None
    caps = result.capacities
    eta = spec.power_block_efficiency
    row = inputs.costs.get("csp_power_block")
    vom = row.vom_usd_per_mwh if row is not None else 0.0
    n.add("Bus", "csp heat", carrier="heat")
    n.add(
        "Generator",
        "csp field",
        bus="csp heat",
        carrier="csp",
        p_nom=caps["csp_field_mw_th"],
        p_max_pu=spec.thermal_cf,
        p_min_pu=0.0,
        capital_cost=unit_cost.get("csp_field_mw_th", 0.0),
    )
    n.add(
        "Store",
        "csp storage",
        bus="csp heat",
        e_nom=caps["csp_storage_mwh_th"],
        **_start_level(spec.initial_storage_mwh_th),
        standing_loss=spec.storage_loss_per_hour,
        capital_cost=unit_cost.get("csp_storage_mwh_th", 0.0),
    )
    n.add(
        "Link",
        "csp power block",
        bus0="csp heat",
        bus1="site",
        efficiency=eta,
        p_nom=caps["csp_power_block_mw"] / eta,
        capital_cost=unit_cost.get("csp_power_block_mw", 0.0) * eta,
        marginal_cost=vom * eta,
    )
    field, level, heat_in = _csp_heat_dispatch(inputs, result)
    n.generators_t.p["csp field"] = field
    n.stores_t.e["csp storage"] = level
    n.stores_t.p["csp storage"] = heat_in - field
    n.links_t.p0["csp power block"] = heat_in


def export_pypsa(inputs: PlanInputs, result: PlanResult, path: str | Path) -> Path:
    """Write the design as a PyPSA network: a netCDF file (``.nc``) or a folder of CSV files.

    Parameters
    ----------
    inputs : PlanInputs
    result : PlanResult
    path : str or pathlib.Path
        ``*.nc`` for netCDF, anything else is taken as a folder for ``export_to_csv_folder``.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    n = to_pypsa_network(inputs, result)
    path = Path(path)
    if path.suffix == ".nc":
        n.export_to_netcdf(path)
    else:
        n.export_to_csv_folder(path)
    return path
