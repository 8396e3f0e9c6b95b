"""Least privilege and hostile-input defences: token expiry and gateway scopes, an audit log, quarantined
readings, meter commissioning times and field-gateway events.

* ``api_tokens.expires_at`` (NULL: never), ``scope_sites`` / ``scope_meters`` (JSON lists; NULL: every site
  or meter) for the ``gateway`` role;
* ``meters.commissioned_at``: readings before it are refused (NULL: the service's earliest plausible time);
* ``audit_log``: admin actions;
* ``quarantines``: time ranges of a meter whose readings are kept but excluded from KPIs;
* ``meter_events``: events reported by a field gateway (a Sparkplug B death certificate …).

Existing tokens keep their role and never expire; existing meters keep their readings.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# UTC times: timestamptz in PostgreSQL, integer microseconds since the epoch in SQLite (greendc.service.models).
TIMESTAMP = sa.DateTime(timezone=True).with_variant(sa.BigInteger(), "sqlite")

_ADDED = {
    "api_tokens": ("expires_at", "scope_sites", "scope_meters"),
    "meters": ("commissioned_at",),
}


def upgrade() -> None:
    op.add_column("api_tokens", sa.Column("expires_at", TIMESTAMP, nullable=True))
    op.add_column("api_tokens", sa.Column("scope_sites", sa.String(2000), nullable=True))
    op.add_column("api_tokens", sa.Column("scope_meters", sa.String(2000), nullable=True))
    op.add_column("meters", sa.Column("commissioned_at", TIMESTAMP, nullable=True))
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", TIMESTAMP, nullable=False),
        sa.Column("token_id", sa.Integer, nullable=True),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("detail", sa.Text, nullable=False, server_default="{}"),
    )
    op.create_table(
        "quarantines",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("meter_id", sa.Integer, sa.ForeignKey("meters.id"), nullable=False),
        sa.Column("ts_from", TIMESTAMP, nullable=False),
        sa.Column("ts_to", TIMESTAMP, nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("created_by", sa.Integer, nullable=True),
        sa.Column("released_at", TIMESTAMP, nullable=True),
        sa.Column("released_by", sa.Integer, nullable=True),
    )
    op.create_index("ix_quarantines_meter_id", "quarantines", ["meter_id"])
    op.create_table(
        "meter_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("meter_id", sa.Integer, sa.ForeignKey("meters.id"), nullable=False),
        sa.Column("at", TIMESTAMP, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("source", sa.String(200), nullable=False, server_default=""),
        sa.Column("detail", sa.String(500), nullable=False, server_default=""),
    )
    op.create_index("ix_meter_events_meter_at", "meter_events", ["meter_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_meter_events_meter_at", table_name="meter_events")
    op.drop_table("meter_events")
    op.drop_index("ix_quarantines_meter_id", table_name="quarantines")
    op.drop_table("quarantines")
    op.drop_table("audit_log")
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, columns in _ADDED.items():
        for column in columns:
            # see 0002: SQLite drops a plain column in place (a batch copy would break the readings' foreign key)
            if sqlite:
                op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
            else:
                op.drop_column(table, column)
