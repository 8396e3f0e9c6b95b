"""The KPI report of a telemetry series.

:func:`kpi_report` assembles every KPI of :mod:`greendc.kpi.metrics` and :mod:`greendc.kpi.cfe` with the
energies behind them, the period, the PUE label, the served fraction and availability by workload class, as
a JSON-ready dict. The fields of the EU data-centre reporting scheme are in :mod:`greendc.kpi.eu_scheme`.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from greendc.errors import GreendcError, TelemetryError
from greendc.kpi import cfe, metrics
from greendc.kpi.telemetry import OPTIONAL_COLUMNS, check_telemetry, step_hours
from greendc.kpi.water import wue_l_per_kwh

__all__ = ["KPI_ROWS", "KpiOptions", "kpi_report"]

#: The KPIs a report or a table shows, in order: report key, label, unit, number format (``greendc kpi``'s table,
#: the service's monthly report).
KPI_ROWS: tuple[tuple[str, str, str, str], ...] = (
    ("pue", "PUE (ISO/IEC 30134-2)", "-", ".3f"),
    ("ref", "REF (ISO/IEC 30134-3)", "-", ".3f"),
    ("wue_l_per_kwh", "WUE (ISO/IEC 30134-9)", "L/kWh", ".3f"),
    ("cue_kg_per_kwh", "CUE (ISO/IEC 30134-8)", "kg CO2e/kWh", ".4f"),
    ("erf", "ERF (ISO/IEC 30134-6)", "-", ".3f"),
    ("cfe_share", "24/7 CFE score of the served load (hourly)", "-", ".4f"),
    ("served_facility_fraction", "served share of facility energy demanded", "-", ".5f"),
    ("facility_mwh", "E_DC, facility energy", "MWh", ",.1f"),
    ("it_mwh", "E_IT, IT energy", "MWh", ",.1f"),
    ("renewable_mwh", "renewable energy", "MWh", ",.1f"),
    ("water_m3", "water input", "m3", ",.1f"),
)


@dataclass(frozen=True)
class KpiOptions:
    """What the KPIs need besides the telemetry: meter category, labels and boundary factors.

    Attributes
    ----------
    pue_category : int
        PUE measurement category, where E_IT is metered (:data:`~greendc.kpi.metrics.MEASUREMENT_CATEGORIES`;
        the EU scheme asks for 1, UPS outputs).
    designed : bool
        The series is a design (plan or simulation), not meter readings: the PUE is a designed PUE.
    partial : bool
        The meters cover only part of the site: the PUE is a partial PUE.
    grid_emission_factor_kg_per_kwh : float, optional
        Emission factor of grid import [kg CO₂e/kWh]; needed for CUE when the series imports from a grid.
    fuel_cell_emission_factor_kg_per_kwh : float
        Emission factor of fuel-cell output [kg CO₂e/kWh]; 0 for hydrogen made on site from renewables.
    grid_renewable_share : float
        Share of grid import documented as renewable [-] (REF).
    grid_cfe_share : float or pandas.Series
        Carbon-free share of grid import [-] (24/7 CFE score): a constant, or one value per clock hour
        (:func:`~greendc.kpi.cfe.check_grid_cfe_share`) covering the telemetry.
    initial_storage_cfe_share : float
        Carbon-free fraction of what the battery and the hydrogen store hold at the start of the series [-]
        (:func:`~greendc.kpi.cfe.cfe_ledger`).
    sold_certificates_mwh : float
        On-site renewable energy whose certificates were sold [MWh] (leaves REF).
    renewable_columns : tuple of str
        On-site renewable generation columns (:func:`~greendc.kpi.metrics.renewable_energy_mwh`).
    """

    pue_category: int = 1
    designed: bool = False
    partial: bool = False
    grid_emission_factor_kg_per_kwh: float | None = None
    fuel_cell_emission_factor_kg_per_kwh: float = 0.0
    grid_renewable_share: float = 0.0
    grid_cfe_share: float | pd.Series = 0.0
    initial_storage_cfe_share: float = 1.0
    sold_certificates_mwh: float = 0.0
    renewable_columns: tuple[str, ...] = metrics.RENEWABLE_COLUMNS

    def __post_init__(self) -> None:
        if self.pue_category not in metrics.MEASUREMENT_CATEGORIES:
            raise GreendcError(
                f"pue_category = {self.pue_category!r}; allowed: "
                + ", ".join(f"{k} ({v})" for k, v in metrics.MEASUREMENT_CATEGORIES.items())
            )
        object.__setattr__(self, "grid_cfe_share", cfe.check_grid_cfe_share(self.grid_cfe_share))
        for name in ("grid_renewable_share", "initial_storage_cfe_share"):
            value = getattr(self, name)
            if not (math.isfinite(value) and 0.0 <= value <= 1.0):
                raise GreendcError(f"{name} = {value!r} must be a share in [0, 1]")
        for name in (
            "grid_emission_factor_kg_per_kwh",
            "fuel_cell_emission_factor_kg_per_kwh",
            "sold_certificates_mwh",
        ):
            value = getattr(self, name)
            if value is not None and not (math.isfinite(value) and value >= 0.0):
                raise GreendcError(f"{name} = {value!r} must be a finite number ≥ 0")


def _energies(frame: pd.DataFrame) -> dict[str, float]:
    out = {"facility_mwh": metrics.energy_mwh(frame, "facility_mw"), "it_mwh": metrics.energy_mwh(frame, "it_mw")}
    for col in OPTIONAL_COLUMNS:
        out[col if col.endswith("_m3") else col.removesuffix("_mw") + "_mwh"] = metrics.energy_mwh(frame, col)
    return out


def _json_number(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def _assumptions(opts: KpiOptions) -> dict[str, Any]:
    """The options as JSON values; an hourly grid CFE series as its span and mean."""
    out = {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(opts).items()}
    share = opts.grid_cfe_share
    if isinstance(share, pd.Series):
        out["grid_cfe_share"] = {
            "hourly_values": len(share),
            "first_hour": share.index[0].isoformat(),
            "last_hour": share.index[-1].isoformat(),
            "mean": float(share.mean()),
        }
    return out


def kpi_report(
    frame: pd.DataFrame,
    options: KpiOptions | None = None,
    source: str = "telemetry",
    allow_unknown: bool = False,
) -> dict[str, Any]:
    """Every KPI of a telemetry series, with its period, labels and energies, as a JSON-ready dict.

    Parameters
    ----------
    frame : pandas.DataFrame
        Telemetry (:mod:`greendc.kpi.telemetry`) [MW, m³ per step]; a plan's or a simulation's dispatch,
        or meter readings.
    options : KpiOptions, optional
        Meter category, labels and boundary factors (defaults: category 1, metered, no grid factors).
    source : str
        Name of the series, used in messages and copied to the report.
    allow_unknown : bool
        Ignore columns that are not telemetry columns instead of raising.

    Returns
    -------
    dict
        ``pue``, ``ref``, ``wue_l_per_kwh``, ``cue_kg_per_kwh``, ``erf``, ``cfe_share`` (24/7 CFE of the
        served load), ``served_facility_fraction`` (served over demanded facility energy,
        :func:`~greendc.kpi.metrics.served_fraction`) (each ``None`` when undefined for the data, with the
        reason in ``notes``), ``period_start``, ``period_end`` (ISO 8601,
        end exclusive), ``hours``, ``step_h``, ``pue_category``, ``pue_category_meaning``, ``pue_kind``,
        ``cfe_interval_h``, the energies ``<column>_mwh`` of every telemetry power column (``water_m3`` as a
        volume), ``renewable_on_site_mwh``, ``renewable_grid_mwh``, ``renewable_mwh``, ``cfe_matched_mwh``,
        ``co2e_kg``, ``availability`` (per workload class, :func:`~greendc.kpi.metrics.availability_by_class`),
        ``columns_absent`` (optional columns counted as zero), ``assumptions`` (the options) and ``notes``.

    Notes
    -----
    Formulas and boundary: :mod:`greendc.kpi.metrics` (PUE ISO/IEC 30134-2, REF 30134-3, ERF 30134-6,
    CUE 30134-8, WUE 30134-9) and :mod:`greendc.kpi.cfe` (hourly 24/7 CFE score, storage carrying the
    carbon-free share of what charged it). The CFE score counts served load only; unserved load shows in
    ``served_facility_fraction``.
    """
    opts = options if options is not None else KpiOptions()
    check_telemetry(frame, source=source, allow_unknown=allow_unknown)
    with metrics.checked_once(frame):
        return _report(frame, opts, source)


def _report(frame: pd.DataFrame, opts: KpiOptions, source: str) -> dict[str, Any]:
    """:func:`kpi_report` of a frame already checked."""
    start, end = metrics.period(frame)
    dt_h = step_hours(frame)
    e = _energies(frame)
    notes: list[str] = []
    absent = [c for c in OPTIONAL_COLUMNS if c not in frame.columns]
    if absent:
        notes.append(f"columns absent, counted as zero: {', '.join(absent)}")

    pue = metrics.pue(frame)
    ren = metrics.renewable_energy_mwh(
        frame, opts.renewable_columns, opts.grid_renewable_share, opts.sold_certificates_mwh
    )
    ref = metrics.ref(frame, opts.renewable_columns, opts.grid_renewable_share, opts.sold_certificates_mwh)
    cue: float | None
    co2e_kg: float | None
    if opts.grid_emission_factor_kg_per_kwh is None and e["grid_import_mwh"] > 0.0:
        cue = co2e_kg = None
        notes.append(
            f"cue_kg_per_kwh is null: {e['grid_import_mwh']:g} MWh of grid import and no grid emission factor given"
        )
    else:
        cue = metrics.cue_kg_per_kwh(
            frame, opts.grid_emission_factor_kg_per_kwh, opts.fuel_cell_emission_factor_kg_per_kwh
        )
        co2e_kg = cue * e["it_mwh"] * 1000.0
    cfe_score: float | None
    try:
        hourly = cfe.cfe_hourly(frame, opts.grid_cfe_share, opts.initial_storage_cfe_share)
        cfe_score = cfe.cfe_score(hourly)
        matched, cfe_interval_h = float(hourly["matched_mwh"].sum()), max(1.0, dt_h)
    except TelemetryError as exc:  # a step that fits no hourly grid: say why instead of failing every KPI
        cfe_score = matched = cfe_interval_h = None
        notes.append(f"cfe_share is null: {exc}")
    if dt_h > 1.0 and cfe_score is not None:
        notes.append(f"cfe_share matched over {dt_h:g}-hour steps, not hourly: an upper bound of the hourly score")
    served: float | None
    try:
        served = metrics.served_fraction(frame)
    except TelemetryError as exc:
        served = None
        notes.append(f"served_facility_fraction is null: {exc}")

    report: dict[str, Any] = {
        "source": source,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "hours": len(frame) * dt_h,
        "step_h": dt_h,
        "pue": pue,
        "pue_category": opts.pue_category,
        "pue_category_meaning": metrics.MEASUREMENT_CATEGORIES[opts.pue_category],
        "pue_kind": metrics.pue_kind(frame, designed=opts.designed, partial=opts.partial),
        "ref": ref,
        "wue_l_per_kwh": wue_l_per_kwh(frame),
        "wue_total_l_per_kwh": wue_l_per_kwh(frame, kind="total"),
        "cue_kg_per_kwh": cue,
        "erf": metrics.erf(frame),
        "cfe_share": cfe_score,
        "served_facility_fraction": served,
        "cfe_interval_h": cfe_interval_h,
        **e,
        "renewable_on_site_mwh": ren["on_site_mwh"],
        "renewable_grid_mwh": ren["grid_mwh"],
        "renewable_mwh": ren["total_mwh"],
        "cfe_matched_mwh": matched,
        "co2e_kg": co2e_kg,
        "availability": metrics.availability_by_class(frame),
        "columns_absent": absent,
        "assumptions": _assumptions(opts),
        "notes": notes,
    }
    return {k: (_json_number(v) if isinstance(v, float) else v) for k, v in report.items()}
