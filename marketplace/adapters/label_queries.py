"""SQL behind label sheets: which devices to print, and the one-time download tickets."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

# Every filter is optional; NULL means "any". A donor's own sheets always pass its slug.
LABEL_ROWS = """
SELECT a.code, a.category, a.brand, a.model, d.name AS donor_name
FROM assets a JOIN organisations d ON d.id = a.donor_org_id
WHERE ($1::text IS NULL OR d.slug = $1)
  AND ($2::text IS NULL OR a.state = $2)
  AND ($3::text[] IS NULL OR a.code = ANY($3::text[]))
ORDER BY a.retired_at, a.code
LIMIT $4
"""

INSERT_TICKET = """
INSERT INTO label_downloads (token_hash, user_id, selection, format, expires_at) VALUES ($1, $2, $3, $4, $5)
"""
PURGE_TICKETS = "DELETE FROM label_downloads WHERE expires_at < now() - interval '1 day'"

# Marks the ticket used in the same statement that reads it: two concurrent fetches cannot both win.
REDEEM_TICKET = """
WITH t AS (
    UPDATE label_downloads SET used_at = now()
    WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()
    RETURNING user_id, selection, format
)
SELECT t.selection, t.format, o.slug AS org_slug, o.kind AS org_kind
FROM t JOIN users u ON u.id = t.user_id JOIN organisations o ON o.id = u.org_id
WHERE NOT u.disabled
"""

async def label_rows(conn: asyncpg.Connection, donor: str | None, state: str | None,
                     codes: list[str] | None, limit: int) -> list[asyncpg.Record]:
    rows: list[asyncpg.Record] = await conn.fetch(LABEL_ROWS, donor, state, codes, limit)
    return rows

async def insert_ticket(conn: asyncpg.Connection, token_hash: str, user_id: str, selection: dict[str, Any],
                        fmt: str, expires_at: datetime) -> None:
    await conn.execute(PURGE_TICKETS)
    await conn.execute(INSERT_TICKET, token_hash, user_id, selection, fmt, expires_at)

async def redeem_ticket(conn: asyncpg.Connection, token_hash: str) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(REDEEM_TICKET, token_hash)
    return row

