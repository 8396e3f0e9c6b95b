"""The hydrogen level's telemetry column is ``h2_level_mwh`` (it was ``h2_store_mwh``, the name of the store's
capacity): ``meters.telemetry_column`` of the meters that feed it is renamed.

Only the column a meter feeds changes; its name, readings, quantity (energy) and unit (MWh) stay. The
downgrade gives those meters the old column back.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# the names as of this revision (a migration does not follow later code: not greendc.units.RENAMED_COLUMNS)
OLD_COLUMN = "h2_store_mwh"
NEW_COLUMN = "h2_level_mwh"

_METERS = sa.table("meters", sa.column("telemetry_column", sa.String(64)))


def _rename(old: str, new: str) -> None:
    op.execute(sa.update(_METERS).where(_METERS.c.telemetry_column == old).values(telemetry_column=new))


def upgrade() -> None:
    _rename(OLD_COLUMN, NEW_COLUMN)


def downgrade() -> None:
    _rename(NEW_COLUMN, OLD_COLUMN)
