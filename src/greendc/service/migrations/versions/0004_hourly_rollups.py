"""Hourly rollups of the readings: ``readings_hourly`` (per meter and UTC hour: count, sum, newest reading),
readings in an unreleased quarantine left out.

The KPIs, reports and the dashboard read it for steps of whole hours (:mod:`greendc.service.rollups`, which
keeps it up to date). The upgrade fills it from the stored readings; the downgrade drops it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# UTC times: timestamptz in PostgreSQL, integer microseconds since the epoch in SQLite (greendc.service.models).
TIMESTAMP = sa.DateTime(timezone=True).with_variant(sa.BigInteger(), "sqlite")

# the rollups of the readings stored so far, as of this revision (a migration does not follow later code)
_FILL = (
    "INSERT INTO readings_hourly (meter_id, hour, n, total, last_ts, last_value) "
    "SELECT r.meter_id, {hour}, count(*), sum(r.value), max(r.ts), {last} FROM readings r "
    "WHERE NOT EXISTS (SELECT 1 FROM quarantines q WHERE q.meter_id = r.meter_id AND q.released_at IS NULL "
    "AND q.ts_from <= r.ts AND r.ts < q.ts_to) GROUP BY r.meter_id, {hour}"
)


def upgrade() -> None:
    op.create_table(
        "readings_hourly",
        sa.Column("meter_id", sa.Integer, sa.ForeignKey("meters.id"), nullable=False),
        sa.Column("hour", TIMESTAMP, nullable=False),
        sa.Column("n", sa.Integer, nullable=False),
        sa.Column("total", sa.Float, nullable=False),
        sa.Column("last_ts", TIMESTAMP, nullable=False),
        sa.Column("last_value", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("meter_id", "hour", name="pk_readings_hourly"),
        sqlite_with_rowid=False,
    )
    if op.get_bind().dialect.name == "sqlite":
        # µs since the epoch; SQLite takes r.value from the row of max(r.ts) (its "bare column" rule)
        op.execute(_FILL.format(hour="r.ts - r.ts % 3600000000", last="r.value"))
    else:
        hour = "date_trunc('hour', r.ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"
        op.execute(_FILL.format(hour=hour, last="(array_agg(r.value ORDER BY r.ts DESC))[1]"))


def downgrade() -> None:
    op.drop_table("readings_hourly")
