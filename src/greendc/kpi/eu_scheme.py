"""The EU data-centre reporting scheme: Annex I information, Annex II indicators, Annex III sustainability indicators.

:func:`eu_reporting_fields` fills the fields of Commission Delegated Regulation (EU) 2024/1364 [1]_ from a
telemetry series (energies, water, renewables) and from a scenario (the declared facts of its ``reporting``
section, :class:`~greendc.scenario.reporting.Reporting`, the installed IT power and the site). A field the data
cannot give is ``None``: an absent meter or an undeclared fact is not a zero.

Each field carries the label of its evidence:

- ``[R]`` the field was read in the text of the Regulation, at the point given in ``reference``. Read were
  Art. 1 (scope, 500 kW), Art. 2(1)-(3) (data-centre types, English text) and Annex I points 1(a)-(e) and 2(a)-(b)
  (German official text, as mirrored from EUR-Lex).
- ``[S]`` the field is known from secondary sources only: the text of Annexes II and III and of Annex VII of
  Directive (EU) 2023/1791 [2]_ could not be retrieved here. The fields follow legal summaries, the national
  transpositions of Annex VII (Austria, EEffG § 72a; Italy, DL 131/2024 Art. 16), a measurement guide written
  against Annex II and the EXIGENCE project's quotations of the definitions. Check names, units and annex points
  against the EUR-Lex text before filing.
- ``[-]`` not a field of the scheme: added so that a site without an EU location code can be located, or so that
  a declared Uptime tier travels with the redundancy levels.

The scheme is law only in the EU Member States; ``applicability`` says whether it applies to the site or is an
EU template applied to a site outside the EU (the Dakhla default, in Morocco).

References
----------
.. [1] Commission Delegated Regulation (EU) 2024/1364 of 14 March 2024 on the first phase of the
   establishment of a common Union rating scheme for data centres, OJ L, 17.5.2024,
   ELI http://data.europa.eu/eli/reg_del/2024/1364/oj
.. [2] Directive (EU) 2023/1791 on energy efficiency, Art. 12 and Annex VII.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from greendc.errors import TelemetryError
from greendc.kpi import metrics
from greendc.kpi.reporting import KpiOptions, _json_number
from greendc.kpi.telemetry import OPTIONAL_COLUMNS, check_telemetry
from greendc.kpi.water import water_input_m3
from greendc.scenario.models import Scenario
from greendc.scenario.reporting import Reporting

__all__ = ["EU_MEMBER_STATES", "EVIDENCE_LABELS", "REPORTING_THRESHOLD_KW", "applicability", "eu_reporting_fields"]

#: ISO 3166-1 alpha-2 codes of the 27 EU Member States (Greece is GR, not Eurostat's EL).
EU_MEMBER_STATES: frozenset[str] = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()
)

#: Installed IT power demand from which the scheme applies [kW] (Regulation (EU) 2024/1364, Art. 1).
REPORTING_THRESHOLD_KW = 500.0

#: What each evidence label means.
EVIDENCE_LABELS: dict[str, str] = {
    "[R]": "read in the text of Regulation (EU) 2024/1364 at the point given in 'reference'",
    "[S]": "from secondary sources only (summaries, national transpositions, measurement guides); check on EUR-Lex",
    "[-]": "not a field of the scheme; added to locate a site without an EU location code or to carry a tier",
}

_ANNEX_II_S = "Annex II (point not read; secondary sources)"
_ANNEX_VII_B = "Directive (EU) 2023/1791 Annex VII(b); Annex II (point not read; secondary sources)"


def _field(symbol: str, value: Any, unit: str, evidence: str, reference: str, rule: str) -> dict[str, Any]:
    if isinstance(value, float):
        value = _json_number(value)
    return {
        "symbol": symbol,
        "value": value,
        "unit": unit,
        "evidence": evidence,
        "reference": reference,
        "rule": rule,
    }


def _declared(reporting: Reporting | None, path: str) -> Any:
    """The declared value at a dotted ``path`` of the reporting section, None where undeclared or no scenario."""
    obj: Any = reporting
    for name in path.split("."):
        obj = None if obj is None else getattr(obj, name)
    return obj


def applicability(country: str | None, installed_it_kw: float | None) -> str:
    """Whether the EU scheme applies to a site, as a sentence for the report.

    Parameters
    ----------
    country : str, optional
        ISO 3166-1 alpha-2 code of the site's country (``reporting.country``); None when undeclared.
    installed_it_kw : float, optional
        Installed IT power demand [kW].

    Returns
    -------
    str
        For a non-EU country, that the fields are the EU template applied to a non-EU site; for an EU Member
        State, whether the installed IT power reaches the 500 kW threshold of Art. 1; else that it was not checked.
    """
    if country is None:
        return (
            "country not declared (reporting.country): whether Delegated Regulation (EU) 2024/1364 applies was not "
            "checked; the fields follow its template"
        )
    if country not in EU_MEMBER_STATES:
        return (
            f"{country} is not an EU Member State: Delegated Regulation (EU) 2024/1364 does not apply there; these "
            "fields are the EU template applied to a non-EU site, for comparison with EU data centres"
        )
    if installed_it_kw is None:
        return f"{country} is an EU Member State: the scheme applies from {REPORTING_THRESHOLD_KW:g} kW of installed IT"
    verdict = "applies" if installed_it_kw >= REPORTING_THRESHOLD_KW else "does not apply (below the threshold)"
    return (
        f"{country} is an EU Member State and the installed IT power demand is {installed_it_kw:g} kW: the scheme "
        f"{verdict} (Art. 1: at least {REPORTING_THRESHOLD_KW:g} kW)"
    )


def _annex_i(scenario: Scenario | None) -> dict[str, dict[str, Any]]:
    r = None if scenario is None else scenario.reporting
    coordinates = None
    if scenario is not None:
        coordinates = {"latitude_deg": scenario.site.latitude, "longitude_deg": scenario.site.longitude}
    redundancy_rule = "N = capacity for the full load; one of N, N+1, N+2, 2N, 2N+1, 2(N+1)"
    return {
        "name": _field(
            "", _declared(r, "name"), "text", "[R]", "Annex I point 1(a)", "name identifying the data centre"
        ),
        "owner": _field("", _declared(r, "owner"), "text", "[R]", "Annex I point 1(b)", "owner name"),
        "operator": _field("", _declared(r, "operator"), "text", "[R]", "Annex I point 1(b)", "operator name"),
        "contact": _field(
            "", _declared(r, "contact"), "text", "[R]", "Annex I point 1(b)", "owner and operator contacts"
        ),
        "location_lau_code": _field(
            "",
            _declared(r, "lau_code"),
            "code",
            "[R]",
            "Annex I point 1(c)",
            "Eurostat local administrative unit code of the site; none exists outside the EU",
        ),
        "location_municipality": _field(
            "",
            _declared(r, "municipality"),
            "text",
            "[S]",
            "Directive (EU) 2023/1791 Annex VII(a)",
            "municipality where the data centre is based",
        ),
        "location_country": _field(
            "",
            _declared(r, "country"),
            "ISO 3166-1 alpha-2",
            "[-]",
            "implied by the LAU code of Annex I point 1(c)",
            "country of the site (reporting.country)",
        ),
        "location_coordinates": _field(
            "",
            coordinates,
            "degrees (WGS 84)",
            "[-]",
            "stands in for the LAU code outside the EU",
            "site.latitude, site.longitude",
        ),
        "type": _field(
            "",
            _declared(r, "type"),
            "enterprise | colocation | co-hosting",
            "[R]",
            "Annex I point 1(d); Art. 2(1)-(3)",
            "type matching the main operation of the data centre",
        ),
        "operation_start": _field(
            "",
            _declared(r, "operation_start"),
            "YYYY-MM",
            "[R]",
            "Annex I point 1(e)",
            "calendar year and month the data centre began providing IT services",
        ),
        "redundancy_power_grid": _field(
            "",
            _declared(r, "redundancy.power_grid"),
            "level",
            "[R]",
            "Annex I point 2(a)",
            f"electrical infrastructure, grid (high-voltage) level; {redundancy_rule}",
        ),
        "redundancy_power_row": _field(
            "",
            _declared(r, "redundancy.power_row"),
            "level",
            "[R]",
            "Annex I point 2(a)",
            f"electrical infrastructure, low-voltage (row) level; {redundancy_rule}",
        ),
        "redundancy_power_rack": _field(
            "",
            _declared(r, "redundancy.power_rack"),
            "level",
            "[R]",
            "Annex I point 2(a)",
            f"electrical infrastructure, rack level; {redundancy_rule}",
        ),
        "redundancy_cooling": _field(
            "",
            _declared(r, "redundancy.cooling"),
            "level",
            "[R]",
            "Annex I point 2(b)",
            f"cooling infrastructure; {redundancy_rule}",
        ),
        "uptime_tier": _field(
            "",
            _declared(r, "redundancy.uptime_tier"),
            "I-IV",
            "[-]",
            "not in the Regulation",
            "Uptime Institute tier, if declared",
        ),
    }


def _declared_annex_ii(scenario: Scenario | None) -> dict[str, dict[str, Any]]:
    """Annex II fields that a scenario declares (sizes, refrigerants, data, grid functions)."""
    r = None if scenario is None else scenario.reporting
    it_kw = None if scenario is None else scenario.datacenter.it_capacity_mw * 1000.0
    setpoint = None if scenario is None else scenario.datacenter.cooling.supply_air_temp
    refrigerants = _declared(r, "refrigerants")
    return {
        "installed_it_power": _field(
            "P_DIT",
            it_kw,
            "kW",
            "[S]",
            _ANNEX_VII_B,
            "sum of the nominal power demand of network, servers and storage in the computer room "
            "(datacenter.it_capacity_mw x 1000)",
        ),
        "total_floor_area": _field(
            "", _declared(r, "floor_areas.total_m2"), "m2", "[S]", _ANNEX_VII_B, "floor area of the data centre"
        ),
        "computer_room_floor_area": _field(
            "",
            _declared(r, "floor_areas.computer_room_m2"),
            "m2",
            "[S]",
            _ANNEX_VII_B,
            "floor area of the computer rooms",
        ),
        "average_it_intake_air_setpoint": _field(
            "",
            setpoint,
            "degC",
            "[S]",
            _ANNEX_II_S,
            "design supply-air temperature of the scenario (datacenter.cooling.supply_air_temp), not a metered average",
        ),
        "average_waste_heat_temperature": _field("", None, "degC", "[S]", _ANNEX_II_S, "not in telemetry nor scenario"),
        "refrigerants": _field(
            "",
            None if refrigerants is None else [x.model_dump() for x in refrigerants],
            "type; gwp_100yr [kg CO2e/kg]; charge_kg [kg]",
            "[S]",
            _ANNEX_II_S,
            "refrigerants of the cooling plant (reporting.refrigerants); [] = none used",
        ),
        "grid_functions": _field(
            "", _declared(r, "grid_functions"), "text", "[S]", _ANNEX_II_S, "grid services the data centre offers"
        ),
        "ict_capacity_servers": _field("C_SERV", None, "", "[S]", _ANNEX_II_S, "no measurement method in the sources"),
        "ict_capacity_storage": _field("C_STOR", None, "", "[S]", _ANNEX_II_S, "no measurement method in the sources"),
        "incoming_traffic_bandwidth": _field(
            "",
            _declared(r, "data_traffic.incoming_bandwidth_gbit_per_s"),
            "Gbit/s",
            "[S]",
            _ANNEX_VII_B,
            "incoming bandwidth",
        ),
        "outgoing_traffic_bandwidth": _field(
            "",
            _declared(r, "data_traffic.outgoing_bandwidth_gbit_per_s"),
            "Gbit/s",
            "[S]",
            _ANNEX_VII_B,
            "outgoing bandwidth",
        ),
        "incoming_data_traffic": _field(
            "",
            _declared(r, "data_traffic.incoming_tb_per_year"),
            "TB/year",
            "[S]",
            _ANNEX_VII_B,
            "annual incoming traffic",
        ),
        "outgoing_data_traffic": _field(
            "",
            _declared(r, "data_traffic.outgoing_tb_per_year"),
            "TB/year",
            "[S]",
            _ANNEX_VII_B,
            "annual outgoing traffic",
        ),
        "data_stored": _field(
            "", _declared(r, "data_stored_tb"), "TB", "[S]", _ANNEX_VII_B, "data stored in the data centre"
        ),
        "data_processed": _field(
            "",
            _declared(r, "data_processed_tb_per_year"),
            "TB/year",
            "[S]",
            _ANNEX_VII_B,
            "data processed in the data centre",
        ),
    }


def eu_reporting_fields(
    frame: pd.DataFrame,
    options: KpiOptions | None = None,
    year: int | None = None,
    backup_columns: tuple[str, ...] | None = None,
    scenario: Scenario | None = None,
) -> dict[str, Any]:
    """The fields of Delegated Regulation (EU) 2024/1364 (Annexes I, II, III) from telemetry and a scenario.

    Parameters
    ----------
    frame : pandas.DataFrame
        Telemetry (:mod:`greendc.kpi.telemetry`) [MW, m³ per step].
    options : KpiOptions, optional
        Meter category and boundary factors (as :func:`~greendc.kpi.reporting.kpi_report`).
    year : int, optional
        Calendar year to report (UTC); by default the whole series.
    backup_columns : tuple of str, optional
        Telemetry columns that are back-up generation (e.g. ``("fuel_cell_mw",)`` where fuel cells replace
        diesel gensets). Which sources are back-up is a design fact, not in the telemetry: E_DC-BG is null
        unless given.
    scenario : Scenario, optional
        Gives the Annex I information (``reporting``, ``site``), the installed IT power
        (``datacenter.it_capacity_mw``) and the declared Annex II facts; without it those fields are null.

    Returns
    -------
    dict
        ``regulation``, ``applicability`` (sentence: the scheme applies, or is an EU template applied to a non-EU
        site), ``evidence_labels``, ``reporting_period`` (``start``, ``end``, ``calendar_year`` or None,
        ``complete_calendar_year``), ``annex_i``, ``annex_ii`` and ``annex_iii``: field name →
        ``{"symbol", "value", "unit", "evidence", "reference", "rule"}`` with ``value`` None when the data cannot
        give it; ``notes``.

    Raises
    ------
    TelemetryError
        No data in ``year``; a backup column that is not a telemetry power column.

    Notes
    -----
    Energies are reported in kWh (MWh × 1000), water in m³. Annex III:
    ``PUE = E_DC / E_IT``, ``WUE = WIN / E_IT``, ``ERF = E_REUSE / E_DC``, ``REF = E_RES-TOT / E_DC``.
    A telemetry field is None when its column is absent (an absent meter is not a zero reading), and E_RES-GOO
    and E_RES-PPA are always None: a time series cannot tell which grid kWh came with a cancelled guarantee of
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
    if scenario is None:
        notes.append("no scenario given: the Annex I information and the declared Annex II facts are null")
    elif scenario.datacenter.phases:
        notes.append("installed_it_power is the full build-out; the phases in service during the year are not weighted")
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

    def kwh(mwh: float | None) -> float | None:
        return None if mwh is None else mwh * 1000.0

    annex_ii = {
        "total_energy_consumption": _field(
            "E_DC",
            kwh(e_dc),
            "kWh",
            "[S]",
            _ANNEX_II_S,
            "at the data-centre input before the static transfer switch (facility_mw)",
        ),
        "backup_generation_energy": _field(
            "E_DC-BG", kwh(bg), "kWh", "[S]", _ANNEX_II_S, "back-up generators, metered separately (backup_columns)"
        ),
        "it_energy_consumption": _field(
            "E_IT",
            kwh(e_it),
            "kWh",
            "[S]",
            _ANNEX_II_S,
            f"at the UPS outputs, PUE category 1 (here category {opts.pue_category})",
        ),
        "total_water_input": _field(
            "WIN", win, "m3", "[S]", _ANNEX_II_S, "at the data-centre boundary, WUE category 2 else 1 (water_m3)"
        ),
        "total_potable_water_input": _field(
            "WIN-POT", None, "m3", "[S]", _ANNEX_II_S, "not in telemetry: which water is potable"
        ),
        "freshwater_input": _field(
            "WIN-FRE",
            water_input_m3(frame, "fresh") if win is not None else None,
            "m3",
            "[S]",
            "C(2026) 3472 (amends 2024/1364: WUE = WIN-FRE / E_IT)",
            "fresh_water_m3, else all of water_m3",
        ),
        "waste_heat_reused": _field(
            "E_REUSE",
            kwh(reuse),
            "kWh",
            "[S]",
            _ANNEX_II_S,
            "at the hand-over point, own cooling use subtracted (reused_heat_mw)",
        ),
        "renewable_energy_total": _field(
            "E_RES-TOT",
            kwh(None if ren is None else ren["total_mwh"]),
            "kWh",
            "[S]",
            _ANNEX_II_S,
            "GOO + PPA + OS, no double counting",
        ),
        "renewable_energy_guarantees_of_origin": _field(
            "E_RES-GOO", None, "kWh", "[S]", _ANNEX_II_S, "not in telemetry: guarantees of origin owned and cancelled"
        ),
        "renewable_energy_ppa": _field(
            "E_RES-PPA", None, "kWh", "[S]", _ANNEX_II_S, "not in telemetry: power purchase agreements"
        ),
        "renewable_energy_on_site": _field(
            "E_RES-OS",
            kwh(None if ren is None else ren["on_site_mwh"]),
            "kWh",
            "[S]",
            _ANNEX_II_S,
            "on-site renewable energy used by the data centre, certificates retired (not sold)",
        ),
        **_declared_annex_ii(scenario),
    }
    annex_iii = {
        "power_usage_effectiveness": _field("PUE", metrics.pue(frame), "1", "[S]", "Annex III", "E_DC / E_IT"),
        "water_usage_effectiveness": _field(
            "WUE", None if win is None else win / e_it, "m3/MWh (= L/kWh)", "[S]", "Annex III", "WIN / E_IT"
        ),
        "energy_reuse_factor": _field(
            "ERF", None if reuse is None else reuse / e_dc, "1", "[S]", "Annex III", "E_REUSE / E_DC"
        ),
        "renewable_energy_factor": _field(
            "REF",
            None if ren is None else min(1.0, ren["total_mwh"] / e_dc),
            "1",
            "[S]",
            "Annex III",
            "E_RES-TOT / E_DC",
        ),
    }
    country = None if scenario is None else scenario.reporting.country
    return {
        "regulation": "Commission Delegated Regulation (EU) 2024/1364, Annexes I, II and III",
        "applicability": applicability(country, annex_ii["installed_it_power"]["value"]),
        "evidence_labels": EVIDENCE_LABELS,
        "reporting_period": {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "calendar_year": cal_year if complete else None,
            "complete_calendar_year": complete,
        },
        "annex_i": _annex_i(scenario),
        "annex_ii": annex_ii,
        "annex_iii": annex_iii,
        "notes": notes,
    }
