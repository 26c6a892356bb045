"""Readable SQL for what the routing policy needs: each candidate's load and record, each device's facts."""

from __future__ import annotations

from datetime import datetime

import asyncpg

# Load = devices the organisation holds now (custody passed to it and not yet out of its hands) plus
# devices it claimed and has not collected yet (still in the donor's custody, but promised to it).
# Received and no-shows count over the fairness window, by when the offer was closed.
ROUTING_CANDIDATES = """
SELECT o.slug, o.kind, o.pays_code, o.accepted_categories, o.capacity,
       (SELECT count(*) FROM assets a
         WHERE a.custodian_org_id = o.id
           AND a.state NOT IN ('delivered', 'harvested', 'recycled', 'written_off'))
     + (SELECT count(*) FROM offers f JOIN assets a ON a.id = f.asset_id
         WHERE f.org_id = o.id AND f.status = 'claimed' AND a.state = 'claimed') AS load,
       (SELECT count(*) FROM offers f
         WHERE f.org_id = o.id AND f.status = 'claimed' AND f.closed_at >= $2) AS received,
       (SELECT count(*) FROM offers f
         WHERE f.org_id = o.id AND f.status = 'no_show' AND f.closed_at >= $2) AS no_shows
FROM organisations o
WHERE o.kind = ANY($1::text[]) AND o.capacity > 0
ORDER BY o.slug
"""

# The device facts of routing, locked: the router is the only writer of a `retired` device's offers.
LOCK_DEVICE_FOR_ROUTING = """
SELECT id, category, pays_code, year, condition, unit_value_eur, has_storage, state, version, last_hash,
       routing_round
FROM assets WHERE id = $1 FOR UPDATE
"""


async def routing_candidates(conn: asyncpg.Connection, kinds: list[str], since: datetime) -> list[asyncpg.Record]:
    """Organisations of the given kinds with a declared capacity, with load, received and no-shows."""
    rows: list[asyncpg.Record] = await conn.fetch(ROUTING_CANDIDATES, kinds, since)
    return rows


async def lock_device_for_routing(conn: asyncpg.Connection, asset_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(LOCK_DEVICE_FOR_ROUTING, asset_id)


# The latest retired devices, whatever their state now: the sample on which /admin/routage shows what a
# change of the weights or of k would do, each routed again as if it were retired now (read only).
ROUTING_SAMPLE = """
SELECT a.code, a.brand, a.model, a.category, a.pays_code, a.year, a.condition, a.unit_value_eur, a.has_storage
FROM assets a ORDER BY a.retired_at DESC, a.id LIMIT $1
"""


async def routing_sample(conn: asyncpg.Connection, limit: int) -> list[asyncpg.Record]:
    rows: list[asyncpg.Record] = await conn.fetch(ROUTING_SAMPLE, limit)
    return rows


async def organisation_names(conn: asyncpg.Connection, slugs: list[str]) -> dict[str, str]:
    rows = await conn.fetch("SELECT slug, name FROM organisations WHERE slug = ANY($1::text[])", slugs)
    return {r["slug"]: r["name"] for r in rows}
