"""SQL for one-time handover codes (`handover_codes`, migration 0018; the rules are `domain/handover.py`).

Every statement runs while the caller holds the device's row lock (`lifecycle_store.lock_facts`), so the
codes of one device are shown, tried and used one after the other.
"""

from __future__ import annotations

from datetime import datetime

import asyncpg

from marketplace.domain.handover import LiveCode

# A new code replaces the old one of the same handover, whatever became of it (used, expired, void).
SHOW = """
INSERT INTO handover_codes AS h (asset_id, handover, code_hash, giver_org_id, receiver_org_id, shown_by,
                                 created_at, expires_at)
SELECT $1, $2, $3, g.id, r.id, $6, $7, $8 FROM organisations g, organisations r WHERE g.slug = $4 AND r.slug = $5
ON CONFLICT (asset_id, handover) DO UPDATE SET
    code_hash = EXCLUDED.code_hash, giver_org_id = EXCLUDED.giver_org_id,
    receiver_org_id = EXCLUDED.receiver_org_id, shown_by = EXCLUDED.shown_by, created_at = EXCLUDED.created_at,
    expires_at = EXCLUDED.expires_at, wrong_tries = 0, used_at = NULL
"""
LIVE = """
SELECT h.code_hash, g.slug AS giver, r.slug AS receiver, h.shown_by, h.expires_at, h.wrong_tries,
       h.used_at IS NOT NULL AS used
FROM handover_codes h
JOIN organisations g ON g.id = h.giver_org_id
JOIN organisations r ON r.id = h.receiver_org_id
WHERE h.asset_id = $1 AND h.handover = $2
"""
COUNT_WRONG = """
UPDATE handover_codes SET wrong_tries = wrong_tries + 1 WHERE asset_id = $1 AND handover = $2
RETURNING wrong_tries
"""
USE = "UPDATE handover_codes SET used_at = $3 WHERE asset_id = $1 AND handover = $2 AND used_at IS NULL"


async def show(conn: asyncpg.Connection, asset_id: str, handover: str, code_hash: str, giver: str, receiver: str,
               shown_by: str, at: datetime, expires_at: datetime) -> None:
    await conn.execute(SHOW, asset_id, handover, code_hash, giver, receiver, shown_by, at, expires_at)


async def live(conn: asyncpg.Connection, asset_id: str, handover: str) -> tuple[LiveCode, str] | None:
    """The device's code for this handover and who showed it, or None."""
    row = await conn.fetchrow(LIVE, asset_id, handover)
    if row is None:
        return None
    code = LiveCode(digest=row["code_hash"], giver=row["giver"], receiver=row["receiver"],
                    expires_at=row["expires_at"], wrong_tries=row["wrong_tries"], used=row["used"])
    return code, row["shown_by"]


async def count_wrong(conn: asyncpg.Connection, asset_id: str, handover: str) -> int:
    """One more wrong try; how many there have been."""
    return int(await conn.fetchval(COUNT_WRONG, asset_id, handover))


async def use(conn: asyncpg.Connection, asset_id: str, handover: str, at: datetime) -> None:
    await conn.execute(USE, asset_id, handover, at)
