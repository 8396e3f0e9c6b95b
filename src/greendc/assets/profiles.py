"""The profiles orchestrator: scenario + weather → one time-indexed table of per-unit profiles.

This is the input of the planner and of the simulator:

=================================  ===========  ==============================================
column                             unit         meaning
=================================  ===========  ==============================================
``pv_cf``                          MW/MW_DC     AC output of 1 MW of DC PV nameplate
``wind_cf``                        MW/MW        AC output of 1 MW of installed wind rating
``pue``                            -            facility power / IT power (cooling, power chain)
``water_m3_per_mwh_it``            m³/MWh       fresh water the data centre consumes (cooling) per
                                                MWh of IT energy
``desalination_mwh_per_mwh_it``    MWh/MWh      energy to desalinate that water
``heat_to_sea_mw_per_mw_it``       MW/MW        heat carried to the sea by once-through seawater
                                                cooling (= ``pue`` for ``seawater``, else 0)
``seawater_m3_per_mwh_it``         m³/MWh       seawater withdrawn (and returned) per MWh of IT
                                                energy (:mod:`greendc.assets.water`)
``it_<class>_mw``                  MW           requested IT power of each workload class
``csp_th_cf``                      MW_th/MW_th  heat collected per MW_th (design point) of CSP
                                                field; only when ``technologies.csp.enabled``
=================================  ===========  ==============================================
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greendc.assets.cooling import facility_overhead
from greendc.assets.csp import csp_thermal_per_mw_field
from greendc.assets.pv import pv_ac_per_mw_dc
from greendc.assets.wind import wind_ac_per_mw
from greendc.assets.workload import installed_it_capacity_mw, requested_it_mw
from greendc.scenario.models import Scenario
from greendc.weather.schema import check_weather


def build_profiles(scenario: Scenario, weather: pd.DataFrame) -> pd.DataFrame:
    """Per-unit production and consumption profiles of ``scenario`` on ``weather``.

    Parameters
    ----------
    scenario : greendc.scenario.models.Scenario
        Site, technologies and data center.
    weather : pandas.DataFrame
        Canonical weather frame (see :mod:`greendc.weather.schema`).

    Returns
    -------
    pandas.DataFrame
        Columns as in the module docstring, on the weather index.
    """
    check_weather(weather, source="weather", check_extraterrestrial=False)
    site = scenario.site
    dc = scenario.datacenter
    pv_cf = pv_ac_per_mw_dc(weather, site.latitude, site.longitude, scenario.technologies.pv, site.elevation_m)
    wind_cf = wind_ac_per_mw(weather, scenario.technologies.wind, site.elevation_m)
    it = requested_it_mw(weather.index, dc, site.longitude)
    capacity = installed_it_capacity_mw(weather.index, dc).to_numpy()
    load_fraction = np.divide(it.sum(axis=1).to_numpy(), capacity, out=np.zeros(len(capacity)), where=capacity > 0)
    overhead = facility_overhead(
        weather, dc.cooling, dc.electrical, it_load_fraction=pd.Series(load_fraction, index=weather.index)
    )
    columns = [pv_cf.rename("pv_cf"), wind_cf.rename("wind_cf"), overhead, it]
    csp = scenario.technologies.csp
    if csp.enabled:
        columns.append(
            csp_thermal_per_mw_field(
                weather,
                site.latitude,
                site.longitude,
                site.elevation_m,
                optical_efficiency=csp.optical_efficiency,
                iam_a1=csp.iam_a1_per_deg,
                iam_a2=csp.iam_a2_per_deg2,
                heat_loss_c1=csp.heat_loss_c1,
                heat_loss_c2=csp.heat_loss_c2,
                inlet_temp_c=csp.inlet_temp_c,
                outlet_temp_c=csp.outlet_temp_c,
                cleanliness=csp.cleanliness,
                axis_azimuth=csp.axis_azimuth,
            )
        )
    profiles = pd.concat(columns, axis=1)
    profiles.index.name = "timestamp"
    return profiles


def profiles_summary(profiles: pd.DataFrame) -> dict[str, float]:
    """Headline figures of a profiles table: capacity factors, mean PUE, WUE and IT energy per year."""
    step_h = (profiles.index[1] - profiles.index[0]) / pd.Timedelta(hours=1)
    years = len(profiles) * step_h / 8766.0
    it_cols = [c for c in profiles.columns if c.startswith("it_") and c.endswith("_mw")]
    it_mw = profiles[it_cols].sum(axis=1)
    it_mwh = float(it_mw.sum() * step_h)
    return {
        "pv_capacity_factor": float(profiles["pv_cf"].mean()),
        "wind_capacity_factor": float(profiles["wind_cf"].mean()),
        "pue_energy_weighted": float((profiles["pue"] * it_mw).sum() / it_mw.sum()) if it_mwh > 0 else float("nan"),
        "wue_l_per_kwh": float((profiles["water_m3_per_mwh_it"] * it_mw).sum() / it_mw.sum()) if it_mwh > 0 else 0.0,
        "it_energy_mwh_per_yr": it_mwh / years,
        "pue_max": float(profiles["pue"].max()),
    }
