"""The brake on guessing device codes: only misses count, per client address and per session."""

from __future__ import annotations

import pytest

from marketplace.lookup import GuessLimiter, TooManyGuesses, client_keys

pytestmark = pytest.mark.unit


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class TestGuessLimiter:
    def test_ten_misses_pass_and_the_eleventh_is_refused_with_the_wait(self) -> None:
        limiter = GuessLimiter(burst=10, refill_s=6.0, clock=Clock())
        keys = client_keys("203.0.113.7", "tab-1")
        for _ in range(10):
            limiter.check(keys)
            limiter.miss(keys)
        with pytest.raises(TooManyGuesses) as refused:
            limiter.check(keys)
        assert refused.value.params == {"seconds": 6}
        assert "réessayez dans 6 secondes" in str(refused.value)

    def test_the_bucket_refills_with_time(self) -> None:
        clock = Clock()
        limiter = GuessLimiter(burst=2, refill_s=5.0, clock=clock)
        for _ in range(2):
            limiter.miss(["ip:a"])
        with pytest.raises(TooManyGuesses):
            limiter.check(["ip:a"])
        clock.now = 5.0
        limiter.check(["ip:a"])

    def test_a_new_session_from_the_same_address_is_still_limited(self) -> None:
        limiter = GuessLimiter(burst=3, refill_s=60.0, clock=Clock())
        for tab in ("t1", "t2", "t3"):
            limiter.miss(client_keys("198.51.100.1", tab))
        with pytest.raises(TooManyGuesses):
            limiter.check(client_keys("198.51.100.1", "t4"))
        limiter.check(client_keys("198.51.100.2", "t5"))  # another address is not affected

    def test_empty_key_parts_are_ignored(self) -> None:
        assert client_keys("", "") == []
        assert client_keys("10.0.0.1", "") == ["ip:10.0.0.1"]
