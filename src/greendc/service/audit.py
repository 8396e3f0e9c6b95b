"""The audit log: every admin action (tokens, sites, meters, quarantines) with who did it and when.

An entry is written in the same transaction as the action it records, so that a change is never stored
without its entry nor an entry without its change. Entries are never changed nor deleted by the API.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from greendc.service.models import audit_log

__all__ = ["CLI_ACTOR", "list_entries", "record"]

#: Who an action run from the command line (``greendc token …``) is recorded as.
CLI_ACTOR = "command line"


def record(conn: Connection, actor: Any, action: str, target: str, **detail: Any) -> None:
    """Write one entry in the open transaction of ``conn``.

    Parameters
    ----------
    actor : Principal or None
        The caller (its token id and name are recorded); None for the command line.
    action : str
        What was done, ``<object>.<verb>``: ``token.create``, ``meter.patch``, ``quarantine.release`` …
    target : str
        What it was done to: ``token 12``, ``meter pv-1``, ``site dakhla`` …
    **detail
        JSON-serialisable particulars (the fields changed, the role given …); never a secret.
    """
    conn.execute(
        sa.insert(audit_log).values(
            token_id=None if actor is None else actor.token_id,
            actor=CLI_ACTOR if actor is None else f"token {actor.token_id} ({actor.name or actor.role})",
            action=action,
            target=target[:200],
            detail=json.dumps(detail, default=str, sort_keys=True),
        )
    )


def list_entries(engine: Engine, limit: int = 100, before: int | None = None) -> list[dict[str, Any]]:
    """The newest ``limit`` entries (before the entry id ``before`` when given), newest first."""
    query = sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if before is not None:
        query = query.where(audit_log.c.id < before)
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return [
        {
            "id": r["id"],
            "at": r["at"].isoformat(),
            "token_id": r["token_id"],
            "actor": r["actor"],
            "action": r["action"],
            "target": r["target"],
            "detail": json.loads(r["detail"]),
        }
        for r in rows
    ]
