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
* the facility load as served (flexible work already placed in time, the desalination plant's electricity
  included), ``Load`` ``data center``; the water balance itself (plant and tank) is not exported.

Capital costs are annualised (USD/yr per unit) as in greendc's objective; snapshot weightings are the
step lengths [h]. The dispatch of the result is attached as the time series of each component, so the
exported file holds both the design and how it runs.

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
        raise GreendcError("the PyPSA export needs PyPSA: pip install \"greendc[pypsa]\"") from None
    return pypsa


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
    if inputs.csp is not None:
        raise GreendcError(
            "the PyPSA export does not cover CSP yet (technologies.csp.enabled): the network would lack the "
            "solar field, thermal storage and power block; plan without CSP to export"
        )
    pypsa = _import_pypsa()
    from greendc.plan.model import capacity_cost_usd_per_yr

    caps = result.capacities
    unit_cost = capacity_cost_usd_per_yr(inputs)
    d = result.dispatch
    snapshots = inputs.index.tz_convert("UTC").tz_localize(None)
    n = pypsa.Network(name="greendc design")
    n.set_snapshots(snapshots)
    n.snapshot_weightings.loc[:, :] = np.repeat(inputs.weights_h[:, None], 3, axis=1)
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
            e_cyclic=True,
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
        )
        n.add(
            "Store",
            "H2 store",
            bus="H2",
            e_nom=caps["h2_store_mwh"],
            e_cyclic=True,
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
        )
        n.stores_t.e["H2 store"] = d["h2_store_mwh"].to_numpy()
        n.links_t.p0["electrolyser"] = d["electrolyser_mw"].to_numpy()
        n.links_t.p0["fuel cell"] = d["fuel_cell_mw"].to_numpy() / h.fuel_cell_efficiency
    n.meta = {
        "greendc_objective_usd_per_yr": result.objective_usd_per_yr,
        "greendc_provenance": {k: str(v) for k, v in result.provenance.items()},
    }
    return n


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
