"""API tokens and the audit log: managed and read by admins."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query
from pydantic import BaseModel, ConfigDict, Field, field_validator

from greendc.service.audit import list_entries
from greendc.service.edge import INT32_MAX, Text
from greendc.service.models import ROLES
from greendc.service.routes.deps import Admin, EngineDep
from greendc.service.tokens import DEFAULT_LIFETIME_DAYS, create_token, list_tokens, revoke_token, rotate_token

router = APIRouter(prefix="/api/v1")

TokenId = Annotated[int, Path(ge=1, le=INT32_MAX, description="token id (GET /api/v1/tokens lists them)")]


class TokenIn(BaseModel):
    """A new API token."""

    model_config = ConfigDict(extra="forbid")

    role: str = Field(description=f"one of {', '.join(ROLES)}")
    name: Text = Field("", max_length=100)
    expires_in_days: float | None = Field(
        DEFAULT_LIFETIME_DAYS, gt=0.0, le=3660.0, description="lifetime [days]; null: never expires"
    )
    sites: list[str] | None = Field(None, max_length=100, description="gateway only: sites it may write to")
    meters: list[str] | None = Field(None, max_length=200, description="gateway only: meters it may write to")

    @field_validator("role")
    @classmethod
    def _role(cls, value: str) -> str:
        if value not in ROLES:
            raise ValueError(f"role {value!r} is not one of {', '.join(ROLES)}")
        return value


class RotateIn(BaseModel):
    """How long the old secret keeps working after a rotation."""

    model_config = ConfigDict(extra="forbid")

    grace_s: float = Field(3600.0, ge=0.0, le=30 * 86_400, description="[s], at most 30 days")


@router.get("/tokens", tags=["tokens"], summary="List API tokens (admin; never the secrets)")
def get_tokens(principal: Admin, engine: EngineDep) -> list[dict[str, Any]]:
    return list_tokens(engine)


@router.post("/tokens", tags=["tokens"], status_code=201, summary="Create an API token (admin)")
def post_token(token: TokenIn, principal: Admin, engine: EngineDep) -> dict[str, Any]:
    """The answer holds the token itself, once; the server keeps only its SHA-256 digest. Tokens expire after
    ``expires_in_days`` (90 by default). A ``gateway`` token only writes readings, to the ``sites`` and
    ``meters`` named (all when both are left out)."""
    expires_at = None
    if token.expires_in_days is not None:
        expires_at = dt.datetime.now(dt.UTC) + dt.timedelta(days=token.expires_in_days)
    token_id, secret = create_token(
        engine, token.role, token.name, expires_at=expires_at, sites=token.sites, meters=token.meters, actor=principal
    )
    return {
        "id": token_id,
        "role": token.role,
        "name": token.name,
        "expires_at": None if expires_at is None else expires_at.isoformat(),
        "sites": token.sites,
        "meters": token.meters,
        "token": secret,
    }


@router.post("/tokens/{token_id}/rotate", tags=["tokens"], status_code=201, summary="Rotate an API token (admin)")
def post_rotate(
    token_id: TokenId, principal: Admin, engine: EngineDep, rotate: Annotated[RotateIn | None, Body()] = None
) -> dict[str, Any]:
    """A new secret with the same role, name, scope and expiry; the old one keeps working for ``grace_s``
    seconds (1 hour by default), so that its holder can switch without a gap."""
    row, secret = rotate_token(engine, token_id, (rotate or RotateIn()).grace_s, actor=principal)
    return {**row, "token": secret, "replaces": token_id}


@router.delete("/tokens/{token_id}", tags=["tokens"], summary="Revoke an API token (admin)")
def delete_token(token_id: TokenId, principal: Admin, engine: EngineDep) -> dict[str, Any]:
    """Revoked tokens answer 401 from then on; revoking twice keeps the first revocation time."""
    return revoke_token(engine, token_id, actor=principal)


@router.get("/audit", tags=["tokens"], summary="The audit log of admin actions, newest first (admin)")
def get_audit(
    principal: Admin,
    engine: EngineDep,
    limit: Annotated[int, Query(ge=1, le=1000, description="entries")] = 100,
    before: Annotated[int | None, Query(ge=1, le=INT32_MAX, description="entry id to page before")] = None,
) -> list[dict[str, Any]]:
    return list_entries(engine, limit, before)
