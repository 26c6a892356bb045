"""The API's token buckets: the limit holds per key, and memory stays bounded however many keys come."""

from __future__ import annotations

from marketplace.api.ratelimit import RateLimiter


class TestLimit:
    def test_a_burst_then_the_sustained_rate(self) -> None:
        limiter = RateLimiter(rate=2.0, burst=3)
        assert [limiter.acquire("t", now=0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
        assert limiter.acquire("t", now=0.0) == 0.5
        assert limiter.acquire("t", now=0.5) == 0.0  # one token refilled

    def test_keys_do_not_share_a_bucket(self) -> None:
        limiter = RateLimiter(rate=1.0, burst=1)
        assert limiter.acquire("a", now=0.0) == 0.0 and limiter.acquire("a", now=0.0) > 0
        assert limiter.acquire("b", now=0.0) == 0.0


class TestMemory:
    def test_many_distinct_keys_never_hold_more_than_the_cap(self) -> None:
        limiter = RateLimiter(rate=1.0, burst=10, max_buckets=100)
        for n in range(50_000):
            limiter.acquire(f"key-{n}", now=n * 1e-6)  # all within the refill time: nothing is idle yet
            assert limiter.buckets <= 100
        assert limiter.buckets == 100

    def test_refilled_buckets_are_dropped(self) -> None:
        limiter = RateLimiter(rate=10.0, burst=20)  # refilled after 2 s idle
        for n in range(1_000):
            limiter.acquire(f"key-{n}", now=0.0)
        limiter.acquire("late", now=2.0)
        assert limiter.buckets == 1

    def test_a_busy_key_is_not_evicted_by_many_passing_ones(self) -> None:
        limiter = RateLimiter(rate=1.0, burst=2, max_buckets=10)
        now = 0.0
        for n in range(1_000):
            now += 0.001
            limiter.acquire("busy", now=now)  # keeps being the most recently used
            limiter.acquire(f"passing-{n}", now=now)
        assert limiter.acquire("busy", now=now) > 0  # still limited: its bucket was kept, not reset

    def test_dropping_a_refilled_bucket_changes_nothing(self) -> None:
        limiter = RateLimiter(rate=1.0, burst=2)
        limiter.acquire("t", now=0.0)
        limiter.acquire("t", now=0.0)
        limiter.acquire("other", now=5.0)  # "t" idle 5 s: refilled, dropped
        assert [limiter.acquire("t", now=5.0) for _ in range(3)] == [0.0, 0.0, 1.0]
