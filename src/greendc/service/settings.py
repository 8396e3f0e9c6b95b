"""Settings of the monitoring service: one frozen object, injected into :func:`greendc.service.create_app`.

Every field can also come from an environment variable ``GREENDC_<FIELD>`` (upper case), read by
:meth:`Settings.from_env`; the command line (``greendc serve``) passes its options the same way.
"""

from __future__ import annotations

import math
import os
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from greendc.errors import ServiceError

__all__ = ["DEFAULT_DB_URL", "Settings", "Targets"]

#: Embedded database by default: an SQLite file in the working directory.
DEFAULT_DB_URL = "sqlite:///greendc.db"


class Targets(BaseModel):
    """KPI targets shown on the dashboard and in the monthly report.

    Defaults and their sources:

    * ``pue_max`` = 1.2: German Energy Efficiency Act (EnEfG 2023, § 11), new data centres from July 2026,
      annual PUE ≤ 1.2;
    * ``ref_min`` = 1.0: EnEfG § 11, 100 % renewable electricity from 1 January 2027 (and the project's
      rule that the site is supplied entirely by its own plant);
    * ``wue_l_per_kwh_max`` = 0.1: the class-A bound of WUE of the EU rating scheme adopted in
      September 2026 (delegated act C(2026) 3472, amending Delegated Regulation (EU) 2024/1364);
    * ``cfe_share_min`` = 1.0 and ``served_fraction_min`` = 1.0: the default scenario's rules
      (``rules.reliability_target`` = 1, every hour from on-site carbon-free supply).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    pue_max: float = Field(1.2, gt=1.0, description="PUE target, at most [-]")
    ref_min: float = Field(1.0, ge=0.0, le=1.0, description="REF target, at least [-]")
    wue_l_per_kwh_max: float = Field(0.1, ge=0.0, description="WUE target, at most [L/kWh]")
    cfe_share_min: float = Field(1.0, ge=0.0, le=1.0, description="24/7 CFE share of the served load, at least [-]")
    served_fraction_min: float = Field(1.0, ge=0.0, le=1.0, description="served IT energy share, at least [-]")


class Settings(BaseModel):
    """What the service needs to run.

    Attributes
    ----------
    db_url : str
        SQLAlchemy database URL: ``sqlite:///path.db`` (embedded, default ``sqlite:///greendc.db``) or
        ``postgresql://user:password@host:port/db`` (driver psycopg 3).
    max_body_bytes : int
        Largest request body accepted [bytes]; larger → HTTP 413.
    max_batch_readings : int
        Most readings in one JSON batch or CSV upload; more → HTTP 413.
    max_query_readings : int
        Most stored readings one query (readings, KPI, report) may read; more → HTTP 413.
    max_page_readings : int
        Largest page of ``GET /api/v1/readings?limit=``: readings (raw) or steps (resampled); more → HTTP 422.
    max_future_s : float
        Readings stamped more than this ahead of the server clock are refused (HTTP 422) [s]; ``inf`` accepts
        any future time (to replay a simulated future year into a test service).
    rate_address_per_s : float
        Requests per second one client address may send (bursts of twice that); more → HTTP 429.
    rate_token_per_s : float
        Requests per second one API token may send (bursts of twice that); more → HTTP 429.
    auth_failures_per_min : float
        Failed sign-ins per minute one client address may make (bursts of twice that) before all its
        requests get HTTP 429 for a while.
    meter_silent_after_s : float
        A meter is silent when its newest reading is older than this before the site's newest reading [s].
    reserve_low_fraction : float
        Alarm when the reserve (``reserve_mw``) falls below this share of the facility load [-]
        (an operator's choice; the scenario rule ``reserve_fraction`` is 0 by default).
    soc_low_fraction : float
        Alarm when the battery energy (``battery_soc_mwh``) falls below this share of its meter's maximum [-].
    dashboard_hours : float
        Default time window of the dashboard [h].
    dashboard_refresh_s : float
        Dashboard refresh period [s].
    migrate : bool
        Bring the database schema to the newest Alembic revision when the app starts.
    targets : Targets
        KPI targets.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    db_url: str = DEFAULT_DB_URL
    max_body_bytes: int = Field(16 * 1024 * 1024, ge=1024)
    max_batch_readings: int = Field(10_000, ge=1, le=100_000)
    max_query_readings: int = Field(2_000_000, ge=1)
    max_page_readings: int = Field(50_000, ge=1)
    max_future_s: float = Field(300.0, ge=0.0)
    rate_address_per_s: float = Field(500.0, gt=0.0)
    rate_token_per_s: float = Field(250.0, gt=0.0)
    auth_failures_per_min: float = Field(30.0, gt=0.0)
    meter_silent_after_s: float = Field(900.0, gt=0.0)
    reserve_low_fraction: float = Field(0.1, ge=0.0, le=1.0)
    soc_low_fraction: float = Field(0.1, ge=0.0, le=1.0)
    dashboard_hours: float = Field(48.0, gt=0.0, le=24 * 366)
    dashboard_refresh_s: float = Field(10.0, ge=1.0)
    migrate: bool = True
    targets: Targets = Targets()

    @field_validator("db_url")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "sqlite+pysqlite:", "postgresql:", "postgresql+psycopg:", "postgres:")):
            raise ValueError(
                f"db_url {value!r}: allowed are sqlite:///file.db and postgresql://user:password@host:port/db"
            )
        return value

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from ``GREENDC_<FIELD>`` environment variables, then ``overrides`` (None values skipped).

        Raises
        ------
        ServiceError
            A variable that does not parse, naming it and what is allowed.
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name in cls.model_fields:
            if name == "targets":
                continue
            key = f"GREENDC_{name.upper()}"
            if key in env:
                values[name] = env[key]
        targets = {
            name: env[f"GREENDC_TARGET_{name.upper()}"]
            for name in Targets.model_fields
            if f"GREENDC_TARGET_{name.upper()}" in env
        }
        if targets:
            values["targets"] = targets
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            raise ServiceError(f"service settings: {_validation_text(exc)}") from None


def _validation_text(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        value = err.get("input")
        shown = repr(value) if not isinstance(value, float) or math.isfinite(value) else str(value)
        parts.append(f"{where} = {shown}: {err['msg']}")
    return "; ".join(parts)
