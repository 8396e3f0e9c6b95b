"""API tokens: made, hashed at rest, checked on every request, revoked.

A token is ``gdc_`` followed by 43 URL-safe characters: 32 random bytes from :func:`secrets.token_bytes`.
The database keeps only its SHA-256 digest (and its first characters, to tell tokens apart in lists).
A salted slow hash (scrypt, argon2) protects *low-entropy* passwords against guessing once the hashes leak;
a 256-bit random secret cannot be guessed, so one SHA-256 is enough, and it lets the server find a token by
an indexed lookup of its digest on every request without slowing ingestion.

Roles (:data:`~greendc.service.models.ROLES`) are ordered: ``viewer`` reads, ``operator`` also writes
readings, ``admin`` also manages sites, meters and tokens. No or unknown token → HTTP 401, revoked token →
HTTP 401, a role too weak for the request → HTTP 403.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from greendc.service.db import write_connection
from greendc.service.models import ROLES, api_tokens
from greendc.service.settings import ServiceError

__all__ = [
    "TOKEN_PREFIX",
    "AuthError",
    "Principal",
    "authenticate",
    "create_token",
    "hash_token",
    "list_tokens",
    "new_secret",
    "revoke_token",
    "role_allows",
]

TOKEN_PREFIX = "gdc_"
#: Characters of the token kept in clear to identify it in lists (prefix + 6 characters of the secret).
_SHOWN = len(TOKEN_PREFIX) + 6


class AuthError(ServiceError):
    """A request without a valid token (``status`` 401) or with a role too weak for it (``status`` 403)."""


@dataclass(frozen=True)
class Principal:
    """Who is calling: the token's id, name and role."""

    token_id: int
    name: str
    role: str


def new_secret() -> str:
    """A new token: ``gdc_`` + 32 random bytes, URL-safe base64 (43 characters)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """SHA-256 hex digest of a token (what the database stores)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def role_allows(role: str, needed: str) -> bool:
    """True when ``role`` may do what ``needed`` may (roles ordered viewer < operator < admin)."""
    return ROLES.index(role) >= ROLES.index(needed)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ServiceError(f"role {role!r} is not one of {', '.join(ROLES)}")


def create_token(engine: Engine, role: str, name: str = "") -> tuple[int, str]:
    """Store a new token with ``role``; return ``(id, token)``. The token is shown once and never stored.

    Raises
    ------
    ServiceError
        Unknown role, or a name longer than 100 characters.
    """
    _check_role(role)
    if len(name) > 100:
        raise ServiceError(f"token name has {len(name)} characters; at most 100")
    token = new_secret()
    with write_connection(engine) as conn:
        token_id = conn.execute(
            sa.insert(api_tokens)
            .values(name=name, role=role, token_sha256=hash_token(token), prefix=token[:_SHOWN])
            .returning(api_tokens.c.id)
        ).scalar_one()
    return int(token_id), token


def revoke_token(engine: Engine, token_id: int) -> dict[str, Any]:
    """Revoke the token ``token_id`` (it then answers 401); return its row. Revoking twice keeps the first time.

    Raises
    ------
    ServiceError
        No token has that id.
    """
    with write_connection(engine) as conn:
        row = conn.execute(sa.select(api_tokens).where(api_tokens.c.id == token_id)).mappings().first()
        if row is None:
            raise ServiceError(f"token id {token_id} does not exist; list them with GET /api/v1/tokens", 404)
        if row["revoked_at"] is None:
            conn.execute(
                sa.update(api_tokens).where(api_tokens.c.id == token_id).values(revoked_at=dt.datetime.now(dt.UTC))
            )
        row = conn.execute(sa.select(api_tokens).where(api_tokens.c.id == token_id)).mappings().one()
    return _public(row)


def _public(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "role": row["role"],
        "prefix": row["prefix"],
        "created_at": row["created_at"].isoformat(),
        "revoked_at": None if row["revoked_at"] is None else row["revoked_at"].isoformat(),
    }


def list_tokens(engine: Engine) -> list[dict[str, Any]]:
    """Every token (id, name, role, prefix, created_at, revoked_at), never the secret nor its digest."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(api_tokens).order_by(api_tokens.c.id)).mappings().all()
    return [_public(r) for r in rows]


def authenticate(engine: Engine, authorization: str | None, needed: str) -> Principal:
    """The caller of a request with header ``Authorization: Bearer <token>``, if its role allows ``needed``.

    Raises
    ------
    AuthError
        401 without a bearer token, with an unknown or a revoked one; 403 when the role is too weak.
    """
    if not authorization:
        raise AuthError("no API token: send the header 'Authorization: Bearer <token>'", 401)
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise AuthError("the Authorization header must read 'Bearer <token>'", 401)
    if len(token) > 200:
        raise AuthError("invalid API token", 401)
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(api_tokens.c.id, api_tokens.c.name, api_tokens.c.role, api_tokens.c.revoked_at).where(
                api_tokens.c.token_sha256 == hash_token(token)
            )
        ).first()
    if row is None:
        raise AuthError("invalid API token", 401)
    if row.revoked_at is not None:
        raise AuthError(f"API token {row.id} was revoked at {row.revoked_at.isoformat()}", 401)
    if not role_allows(row.role, needed):
        raise AuthError(f"this request needs role {needed!r} or above; the token has role {row.role!r}", 403)
    return Principal(int(row.id), row.name, row.role)
