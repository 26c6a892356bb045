"""Documents made from the trail: the wipe event a certificate is made from, and one-time download tickets."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from marketplace.adapters.accounts import USER_COLUMNS

# The latest sanitisation of the device (a device wiped again after a return has a new certificate).
LATEST_WIPE = """
SELECT e.payload, e.actor->>'org' AS wiped_by, a.code, a.category, a.brand, a.model, a.serial
FROM asset_events e JOIN assets a ON a.id = e.asset_id
WHERE e.asset_id = $1 AND e.type = 'asset.wiped'
ORDER BY e.sequence DESC LIMIT 1
"""

INSERT_TICKET = """
INSERT INTO document_tickets (token_hash, user_id, kind, asset_id, expires_at) VALUES ($1, $2, $3, $4, $5)
"""
PURGE_TICKETS = "DELETE FROM document_tickets WHERE expires_at < now() - interval '1 day'"

# Marks the ticket used in the same statement that reads it: two concurrent fetches cannot both win.
REDEEM_TICKET = f"""
WITH t AS (
    UPDATE document_tickets SET used_at = now()
    WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()
    RETURNING user_id, kind, asset_id
)
SELECT t.kind, a.code AS asset_code, {USER_COLUMNS}
FROM t JOIN users u ON u.id = t.user_id JOIN organisations o ON o.id = u.org_id JOIN assets a ON a.id = t.asset_id
WHERE NOT u.disabled AND NOT o.disabled
"""


async def latest_wipe(conn: asyncpg.Connection, asset_id: str) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(LATEST_WIPE, asset_id)
    return row


async def insert_ticket(conn: asyncpg.Connection, token_hash: str, user_id: str, kind: str, asset_id: str,
                        expires_at: datetime) -> None:
    await conn.execute(PURGE_TICKETS)
    await conn.execute(INSERT_TICKET, token_hash, user_id, kind, asset_id, expires_at)


async def redeem_ticket(conn: asyncpg.Connection, token_hash: str) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(REDEEM_TICKET, token_hash)
    return row
