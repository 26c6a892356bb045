"""Per-token rate limit: an in-process token bucket (each UI process limits on its own).

Defaults: 20 requests per second sustained, bursts of 60. Over the limit the API answers 429 with
`Retry-After`. Several UI processes behind a load balancer each allow that much; a shared limiter
(PostgreSQL or a gateway) would be needed for a strict global limit.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

RATE_PER_SECOND = 20.0
BURST = 60


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class RateLimiter:
    rate: float = RATE_PER_SECOND
    burst: int = BURST
    _buckets: dict[str, _Bucket] = field(default_factory=dict)

    def acquire(self, key: str, now: float | None = None) -> float:
        """0 when the request may go ahead, else the seconds to wait before the next one would."""
        now = time.monotonic() if now is None else now
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(float(self.burst), now)
        bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / self.rate
