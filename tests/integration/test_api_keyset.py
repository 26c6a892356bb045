"""`GET /api/devices` pages by an opaque cursor (keyset on updated_at, id): every page of every organisation
lists exactly what the visibility rules let it see (checked against the rules written as one plain query), in
one stable order, none twice; an edited cursor, or one made for another query, is refused with a 400."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from marketplace.api.calls import ApiCalls
from marketplace.api.errors import status_of
from marketplace.domain.errors import InvalidInput
from schemas.views import UserView
from tests.integration.stack import Stack
from workers.bench.reports import load

# The visibility rules as they were written before the keyset (one OR per source), the oracle of this test.
ORACLE = """
SELECT a.id::text FROM assets a JOIN organisations d ON d.id = a.donor_org_id
LEFT JOIN organisations c ON c.id = a.custodian_org_id
WHERE ($1::boolean OR d.slug = $2 OR c.slug = $2
       OR a.claimer_org_id = (SELECT id FROM organisations WHERE slug = $2)
       OR ($3::boolean AND a.state = 'refurbished')
       OR EXISTS (SELECT 1 FROM offers f JOIN organisations fo ON fo.id = f.org_id
                  WHERE f.asset_id = a.id AND fo.slug = $2 AND f.status = 'open')
       OR EXISTS (SELECT 1 FROM reservations r JOIN organisations ro ON ro.id = r.org_id
                  WHERE r.asset_id = a.id AND ro.slug = $2 AND r.status = 'active'))
  AND ($4::text IS NULL OR a.state = $4) AND ($5::text IS NULL OR a.category = $5)
  AND ($6::text IS NULL OR d.slug = $6) AND ($7::timestamptz IS NULL OR a.updated_at >= $7)
ORDER BY a.updated_at DESC, a.id DESC
"""

ROLE_OF_KIND = {"lycee": "asset_manager", "region": "asset_manager", "association": "refurbisher",
                "tiers_lieu": "third_place", "auditor": "auditor", "fablab": "maker", "recycler": "recycler"}


def _who(org: Any, role: str) -> UserView:
    return UserView(id="u", email="u@example.org", display_name="u", role=role, org_slug=org["slug"],
                    org_name=org["slug"], org_kind=org["kind"], is_admin=False)


async def _walk(calls: ApiCalls, who: UserView, filters: tuple[Any, ...], limit: int) -> list[str]:
    seen, cursor = [], None
    while True:
        state, category, donor, since = filters
        page = await calls.list_devices(who, state, category, donor, since, limit, 0, cursor)
        seen += [d.id for d in page.items]
        assert len(page.items) <= limit
        if page.next_cursor is None:
            assert page.next is None
            return seen
        assert page.next is not None and page.next.startswith("/api/devices?") and "cursor=" in page.next
        cursor = page.next_cursor


@pytest.fixture
async def loaded(stack: Stack) -> Stack:
    await load(stack.pool, 2500)
    async with stack.pool.acquire() as conn:
        # Some devices share their updated_at: the id breaks the tie, so no page repeats or skips one.
        await conn.execute("UPDATE assets SET updated_at = '2024-06-01T12:00:00Z' WHERE id IN "
                           "(SELECT id FROM assets ORDER BY id LIMIT 60)")
        # Open offers and an active reservation for some organisations (the sources the loader leaves empty).
        await conn.execute("UPDATE offers SET status = 'open' WHERE asset_id IN "
                           "(SELECT id FROM assets WHERE state = 'offered' ORDER BY id LIMIT 40)")
    return stack


async def test_every_organisation_pages_through_exactly_what_it_may_see(loaded: Stack) -> None:
    calls = ApiCalls(loaded.marketplace)
    rng = random.Random(5)
    async with loaded.pool.acquire() as conn:
        orgs = await conn.fetch("SELECT slug, kind FROM organisations WHERE kind = ANY($1::text[]) ORDER BY slug",
                                list(ROLE_OF_KIND))
        donor = await conn.fetchval("SELECT d.slug FROM assets a JOIN organisations d ON d.id = a.donor_org_id "
                                    "ORDER BY a.id LIMIT 1")
        since = await conn.fetchval("SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY updated_at) FROM assets")
        checked = 0
        for org in orgs:
            who = _who(org, ROLE_OF_KIND[org["kind"]])
            for filters in [(None, None, None, None), ("claimed", None, None, None), (None, "laptop", donor, None),
                            (None, None, None, since)]:
                expected = [r[0] for r in await conn.fetch(
                    ORACLE, who.role == "auditor", who.org_slug, who.role == "third_place", *filters)]
                assert await _walk(calls, who, filters, rng.choice([7, 50, 200])) == expected
                checked += len(expected)
    assert checked > 1000  # the walks above were not all empty


async def test_offset_still_pages_for_the_clients_of_the_first_api(loaded: Stack) -> None:
    calls = ApiCalls(loaded.marketplace)
    who = _who({"slug": "audit-numerique-bretagne", "kind": "auditor"}, "auditor")
    first = await calls.list_devices(who, None, None, None, None, 30, 0)
    second = await calls.list_devices(who, None, None, None, None, 30, first.next_offset or 0)
    by_cursor = await calls.list_devices(who, None, None, None, None, 30, 0, first.next_cursor)
    assert first.next_offset == 30 and [d.id for d in second.items] == [d.id for d in by_cursor.items]


async def test_an_edited_cursor_or_one_of_another_query_is_a_400(loaded: Stack) -> None:
    calls = ApiCalls(loaded.marketplace)
    auditor = _who({"slug": "audit-numerique-bretagne", "kind": "auditor"}, "auditor")
    cursor = (await calls.list_devices(auditor, None, None, None, None, 10, 0)).next_cursor
    assert cursor is not None
    body, check = cursor.split(".")
    edited = [body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1] + "." + check, body, "x", "." + check,
              cursor + "0", "%00", body + "." + "0" * 16]
    for bad in edited:
        with pytest.raises(InvalidInput) as refused:
            await calls.list_devices(auditor, None, None, None, None, 10, 0, bad)
        assert status_of(refused.value) == 400 and refused.value.message_key == "api.bad_cursor", bad
        assert "cursor" in refused.value.render()
    # The same cursor with other filters, or by another organisation, would start a page where it never was.
    other = _who({"slug": "lycee-des-embruns-brest", "kind": "lycee"}, "asset_manager")
    for who, filters in [(auditor, ("claimed", None, None, None)),
                         (auditor, (None, None, None, datetime.now(UTC) - timedelta(days=1))),
                         (other, (None, None, None, None))]:
        with pytest.raises(InvalidInput) as refused:
            await calls.list_devices(who, filters[0], filters[1], filters[2], filters[3], 10, 0, cursor)
        assert status_of(refused.value) == 400 and refused.value.message_key == "api.cursor_other_query"


async def test_over_http_the_next_link_pages_and_an_edited_cursor_is_a_json_400(loaded: Stack) -> None:
    import httpx

    from tests.integration.api_server import ContractClient, serve_api
    from tests.integration.test_api import api_tokens

    token = (await api_tokens(loaded, "auditor"))["auditor"]
    async with serve_api(loaded.marketplace) as base, httpx.AsyncClient() as client:
        api = ContractClient(base, (await client.get(f"{base}/api/openapi.json")).json())
        seen, path = [], "/api/devices?limit=150&category=laptop"
        while path:
            page = await api.call("GET", path, token)
            assert page.status_code == 200
            seen += [d["code"] for d in page.json()["items"]]
            path = page.json()["next"]
        async with loaded.pool.acquire() as conn:
            assert len(seen) == len(set(seen)) == await conn.fetchval(
                "SELECT count(*) FROM assets WHERE category = 'laptop'")
        cursor = (await api.call("GET", "/api/devices?limit=5", token)).json()["next_cursor"]
        refused = await api.call("GET", f"/api/devices?limit=5&cursor={cursor[:-1]}", token)
        assert refused.status_code == 400 and refused.json()["error"]["code"] == "api.bad_cursor"
        assert "cursor" in refused.json()["error"]["message"]
        other = await api.call("GET", f"/api/devices?limit=5&state=claimed&cursor={cursor}", token)
        assert other.status_code == 400 and other.json()["error"]["code"] == "api.cursor_other_query"
