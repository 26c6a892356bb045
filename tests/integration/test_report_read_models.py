"""The reports' read models (migration 0010) against the trail they are projected from.

The trigger on asset_events keeps `state_stays` and `assets.delivered_at` in the same transaction as the
events; the migration's backfill must give the same rows as the trigger did.
"""

from __future__ import annotations

from importlib import resources

import pytest

from marketplace.domain.lifecycle import TRANSITIONS
from tests.integration.journeys import Journeys
from tests.integration.stack import Stack

DOMAIN_STATES = {"asset.retired": "retired"} | {t: tr.target.value for t, tr in TRANSITIONS.items()}
_STATE_AFTER = "CASE e.type " + " ".join(f"WHEN '{t}' THEN '{s}'" for t, s in DOMAIN_STATES.items()) + " END"
# What the reports computed from the trail before the read models existed (the reference).
STAYS_FROM_TRAIL = f"""
SELECT asset_id, sequence, state, entered_at, left_at, extract(epoch FROM left_at - entered_at)::float8,
       donor_org_id, pays_code, retired_at
FROM (SELECT e.asset_id, e.sequence, {_STATE_AFTER} AS state, e.occurred_at AS entered_at,
             lead(e.occurred_at) OVER (PARTITION BY e.asset_id ORDER BY e.sequence) AS left_at,
             a.donor_org_id, a.pays_code, a.retired_at
      FROM asset_events e JOIN assets a ON a.id = e.asset_id
      WHERE e.type <> 'asset.offer_declined') s
ORDER BY 1, 2
"""
STAYS = ("SELECT asset_id, sequence, state, entered_at, left_at, seconds, donor_org_id, pays_code, retired_at "
         "FROM state_stays ORDER BY 1, 2")
FIRST_DELIVERY_FROM_TRAIL = """
SELECT a.id, (SELECT e.occurred_at FROM asset_events e WHERE e.asset_id = a.id AND e.type = 'asset.delivered'
              ORDER BY e.sequence LIMIT 1) AS delivered_at
FROM assets a ORDER BY a.id
"""
DELIVERED_AT = "SELECT id, delivered_at FROM assets ORDER BY id"


@pytest.fixture
async def journeys(stack: Stack) -> Journeys:
    j = Journeys(stack)
    for state in ("delivered", "returned", "recycled", "claimed", "retired"):
        await j.device_in(state)
    return j


class TestReportReadModels:
    async def test_the_event_states_table_is_the_domains_transition_table(self, stack: Stack) -> None:
        async with stack.pool.acquire() as conn:
            rows = await conn.fetch("SELECT type, state FROM event_states")
        assert {r["type"]: r["state"] for r in rows} == DOMAIN_STATES

    async def test_the_trigger_keeps_stays_and_first_deliveries_like_the_trail(self, stack: Stack,
                                                                               journeys: Journeys) -> None:
        async with stack.pool.acquire() as conn:
            stays = [tuple(r) for r in await conn.fetch(STAYS)]
            assert stays == [tuple(r) for r in await conn.fetch(STAYS_FROM_TRAIL)]
            assert sum(1 for s in stays if s[4] is None) == await conn.fetchval("SELECT count(*) FROM assets")
            deliveries = [tuple(r) for r in await conn.fetch(DELIVERED_AT)]
            assert deliveries == [tuple(r) for r in await conn.fetch(FIRST_DELIVERY_FROM_TRAIL)]
            assert sum(1 for d in deliveries if d[1] is not None) == 2  # the returned device still counts

    async def test_the_migration_backfills_the_same_rows(self, stack: Stack, journeys: Journeys) -> None:
        sql = resources.files("marketplace").joinpath("adapters/migrations/0010_report_read_models.sql").read_text()
        async with stack.pool.acquire() as conn:
            before = ([tuple(r) for r in await conn.fetch(STAYS)], [tuple(r) for r in await conn.fetch(DELIVERED_AT)])
            async with conn.transaction():
                await conn.execute("DELETE FROM state_stays")
                await conn.execute("UPDATE assets SET delivered_at = NULL")
                await conn.execute(sql)
            after = ([tuple(r) for r in await conn.fetch(STAYS)], [tuple(r) for r in await conn.fetch(DELIVERED_AT)])
        assert after == before and before[0]
