"""SQL for the REST API: tokens, and the devices an organisation may list."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from marketplace.adapters.read_models import DEVICE_COLUMNS, DEVICE_FROM

INSERT_TOKEN = """
INSERT INTO api_tokens (id, org_id, name, token_hash, prefix, created_by, created_at, expires_at)
SELECT $1, o.id, $3, $4, $5, $6, now(), now() + make_interval(days => $7) FROM organisations o WHERE o.slug = $2
RETURNING created_at, expires_at
"""
TOKENS_OF_ORG = """
SELECT t.id, t.name, t.prefix, t.created_at, t.expires_at, t.last_used_at, t.revoked_at
FROM api_tokens t JOIN organisations o ON o.id = t.org_id WHERE o.slug = $1 ORDER BY t.created_at DESC
"""
REVOKE_TOKEN = """
UPDATE api_tokens t SET revoked_at = now() FROM organisations o
WHERE t.id = $1 AND o.id = t.org_id AND o.slug = $2 AND t.revoked_at IS NULL
"""
# A live token: not revoked, not past its end, and its creator still an enabled member of its enabled
# organisation. Decided here, on every request, so that disabling an account or an organisation stops its
# tokens at once; the flags say which rule refused, for a clear error.
PRINCIPAL = """
SELECT t.id, o.slug AS org_slug, o.name AS org_name, o.kind AS org_kind, t.expires_at,
       t.expires_at <= now() AS expired,
       (o.disabled OR u.id IS NULL OR u.disabled OR u.org_id <> t.org_id) AS disabled
FROM api_tokens t JOIN organisations o ON o.id = t.org_id LEFT JOIN users u ON u.id = t.created_by
WHERE t.token_hash = $1 AND t.revoked_at IS NULL
"""
# At most one write a minute per token: the column says "recently used", not "every call".
TOUCH = """
UPDATE api_tokens SET last_used_at = now()
WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
"""

# What an organisation sees in `GET /api/devices`: what it donated, holds, claimed, reserved or was offered;
# third places also see the catalogue (refurbished devices); auditors see everything. Newest change first,
# by keyset on (updated_at, id): each source of visibility is its own branch, read through its index in that
# order from the cursor on and cut at the page, so a page costs the same at any depth and for any
# organisation (`visible_devices_sql`). Only the filters given are in the text: each combination is its own
# prepared statement, with plans that use the indexes (migration 0028_2).
_ORG = "(SELECT id FROM organisations WHERE slug = $1)"
_BRANCHES = {
    "donor": ("assets a", f"a.donor_org_id = {_ORG}"),
    "custodian": ("assets a", f"a.custodian_org_id = {_ORG}"),
    "claimer": ("assets a", f"a.claimer_org_id = {_ORG}"),
    # Each open offer or active reservation of the organisation, then its device by primary key (OFFSET 0 keeps
    # the planner from hashing every device instead: these are few, the devices many).
    "offered": ((f"(SELECT f.asset_id FROM offers f WHERE f.org_id = {_ORG} AND f.status = 'open') v "
                "CROSS JOIN LATERAL (SELECT * FROM assets a WHERE a.id = v.asset_id OFFSET 0) a"), "true"),
    "reserved": ((f"(SELECT r.asset_id FROM reservations r WHERE r.org_id = {_ORG} AND r.status = 'active') v "
                 "CROSS JOIN LATERAL (SELECT * FROM assets a WHERE a.id = v.asset_id OFFSET 0) a"), "true"),
}
_CATALOGUE = ("assets a", "a.state = 'refurbished'")
_EVERYTHING = ("assets a", "true")
# $1 organisation, $2 cursor's updated_at, $3 cursor's id, $4 rows each branch reads, $5 page, $6 offset; then
# the filters given, in this order.
_FILTERS = [("state", "a.state = ${}"), ("category", "a.category = ${}"),
            ("donor", "a.donor_org_id = (SELECT id FROM organisations WHERE slug = ${})"),
            ("updated_since", "a.updated_at >= ${}::timestamptz")]


def visible_devices_sql(everything: bool, catalogue: bool, given: tuple[bool, bool, bool, bool]) -> str:
    where = ["(a.updated_at, a.id) < ($2::timestamptz, $3::uuid)"]
    n = 7
    for (_, condition), present in zip(_FILTERS, given, strict=True):
        if present:
            where.append(condition.format(n))
            n += 1
    sources = [_EVERYTHING] if everything else [*_BRANCHES.values(), *([_CATALOGUE] if catalogue else [])]
    branches = " UNION ".join(
        f"(SELECT a.id, a.updated_at FROM {table} WHERE {' AND '.join([visible, *where])} "
        "ORDER BY a.updated_at DESC, a.id DESC LIMIT $4)" for table, visible in sources)
    # $1 is referenced by every text (PostgreSQL must type each parameter), even the auditors' one.
    return f"""
SELECT {DEVICE_COLUMNS} {DEVICE_FROM} JOIN ({branches}) k ON k.id = a.id
WHERE $1::text IS NOT NULL
ORDER BY a.updated_at DESC, a.id DESC LIMIT $5 OFFSET $6
"""


async def insert_token(conn: asyncpg.Connection, values: tuple[Any, ...]) -> asyncpg.Record | None:
    """(id, org slug, name, hash, prefix, creator, lifetime in days) -> its created_at and expires_at."""
    return await conn.fetchrow(INSERT_TOKEN, *values)


async def tokens_of_org(conn: asyncpg.Connection, org: str) -> list[asyncpg.Record]:
    return await conn.fetch(TOKENS_OF_ORG, org)


async def revoke_token(conn: asyncpg.Connection, token_id: str, org: str) -> bool:
    return await conn.execute(REVOKE_TOKEN, token_id, org) == "UPDATE 1"


async def principal(conn: asyncpg.Connection, token_hash: str) -> asyncpg.Record | None:
    """The token's row with its `expired` and `disabled` flags; its last use recorded only if it is live."""
    row = await conn.fetchrow(PRINCIPAL, token_hash)
    if row is not None and not row["expired"] and not row["disabled"]:
        await conn.execute(TOUCH, row["id"])
    return row


async def visible_devices(conn: asyncpg.Connection, everything: bool, org: str, catalogue: bool,
                          filters: tuple[Any, ...], after: tuple[datetime, str], limit: int,
                          offset: int) -> list[asyncpg.Record]:
    """One page (newest change first) after `after` (updated_at, id), skipping `offset` more rows."""
    given = tuple(f is not None for f in filters)
    sql = visible_devices_sql(everything, catalogue, given)  # type: ignore[arg-type]
    return await conn.fetch(sql, org, after[0], after[1], limit + offset, limit, offset,
                            *(f for f in filters if f is not None))
