"""Scenario fields addressed by dotted paths, and the scenario of a study point.

A path walks the scenario's sections as written in its YAML file: ``finance.discount_rate``,
``costs.capex_factors.battery_energy``, ``rules.land_limit_km2``. A list of named entries (the workload
classes) is addressed by name: ``datacenter.workload_classes.training.min_power_fraction``. The changed
scenario is validated again as a whole, so a value out of range fails with the field named.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from greendc.errors import ScenarioError
from greendc.scenario.io import scenario_from_dict
from greendc.scenario.models import Scenario


def _child(node: Any, part: str, walked: str) -> Any:
    if isinstance(node, dict):
        if part not in node:
            raise ScenarioError(
                f"'{walked}{part}' is not a scenario field; fields at '{walked or '(top)'}': "
                f"{', '.join(map(str, node))}"
            )
        return node[part]
    if isinstance(node, list):
        names = [e.get("name") for e in node if isinstance(e, dict)]
        if part in names:
            return node[names.index(part)]
        raise ScenarioError(f"'{walked}{part}': no entry named '{part}'; entries: {', '.join(map(str, names))}")
    raise ScenarioError(
        f"'{walked.rstrip('.')}' is {node!r}, not a section: '{walked}{part}' cannot be set"
        + ("; set the section first (e.g. a preset name)" if node is None else "")
    )


#: Fields set from another one: changing the key re-derives the values (the named envelopes of
#: :class:`~greendc.scenario.models.WorkloadClass`).
DERIVED_FIELDS = {"envelope": ("min_power_fraction", "max_power_fraction", "deadline_hours")}


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``path`` in the scenario mapping ``data`` (a ``model_dump`` of a :class:`Scenario`) in place.

    The last part may name a new key (a ``costs.capex_factors`` entry); validation of the whole scenario
    then rejects keys that are not fields. Setting a key of :data:`DERIVED_FIELDS` drops the values derived
    from it, so that they follow (a path that sets them too must come after it).
    """
    parts = path.split(".")
    node: Any = data
    walked = ""
    for part in parts[:-1]:
        node = _child(node, part, walked)
        walked += part + "."
    if not isinstance(node, dict):
        what = (
            "null: set it first as a mapping, in the scenario or as an earlier parameter"
            if node is None
            else "a list of entries, not a section; name an entry, then its field"
            if isinstance(node, list)
            else f"{node!r}, not a section"
        )
        raise ScenarioError(f"'{path}' cannot be set: '{walked.rstrip('.')}' is {what}")
    for derived in DERIVED_FIELDS.get(parts[-1], ()) if value is not None else ():
        node.pop(derived, None)
    node[parts[-1]] = value


#: Value of a key a mapping field does not hold, by the mapping's path.
UNSET_KEY_VALUES = {"costs.capex_factors": 1.0}


def get_path(scenario: Scenario, path: str) -> Any:
    """The value at ``path`` of ``scenario`` (a ``costs.capex_factors`` entry not set is 1.0, a factor
    leaving the table's value)."""
    node: Any = scenario.model_dump(mode="json")
    walked = ""
    parts = path.split(".")
    for i, part in enumerate(parts):
        if isinstance(node, dict) and part not in node and i == len(parts) - 1 and walked[:-1] in UNSET_KEY_VALUES:
            return UNSET_KEY_VALUES[walked[:-1]]
        node = _child(node, part, walked)
        walked += part + "."
    return node


def point_scenario(base: Scenario, values: Mapping[str, Any]) -> Scenario:
    """``base`` with each path of ``values`` set, validated again.

    Raises
    ------
    ScenarioError
        A path that is not a field, or a value the field does not allow (the message names both).
    """
    data = copy.deepcopy(base.model_dump(mode="json"))
    for path, value in values.items():
        set_path(data, path, value)
    label = ", ".join(f"{k}={v!r}" for k, v in values.items()) or "base"
    return scenario_from_dict(data, f"study point ({label})")


__all__ = ["get_path", "point_scenario", "set_path"]
