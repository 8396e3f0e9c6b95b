"""Admins manage meters: change (PATCH), delete, retire; on a real server, on SQLite and on PostgreSQL.

The rules under test are those of ``greendc.service.routes.admin``: stored readings never change meaning and
are never deleted with their meter; a retired meter keeps its readings and takes no new ones.
"""

from __future__ import annotations

import datetime as dt

import pytest

from greendc.errors import IngestError
from greendc.service.ingest import MeterCache, Reading, ingest
from tests.service.support import ANY_FUTURE, hand_readings, make_site


def _reading(meter: str, ts: str, value: float) -> dict:
    return {"meter": meter, "ts": ts, "value": value}


def _stored_reading(meter: str, hour: int, value: float) -> Reading:
    return Reading(meter=meter, ts=dt.datetime(2030, 1, 1, hour, tzinfo=dt.UTC), value=value)


def test_meter_management_auth_matrix(clients):
    make_site(clients["admin"], "mauth")
    calls = [
        ("PATCH", "/api/v1/meters/mauth-it", {"description": "IT hall A"}),
        ("DELETE", "/api/v1/meters/mauth-wind", None),
    ]
    for method, path, body in calls:
        # no token → 401 with the Bearer challenge
        r = clients["anonymous"].request(method, path, json=body)
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer", (method, r.text)
        # unknown token → 401
        r = clients["anonymous"].request(method, path, json=body, headers={"Authorization": "Bearer gdc_nope"})
        assert r.status_code == 401
        # viewers and operators do not manage meters → 403 naming the role needed
        for role in ("viewer", "operator"):
            r = clients[role].request(method, path, json=body)
            assert r.status_code == 403 and "'admin'" in r.json()["detail"], (method, role, r.text)
    # a revoked admin token → 401 at once
    made = clients["admin"].post("/api/v1/tokens", json={"role": "admin", "name": "short-lived admin"}).json()
    headers = {"Authorization": f"Bearer {made['token']}"}
    r = clients["anonymous"].patch(
        "/api/v1/meters/mauth-it", json={"description": "by a temporary admin"}, headers=headers
    )
    assert r.status_code == 200 and r.json()["description"] == "by a temporary admin"
    assert clients["admin"].delete(f"/api/v1/tokens/{made['id']}").status_code == 200
    for method, path, body in calls:
        r = clients["anonymous"].request(method, path, json=body, headers=headers)
        assert r.status_code == 401 and "revoked" in r.json()["detail"]
    # nothing was changed by the refused calls; an admin may
    assert clients["admin"].patch("/api/v1/meters/mauth-it", json={"description": "IT hall A"}).status_code == 200
    assert clients["admin"].delete("/api/v1/meters/mauth-wind").status_code == 200


def test_patch_changes_what_is_safe_and_refuses_the_rest(clients):
    make_site(clients["admin"], "patch")
    clients["admin"].post("/api/v1/sites", json={"name": "patch-other"})
    admin = clients["admin"]
    r = clients["operator"].post("/api/v1/readings", json={"readings": hand_readings("patch", hours=24)})
    assert r.status_code == 200
    # labels change always
    r = admin.patch("/api/v1/meters/patch-pv-a", json={"description": "PV block A, row 1-40", "asset": "pv_block"})
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["description"] == "PV block A, row 1-40" and got["unit"] == "MW" and got["retired_at"] is None
    # the range widens; it narrows only around the stored readings (PV A stored 0 … 200 MW)
    r = admin.patch("/api/v1/meters/patch-pv-a", json={"max_value": 350.0})
    assert r.status_code == 200 and r.json()["max_value"] == 350.0
    r = admin.patch("/api/v1/meters/patch-pv-a", json={"max_value": 150.0})
    assert r.status_code == 409
    assert "stored values from 0 to 200" in r.json()["detail"] and "[0, 150]" in r.json()["detail"]
    r = admin.patch("/api/v1/meters/patch-pv-a", json={"min_value": 0.0, "max_value": 250.0})
    assert r.status_code == 200 and r.json()["max_value"] == 250.0
    # the new range applies to the next batch at once
    r = clients["operator"].post(
        "/api/v1/readings", json={"readings": [_reading("patch-pv-a", "2030-01-02T00:00:00Z", 260.0)]}
    )
    assert r.status_code == 422 and "[0, 250]" in r.json()["detail"]
    r = admin.patch("/api/v1/meters/patch-pv-a", json={"min_value": 300.0})
    assert r.status_code == 422 and "min_value must be below max_value" in r.json()["detail"]
    # column, quantity and site do not change under stored readings
    for body in ({"column": "wind_mw"}, {"column": "water_m3"}, {"site": "patch-other"}, {"quantity": "energy"}):
        r = admin.patch("/api/v1/meters/patch-pv-a", json=body)
        assert r.status_code in (409, 422), (body, r.text)
        if r.status_code == 409:
            assert "120 stored readings" not in r.json()["detail"]  # 24 readings of this meter
            assert "24 stored readings" in r.json()["detail"] and "retire" in r.json()["detail"]
    # … but they do on a meter without readings; its unit follows the column
    admin.post("/api/v1/meters", json={"name": "patch-new", "site": "patch", "column": "pv_mw", "max_value": 100})
    r = admin.patch("/api/v1/meters/patch-new", json={"column": "water_m3", "site": "patch-other"})
    assert r.status_code == 200, r.text
    assert (r.json()["column"], r.json()["unit"], r.json()["quantity"], r.json()["site"]) == (
        "water_m3",
        "m3",
        "volume",
        "patch-other",
    )
    # invalid changes name the field
    for body, words in [
        ({"name": "patch-renamed"}, "name cannot change"),
        ({"unit": "kW"}, "unit follows from column"),
        ({"asset": "reactor"}, "asset 'reactor'"),
        ({"column": "pv_kw"}, "not a telemetry column"),
        ({"description": None}, "description: null"),
        ({"max_value": "a lot"}, "max_value"),
        ({"colour": "green"}, "colour"),
    ]:
        r = admin.patch("/api/v1/meters/patch-new", json=body)
        assert r.status_code == 422 and words in r.json()["detail"], (body, r.text)
    assert admin.patch("/api/v1/meters/nowhere", json={"description": "x"}).status_code == 404
    # the stored readings are untouched by all of this
    got = clients["viewer"].get("/api/v1/readings", params={"meter": "patch-pv-a"}).json()
    assert len(got["value"]) == 24 and got["unit"] == "MW"


def test_delete_removes_only_a_meter_without_readings(clients):
    make_site(clients["admin"], "del")
    admin = clients["admin"]
    clients["operator"].post("/api/v1/readings", json={"readings": hand_readings("del", hours=2)})
    admin.post("/api/v1/meters", json={"name": "del-spare", "site": "del", "column": "pv_mw", "max_value": 10})
    r = admin.delete("/api/v1/meters/del-spare")
    assert r.status_code == 200 and r.json()["name"] == "del-spare"
    assert clients["viewer"].get("/api/v1/readings", params={"meter": "del-spare"}).status_code == 404
    assert admin.delete("/api/v1/meters/del-spare").status_code == 404
    # its name can be used again, and readings go to the new meter (no stale cache entry)
    admin.post("/api/v1/meters", json={"name": "del-spare", "site": "del", "column": "wind_mw", "max_value": 20})
    r = clients["operator"].post(
        "/api/v1/readings", json={"readings": [_reading("del-spare", "2030-01-01T00:00:00Z", 15.0)]}
    )
    assert r.status_code == 200 and r.json()["inserted"] == 1
    # a meter with readings is refused, clearly, and keeps them
    r = admin.delete("/api/v1/meters/del-it")
    assert r.status_code == 409
    assert "2 stored readings" in r.json()["detail"] and '"retired": true' in r.json()["detail"]
    assert clients["viewer"].get("/api/v1/readings", params={"meter": "del-it"}).json()["value"] == [400.0, 400.0]


def test_retired_meter_keeps_its_readings_and_takes_no_new_ones(clients):
    make_site(clients["admin"], "ret")
    admin, op, viewer = clients["admin"], clients["operator"], clients["viewer"]
    first_half = hand_readings("ret", hours=12)
    assert op.post("/api/v1/readings", json={"readings": first_half}).status_code == 200
    # the wind turbine's meter is taken out after 12 hours
    r = admin.patch("/api/v1/meters/ret-wind", json={"retired": True})
    assert r.status_code == 200 and r.json()["retired_at"] is not None
    retired_at = r.json()["retired_at"]
    assert admin.patch("/api/v1/meters/ret-wind", json={"retired": True}).json()["retired_at"] == retired_at
    listed = {m["name"]: m for m in viewer.get("/api/v1/meters", params={"site": "ret"}).json()}
    assert listed["ret-wind"]["retired_at"] == retired_at and listed["ret-pv-a"]["retired_at"] is None
    # new readings for it: 409 naming the meter, nothing of the batch stored
    second_half = hand_readings("ret", start="2030-01-01T12:00:00+00:00", hours=12)
    r = op.post("/api/v1/readings", json={"readings": second_half})
    assert r.status_code == 409 and "ret-wind" in r.json()["detail"] and "retired" in r.json()["detail"]
    assert len(viewer.get("/api/v1/readings", params={"meter": "ret-it"}).json()["value"]) == 12
    # a retry of what was acknowledged before the retirement is still a duplicate, not an error
    r = op.post("/api/v1/readings", json={"readings": first_half})
    assert r.status_code == 200 and r.json() == {"received": 108, "inserted": 0, "duplicates": 108}
    # the rest of the site goes on without it
    rest = [x for x in second_half if x["meter"] != "ret-wind"]
    assert op.post("/api/v1/readings", json={"readings": rest}).json()["inserted"] == 96
    # its readings are kept and readable
    got = viewer.get("/api/v1/readings", params={"meter": "ret-wind"}).json()
    assert len(got["value"]) == 12
    # KPIs over the whole day: the retired meter counts up to its last reading and is absent after, not a
    # gap: wind 40 MW × 12 h = 480 MWh; IT 400 MW × 24 h = 9600 MWh
    r = viewer.get("/api/v1/kpi", params={"site": "ret"})
    assert r.status_code == 200, r.text
    assert r.json()["hours"] == 24.0 and r.json()["it_mwh"] == pytest.approx(9600.0)
    assert r.json()["wind_mwh"] == pytest.approx(480.0)
    # a retired meter is not "silent"
    alarms = viewer.get("/api/v1/alarms", params={"site": "ret"}).json()
    assert not any(a["meter"] == "ret-wind" for a in alarms)
    # deleting it is still refused (it has readings); reinstating it lets it take readings again
    assert admin.delete("/api/v1/meters/ret-wind").status_code == 409
    r = admin.patch("/api/v1/meters/ret-wind", json={"retired": False})
    assert r.status_code == 200 and r.json()["retired_at"] is None
    late = [x for x in second_half if x["meter"] == "ret-wind"]
    assert op.post("/api/v1/readings", json={"readings": late}).json()["inserted"] == 12


def test_ingestion_rechecks_meters_changed_behind_its_cache(clients, database):
    """Another server process (or the admin API) changes a meter after this process cached it: the batch is
    checked against the meter as stored, inside its write transaction."""
    make_site(clients["admin"], "stale")
    cache = MeterCache()
    one = [_stored_reading("stale-it", 0, 400.0)]
    assert ingest(database.engine, one, cache, ANY_FUTURE).inserted == 1
    # narrowed behind the cache's back (stored 400 MW lies inside the new range)
    assert clients["admin"].patch("/api/v1/meters/stale-it", json={"max_value": 450.0}).status_code == 200
    high = [_stored_reading("stale-it", 1, 500.0)]
    with pytest.raises(IngestError, match=r"physical range \[0, 450\]"):
        ingest(database.engine, high, cache, ANY_FUTURE)
    # retired behind its back
    assert clients["admin"].patch("/api/v1/meters/stale-it", json={"retired": True}).status_code == 200
    fine = [_stored_reading("stale-it", 1, 410.0)]
    with pytest.raises(IngestError, match="retired") as err:
        ingest(database.engine, fine, cache, ANY_FUTURE)
    assert err.value.status == 409
    # deleted behind its back (a meter without readings)
    clients["admin"].post(
        "/api/v1/meters", json={"name": "stale-x", "site": "stale", "column": "pv_mw", "max_value": 9}
    )
    assert "stale-x" in cache.lookup(database.engine, ["stale-x"])
    assert clients["admin"].delete("/api/v1/meters/stale-x").status_code == 200
    gone = [_stored_reading("stale-x", 1, 1.0)]
    with pytest.raises(IngestError, match="unknown meter"):
        ingest(database.engine, gone, cache, ANY_FUTURE)


def test_a_meter_made_with_the_old_hydrogen_level_column_feeds_the_current_one(clients):
    """``h2_store_mwh``, the hydrogen level's column before greendc.units.RENAMED_COLUMNS, is stored as
    ``h2_level_mwh``, on creation and on a change of column, with the hydrogen store as its asset."""
    admin = clients["admin"]
    make_site(admin, "renamed")
    r = admin.post(
        "/api/v1/meters", json={"name": "renamed-h2", "site": "renamed", "column": "h2_store_mwh", "max_value": 500}
    )
    assert r.status_code in (200, 201), r.text
    made = r.json()
    assert (made["column"], made["asset"], made["quantity"], made["unit"]) == (
        "h2_level_mwh",
        "hydrogen_store",
        "energy",
        "MWh",
    )
    admin.post("/api/v1/meters", json={"name": "renamed-spare", "site": "renamed", "column": "pv_mw", "max_value": 9})
    r = admin.patch("/api/v1/meters/renamed-spare", json={"column": "h2_store_mwh"})
    assert r.status_code == 200, r.text
    assert r.json()["column"] == "h2_level_mwh"
