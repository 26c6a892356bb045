"""The API's rate limit holds on the real HTTP server: spelling the same token differently (extra spaces,
the scheme's case) draws from the same bucket, so it cannot be used to get a fresh burst per request."""

from __future__ import annotations

from typing import Any

import httpx

from marketplace.api.ratelimit import RateLimiter
from marketplace.api.tokens import TokenServices
from tests.integration.api_server import serve_api
from tests.integration.journeys import Journeys


async def test_varied_whitespace_and_case_share_one_bucket(stack: Any) -> None:
    session = await Journeys(stack).token("asset_manager")
    token = (await TokenServices(stack.marketplace).create(session, "GLPI")).token
    spellings = [f"Bearer {token}", f"Bearer  {token}", f"Bearer   {token}", f"bearer {token}",
                 f"BEARER    {token}", f"Bearer      {token}", f"bEaReR {token}"]
    async with serve_api(stack.marketplace, RateLimiter(rate=0.1, burst=3)) as base, httpx.AsyncClient() as client:
        answers = [await client.get(f"{base}/api/devices", headers={"Authorization": h}) for h in spellings]
    assert [a.status_code for a in answers] == [200, 200, 200, 429, 429, 429, 429]
    assert answers[-1].json()["error"]["code"] == "rate_limited" and int(answers[-1].headers["Retry-After"]) >= 1


async def test_made_up_tokens_get_no_bucket(stack: Any) -> None:
    limiter = RateLimiter()
    async with serve_api(stack.marketplace, limiter) as base, httpx.AsyncClient() as client:
        for n in range(50):
            r = await client.get(f"{base}/api/devices", headers={"Authorization": f"Bearer svk_made-up-{n}"})
            assert r.status_code == 401
    assert limiter.buckets == 0
