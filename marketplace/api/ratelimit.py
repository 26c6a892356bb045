"""Per-token rate limit: an in-process token bucket per API token, in bounded memory.

Defaults: 20 requests per second sustained, bursts of 60. Over the limit the API answers 429 with
`Retry-After`. Buckets are keyed by the token's id once it is authenticated, never by the raw header:
every spelling of one token (extra spaces, `bearer` or `Bearer`) draws from the same bucket, and a made-up
token gets no bucket at all (it is refused before).

Memory stays bounded. A bucket left idle long enough to have refilled is the same as no bucket, so it is
dropped (the buckets are kept in least-recently-used order, so this is a look at the oldest ones); and past
`max_buckets` the least recently used bucket goes, which at worst hands a long-quiet token a fresh burst.

Each UI process keeps its own buckets: with N processes behind a load balancer a token may make up to
N times the limit; a strict global limit needs a shared limiter (a gateway, or PostgreSQL).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass, field

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
