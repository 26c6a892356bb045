"""SQL behind needs and the matcher's proposals (migration 0029)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import asyncpg

_NEED_COLUMNS = """
n.id, o.slug AS org, o.name AS org_name, o.pays_code, n.category, n.quantity, n.met_count, n.min_ram_gb,
n.min_storage_gb, n.min_screen_in::float8 AS min_screen_in, n.grades, n.needed_by, n.beneficiary_category,
n.adapted, n.status, n.created_at, n.updated_at, n.met_at,
(SELECT count(*) FROM need_proposals p WHERE p.need_id = n.id AND p.status = 'open')::int AS proposed_count
"""
INSERT_NEED = """
INSERT INTO needs (id, org_id, category, quantity, min_ram_gb, min_storage_gb, min_screen_in, grades, needed_by,
                   beneficiary_category, adapted, status, created_by, created_at, updated_at)
SELECT $1, o.id, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'open', $12, $13, $13 FROM organisations o WHERE o.slug = $2
"""
UPDATE_NEED = """
UPDATE needs SET category = $2, quantity = $3, min_ram_gb = $4, min_storage_gb = $5, min_screen_in = $6,
                 grades = $7, needed_by = $8, beneficiary_category = $9, adapted = $10, updated_at = $11,
                 status = CASE WHEN met_count >= $3 THEN 'met' ELSE status END,
                 met_at = CASE WHEN met_count >= $3 THEN $11 ELSE met_at END
WHERE id = $1
"""
SET_STATUS = "UPDATE needs SET status = $2, updated_at = $3 WHERE id = $1"
LOCK_NEED = f"SELECT {_NEED_COLUMNS} FROM needs n JOIN organisations o ON o.id = n.org_id WHERE n.id = $1 FOR UPDATE OF n"
NEED = f"SELECT {_NEED_COLUMNS} FROM needs n JOIN organisations o ON o.id = n.org_id WHERE n.id = $1"
# Who reads which needs: admins every one; an organisation its own; a workshop those of its territory
# (pays sharing a department with its own). $1 admin, $2 the reader's slug, $3 whether it is a workshop.
VISIBLE_NEEDS = f"""
SELECT {_NEED_COLUMNS} FROM needs n JOIN organisations o ON o.id = n.org_id
WHERE ($1 OR o.slug = $2 OR ($3 AND EXISTS (
    SELECT 1 FROM organisations me JOIN pays mp ON mp.code = me.pays_code JOIN pays np ON np.code = o.pays_code
    WHERE me.slug = $2 AND mp.department_codes && np.department_codes)))
  AND ($4::text[] IS NULL OR n.status = ANY($4))
ORDER BY n.created_at DESC LIMIT $5
"""

# The device as the matcher sees it, locked: where it is is its custodian's pays.
LOCK_SUPPLY = """
SELECT a.id, a.state, a.category, a.grade, (a.specs->>'ram_gb')::float8 AS ram_gb,
       (a.specs->>'storage_gb')::float8 AS storage_gb, (a.specs->>'screen_in')::float8 AS screen_in,
       a.weight_kg::float8 AS weight_kg, a.os_installed, coalesce(c.pays_code, a.pays_code) AS pays_code
FROM assets a LEFT JOIN organisations c ON c.id = a.custodian_org_id
WHERE a.id = $1 FOR UPDATE OF a
"""
OPEN_PROPOSAL_OF_ASSET = "SELECT id FROM need_proposals WHERE asset_id = $1 AND status = 'open'"
# Open needs of a category this device was never proposed to, each with what it still lacks.
CANDIDATE_NEEDS = """
SELECT n.id, o.slug AS org, o.pays_code, n.category, n.quantity, n.min_ram_gb, n.min_storage_gb,
       n.min_screen_in::float8 AS min_screen_in, n.grades, n.needed_by, n.beneficiary_category, n.adapted,
       n.created_at,
       n.quantity - n.met_count - (SELECT count(*) FROM need_proposals p
                                   WHERE p.need_id = n.id AND p.status = 'open') AS remaining
FROM needs n JOIN organisations o ON o.id = n.org_id
WHERE n.status = 'open' AND n.category = $2 AND NOT o.disabled AND (n.needed_by IS NULL OR n.needed_by >= $3)
  AND NOT EXISTS (SELECT 1 FROM need_proposals p WHERE p.need_id = n.id AND p.asset_id = $1)
"""
LOCK_NEED_REMAINING = """
SELECT n.quantity - n.met_count - (SELECT count(*) FROM need_proposals p
                                   WHERE p.need_id = n.id AND p.status = 'open') AS remaining
FROM needs n WHERE n.id = $1 AND n.status = 'open' FOR UPDATE
"""
INSERT_PROPOSAL = """
INSERT INTO need_proposals (id, need_id, asset_id, status, reason_codes, created_at)
VALUES ($1, $2, $3, 'open', $4, $5) ON CONFLICT DO NOTHING
"""
LOCK_PROPOSAL = """
SELECT p.id, p.need_id, p.asset_id, p.status, a.code, o.slug AS org
FROM need_proposals p JOIN needs n ON n.id = p.need_id JOIN organisations o ON o.id = n.org_id
JOIN assets a ON a.id = p.asset_id
WHERE p.id = $1 FOR UPDATE OF p
"""
CLOSE_PROPOSAL = """
UPDATE need_proposals SET status = $2, closed_at = $3, closed_by = $4, decline_reason = $5, reservation_id = $6
WHERE id = $1 AND status = 'open'
"""
COUNT_MET = """
UPDATE needs SET met_count = met_count + 1, updated_at = $2,
                 status = CASE WHEN met_count + 1 >= quantity THEN 'met' ELSE status END,
                 met_at = CASE WHEN met_count + 1 >= quantity THEN $2 ELSE met_at END
WHERE id = $1 RETURNING status
"""
OPEN_PROPOSALS_OF_NEED = "SELECT id, asset_id FROM need_proposals WHERE need_id = $1 AND status = 'open'"
PROPOSALS_OF_ORG = """
SELECT p.id, p.need_id, a.code, a.category, a.brand, a.model, a.grade, p.status, p.reason_codes, p.created_at
FROM need_proposals p JOIN needs n ON n.id = p.need_id JOIN organisations o ON o.id = n.org_id
JOIN assets a ON a.id = p.asset_id
WHERE o.slug = $1 AND ($2::text IS NULL OR p.status = $2)
ORDER BY p.created_at DESC LIMIT $3
"""
# Refurbished devices with no open proposal, refurbished (or freed) over `grace` ago, for which an open need of
# their category that they were never proposed to changed since the reconciler last looked at them.
UNPROPOSED_REFURBISHED = """
SELECT a.id FROM assets a LEFT JOIN matching_checks m ON m.asset_id = a.id
WHERE a.state = 'refurbished' AND a.updated_at < $1
  AND NOT EXISTS (SELECT 1 FROM need_proposals p WHERE p.asset_id = a.id AND p.status = 'open')
  AND EXISTS (SELECT 1 FROM needs n
              WHERE n.status = 'open' AND n.category = a.category
                AND (m.checked_at IS NULL OR n.updated_at > m.checked_at OR a.updated_at > m.checked_at)
                AND NOT EXISTS (SELECT 1 FROM need_proposals p WHERE p.need_id = n.id AND p.asset_id = a.id))
ORDER BY a.updated_at LIMIT $2
"""
MARK_CHECKED = """
INSERT INTO matching_checks (asset_id, checked_at) VALUES ($1, $2)
ON CONFLICT (asset_id) DO UPDATE SET checked_at = EXCLUDED.checked_at
"""


async def insert_need(conn: asyncpg.Connection, need_id: str, org: str, spec: dict[str, Any], user_id: str | None,
                      at: datetime) -> None:
    await conn.execute(INSERT_NEED, need_id, org, spec["category"], spec["quantity"], spec["min_ram_gb"],
                       spec["min_storage_gb"], spec["min_screen_in"], spec["grades"], spec["needed_by"],
                       spec["beneficiary_category"], spec["adapted"], user_id, at)


async def update_need(conn: asyncpg.Connection, need_id: str, spec: dict[str, Any], at: datetime) -> None:
    await conn.execute(UPDATE_NEED, need_id, spec["category"], spec["quantity"], spec["min_ram_gb"],
                       spec["min_storage_gb"], spec["min_screen_in"], spec["grades"], spec["needed_by"],
                       spec["beneficiary_category"], spec["adapted"], at)


async def set_status(conn: asyncpg.Connection, need_id: str, status: str, at: datetime) -> None:
    await conn.execute(SET_STATUS, need_id, status, at)


async def lock_need(conn: asyncpg.Connection, need_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(LOCK_NEED, need_id)


async def need(conn: asyncpg.Connection, need_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(NEED, need_id)


async def visible_needs(conn: asyncpg.Connection, admin: bool, org: str, workshop: bool,
                        statuses: list[str] | None, limit: int) -> list[asyncpg.Record]:
    return list(await conn.fetch(VISIBLE_NEEDS, admin, org, workshop, statuses, limit))


async def lock_supply(conn: asyncpg.Connection, asset_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(LOCK_SUPPLY, asset_id)


async def has_open_proposal(conn: asyncpg.Connection, asset_id: str) -> bool:
    return await conn.fetchval(OPEN_PROPOSAL_OF_ASSET, asset_id) is not None


async def candidate_needs(conn: asyncpg.Connection, asset_id: str, category: str, today: date) -> list[asyncpg.Record]:
    return list(await conn.fetch(CANDIDATE_NEEDS, asset_id, category, today))


async def lock_remaining(conn: asyncpg.Connection, need_id: str) -> int:
    value = await conn.fetchval(LOCK_NEED_REMAINING, need_id)
    return int(value) if value is not None else 0


async def insert_proposal(conn: asyncpg.Connection, proposal_id: str, need_id: str, asset_id: str,
                          reasons: list[dict[str, Any]], at: datetime) -> bool:
    return str(await conn.execute(INSERT_PROPOSAL, proposal_id, need_id, asset_id, reasons, at)) == "INSERT 0 1"


async def lock_proposal(conn: asyncpg.Connection, proposal_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(LOCK_PROPOSAL, proposal_id)


async def close_proposal(conn: asyncpg.Connection, proposal_id: str, status: str, at: datetime,
                         user_id: str | None = None, reason: str | None = None,
                         reservation_id: str | None = None) -> None:
    await conn.execute(CLOSE_PROPOSAL, proposal_id, status, at, user_id, reason, reservation_id)


async def count_met(conn: asyncpg.Connection, need_id: str, at: datetime) -> str:
    return str(await conn.fetchval(COUNT_MET, need_id, at))


async def open_proposals_of_need(conn: asyncpg.Connection, need_id: str) -> list[asyncpg.Record]:
    return list(await conn.fetch(OPEN_PROPOSALS_OF_NEED, need_id))


async def proposals_of_org(conn: asyncpg.Connection, org: str, status: str | None, limit: int) -> list[asyncpg.Record]:
    return list(await conn.fetch(PROPOSALS_OF_ORG, org, status, limit))


async def unproposed_refurbished(conn: asyncpg.Connection, before: datetime, limit: int) -> list[str]:
    return [str(r["id"]) for r in await conn.fetch(UNPROPOSED_REFURBISHED, before, limit)]


async def org_slugs(conn: asyncpg.Connection) -> set[str]:
    return {r["slug"] for r in await conn.fetch("SELECT slug FROM organisations")}


async def active_reservation(conn: asyncpg.Connection, asset_id: str) -> str | None:
    value = await conn.fetchval("SELECT id FROM reservations WHERE asset_id = $1 AND status = 'active'", asset_id)
    return str(value) if value is not None else None


async def mark_checked(conn: asyncpg.Connection, asset_id: str, at: datetime) -> None:
    await conn.execute(MARK_CHECKED, asset_id, at)
