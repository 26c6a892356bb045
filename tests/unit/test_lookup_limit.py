"""The brake on guessing device codes: only misses count, per client address and per session."""

from __future__ import annotations

import uuid

import pytest

from marketplace.domain.errors import NotFound
from marketplace.services.lookup import MISS_BURST, Client, GuessLimiter, TooManyGuesses, open_device

pytestmark = pytest.mark.unit


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class TestGuessLimiter:
    def test_ten_misses_pass_and_the_eleventh_is_refused_with_the_wait(self) -> None:
        limiter = GuessLimiter(burst=10, refill_s=6.0, clock=Clock())
        keys = ["session:tab-1"]
        for _ in range(10):
            limiter.check(keys)
            limiter.miss(keys)
        with pytest.raises(TooManyGuesses) as refused:
            limiter.check(keys)
        assert refused.value.params == {"seconds": 6}
        assert "réessayez dans 6 s" in str(refused.value)

    def test_the_bucket_refills_with_time(self) -> None:
        clock = Clock()
        limiter = GuessLimiter(burst=2, refill_s=5.0, clock=clock)
        for _ in range(2):
            limiter.miss(["ip:a"])
        with pytest.raises(TooManyGuesses):
            limiter.check(["ip:a"])
        clock.now = 5.0
        limiter.check(["ip:a"])

    def test_keys_are_counted_apart(self) -> None:
        limiter = GuessLimiter(burst=1, refill_s=60.0, clock=Clock())
        limiter.miss(["ip:198.51.100.1"])
        with pytest.raises(TooManyGuesses):
            limiter.check(["ip:198.51.100.1"])
        limiter.check(["ip:198.51.100.2"])


class FakeMarketplace:
    def __init__(self, known: set[str]) -> None:
        self.known = known

    async def device_page(self, code: str, token: str | None = None) -> str:
        if code not in self.known:
            raise NotFound(code=code)
        return f"page of {code}"


class TestOpenDevice:
    async def test_a_session_that_keeps_missing_is_stopped_even_for_a_real_code(self) -> None:
        market = FakeMarketplace({"REAL"})
        client = Client(ip="", session=f"tab-{uuid.uuid4()}")
        for i in range(MISS_BURST):
            with pytest.raises(NotFound):
                await open_device(market, f"GUESS{i}", None, client)  # type: ignore[arg-type]
        # Refusing hits too: otherwise the refusals would still tell a guesser which codes exist.
        with pytest.raises(TooManyGuesses):
            await open_device(market, "REAL", None, client)  # type: ignore[arg-type]
        other = Client(ip="", session=f"tab-{uuid.uuid4()}")
        found: object = await open_device(market, "REAL", None, other)  # type: ignore[arg-type]
        assert found == "page of REAL"

    async def test_found_codes_never_spend_anything(self) -> None:
        market = FakeMarketplace({"REAL"})
        client = Client(ip=f"203.0.113.{uuid.uuid4().int % 250}", session=f"tab-{uuid.uuid4()}")
        for _ in range(MISS_BURST * 5):
            await open_device(market, "REAL", None, client)  # type: ignore[arg-type]


class TestCodeIn:
    @pytest.mark.parametrize(("text", "code"), [
        ("https://seconde-vie.bretagne.bzh/d/7K3M9QW2X4PZ", "7K3M9QW2X4PZ"),
        ("http://127.0.0.1:3000/d/7K3M9QW2X4PZ/qr.png?x=1", "7K3M9QW2X4PZ"),
        ("  7k3m-9qw2-x4pz ", "7k3m-9qw2-x4pz"),
        ("https://example.org/elsewhere", "https://example.org/elsewhere"),
    ])
    def test_the_code_is_taken_from_a_label_url_or_the_typed_text(self, text: str, code: str) -> None:
        from marketplace.services.lookup import code_in

        assert code_in(text) == code
