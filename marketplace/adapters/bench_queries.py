"""SQL the benchmark needs (setting up claimers, reading what a run produced)."""

from __future__ import annotations

import asyncpg

OFFERED_IN_RUN = "SELECT count(*) FROM assets WHERE request_id LIKE $1 AND state = 'offered'"
UNPUBLISHED_OUTBOX = "SELECT count(*) FROM outbox WHERE published_at IS NULL"
OFFER_TIMES_IN_RUN = """
SELECT a.request_id, e.occurred_at FROM assets a
JOIN asset_events e ON e.asset_id = a.id AND e.type = 'asset.offered' WHERE a.request_id LIKE $1
"""
ADD_CLAIMER = """
INSERT INTO organisations (id, slug, name, kind, pays_code, town, accepted_categories, capacity)
VALUES ($1, $2, $2, 'association', 'BREST', 'Brest', '{laptop}', 100000)
"""
ADD_CLAIMER_USER = """
INSERT INTO users (id, org_id, email, display_name, password_hash)
SELECT $1, id, $2, $2, $3 FROM organisations WHERE slug = $4
"""
# Offer each of the run's offered devices to one more claimer, round-robin over the claimers.
OFFER_TO_CLAIMERS = """
INSERT INTO offers (id, asset_id, org_id, round, score, reasons, status, created_at, expires_at)
SELECT gen_random_uuid(), a.id, o.id, a.routing_round, 1.0, '[]', 'open', now(), now() + interval '1 day'
FROM (SELECT id, routing_round, row_number() OVER (ORDER BY id) - 1 AS n FROM assets
      WHERE request_id LIKE $1 AND state = 'offered' ORDER BY id LIMIT $4) a
JOIN (SELECT id, row_number() OVER (ORDER BY slug) - 1 AS n FROM organisations WHERE slug LIKE $2) o
  ON o.n = a.n % $3
RETURNING asset_id, org_id
"""
CODES_OFFERED_TO = """
SELECT a.code FROM offers f JOIN assets a ON a.id = f.asset_id JOIN organisations o ON o.id = f.org_id
WHERE o.slug = $1 AND f.status = 'open' ORDER BY a.code
"""


async def offered_in_run(conn: asyncpg.Connection, run: str) -> int:
    return int(await conn.fetchval(OFFERED_IN_RUN, f"bench-{run}-%"))


async def unpublished_outbox(conn: asyncpg.Connection) -> int:
    return int(await conn.fetchval(UNPUBLISHED_OUTBOX))


async def offer_times_in_run(conn: asyncpg.Connection, run: str) -> list[asyncpg.Record]:
    return await conn.fetch(OFFER_TIMES_IN_RUN, f"bench-{run}-%")


async def add_claimer(conn: asyncpg.Connection, org_id: str, user_id: str, slug: str, email: str,
                      password_hash: str) -> None:
    await conn.execute(ADD_CLAIMER, org_id, slug)
    await conn.execute(ADD_CLAIMER_USER, user_id, email, password_hash, slug)


async def offer_to_claimers(conn: asyncpg.Connection, run: str, slug_prefix: str, claimers: int, devices: int) -> int:
    return len(await conn.fetch(OFFER_TO_CLAIMERS, f"bench-{run}-%", f"{slug_prefix}-%", claimers, devices))


async def codes_offered_to(conn: asyncpg.Connection, slug: str) -> list[str]:
    return [r["code"] for r in await conn.fetch(CODES_OFFERED_TO, slug)]
