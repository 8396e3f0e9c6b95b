"""Initial schema: sites, meters, readings, API tokens.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# UTC times: timestamptz in PostgreSQL, integer microseconds since the epoch in SQLite (greendc.service.models).
TIMESTAMP = sa.DateTime(timezone=True).with_variant(sa.BigInteger(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "sites",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("latitude", sa.Float, nullable=True),
        sa.Column("longitude", sa.Float, nullable=True),
        sa.Column("timezone", sa.String(64), nullable=False, server_default="UTC"),
        sa.Column("created_at", TIMESTAMP, nullable=False),
    )
    op.create_table(
        "meters",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("asset", sa.String(32), nullable=False),
        sa.Column("telemetry_column", sa.String(64), nullable=True),
        sa.Column("quantity", sa.String(16), nullable=False),
        sa.Column("unit", sa.String(16), nullable=False),
        sa.Column("min_value", sa.Float, nullable=False),
        sa.Column("max_value", sa.Float, nullable=False),
        sa.Column("description", sa.String(500), nullable=False, server_default=""),
        sa.Column("created_at", TIMESTAMP, nullable=False),
    )
    op.create_index("ix_meters_site_id", "meters", ["site_id"])
    op.create_table(
        "readings",
        sa.Column("meter_id", sa.Integer, sa.ForeignKey("meters.id"), nullable=False),
        sa.Column("ts", TIMESTAMP, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("meter_id", "ts", name="pk_readings"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("revoked_at", TIMESTAMP, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("api_tokens")
    op.drop_table("readings")
    op.drop_index("ix_meters_site_id", table_name="meters")
    op.drop_table("meters")
    op.drop_table("sites")
