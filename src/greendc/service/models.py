"""The database schema of the monitoring service (SQLAlchemy Core tables) and the vocabulary of meters.

Tables:

* ``sites``: a data centre with its own plant (name, latitude [°], longitude [°], display time zone);
* ``meters``: one metered quantity of one asset of a site: its ``asset`` (:data:`ASSETS`), its
  ``telemetry_column`` (a dispatch name of ``docs/nomenclature.md`` such as ``pv_mw``: the KPI service sums the meters
  of a column into that telemetry column), its ``quantity`` and ``unit`` (given by the column's suffix,
  :func:`quantity_of`) and its physical range ``[min_value, max_value]`` in that unit; ``retired_at`` is set
  when an admin retires the meter (it keeps its readings and takes no new ones; revision 0002); the hydrogen
  level's column is ``h2_level_mwh`` (revision 0005 renamed ``h2_store_mwh``, the store's capacity name);
* ``readings``: ``(meter_id, ts, value)``, primary key ``(meter_id, ts)``: one value per meter and period
  start, so that re-sending a reading cannot store it twice;
* ``api_tokens``: API tokens, stored as the SHA-256 digest of the secret, with a role, a revocation time, an
  expiry time and, for gateways, the sites and meters they may write to (revision 0003);
* ``audit_log``: who did what of the admin actions (tokens, sites, meters, quarantines), when (revision 0003);
* ``quarantines``: time ranges of a meter whose readings are out of service: kept, listed, excluded from
  KPIs, reports and the dashboard (revision 0003);
* ``meter_events``: what a field gateway reported of a meter besides readings, such as a Sparkplug B death
  certificate (revision 0003);
* ``readings_hourly``: per meter and UTC hour, the count, sum and newest of its readings outside quarantines,
  kept up to date by ingestion (:mod:`greendc.service.rollups`; revision 0004).

Timestamps are UTC: ``timestamptz`` in PostgreSQL; microseconds since 1970-01-01T00:00Z (an integer) in
SQLite, which has no timestamp type (:class:`UtcTimestamp` converts both ways). The schema is created and
changed only by the Alembic migrations in ``greendc/service/migrations``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from greendc.kpi.telemetry import CLASS_PATTERNS, OPTIONAL_COLUMNS, REQUIRED_COLUMNS, is_ignored

__all__ = [
    "ASSETS",
    "DEFAULT_ASSET",
    "ROLES",
    "UNITS",
    "UtcTimestamp",
    "api_tokens",
    "audit_log",
    "from_epoch_us",
    "isoformat_or_none",
    "metadata",
    "meter_events",
    "meters",
    "quantity_of",
    "quarantines",
    "readings",
    "readings_hourly",
    "sites",
    "stored_utc",
    "telemetry_column_error",
    "to_epoch_us",
]

#: Kinds of metered assets.
ASSETS: tuple[str, ...] = (
    "pv_block",
    "wind_turbine",
    "battery",
    "electrolyser",
    "hydrogen_store",
    "fuel_cell",
    "feeder",
    "it_hall",
    "cooling_plant",
    "water",
    "controller",
)
#: Roles of API tokens. ``viewer`` reads; ``gateway`` only writes readings (optionally scoped to sites or
#: meters); ``operator`` reads and writes readings; ``admin`` also manages sites, meters, quarantines and tokens.
ROLES: tuple[str, ...] = ("viewer", "gateway", "operator", "admin")
#: Quantity → unit of its readings.
UNITS: dict[str, str] = {"power": "MW", "energy": "MWh", "volume": "m3", "fraction": "1", "price": "USD/MWh"}

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def to_epoch_us(ts: dt.datetime) -> int:
    """Microseconds since 1970-01-01T00:00Z of a tz-aware time [µs].

    >>> to_epoch_us(dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    1893456000000000
    """
    delta = ts - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_epoch_us(us: int) -> dt.datetime:
    """The UTC time ``us`` microseconds after 1970-01-01T00:00Z."""
    return _EPOCH + dt.timedelta(microseconds=int(us))


def stored_utc(value: int | dt.datetime) -> dt.datetime:
    """A stored time read back through an aggregate (``min``, ``max``) or a ``UNION``, which bypass
    :class:`UtcTimestamp`: integer microseconds in SQLite, a tz-aware datetime in PostgreSQL; in UTC.

    >>> stored_utc(1_893_456_000_000_000).isoformat()
    '2030-01-01T00:00:00+00:00'
    """
    return from_epoch_us(value) if isinstance(value, int) else value.astimezone(dt.UTC)


def isoformat_or_none(value: dt.datetime | None) -> str | None:
    """ISO 8601 text of a time, None for no time (a token that never expires, a meter in service)."""
    return None if value is None else value.isoformat()


class UtcTimestamp(sa.types.TypeDecorator):
    """A tz-aware UTC time: ``timestamptz`` in PostgreSQL, integer microseconds since the epoch in SQLite."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.BigInteger())
        return dialect.type_descriptor(sa.DateTime(timezone=True))

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"timestamp {value.isoformat()} has no time zone; readings are stamped in UTC")
        return to_epoch_us(value) if dialect.name == "sqlite" else value.astimezone(dt.UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return from_epoch_us(value)
        return value.astimezone(dt.UTC)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


metadata = sa.MetaData()

sites = sa.Table(
    "sites",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("latitude", sa.Float, nullable=True),
    sa.Column("longitude", sa.Float, nullable=True),
    sa.Column("timezone", sa.String(64), nullable=False, server_default="UTC"),
    sa.Column("created_at", UtcTimestamp(), nullable=False, default=_now),
)

meters = sa.Table(
    "meters",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("site_id", sa.Integer, sa.ForeignKey("sites.id"), nullable=False, index=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("asset", sa.String(32), nullable=False),
    sa.Column("telemetry_column", sa.String(64), nullable=True),
    sa.Column("quantity", sa.String(16), nullable=False),
    sa.Column("unit", sa.String(16), nullable=False),
    sa.Column("min_value", sa.Float, nullable=False),
    sa.Column("max_value", sa.Float, nullable=False),
    sa.Column("description", sa.String(500), nullable=False, server_default=""),
    sa.Column("created_at", UtcTimestamp(), nullable=False, default=_now),
    sa.Column("retired_at", UtcTimestamp(), nullable=True),
    sa.Column("commissioned_at", UtcTimestamp(), nullable=True),
)

readings = sa.Table(
    "readings",
    metadata,
    sa.Column("meter_id", sa.Integer, sa.ForeignKey("meters.id"), nullable=False),
    sa.Column("ts", UtcTimestamp(), nullable=False),
    sa.Column("value", sa.Float, nullable=False),
    sa.PrimaryKeyConstraint("meter_id", "ts", name="pk_readings"),
    sqlite_with_rowid=False,
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("prefix", sa.String(16), nullable=False),
    sa.Column("created_at", UtcTimestamp(), nullable=False, default=_now),
    sa.Column("revoked_at", UtcTimestamp(), nullable=True),
    sa.Column("expires_at", UtcTimestamp(), nullable=True),
    sa.Column("scope_sites", sa.String(2000), nullable=True),
    sa.Column("scope_meters", sa.String(2000), nullable=True),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", UtcTimestamp(), nullable=False, default=_now),
    sa.Column("token_id", sa.Integer, nullable=True),
    sa.Column("actor", sa.String(100), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("target", sa.String(200), nullable=False),
    sa.Column("detail", sa.Text, nullable=False, server_default="{}"),
)

quarantines = sa.Table(
    "quarantines",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("meter_id", sa.Integer, sa.ForeignKey("meters.id"), nullable=False, index=True),
    sa.Column("ts_from", UtcTimestamp(), nullable=False),
    sa.Column("ts_to", UtcTimestamp(), nullable=False),
    sa.Column("reason", sa.String(500), nullable=False),
    sa.Column("created_at", UtcTimestamp(), nullable=False, default=_now),
    sa.Column("created_by", sa.Integer, nullable=True),
    sa.Column("released_at", UtcTimestamp(), nullable=True),
    sa.Column("released_by", sa.Integer, nullable=True),
)

meter_events = sa.Table(
    "meter_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("meter_id", sa.Integer, sa.ForeignKey("meters.id"), nullable=False),
    sa.Column("at", UtcTimestamp(), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("source", sa.String(200), nullable=False, server_default=""),
    sa.Column("detail", sa.String(500), nullable=False, server_default=""),
    sa.Index("ix_meter_events_meter_at", "meter_id", "at"),
)

readings_hourly = sa.Table(
    "readings_hourly",
    metadata,
    sa.Column("meter_id", sa.Integer, sa.ForeignKey("meters.id"), nullable=False),
    sa.Column("hour", UtcTimestamp(), nullable=False),
    sa.Column("n", sa.Integer, nullable=False),
    sa.Column("total", sa.Float, nullable=False),
    sa.Column("last_ts", UtcTimestamp(), nullable=False),
    sa.Column("last_value", sa.Float, nullable=False),
    sa.PrimaryKeyConstraint("meter_id", "hour", name="pk_readings_hourly"),
    sqlite_with_rowid=False,
)

#: Asset a telemetry column belongs to, when a meter is created from a column without naming its asset.
DEFAULT_ASSET: dict[str, str] = {
    "pv_mw": "pv_block",
    "wind_mw": "wind_turbine",
    "curtailed_mw": "controller",
    "battery_charge_mw": "battery",
    "battery_discharge_mw": "battery",
    "battery_soc_mwh": "battery",
    "electrolyser_mw": "electrolyser",
    "h2_level_mwh": "hydrogen_store",
    "fuel_cell_mw": "fuel_cell",
    "it_mw": "it_hall",
    "facility_mw": "feeder",
    "grid_import_mw": "feeder",
    "unserved_mw": "controller",
    "unserved_facility_mw": "controller",
    "reserve_mw": "controller",
    "price_usd_per_mwh": "controller",
    "water_m3": "water",
    "reused_heat_mw": "cooling_plant",
}


def telemetry_column_error(column: str) -> str | None:
    """Why ``column`` is not a telemetry column a meter may feed, or None when it is one.

    Allowed: the required, optional and ignored columns of :mod:`greendc.kpi.telemetry` and its per-class
    patterns (``it_<class>_mw``, ``unserved_<class>_mw``, ``requested_<class>_mw``, ``backlog_<class>_mwh``,
    ``overhead_<class>_mw``, ``<fleet>_available_fraction``).
    """
    if column in REQUIRED_COLUMNS or column in OPTIONAL_COLUMNS or is_ignored(column):
        return None
    if any(re.fullmatch(p, column) for p in CLASS_PATTERNS.values()):
        return None
    return (
        f"column {column!r} is not a telemetry column; allowed: {', '.join((*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS))}, "
        "battery_soc_mwh, h2_level_mwh, reserve_mw, price_usd_per_mwh, it_<class>_mw, unserved_<class>_mw, "
        "requested_<class>_mw, backlog_<class>_mwh, overhead_<class>_mw, <fleet>_available_fraction, "
        "site_trip_fraction (docs/nomenclature.md)"
    )


def quantity_of(column: str) -> str:
    """Quantity measured by a telemetry column, from its unit suffix (``_mw`` power, ``_mwh`` energy …)."""
    if column.endswith("_usd_per_mwh"):
        return "price"
    if column.endswith("_mw"):
        return "power"
    if column.endswith("_mwh"):
        return "energy"
    if column.endswith("_m3"):
        return "volume"
    if column.endswith("_fraction"):
        return "fraction"
    raise ValueError(f"column {column!r} has no unit suffix (_mw, _mwh, _m3, _fraction, _usd_per_mwh)")
