"""Climate stress by morphing: future-climate versions of a weather year and of its stress events.

A *climate case* (e.g. ``ssp245-2050``) holds monthly changes relative to 1995-2014, the baseline greendc
assumes for its climatology and weather files. Shipped cases: ``greendc/data/climate/cmip6_deltas.csv``, one
row per (case, quantity, month) with unit, confidence and source (derivations in the ``README.md`` there).
:func:`morph_weather` applies a case to a weather frame by the shift-and-stretch method of CCWorldWeatherGen
and pyepwmorph; :func:`stressed_events` applies it to the generator's heat waves and dust episodes.

References
----------
Belcher, S. E., Hacker, J. N. & Powell, D. S. (2005). Constructing design weather data for future
climates. *Building Services Engineering Research and Technology* 26(1), 49-61.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from greendc.errors import DataFileError, ScenarioError, WeatherDataError
from greendc.weather.climatology import CONFIDENCE_LEVELS

if TYPE_CHECKING:
    from greendc.scenario.models import StressEvents

#: Monthly quantities: name -> (unit, lowest allowed, highest allowed). A row with month 0 is annual.
MONTHLY_QUANTITIES: dict[str, tuple[str, float, float]] = {
    "temp_air_mean_delta": ("K", -10.0, 15.0),
    "temp_air_max_delta": ("K", -10.0, 15.0),
    "temp_air_min_delta": ("K", -10.0, 15.0),
    "relative_humidity_delta": ("%", -50.0, 50.0),
    "temp_sea_delta": ("K", -5.0, 10.0),
    "wind_speed_factor": ("1", 0.5, 1.5),
    "ghi_factor": ("1", 0.5, 1.5),
}
#: Scalar quantities (one row, month 0): name -> (unit, lowest allowed, highest allowed).
SCALAR_QUANTITIES: dict[str, tuple[str, float, float]] = {
    "heat_wave_frequency_factor": ("1", 0.0, 50.0),
    "heat_wave_intensity_delta": ("K", -10.0, 15.0),
    "dust_frequency_factor": ("1", 0.0, 20.0),
}
COLUMNS: tuple[str, ...] = ("case", "quantity", "month", "value", "unit", "confidence", "source")
_SHIPPED = resources.files("greendc") / "data" / "climate" / "cmip6_deltas.csv"
_SSP = re.compile(r"^ssp\s*(\d)\s*-?\s*(\d)\s*\.?\s*(\d)\s*[-_ ]+\s*(\d{4})$")
_NAMED = re.compile(r"^(.*\S)\s*[-_ ]\s*(\d{4})$")


@dataclass(frozen=True, eq=False)
class ClimateCase:
    """Changes of the climate relative to the 1995-2014 baseline, month by month (January first).

    Build one with :func:`load_climate_case`. Units and allowed ranges are in :data:`MONTHLY_QUANTITIES` and
    :data:`SCALAR_QUANTITIES`; monthly fields are read-only arrays of 12 values.

    Attributes
    ----------
    name, scenario : str
        Case name (``'ssp245-2050'``) and emission scenario (``'SSP2-4.5'``).
    year : int
        Nominal year; the period behind the numbers is stated in the sources.
    temp_air_mean_delta, temp_air_max_delta, temp_air_min_delta, temp_sea_delta : numpy.ndarray
        Changes of the monthly mean air temperature, of the monthly means of the daily maximum and minimum,
        and of the sea-surface temperature [K].
    relative_humidity_delta : numpy.ndarray
        Change of relative humidity [percentage points].
    wind_speed_factor, ghi_factor : numpy.ndarray
        Multipliers of wind speed and of solar irradiance [-].
    heat_wave_frequency_factor, dust_frequency_factor : float
        Multipliers of the Poisson rates of heat waves and of dust episodes [-].
    heat_wave_intensity_delta : float
        Added to the heat-wave peak air temperature [K].
    sources : Mapping[str, tuple[str, str]]
        Quantity -> (confidence, source); differing monthly sources are joined, at their lowest confidence.
    """

    name: str
    scenario: str
    year: int
    temp_air_mean_delta: np.ndarray
    temp_air_max_delta: np.ndarray
    temp_air_min_delta: np.ndarray
    relative_humidity_delta: np.ndarray
    temp_sea_delta: np.ndarray
    wind_speed_factor: np.ndarray
    ghi_factor: np.ndarray
    heat_wave_frequency_factor: float
    heat_wave_intensity_delta: float
    dust_frequency_factor: float
    sources: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, (unit, lo, hi) in (MONTHLY_QUANTITIES | SCALAR_QUANTITIES).items():
            monthly = name in MONTHLY_QUANTITIES
            values = np.array(getattr(self, name), dtype=float)
            if values.shape != ((12,) if monthly else ()):
                raise DataFileError(f"climate case '{self.name}': '{name}' has shape {values.shape}, not (12,) or ()")
            bad = np.flatnonzero(~((values >= lo) & (values <= hi)).reshape(-1))
            if bad.size:
                when = f" in month {bad[0] + 1}" if monthly else ""
                raise DataFileError(
                    f"climate case '{self.name}': '{name}' = {values.reshape(-1)[bad[0]]:g} {unit}{when} is "
                    f"outside [{lo:g}, {hi:g}] {unit}"
                )
            values.setflags(write=False)
            object.__setattr__(self, name, values if monthly else float(values))
        object.__setattr__(self, "year", int(self.year))
        object.__setattr__(self, "sources", MappingProxyType(dict(self.sources)))


def _parse_name(name: str) -> tuple[str, str, int | None]:
    """(spelling-independent key, scenario, year): 'SSP2-4.5-2050' -> ('ssp245-2050', 'SSP2-4.5', 2050)."""
    m = _SSP.match(name.strip().lower())
    if m:
        return f"ssp{m[1]}{m[2]}{m[3]}-{m[4]}", f"SSP{m[1]}-{m[2]}.{m[3]}", int(m[4])
    m = _NAMED.match(name.strip())
    return name.strip().lower(), m[1] if m else name.strip(), int(m[2]) if m else None


def _number(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = np.nan
    if not np.isfinite(value):
        raise DataFileError(f"{what}: '{text}' is not a finite number")
    return value


def _read_table(path: Path) -> dict[str, ClimateCase]:
    """Read and validate a deltas table; cases in file order, keyed by their canonical name."""
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path.name}: cannot be read as CSV ({exc})") from None
    table.columns = [str(c).strip() for c in table.columns]
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise DataFileError(f"{path.name}: missing column(s) {missing}; required: {list(COLUMNS)}")
    spec = MONTHLY_QUANTITIES | SCALAR_QUANTITIES
    raw: dict[str, dict[str, dict[int, tuple[float, str, str, int]]]] = {}
    names: dict[str, str] = {}
    for row, rec in enumerate(table[list(COLUMNS)].itertuples(index=False)):
        line = row + 2
        case, quantity = rec.case.strip(), rec.quantity.strip()
        where = f"{path.name}: line {line}"
        if _parse_name(case)[2] is None:
            raise DataFileError(f"{where}: case name '{case}' must end with its year, e.g. 'ssp245-2050'")
        if quantity not in spec:
            raise DataFileError(f"{where}: unknown quantity '{quantity}'; allowed: {list(spec)}")
        where = f"{where} ('{case}', '{quantity}')"
        month = _number(rec.month.strip(), f"{where}: column 'month'")
        if month != int(month) or not 0 <= month <= 12:
            raise DataFileError(f"{where}: month {rec.month!r} is not 0 (annual) or 1-12")
        if quantity in SCALAR_QUANTITIES and month != 0:
            raise DataFileError(f"{where}: '{quantity}' is a scalar and needs month 0, not {int(month)}")
        unit = rec.unit.strip()
        if unit != spec[quantity][0]:
            raise DataFileError(f"{where}: unit '{unit}', expected '{spec[quantity][0]}'")
        confidence = rec.confidence.strip()
        if confidence not in CONFIDENCE_LEVELS:
            raise DataFileError(f"{where}: confidence '{confidence}' not in {list(CONFIDENCE_LEVELS)}")
        if not rec.source.strip():
            raise DataFileError(f"{where}: empty source")
        value = _number(rec.value.strip(), f"{where}: column 'value'")
        key = _parse_name(case)[0]
        names.setdefault(key, case)
        months = raw.setdefault(key, {}).setdefault(quantity, {})
        if int(month) in months:
            raise DataFileError(f"{where}: month {int(month)} appears twice (lines {months[int(month)][3]} and {line})")
        months[int(month)] = (value, confidence, rec.source.strip(), line)
    return {key: _build_case(names[key], quantities, path.name) for key, quantities in raw.items()}


def _build_case(name: str, quantities: dict[str, dict[int, tuple[float, str, str, int]]], file: str) -> ClimateCase:
    where = f"{file}: case '{name}'"
    absent = [q for q in (*MONTHLY_QUANTITIES, *SCALAR_QUANTITIES) if q not in quantities]
    if absent:
        raise DataFileError(f"{where}: no row for {absent}; every case needs every quantity")
    values: dict[str, object] = {}
    sources: dict[str, tuple[str, str]] = {}
    for quantity, months in quantities.items():
        first_line = min(r[3] for r in months.values())
        if 0 in months and len(months) > 1:
            raise DataFileError(f"{where}, line {first_line}: '{quantity}' mixes month 0 (annual) with months 1-12")
        if 0 not in months and sorted(months) != list(range(1, 13)):
            absent_months = [m for m in range(1, 13) if m not in months]
            raise DataFileError(f"{where}, line {first_line}: '{quantity}' lacks month(s) {absent_months}")
        monthly = np.array([months.get(m, months.get(0, (np.nan,)))[0] for m in range(1, 13)])
        values[quantity] = monthly if quantity in MONTHLY_QUANTITIES else months[0][0]
        rank = max(CONFIDENCE_LEVELS.index(r[1]) for r in months.values())
        texts = list(dict.fromkeys(r[2] for r in months.values()))
        sources[quantity] = (CONFIDENCE_LEVELS[rank], " | ".join(texts))
    _, scenario, year = _parse_name(name)
    return ClimateCase(name=name, scenario=scenario, year=year, sources=sources, **values)  # type: ignore[arg-type]


def available_climate_cases() -> list[str]:
    """Names of the shipped climate cases, e.g. ``['ssp245-2050', ...]``."""
    return [case.name for case in _read_table(Path(str(_SHIPPED))).values()]


def load_climate_case(name: str | os.PathLike[str]) -> ClimateCase:
    """Load and validate a climate case.

    Parameters
    ----------
    name : str or path-like
        A shipped case (see :func:`available_climate_cases`); the spelling is free: ``'ssp245-2050'``,
        ``'SSP245-2050'`` and ``'SSP2-4.5-2050'`` are the same case. Or the path of a CSV table with the
        columns of :data:`COLUMNS`: ``FILE.csv`` when it holds a single case, ``FILE.csv:CASE`` to pick one.

    Returns
    -------
    ClimateCase

    Raises
    ------
    ScenarioError
        Unknown case name; the message lists the available ones.
    DataFileError
        Missing file, several cases and none chosen, or a malformed table (missing column or quantity, bad
        month, non-numeric value, wrong unit, unknown confidence, empty source), naming the line.

    Examples
    --------
    >>> case = load_climate_case("SSP2-4.5-2050")
    >>> case.name, case.scenario, case.year
    ('ssp245-2050', 'SSP2-4.5', 2050)
    """
    text = os.fspath(name)
    wanted: str | None = None
    if isinstance(name, Path) or ".csv" in text.lower() or "/" in text or os.sep in text:
        path_text = text
        if re.search(r"\.csv:[^/\\]+$", text, re.IGNORECASE):
            path_text, _, wanted = text.rpartition(":")
        path = Path(path_text)
        if not path.is_file():
            raise DataFileError(f"climate table '{path_text}' not found (expected a CSV file)")
        cases = _read_table(path)
        if wanted is None and len(cases) != 1:
            raise DataFileError(f"{path.name} holds cases {[c.name for c in cases.values()]}: use '{path_text}:CASE'")
        if wanted is None:
            return next(iter(cases.values()))
    else:
        cases, wanted = _read_table(Path(str(_SHIPPED))), text
    case = cases.get(_parse_name(wanted)[0])
    if case is None:
        raise ScenarioError(f"climate case '{wanted}' is unknown; available: {[c.name for c in cases.values()]}")
    return case


def morph_weather(weather: pd.DataFrame, case: ClimateCase) -> pd.DataFrame:
    """Future-climate version of a weather frame by shift and stretch (Belcher, Hacker & Powell 2005).

    For each calendar month ``m`` (UTC) of each year: air temperature ``T' = T + ΔT_mean + α_m (T − <T>_m)``
    with ``α_m = (ΔT_max − ΔT_min) / (<T_max>_m − <T_min>_m)``, ``<T>_m`` the month's mean and ``<T_max>_m``,
    ``<T_min>_m`` its means of daily maximum and minimum (UTC days), so that the monthly mean rises by
    ``ΔT_mean`` and the mean daily maximum and minimum by ``ΔT_max`` and ``ΔT_min`` [K]; relative humidity
    ``RH' = clip(RH + ΔRH, 1, 100)`` [%]; ``temp_sea`` shifted by ``ΔT_sea`` [K]; ``wind_speed`` and
    ``wind_speed_100m`` times ``wind_speed_factor``; ``ghi``, ``dni``, ``dhi`` times ``ghi_factor``, with
    ``dhi <= ghi`` kept. Pressure and dust are unchanged (dust episodes change through
    :func:`stressed_events`). A ``ghi_factor`` above 1 can lift irradiance above the clear sky.

    Parameters
    ----------
    weather : pandas.DataFrame
        Canonical weather frame (:mod:`greendc.weather.schema`), UTC DatetimeIndex (a naive index is taken
        as UTC). Absent columns stay absent; unknown columns are kept unchanged.
    case : ClimateCase
        The climate change to apply.

    Returns
    -------
    pandas.DataFrame
        A new frame; the input is not modified. ``attrs`` are copied and ``attrs["climate"]`` is the case name.

    Raises
    ------
    WeatherDataError
        The index is not a DatetimeIndex, or ``ΔT_max − ΔT_min`` would invert a month's diurnal range.
    """
    if not isinstance(weather.index, pd.DatetimeIndex):
        raise WeatherDataError("morph_weather: the weather frame needs a DatetimeIndex (UTC)")
    index = weather.index.tz_convert("UTC") if weather.index.tz is not None else weather.index
    out = weather.copy(deep=True)
    out.attrs = {**copy.deepcopy(dict(weather.attrs)), "climate": case.name}
    m = index.month.to_numpy() - 1
    if "temp_air" in weather.columns:
        t = weather["temp_air"].to_numpy(dtype=float)
        year_month = index.year.to_numpy() * 12 + m
        series = pd.Series(t, index=index)
        mean = series.groupby(year_month).transform("mean").to_numpy()
        daily = series.groupby(index.floor("D")).agg(["max", "min"])
        daily_range = (daily["max"] - daily["min"]).groupby(daily.index.year * 12 + daily.index.month - 1).mean()
        rng = daily_range.reindex(year_month).to_numpy()
        stretch = case.temp_air_max_delta[m] - case.temp_air_min_delta[m]
        alpha = np.divide(stretch, rng, out=np.zeros_like(t), where=np.isfinite(rng) & (rng > 0.0))
        if np.any(alpha <= -1.0):
            i = int(np.argmax(alpha <= -1.0))
            raise WeatherDataError(f"morph_weather: case '{case.name}' inverts the diurnal range of {index[i]:%Y-%m}")
        out["temp_air"] = t + case.temp_air_mean_delta[m] + alpha * (t - mean)
    if "relative_humidity" in weather.columns:
        rh = weather["relative_humidity"].to_numpy(dtype=float)
        out["relative_humidity"] = np.clip(rh + case.relative_humidity_delta[m], 1.0, 100.0)
    if "temp_sea" in weather.columns:
        out["temp_sea"] = weather["temp_sea"].to_numpy(dtype=float) + case.temp_sea_delta[m]
    for col in ("wind_speed", "wind_speed_100m"):
        if col in weather.columns:
            out[col] = weather[col].to_numpy(dtype=float) * case.wind_speed_factor[m]
    for col in ("ghi", "dni", "dhi"):
        if col in weather.columns:
            out[col] = weather[col].to_numpy(dtype=float) * case.ghi_factor[m]
    if "ghi" in weather.columns and "dhi" in weather.columns:
        out["dhi"] = np.fmin(out["dhi"].to_numpy(), out["ghi"].to_numpy())
    return out


def stressed_events(events: StressEvents, case: ClimateCase) -> StressEvents:
    """Stress events of a future climate: heat waves more frequent and hotter, dust episodes rescaled.

    ``heat_waves_per_year`` is multiplied by ``case.heat_wave_frequency_factor``, ``heat_wave_peak_temp_air``
    [°C] raised by ``case.heat_wave_intensity_delta`` [K] and ``dust_episodes_per_year`` multiplied by
    ``case.dust_frequency_factor``; durations and the other fields are unchanged.

    **Cap.** The peak is kept within the bounds of :class:`~greendc.scenario.models.StressEvents` (25-55 °C):
    a peak that would pass 55 °C is set to 55 °C rather than rejected, so that a very hot site runs at the
    model's ceiling (compare with the uncapped sum to detect it).

    Parameters
    ----------
    events : greendc.scenario.models.StressEvents
        Baseline stress events.
    case : ClimateCase
        The climate change to apply.

    Returns
    -------
    greendc.scenario.models.StressEvents
        A copy with the updated fields.
    """
    lo, hi = -np.inf, np.inf  # the field's ge/le bounds
    for meta in type(events).model_fields["heat_wave_peak_temp_air"].metadata:
        lo = float(meta.ge) if getattr(meta, "ge", None) is not None else lo
        hi = float(meta.le) if getattr(meta, "le", None) is not None else hi
    peak = float(np.clip(events.heat_wave_peak_temp_air + case.heat_wave_intensity_delta, lo, hi))
    return events.model_copy(
        update={
            "heat_waves_per_year": events.heat_waves_per_year * case.heat_wave_frequency_factor,
            "heat_wave_peak_temp_air": peak,
            "dust_episodes_per_year": events.dust_episodes_per_year * case.dust_frequency_factor,
        }
    )


def describe(case: ClimateCase) -> str:
    """One-line summary of a case for printing.

    Examples
    --------
    >>> print(describe(load_climate_case("ssp585-2080")))  # doctest: +NORMALIZE_WHITESPACE
    SSP5-8.5 2080: +3.55 K mean air temperature, +2.31 K sea, RH -5.8 points, wind x1.00-1.03,
    irradiance x1.00, heat waves x4.0 (+4.6 K peak), dust episodes x1.0
    """

    def span(values: np.ndarray, fmt: str) -> str:
        lo, hi = float(values.min()), float(values.max())
        return format(lo, fmt) if format(lo, fmt) == format(hi, fmt) else f"{lo:{fmt}}-{hi:{fmt}}"

    return (
        f"{case.scenario} {case.year}: {case.temp_air_mean_delta.mean():+.2f} K mean air temperature, "
        f"{case.temp_sea_delta.mean():+.2f} K sea, RH {case.relative_humidity_delta.mean():+.1f} points, "
        f"wind x{span(case.wind_speed_factor, '.2f')}, irradiance x{span(case.ghi_factor, '.2f')}, "
        f"heat waves x{case.heat_wave_frequency_factor:.1f} ({case.heat_wave_intensity_delta:+.1f} K peak), "
        f"dust episodes x{case.dust_frequency_factor:.1f}"
    )


__all__ = [
    "COLUMNS",
    "MONTHLY_QUANTITIES",
    "SCALAR_QUANTITIES",
    "ClimateCase",
    "available_climate_cases",
    "describe",
    "load_climate_case",
    "morph_weather",
    "stressed_events",
]
