"""Study files: which scenario, which parameters, which design of points, what to run at each point.

A study is a YAML file a user edits::

    name: dakhla-sensitivity
    scenario: dakhla                 # shipped name, or a scenario YAML (relative to the study file)
    design: oat                      # oat | grid | list | lhs | morris
    parameters:
      - path: finance.discount_rate  # any scenario field, by its dotted path
        values: [0.05, 0.10]         # oat, grid: the values; lhs, morris: low and high instead
      - path: costs.capex_factors.battery_energy
        values: [0.6, 1.4]
    verify_years: 20                 # out-of-sample check of each design on unseen years (0: none)
    near_optimal: {epsilon: 0.05}    # designs within 5 % of the base case's least cost

:func:`load_study` validates it (unknown keys are errors, as in scenarios) and names the field of any problem.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import Field, field_validator, model_validator

from greendc.errors import ScenarioError
from greendc.scenario.base import PositiveFloat, ScenarioModel
from greendc.scenario.io import validate_mapping
from greendc.units import RENAMED_CAPACITIES

#: Where the shipped studies live in the package.
SHIPPED_DIR = "data/studies"

#: The designs of points a study may use.
DESIGNS = ("oat", "grid", "list", "lhs", "morris")


class Parameter(ScenarioModel):
    """One scenario field a study varies.

    ``values`` (designs ``oat`` and ``grid``) lists the values taken; ``low`` and ``high`` (designs ``lhs`` and
    ``morris``) bound a continuous range. ``integer`` rounds sampled values (weather seeds, years).
    """

    path: Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9_]+(\.[A-Za-z0-9_\-]+)*$")]
    label: str | None = Field(None, description="name in the report; default the path")
    values: list[Any] | None = None
    low: float | None = None
    high: float | None = None
    integer: bool = False

    @model_validator(mode="after")
    def _range(self) -> Parameter:
        if self.values is not None and (self.low is not None or self.high is not None):
            raise ValueError(f"parameter {self.path}: give values or low/high, not both")
        if (self.low is None) != (self.high is None):
            raise ValueError(f"parameter {self.path}: low and high go together")
        if self.low is not None and not self.low < self.high:
            raise ValueError(f"parameter {self.path}: low ({self.low}) must be below high ({self.high})")
        if self.values is not None and not self.values:
            raise ValueError(f"parameter {self.path}: values is empty")
        return self

    @property
    def name(self) -> str:
        """The label shown in reports."""
        return self.label or self.path


class NearOptimal(ScenarioModel):
    """Near-optimal alternatives of the base scenario: each capacity minimised and maximised within
    ``epsilon`` of the least cost (:mod:`greendc.plan.near_optimal`)."""

    epsilon: Annotated[float, Field(gt=0.0, le=1.0)] = Field(0.05, description="cost slack over the optimum [-]")
    capacities: list[str] | None = Field(None, description="capacities to move; default every one the plan sizes")

    @field_validator("capacities")
    @classmethod
    def _current_names(cls, value: list[str] | None) -> list[str] | None:
        """An old capacity name (:data:`greendc.units.RENAMED_CAPACITIES`) is read as its current one."""
        return None if value is None else [RENAMED_CAPACITIES.get(name, name) for name in value]


class Solver(ScenarioModel):
    """Solver settings of every point (part of each point's key: changing them solves again)."""

    time_limit_s: PositiveFloat = 3600.0
    threads: Annotated[int, Field(ge=1, le=64)] = Field(1, description="HiGHS threads per point")


class StudySpec(ScenarioModel):
    """A study: the base scenario, the parameters and the design of points (see the module docstring)."""

    name: Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")] = "study"
    description: str = ""
    scenario: str = Field("dakhla", description="shipped scenario name or scenario YAML path")
    design: Literal["oat", "grid", "list", "lhs", "morris"] = "oat"
    parameters: list[Parameter] = Field(default_factory=list)
    points: list[dict[str, Any]] | None = Field(
        None, description="design 'list': one mapping of parameter path to value per point"
    )
    samples: Annotated[int, Field(ge=1, le=100_000)] = Field(
        10, description="lhs: number of points; morris: number of trajectories"
    )
    levels: Annotated[int, Field(ge=2, le=20)] = Field(4, description="morris: grid levels per parameter")
    seed: Annotated[int, Field(ge=0)] = Field(1, description="seed of the lhs and morris samples")
    verify_years: Annotated[int, Field(ge=0, le=100_000)] = Field(
        0, description="unseen years of each point's out-of-sample check (0: no check)"
    )
    near_optimal: NearOptimal | None = None
    solver: Solver = Solver()
    memory_per_point_gb: PositiveFloat = Field(
        4.0, description="memory one point may take [GB]; sets the worker count and each worker's limit"
    )

    @model_validator(mode="after")
    def _design_fits(self) -> StudySpec:
        paths = [p.path for p in self.parameters]
        if len(set(paths)) != len(paths):
            raise ValueError(f"a parameter path appears twice: {paths}")
        if self.design == "list":
            if not self.points:
                raise ValueError("design 'list' needs points: a list of {path: value} mappings")
            for i, point in enumerate(self.points):
                if unknown := sorted(set(point) - set(paths)):
                    raise ValueError(f"points[{i}] sets {unknown}, not among the parameters {paths}")
        elif self.points is not None:
            raise ValueError(f"points belong to design 'list', not '{self.design}'")
        for p in self.parameters:
            if self.design in ("oat", "grid") and p.values is None:
                raise ValueError(f"design '{self.design}' needs values for parameter {p.path}")
            if self.design in ("lhs", "morris") and p.low is None:
                raise ValueError(f"design '{self.design}' needs low and high for parameter {p.path}")
        if self.design in ("lhs", "morris") and not self.parameters:
            raise ValueError(f"design '{self.design}' needs at least one parameter")
        return self


def study_from_dict(data: Any, origin: str = "study") -> StudySpec:
    """Validate a mapping into a :class:`StudySpec`; raise :class:`~greendc.errors.ScenarioError` naming each
    bad field."""
    return validate_mapping(StudySpec, data, origin)


def shipped_studies() -> list[str]:
    """Names of the studies shipped with greendc (``greendc/data/studies/*.yaml``)."""
    folder = resources.files("greendc").joinpath(SHIPPED_DIR)
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def load_study(name_or_path: str | Path) -> StudySpec:
    """Read a study YAML file, or a shipped study by name (:func:`shipped_studies`); a relative ``scenario``
    path is taken relative to the study file."""
    path = Path(name_or_path)
    if path.is_file():
        text, origin, folder = path.read_text(encoding="utf-8"), str(path), path.parent
    elif str(name_or_path) in shipped_studies():
        text = resources.files("greendc").joinpath(SHIPPED_DIR, f"{name_or_path}.yaml").read_text(encoding="utf-8")
        origin, folder = f"shipped study '{name_or_path}'", Path.cwd()
    else:
        raise ScenarioError(f"study file not found: {path}; shipped studies: {', '.join(shipped_studies())}")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise ScenarioError(f"{origin}: not valid YAML: {err}") from None
    spec = study_from_dict(data, origin)
    scenario = Path(spec.scenario)
    if scenario.suffix in (".yaml", ".yml") and not scenario.is_absolute():
        spec = spec.model_copy(update={"scenario": str(folder / scenario)})
    return spec


__all__ = [
    "DESIGNS",
    "NearOptimal",
    "Parameter",
    "Solver",
    "StudySpec",
    "load_study",
    "shipped_studies",
    "study_from_dict",
]
