"""The service over HTTP, against a real uvicorn server on loopback, on SQLite and on PostgreSQL.

KPI values are worked out by hand from the series of ``support.hand_values`` (written out in each test) and
compared with ``greendc.kpi.kpi_report`` run offline on the same table (the service must reuse that code).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from greendc.kpi import KpiOptions, kpi_report
from greendc.service.models import meter_events, meters
from tests.service.support import hand_frame, hand_readings, make_site


def test_openapi_and_health(clients):
    spec = clients["anonymous"].get("/openapi.json").json()
    assert spec["info"]["title"] == "greendc monitor"
    for path in ("/api/v1/readings", "/api/v1/readings/csv", "/api/v1/kpi", "/api/v1/reports/monthly"):
        assert path in spec["paths"]
    # the batch schema is documented although the route parses the body itself
    body = spec["paths"]["/api/v1/readings"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["readings"]["items"]["required"] == ["meter", "ts", "value"]
    health = clients["anonymous"].get("/api/v1/health").json()
    assert health["status"] == "ok" and health["schema_revision"] == "0005"


def test_auth_matrix(clients, database):
    make_site(clients["admin"], "auth")
    batch = {"readings": hand_readings("auth", hours=1)}
    # no token → 401 with the Bearer challenge
    r = clients["anonymous"].post("/api/v1/readings", json=batch)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert clients["anonymous"].get("/api/v1/meters").status_code == 401
    # unknown token → 401
    r = clients["anonymous"].get("/api/v1/meters", headers={"Authorization": "Bearer gdc_not-a-token"})
    assert r.status_code == 401
    # wrong role → 403: viewers do not write, operators do not manage
    assert clients["viewer"].post("/api/v1/readings", json=batch).status_code == 403
    assert clients["operator"].post("/api/v1/sites", json={"name": "x"}).status_code == 403
    assert clients["operator"].get("/api/v1/tokens").status_code == 403
    # right role → accepted
    assert clients["operator"].post("/api/v1/readings", json=batch).status_code == 200
    assert clients["viewer"].get("/api/v1/meters", params={"site": "auth"}).status_code == 200
    # a revoked token → 401, at once
    made = clients["admin"].post("/api/v1/tokens", json={"role": "operator", "name": "short-lived"}).json()
    assert made["token"].startswith("gdc_")
    with client_for(clients, made["token"]) as c:
        assert c.post("/api/v1/readings", json=batch).status_code == 200
        assert clients["admin"].delete(f"/api/v1/tokens/{made['id']}").status_code == 200
        r = c.post("/api/v1/readings", json=batch)
        assert r.status_code == 401 and "revoked" in r.json()["detail"]
    # the list shows it revoked, never the secret nor its digest
    listed = clients["admin"].get("/api/v1/tokens").json()
    mine = next(t for t in listed if t["id"] == made["id"])
    assert mine["revoked_at"] is not None
    assert made["token"] not in json.dumps(listed) and "sha256" not in json.dumps(listed)


def client_for(clients, token):  # type: ignore[no-untyped-def]
    return type(clients["anonymous"])(
        base_url=clients["anonymous"].base_url, headers={"Authorization": f"Bearer {token}"}
    )


def test_kpis_from_stored_readings_match_hand_calculation_and_offline_code(clients):
    make_site(clients["admin"], "hand")
    r = clients["operator"].post("/api/v1/readings", json={"readings": hand_readings("hand")})
    assert r.json() == {"received": 216, "inserted": 216, "duplicates": 0}
    r = clients["viewer"].get(
        "/api/v1/kpi",
        params={
            "site": "hand",
            "from": "2030-01-01T00:00:00Z",
            "to": "2030-01-02T00:00:00Z",
            "grid_emission_factor": 0.5,
        },
    )
    assert r.status_code == 200, r.text
    got = r.json()
    # Hand calculation over 24 h: E_IT = 400 × 24 = 9600 MWh, E_DC = 440 × 24 = 10560 MWh → PUE = 1.1.
    assert got["it_mwh"] == pytest.approx(9600.0) and got["facility_mwh"] == pytest.approx(10560.0)
    assert got["pue"] == pytest.approx(1.1)
    # Two PV meters are added into pv_mw: 2 × 200 MW × 12 h = 4800 MWh.
    assert got["pv_mwh"] == pytest.approx(4800.0)
    # REF (EN 50600-4-3, grid first): grid 400 × 12 = 4800 MWh reaches the DC; on-site renewables used
    # min(wind 960 + PV 4800, 10560 − 4800) = 5760 MWh → REF = 5760 / 10560 = 0.545454…
    assert got["ref"] == pytest.approx(5760.0 / 10560.0)
    # 24/7 CFE: hours 0-11 match wind 40 MW, hours 12-23 all 440 MW → (480 + 5280) / 10560.
    assert got["cfe_share"] == pytest.approx(5760.0 / 10560.0)
    # No facility load went unserved: served fraction 10560 / 10560 = 1, reported beside the CFE score.
    assert got["served_facility_fraction"] == 1.0
    # WUE = 12 m³ × 24 / 9600 MWh = 0.03 L/kWh; CUE = 4800 MWh × 0.5 kg/kWh / 9600 MWh = 0.25 kg/kWh.
    assert got["wue_l_per_kwh"] == pytest.approx(0.03)
    assert got["cue_kg_per_kwh"] == pytest.approx(0.25)
    # The same code as offline: kpi_report on the same table gives the same report.
    offline = kpi_report(hand_frame(), KpiOptions(grid_emission_factor_kg_per_kwh=0.5), source="site hand")
    for key, value in offline.as_dict().items():
        assert got[key] == (pytest.approx(value) if isinstance(value, float) else value), key
    targets = {t["name"]: t for t in got["targets"]}
    assert targets["pue"]["met"] is True and targets["ref"]["met"] is False  # 1.1 ≤ 1.2; 0.545 < 1


def test_idempotent_ingestion_and_conflicts(clients):
    make_site(clients["admin"], "idem")
    batch = {"readings": hand_readings("idem", hours=3)}
    assert clients["operator"].post("/api/v1/readings", json=batch).json()["inserted"] == 27
    # re-sending stores nothing twice
    assert clients["operator"].post("/api/v1/readings", json=batch).json() == {
        "received": 27,
        "inserted": 0,
        "duplicates": 27,
    }
    # a batch overlapping stored readings stores only the new ones
    batch2 = {"readings": hand_readings("idem", hours=4)}
    assert clients["operator"].post("/api/v1/readings", json=batch2).json()["inserted"] == 9
    # a different value for a stored reading: 409 and nothing of the batch stored
    new = hand_readings("idem", start="2030-01-01T04:00:00+00:00", hours=1)
    changed = [*new, dict(batch["readings"][0], value=401.0)]
    r = clients["operator"].post("/api/v1/readings", json={"readings": changed})
    assert r.status_code == 409 and "stored 400, sent 401" in r.json()["detail"]
    got = clients["viewer"].get("/api/v1/readings", params={"meter": "idem-it"}).json()
    assert len(got["ts"]) == 4 and got["value"] == [400.0] * 4
    # twice in one batch with two values: 422
    twice = [new[0], dict(new[0], value=123.0)]
    assert clients["operator"].post("/api/v1/readings", json={"readings": twice}).status_code == 422


def test_readings_query_resamples(clients):
    make_site(clients["admin"], "res")
    clients["operator"].post("/api/v1/readings", json={"readings": hand_readings("res")})
    params = {"meter": "res-pv-a", "step": "6h", "from": "2030-01-01T00:00:00Z", "to": "2030-01-02T00:00:00Z"}
    got = clients["viewer"].get("/api/v1/readings", params=params).json()
    # PV block A: 0 MW for hours 0-11, 200 MW for 12-23 → 6-hour means 0, 0, 200, 200.
    assert got["value"] == [0.0, 0.0, 200.0, 200.0] and got["step"] == "6h" and got["unit"] == "MW"
    assert got["ts"][2] == "2030-01-01T12:00:00+00:00"
    got = clients["viewer"].get("/api/v1/readings", params={**params, "step": "1D", "agg": "sum"}).json()
    assert got["value"] == [2400.0]  # 12 × 200


def test_monthly_report_json_and_html(clients):
    make_site(clients["admin"], "month")
    clients["operator"].post("/api/v1/readings", json={"readings": hand_readings("month", hours=48)})
    r = clients["viewer"].get("/api/v1/reports/monthly", params={"site": "month", "month": "2030-01"})
    assert r.status_code == 200, r.text
    rep = r.json()
    # two days of the month are metered: the report says so and covers them
    assert rep["complete_month"] is False and rep["kpi"]["hours"] == 48.0
    assert rep["kpi"]["pue"] == pytest.approx(1.1) and rep["readings_stored"] == 48 * 9
    html = clients["viewer"].get(
        "/api/v1/reports/monthly", params={"site": "month", "month": "2030-01", "format": "html"}
    )
    assert html.headers["content-type"].startswith("text/html")
    assert "Monthly report 2030-01, site month" in html.text and html.text.count("Plotly.newPlot") >= 3
    r = clients["viewer"].get("/api/v1/reports/monthly", params={"site": "month", "month": "2031-05"})
    assert r.status_code == 404
    r = clients["viewer"].get("/api/v1/reports/monthly", params={"site": "month", "month": "2030/05"})
    assert r.status_code == 422 and "YYYY-MM" in r.json()["detail"]


def test_kpi_refuses_gaps_naming_the_meter(clients):
    make_site(clients["admin"], "gap")
    readings = [
        r for r in hand_readings("gap") if not (r["meter"] == "gap-wind" and r["ts"].startswith("2030-01-01T05"))
    ]
    clients["operator"].post("/api/v1/readings", json={"readings": readings})
    r = clients["viewer"].get("/api/v1/kpi", params={"site": "gap"})
    assert r.status_code == 422
    assert "gap-wind" in r.json()["detail"] and "2030-01-01T05:00:00+00:00" in r.json()["detail"]


def test_alarms(clients):
    make_site(clients["admin"], "alarm")
    readings = hand_readings("alarm", hours=2)
    # the water meter stops after the first hour
    readings = [r for r in readings if not (r["meter"] == "alarm-water" and r["ts"].startswith("2030-01-01T01"))]
    clients["operator"].post("/api/v1/readings", json={"readings": readings})
    got = clients["viewer"].get("/api/v1/alarms", params={"site": "alarm"}).json()
    kinds = {(a["kind"], a["meter"]) for a in got}
    # reserve 30 MW < 10 % of 440 MW = 44 MW → reserve low; water silent for 60 min > 15 min
    assert ("reserve_low", None) in kinds and ("meter_silent", "alarm-water") in kinds
    # battery 500 MWh is 12.5 % of its 4000 MWh meter: above the 10 % alarm
    assert not any(k == "battery_low" for k, _ in kinds)
    assert ("meter_silent", "alarm-wind") not in kinds


def test_a_death_certificate_silences_its_meter_in_the_api(clients, database):
    make_site(clients["admin"], "death")
    clients["operator"].post("/api/v1/readings", json={"readings": hand_readings("death", hours=2)})
    # a field gateway (greendc bridge) recorded the Sparkplug NDEATH of the node that carries the wind meter
    with database.engine.begin() as conn:
        wind = conn.execute(sa.select(meters.c.id).where(meters.c.name == "death-wind")).scalar_one()
        at = dt.datetime(2030, 1, 1, 1, 30, tzinfo=dt.UTC)  # after its last reading (01:00)
        conn.execute(sa.insert(meter_events).values(meter_id=wind, at=at, kind="death", source="spBv1.0/g/n"))
    for path in ("/api/v1/alarms", "/api/v1/dashboard"):
        got = clients["viewer"].get(path, params={"site": "death"}).json()
        found = [a for a in (got if isinstance(got, list) else got["alarms"]) if a["kind"] == "meter_silent"]
        assert [a["meter"] for a in found] == ["death-wind"], found
        assert "death certificate" in found[0]["message"]


def test_csv_upload_long_and_wide(clients):
    make_site(clients["admin"], "csv")
    long_csv = (
        "# comment line\nmeter,ts,value\ncsv-it,2030-01-01T00:00:00Z,400\ncsv-feeder,2030-01-01T00:00:00+01:00,440\n"
    )
    r = clients["operator"].post("/api/v1/readings/csv", content=long_csv, headers={"content-type": "text/csv"})
    assert r.status_code == 200 and r.json()["inserted"] == 2
    wide = "timestamp,csv-it,csv-feeder\n2030-01-01T01:00:00Z,401,441\n2030-01-01T02:00:00Z,,442\n"
    r = clients["operator"].post("/api/v1/readings/csv", files={"file": ("m.csv", wide.encode())})
    assert r.status_code == 200 and r.json()["inserted"] == 3  # the empty cell is no reading
    got = clients["viewer"].get("/api/v1/readings", params={"meter": "csv-feeder"}).json()
    # +01:00 is stored in UTC: 2029-12-31T23:00Z
    assert got["ts"][0] == "2029-12-31T23:00:00+00:00"
    bad = "meter,ts,value\ncsv-it,2030-01-01T03:00:00,400\n"
    r = clients["operator"].post("/api/v1/readings/csv", content=bad, headers={"content-type": "text/csv"})
    assert r.status_code == 422 and "line 2" in r.json()["detail"] and "UTC offset" in r.json()["detail"]


HOSTILE = [
    (b"not json", 422, "invalid batch"),
    (b'{"readings": "all of them"}', 422, "readings"),
    (b'{"readings": [{"meter": "x", "ts": "2030-01-01T00:00:00Z", "value": "12.5"}]}', 422, "valid number"),
    (b'{"readings": [{"meter": "x", "ts": "2030-01-01T00:00:00Z", "value": NaN}]}', 422, "finite"),
    (b'{"readings": [{"meter": "x", "ts": "2030-01-01T00:00:00Z", "value": 1e999}]}', 422, "finite"),
    (b'{"readings": [{"meter": "x", "ts": "2030-01-01T00:00:00", "value": 1}]}', 422, "timezone"),
    (b'{"readings": [{"meter": "x", "ts": 1893456000, "value": 1}]}', 422, "datetime"),
    (b'{"readings": [{"meter": "x", "ts": "2030-01-01T00:00:00Z", "value": 1, "extra": 1}]}', 422, "extra"),
    (b'{"readings": [{"meter": "hostile-it\'; DROP TABLE readings; --", "ts": "2030-01-01T00:00:00Z", "value": 1}]}',
     422, "meter name"),
    (b'{"readings": [{"meter": "hostile-x", "ts": "2030-01-01T00:00:00Z", "value": 1}]}', 422, "unknown meter"),
    (b'{"readings": [{"meter": "hostile-it", "ts": "2030-01-01T00:00:00Z", "value": -5}]}', 422, "physical range"),
    (b'{"readings": [{"meter": "hostile-it", "ts": "2030-01-01T00:00:00Z", "value": 1e6}]}', 422, "physical range"),
    (b'{"readings": [' + b"[1," * 5000 + b"]", 422, "invalid batch"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "status", "words"), HOSTILE)
def test_hostile_inputs_get_a_clear_4xx_and_the_server_stays_up(clients, server, body, status, words):
    if not clients["admin"].get("/api/v1/meters", params={"site": "hostile"}).json():
        make_site(clients["admin"], "hostile")
    r = clients["operator"].post("/api/v1/readings", content=body, headers={"content-type": "application/json"})
    assert r.status_code == status, r.text
    assert words in r.json()["detail"]
    assert server.alive() and clients["anonymous"].get("/api/v1/health").status_code == 200


def test_sql_looking_names_are_data_not_code(clients):
    # an SQL-looking site name is refused by the name rule, in a body and in a query alike
    r = clients["admin"].post("/api/v1/sites", json={"name": "x'); DROP TABLE meters; --"})
    assert r.status_code == 422 and "name" in r.json()["detail"]
    # as a query value it cannot be a name: refused before any query runs
    r = clients["viewer"].get("/api/v1/readings", params={"meter": "' OR 1=1 --"})
    assert r.status_code == 422 and "meter" in r.json()["detail"]
    r = clients["viewer"].get("/api/v1/kpi", params={"site": "'; DELETE FROM readings; --"})
    assert r.status_code == 422 and "site" in r.json()["detail"]
    assert clients["viewer"].get("/api/v1/meters").status_code == 200  # tables still there


def test_oversized_requests_get_413(clients, server):
    make_site(clients["admin"], "big")
    # more readings than max_batch_readings (5000 for this server)
    many = hand_readings("big", hours=600)  # 5400 readings, about 500 kB
    r = clients["operator"].post("/api/v1/readings", json={"readings": many})
    assert r.status_code == 413 and "at most 5000" in r.json()["detail"]
    # a body above max_body_bytes (2 MB for this server), declared, and streamed without a length
    huge = b'{"readings": [' + b" " * 3_000_000 + b"]}"
    r = clients["operator"].post("/api/v1/readings", content=huge, headers={"content-type": "application/json"})
    assert r.status_code == 413 and "larger than 2000000 bytes" in r.json()["detail"]

    def chunks():  # type: ignore[no-untyped-def]
        yield b'{"readings": ['
        for _ in range(30):
            yield b" " * 100_000
        yield b"]}"

    r = clients["operator"].post("/api/v1/readings", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert server.alive() and clients["anonymous"].get("/api/v1/health").status_code == 200
    # and nothing of the refused batches was stored
    assert clients["viewer"].get("/api/v1/readings", params={"meter": "big-it"}).json()["value"] == []


def test_meter_rules(clients):
    make_site(clients["admin"], "rules")
    post = clients["admin"].post
    r = post("/api/v1/meters", json={"name": "rules-x", "site": "rules", "column": "pv_kw", "max_value": 1})
    assert r.status_code == 422 and "not a telemetry column" in r.json()["detail"]
    r = post("/api/v1/meters", json={"name": "rules-y", "site": "rules", "column": "pv_mw", "max_value": -1})
    assert r.status_code == 422 and "min_value < max_value" in r.json()["detail"]
    r = post("/api/v1/meters", json={"name": "rules-z", "site": "nowhere", "column": "pv_mw", "max_value": 1})
    assert r.status_code == 404
    r = post("/api/v1/meters", json={"name": "rules-it2", "site": "rules", "column": "it_mw", "max_value": 1})
    assert r.status_code == 201 and r.json()["unit"] == "MW" and r.json()["asset"] == "it_hall"
    r = post("/api/v1/meters", json={"name": "rules-it2", "site": "rules", "column": "it_mw", "max_value": 1})
    assert r.status_code == 409
