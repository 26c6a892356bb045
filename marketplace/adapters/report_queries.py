"""SQL behind the auditors' reports (`marketplace/reports/`): grouped, indexed, bounded.

Every query takes the same four filters first: $1 from (timestamptz, inclusive), $2 to (exclusive),
$3 donor slug, $4 pays code; NULL means "any". Which moment the period applies to is stated per query.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

# The device filter; the period applies to the retirement.
_DEVICES = """
($1::timestamptz IS NULL OR a.retired_at >= $1) AND ($2::timestamptz IS NULL OR a.retired_at < $2)
AND ($3::text IS NULL OR a.donor_org_id = (SELECT id FROM organisations WHERE slug = $3))
AND ($4::text IS NULL OR a.pays_code = $4)
"""
# Donor and pays only (the period applies to another moment: an offer, a delivery, a recycling).
_WHO = """
($3::text IS NULL OR a.donor_org_id = (SELECT id FROM organisations WHERE slug = $3))
AND ($4::text IS NULL OR a.pays_code = $4)
"""

FLOWS = f"""
SELECT GROUPING(a.state) = 0 AS by_state, GROUPING(a.category) = 0 AS by_category, GROUPING(d.slug) = 0 AS by_donor,
       GROUPING(a.pays_code) = 0 AS by_pays,
       a.state, a.category, d.slug AS donor, a.pays_code AS pays,
       to_char(date_trunc('month', a.retired_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month, count(*) AS devices
FROM assets a JOIN organisations d ON d.id = a.donor_org_id
WHERE {_DEVICES}
GROUP BY GROUPING SETS ((a.state), (a.category), (d.slug), (a.pays_code),
                        (to_char(date_trunc('month', a.retired_at AT TIME ZONE 'UTC'), 'YYYY-MM')))
"""

# A stay in a state runs from the event that entered it to the next state-changing event; a declined offer
# leaves the device `offered`, so it is not a boundary. Stays not yet over are counted apart. The stays are
# the `state_stays` read model (migration 0010), written with the events by a trigger; over everything, the
# (state, seconds) index gives them in order.
_STAYS = """
($1::timestamptz IS NULL OR e.retired_at >= $1) AND ($2::timestamptz IS NULL OR e.retired_at < $2)
AND ($3::text IS NULL OR e.donor_org_id = (SELECT id FROM organisations WHERE slug = $3))
AND ($4::text IS NULL OR e.pays_code = $4)
"""
TIME_IN_STATE = f"""
SELECT e.state, count(e.seconds) AS stays, count(*) - count(e.seconds) AS current,
       round((avg(e.seconds) / 3600)::numeric, 1) AS mean_hours,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY e.seconds) / 3600)::numeric, 1) AS median_hours
FROM state_stays e
WHERE {_STAYS}
GROUP BY e.state ORDER BY e.state
"""

# Offers are filtered by donor and pays through their device only when asked (no join otherwise).
_OFFER_WHO = """
(($3::text IS NULL AND $4::text IS NULL) OR EXISTS (SELECT 1 FROM assets a WHERE a.id = f.asset_id AND
 ($3::text IS NULL OR a.donor_org_id = (SELECT id FROM organisations WHERE slug = $3))
 AND ($4::text IS NULL OR a.pays_code = $4)))
"""

OFFERS = f"""
SELECT f.status, count(*) AS offers
FROM offers f
WHERE ($1::timestamptz IS NULL OR f.created_at >= $1) AND ($2::timestamptz IS NULL OR f.created_at < $2)
  AND {_OFFER_WHO}
GROUP BY f.status ORDER BY f.status
"""

NO_SHOWS = f"""
SELECT o.slug AS org, o.name, count(*) FILTER (WHERE f.status = 'no_show') AS no_shows,
       count(*) FILTER (WHERE f.status IN ('claimed', 'no_show')) AS claims
FROM offers f JOIN organisations o ON o.id = f.org_id
WHERE ($1::timestamptz IS NULL OR f.created_at >= $1) AND ($2::timestamptz IS NULL OR f.created_at < $2)
  AND {_OFFER_WHO} AND f.status IN ('claimed', 'no_show')
GROUP BY o.slug, o.name HAVING count(*) FILTER (WHERE f.status = 'no_show') > 0
ORDER BY no_shows DESC, o.slug
"""

# Under the age limit at retirement ($5 years); reuse is proven by a delivery in the trail.
_ELIGIBLE = "(a.year IS NOT NULL AND extract(year FROM a.retired_at AT TIME ZONE 'UTC')::int - a.year < $5)"
# `assets.delivered_at`: the first delivery, kept by the trigger of migration 0010.
_DELIVERED = "(a.delivered_at IS NOT NULL)"

COMPLIANCE = f"""
SELECT d.slug AS donor, d.name AS donor_name, extract(year FROM a.retired_at AT TIME ZONE 'UTC')::int AS year,
       count(*) AS retired, count(*) FILTER (WHERE {_ELIGIBLE}) AS eligible,
       count(*) FILTER (WHERE {_ELIGIBLE} AND {_DELIVERED}) AS reused,
       count(*) FILTER (WHERE {_ELIGIBLE} AND a.state IN ('refurbished', 'reserved') AND NOT {_DELIVERED})
           AS in_progress
FROM assets a JOIN organisations d ON d.id = a.donor_org_id
WHERE {_DEVICES}
GROUP BY d.slug, d.name, 3 ORDER BY d.slug, 3
"""

COMPLIANCE_EVIDENCE = f"""
SELECT a.code, d.slug AS donor, extract(year FROM a.retired_at AT TIME ZONE 'UTC')::int AS retired_year,
       a.category, a.brand, a.model, a.year, a.state,
       a.delivered_at
FROM assets a JOIN organisations d ON d.id = a.donor_org_id
WHERE {_DEVICES} AND {_ELIGIBLE}
ORDER BY d.slug, a.retired_at, a.code LIMIT $6
"""

# Each delivery with the checks recorded on the offer its claimer accepted (CG3P L3212-2: recipient kind,
# unit-value ceiling). The period applies to the delivery.
DELIVERIES = f"""
SELECT a.code, d.slug AS donor, a.unit_value_eur, dl.occurred_at AS delivered_at, dl.payload->>'to' AS third_place,
       dl.payload->>'beneficiary_category' AS beneficiary, c.payload->>'claimer' AS claimer, co.kind AS claimer_kind,
       (SELECT o->'eligibility' FROM asset_events oe CROSS JOIN jsonb_array_elements(oe.payload->'offers') o
        WHERE oe.asset_id = a.id AND oe.type = 'asset.offered' AND o->>'offer_id' = c.payload->>'offer_id'
        LIMIT 1) AS checks
FROM asset_events dl JOIN assets a ON a.id = dl.asset_id JOIN organisations d ON d.id = a.donor_org_id
LEFT JOIN LATERAL (SELECT ce.payload FROM asset_events ce WHERE ce.asset_id = a.id AND ce.type = 'asset.claimed'
                   AND ce.sequence < dl.sequence ORDER BY ce.sequence DESC LIMIT 1) c ON true
LEFT JOIN organisations co ON co.slug = c.payload->>'claimer'
WHERE dl.type = 'asset.delivered'
  AND ($1::timestamptz IS NULL OR dl.occurred_at >= $1) AND ($2::timestamptz IS NULL OR dl.occurred_at < $2)
  AND {_WHO}
ORDER BY dl.occurred_at DESC, a.code LIMIT $5
"""

# Reuse counted when the (first) delivery falls in the period.
_FIRST_DELIVERY = """
a.delivered_at IS NOT NULL AND ($1::timestamptz IS NULL OR a.delivered_at >= $1)
AND ($2::timestamptz IS NULL OR a.delivered_at < $2)
"""
REUSED_BY_CATEGORY = f"""
SELECT a.category, count(*) AS devices
FROM assets a
WHERE {_FIRST_DELIVERY} AND {_WHO}
GROUP BY a.category ORDER BY a.category
"""

REUSED_DEVICES = f"""
SELECT a.code, d.slug AS donor, a.category, a.brand, a.model, a.state, a.delivered_at
FROM assets a JOIN organisations d ON d.id = a.donor_org_id
WHERE {_FIRST_DELIVERY} AND {_WHO}
ORDER BY a.delivered_at DESC, a.code LIMIT $5
"""

# WEEE kilograms from the recyclers' slips; the period applies to the recycling.
WEEE = f"""
SELECT a.category, count(*) AS devices, coalesce(sum((e.payload->>'weight_kg')::numeric), 0) AS weight_kg
FROM asset_events e JOIN assets a ON a.id = e.asset_id
WHERE e.type = 'asset.recycled' AND ($1::timestamptz IS NULL OR e.occurred_at >= $1)
  AND ($2::timestamptz IS NULL OR e.occurred_at < $2) AND {_WHO}
GROUP BY a.category ORDER BY a.category
"""


async def fetch(conn: asyncpg.Connection, sql: str, filters: tuple[Any, ...], *extra: Any) -> list[asyncpg.Record]:
    return await conn.fetch(sql, *filters, *extra)


# The filters' choices on the reports page: donors (the Région and the lycées) and pays.
DONOR_CHOICES = "SELECT slug, name FROM organisations WHERE kind IN ('region', 'lycee') ORDER BY name"
PAYS_CHOICES = "SELECT code, name FROM pays ORDER BY name"

INSERT_TICKET = "INSERT INTO report_downloads (token_hash, user_id, request, expires_at) VALUES ($1, $2, $3, $4)"
PURGE_TICKETS = "DELETE FROM report_downloads WHERE expires_at < now() - interval '1 day'"
# Marks the ticket used in the statement that reads it; returns who asked, as they are now.
REDEEM_TICKET = """
WITH t AS (
    UPDATE report_downloads SET used_at = now()
    WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()
    RETURNING user_id, request
)
SELECT t.request, o.kind AS org_kind, u.is_admin
FROM t JOIN users u ON u.id = t.user_id JOIN organisations o ON o.id = u.org_id
WHERE NOT u.disabled
"""


async def insert_ticket(conn: asyncpg.Connection, token_hash: str, user_id: str, request: dict[str, Any],
                        expires_at: datetime) -> None:
    await conn.execute(PURGE_TICKETS)
    await conn.execute(INSERT_TICKET, token_hash, user_id, request, expires_at)


async def redeem_ticket(conn: asyncpg.Connection, token_hash: str) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(REDEEM_TICKET, token_hash)
    return row
