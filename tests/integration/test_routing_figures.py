"""The routing figures (load, received, no-shows) kept by migration 0028_3's triggers equal a recount over every
device and offer after a random lifecycle through the real services and timers, and the candidates query
gives what the former count-everything query gave, for any fairness window."""

from __future__ import annotations

import contextlib
import random
from datetime import UTC, datetime, timedelta

from marketplace.adapters import routing_queries as rq
from marketplace.domain.errors import DomainError
from marketplace.timers.jobs import Timers
from tests.integration.journeys import PATH, SIDE_EXITS, Journeys
from tests.integration.stack import Stack

# The candidates query before 0028_3: counts every device each organisation holds (the oracle).
COUNT_EVERYTHING = """
SELECT o.slug,
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
KINDS = ["association", "fablab", "recycler", "tiers_lieu"]


async def _drift(stack: Stack) -> list[object]:
    async with stack.pool.acquire() as conn:
        return [dict(r) for r in await rq.figures_drift(conn)]


async def test_the_figures_equal_the_recount_after_a_random_lifecycle(stack: Stack) -> None:
    rng = random.Random(22)
    journeys = Journeys(stack)
    states = ["retired", "offered", *PATH, *SIDE_EXITS]
    codes = []
    for _ in range(12):
        codes.append(await journeys.device_in(rng.choice(states)))
        assert await _drift(stack) == []
    for code in rng.sample(codes, 4):  # declines and claims on whatever is still offered
        with contextlib.suppress(DomainError):  # not offered (any more): the refusal changes nothing
            await journeys.act("refurbisher", code, rng.choice(["claim", "decline"]), {})
    assert await _drift(stack) == []
    # Every claim lapses (no pickup deadline left): no-shows for the claimers, the devices routed again.
    lapsing = stack.settings.model_copy(update={"pickup_deadline_hours": 0})
    await Timers(stack.pool, lapsing).tick()
    async with stack.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM offers WHERE status = 'no_show'") > 0
    assert await _drift(stack) == []


async def test_the_candidates_query_gives_what_counting_everything_gave(stack: Stack) -> None:
    rng = random.Random(3)
    journeys = Journeys(stack)
    for state in ["claimed", "claimed", "collected", "delivered", "recycled", "refurbished", "offered"]:
        await journeys.device_in(state)
    now = datetime.now(UTC)
    async with stack.pool.acquire() as conn:
        # Closing times spread over two months, each on its own (the trigger moves it to its day).
        for offer in await conn.fetch("SELECT id FROM offers WHERE status IN ('claimed', 'no_show')"):
            await conn.execute("UPDATE offers SET closed_at = $2 WHERE id = $1", offer["id"],
                               now - timedelta(minutes=rng.randint(0, 60 * 24 * 60)))
        await conn.execute("UPDATE offers SET status = 'no_show' WHERE id = (SELECT id FROM offers "
                           "WHERE status = 'claimed' ORDER BY id LIMIT 1)")
        assert await rq.figures_drift(conn) == []
        for days in (0, 1, 7, 30, 45, 90):
            since = now - timedelta(days=days, minutes=rng.randint(0, 1440))
            expected = [tuple(r) for r in await conn.fetch(COUNT_EVERYTHING, KINDS, since)]
            kept = [(r["slug"], r["load"], r["received"], r["no_shows"])
                    for r in await rq.routing_candidates(conn, KINDS, since)]
            assert kept == expected, days
        assert any(load for _, load, _, _ in kept)
