"""API tokens checked on every request: who is calling, and may they do it.

A token is ``gdc_`` followed by 43 URL-safe characters: 32 random bytes from :func:`secrets.token_bytes`.
The database keeps only its SHA-256 digest (and its first characters, to tell tokens apart in lists).
A salted slow hash (scrypt, argon2) protects *low-entropy* passwords against guessing once the hashes leak;
a 256-bit random secret cannot be guessed, so one SHA-256 is enough, and it lets the server find a token by
an indexed lookup of its digest on every request without slowing ingestion.

A role grants permissions (:data:`PERMISSIONS`): ``viewer`` reads; ``gateway`` only writes readings (a field
gateway or meter: it can read nothing back); ``operator`` reads and writes readings; ``admin`` also manages
sites, meters, quarantines and tokens. No, unknown, revoked or expired token → HTTP 401; a role without the
permission the request needs → HTTP 403.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from greendc.errors import AuthError
from greendc.service.models import ROLES, api_tokens, meters, sites

__all__ = [
    "PERMISSIONS",
    "SHOWN_CHARS",
    "TOKEN_PREFIX",
    "Principal",
    "authenticate",
    "check_permission",
    "hash_token",
    "new_secret",
    "out_of_scope",
    "role_allows",
]

TOKEN_PREFIX = "gdc_"
#: Characters of a token kept in clear to tell tokens apart in lists (prefix + 6 characters of the secret).
SHOWN_CHARS = len(TOKEN_PREFIX) + 6


@dataclass(frozen=True)
class Principal:
    """Who is calling: the token's id, name and role, and the sites and meters it may write readings to
    (None: every one; only gateway tokens are scoped)."""

    token_id: int
    name: str
    role: str
    scope_sites: tuple[str, ...] | None = None
    scope_meters: tuple[str, ...] | None = None


def _scope_of(text: str | None) -> tuple[str, ...] | None:
    return None if text is None else tuple(json.loads(text))


def new_secret() -> str:
    """A new token: ``gdc_`` + 32 random bytes, URL-safe base64 (43 characters)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """SHA-256 hex digest of a token (what the database stores)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


#: What each role may do: ``read`` (readings, KPIs, reports, meters, sites, alarms), ``write`` (readings),
#: ``admin`` (sites, meters, quarantines, tokens, the audit log).
PERMISSIONS: dict[str, frozenset[str]] = {
    "viewer": frozenset({"read"}),
    "gateway": frozenset({"write"}),
    "operator": frozenset({"read", "write"}),
    "admin": frozenset({"read", "write", "admin"}),
}


def role_allows(role: str, permission: str) -> bool:
    """True when ``role`` grants ``permission`` (``read``, ``write`` or ``admin``)."""
    return permission in PERMISSIONS.get(role, frozenset())


def authenticate(engine: Engine, authorization: str | None, needed: str | None) -> Principal:
    """The caller of a request with header ``Authorization: Bearer <token>``, if its role grants ``needed``.

    Parameters
    ----------
    needed : str or None
        Permission the request needs (``read``, ``write``, ``admin``); None checks only the token.

    Raises
    ------
    AuthError
        401 without a bearer token, with an unknown, revoked or expired one; 403 when the role lacks ``needed``.
    """
    if not authorization:
        raise AuthError("no API token: send the header 'Authorization: Bearer <token>'", 401)
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise AuthError("the Authorization header must read 'Bearer <token>'", 401)
    if len(token) > 200 or not token.isascii():
        raise AuthError("invalid API token", 401)
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(
                api_tokens.c.id,
                api_tokens.c.name,
                api_tokens.c.role,
                api_tokens.c.revoked_at,
                api_tokens.c.expires_at,
                api_tokens.c.scope_sites,
                api_tokens.c.scope_meters,
            ).where(api_tokens.c.token_sha256 == hash_token(token))
        ).first()
    if row is None:
        raise AuthError("invalid API token", 401)
    if row.revoked_at is not None:
        raise AuthError(f"API token {row.id} was revoked at {row.revoked_at.isoformat()}", 401)
    if row.expires_at is not None and row.expires_at <= dt.datetime.now(dt.UTC):
        raise AuthError(f"API token {row.id} expired at {row.expires_at.isoformat()}; an admin makes a new one", 401)
    principal = Principal(int(row.id), row.name, row.role, _scope_of(row.scope_sites), _scope_of(row.scope_meters))
    if needed is not None:
        check_permission(principal, needed)
    return principal


def check_permission(principal: Principal, needed: str) -> None:
    """Raise 403 unless the caller's role grants ``needed`` (``read``, ``write`` or ``admin``)."""
    if not role_allows(principal.role, needed):
        allowed = ", ".join(r for r in ROLES if needed in PERMISSIONS[r])
        raise AuthError(
            f"this request needs the {needed!r} permission (roles {allowed}); the token has role {principal.role!r}",
            403,
        )


def out_of_scope(conn: Connection, principal: Principal, names: set[str]) -> list[str]:
    """The meters among ``names`` that a scoped token may not write to (sorted; empty when all are allowed).

    A meter is in scope when its name is in ``scope_meters`` or its site in ``scope_sites``; a token without
    either scope may write to every meter. Unknown meters are left to ingestion (which names them).
    """
    if principal.scope_sites is None and principal.scope_meters is None:
        return []
    allowed_meters = set(principal.scope_meters or ())
    rest = sorted(names - allowed_meters)
    if not rest:
        return []
    site_of: dict[str, str] = {}
    for start in range(0, len(rest), 500):
        rows = conn.execute(
            sa.select(meters.c.name, sites.c.name.label("site"))
            .join(sites, meters.c.site_id == sites.c.id)
            .where(meters.c.name.in_(rest[start : start + 500]))
        ).all()
        site_of.update({r.name: r.site for r in rows})
    allowed_sites = set(principal.scope_sites or ())
    return [n for n in rest if n in site_of and site_of[n] not in allowed_sites]
