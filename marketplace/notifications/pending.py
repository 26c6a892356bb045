"""Turning a fact about some organisations into pending notifications for their people (one per person
and cause), each with the mode the person chose or their default; nothing for those who chose never."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import asyncpg

from marketplace.adapters import notification_queries as q
from marketplace.notifications.kinds import effective_mode

# (organisation id, cause, facts): one fact for every person of that organisation.
Fact = tuple[str, str, dict[str, Any]]


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def device_fact(row: asyncpg.Record, **extra: Any) -> dict[str, Any]:
    """What a line of an e-mail says about a device."""
    return {"device": row["device"], "code": row["code"], "donor": row["donor"], **extra}


async def notify_orgs(conn: asyncpg.Connection, kind: str, facts: Iterable[Fact]) -> int:
    """Write the pending rows of `facts` in the caller's transaction; returns how many people were concerned."""
    by_org: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for org_id, cause, fact in facts:
        by_org.setdefault(org_id, []).append((cause, fact))
    if not by_org:
        return 0
    rows: list[tuple[str, str, str, str, dict[str, Any]]] = []
    for person in await q.people(conn, list(by_org), kind):
        mode = effective_mode(kind, person["org_kind"], person["chosen"], person["is_admin"])
        if mode == "never":
            continue
        rows.extend((person["user_id"], kind, cause, mode, fact) for cause, fact in by_org[person["org_id"]])
    await q.insert_pending(conn, rows)
    return len(rows)
