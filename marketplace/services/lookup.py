"""Opening a device by its code, with a brake on guessing.

Codes carry 60 random bits, so guessing one among a million devices takes about 10^12 tries: the limit
is defence in depth and a brake on scrapers, not what keeps codes secret. Only misses (unknown or
malformed codes) spend tokens, so someone scanning a pile of real labels is never slowed down.

Buckets: one per client address and one per browser session. With Redis (REDIS_URL: several UI processes)
they live there (`SharedGuessLimiter`, marketplace/adapters/shared_buckets.py), so the misses a client makes
through any process are counted together; without Redis there is one process and they live in it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from marketplace.adapters.shared_buckets import SharedBuckets, connect
from marketplace.domain.errors import DomainError, NotFound
from marketplace.settings import get_settings

if TYPE_CHECKING:
    from marketplace.services import Marketplace
    from schemas.views import DevicePage

MISS_BURST = 10  # misses one browser session may make at once (typos while typing a code by hand)
MISS_REFILL_S = 6.0  # then one more every 6 s: 10 a minute
# One address may hide a whole lycée behind its NAT: more room per address than per session. Behind a
# reverse proxy, set REFLEX_TRUSTED_PROXY_HOPS so that Reflex takes the address from X-Forwarded-For.
IP_MISS_BURST = 30
IP_MISS_REFILL_S = 2.0
MAX_KEYS = 50_000  # memory bound; full buckets are dropped first


class TooManyGuesses(DomainError):
    message_key = "lookup.rate_limited"


@dataclass
class _Bucket:
    tokens: float
    at: float


class GuessLimiter:
    """Token buckets keyed by client address and by session; a key is refused while its bucket is empty."""

    def __init__(self, burst: int = MISS_BURST, refill_s: float = MISS_REFILL_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.burst = burst
        self.refill_s = refill_s
        self.clock = clock
        self._buckets: dict[str, _Bucket] = {}

    def _bucket(self, key: str, now: float) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= MAX_KEYS:
                self._prune(now)
            bucket = self._buckets[key] = _Bucket(float(self.burst), now)
        bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.at) / self.refill_s)
        bucket.at = now
        return bucket

    def _prune(self, now: float) -> None:
        full = [k for k, b in self._buckets.items() if b.tokens + (now - b.at) / self.refill_s >= self.burst]
        for key in full or list(self._buckets)[: MAX_KEYS // 10]:
            del self._buckets[key]

    def check(self, keys: Iterable[str]) -> None:
        """Raise TooManyGuesses, with the wait in seconds, when any key has no miss left."""
        now = self.clock()
        for key in keys:
            bucket = self._bucket(key, now)
            if bucket.tokens < 1.0:
                raise TooManyGuesses(seconds=math.ceil((1.0 - bucket.tokens) * self.refill_s))

    def miss(self, keys: Iterable[str]) -> None:
        now = self.clock()
        for key in keys:
            bucket = self._bucket(key, now)
            bucket.tokens = max(0.0, bucket.tokens - 1.0)


    async def refuse_if_spent(self, keys: Iterable[str]) -> None:
        self.check(keys)

    async def spend(self, keys: Iterable[str]) -> None:
        self.miss(keys)


class SharedGuessLimiter:
    """The same buckets in Redis, shared by every UI process."""

    def __init__(self, buckets: SharedBuckets, burst: int = MISS_BURST, refill_s: float = MISS_REFILL_S) -> None:
        self.buckets, self.burst, self.refill_s = buckets, burst, refill_s

    async def refuse_if_spent(self, keys: Iterable[str]) -> None:
        for key in keys:
            wait = await self.buckets.take("guess:" + key, 1.0 / self.refill_s, self.burst, "check")
            if wait > 0:
                raise TooManyGuesses(seconds=math.ceil(wait))

    async def spend(self, keys: Iterable[str]) -> None:
        for key in keys:
            await self.buckets.take("guess:" + key, 1.0 / self.refill_s, self.burst, "spend")


SESSION_LIMITER = GuessLimiter()
IP_LIMITER = GuessLimiter(IP_MISS_BURST, IP_MISS_REFILL_S)
_shared: dict[str, tuple[SharedGuessLimiter, SharedGuessLimiter]] = {}


def limiters() -> tuple[GuessLimiter | SharedGuessLimiter, GuessLimiter | SharedGuessLimiter]:
    """(per address, per session): in Redis when REDIS_URL is set, else in this process."""
    url = get_settings().redis_url
    if not url:
        return IP_LIMITER, SESSION_LIMITER
    if url not in _shared:
        buckets = connect(url)
        _shared[url] = (SharedGuessLimiter(buckets, IP_MISS_BURST, IP_MISS_REFILL_S),
                        SharedGuessLimiter(buckets, MISS_BURST, MISS_REFILL_S))
    return _shared[url]


@dataclass(frozen=True)
class Client:
    """Who is looking a code up: the client address and the browser session (either may be empty)."""

    ip: str
    session: str

    def charge(self) -> list[tuple[GuessLimiter | SharedGuessLimiter, list[str]]]:
        by_ip, by_session = limiters()
        return [(by_ip, [f"ip:{self.ip}"] if self.ip else []),
                (by_session, [f"session:{self.session}"] if self.session else [])]


async def open_device(marketplace: Marketplace, code: str, token: str | None, client: Client) -> DevicePage:
    """The device page for a typed or scanned code. While a client's misses are spent, every lookup of
    that client is refused, found or not: otherwise refusals would still tell hits from misses."""
    for limiter, keys in client.charge():
        await limiter.refuse_if_spent(keys)
    try:
        return await marketplace.device_page(code, token)
    except NotFound:
        for limiter, keys in client.charge():
            await limiter.spend(keys)
        raise


def code_in(text: str) -> str:
    """The code part of what was scanned or typed: the last path segment after `/d/` in a label URL,
    else the text itself (validated later by the lookup, so that every miss counts)."""
    text = text.strip()
    if "/d/" in text:
        tail = text.rsplit("/d/", 1)[1]
        for stop in "/?#":
            tail = tail.split(stop, 1)[0]
        return tail
    return text
