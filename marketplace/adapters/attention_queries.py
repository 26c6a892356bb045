"""What needs someone's attention now, counted in one round trip (the home page of each role)."""

from __future__ import annotations

import asyncpg

# $1: the caller's organisation slug; $2: the routing rounds after which a device counts as unclaimed.
# Every count is cheap: each filter matches a partial or plain index (offers_open_by_org_idx,
# assets_custodian_updated_idx, assets_claimer_updated_idx, reservations_active_by_org_idx, dead_letters_status_idx).
ATTENTION_COUNTS = """
WITH me AS (SELECT id FROM organisations WHERE slug = $1)
SELECT
  (SELECT count(*) FROM offers f, me
    WHERE f.org_id = me.id AND f.status = 'open'
      AND f.expires_at > now() AND f.expires_at <= now() + interval '24 hours') AS offers_expiring,
  (SELECT count(*) FROM assets a, me
    WHERE (a.custodian_org_id = me.id AND a.state IN ('collected', 'diagnosed', 'wiped', 'returned'))
       OR (a.claimer_org_id = me.id AND a.state = 'claimed')) AS devices_waiting,
  (SELECT count(*) FROM reservations r, me WHERE r.org_id = me.id AND r.status = 'active') AS reservations_to_collect,
  (SELECT count(*) FROM assets a, me WHERE a.donor_org_id = me.id AND a.state = 'claimed') AS donations_awaiting_pickup,
  (SELECT count(DISTINCT p.id) FROM pickups p JOIN pickup_devices pd ON pd.pickup_id = p.id
     JOIN assets a ON a.id = pd.asset_id, me
    WHERE p.claimer_org_id = me.id AND p.status = 'open' AND a.state = 'claimed'
      AND a.claimer_org_id = me.id) AS pickups_to_collect,
  (SELECT count(*) FROM dead_letters WHERE status = 'new') AS dead_letters,
  (SELECT count(*) FROM assets WHERE state = 'retired' AND routing_round >= $2) AS unclaimed_devices
"""


async def attention_counts(conn: asyncpg.Connection, org_slug: str, max_rounds: int) -> asyncpg.Record:
    return await conn.fetchrow(ATTENTION_COUNTS, org_slug, max_rounds)
