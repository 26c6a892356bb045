"""SQL of the needs report (issue 21): demand against what was met, and the devices' second lives by
beneficiary category. $1 from (inclusive), $2 to (exclusive), $3 pays, as the other reports' filters
(`ReportFilter.args`, less the donor: a need has none)."""

from __future__ import annotations

from typing import Any

import asyncpg

NEEDS = """
SELECT o.pays_code AS pays, n.category, n.beneficiary_category,
       count(*)::int AS posted,
       count(*) FILTER (WHERE n.met_count >= n.quantity)::int AS met,
       count(*) FILTER (WHERE n.met_count > 0 AND n.met_count < n.quantity)::int AS partly_met,
       count(*) FILTER (WHERE n.met_count = 0)::int AS unmet,
       sum(n.quantity)::int AS devices_asked, sum(n.met_count)::int AS devices_received
FROM needs n JOIN organisations o ON o.id = n.org_id
WHERE ($1::timestamptz IS NULL OR n.created_at >= $1) AND ($2::timestamptz IS NULL OR n.created_at < $2)
  AND ($3::text IS NULL OR o.pays_code = $3)
GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
"""
MEDIAN_DAYS_TO_MEET = """
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM n.met_at - n.created_at) / 86400.0)
FROM needs n JOIN organisations o ON o.id = n.org_id
WHERE n.met_at IS NOT NULL
  AND ($1::timestamptz IS NULL OR n.created_at >= $1) AND ($2::timestamptz IS NULL OR n.created_at < $2)
  AND ($3::text IS NULL OR o.pays_code = $3)
"""
# Deliveries and loans in the period, by the beneficiary category their events name.
SECOND_LIVES = """
SELECT e.payload->>'beneficiary_category' AS beneficiary_category,
       count(*) FILTER (WHERE e.type = 'asset.delivered')::int AS delivered,
       count(*) FILTER (WHERE e.type = 'asset.lent')::int AS lent
FROM asset_events e JOIN assets a ON a.id = e.asset_id
WHERE e.type IN ('asset.delivered', 'asset.lent')
  AND ($1::timestamptz IS NULL OR e.occurred_at >= $1) AND ($2::timestamptz IS NULL OR e.occurred_at < $2)
  AND ($3::text IS NULL OR a.pays_code = $3)
GROUP BY 1 ORDER BY 1
"""


async def needs(conn: asyncpg.Connection, args: tuple[Any, ...]) -> list[dict[str, Any]]:
    return [dict(r) for r in await conn.fetch(NEEDS, *args)]


async def median_days_to_meet(conn: asyncpg.Connection, args: tuple[Any, ...]) -> float | None:
    value = await conn.fetchval(MEDIAN_DAYS_TO_MEET, *args)
    return None if value is None else round(float(value), 1)


async def second_lives(conn: asyncpg.Connection, args: tuple[Any, ...]) -> list[dict[str, Any]]:
    return [dict(r) for r in await conn.fetch(SECOND_LIVES, *args)]
