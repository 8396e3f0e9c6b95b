"""The solved design as a PyPSA network, for users who continue in the PyPSA ecosystem.

PyPSA is imported lazily: it is an optional dependency (``pip install "greendc[pypsa]"``).

Mapping (one AC bus ``site``; ``battery`` and ``H2`` buses for the stores):

* PV and wind: ``Generator`` with ``p_max_pu`` = capacity factor, ``p_nom`` = the optimal capacity;
* battery: ``Store`` (``e_nom`` MWh) with a ``battery charger`` and a ``battery discharger`` ``Link``, each
  ``sqrt``-split efficiency; the discharger's ``p_nom`` is on its input side, ``battery_mw / η_d``;
* hydrogen: ``electrolyser`` ``Link`` (MW of electricity), ``H2 store`` ``Store`` (MWh LHV), ``fuel cell``
  ``Link`` whose ``p_nom`` is MW of hydrogen input (``fuel_cell_mw / η_fc``, PyPSA's convention);
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
* the water balance (when the cooling uses water, :attr:`~greendc.plan.inputs.PlanInputs.water_active`), on a
  ``water`` bus (carrier ``water``, unit m³/h): the desalination plant, ``Link`` ``desalination`` from
  ``site`` to ``water`` with ``efficiency`` ``1000 / k_ds`` [m³/MWh] and ``p_nom`` on its electricity input
  (``Q_ds k_ds / 1000`` MW, capital cost per MW ``c_ds × 1000 / k_ds``; a ``Generator`` on ``water`` with
  ``p_nom`` = ``Q_ds`` when ``k_ds`` = 0); the tank, ``Store`` ``water tank`` (``e_nom`` m³); the cooling
  water of the served IT, ``Load`` ``cooling water`` (``ω_t`` × served IT [m³/h]); the electrolyser's
  process water, a second output of the ``electrolyser`` ``Link`` (``bus2`` ``water``, ``efficiency2`` =
  ``-χ`` m³/MWh, see :func:`greendc.plan.storage.water_demand_m3_per_h`), so that PyPSA counts it for any
  electrolyser dispatch;
* the facility load as served (flexible work already placed in time; the desalination plant's electricity
  included, unless the water balance is exported: then the ``desalination`` link draws it),
  ``Load`` ``data center``.

Capital costs are annualised (USD/yr per unit) as in greendc's objective; variable O&M (battery discharge,
electrolyser, fuel cell, power block) and the grid price are ``marginal_cost`` per MWh of each component's
input. The ``stores`` and ``generators`` snapshot weightings are the step lengths [h]; the ``objective``
weighting is step length / horizon years, so that PyPSA's objective is greendc's, per year of horizon.
Stores are cyclic, except where the inputs give an initial level (a dispatch window): then they start
there and their end is free. The dispatch of the result is attached as the time series of each
component, so the exported file holds both the design and how it runs; for CSP, the field's output is
the heat it delivers, the storage's ``p`` is attached too, and the ``csp heat`` bus balances every step
(see :func:`_csp_heat_dispatch`); the water tank's ``p`` is attached too, and the ``water`` bus balances
every step.

Reference: Brown, T., Hörsch, J., Schlachtberger, D. (2018). PyPSA: Python for Power System Analysis.
J. Open Research Software 6(1):4. doi:10.5334/jors.188
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from greendc.constants import H2_LHV_MWH_PER_KG
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
    """A store's start: cyclic over the horizon, or from a given level [MWh, or the store's unit: m³ for the
    water tank] with a free end."""
    return {"e_cyclic": initial_mwh is None, "e_initial": initial_mwh or 0.0}


def _electrolyser_water_m3_per_mwh(inputs: PlanInputs) -> float:
    """Process water the water balance charges to the electrolyser, ``χ`` [m³ per MWh of electricity in].

    ``χ = η_el ℓ / (1000 LHV)`` (``ℓ`` [L/kg H2], ``LHV`` [MWh/kg]) as in
    :func:`greendc.plan.storage.water_demand_m3_per_h`; 0 without hydrogen or without the water balance.
    """
    h = inputs.hydrogen
    if h is None or not inputs.water_active or h.water_l_per_kg_h2 <= 0:
        return 0.0
    return h.electrolyser_efficiency * h.water_l_per_kg_h2 / (1000.0 * H2_LHV_MWH_PER_KG)


def _desalination_mw(inputs: PlanInputs, result: PlanResult) -> np.ndarray:
    """Electricity of the desalination plant in the plan, ``k_ds q_t / 1000`` [MW] (zeros without the water
    balance)."""
    if inputs.water is None or not inputs.water_active:
        return np.zeros(inputs.n_steps)
    return result.dispatch["desalination_m3_per_h"].to_numpy() * inputs.water.desalination_kwh_per_m3 / 1000.0


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
    # the desalination plant's electricity is drawn by its link when the water balance is exported
    n.add("Load", "data center", bus="site", p_set=d["facility_mw"].to_numpy() - _desalination_mw(inputs, result))
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
    if inputs.water_active:
        _add_water(n, inputs, result, unit_cost)
    if inputs.hydrogen is not None:
        h = inputs.hydrogen
        chi = _electrolyser_water_m3_per_mwh(inputs)
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
            **({"bus2": "water", "efficiency2": -chi} if chi > 0 else {}),
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
            p_nom=caps["fuel_cell_mw"] / h.fuel_cell_efficiency,
            capital_cost=unit_cost["fuel_cell_mw"] * h.fuel_cell_efficiency,
            marginal_cost=inputs.costs["fuel_cell"].vom_usd_per_mwh * h.fuel_cell_efficiency,
        )
        n.stores_t.e["H2 store"] = d["h2_level_mwh"].to_numpy()
        n.links_t.p0["electrolyser"] = d["electrolyser_mw"].to_numpy()
        if chi > 0:
            # links added before the electrolyser have no efficiency2 yet: PyPSA's default, 1 (unused, no bus2)
            n.links["efficiency2"] = n.links["efficiency2"].fillna(1.0)
            n.links_t.p2["electrolyser"] = chi * d["electrolyser_mw"].to_numpy()
        n.links_t.p0["fuel cell"] = d["fuel_cell_mw"].to_numpy() / h.fuel_cell_efficiency
    if inputs.csp is not None:
        _add_csp(n, inputs, result, unit_cost)
    n.meta = {
        "greendc_objective_usd_per_yr": result.objective_usd_per_yr,
        "greendc_provenance": {k: str(v) for k, v in result.provenance.to_dict().items()},
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


def _add_water(n: Any, inputs: PlanInputs, result: PlanResult, unit_cost: dict[str, float]) -> None:
    """Add the water balance to ``n``: water bus, desalination plant, tank and cooling water, with their dispatch.

    The plant is a ``Link`` from ``site`` to ``water``: PyPSA's ``p_nom`` is on the input side, so the plant
    of ``Q_ds`` [m³/h] drawing ``k_ds`` [kWh/m³] is ``p_nom = Q_ds k_ds / 1000`` [MW] with ``efficiency =
    1000 / k_ds`` [m³/MWh] and ``capital_cost = c_ds × 1000 / k_ds`` [USD/yr per MW] (``c_ds`` [USD/yr per
    m³/h]), so that ``capital_cost × p_nom = c_ds Q_ds``. A plant that needs no electricity (``k_ds = 0``) is
    a ``Generator`` on ``water`` with ``p_nom = Q_ds``. The tank is a ``Store`` (``e_nom`` = ``V_w`` [m³]);
    the ``Load`` ``cooling water`` is ``ω_t`` × the served IT [m³/h]; the electrolyser's process water is its
    link's ``bus2`` (added with the electrolyser). The tank's ``p`` (positive when it gives water) is
    ``D_t - q_t`` [m³/h], ``D_t`` the cooling and electrolyser water, so the bus balances every step.

    Parameters
    ----------
    n : pypsa.Network
        The network being built, with the ``site`` bus.
    inputs : PlanInputs
        With the water balance (:attr:`~greendc.plan.inputs.PlanInputs.water_active`).
    result : PlanResult
    unit_cost : dict of str to float
        :func:`greendc.plan.model.capacity_cost_usd_per_yr` of ``inputs`` [USD/yr per m³/h or m³].
    """
    spec = inputs.water
    assert spec is not None
    caps = result.capacities
    d = result.dispatch
    kwh = spec.desalination_kwh_per_m3
    made = d["desalination_m3_per_h"].to_numpy()
    cooling = inputs.water_m3_per_mwh_it * d["it_mw"].to_numpy()
    demand = cooling + _electrolyser_water_m3_per_mwh(inputs) * d["electrolyser_mw"].to_numpy()
    n.add("Bus", "water", carrier="water", unit="m3/h")
    cost = unit_cost.get("desalination_m3_per_h", 0.0)
    if kwh > 0:
        n.add(
            "Link",
            "desalination",
            bus0="site",
            bus1="water",
            carrier="desalination",
            efficiency=1000.0 / kwh,
            p_nom=caps["desalination_m3_per_h"] * kwh / 1000.0,
            capital_cost=cost * 1000.0 / kwh,
        )
        n.links_t.p0["desalination"] = made * kwh / 1000.0
        n.links_t.p1["desalination"] = -made
    else:
        n.add(
            "Generator",
            "desalination",
            bus="water",
            carrier="desalination",
            p_nom=caps["desalination_m3_per_h"],
            capital_cost=cost,
        )
        n.generators_t.p["desalination"] = made
    n.add(
        "Store",
        "water tank",
        bus="water",
        carrier="water",
        e_nom=caps["water_tank_m3"],
        **_start_level(spec.initial_tank_m3),
        capital_cost=unit_cost.get("water_tank_m3", 0.0),
    )
    n.add("Load", "cooling water", bus="water", carrier="water", p_set=cooling)
    n.stores_t.e["water tank"] = d["water_tank_m3"].to_numpy()
    n.stores_t.p["water tank"] = demand - made


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
