"""What a result records of how it was made.

:class:`Provenance` is the one record that plans, simulations, Monte Carlo runs, out-of-sample checks, sizing to a
target, KPI reports and studies carry: the stage that made the result, the scenario and its hash, the weather
behind it (:class:`WeatherProvenance`, from the reader's metadata to the report), the package versions and the
stage's own settings (solver, seeds, policy …) in ``details``. Both are frozen; :meth:`Provenance.with_details`
returns a copy with more settings, :meth:`Provenance.to_dict` the JSON that ``summary.json`` holds and
:meth:`Provenance.from_dict` reads it back. :func:`stamped` puts a provenance (without wall times) in a table's
``attrs``, which pandas keeps in Parquet files, and :func:`provenance_of` reads it back: a ``dispatch.parquet``
says where it came from to ``greendc kpi``.
"""

from __future__ import annotations

import functools
import platform
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from importlib.metadata import PackageNotFoundError, version
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["STAGES", "Provenance", "WeatherProvenance", "package_versions", "provenance_of", "stamped"]

#: The stages that make a result, as :attr:`Provenance.stage` names them.
STAGES = ("plan", "simulation", "monte_carlo", "verification", "sizing", "kpi", "study")

#: Settings of a run that say how long it took, not what it computed; left out of
#: :meth:`Provenance.to_dict` with ``timings=False`` (what a data file embeds, so that it stays reproducible).
TIMING_KEYS = frozenset({"build_s", "solve_s", "wall_s", "wall_time_s"})


#: Key of a table's ``attrs`` holding the provenance of the result it belongs to; pandas keeps ``attrs`` in the
#: Parquet files it writes, so that a ``dispatch.parquet`` says where it came from to whoever reads it.
ATTRS_KEY = "greendc_provenance"


@functools.lru_cache(maxsize=8)
def _versions(packages: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    out = [("python", platform.python_version())]
    for pkg in packages:
        try:
            out.append((pkg, version(pkg)))
        except PackageNotFoundError:  # pragma: no cover - only without installed metadata
            out.append((pkg, "unknown"))
    return tuple(out)


def package_versions(packages: tuple[str, ...]) -> dict[str, str]:
    """``{"python": …, <package>: <version>, …}`` of the installed distributions (``"unknown"`` without
    metadata); read once per process for each tuple of packages."""
    return dict(_versions(packages))


def _frozen(mapping: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping or {}))


def _plain(value: Any) -> Any:
    """``value`` with read-only mappings as dicts and tuples as lists (what :func:`json.dumps` writes)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True)
class WeatherProvenance:
    """The weather behind a result: where it came from and what was filled or changed.

    Attributes
    ----------
    source : str
        ``"synthetic"`` or the weather file's name.
    format : str, optional
        Reader of the file (``epw``, ``pvgis``, ``era5`` …).
    latitude, longitude : float, optional
        Site of the file [°].
    elevation_m : float, optional
        Elevation of the file's site [m].
    years : float, optional
        Years of weather [yr] (a file's covered years may be fractional).
    start_year : int, optional
        First calendar year of synthetic weather.
    seed : int, optional
        Seed of synthetic weather.
    seeds : tuple of int
        Seeds of the synthetic years of a Monte Carlo run (empty otherwise).
    climatology : str, optional
        Monthly climatology of the synthetic generator or of a file's fallbacks.
    climate : str, optional
        Climate stress case applied (:mod:`greendc.weather.climate`).
    models : mapping
        Column → model that derived it from the file's own columns.
    fallbacks : mapping
        Column → how it was filled when the file lacked it.
    notes : tuple of str
        Lines worth printing: fallbacks used, site remarks, climate case.
    """

    source: str
    format: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    elevation_m: float | None = None
    years: float | None = None
    start_year: int | None = None
    seed: int | None = None
    seeds: tuple[int, ...] = ()
    climatology: str | None = None
    climate: str | None = None
    models: Mapping[str, str] = field(default_factory=dict)
    fallbacks: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "models", _frozen(self.models))
        object.__setattr__(self, "fallbacks", _frozen(self.fallbacks))
        object.__setattr__(self, "seeds", tuple(int(s) for s in self.seeds))
        object.__setattr__(self, "notes", tuple(str(n) for n in self.notes))

    @classmethod
    def from_metadata(cls, metadata: Mapping[str, Any]) -> WeatherProvenance:
        """The items of a weather reader's metadata (or of a stored :meth:`to_dict`) that a result keeps;
        other items are left out.

        Examples
        --------
        >>> WeatherProvenance.from_metadata({"source": "synthetic", "seed": 7, "rows": 8760}).to_dict()
        {'source': 'synthetic', 'seed': 7}
        """
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in metadata.items() if k in known and v is not None})

    def to_dict(self) -> dict[str, Any]:
        """The set items as JSON-ready values, in field order (``None`` and empty ones left out)."""
        out = {f.name: _plain(getattr(self, f.name)) for f in fields(self)}
        return {k: v for k, v in out.items() if v is not None and v != [] and v != {}}


@dataclass(frozen=True)
class Provenance:
    """How a result was made: stage, scenario, weather, package versions and the stage's settings.

    Attributes
    ----------
    stage : str
        One of :data:`STAGES`.
    scenario : str, optional
        Name of the scenario.
    scenario_hash : str, optional
        :func:`greendc.scenario.io.scenario_hash` of it.
    weather : WeatherProvenance, optional
        The weather behind the result (``None`` where the result was made from other data, e.g. a profile
        file of the bring-your-own-data planner or meter readings).
    versions : mapping
        Python and package versions (:func:`package_versions`).
    details : mapping
        The stage's own settings and records, JSON-ready (a plan: cost table, solver, options, status, wall
        times [s]; a simulation: seeds, policy, forecast, step …).
    """

    stage: str
    scenario: str | None = None
    scenario_hash: str | None = None
    weather: WeatherProvenance | None = None
    versions: Mapping[str, str] = field(default_factory=dict)
    details: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.stage not in STAGES:
            raise ValueError(f"Provenance.stage = {self.stage!r}; expected one of {', '.join(STAGES)}")
        object.__setattr__(self, "versions", _frozen(self.versions))
        object.__setattr__(self, "details", _frozen(self.details))

    def with_details(self, **details: Any) -> Provenance:
        """A copy with ``details`` added (a key given again replaces the old value)."""
        return replace(self, details={**self.details, **details})

    def to_dict(self, timings: bool = True) -> dict[str, Any]:
        """JSON-ready: ``stage``, ``scenario``, ``scenario_hash``, ``weather`` (those set), the details, then
        ``versions``; ``timings=False`` leaves out the wall times (:data:`TIMING_KEYS`).

        Examples
        --------
        >>> Provenance("kpi", details={"telemetry": "dispatch.parquet", "wall_s": 0.2}).to_dict(timings=False)
        {'stage': 'kpi', 'telemetry': 'dispatch.parquet'}
        """
        out: dict[str, Any] = {"stage": self.stage}
        out |= {k: v for k, v in (("scenario", self.scenario), ("scenario_hash", self.scenario_hash)) if v is not None}
        if self.weather is not None:
            out["weather"] = self.weather.to_dict()
        out |= {k: _plain(v) for k, v in self.details.items() if timings or k not in TIMING_KEYS}
        if self.versions:
            out["versions"] = dict(self.versions)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], stage: str = "plan") -> Provenance:
        """Read :meth:`to_dict` back (e.g. from a ``summary.json``); ``stage`` is used where ``data`` names
        none (files written before provenance recorded its stage). Items other than the typed ones become
        details."""
        weather = data.get("weather")
        typed = {"stage", "scenario", "scenario_hash", "weather", "versions"}
        return cls(
            stage=str(data.get("stage", stage)),
            scenario=data.get("scenario"),
            scenario_hash=data.get("scenario_hash"),
            weather=WeatherProvenance.from_metadata(weather) if isinstance(weather, Mapping) else None,
            versions=data.get("versions") or {},
            details={k: v for k, v in data.items() if k not in typed},
        )


def stamped(frame: pd.DataFrame, provenance: Provenance) -> pd.DataFrame:
    """A shallow copy of ``frame`` whose ``attrs`` carry ``provenance`` without its wall times (so that the
    Parquet file written from it is the same for the same run)."""
    out = frame.copy(deep=False)
    out.attrs = {**frame.attrs, ATTRS_KEY: provenance.to_dict(timings=False)}
    return out


def provenance_of(frame: pd.DataFrame) -> Provenance | None:
    """The provenance a table carries (:func:`stamped`, e.g. read back from a ``dispatch.parquet``); None when it
    carries none (meter readings, a file from elsewhere)."""
    data = frame.attrs.get(ATTRS_KEY)
    return Provenance.from_dict(data) if isinstance(data, Mapping) and data.get("stage") in STAGES else None
