"""`greendc kpi`: a telemetry CSV in, the KPI JSON out; bad telemetry gives a message and exit code 2.

Expected values are hand computed from the file written in the test (PUE = E_DC / E_IT, ISO/IEC 30134-2;
REF = E_ren / E_DC, EN 50600-4-3; WUE = W_in / E_IT, ISO/IEC 30134-9; CUE = m_CO2e / E_IT, ISO/IEC 30134-8;
hourly 24/7 CFE score of the served load, greendc.kpi.cfe).
"""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from greendc.cli.kpi import kpi

runner = CliRunner()


def make_app() -> typer.Typer:
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    app.command("kpi")(kpi)

    @app.command("noop", hidden=True)
    def noop() -> None:  # a second command keeps `kpi` a named sub-command, as in the real app
        pass

    return app


CSV = """# meters of a test hall
timestamp,it_mw,facility_mw,pv_mw,wind_mw,curtailed_mw,grid_import_mw,water_m3,it_inference_mw,unserved_inference_mw
2030-06-01T00:00:00Z,10,12,0,12,0,0,2,10,0
2030-06-01T01:00:00Z,10,11,0,5,0,6,2,10,1
2030-06-01T02:00:00Z,10,13,13,0,7,0,2,10,0
"""


def test_kpi_writes_the_json_with_the_required_keys(tmp_path):
    telemetry = tmp_path / "meters.csv"
    telemetry.write_text(CSV, encoding="utf-8")
    out = tmp_path / "kpi.json"
    args = ["kpi", "--telemetry", str(telemetry), "--out", str(out), "--grid-emission-factor", "0.4"]
    result = runner.invoke(make_app(), args)
    assert result.exit_code == 0, result.output
    assert "PUE" in result.output and "interim" in result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    for key in ("pue", "ref", "wue_l_per_kwh", "cue_kg_per_kwh", "erf", "cfe_share", "eu_reporting"):
        assert key in report
    # E_DC = 12 + 11 + 13 = 36 MWh, E_IT = 30 MWh -> PUE 1.2
    assert report["pue"] == pytest.approx(1.2, rel=1e-12)
    # on-site used 12 + 5 + 13 = 30 MWh (7 curtailed not counted), grid 6
    # -> E_RES-OS = min(30, 36 - 6) = 30 -> REF 30/36
    assert report["ref"] == pytest.approx(30 / 36, rel=1e-12)
    # water 6 m3 / 30 MWh = 0.2 L/kWh; CUE 6 MWh x 0.4 kg/kWh / 30 MWh = 0.08; no heat meter -> ERF 0
    assert report["wue_l_per_kwh"] == pytest.approx(0.2, rel=1e-12)
    assert report["cue_kg_per_kwh"] == pytest.approx(0.08, rel=1e-12)
    assert report["erf"] == 0.0
    # hourly carbon-free supply 12, 5, 13 against load 12, 11, 13 -> 30/36
    assert report["cfe_share"] == pytest.approx(30 / 36, rel=1e-12)
    # no unserved_facility_mw column: all facility energy demanded was served
    assert report["served_facility_fraction"] == 1.0
    assert "served share of facility energy" in result.output
    # inference requested 10 + 11 + 10 = 31 MWh, 1 MWh lost
    assert report["availability"]["inference"]["served_fraction"] == pytest.approx(30 / 31, rel=1e-12)
    assert report["eu_reporting"]["annex_ii"]["total_energy_consumption"]["value"] == pytest.approx(36_000.0)


def test_grid_factor_from_the_scenario(tmp_path):
    # rules.grid.carbon_intensity_kg_per_mwh 400 -> 0.4 kg/kWh: CUE = 6 MWh x 0.4 / 30 MWh = 0.08 as above;
    # an explicit --grid-emission-factor wins over the scenario's
    telemetry = tmp_path / "meters.csv"
    telemetry.write_text(CSV, encoding="utf-8")
    scenario = tmp_path / "grid.yaml"
    scenario.write_text(
        "rules:\n  on_site_only: false\n  grid:\n    price_usd_per_mwh: 80\n    carbon_intensity_kg_per_mwh: 400\n",
        encoding="utf-8",
    )
    for extra, expected in (([], 0.08), (["--grid-emission-factor", "0.2"], 0.04)):
        out = tmp_path / "kpi.json"
        args = ["kpi", "--telemetry", str(telemetry), "--scenario", str(scenario), "--out", str(out), *extra]
        result = runner.invoke(make_app(), args)
        assert result.exit_code == 0, result.output
        assert json.loads(out.read_text(encoding="utf-8"))["cue_kg_per_kwh"] == pytest.approx(expected, rel=1e-12)


def test_bad_telemetry_is_a_clear_error(tmp_path):
    telemetry = tmp_path / "meters.csv"
    telemetry.write_text(CSV.replace("2030-06-01T01:00:00Z,10,11,0,5", "2030-06-01T01:00:00Z,10,-11,0,5"))
    out = tmp_path / "k.json"
    result = runner.invoke(make_app(), ["kpi", "--telemetry", str(telemetry), "--out", str(out)])
    assert result.exit_code == 2
    assert "facility_mw" in result.output and "row 1, line 4" in result.output
    assert not out.exists()
