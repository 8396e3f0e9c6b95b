"""Scenario files: YAML in and out, with validation errors a user can act on."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from greendc.errors import ScenarioError
from greendc.scenario.models import Scenario

SHIPPED_DIR = "data/scenarios"

ModelT = TypeVar("ModelT", bound=BaseModel)


def shipped_scenarios() -> list[str]:
    """Names of the scenarios shipped with greendc (``greendc/data/scenarios/*.yaml``)."""
    folder = resources.files("greendc").joinpath(SHIPPED_DIR)
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def _read_text(name_or_path: str | Path) -> tuple[str, str]:
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") or path.exists():
        if not path.is_file():
            raise ScenarioError(f"scenario file not found: {path}")
        return path.read_text(encoding="utf-8"), str(path)
    name = str(name_or_path)
    if name not in shipped_scenarios():
        raise ScenarioError(
            f"unknown scenario '{name}': give a YAML file path or one of the shipped scenarios {shipped_scenarios()}"
        )
    text = resources.files("greendc").joinpath(SHIPPED_DIR, f"{name}.yaml").read_text(encoding="utf-8")
    return text, f"shipped scenario '{name}'"


def format_validation_error(err: ValidationError, origin: str) -> str:
    """Turn a pydantic error into lines naming the field path, the bad value and what is allowed."""
    lines = [f"{origin}: {err.error_count()} problem(s)"]
    for e in err.errors():
        loc = ".".join(str(p) for p in e["loc"]) or "(top level)"
        if e["type"] == "extra_forbidden":
            lines.append(f"  - {loc}: unknown key (value {e['input']!r}); check the spelling against the documentation")
        elif e["type"] == "missing":
            lines.append(f"  - {loc}: required field is missing")
        else:
            msg = e["msg"].removeprefix("Value error, ")
            lines.append(f"  - {loc}: {msg} (got {e['input']!r})")
    return "\n".join(lines)


def validate_mapping(model: type[ModelT], data: Any, origin: str, top_level: str = "a mapping") -> ModelT:
    """Validate a mapping (e.g. parsed YAML) into ``model``; raise :class:`ScenarioError`, naming ``origin``
    and :func:`format_validation_error`'s fields, or what the top level must be (``top_level``)."""
    if not isinstance(data, dict):
        raise ScenarioError(f"{origin}: the top level must be {top_level}, got {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise ScenarioError(format_validation_error(err, origin)) from None


def scenario_from_dict(data: dict[str, Any], origin: str = "scenario") -> Scenario:
    """Validate a mapping (e.g. parsed YAML) into a :class:`Scenario`; raise :class:`ScenarioError`."""
    return validate_mapping(Scenario, {} if data is None else data, origin, "a mapping of sections")


def load_scenario(name_or_path: str | Path = "dakhla") -> Scenario:
    """Load a scenario from a YAML file or by the name of a shipped scenario.

    Parameters
    ----------
    name_or_path : str or pathlib.Path
        A ``.yaml`` file, or the name of a shipped scenario (``"dakhla"``).

    Raises
    ------
    ScenarioError
        The file is missing, is not YAML, or does not validate; the message names each field path, its value
        and what is allowed.
    """
    text, origin = _read_text(name_or_path)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise ScenarioError(f"{origin}: not valid YAML: {err}") from None
    scenario = scenario_from_dict(data, origin)
    if scenario.weather.path is not None and not scenario.weather.path.is_absolute():
        base = Path(name_or_path).parent if Path(name_or_path).exists() else Path.cwd()
        scenario = scenario.model_copy(
            update={"weather": scenario.weather.model_copy(update={"path": base / scenario.weather.path})}
        )
    return scenario


def scenario_to_yaml(scenario: Scenario) -> str:
    """The scenario as YAML text, every field written out (defaults included)."""
    data = scenario.model_dump(mode="json")
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def save_scenario(scenario: Scenario, path: str | Path) -> Path:
    """Write ``scenario`` to ``path`` as YAML; return the path."""
    path = Path(path)
    path.write_text(scenario_to_yaml(scenario), encoding="utf-8")
    return path


def scenario_hash(scenario: Scenario) -> str:
    """A short, stable hash of the scenario content (SHA-256 of its canonical JSON, 12 hex digits)."""
    payload = json.dumps(scenario.model_dump(mode="json"), sort_keys=True).encode()
    return hashlib.sha256(payload).hexdigest()[:12]
