"""Token buckets in Redis, shared by every UI process (the API's per-token limit, the code-guessing brake).

One Lua script per call, so that reading, refilling and spending a bucket is atomic whichever process asks,
and the clock is Redis's own (`TIME`): processes on different machines agree on how much has refilled. A
bucket that has had time to refill completely expires, so idle keys cost no memory. A key is the prefix
(`sv:bucket:`) and a SHA-256 of what it counts (an API token's id, a client address, a tab), so the store
holds no address.
"""

from __future__ import annotations

import hashlib
import math
from typing import Any, Literal

Mode = Literal["acquire", "check", "spend"]
PREFIX = "sv:bucket:"

# KEYS[1]: the bucket; ARGV: rate (tokens per second), burst, mode. Returns the wait in seconds, as text
# (Redis would truncate a Lua number to an integer).
#   acquire: take a token when one is left, else leave the bucket and return the wait;
#   check:   change nothing, return the wait when no token is left;
#   spend:   take a token whatever is left (never below zero).
_SCRIPT = """
local rate, burst, mode = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local held = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(held[1]) or burst, tonumber(held[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local wait = 0
if mode == 'acquire' then
  if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
elseif mode == 'check' then
  if tokens < 1 then wait = (1 - tokens) / rate end
  return tostring(wait)
else
  tokens = math.max(0, tokens - 1)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate * 1000) + 1000)
return tostring(wait)
"""


class SharedBuckets:
    """Buckets under `PREFIX` in the Redis that `client` (a `redis.asyncio.Redis`) reaches."""

    def __init__(self, client: Any, prefix: str = PREFIX) -> None:
        self.client = client
        self.prefix = prefix
        self._script = client.register_script(_SCRIPT)

    async def take(self, key: str, rate: float, burst: int, mode: Mode) -> float:
        """The seconds to wait (0: go ahead), after acquiring, checking or spending per `mode`."""
        if not (rate > 0 and burst >= 1 and math.isfinite(rate)):
            raise ValueError(f"a bucket needs a positive rate and a burst of at least 1, not {rate!r}/{burst!r}")
        name = self.prefix + hashlib.sha256(key.encode()).hexdigest()[:40]
        answer = await self._script(keys=[name], args=[repr(float(rate)), str(int(burst)), mode])
        return float(answer.decode() if isinstance(answer, bytes) else answer)


def connect(url: str) -> SharedBuckets:
    """Buckets in the Redis at `url` (REDIS_URL); the connection opens at the first call."""
    import redis.asyncio

    return SharedBuckets(redis.asyncio.Redis.from_url(url))
