"""The KPI report of a telemetry series, and the annual fields of the EU data-centre reporting scheme.

:func:`kpi_report` assembles every KPI of :mod:`greendc.kpi.metrics` with the energies behind them, the
period, the PUE label and availability by workload class, as a JSON-ready dict. :func:`eu_reporting_fields`
gives the key performance indicators of Commission Delegated Regulation (EU) 2024/1364 (Annex II) and its
four sustainability indicators (Annex III) that a metered series can give, each ``None`` when it cannot.

References
----------
.. [1] Directive (EU) 2023/1791 on energy efficiency, Art. 12 and Annex VII.
.. [2] Commission Delegated Regulation (EU) 2024/1364 of 14 March 2024 on the first phase of the
   establishment of a common Union rating scheme for data centres, OJ L, 17.5.2024,
   ELI http://data.europa.eu/eli/reg_del/2024/1364/oj
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from greendc.errors import GreendcError
from greendc.kpi import metrics
from greendc.kpi.telemetry import OPTIONAL_COLUMNS, TelemetryError, check_telemetry, step_hours

__all__ = ["KpiOptions", "eu_reporting_fields", "kpi_report"]


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
    grid_cfe_share : float
        Carbon-free share of grid import [-] (24/7 CFE score).
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
    grid_cfe_share: float = 0.0
    sold_certificates_mwh: float = 0.0
    renewable_columns: tuple[str, ...] = metrics.RENEWABLE_COLUMNS

    def __post_init__(self) -> None:
        if self.pue_category not in metrics.MEASUREMENT_CATEGORIES:
            raise GreendcError(
                f"pue_category = {self.pue_category!r}; allowed: "
                + ", ".join(f"{k} ({v})" for k, v in metrics.MEASUREMENT_CATEGORIES.items())
            )
        for name in ("grid_renewable_share", "grid_cfe_share"):
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
        ``pue``, ``ref``, ``wue_l_per_kwh``, ``cue_kg_per_kwh``, ``erf``, ``cfe_share`` (each ``None`` when
        undefined for the data, with the reason in ``notes``), ``period_start``, ``period_end`` (ISO 8601,
        end exclusive), ``hours``, ``step_h``, ``pue_category``, ``pue_category_meaning``, ``pue_kind``,
        ``cfe_interval_h``, the energies ``<column>_mwh`` of every telemetry power column (``water_m3`` as a
        volume), ``renewable_on_site_mwh``, ``renewable_grid_mwh``, ``renewable_mwh``, ``cfe_matched_mwh``,
        ``co2e_kg``, ``availability`` (per workload class, :func:`~greendc.kpi.metrics.availability_by_class`),
        ``columns_absent`` (optional columns counted as zero), ``assumptions`` (the options) and ``notes``.

    Notes
    -----
    Formulas and boundary: :mod:`greendc.kpi.metrics` (PUE ISO/IEC 30134-2, REF 30134-3, ERF 30134-6,
    CUE 30134-8, WUE 30134-9, hourly 24/7 CFE score).
    """
    opts = options if options is not None else KpiOptions()
    check_telemetry(frame, source=source, allow_unknown=allow_unknown)
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
    try:
        hourly = metrics.cfe_hourly(frame, opts.grid_cfe_share)
        cfe, matched = metrics.cfe_share(frame, opts.grid_cfe_share), float(hourly["matched_mwh"].sum())
        cfe_interval_h = max(1.0, dt_h)
    except TelemetryError as exc:  # a step that fits no hourly grid: say why instead of failing every KPI
        cfe = matched = cfe_interval_h = None
        notes.append(f"cfe_share is null: {exc}")
    if dt_h > 1.0 and cfe is not None:
        notes.append(f"cfe_share matched over {dt_h:g}-hour steps, not hourly: an upper bound of the hourly score")

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
        "wue_l_per_kwh": metrics.wue_l_per_kwh(frame),
        "cue_kg_per_kwh": cue,
        "erf": metrics.erf(frame),
        "cfe_share": cfe,
        "cfe_interval_h": cfe_interval_h,
        **e,
        "renewable_on_site_mwh": ren["on_site_mwh"],
        "renewable_grid_mwh": ren["grid_mwh"],
        "renewable_mwh": ren["total_mwh"],
        "cfe_matched_mwh": matched,
        "co2e_kg": co2e_kg,
        "availability": metrics.availability_by_class(frame),
        "columns_absent": absent,
        "assumptions": {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(opts).items()},
        "notes": notes,
    }
    return {k: (_json_number(v) if isinstance(v, float) else v) for k, v in report.items()}


def _field(symbol: str, value: float | None, unit: str, evidence: str, rule: str) -> dict[str, Any]:
    return {"symbol": symbol, "value": _json_number(value), "unit": unit, "evidence": evidence, "rule": rule}


def eu_reporting_fields(
    frame: pd.DataFrame,
    options: KpiOptions | None = None,
    year: int | None = None,
    backup_columns: tuple[str, ...] | None = None,
) -> dict[str, Any]:
    """Annual KPIs of Delegated Regulation (EU) 2024/1364 (Annexes II and III) that the telemetry gives.

    Parameters
    ----------
    frame : pandas.DataFrame
        Telemetry (:mod:`greendc.kpi.telemetry`) [MW, m³ per step].
    options : KpiOptions, optional
        Meter category and boundary factors (as :func:`kpi_report`).
    year : int, optional
        Calendar year to report (UTC); by default the whole series.
    backup_columns : tuple of str, optional
        Telemetry columns that are back-up generation (e.g. ``("fuel_cell_mw",)`` where fuel cells replace
        diesel gensets). Which sources are back-up is a design fact, not in the telemetry: E_DC-BG is null
        unless given.

    Returns
    -------
    dict
        ``reporting_period`` (``start``, ``end``, ``calendar_year`` or None, ``complete_calendar_year``),
        ``annex_ii`` and ``annex_iii``: field name → ``{"symbol", "value", "unit", "evidence", "rule"}`` with
        ``value`` None when the data cannot give it; ``notes``.

    Raises
    ------
    TelemetryError
        No data in ``year``; a backup column that is not a telemetry power column.

    Notes
    -----
    The field list is a **reconstruction** from secondary sources (legal summaries of the Regulation and a
    measurement guide written against its Annex II; the annex text itself was not read), hence the evidence
    label [S] on every field. Check names and units against the EUR-Lex text before filing. Energies are
    reported in kWh (MWh × 1000), water in m³. Annex III:
    ``PUE = E_DC / E_IT``, ``WUE = WIN / E_IT``, ``ERF = E_REUSE / E_DC``, ``REF = E_RES-TOT / E_DC``.
    A field is None when its column is absent (an absent meter is not a zero reading), and E_RES-GOO and
    E_RES-PPA are always None: a time series cannot tell which grid kWh came with a cancelled guarantee of
    origin or a power purchase agreement.
    """
    opts = options if options is not None else KpiOptions()
    check_telemetry(frame, allow_unknown=True)
    notes: list[str] = []
    if year is not None:
        frame = frame[frame.index.year == int(year)]
        if len(frame) < 2:
            raise TelemetryError(f"no telemetry (fewer than two steps) in calendar year {year} (UTC)")
    start, end = metrics.period(frame)
    cal_year = start.year if start == pd.Timestamp(year=start.year, month=1, day=1, tz="UTC") else None
    complete = cal_year is not None and end == pd.Timestamp(year=cal_year + 1, month=1, day=1, tz="UTC")
    if not complete:
        notes.append("the series is not one complete calendar year: the scheme reports the preceding calendar year")
    if opts.pue_category != 1:
        notes.append(f"E_IT is metered at category {opts.pue_category}; the scheme asks for category 1 (UPS outputs)")
    present = set(frame.columns)
    e_dc, e_it = metrics.energy_mwh(frame, "facility_mw"), metrics.energy_mwh(frame, "it_mw")
    win = metrics.energy_mwh(frame, "water_m3") if "water_m3" in present else None
    reuse = metrics.energy_mwh(frame, "reused_heat_mw") if "reused_heat_mw" in present else None
    bg = None
    if backup_columns is not None:
        power = [c for c in OPTIONAL_COLUMNS if c.endswith("_mw")]
        bad = [c for c in backup_columns if c not in power]
        if bad:
            raise TelemetryError(f"backup column(s) {bad} are not telemetry power columns; allowed: {power}")
        bg = sum(metrics.energy_mwh(frame, c) for c in backup_columns)
    ren = None
    if present & set(opts.renewable_columns) or "grid_import_mw" in present:
        ren = metrics.renewable_energy_mwh(
            frame, opts.renewable_columns, opts.grid_renewable_share, opts.sold_certificates_mwh
        )
    else:
        notes.append(f"no renewable generation column ({', '.join(opts.renewable_columns)}) nor grid import column")
    kwh = 1000.0

    def k(v: float | None) -> float | None:
        return None if v is None else v * kwh

    annex_ii = {
        "total_energy_consumption": _field(
            "E_DC", k(e_dc), "kWh", "[S]", "at the data-centre input before the static transfer switch (facility_mw)"
        ),
        "backup_generation_energy": _field(
            "E_DC-BG", k(bg), "kWh", "[S]", "back-up generators, metered separately (backup_columns)"
        ),
        "it_energy_consumption": _field(
            "E_IT", k(e_it), "kWh", "[S]", f"at the UPS outputs, PUE category 1 (here category {opts.pue_category})"
        ),
        "total_water_input": _field(
            "WIN", win, "m3", "[S]", "at the data-centre boundary, WUE category 2 else 1 (water_m3)"
        ),
        "total_potable_water_input": _field("WIN-POT", None, "m3", "[S]", "not in telemetry: which water is potable"),
        "waste_heat_reused": _field(
            "E_REUSE", k(reuse), "kWh", "[S]", "at the hand-over point, own cooling use subtracted (reused_heat_mw)"
        ),
        "average_waste_heat_temperature": _field("", None, "degC", "[S]", "not in telemetry"),
        "average_it_intake_air_setpoint": _field("", None, "degC", "[S]", "not in telemetry"),
        "renewable_energy_total": _field(
            "E_RES-TOT",
            k(None if ren is None else ren["total_mwh"]),
            "kWh",
            "[S]",
            "GOO + PPA + OS, no double counting",
        ),
        "renewable_energy_guarantees_of_origin": _field(
            "E_RES-GOO", None, "kWh", "[S]", "not in telemetry: guarantees of origin owned and cancelled"
        ),
        "renewable_energy_ppa": _field("E_RES-PPA", None, "kWh", "[S]", "not in telemetry: power purchase agreements"),
        "renewable_energy_on_site": _field(
            "E_RES-OS",
            k(None if ren is None else ren["on_site_mwh"]),
            "kWh",
            "[S]",
            "on-site renewable energy used by the data centre, certificates retired (not sold)",
        ),
        "grid_functions": _field("", None, "text", "[S]", "not in telemetry: grid services the data centre offers"),
        "ict_capacity_servers": _field("C_SERV", None, "", "[S]", "not in telemetry"),
        "ict_capacity_storage": _field("C_STOR", None, "", "[S]", "not in telemetry"),
    }
    annex_iii = {
        "power_usage_effectiveness": _field("PUE", metrics.pue(frame), "1", "[S]", "E_DC / E_IT"),
        "water_usage_effectiveness": _field(
            "WUE", None if win is None else win / e_it, "m3/MWh (= L/kWh)", "[S]", "WIN / E_IT"
        ),
        "energy_reuse_factor": _field("ERF", None if reuse is None else reuse / e_dc, "1", "[S]", "E_REUSE / E_DC"),
        "renewable_energy_factor": _field(
            "REF", None if ren is None else min(1.0, ren["total_mwh"] / e_dc), "1", "[S]", "E_RES-TOT / E_DC"
        ),
    }
    return {
        "regulation": "Commission Delegated Regulation (EU) 2024/1364, Annexes II and III (reconstructed field list)",
        "reporting_period": {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "calendar_year": cal_year if complete else None,
            "complete_calendar_year": complete,
        },
        "annex_ii": annex_ii,
        "annex_iii": annex_iii,
        "notes": notes,
    }
