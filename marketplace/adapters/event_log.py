"""Appending events: the hash-chained log, the device's read row and the outbox, on one connection.

Callers hold the transaction; this module only writes. Appending always goes through the locked
read row (`SELECT ... FOR UPDATE`), so concurrent commands on one device serialise and the chain
never forks.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import asyncpg

from events.topics import LIFECYCLE
from marketplace.domain.hashchain import canonical_json

INSERT_EVENT = """
INSERT INTO asset_events (asset_id, sequence, event_id, type, schema_version, occurred_at, actor,
                          correlation_id, causation_id, payload, prev_hash, hash)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
"""

INSERT_OUTBOX = "INSERT INTO outbox (topic, key, headers, value) VALUES ($1, $2, $3, $4)"

ADVANCE_HEAD = """
UPDATE assets SET version = $2, last_hash = $3, state = $4, updated_at = $5
WHERE id = $1 AND version = $6
"""


def _event_row(e: dict[str, Any]) -> tuple[Any, ...]:
    return (
        e["asset_id"], e["sequence"], e["event_id"], e["type"], e["schema_version"],
        datetime.fromisoformat(e["occurred_at"]), e["actor"],
        e["correlation_id"], e["causation_id"], e["payload"], e["prev_hash"], e["hash"],
    )


def _outbox_row(e: dict[str, Any]) -> tuple[Any, ...]:
    return (LIFECYCLE.name, e["asset_id"], {"type": e["type"]}, canonical_json(e).encode("utf-8"))


async def append_events(conn: asyncpg.Connection, events: list[dict[str, Any]]) -> None:
    """Write events (already built on their chain heads) and queue them for publication."""
    if not events:
        return
    await conn.executemany(INSERT_EVENT, [_event_row(e) for e in events])
    await conn.executemany(INSERT_OUTBOX, [_outbox_row(e) for e in events])


async def advance_head(conn: asyncpg.Connection, event: dict[str, Any], new_state: str, appended: int = 1) -> None:
    """Move the device's read row to `event`, the last of `appended` new events; the version check
    catches a forgotten row lock."""
    status = await conn.execute(
        ADVANCE_HEAD, event["asset_id"], event["sequence"], event["hash"], new_state,
        datetime.fromisoformat(event["occurred_at"]), event["sequence"] - appended,
    )
    if status != "UPDATE 1":
        raise RuntimeError(f"concurrent append on asset {event['asset_id']} (sequence {event['sequence']})")


async def queue_message(conn: asyncpg.Connection, topic: str, key: str | None, value: dict[str, Any],
                        headers: dict[str, str] | None = None) -> None:
    """Queue any other message (a dead letter, say) for the relay."""
    await conn.execute(INSERT_OUTBOX, topic, key, headers or {}, json.dumps(value).encode("utf-8"))
