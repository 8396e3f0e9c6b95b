"""Quarantined readings are left out of every KPI read path, the hourly rollups included, on both backends."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from greendc.errors import QueryError
from greendc.service import rollups
from greendc.service.db import write_connection
from greendc.service.ingest import MeterCache, Reading, ingest
from greendc.service.models import meters, quarantines, sites
from greendc.service.queries import Window, data_span, latest_readings, site_meters, telemetry_frame
from tests.service.support import ANY_FUTURE

T0 = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
HOUR = pd.Timedelta("1h")
WIN = Window(pd.Timestamp(T0), pd.Timestamp(T0) + 2 * HOUR, HOUR)


def _at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def _quarantine(engine: sa.engine.Engine, meter_id: int, start_min: int, end_min: int) -> int:
    """A quarantine row written directly (as the admin route does), with the rollups rebuilt in its transaction."""
    with write_connection(engine) as conn:
        qid = conn.execute(
            sa.insert(quarantines)
            .values(meter_id=meter_id, ts_from=_at(start_min), ts_to=_at(end_min), reason="test")
            .returning(quarantines.c.id)
        ).scalar_one()
        rollups.rebuild(conn, meter_id, _at(start_min), _at(end_min))
    return qid


def _frame(engine: sa.engine.Engine, site_id: int, step: pd.Timedelta = HOUR) -> pd.DataFrame:
    with engine.connect() as conn:
        win = Window(WIN.start, WIN.end, step)
        return telemetry_frame(conn, site_id, win, step, 10_000, strict=False)[0]


def test_quarantined_readings_leave_kpis_rollups_spans_and_latest(database):
    engine = database.engine
    with write_connection(engine) as conn:
        site_id = conn.execute(sa.insert(sites).values(name="rq").returning(sites.c.id)).scalar_one()
        ids = {}
        for name, col, quantity, unit in (
            ("rq-it", "it_mw", "power", "MW"),
            ("rq-soc", "battery_soc_mwh", "energy", "MWh"),
            ("rq-w", "water_m3", "volume", "m3"),
        ):
            ids[name] = conn.execute(
                sa.insert(meters)
                .values(site_id=site_id, name=name, asset="it_hall", telemetry_column=col, quantity=quantity,
                        unit=unit, min_value=0.0, max_value=1e4)
                .returning(meters.c.id)
            ).scalar_one()  # fmt: skip
    # two hours of quarter-hour readings: IT 100, 101, …, 107 MW; battery 0, 10, …, 70 MWh; water 1 m³ each
    readings = []
    for q in range(8):
        readings += [
            Reading(meter="rq-it", ts=_at(15 * q), value=100.0 + q),
            Reading(meter="rq-soc", ts=_at(15 * q), value=10.0 * q),
            Reading(meter="rq-w", ts=_at(15 * q), value=1.0),
        ]
    assert ingest(engine, readings, MeterCache(), ANY_FUTURE).inserted == 24
    frame = _frame(engine, site_id)
    assert frame["it_mw"].tolist() == [101.5, 105.5]  # (100 + 101 + 102 + 103) / 4, (104 + … + 107) / 4
    assert frame["battery_soc_mwh"].tolist() == [30.0, 70.0]
    assert frame["water_m3"].tolist() == [4.0, 4.0]

    # IT 00:30 to 01:15 out (102, 103 and 104); the battery's last reading (01:45, 70) out; water 01:00-02:00 out
    q_it = _quarantine(engine, ids["rq-it"], 30, 75)
    _quarantine(engine, ids["rq-soc"], 105, 120)
    _quarantine(engine, ids["rq-w"], 60, 120)
    frame = _frame(engine, site_id)  # hourly: read from the rollups
    assert frame["it_mw"].tolist() == [100.5, 106.0]  # (100 + 101) / 2, (105 + 106 + 107) / 3
    assert frame["battery_soc_mwh"].tolist() == [30.0, 60.0]  # the newest reading left in hour 1: 01:30
    assert frame["water_m3"].iloc[0] == 4.0 and np.isnan(frame["water_m3"].iloc[1])  # hour 1 is a gap
    half = _frame(engine, site_id, pd.Timedelta("30min"))  # half hours: read from the readings
    assert half["it_mw"].fillna(-1.0).tolist() == [100.5, -1.0, 105.0, 106.5]
    with engine.connect() as conn:
        with pytest.raises(QueryError, match="'rq-w' \\(water_m3\\) has no reading in 1 of 2 steps"):
            telemetry_frame(conn, site_id, WIN, HOUR, 10_000, strict=True)
        assert data_span(conn, [ids["rq-soc"]]) == (pd.Timestamp(_at(0)), pd.Timestamp(_at(90)))
        latest = latest_readings(conn, site_meters(conn, site_id))
    assert latest[ids["rq-soc"]] == (pd.Timestamp(_at(90)), 60.0) and latest[ids["rq-it"]][1] == 107.0

    # a reading that arrives inside a quarantine is stored but not counted; one outside it is
    late = [Reading(meter="rq-it", ts=_at(50), value=500.0), Reading(meter="rq-it", ts=_at(10), value=102.0)]
    assert ingest(engine, late, MeterCache(), ANY_FUTURE).inserted == 2
    assert _frame(engine, site_id)["it_mw"].tolist() == [101.0, 106.0]  # (100 + 102 + 101) / 3

    # released: the IT readings count again, the one that came in meanwhile included
    with write_connection(engine) as conn:
        conn.execute(sa.update(quarantines).where(quarantines.c.id == q_it).values(released_at=_at(1000)))
        rollups.rebuild(conn, ids["rq-it"], _at(30), _at(75))
    # (100 + 102 + 101 + 102 + 103 + 500) / 6 = 168
    assert _frame(engine, site_id)["it_mw"].tolist() == [168.0, 105.5]
