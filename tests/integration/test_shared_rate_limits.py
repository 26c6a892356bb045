"""Rate limits shared by every UI process through Redis (REDIS_URL): a real redis-server, and two API
servers that each have their own limiter and their own Redis connection, as two UI processes do. Spreading
hits over both gets no more than the limit once; in-process limiters would let twice as many through."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
import redis.asyncio

from marketplace.adapters.shared_buckets import SharedBuckets, connect
from marketplace.api.ratelimit import RateLimiter, SharedRateLimiter, api_limiter
from marketplace.api.tokens import TokenServices
from marketplace.runtime.embedded import EmbeddedRedis
from marketplace.services.lookup import SharedGuessLimiter, TooManyGuesses
from tests.integration.api_server import serve_api
from tests.integration.journeys import Journeys


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = EmbeddedRedis(Path(tmp_path_factory.mktemp("redis")))
    try:
        yield server.start()
    finally:
        server.stop()


async def _token(stack: Any) -> str:
    session = await Journeys(stack).token("asset_manager")
    return (await TokenServices(stack.marketplace).create(session, f"GLPI {uuid.uuid4().hex[:6]}")).token


async def _alternate(first: Any, second: Any, token: str, calls: int) -> list[int]:
    """`calls` requests with one token, every other one through the other server, each on a new connection."""
    codes = []
    for n in range(calls):
        base = (first, second)[n % 2]
        async with httpx.AsyncClient() as client:
            answer = await client.get(f"{base}/api/devices", headers={"Authorization": f"Bearer {token}"})
        codes.append(answer.status_code)
    return codes


async def test_hits_spread_over_two_processes_are_counted_together(stack: Any, redis_url: str) -> None:
    token = await _token(stack)
    one = SharedRateLimiter(connect(redis_url), rate=0.1, burst=3)
    two = SharedRateLimiter(connect(redis_url), rate=0.1, burst=3)  # another process: its own client
    async with serve_api(stack.marketplace, one) as a, serve_api(stack.marketplace, two) as b:
        codes = await _alternate(a, b, token, 8)
    assert codes == [200, 200, 200, 429, 429, 429, 429, 429]


async def test_in_process_limits_would_let_each_process_give_the_whole_burst(stack: Any) -> None:
    """What the shared limit prevents: the same spread over two in-process limiters doubles the burst."""
    token = await _token(stack)
    async with (serve_api(stack.marketplace, RateLimiter(rate=0.1, burst=3)) as a,
                serve_api(stack.marketplace, RateLimiter(rate=0.1, burst=3)) as b):
        codes = await _alternate(a, b, token, 8)
    assert codes.count(200) == 6


async def test_the_api_uses_the_shared_limiter_whenever_redis_is_configured(redis_url: str) -> None:
    assert isinstance(api_limiter(redis_url), SharedRateLimiter)
    assert isinstance(api_limiter(None), RateLimiter)


async def test_guessed_codes_are_counted_across_processes(redis_url: str) -> None:
    one = SharedGuessLimiter(connect(redis_url), burst=3, refill_s=60.0)
    two = SharedGuessLimiter(connect(redis_url), burst=3, refill_s=60.0)
    keys = [f"session:tab-{uuid.uuid4()}"]
    for limiter in (one, two, one):
        await limiter.refuse_if_spent(keys)
        await limiter.spend(keys)
    for limiter in (one, two):
        with pytest.raises(TooManyGuesses) as refused:
            await limiter.refuse_if_spent(keys)
        assert 1 <= refused.value.params["seconds"] <= 60
    await two.refuse_if_spent([f"session:tab-{uuid.uuid4()}"])  # another tab is not concerned


async def test_buckets_expire_once_refilled_and_hold_no_address(redis_url: str) -> None:
    prefix = f"test-{uuid.uuid4().hex[:8]}:"
    buckets = SharedBuckets(redis.asyncio.Redis.from_url(redis_url), prefix=prefix)
    await buckets.take("ip:198.51.100.7", rate=10.0, burst=2, mode="spend")
    with redis.Redis.from_url(redis_url) as raw:
        names = [n.decode() for n in raw.scan_iter(prefix + "*")]
        assert names and not any("198.51.100.7" in n for n in names)
        ttls = [raw.pttl(n) for n in names]
    assert all(0 < ttl <= 2_000 for ttl in ttls)  # refilled within 0.1 s, plus a second of margin


@pytest.mark.parametrize(("rate", "burst"), [(0.0, 3), (-1.0, 3), (1.0, 0), (float("nan"), 3)])
async def test_a_bucket_without_a_positive_rate_and_burst_is_refused(redis_url: str, rate: float, burst: int) -> None:
    with pytest.raises(ValueError, match="positive rate"):
        await connect(redis_url).take("x", rate=rate, burst=burst, mode="acquire")
