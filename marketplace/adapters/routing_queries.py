"""Readable SQL for what the routing policy needs: each candidate's load and record, each device's facts."""

from __future__ import annotations

from datetime import datetime

import asyncpg

# Load = devices the organisation holds now (custody passed to it and not yet out of its hands) plus
# devices it claimed and has not collected yet (still in the donor's custody, but promised to it).
# Received and no-shows count over the fairness window, by when the offer was closed. All three come from
# the read model of migration 0028_3 (kept by triggers in the same transactions): the load's slots, the
# whole days of the window from the daily figures, and the window's first, partial day from the offers
# themselves (offers_org_status_closed_idx: one day of one organisation's offers at most). Nothing here
# grows with the devices in the database.
_FIRST_DAY_END = "(((($2::timestamptz AT TIME ZONE 'UTC')::date + 1)::timestamp) AT TIME ZONE 'UTC')"
ROUTING_CANDIDATES = f"""
SELECT o.slug, o.kind, o.pays_code, o.accepted_categories, o.capacity,
       COALESCE((SELECT sum(s.load) FROM org_load_slots s WHERE s.org_id = o.id), 0)::bigint AS load,
       COALESCE((SELECT sum(d.received) FROM org_outcome_days d
                  WHERE d.org_id = o.id AND d.day > ($2::timestamptz AT TIME ZONE 'UTC')::date), 0)::bigint
     + (SELECT count(*) FROM offers f WHERE f.org_id = o.id AND f.status = 'claimed'
          AND f.closed_at >= $2 AND f.closed_at < {_FIRST_DAY_END}) AS received,
       COALESCE((SELECT sum(d.no_shows) FROM org_outcome_days d
                  WHERE d.org_id = o.id AND d.day > ($2::timestamptz AT TIME ZONE 'UTC')::date), 0)::bigint
     + (SELECT count(*) FROM offers f WHERE f.org_id = o.id AND f.status = 'no_show'
          AND f.closed_at >= $2 AND f.closed_at < {_FIRST_DAY_END}) AS no_shows
FROM organisations o
WHERE o.kind = ANY($1::text[]) AND o.capacity > 0
ORDER BY o.slug
"""

# The reconciliation check: each organisation whose maintained figures differ from a recount over every
# device and offer (the query routing ran before 0028_3). Empty when the read model is right.
FIGURES_DRIFT = """
WITH counted AS (
    SELECT o.id,
           (SELECT count(*) FROM assets a WHERE a.custodian_org_id = o.id
              AND a.state NOT IN ('delivered', 'harvested', 'recycled', 'written_off'))
         + (SELECT count(*) FROM offers f JOIN assets a ON a.id = f.asset_id
              WHERE f.org_id = o.id AND f.status = 'claimed' AND a.state = 'claimed') AS load,
           (SELECT count(*) FROM offers f WHERE f.org_id = o.id AND f.status = 'claimed'
              AND f.closed_at IS NOT NULL) AS received,
           (SELECT count(*) FROM offers f WHERE f.org_id = o.id AND f.status = 'no_show'
              AND f.closed_at IS NOT NULL) AS no_shows
    FROM organisations o
), kept AS (
    SELECT o.id,
           COALESCE((SELECT sum(load) FROM org_load_slots s WHERE s.org_id = o.id), 0) AS load,
           COALESCE((SELECT sum(received) FROM org_outcome_days d WHERE d.org_id = o.id), 0) AS received,
           COALESCE((SELECT sum(no_shows) FROM org_outcome_days d WHERE d.org_id = o.id), 0) AS no_shows
    FROM organisations o
)
SELECT o.slug, c.load AS counted_load, k.load AS kept_load, c.received AS counted_received,
       k.received AS kept_received, c.no_shows AS counted_no_shows, k.no_shows AS kept_no_shows
FROM counted c JOIN kept k USING (id) JOIN organisations o USING (id)
WHERE (c.load, c.received, c.no_shows) <> (k.load, k.received, k.no_shows)
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


async def figures_drift(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    """Organisations whose routing figures differ from the recount (none when the read model holds)."""
    return await conn.fetch(FIGURES_DRIFT)


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
