"""SQL behind the open-data export: only public columns are ever selected (no serial, no inventory number,
no site, no notes, no user)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg

DEVICES = """
SELECT a.id::text AS asset_id, a.code, a.category, a.brand, a.model, a.year, a.condition, a.has_storage, a.state,
       a.grade, a.pays_code AS pays, d.slug AS donor, c.slug AS custodian, a.weight_kg, a.retired_at, a.updated_at
FROM assets a JOIN organisations d ON d.id = a.donor_org_id LEFT JOIN organisations c ON c.id = a.custodian_org_id
ORDER BY a.id
"""
EVENTS = """
SELECT asset_id::text AS asset_id, sequence, event_id::text AS event_id, type, occurred_at,
       actor->>'org' AS actor_org, actor->>'system' AS actor_system, payload, prev_hash, hash
FROM asset_events ORDER BY asset_id, sequence
"""


async def stream(conn: asyncpg.Connection, sql: str) -> AsyncIterator[asyncpg.Record]:
    """Rows through a server-side cursor (the caller holds a transaction)."""
    async for row in conn.cursor(sql, prefetch=5000):
        yield row
