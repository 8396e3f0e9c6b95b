"""Physical and calendar constants used across greendc, each defined once, with its source."""

from __future__ import annotations

__all__ = ["H2_LHV_MWH_PER_KG", "HOURS_PER_YEAR"]

#: Hours in a (365-day) year, the unit of every per-year figure (costs, horizons, losses) [h].
HOURS_PER_YEAR = 8760.0
#: Lower heating value of hydrogen, 33.33 kWh/kg = 120 MJ/kg (DOE Hydrogen Program Record 9017, 2009) [MWh/kg].
H2_LHV_MWH_PER_KG = 0.03333
