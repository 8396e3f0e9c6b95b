"""Fluid properties and the equipment parameters of the cooling plant that the scenario does not carry."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from greendc.errors import ScenarioError

AIR_CP_KJ_PER_KG_K = 1.01  #: specific heat of air for air mass flows [kJ/(kg·K)] (Lei & Masanet 2020)
WATER_CP_KJ_PER_KG_K = 4.2  #: specific heat of water for water mass flows [kJ/(kg·K)] (Lei & Masanet 2020)
WATER_DENSITY_KG_PER_M3 = 1000.0
#: Seawater at practical salinity 35, 20 °C, sea-level pressure (TEOS-10, IOC/SCOR/IAPWS 2010; computed with the
#: Gibbs SeaWater toolbox gsw 3.6.23: 1024.77 kg/m³ and 3996.1 J/(kg·K); Sharqawy et al. 2010,
#: doi:10.5004/dwt.2010.1079, review the same properties) [kg/m³] and [kJ/(kg·K)].
SEAWATER_DENSITY_KG_PER_M3 = 1024.8
SEAWATER_CP_KJ_PER_KG_K = 3.996


@dataclass(frozen=True)
class CoolingDesign:
    """Equipment parameters of the cooling plant not (yet) in the scenario model.

    Unless stated, a default is the midpoint of Lei & Masanet's hyperscale input range (2022 input table,
    "Case 1/2"; seawater ranges from their 2020 tool), the range in the comment. ``[R]`` marks an
    engineering assumption without a primary source read. Invalid values raise :class:`ScenarioError`.
    """

    # air side (CRAH coils, fan walls)
    air_delta_t_k: float = 14.0  # 13.9–19.4 K; with coil 0.8 and 25 °C air gives the scenario's 21.5 °C water
    coil_effectiveness: float = 0.8  # 0.7–0.9
    air_fan_pressure_pa: float = 500.0  # 400–600 Pa (seawater-economiser range; Case 1: 300–1000 Pa)
    air_fan_efficiency: float = 0.775  # 65–90 %
    # facility water
    water_pump_pressure_pa: float = 143_650.0  # 114.9–172.4 kPa (chilled-water and economiser pumps)
    pump_efficiency: float = 0.70  # 60–80 %
    economiser_hx_approach_k: float = 2.0  # 1.7–2.8 K; 2 K as in the worked seawater example
    # chillers
    chiller_plr_at_full_it: float = 0.8  # 0.2–0.8; duty chillers share the load at full IT power [R]
    chiller_cop_adjustment: float = 0.0  # pCOP, ±11 % around the regression; applied to every chiller
    carnot_efficiency: float = 0.5  # COP 2.95 at the AHRI 550/590 air-cooled rating point [R]
    evaporator_approach_k: float = 2.0  # leaving chilled water − evaporating temperature [R]
    air_condensing_approach_k: float = 16.7  # AHRI 550/590: 125 °F condensing at 95 °F entering air
    # cooling towers
    tower_approach_k: float = 4.75  # 2.8–6.7 K
    tower_delta_t_k: float = 5.0  # 4–6 K
    tower_pump_pressure_pa: float = 208_650.0  # 166.9–250.4 kPa
    tower_fan_pressure_pa: float = 250.0  # 100–400 Pa
    tower_fan_efficiency: float = 0.775  # 65–90 %
    tower_liquid_to_gas_ratio: float = 2.1  # 0.2–4
    tower_drift_fraction: float = 0.00005  # 0.005–0.5 % of tower flow; lower end: high-efficiency eliminators
    # seawater
    seawater_delta_t_k: float = 7.5  # 5–10 K
    seawater_pump_pressure_pa: float = 294_000.0  # 30–150 m head; 30 m for a near-shore intake at sea level [R]
    # airside economiser: supply-air dew-point limits (ASHRAE TC 9.9 recommended envelope)
    supply_dew_point_min_c: float = -9.0  # −12…−9 °C
    supply_dew_point_max_c: float = 15.0  # 15–27 °C; 15 °C as in Lei & Masanet's economiser code
    # direct liquid cooling and dry coolers
    liquid_capture_fraction: float = 0.8  # share of IT heat taken by cold plates; the rest by air [R]
    cdu_pump_pressure_pa: float = 143_650.0  # technology cooling loop, as the chilled-water pump [R]
    dry_cooler_approach_k: float = 6.0  # leaving facility water − entering air [R]
    dry_cooler_air_effectiveness: float = 0.6  # air temperature rise / (return water − air) [R]
    dry_cooler_fan_pressure_pa: float = 250.0  # as tower fans, 100–400 Pa
    dry_cooler_fan_efficiency: float = 0.775  # as tower fans, 65–90 %
    dry_cooler_adiabatic_assist: bool = False  # evaporative pre-cooling of the dry-cooler air when needed
    adiabatic_pad_effectiveness: float = 0.85  # share of the wet-bulb depression achieved by the pads [R]

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, bool):
                continue
            lo, hi, allowed = -np.inf, np.inf, "a finite number"
            if f.name.endswith(("effectiveness", "efficiency", "plr_at_full_it")):
                lo, hi, allowed = 1e-9, 1.0, "in (0, 1]"
            elif f.name == "liquid_capture_fraction":
                lo, hi, allowed = 0.0, 1.0, "in [0, 1]"
            elif f.name.endswith(("_delta_t_k", "_ratio")):
                lo, allowed = 1e-9, "> 0"
            elif f.name.endswith(("_pa", "_approach_k")):
                lo, allowed = 0.0, ">= 0"
            elif f.name == "tower_drift_fraction":
                lo, hi, allowed = 0.0, 0.05, "in [0, 0.05]"
            elif f.name == "chiller_cop_adjustment":
                lo, hi, allowed = -0.5, 1.0, "in [-0.5, 1]"
            if not (np.isfinite(v) and lo <= v <= hi):
                raise ScenarioError(f"CoolingDesign.{f.name} = {v!r} must be {allowed}")
        if self.supply_dew_point_min_c >= self.supply_dew_point_max_c:
            raise ScenarioError(
                f"CoolingDesign.supply_dew_point_min_c = {self.supply_dew_point_min_c} must be below "
                f"supply_dew_point_max_c = {self.supply_dew_point_max_c}"
            )


DEFAULT_DESIGN = CoolingDesign()
