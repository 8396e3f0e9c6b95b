"""Meters can be retired: ``meters.retired_at`` (NULL for a meter in service).

A retired meter keeps its readings and takes no new ones (``PATCH /api/v1/meters/{name}`` with
``{"retired": true}``). Existing meters stay in service: the column is added empty, nothing else changes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# UTC times: timestamptz in PostgreSQL, integer microseconds since the epoch in SQLite (greendc.service.models).
TIMESTAMP = sa.DateTime(timezone=True).with_variant(sa.BigInteger(), "sqlite")


def upgrade() -> None:
    op.add_column("meters", sa.Column("retired_at", TIMESTAMP, nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite >= 3.35 drops a plain column in place; a batch copy of the table would have to drop "meters",
        # which the foreign key of "readings" forbids (foreign_keys=ON, not switchable inside a transaction)
        op.execute("ALTER TABLE meters DROP COLUMN retired_at")
    else:
        op.drop_column("meters", "retired_at")
