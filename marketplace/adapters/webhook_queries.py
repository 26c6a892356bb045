"""SQL for webhooks: registrations, the delivery queue (leased with SKIP LOCKED), and recent deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

INSERT_WEBHOOK = """
INSERT INTO webhooks (id, org_id, url, secret, created_by)
SELECT $1, o.id, $3, $4, $5 FROM organisations o WHERE o.slug = $2
"""
WEBHOOKS_OF_ORG = """
SELECT w.id, w.url, w.active, w.created_at FROM webhooks w JOIN organisations o ON o.id = w.org_id
WHERE o.slug = $1 ORDER BY w.created_at DESC
"""
DEACTIVATE = """
UPDATE webhooks w SET active = false FROM organisations o
WHERE w.id = $1 AND o.id = w.org_id AND o.slug = $2 AND w.active
"""
RECENT_DELIVERIES = """
SELECT d.id, d.event_type, d.status, d.attempts, d.last_status, d.last_error, d.created_at, d.delivered_at,
       d.next_attempt_at, w.url
FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id JOIN organisations o ON o.id = w.org_id
WHERE o.slug = $1 ORDER BY d.created_at DESC, d.id DESC LIMIT $2
"""

# Lease due deliveries: pushing next_attempt_at forward hides them from other workers while this one
# sends them; a worker that dies mid-delivery only delays them by the lease.
LEASE_DUE = """
WITH due AS (
    SELECT id FROM webhook_deliveries
    WHERE status = 'pending' AND next_attempt_at <= now()
    ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED
)
UPDATE webhook_deliveries d SET next_attempt_at = now() + make_interval(secs => $2)
FROM due, webhooks w, asset_events e
WHERE d.id = due.id AND w.id = d.webhook_id AND e.event_id = d.event_id
RETURNING d.id, d.attempts, w.url, w.secret, w.active,
          e.asset_id, e.sequence, e.event_id, e.type, e.schema_version, e.occurred_at, e.actor, e.correlation_id,
          e.causation_id, e.payload, e.prev_hash, e.hash
"""
MARK_DELIVERED = """
UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status = $2, last_error = NULL,
       delivered_at = now() WHERE id = $1
"""
MARK_FAILED_ATTEMPT = """
UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = $2, last_error = $3,
       status = CASE WHEN $4 THEN 'failed' ELSE 'pending' END, next_attempt_at = $5
WHERE id = $1
"""


async def insert_webhook(conn: asyncpg.Connection, values: tuple[Any, ...]) -> bool:
    return await conn.execute(INSERT_WEBHOOK, *values) == "INSERT 0 1"


async def webhooks_of_org(conn: asyncpg.Connection, org: str) -> list[asyncpg.Record]:
    return await conn.fetch(WEBHOOKS_OF_ORG, org)


async def deactivate(conn: asyncpg.Connection, webhook_id: str, org: str) -> bool:
    return await conn.execute(DEACTIVATE, webhook_id, org) == "UPDATE 1"


async def recent_deliveries(conn: asyncpg.Connection, org: str, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(RECENT_DELIVERIES, org, limit)


async def lease_due(conn: asyncpg.Connection, limit: int, lease_seconds: float) -> list[asyncpg.Record]:
    return await conn.fetch(LEASE_DUE, limit, lease_seconds)


async def mark_delivered(conn: asyncpg.Connection, delivery_id: int, status: int) -> None:
    await conn.execute(MARK_DELIVERED, delivery_id, status)


async def mark_failed_attempt(conn: asyncpg.Connection, delivery_id: int, status: int | None, error: str,
                              final: bool, next_at: datetime) -> None:
    await conn.execute(MARK_FAILED_ATTEMPT, delivery_id, status, error[:500], final, next_at)
