"""`greendc scenario …`: files written, validated, and bad input reported without a traceback."""

from __future__ import annotations

import yaml
from typer.testing import CliRunner

from greendc.cli import app
from greendc.scenario.io import load_scenario

runner = CliRunner()


def test_init_then_validate(tmp_path):
    path = tmp_path / "my.yaml"
    result = runner.invoke(app, ["scenario", "init", str(path)])
    assert result.exit_code == 0, result.output
    assert "Dakhla" in path.read_text()  # the copy keeps the shipped comments and values
    assert load_scenario(path).datacenter.it_capacity_mw == 500.0
    result = runner.invoke(app, ["scenario", "validate", str(path)])
    assert result.exit_code == 0 and "valid" in result.output


def test_init_refuses_to_overwrite(tmp_path):
    path = tmp_path / "my.yaml"
    path.write_text("keep")
    result = runner.invoke(app, ["scenario", "init", str(path)])
    assert result.exit_code == 2
    assert "--force" in result.output and path.read_text() == "keep"


def test_validate_reports_field_value_and_rule(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({"finance": {"discount_rate": 0.9}, "rules": {"on_site": True}}))
    result = runner.invoke(app, ["scenario", "validate", str(path)])
    assert result.exit_code == 2
    assert "finance.discount_rate" in result.output and "0.9" in result.output
    assert "rules.on_site" in result.output and "unknown key" in result.output
    assert "Traceback" not in result.output


def test_show_prints_every_section():
    result = runner.invoke(app, ["scenario", "show"])
    assert result.exit_code == 0
    for section in ("site:", "weather:", "datacenter:", "technologies:", "costs:", "finance:", "rules:"):
        assert section in result.output
