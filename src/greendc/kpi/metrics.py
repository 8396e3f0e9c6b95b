"""Standard data-centre KPIs as pure functions of a telemetry table.

Every function takes a telemetry table (:mod:`greendc.kpi.telemetry`: UTC index of period starts,
power in MW, ``water_m3`` in m³ per step), checks it, and aggregates **energies before dividing**:
energy of a power column = Σ power × step [MWh]; a ratio of energies is never the mean of per-step
ratios (ISO/IEC 30134-2 defines PUE on annual energies). Absent optional columns count as zero. The
hourly 24/7 carbon-free energy score is in :mod:`greendc.kpi.cfe`, which uses the helpers here.

System boundary (EN 50600-4-2 on on-site co-generation: a subsystem metered at its output is external to the
data centre): the **data centre** is everything behind the facility meter ``facility_mw`` (IT, cooling,
power chain, auxiliaries, desalination); the on-site **energy plant** (PV, wind, battery, electrolyser,
hydrogen store, fuel cell) is outside it and delivers energy across that meter. Storage and conversion
losses therefore lie in the energy plant, not in E_DC. ``E_DC = Σ facility_mw Δt``,
``E_IT = Σ it_mw Δt``.

References
----------
.. [1] ISO/IEC 30134-2:2016, Information technology — Data centres — Key performance indicators —
   Part 2: Power usage effectiveness (PUE) (shown as withdrawn in early 2026: cite the edition used);
   EN 50600-4-2:2016.
.. [2] ISO/IEC 30134-3, Part 3: Renewable energy factor (REF); EN 50600-4-3:2016.
.. [3] ISO/IEC 30134-6, Part 6: Energy reuse factor (ERF); EN 50600-4-6.
.. [4] ISO/IEC 30134-8, Part 8: Carbon usage effectiveness (CUE); EN 50600-4-8.
.. [5] ISO/IEC 30134-9, Part 9: Water usage effectiveness (WUE); EN 50600-4-9.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import numpy as np
import pandas as pd

from greendc.errors import GreendcError, TelemetryError
from greendc.kpi.telemetry import OPTIONAL_COLUMNS, check_telemetry, step_hours, workload_classes

__all__ = [
    "MEASUREMENT_CATEGORIES",
    "availability_by_class",
    "checked_once",
    "cue_kg_per_kwh",
    "energy_mwh",
    "erf",
    "period",
    "pue",
    "pue_kind",
    "ref",
    "renewable_energy_mwh",
    "served_fraction",
]

#: PUE measurement categories: where E_IT is metered (E_DC at the boundary meter in all three). ISO/IEC
#: 30134-2 calls them basic, intermediate, advanced; the meter points follow The Green Grid WP#49 and the
#: EU scheme (E_IT at UPS outputs = category 1, Delegated Regulation (EU) 2024/1364).
MEASUREMENT_CATEGORIES: dict[int, str] = {
    1: "E_IT metered at the UPS outputs",
    2: "E_IT metered at the PDU outputs",
    3: "E_IT metered at the IT equipment inputs",
}
#: Default on-site renewable generation columns.
RENEWABLE_COLUMNS: tuple[str, ...] = ("pv_mw", "wind_mw", "csp_mw")
_HOUR = pd.Timedelta(hours=1)


#: The frame that :func:`greendc.kpi.reporting.kpi_report` has checked and is computing the KPIs of: the metrics
#: it calls do not check it again (a report calls about forty of them on one frame).
_CHECKED_FRAME: ContextVar[pd.DataFrame | None] = ContextVar("greendc_kpi_checked_frame", default=None)


@contextmanager
def checked_once(frame: pd.DataFrame) -> Iterator[None]:
    """Within the block, the metrics take ``frame`` (this very object, already checked) as valid."""
    token = _CHECKED_FRAME.set(frame)
    try:
        yield
    finally:
        _CHECKED_FRAME.reset(token)


def _checked(frame: pd.DataFrame) -> float:
    """Check ``frame`` (extra columns ignored) unless it is the one of :func:`checked_once`; return its step [h]."""
    if _CHECKED_FRAME.get() is not frame:
        check_telemetry(frame, allow_unknown=True)
    return step_hours(frame)


def _values(frame: pd.DataFrame, column: str) -> np.ndarray:
    """Values of ``column`` as floats, zeros when the column is absent."""
    if column in frame.columns:
        return pd.to_numeric(frame[column]).to_numpy(dtype=float)
    return np.zeros(len(frame))


def _share(value: float, name: str) -> float:
    if not (np.isfinite(value) and 0.0 <= value <= 1.0):
        raise GreendcError(f"{name} = {value!r} must be a share in [0, 1]")
    return float(value)


def energy_mwh(frame: pd.DataFrame, column: str) -> float:
    """Energy of a power column over the series [MWh], or the volume of ``water_m3`` [m³].

    Notes
    -----
    ``E = Σ_t P_t Δt`` with ``Δt`` the step [h]; ``water_m3`` is already a volume per step: ``W = Σ_t w_t``.
    An absent optional column gives 0.

    Examples
    --------
    >>> idx = pd.date_range("2030-01-01", periods=3, freq="30min", tz="UTC")
    >>> energy_mwh(pd.DataFrame({"it_mw": [10.0, 10, 10], "facility_mw": 12.0}, index=idx), "facility_mw")
    18.0
    """
    dt_h = _checked(frame)
    total = float(_values(frame, column).sum())
    return total if column.endswith("_m3") else total * dt_h


def period(frame: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Start and end of the period the series covers [UTC]; the end is the last stamp plus one step."""
    dt_h = _checked(frame)
    return frame.index[0], frame.index[-1] + pd.Timedelta(hours=dt_h)


def pue(frame: pd.DataFrame) -> float:
    """Power usage effectiveness over the series [-] (ISO/IEC 30134-2 / EN 50600-4-2).

    Parameters
    ----------
    frame : pandas.DataFrame
        Telemetry with ``facility_mw`` [MW] (E_DC meter) and ``it_mw`` [MW] (E_IT meter).

    Returns
    -------
    float
        ``E_DC / E_IT``; the reported KPI when the series covers 12 months (:func:`pue_kind`).

    Raises
    ------
    TelemetryError
        IT energy zero, or facility energy below IT energy (E_DC includes E_IT, so PUE ≥ 1 by definition).

    Notes
    -----
    ISO/IEC 30134-2 / EN 50600-4-2: ``PUE = E_DC / E_IT`` with both energies over the same (annual)
    period, ``E_DC = Σ facility_mw Δt``, ``E_IT = Σ it_mw Δt``; never the mean of per-step ratios.

    Examples
    --------
    >>> idx = pd.date_range("2030-01-01", periods=3, freq="h", tz="UTC")
    >>> pue(pd.DataFrame({"it_mw": [10.0, 10, 10], "facility_mw": [12.0, 11, 13]}, index=idx))
    1.2
    """
    e_dc, e_it = energy_mwh(frame, "facility_mw"), energy_mwh(frame, "it_mw")
    if e_it <= 0.0:
        raise TelemetryError("column 'it_mw' adds up to 0 MWh over the series: PUE, WUE and CUE are undefined")
    if e_dc < e_it * (1.0 - 1e-9):
        raise TelemetryError(
            f"column 'facility_mw' adds up to {e_dc:g} MWh, less than column 'it_mw' ({e_it:g} MWh): E_DC includes "
            "E_IT (EN 50600-4-2), so PUE < 1 means a meter or column mix-up"
        )
    return e_dc / e_it


def pue_kind(frame: pd.DataFrame, designed: bool = False, partial: bool = False) -> str:
    """Label of a PUE value per ISO/IEC 30134-2: 'annual', 'interim', 'partial-annual', 'partial-interim', 'designed'.

    Parameters
    ----------
    frame : pandas.DataFrame
        Telemetry; its period decides annual (≥ 12 months) or interim (< 12 months).
    designed : bool
        The series comes from a design (a plan or a simulation), not from meters: designed PUE (dPUE).
    partial : bool
        The meters cover part of the site only (a zone or subsystem): partial PUE (pPUE).

    Notes
    -----
    ISO/IEC 30134-2 reports PUE over 12 months; a shorter period gives an *interim* PUE, a part of the site
    a *partial* PUE, a design a *designed* PUE. The series is annual when its end (last stamp + step) is at
    least one calendar year after its start (8 760 h from 1 January 2030 is annual; 8 760 h from
    1 January 2028, a leap year, is not).
    """
    start, end = period(frame)
    if designed:
        return "designed"
    span = "annual" if end >= start + pd.DateOffset(years=1) else "interim"
    return f"partial-{span}" if partial else span


def renewable_energy_mwh(
    frame: pd.DataFrame,
    renewable_columns: tuple[str, ...] = RENEWABLE_COLUMNS,
    grid_renewable_share: float = 0.0,
    sold_certificates_mwh: float = 0.0,
) -> dict[str, float]:
    """Renewable energy consumed by the data centre over the series [MWh], on-site and from the grid.

    Parameters
    ----------
    frame : pandas.DataFrame
        Telemetry [MW].
    renewable_columns : tuple of str
        On-site renewable generation columns [MW] (default ``pv_mw``, ``wind_mw``, ``csp_mw``). Add
        ``fuel_cell_mw`` only for fuel cells running on renewable hydrogen bought across the boundary:
        hydrogen made on site is already counted as the PV/wind electricity that made it.
    grid_renewable_share : float
        Share of grid import documented as renewable by the supplier [-] (EN 50600-4-3 case c); 0 by default.
    sold_certificates_mwh : float
        On-site renewable energy whose certificates were sold, not retired by the data centre [MWh].

    Returns
    -------
    dict
        ``on_site_mwh`` (E_RES-OS), ``grid_mwh`` (renewable part of grid import reaching the data centre),
        ``total_mwh`` = their sum, ``generated_mwh`` (on-site renewable output delivered; curtailed excluded).

    Notes
    -----
    EN 50600-4-3: only renewable energy whose attributes the data centre owns and retires counts, and
    on-site generation beyond the data centre's need does not count (``curtailed_mw`` never enters). With
    ``G = Σ (renewable columns) Δt`` (output used), ``M = Σ grid_import_mw Δt`` and ``E_DC``:

    .. math::

        M_{DC} = \\min(M, E_{DC}), \\quad
        E_{RES-OS} = \\max(0, \\min(G, E_{DC} - M_{DC}) - S), \\quad
        E_{RES-grid} = s_{grid} M_{DC}

    i.e. grid import is taken to reach the data centre first (the conservative attribution), on-site
    renewables serve the rest directly or through storage, and sold certificates ``S`` are deducted.
    """
    s = _share(grid_renewable_share, "grid_renewable_share")
    if not (np.isfinite(sold_certificates_mwh) and sold_certificates_mwh >= 0.0):
        raise GreendcError(f"sold_certificates_mwh = {sold_certificates_mwh!r} must be ≥ 0 MWh")
    power_columns = [c for c in OPTIONAL_COLUMNS if c.endswith("_mw")]
    for col in renewable_columns:
        if col not in power_columns:
            raise GreendcError(f"renewable column {col!r} is not a telemetry power column; allowed: {power_columns}")
    dt_h = _checked(frame)
    gen = sum((_values(frame, c) for c in renewable_columns), np.zeros(len(frame)))
    generated = float(gen.sum()) * dt_h
    e_dc = energy_mwh(frame, "facility_mw")
    grid_to_dc = min(energy_mwh(frame, "grid_import_mw"), e_dc)
    on_site = max(0.0, min(generated, e_dc - grid_to_dc) - float(sold_certificates_mwh))
    return {
        "on_site_mwh": on_site,
        "grid_mwh": s * grid_to_dc,
        "total_mwh": on_site + s * grid_to_dc,
        "generated_mwh": generated,
    }


def ref(
    frame: pd.DataFrame,
    renewable_columns: tuple[str, ...] = RENEWABLE_COLUMNS,
    grid_renewable_share: float = 0.0,
    sold_certificates_mwh: float = 0.0,
) -> float:
    """Renewable energy factor over the series [-] (ISO/IEC 30134-3 / EN 50600-4-3), capped at 1.

    Parameters
    ----------
    frame : pandas.DataFrame
        Telemetry [MW].
    renewable_columns, grid_renewable_share, sold_certificates_mwh
        As in :func:`renewable_energy_mwh` [-, -, MWh].

    Notes
    -----
    EN 50600-4-3: ``REF = E_ren / E_DC`` with a maximum of 1.00; on-site generation beyond the need of
    the data centre (curtailed or exported) is not counted. ``E_ren`` is :func:`renewable_energy_mwh`
    ``total_mwh``. REF is annual and blind to timing (compare :func:`greendc.kpi.cfe.cfe_share`).

    Examples
    --------
    >>> idx = pd.date_range("2030-01-01", periods=2, freq="h", tz="UTC")
    >>> ref(pd.DataFrame({"it_mw": 8.0, "facility_mw": 10.0, "pv_mw": [30.0, 0], "grid_import_mw": [0.0, 10]},
    ...                  index=idx))
    0.5
    """
    e_dc = energy_mwh(frame, "facility_mw")
    if e_dc <= 0.0:
        raise TelemetryError("column 'facility_mw' adds up to 0 MWh over the series: REF and ERF are undefined")
    e_ren = renewable_energy_mwh(frame, renewable_columns, grid_renewable_share, sold_certificates_mwh)["total_mwh"]
    return min(1.0, e_ren / e_dc)


def cue_kg_per_kwh(
    frame: pd.DataFrame,
    grid_emission_factor_kg_per_kwh: float | None = None,
    fuel_cell_emission_factor_kg_per_kwh: float = 0.0,
) -> float:
    """Carbon usage effectiveness over the series [kg CO₂e/kWh IT] (ISO/IEC 30134-8 / EN 50600-4-8).

    Parameters
    ----------
    frame : pandas.DataFrame
        Telemetry [MW].
    grid_emission_factor_kg_per_kwh : float, optional
        Emission factor of grid import [kg CO₂e/kWh]; required when the series has grid import.
    fuel_cell_emission_factor_kg_per_kwh : float
        Emission factor of fuel-cell output [kg CO₂e/kWh]: 0 for hydrogen electrolysed on site from
        on-site renewables (its electricity is already accounted for), the fuel's factor for bought hydrogen.

    Raises
    ------
    GreendcError
        Grid import present and no grid emission factor given, or a negative factor.

    Notes
    -----
    ISO/IEC 30134-8: ``CUE = m_CO2e(E_DC) / E_IT``. Operational emissions only, at the site boundary: grid
    import and bought fuel carry emissions; on-site PV, wind, battery and fuel cells on on-site hydrogen
    carry none (their life-cycle carbon is outside CUE). All grid import is charged to the data centre, even
    what charges storage first (the site has no other consumer):

    .. math:: CUE = \\frac{f_{grid} \\sum_t m_t \\Delta t + f_{fc} \\sum_t fc_t \\Delta t}{\\sum_t it_t \\Delta t}

    (MWh × kg/kWh over MWh gives kg/kWh).

    Examples
    --------
    >>> idx = pd.date_range("2030-01-01", periods=2, freq="h", tz="UTC")
    >>> f = pd.DataFrame({"it_mw": 10.0, "facility_mw": 12.0, "grid_import_mw": [6.0, 0.0]}, index=idx)
    >>> round(cue_kg_per_kwh(f, grid_emission_factor_kg_per_kwh=0.5), 6)
    0.15
    """
    e_it = energy_mwh(frame, "it_mw")
    if e_it <= 0.0:
        raise TelemetryError("column 'it_mw' adds up to 0 MWh over the series: CUE is undefined")
    e_grid = energy_mwh(frame, "grid_import_mw")
    if grid_emission_factor_kg_per_kwh is None:
        if e_grid > 0.0:
            raise GreendcError(
                f"the series imports {e_grid:g} MWh from the grid: give grid_emission_factor_kg_per_kwh "
                "(kg CO2e/kWh, e.g. the supplier's or the national factor) to compute CUE"
            )
        grid_emission_factor_kg_per_kwh = 0.0
    for name, value in (
        ("grid_emission_factor_kg_per_kwh", grid_emission_factor_kg_per_kwh),
        ("fuel_cell_emission_factor_kg_per_kwh", fuel_cell_emission_factor_kg_per_kwh),
    ):
        if not (np.isfinite(value) and value >= 0.0):
            raise GreendcError(f"{name} = {value!r} must be ≥ 0 kg CO2e/kWh")
    co2e_mwh_kg_per_kwh = (
        e_grid * grid_emission_factor_kg_per_kwh
        + energy_mwh(frame, "fuel_cell_mw") * fuel_cell_emission_factor_kg_per_kwh
    )
    return co2e_mwh_kg_per_kwh / e_it


def erf(frame: pd.DataFrame) -> float:
    """Energy reuse factor over the series [-] (ISO/IEC 30134-6 / EN 50600-4-6).

    Notes
    -----
    ISO/IEC 30134-6: ``ERF = E_reuse / E_DC``, energy reused outside the data-centre boundary (replacing
    other energy there) over the data centre's total energy: ``Σ reused_heat_mw Δt / Σ facility_mw Δt``.
    ``reused_heat_mw`` is heat at the hand-over point, net of heat used for the data centre's own cooling
    (Delegated Regulation (EU) 2024/1364, E_REUSE).

    Examples
    --------
    >>> idx = pd.date_range("2030-01-01", periods=2, freq="h", tz="UTC")
    >>> erf(pd.DataFrame({"it_mw": 10.0, "facility_mw": [12.0, 13.0], "reused_heat_mw": [5.0, 0.0]}, index=idx))
    0.2
    """
    e_dc = energy_mwh(frame, "facility_mw")
    if e_dc <= 0.0:
        raise TelemetryError("column 'facility_mw' adds up to 0 MWh over the series: ERF is undefined")
    return energy_mwh(frame, "reused_heat_mw") / e_dc


def _intervals(frame: pd.DataFrame) -> tuple[pd.DatetimeIndex, float]:
    """Matching interval of each row (clock hour, or the step when coarser) and the interval length [h]."""
    dt = pd.Timedelta(hours=_checked(frame))
    if dt <= _HOUR:
        if _HOUR % dt != pd.Timedelta(0):
            raise TelemetryError(
                f"time step {dt} does not divide one hour: hourly matching needs steps such as 1, 5, 10, 15, 20, "
                "30 or 60 min"
            )
        return frame.index.floor("h"), 1.0
    if dt % _HOUR != pd.Timedelta(0):
        raise TelemetryError(f"time step {dt} is not a whole number of hours: hourly matching cannot use it")
    return frame.index, dt / _HOUR


def served_fraction(frame: pd.DataFrame) -> float:
    """Served share of the facility energy demanded over the series [-].

    Parameters
    ----------
    frame : pandas.DataFrame
        Telemetry with ``facility_mw`` (served) and, when any load went unserved, ``unserved_facility_mw`` [MW].

    Returns
    -------
    float
        ``Σ facility_t Δt / Σ (facility_t + unserved^{fac}_t) Δt``; 1 without the unserved column.

    Raises
    ------
    TelemetryError
        No facility energy demanded over the series.

    Notes
    -----
    The served-energy fraction ``Σ served / Σ demanded`` that measures an islanded site's supply adequacy
    (datacenter facts §5.3), at the facility meter, all loads together (:func:`availability_by_class` gives
    it per workload class of IT). It is reported beside the 24/7 CFE score, which counts served load only
    (:func:`greendc.kpi.cfe.cfe_share`): an islanded site serving 99.27 % of its demand from its own
    renewables has CFE 1 and a served fraction 0.9927.

    Examples
    --------
    >>> idx = pd.date_range("2030-01-01", periods=2, freq="h", tz="UTC")
    >>> served_fraction(pd.DataFrame({"it_mw": 8.0, "facility_mw": [10.0, 6.0], "unserved_facility_mw": [0.0, 4.0]},
    ...                              index=idx))
    0.8
    """
    dt_h = _checked(frame)
    served = float(_values(frame, "facility_mw").sum()) * dt_h
    demanded = served + float(_values(frame, "unserved_facility_mw").sum()) * dt_h
    if demanded <= 0.0:
        raise TelemetryError(
            "columns 'facility_mw' + 'unserved_facility_mw' add up to 0 MWh: the served fraction is undefined"
        )
    return served / demanded


def availability_by_class(frame: pd.DataFrame, tolerance_mw: float = 1e-6) -> dict[str, dict[str, Any]]:
    """Served share of requested IT energy and shortfall hours, per workload class.

    Parameters
    ----------
    frame : pandas.DataFrame
        Telemetry with ``it_<class>_mw`` [MW] and, per class, ``unserved_<class>_mw`` and/or
        ``requested_<class>_mw`` [MW] (:mod:`greendc.kpi.telemetry`).
    tolerance_mw : float
        Unserved power at or below this is no shortfall [MW].

    Returns
    -------
    dict
        Per class: ``requested_mwh``, ``served_mwh``, ``unserved_mwh``, ``served_fraction`` (None when
        nothing was requested), ``shortfall_hours`` [h] and ``longest_shortfall_h`` [h].

    Notes
    -----
    Per class, with served ``s_t`` (``it_<class>_mw``), unserved ``u_t`` and requested ``r_t``: ``u_t`` is the
    ``unserved_<class>_mw`` column, else ``max(r_t − s_t, 0)`` when ``requested_<class>_mw`` is given, else 0;
    ``r_t`` is the requested column, else ``s_t + u_t``. Then

    .. math:: A = 1 - \\frac{\\sum_t u_t \\Delta t}{\\sum_t r_t \\Delta t}

    which is ``Σ served / Σ requested`` when no work is shifted across the ends of the series (the
    served-energy fraction that measures an islanded site's supply adequacy). Work a flexible class shifts
    in time is not lost: give its ``unserved_<class>_mw`` (as the planner does) rather than only
    ``requested_<class>_mw``. Shortfall hours count clock hours with any ``u_t`` above the tolerance (each
    step counts its length when steps are an hour or longer); the longest shortfall is the longest run of
    consecutive such intervals: the loss-of-load hours to compare with the Uptime Institute Tier downtime
    hours (Tier III 1.6 h/yr).
    """
    dt_h = _checked(frame)
    try:
        keys, interval_h = _intervals(frame)
    except TelemetryError:  # a step that is no clock-hour grid: count the steps themselves
        keys, interval_h = frame.index, dt_h
    out: dict[str, dict[str, Any]] = {}
    for name in workload_classes(frame):
        served = _values(frame, f"it_{name}_mw")
        u_col, r_col = f"unserved_{name}_mw", f"requested_{name}_mw"
        requested_given = r_col in frame.columns
        if u_col in frame.columns:
            unserved = _values(frame, u_col)
        elif requested_given:
            unserved = np.clip(_values(frame, r_col) - served, 0.0, None)
        else:
            unserved = np.zeros(len(frame))
        requested = _values(frame, r_col) if requested_given else served + unserved
        r_mwh, u_mwh = float(requested.sum()) * dt_h, float(unserved.sum()) * dt_h
        short = pd.Series(unserved > tolerance_mw, index=frame.index).groupby(keys).any().to_numpy()
        edges = np.diff(np.concatenate(([0], short.astype(int), [0])))
        longest = int((np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)).max()) if short.any() else 0
        out[name] = {
            "requested_mwh": r_mwh,
            "served_mwh": float(served.sum()) * dt_h,
            "unserved_mwh": u_mwh,
            "served_fraction": (1.0 - u_mwh / r_mwh) if r_mwh > 0.0 else None,
            "shortfall_hours": float(short.sum()) * interval_h,
            "longest_shortfall_h": float(longest) * interval_h,
        }
    return out
