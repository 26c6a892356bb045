"""Per-token rate limit: an in-process token bucket per API token, in bounded memory.

Defaults: 20 requests per second sustained, bursts of 60 (API_RATE_PER_SECOND, API_BURST). Over the limit the API answers 429 with
`Retry-After`. Buckets are keyed by the token's id once it is authenticated, never by the raw header:
every spelling of one token (extra spaces, `bearer` or `Bearer`) draws from the same bucket, and a made-up
token gets no bucket at all (it is refused before).

Memory stays bounded. A bucket left idle long enough to have refilled is the same as no bucket, so it is
dropped (the buckets are kept in least-recently-used order, so this is a look at the oldest ones); and past
`max_buckets` the least recently used bucket goes, which at worst hands a long-quiet token a fresh burst.

With Redis (REDIS_URL, which `seconde-vie up` and the compose file always set) the buckets live there
instead (`SharedRateLimiter`, marketplace/adapters/shared_buckets.py): every UI process draws from the same
bucket, so a token gets the limit once however many processes serve it. Without Redis there is one UI
process, and this in-process limiter is exact.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Protocol

from marketplace.adapters.shared_buckets import SharedBuckets, connect

RATE_PER_SECOND = 20.0
BURST = 60
MAX_BUCKETS = 10_000


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class RateLimiter:
    rate: float = RATE_PER_SECOND
    burst: int = BURST
    max_buckets: int = MAX_BUCKETS
    _buckets: OrderedDict[str, _Bucket] = field(default_factory=OrderedDict)

    def acquire(self, key: str, now: float | None = None) -> float:
        """0 when the request may go ahead, else the seconds to wait before the next one would."""
        now = time.monotonic() if now is None else now
        self._drop_refilled(now)
        bucket = self._buckets.pop(key, None) or _Bucket(float(self.burst), now)
        bucket.tokens = min(float(self.burst), bucket.tokens + max(0.0, now - bucket.updated) * self.rate)
        bucket.updated = now
        self._buckets[key] = bucket  # the most recently used, at the end
        while len(self._buckets) > self.max_buckets:
            self._buckets.popitem(last=False)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / self.rate

    async def wait(self, key: str) -> float:
        """`acquire`, as the API calls every limiter."""
        return self.acquire(key)

    @property
    def buckets(self) -> int:
        """How many buckets are held (not `__len__`: an empty limiter must not be falsy)."""
        return len(self._buckets)

    def _drop_refilled(self, now: float) -> None:
        # Oldest first: the first bucket that has not refilled yet ends the look (the others are newer).
        refill_seconds = self.burst / self.rate
        while self._buckets:
            key, oldest = next(iter(self._buckets.items()))
            if now - oldest.updated < refill_seconds:
                return
            del self._buckets[key]


class Limiter(Protocol):
    async def wait(self, key: str) -> float:
        """0 when the request may go ahead, else the seconds to wait; spends a token when it goes ahead."""
        ...


@dataclass
class SharedRateLimiter:
    """The same limit, with the buckets in Redis: counted once across every UI process."""

    buckets: SharedBuckets
    rate: float = RATE_PER_SECOND
    burst: int = BURST

    async def wait(self, key: str) -> float:
        return await self.buckets.take("api:" + key, self.rate, self.burst, "acquire")


def api_limiter(redis_url: str | None, rate: float = RATE_PER_SECOND, burst: int = BURST) -> Limiter:
    """Shared through Redis when there is one (several UI processes), else in this process."""
    if redis_url:
        return SharedRateLimiter(connect(redis_url), rate=rate, burst=burst)
    return RateLimiter(rate=rate, burst=burst)
