"""Key performance indicators of a data centre as pure functions of time series.

One telemetry table (:mod:`greendc.kpi.telemetry`) serves plans, simulations and meters: the columns are
the dispatch names of ``docs/nomenclature.md``. :mod:`greendc.kpi.metrics` computes PUE (ISO/IEC 30134-2),
REF (30134-3), ERF (30134-6), CUE (30134-8), WUE (30134-9), the served fraction and availability by
workload class; :mod:`greendc.kpi.cfe` the hourly 24/7 carbon-free energy score, with the carbon-free share
carried through storage; :mod:`greendc.kpi.reporting` assembles them into a report and gives the
fields of the EU data-centre reporting scheme (Delegated Regulation (EU) 2024/1364).
"""

from greendc.errors import TelemetryError
from greendc.kpi.cfe import cfe_hourly, cfe_ledger, cfe_share
from greendc.kpi.eu_scheme import eu_reporting_fields
from greendc.kpi.metrics import (
    MEASUREMENT_CATEGORIES,
    availability_by_class,
    cue_kg_per_kwh,
    energy_mwh,
    erf,
    period,
    pue,
    pue_kind,
    ref,
    renewable_energy_mwh,
    served_fraction,
)
from greendc.kpi.reporting import KpiOptions, KpiReport, kpi_report
from greendc.kpi.telemetry import IGNORED_COLUMNS, OPTIONAL_COLUMNS, REQUIRED_COLUMNS, check_telemetry, read_telemetry
from greendc.kpi.water import WUE_KINDS, water_input_m3, wue_l_per_kwh

__all__ = [
    "IGNORED_COLUMNS",
    "MEASUREMENT_CATEGORIES",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "WUE_KINDS",
    "KpiOptions",
    "KpiReport",
    "TelemetryError",
    "availability_by_class",
    "cfe_hourly",
    "cfe_ledger",
    "cfe_share",
    "check_telemetry",
    "cue_kg_per_kwh",
    "energy_mwh",
    "erf",
    "eu_reporting_fields",
    "kpi_report",
    "period",
    "pue",
    "pue_kind",
    "read_telemetry",
    "ref",
    "renewable_energy_mwh",
    "served_fraction",
    "water_input_m3",
    "wue_l_per_kwh",
]
