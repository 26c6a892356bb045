"""SQL for the routing settings admins edit, and their change record."""

from __future__ import annotations

from typing import Any

import asyncpg

OVERRIDES = "SELECT key, value FROM routing_settings"
UPSERT = """
INSERT INTO routing_settings (key, value, changed_at) VALUES ($1, $2, now())
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, changed_at = now()
"""
RECORD_CHANGE = "INSERT INTO routing_settings_changes (key, old_value, new_value, changed_by) VALUES ($1, $2, $3, $4)"
HISTORY = """
SELECT c.key, c.old_value, c.new_value, c.changed_at, u.email AS changed_by
FROM routing_settings_changes c LEFT JOIN users u ON u.id = c.changed_by
ORDER BY c.id DESC LIMIT $1
"""


async def overrides(conn: asyncpg.Connection) -> dict[str, Any]:
    return {r["key"]: r["value"] for r in await conn.fetch(OVERRIDES)}


async def save(conn: asyncpg.Connection, key: str, old: Any, new: Any, user_id: str) -> None:
    await conn.execute(UPSERT, key, new)
    await conn.execute(RECORD_CHANGE, key, old, new, user_id)


async def history(conn: asyncpg.Connection, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(HISTORY, limit)
