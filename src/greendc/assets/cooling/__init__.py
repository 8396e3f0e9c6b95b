"""Facility overhead PUE(t) and on-site water use of a data center as functions of weather.

Lei & Masanet's (2020, 2022) hyperscale balance, per unit of IT power: IT power, UPS and distribution
losses and lighting all end as heat ``Q`` in the halls; fans and pumps move it; an economiser rejects what it
can without compressors and a chiller the rest at a COP set by the heat-sink temperature::

    PUE = 1 + ups + distribution + lighting + air fans + pumps + (1 − f_econ)·Q / COP + heat-rejection fans
    Q   = 1 + ups + distribution + lighting

Technologies (``Cooling.technology``):

- ``evaporative``: air coils on facility water; cooling towers with a waterside economiser (wet-bulb + tower
  and HX approaches); water-cooled chiller at ``T_wb + tower approach``; evaporation, drift and blowdown.
- ``seawater``: the same with once-through seawater: economiser on ``T_sea + HX approach``, chiller
  condenser at ``T_sea``, seawater pumps; no fresh water.
- ``air_chiller_economiser``: outdoor-air (enthalpy) economiser within dew-point limits, air-cooled chiller
  for the rest; water only to humidify very dry air.
- ``liquid_dry_cooler``: warm-water direct liquid cooling (supply typically 30–40 °C), dry coolers whose fans
  speed up as the air warms, a trim chiller above the approach limit (optional adiabatic pre-cooling).

``pue`` excludes ``Electrical.auxiliary_mw`` (an absolute load the planner adds, so that the profile stays
per MW of IT) and the desalination energy (``desalination_mwh_per_mwh_it``, also added by the planner).
``water_m3_per_mwh_it`` is fresh water consumed on site. Equipment parameters the scenario does not carry
are in :class:`CoolingDesign`, each with its source.

Modules: :mod:`~greendc.assets.cooling.design` (fluid properties, :class:`CoolingDesign`),
:mod:`~greendc.assets.cooling.auxiliaries` (power chain, fans, pumps), :mod:`~greendc.assets.cooling.chillers`
(COP), :mod:`~greendc.assets.cooling.heat_rejection` (coils, economisers, towers, dry coolers),
:mod:`~greendc.assets.cooling.technologies` (one balance per technology) and
:mod:`~greendc.assets.cooling.overhead` (the orchestrator).

References
----------
.. [1] Lei, N. and Masanet, E. (2020). Statistical analysis for predicting location-specific data center PUE
   and its improvement potential. Energy 201, 117556. doi:10.1016/j.energy.2020.117556
.. [2] Lei, N. and Masanet, E. (2022). Climate- and technology-specific PUE and WUE estimations for U.S. data
   centers using a hybrid statistical and thermodynamics-based approach. Resour. Conserv. Recycl. 182,
   106323. doi:10.1016/j.resconrec.2022.106323
.. [3] Voutchkov, N. (2018). Energy use for membrane seawater desalination – current status and trends.
   Desalination 431, 2–14. doi:10.1016/j.desal.2017.10.033
.. [4] AHRI Standard 550/590 (I-P)-2015, Table 1: standard rating conditions of water-chilling packages.
"""

from greendc.assets.cooling.auxiliaries import fan_power_kw, power_chain_losses, pump_power_kw
from greendc.assets.cooling.chillers import (
    COP_FLOOR,
    COP_REGRESSION_T_MAX_C,
    COP_REGRESSION_T_MIN_C,
    MIN_LIFT_K,
    PLR_MAX,
    PLR_MIN,
    chiller_cop_carnot,
    chiller_cop_water_cooled,
)
from greendc.assets.cooling.design import (
    AIR_CP_KJ_PER_KG_K,
    DEFAULT_DESIGN,
    SEAWATER_DENSITY_KG_PER_M3,
    WATER_CP_KJ_PER_KG_K,
    WATER_DENSITY_KG_PER_M3,
    CoolingDesign,
)
from greendc.assets.cooling.heat_rejection import (
    dry_cooler_fan_power_kw,
    economiser_fraction,
    facility_water_supply_temp,
    tower_water_kg_s,
)
from greendc.assets.cooling.overhead import cooling_breakdown, facility_overhead, required_weather_columns
from greendc.assets.cooling.technologies import TECHNOLOGIES

__all__ = [
    "AIR_CP_KJ_PER_KG_K",
    "COP_FLOOR",
    "COP_REGRESSION_T_MAX_C",
    "COP_REGRESSION_T_MIN_C",
    "DEFAULT_DESIGN",
    "MIN_LIFT_K",
    "PLR_MAX",
    "PLR_MIN",
    "SEAWATER_DENSITY_KG_PER_M3",
    "TECHNOLOGIES",
    "WATER_CP_KJ_PER_KG_K",
    "WATER_DENSITY_KG_PER_M3",
    "CoolingDesign",
    "chiller_cop_carnot",
    "chiller_cop_water_cooled",
    "cooling_breakdown",
    "dry_cooler_fan_power_kw",
    "economiser_fraction",
    "facility_overhead",
    "facility_water_supply_temp",
    "fan_power_kw",
    "power_chain_losses",
    "pump_power_kw",
    "required_weather_columns",
    "tower_water_kg_s",
]
