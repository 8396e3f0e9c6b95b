"""Site climatology tables: the calibration targets of the synthetic weather generator.

A climatology is two CSV files side by side (shipped ones live in ``greendc/data/climatology``):

``NAME.csv``
    twelve rows, one per calendar month, with the columns of :data:`MONTHLY_COLUMNS`;
``NAME_sources.csv``
    one row per monthly column (``kind = monthly``) and per scalar (``kind = scalar``, with its
    ``value``), each with ``unit``, ``confidence`` (H, M-H, M, L-M, L) and ``source``.

Every number therefore carries its source and confidence. Users replace the Dakhla table by writing the
same two files for their site and passing the path of the first one to :func:`load_climatology`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from greendc.errors import DataFileError, ScenarioError

#: Monthly columns: name -> (unit, lowest allowed, highest allowed).
MONTHLY_COLUMNS: dict[str, tuple[str, float, float]] = {
    "ghi_kwh_per_m2_day": ("kWh/m2/day", 0.0, 12.0),
    "clearness_cv": ("1", 0.0, 0.6),
    "linke_turbidity": ("1", 1.0, 10.0),
    "temp_air_min": ("degC", -60.0, 50.0),
    "temp_air_max": ("degC", -50.0, 60.0),
    "relative_humidity": ("%", 1.0, 100.0),
    "wind_speed_10m": ("m/s", 0.5, 30.0),
    "wind_shear_exponent": ("1", 0.0, 0.6),
    "diffuse_fraction": ("1", 0.05, 0.9),
    "temp_sea": ("degC", -2.0, 35.0),
    "dust_seasonality": ("1", 0.0, 100.0),
    "heat_wave_seasonality": ("1", 0.0, 100.0),
}
#: Scalars: name -> (unit, lowest allowed, highest allowed).
SCALARS: dict[str, tuple[str, float, float]] = {
    "ghi_interannual_cv": ("1", 0.0, 0.2),
    "clearness_daily_lag1": ("1", 0.0, 0.99),
    "clearness_hourly_lag1": ("1", 0.0, 0.999),
    "clearness_hourly_spread": ("1", 0.0, 2.0),
    "temp_air_min_solar_hour": ("h", 0.0, 24.0),
    "temp_air_max_solar_hour": ("h", 0.0, 24.0),
    "synoptic_timescale_h": ("h", 1.0, 1000.0),
    "temp_air_synoptic_sd": ("K", 0.0, 10.0),
    "temp_air_hourly_sd": ("K", 0.0, 5.0),
    "temp_air_hourly_lag1": ("1", 0.0, 0.999),
    "relative_humidity_log_sd": ("1", 0.0, 1.0),
    "pressure_sea_level_pa": ("Pa", 80_000.0, 110_000.0),
    "pressure_synoptic_sd_pa": ("Pa", 0.0, 3000.0),
    "pressure_semidiurnal_amplitude_pa": ("Pa", 0.0, 500.0),
    "temp_sea_anomaly_sd": ("K", 0.0, 5.0),
    "temp_sea_timescale_h": ("h", 1.0, 5000.0),
    "wind_weibull_k_annual": ("1", 1.2, 5.0),
    "wind_calm_fraction_max": ("1", 0.0, 1.0),
    "wind_shear_diurnal_amplitude": ("1", 0.0, 0.3),
    "wind_shear_max_solar_hour": ("h", 0.0, 24.0),
    "wind_diurnal_amplitude": ("1", 0.0, 0.9),
    "wind_diurnal_peak_solar_hour": ("h", 0.0, 24.0),
    "wind_diurnal_amplitude_2": ("1", 0.0, 0.5),
    "wind_diurnal_peak_2_solar_hour": ("h", 0.0, 12.0),
    "wind_synoptic_share": ("1", 0.0, 1.0),
    "wind_hourly_lag1": ("1", 0.0, 0.999),
    "wind_interannual_cv": ("1", 0.0, 0.3),
    "heat_wave_relative_humidity": ("%", 1.0, 100.0),
    "heat_wave_dust": ("1", 0.0, 1.0),
    "dust_intensity_min": ("1", 0.0, 1.0),
    "long_lull_wind_fraction": ("1", 0.0, 1.0),
}
CONFIDENCE_LEVELS: tuple[str, ...] = ("H", "M-H", "M", "L-M", "L")
SOURCES_SUFFIX = "_sources.csv"
_SOURCES_COLUMNS = ("name", "kind", "value", "unit", "confidence", "source")


@dataclass(frozen=True)
class Source:
    """Where a number of a climatology table comes from.

    Parameters
    ----------
    unit : str
        Unit of the number (``1`` for dimensionless).
    confidence : str
        One of :data:`CONFIDENCE_LEVELS` (H high … L low).
    source : str
        Publication, data set or derivation.
    """

    unit: str
    confidence: str
    source: str


@dataclass(frozen=True, eq=False)
class Climatology:
    """Monthly and scalar calibration targets of a site; see :data:`MONTHLY_COLUMNS` and :data:`SCALARS`.

    Monthly fields are read-only arrays of 12 values (January first); every field's unit, confidence and
    source are in ``sources``. Build one with :func:`load_climatology`; :func:`dataclasses.replace`
    gives variants (e.g. ``ghi_interannual_cv=0``) and re-validates.
    """

    name: str
    ghi_kwh_per_m2_day: np.ndarray
    clearness_cv: np.ndarray
    linke_turbidity: np.ndarray
    temp_air_min: np.ndarray
    temp_air_max: np.ndarray
    relative_humidity: np.ndarray
    wind_speed_10m: np.ndarray
    wind_shear_exponent: np.ndarray
    diffuse_fraction: np.ndarray
    temp_sea: np.ndarray
    dust_seasonality: np.ndarray
    heat_wave_seasonality: np.ndarray
    ghi_interannual_cv: float
    clearness_daily_lag1: float
    clearness_hourly_lag1: float
    clearness_hourly_spread: float
    temp_air_min_solar_hour: float
    temp_air_max_solar_hour: float
    synoptic_timescale_h: float
    temp_air_synoptic_sd: float
    temp_air_hourly_sd: float
    temp_air_hourly_lag1: float
    relative_humidity_log_sd: float
    pressure_sea_level_pa: float
    pressure_synoptic_sd_pa: float
    pressure_semidiurnal_amplitude_pa: float
    temp_sea_anomaly_sd: float
    temp_sea_timescale_h: float
    wind_weibull_k_annual: float
    wind_calm_fraction_max: float
    wind_shear_diurnal_amplitude: float
    wind_shear_max_solar_hour: float
    wind_diurnal_amplitude: float
    wind_diurnal_peak_solar_hour: float
    wind_diurnal_amplitude_2: float
    wind_diurnal_peak_2_solar_hour: float
    wind_synoptic_share: float
    wind_hourly_lag1: float
    wind_interannual_cv: float
    heat_wave_relative_humidity: float
    heat_wave_dust: float
    dust_intensity_min: float
    long_lull_wind_fraction: float
    sources: Mapping[str, Source] = field(default_factory=dict)

    def __post_init__(self) -> None:
        where = f"climatology '{self.name}'"
        for col, (unit, lo, hi) in MONTHLY_COLUMNS.items():
            values = np.array(getattr(self, col), dtype=float)
            if values.shape != (12,):
                raise DataFileError(f"{where}: '{col}' needs 12 monthly values, got shape {values.shape}")
            for m in range(12):
                if not lo <= values[m] <= hi:
                    raise DataFileError(
                        f"{where}: column '{col}' = {values[m]:g} {unit} in month {m + 1} is outside "
                        f"the allowed range [{lo:g}, {hi:g}] {unit}"
                    )
            values.setflags(write=False)
            object.__setattr__(self, col, values)
        for name, (unit, lo, hi) in SCALARS.items():
            value = float(getattr(self, name))
            if not lo <= value <= hi:
                raise DataFileError(
                    f"{where}: scalar '{name}' = {value:g} {unit} is outside the allowed range [{lo:g}, {hi:g}] {unit}"
                )
            object.__setattr__(self, name, value)
        bad = np.flatnonzero(self.temp_air_min > self.temp_air_max)
        if bad.size:
            m = int(bad[0])
            raise DataFileError(
                f"{where}: month {m + 1}: temp_air_min = {self.temp_air_min[m]:g} degC exceeds "
                f"temp_air_max = {self.temp_air_max[m]:g} degC"
            )
        if self.temp_air_min_solar_hour >= self.temp_air_max_solar_hour:
            raise DataFileError(
                f"{where}: temp_air_min_solar_hour = {self.temp_air_min_solar_hour:g} h must come before "
                f"temp_air_max_solar_hour = {self.temp_air_max_solar_hour:g} h"
            )
        for col in ("dust_seasonality", "heat_wave_seasonality"):
            if getattr(self, col).sum() <= 0.0:
                raise DataFileError(f"{where}: column '{col}' needs at least one positive monthly weight")
        object.__setattr__(self, "sources", MappingProxyType(dict(self.sources)))

    @property
    def temp_air_mean(self) -> np.ndarray:
        """Monthly mean air temperature target, (min + max) / 2 [°C]."""
        return 0.5 * (self.temp_air_min + self.temp_air_max)


def available_climatologies() -> list[str]:
    """Names of the shipped climatology tables (``greendc/data/climatology/NAME.csv``)."""
    folder = resources.files("greendc") / "data" / "climatology"
    names = [p.name[:-4] for p in folder.iterdir() if p.name.endswith(".csv")]
    return sorted(n for n in names if not n.endswith(SOURCES_SUFFIX[:-4]))


def _resolve(name_or_path: str | os.PathLike[str]) -> Path:
    text = os.fspath(name_or_path)
    if isinstance(name_or_path, Path) or text.endswith(".csv") or "/" in text or os.sep in text:
        path = Path(text)
        if not path.is_file():
            raise DataFileError(f"climatology table '{text}' not found (expected a CSV file)")
        return path
    if text not in available_climatologies():
        raise ScenarioError(
            f"site.climatology = '{text}' is not a shipped climatology; available: "
            f"{available_climatologies()}, or give the path of a CSV table"
        )
    return Path(str(resources.files("greendc") / "data" / "climatology" / f"{text}.csv"))


def _number(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise DataFileError(f"{what}: '{text}' is not a number") from None
    if not np.isfinite(value):
        raise DataFileError(f"{what}: '{text}' is not a finite number")
    return value


def _read_monthly(path: Path) -> dict[str, np.ndarray]:
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path.name}: cannot be read as CSV ({exc})") from None
    table.columns = [str(c).strip() for c in table.columns]
    expected = ["month", *MONTHLY_COLUMNS]
    missing = [c for c in expected if c not in table.columns]
    if missing:
        raise DataFileError(f"{path.name}: missing column(s) {missing}; required: {expected}")
    unknown = [c for c in table.columns if c not in expected]
    if unknown:
        raise DataFileError(f"{path.name}: unknown column(s) {unknown}; allowed: {expected}")
    months: dict[int, int] = {}
    for row, text in enumerate(table["month"]):
        line = row + 2
        value = _number(text.strip(), f"{path.name}: column 'month', line {line}")
        if value != int(value) or not 1 <= value <= 12:
            raise DataFileError(f"{path.name}: column 'month', line {line}: {text!r} is not a month 1-12")
        if int(value) in months:
            raise DataFileError(
                f"{path.name}: month {int(value)} appears twice (lines {months[int(value)] + 2} and {line})"
            )
        months[int(value)] = row
    absent = [m for m in range(1, 13) if m not in months]
    if absent:
        raise DataFileError(f"{path.name}: missing month(s) {absent}; the table needs one row per month 1-12")
    out: dict[str, np.ndarray] = {}
    for col in MONTHLY_COLUMNS:
        out[col] = np.array(
            [
                _number(
                    table[col].iloc[months[m]].strip(),
                    f"{path.name}: column '{col}', line {months[m] + 2} (month {m})",
                )
                for m in range(1, 13)
            ]
        )
    return out


def _read_sources(path: Path) -> tuple[dict[str, Source], dict[str, float]]:
    if not path.is_file():
        raise DataFileError(
            f"sources table '{path.name}' not found next to the climatology table: every monthly column "
            f"and scalar needs a row (columns {list(_SOURCES_COLUMNS)})"
        )
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path.name}: cannot be read as CSV ({exc})") from None
    missing = [c for c in _SOURCES_COLUMNS if c not in table.columns]
    if missing:
        raise DataFileError(f"{path.name}: missing column(s) {missing}; required: {list(_SOURCES_COLUMNS)}")
    sources: dict[str, Source] = {}
    scalars: dict[str, float] = {}
    for row, rec in enumerate(table.itertuples(index=False)):
        line = row + 2
        name, kind = rec.name.strip(), rec.kind.strip()
        spec = MONTHLY_COLUMNS if kind == "monthly" else SCALARS if kind == "scalar" else None
        if spec is None:
            raise DataFileError(f"{path.name}: line {line} ('{name}'): kind '{kind}' must be 'monthly' or 'scalar'")
        if name not in spec:
            raise DataFileError(f"{path.name}: line {line}: unknown {kind} '{name}'; allowed: {list(spec)}")
        if name in sources:
            raise DataFileError(f"{path.name}: line {line}: '{name}' appears twice")
        unit = rec.unit.strip()
        if unit != spec[name][0]:
            raise DataFileError(f"{path.name}: line {line} ('{name}'): unit '{unit}', expected '{spec[name][0]}'")
        if rec.confidence.strip() not in CONFIDENCE_LEVELS:
            raise DataFileError(
                f"{path.name}: line {line} ('{name}'): confidence '{rec.confidence}' not in {list(CONFIDENCE_LEVELS)}"
            )
        if not rec.source.strip():
            raise DataFileError(f"{path.name}: line {line} ('{name}'): empty source")
        if kind == "scalar":
            scalars[name] = _number(rec.value.strip(), f"{path.name}: column 'value', line {line} ('{name}')")
        sources[name] = Source(unit=unit, confidence=rec.confidence.strip(), source=rec.source.strip())
    absent = [n for n in (*MONTHLY_COLUMNS, *SCALARS) if n not in sources]
    if absent:
        raise DataFileError(f"{path.name}: no row for {absent}; every monthly column and scalar needs one")
    return sources, scalars


def load_climatology(name_or_path: str | os.PathLike[str]) -> Climatology:
    """Load and validate a site climatology table.

    Parameters
    ----------
    name_or_path : str or path-like
        Name of a shipped table (``'dakhla'``; see :func:`available_climatologies`) or the path of a
        monthly CSV table; its sources table ``<stem>_sources.csv`` must lie next to it.

    Returns
    -------
    Climatology

    Raises
    ------
    ScenarioError
        Unknown shipped name.
    DataFileError
        Missing file, column, month or row; a non-numeric or out-of-range value (naming the column, the
        line and the month); a missing source or an unknown confidence level.

    Examples
    --------
    >>> clim = load_climatology("dakhla")
    >>> float(clim.wind_speed_10m[6])  # July, 10 m
    10.12
    """
    path = _resolve(name_or_path)
    monthly = _read_monthly(path)
    sources, scalars = _read_sources(path.with_name(path.stem + SOURCES_SUFFIX))
    return Climatology(name=path.stem, **monthly, **scalars, sources=sources)


def write_climatology(climatology: Climatology, path: str | os.PathLike[str]) -> Path:
    """Write a climatology as its two CSV tables, readable by :func:`load_climatology`.

    Parameters
    ----------
    climatology : Climatology
        The table; every monthly column and scalar needs an entry in ``sources``.
    path : str or path-like
        Path of the monthly table ``NAME.csv``; ``NAME_sources.csv`` is written next to it. Folders are
        created.

    Returns
    -------
    pathlib.Path
        The monthly table's path.

    Raises
    ------
    DataFileError
        A monthly column or scalar without a source.
    """
    path = Path(path)
    if path.suffix != ".csv":
        raise DataFileError(f"climatology table '{path}': the file name must end in .csv")
    absent = [n for n in (*MONTHLY_COLUMNS, *SCALARS) if n not in climatology.sources]
    if absent:
        raise DataFileError(f"climatology '{climatology.name}': no source for {absent}; every number needs one")
    path.parent.mkdir(parents=True, exist_ok=True)
    monthly = pd.DataFrame({"month": range(1, 13)} | {c: getattr(climatology, c) for c in MONTHLY_COLUMNS})
    monthly.to_csv(path, index=False, float_format="%.6g")
    rows = []
    for kind, spec in (("monthly", MONTHLY_COLUMNS), ("scalar", SCALARS)):
        for name in spec:
            src = climatology.sources[name]
            value = f"{getattr(climatology, name):.6g}" if kind == "scalar" else ""
            rows.append((name, kind, value, src.unit, src.confidence, src.source))
    pd.DataFrame(rows, columns=list(_SOURCES_COLUMNS)).to_csv(path.with_name(path.stem + SOURCES_SUFFIX), index=False)
    return path


__all__ = [
    "CONFIDENCE_LEVELS",
    "MONTHLY_COLUMNS",
    "SCALARS",
    "Climatology",
    "Source",
    "available_climatologies",
    "load_climatology",
    "write_climatology",
]
