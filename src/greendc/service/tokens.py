"""API tokens over their life: made (with a role, an expiry and, for gateways, a scope), listed, rotated,
revoked. Every change is written to the audit log (:mod:`greendc.service.audit`) in the same transaction.

A token is ``gdc_`` followed by 43 URL-safe characters: 32 random bytes from :func:`secrets.token_bytes`.
The database keeps only its SHA-256 digest (and its first characters, to tell tokens apart in lists).
A salted slow hash (scrypt, argon2) protects *low-entropy* passwords against guessing once the hashes leak;
a 256-bit random secret cannot be guessed, so one SHA-256 is enough, and it lets the server find a token by
an indexed lookup of its digest on every request without slowing ingestion.

**Rotation** (:func:`rotate_token`) makes a new secret with the same role, name and scope and lets the old one
expire after a grace period, so that a gateway can switch to the new secret without a gap.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from greendc.errors import ServiceError
from greendc.service.audit import record
from greendc.service.auth import SHOWN_CHARS, Principal, hash_token, new_secret
from greendc.service.db import write_connection
from greendc.service.edge import name_error, text_error
from greendc.service.models import ROLES, api_tokens, isoformat_or_none

__all__ = ["DEFAULT_LIFETIME_DAYS", "create_token", "list_tokens", "revoke_token", "rotate_token"]

#: Lifetime of a token made through the API or the command line unless another is asked for [days].
DEFAULT_LIFETIME_DAYS = 90.0


def _scope_text(names: Sequence[str] | None, what: str) -> str | None:
    if names is None:
        return None
    bad = [n for n in names if name_error(n)]
    if bad:
        raise ServiceError(f"{what}: {name_error(bad[0], 'name')}")
    if not names:
        raise ServiceError(f"{what}: an empty list would allow nothing; leave it out or name at least one")
    text = json.dumps(sorted(set(names)))
    if len(text) > 2000:
        raise ServiceError(f"{what}: {len(names)} names are too many for one token (2000 characters at most)")
    return text


def create_token(
    engine: Engine,
    role: str,
    name: str = "",
    *,
    expires_at: dt.datetime | None = None,
    sites: Sequence[str] | None = None,
    meters: Sequence[str] | None = None,
    actor: Principal | None = None,
) -> tuple[int, str]:
    """Store a new token; return ``(id, token)``. The token is shown once and never stored.

    Parameters
    ----------
    role : str
        ``viewer``, ``gateway``, ``operator`` or ``admin`` (:data:`greendc.service.auth.PERMISSIONS`).
    expires_at : datetime, optional
        When it stops working (tz-aware); None: never.
    sites, meters : sequence of str, optional
        A gateway's scope: the sites and the meters it may write readings to (None: all).
    actor : Principal, optional
        Who makes it, for the audit log (None: the command line).

    Raises
    ------
    ServiceError
        Unknown role, a name too long or with control characters, an expiry in the past, a scope for a role
        other than gateway, an invalid scope name.
    """
    if role not in ROLES:
        raise ServiceError(f"role {role!r} is not one of {', '.join(ROLES)}")
    if len(name) > 100 or (why := text_error(name, "token name")):
        raise ServiceError(why if len(name) <= 100 else f"token name has {len(name)} characters; at most 100")
    if expires_at is not None and expires_at <= dt.datetime.now(dt.UTC):
        raise ServiceError(f"expires_at={expires_at.isoformat()} is in the past")
    if (sites is not None or meters is not None) and role != "gateway":
        raise ServiceError(f"a scope (sites, meters) is for gateway tokens only; this token has role {role!r}")
    token = new_secret()
    with write_connection(engine) as conn:
        token_id = _insert(
            conn, role, name, token, expires_at, _scope_text(sites, "sites"), _scope_text(meters, "meters")
        )
        record(conn, actor, "token.create", f"token {token_id}", role=role, name=name, expires_at=expires_at,
               sites=sites, meters=meters)  # fmt: skip
    return token_id, token


def _insert(
    conn: Connection, role: str, name: str, token: str, expires_at: Any, scope_sites: Any, scope_meters: Any
) -> int:
    return int(
        conn.execute(
            sa.insert(api_tokens)
            .values(
                name=name,
                role=role,
                token_sha256=hash_token(token),
                prefix=token[:SHOWN_CHARS],
                expires_at=expires_at,
                scope_sites=scope_sites,
                scope_meters=scope_meters,
            )
            .returning(api_tokens.c.id)
        ).scalar_one()
    )


def _row(conn: Connection, token_id: int) -> Any:
    row = conn.execute(sa.select(api_tokens).where(api_tokens.c.id == token_id)).mappings().first()
    if row is None:
        raise ServiceError(f"token id {token_id} does not exist; list them with GET /api/v1/tokens", 404)
    return row


def revoke_token(engine: Engine, token_id: int, actor: Principal | None = None) -> dict[str, Any]:
    """Revoke the token ``token_id`` (it then answers 401); return its row. Revoking twice keeps the first time.

    Raises
    ------
    ServiceError
        No token has that id (404).
    """
    with write_connection(engine) as conn:
        row = _row(conn, token_id)
        if row["revoked_at"] is None:
            conn.execute(
                sa.update(api_tokens).where(api_tokens.c.id == token_id).values(revoked_at=dt.datetime.now(dt.UTC))
            )
            record(conn, actor, "token.revoke", f"token {token_id}")
        row = _row(conn, token_id)
    return _public(row)


def rotate_token(
    engine: Engine, token_id: int, grace_s: float = 3600.0, actor: Principal | None = None
) -> tuple[dict[str, Any], str]:
    """A new secret for the token ``token_id``: same role, name, scope and lifetime left; the old secret keeps
    working for ``grace_s`` seconds (or until its own expiry, if sooner). Return the new token's row and secret.

    Raises
    ------
    ServiceError
        No token has that id (404); it is revoked or expired (409); ``grace_s`` outside 0 to 30 days.
    """
    if not 0.0 <= grace_s <= 30 * 86_400:
        raise ServiceError(f"grace_s={grace_s:g}: between 0 and 2592000 (30 days)")
    now = dt.datetime.now(dt.UTC)
    secret = new_secret()
    with write_connection(engine) as conn:
        old = _row(conn, token_id)
        if old["revoked_at"] is not None or (old["expires_at"] is not None and old["expires_at"] <= now):
            raise ServiceError(f"token {token_id} is revoked or expired; make a new one (POST /api/v1/tokens)", 409)
        old_until = now + dt.timedelta(seconds=grace_s)
        if old["expires_at"] is not None:
            old_until = min(old_until, old["expires_at"])
        new_id = _insert(conn, old["role"], old["name"], secret, old["expires_at"], old["scope_sites"],
                         old["scope_meters"])  # fmt: skip
        conn.execute(sa.update(api_tokens).where(api_tokens.c.id == token_id).values(expires_at=old_until))
        record(conn, actor, "token.rotate", f"token {token_id}", new_token=new_id, old_expires_at=old_until)
        row = _row(conn, new_id)
    return _public(row), secret


def _public(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "role": row["role"],
        "prefix": row["prefix"],
        "created_at": isoformat_or_none(row["created_at"]),
        "expires_at": isoformat_or_none(row["expires_at"]),
        "revoked_at": isoformat_or_none(row["revoked_at"]),
        "sites": None if row["scope_sites"] is None else json.loads(row["scope_sites"]),
        "meters": None if row["scope_meters"] is None else json.loads(row["scope_meters"]),
    }


def list_tokens(engine: Engine) -> list[dict[str, Any]]:
    """Every token (id, name, role, prefix, created, expires, revoked, scope), never the secret nor its digest."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(api_tokens).order_by(api_tokens.c.id)).mappings().all()
    return [_public(r) for r in rows]
