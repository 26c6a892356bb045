"""SQL for notifications (migration 0021): who is told, what about, and the pending rows to fold."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg

# The people of some organisations, with their choice for one kind (NULL when they made none).
PEOPLE = """
SELECT u.id::text AS user_id, u.org_id::text AS org_id, o.kind AS org_kind, u.is_admin, p.mode AS chosen
FROM users u
JOIN organisations o ON o.id = u.org_id
LEFT JOIN notification_preferences p ON p.user_id = u.id AND p.kind = $2
WHERE u.org_id = ANY($1::uuid[]) AND NOT u.disabled AND u.erased_at IS NULL
"""
# The admins' organisations (admins are told as people of them: notify_orgs then keeps the admins).
ADMIN_ORGS = "SELECT DISTINCT org_id::text FROM users WHERE is_admin AND NOT disabled AND erased_at IS NULL"

# An offer's device, donor, distance (from the router's reason codes) and expiry.
OFFER_FACTS = """
SELECT o.id::text AS offer_id, o.org_id::text AS org_id, a.donor_org_id::text AS donor_org_id,
       a.code, a.brand || ' ' || a.model AS device, d.name AS donor, o.expires_at, o.closed_at,
       c.name AS claimer,
       (SELECT (e->'params'->>'km')::float FROM jsonb_array_elements(coalesce(o.reason_codes, '[]')) e
        WHERE e->'params' ? 'km' LIMIT 1) AS km
FROM offers o
JOIN assets a ON a.id = o.asset_id
JOIN organisations d ON d.id = a.donor_org_id
JOIN organisations c ON c.id = o.org_id
WHERE o.id = ANY($1::uuid[])
"""

RESERVATION_FACTS = """
SELECT r.id::text AS reservation_id, r.org_id::text AS org_id, r.hold_until, a.code,
       a.brand || ' ' || a.model AS device, d.name AS donor
FROM reservations r
JOIN assets a ON a.id = r.asset_id
JOIN organisations d ON d.id = a.donor_org_id
WHERE r.id = ANY($1::uuid[])
"""

ORG_IDS_BY_SLUG = "SELECT slug, id::text AS id, name FROM organisations WHERE slug = ANY($1::text[])"

INSERT_PENDING = """
INSERT INTO pending_notifications (user_id, kind, cause, mode, facts)
SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[])
ON CONFLICT (user_id, kind, cause) DO NOTHING
"""

# Deadlines within the next day not announced yet (each cause once: notified_deadlines).
EXPIRING_OFFERS = """
SELECT o.id::text FROM offers o
WHERE o.status = 'open' AND o.expires_at <= $1 AND o.expires_at - o.created_at > interval '24 hours'
  AND NOT EXISTS (SELECT 1 FROM notified_deadlines n WHERE n.cause = 'expiring:' || o.id)
ORDER BY o.expires_at LIMIT $2
"""
PICKUPS_DUE = """
SELECT o.id::text FROM offers o JOIN assets a ON a.id = o.asset_id AND a.state = 'claimed'
WHERE o.status = 'claimed' AND o.closed_at <= $1
  AND NOT EXISTS (SELECT 1 FROM pickup_devices pd WHERE pd.asset_id = a.id)
  AND NOT EXISTS (SELECT 1 FROM notified_deadlines n WHERE n.cause = 'pickup:' || o.id)
ORDER BY o.closed_at LIMIT $2
"""
# Pickups (migration 0034) are announced once each, not device by device: $1 is now + a day -
# PICKUP_DEADLINE_HOURS, $3 now + a day (an agreed day ending later holds the devices until then).
PICKUP_GROUPS_DUE = """
SELECT p.id::text FROM pickups p
WHERE p.status = 'open' AND p.last_claim_at <= $1 AND (p.agreed_until IS NULL OR p.agreed_until <= $3)
  AND NOT EXISTS (SELECT 1 FROM notified_deadlines n WHERE n.cause = 'pickupgroup:' || p.id)
ORDER BY p.last_claim_at LIMIT $2
"""
PICKUP_GROUP_FACTS = """
SELECT p.id::text AS pickup_id, p.claimer_org_id::text AS claimer_org_id, p.donor_org_id::text AS donor_org_id,
       d.name AS donor, c.name AS claimer, p.last_claim_at, p.agreed_until,
       (SELECT count(*) FROM pickup_devices pd JOIN assets a ON a.id = pd.asset_id
        WHERE pd.pickup_id = p.id AND a.state = 'claimed' AND a.claimer_org_id = p.claimer_org_id
          AND NOT EXISTS (SELECT 1 FROM pickup_devices later
                          WHERE later.asset_id = pd.asset_id AND later.joined_at > pd.joined_at)) AS expected
FROM pickups p
JOIN organisations d ON d.id = p.donor_org_id
JOIN organisations c ON c.id = p.claimer_org_id
WHERE p.id = ANY($1::uuid[])
"""
HOLDS_ENDING = """
SELECT r.id::text FROM reservations r
WHERE r.status = 'active' AND r.hold_until <= $1
  AND NOT EXISTS (SELECT 1 FROM notified_deadlines n WHERE n.cause = 'hold:' || r.id)
ORDER BY r.hold_until LIMIT $2
"""
# For the admins' daily summary: dead letters not yet told, devices left unclaimed after the last round.
NEW_DEAD_LETTERS = """
SELECT d.id::text FROM dead_letters d
WHERE d.status = 'new' AND d.failed_at >= $1::timestamptz - interval '7 days'
  AND NOT EXISTS (SELECT 1 FROM notified_deadlines n WHERE n.cause = 'deadletter:' || d.id)
ORDER BY d.id LIMIT $2
"""
NEWLY_UNCLAIMED = """
SELECT a.id::text || ':' || a.routing_round FROM assets a
WHERE a.state = 'retired' AND a.routing_round >= $3 AND a.updated_at <= $1
  AND NOT EXISTS (SELECT 1 FROM notified_deadlines n WHERE n.cause = 'unclaimed:' || a.id || ':' || a.routing_round)
ORDER BY a.updated_at LIMIT $2
"""
DEAD_LETTER_FACTS = """
SELECT id::text, consumer, topic, left(error, 200) AS error, failed_at
FROM dead_letters WHERE id::text = ANY($1::text[])
"""
UNCLAIMED_FACTS = """
SELECT a.id::text AS asset_id, a.code, a.brand || ' ' || a.model AS device, d.name AS donor, a.updated_at
FROM assets a JOIN organisations d ON d.id = a.donor_org_id WHERE a.id = ANY($1::uuid[])
"""
DEVICE_FACTS = """
SELECT a.id::text AS asset_id, a.donor_org_id::text AS donor_org_id, a.code, a.brand || ' ' || a.model AS device,
       d.name AS donor
FROM assets a JOIN organisations d ON d.id = a.donor_org_id WHERE a.id = ANY($1::uuid[])
"""

NOTICE_DEADLINES = """
INSERT INTO notified_deadlines (cause) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING RETURNING cause
"""

# (person, kind, mode) whose oldest pending row is due: "now" after the grouping window, "daily" after a day.
DUE_GROUPS = """
SELECT user_id::text, kind, mode FROM pending_notifications
WHERE folded_at IS NULL
GROUP BY user_id, kind, mode
HAVING min(created_at) <= CASE mode WHEN 'now' THEN $1::timestamptz WHEN 'daily' THEN $2::timestamptz
                                  ELSE $4::timestamptz END
LIMIT $3
"""
LOCK_GROUP = """
SELECT id, facts FROM pending_notifications
WHERE user_id = $1 AND kind = $2 AND mode = $3 AND folded_at IS NULL
ORDER BY id FOR UPDATE SKIP LOCKED
"""
MARK_FOLDED = "UPDATE pending_notifications SET folded_at = now() WHERE id = ANY($1::bigint[])"
# Folded rows are kept as long as the e-mails they went into (MAIL_RETENTION_DAYS), deleted in short chunks.
PURGE_FOLDED = """
DELETE FROM pending_notifications WHERE id IN (
    SELECT id FROM pending_notifications WHERE folded_at < $1 ORDER BY folded_at LIMIT 5000)
"""

PERSON = """
SELECT u.id::text AS user_id, u.email, u.display_name, u.lang,
       u.disabled OR u.erased_at IS NOT NULL AS disabled, u.is_admin, o.kind AS org_kind, p.mode AS chosen
FROM users u JOIN organisations o ON o.id = u.org_id
LEFT JOIN notification_preferences p ON p.user_id = u.id AND p.kind = $2
WHERE u.id = $1
"""

CHOICES = "SELECT kind, mode FROM notification_preferences WHERE user_id = $1"
SET_CHOICE = """
INSERT INTO notification_preferences (user_id, kind, mode) VALUES ($1, $2, $3)
ON CONFLICT (user_id, kind) DO UPDATE SET mode = EXCLUDED.mode, changed_at = now()
"""


async def people(conn: asyncpg.Connection, org_ids: Sequence[str], kind: str) -> list[asyncpg.Record]:
    return await conn.fetch(PEOPLE, list(org_ids), kind)


async def offer_facts(conn: asyncpg.Connection, offer_ids: Sequence[str]) -> list[asyncpg.Record]:
    return await conn.fetch(OFFER_FACTS, list(offer_ids))


async def reservation_facts(conn: asyncpg.Connection, ids: Sequence[str]) -> list[asyncpg.Record]:
    return await conn.fetch(RESERVATION_FACTS, list(ids))


async def orgs_by_slug(conn: asyncpg.Connection, slugs: Sequence[str]) -> dict[str, asyncpg.Record]:
    return {r["slug"]: r for r in await conn.fetch(ORG_IDS_BY_SLUG, list(slugs))}


async def insert_pending(conn: asyncpg.Connection, rows: Sequence[tuple[str, str, str, str, dict[str, Any]]]) -> None:
    """(user_id, kind, cause, mode, facts) rows; a (user, kind, cause) already pending or folded adds nothing."""
    if rows:
        cols = list(zip(*rows, strict=True))
        await conn.execute(INSERT_PENDING, list(cols[0]), list(cols[1]), list(cols[2]), list(cols[3]),
                           list(cols[4]))  # jsonb: the pool's codec encodes them (adapters/pool.py)


async def due_deadlines(conn: asyncpg.Connection, sql: str, until: datetime, limit: int, *more: object) -> list[str]:
    return [r[0] for r in await conn.fetch(sql, until, limit, *more)]


async def admin_orgs(conn: asyncpg.Connection) -> list[str]:
    return [r[0] for r in await conn.fetch(ADMIN_ORGS)]


async def facts(conn: asyncpg.Connection, sql: str, ids: Sequence[str]) -> list[asyncpg.Record]:
    return await conn.fetch(sql, list(ids))


async def notice(conn: asyncpg.Connection, causes: Sequence[str]) -> set[str]:
    """Record deadline causes; returns those not recorded before."""
    return {r[0] for r in await conn.fetch(NOTICE_DEADLINES, list(causes))}


async def due_groups(conn: asyncpg.Connection, now_before: datetime, daily_before: datetime, weekly_before: datetime,
                     limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(DUE_GROUPS, now_before, daily_before, limit, weekly_before)


async def lock_group(conn: asyncpg.Connection, user_id: str, kind: str, mode: str) -> list[tuple[int, dict[str, Any]]]:
    rows = await conn.fetch(LOCK_GROUP, user_id, kind, mode)
    # A text value is what an early build stored (a JSON string holding the object).
    return [(r["id"], json.loads(r["facts"]) if isinstance(r["facts"], str) else r["facts"]) for r in rows]


async def mark_folded(conn: asyncpg.Connection, ids: Sequence[int]) -> None:
    await conn.execute(MARK_FOLDED, list(ids))


async def purge_folded(conn: asyncpg.Connection, before: datetime) -> int:
    return int((await conn.execute(PURGE_FOLDED, before)).split()[-1])


async def person(conn: asyncpg.Connection, user_id: str, kind: str) -> asyncpg.Record | None:
    return await conn.fetchrow(PERSON, user_id, kind)


async def choices(conn: asyncpg.Connection, user_id: str) -> dict[str, str]:
    return {r["kind"]: r["mode"] for r in await conn.fetch(CHOICES, user_id)}


async def set_choice(conn: asyncpg.Connection, user_id: str, kind: str, mode: str) -> None:
    await conn.execute(SET_CHOICE, user_id, kind, mode)
