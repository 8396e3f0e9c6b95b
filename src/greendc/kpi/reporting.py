"""The KPI report of a telemetry series.

:func:`kpi_report` assembles every KPI of :mod:`greendc.kpi.metrics` and :mod:`greendc.kpi.cfe` with the
energies behind them, the period, the PUE label, the served fraction and availability by workload class, as
a :class:`KpiReport` (:meth:`KpiReport.as_dict` for JSON). The fields of the EU data-centre reporting scheme
are in :mod:`greendc.kpi.eu_scheme`.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

import pandas as pd

from greendc.errors import GreendcError, TelemetryError
from greendc.kpi import cfe, metrics
from greendc.kpi.telemetry import OPTIONAL_COLUMNS, check_telemetry, step_hours
from greendc.kpi.water import wue_l_per_kwh
from greendc.provenance import Provenance, package_versions, provenance_of

__all__ = ["KPI_ROWS", "KpiOptions", "KpiReport", "kpi_provenance", "kpi_report"]

#: The KPIs a report or a table shows, in order: key of :meth:`KpiReport.as_dict`, label, unit, number format
#: (``greendc kpi``'s table, the service's monthly report).
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


@dataclass(frozen=True)
class KpiReport:
    """Every KPI of a telemetry series with its period, labels and the energies behind it (:func:`kpi_report`).

    A KPI that is undefined for the data is None, with the reason in :attr:`notes`; no float field is NaN or
    infinite (such a value becomes None).

    Attributes
    ----------
    source : str
        Name of the series.
    period_start, period_end : str
        First instant and end (exclusive) of the period [UTC, ISO 8601].
    hours : float
        Length of the period [h].
    step_h : float
        Telemetry step [h].
    pue : float or None
        Power usage effectiveness E_DC / E_IT [-] (ISO/IEC 30134-2).
    pue_category : int
        PUE measurement category, where E_IT is metered (:data:`~greendc.kpi.metrics.MEASUREMENT_CATEGORIES`).
    pue_category_meaning : str
        That category in words.
    pue_kind : str
        ``annual``, ``interim``, ``partial-annual``, ``partial-interim`` or ``designed``
        (:func:`~greendc.kpi.metrics.pue_kind`).
    ref : float or None
        Renewable energy factor E_ren / E_DC, capped at 1 [-] (ISO/IEC 30134-3).
    wue_l_per_kwh : float or None
        Water usage effectiveness, freshwater input over E_IT [L/kWh] (ISO/IEC 30134-9).
    wue_total_l_per_kwh : float or None
        The same with all water input, once-through seawater included [L/kWh].
    cue_kg_per_kwh : float or None
        Carbon usage effectiveness [kg CO₂e/kWh of IT energy] (ISO/IEC 30134-8); None when the series imports
        from a grid and no grid emission factor was given.
    erf : float or None
        Energy reuse factor E_reuse / E_DC [-] (ISO/IEC 30134-6).
    cfe_share : float or None
        24/7 carbon-free share of the served load [-] (:mod:`greendc.kpi.cfe`); None when the step fits no
        hourly grid.
    served_facility_fraction : float or None
        Served over demanded facility energy [-] (:func:`~greendc.kpi.metrics.served_fraction`).
    cfe_interval_h : float or None
        Matching interval of the CFE score [h]: one hour, or the step when it is longer.
    energies : Mapping of str to float or None
        ``facility_mwh`` and ``it_mwh``, then for every optional telemetry column in the order of
        :data:`~greendc.kpi.telemetry.OPTIONAL_COLUMNS` its energy ``<column>_mwh`` [MWh] (``pv_mwh`` of
        ``pv_mw``), or for a water column its volume under its own name (``water_m3``) [m³].
    renewable_on_site_mwh, renewable_grid_mwh, renewable_mwh : float or None
        Renewable energy counted by REF: on site, documented renewable grid import, and their sum [MWh]
        (:func:`~greendc.kpi.metrics.renewable_energy_mwh`).
    cfe_matched_mwh : float or None
        Served load matched hour by hour with carbon-free supply [MWh].
    co2e_kg : float or None
        Operational emissions over the period [kg CO₂e] (CUE × E_IT).
    availability : Mapping of str to Mapping
        Per workload class: ``requested_mwh``, ``served_mwh``, ``unserved_mwh`` [MWh], ``served_fraction`` [-]
        (None when nothing was requested), ``shortfall_hours`` and ``longest_shortfall_h`` [h]
        (:func:`~greendc.kpi.metrics.availability_by_class`).
    columns_absent : tuple of str
        Optional telemetry columns the series lacks, counted as zero.
    assumptions : Mapping of str to Any
        The :class:`KpiOptions` as JSON values; an hourly grid CFE share as its span and mean.
    notes : tuple of str
        Why a KPI is None, and caveats on the values.
    """

    source: str
    period_start: str
    period_end: str
    hours: float
    step_h: float
    pue: float | None
    pue_category: int
    pue_category_meaning: str
    pue_kind: str
    ref: float | None
    wue_l_per_kwh: float | None
    wue_total_l_per_kwh: float | None
    cue_kg_per_kwh: float | None
    erf: float | None
    cfe_share: float | None
    served_facility_fraction: float | None
    cfe_interval_h: float | None
    energies: Mapping[str, float | None]
    renewable_on_site_mwh: float | None
    renewable_grid_mwh: float | None
    renewable_mwh: float | None
    cfe_matched_mwh: float | None
    co2e_kg: float | None
    availability: Mapping[str, Mapping[str, float | None]]
    columns_absent: tuple[str, ...]
    assumptions: Mapping[str, Any]
    notes: tuple[str, ...]

    def __post_init__(self) -> None:
        """Non-finite floats, of the fields and of :attr:`energies`, become None."""
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, float):
                object.__setattr__(self, f.name, _json_number(value))
        object.__setattr__(self, "energies", {k: _json_number(v) for k, v in self.energies.items()})

    def as_dict(self) -> dict[str, Any]:
        """The report as a new JSON-ready dict (``greendc kpi``'s ``kpi.json``, the service's answers): the fields
        in their order, :attr:`energies` spread in place of their field, tuples as lists."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "energies":
                out.update(value)
            else:
                out[f.name] = list(value) if isinstance(value, tuple) else copy.deepcopy(value)
        return out


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
) -> KpiReport:
    """Every KPI of a telemetry series, with its period, labels and energies.

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
    KpiReport
        The KPIs (each None when undefined for the data, with the reason in ``notes``), the period, the PUE
        label, the energies, availability by workload class, the options and notes;
        :meth:`KpiReport.as_dict` is its JSON form.

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


def _report(frame: pd.DataFrame, opts: KpiOptions, source: str) -> KpiReport:
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

    return KpiReport(
        source=source,
        period_start=start.isoformat(),
        period_end=end.isoformat(),
        hours=len(frame) * dt_h,
        step_h=dt_h,
        pue=pue,
        pue_category=opts.pue_category,
        pue_category_meaning=metrics.MEASUREMENT_CATEGORIES[opts.pue_category],
        pue_kind=metrics.pue_kind(frame, designed=opts.designed, partial=opts.partial),
        ref=ref,
        wue_l_per_kwh=wue_l_per_kwh(frame),
        wue_total_l_per_kwh=wue_l_per_kwh(frame, kind="total"),
        cue_kg_per_kwh=cue,
        erf=metrics.erf(frame),
        cfe_share=cfe_score,
        served_facility_fraction=served,
        cfe_interval_h=cfe_interval_h,
        energies=e,
        renewable_on_site_mwh=ren["on_site_mwh"],
        renewable_grid_mwh=ren["grid_mwh"],
        renewable_mwh=ren["total_mwh"],
        cfe_matched_mwh=matched,
        co2e_kg=co2e_kg,
        availability=metrics.availability_by_class(frame),
        columns_absent=tuple(absent),
        assumptions=_assumptions(opts),
        notes=tuple(notes),
    )


#: Packages whose versions a KPI report records.
KPI_PACKAGES: tuple[str, ...] = ("greendc", "numpy", "pandas")


def kpi_provenance(frame: pd.DataFrame, source: str) -> Provenance:
    """The provenance of a KPI report of ``frame``: the scenario, hash and weather of the plan or simulation the
    telemetry came from when it carries them (:func:`greendc.provenance.provenance_of`, e.g. a
    ``dispatch.parquet``), the telemetry's name and the stage it came from (``meter readings`` otherwise)."""
    upstream = provenance_of(frame)
    return Provenance(
        "kpi",
        None if upstream is None else upstream.scenario,
        None if upstream is None else upstream.scenario_hash,
        None if upstream is None else upstream.weather,
        package_versions(KPI_PACKAGES),
        details={"telemetry": source, "telemetry_from": "meter readings" if upstream is None else upstream.stage},
    )
