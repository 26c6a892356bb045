"""The sign-in policy's pure parts: what an e-mail is counted as, how long a failure waits, the hashing pool."""

from __future__ import annotations

import asyncio
import threading

import pytest

from marketplace.auth import credentials
from marketplace.auth.hashing import PasswordWorkers, SignInBusy
from marketplace.auth.throttle import MAX_DELAY_S, failure_delay_s, typed_email


class TestTypedEmail:
    def test_spaces_around_are_dropped_the_case_is_left_to_the_database(self) -> None:
        assert typed_email("  Lab@Fablab.demo \n") == "Lab@Fablab.demo"

    @pytest.mark.parametrize("text", ["a\x00b@x.fr", "x\ud800@x.fr", "a" * 321])
    def test_text_no_account_can_have_is_one_placeholder(self, text: str) -> None:
        assert typed_email(text) == "\ufffd"


def test_failures_wait_longer_as_they_add_up_within_a_bound() -> None:
    waits = [failure_delay_s(n) for n in range(20)]
    assert waits == sorted(waits) and waits[1] == 0.25 and waits[-1] == MAX_DELAY_S


async def test_the_pool_refuses_beyond_its_threads_and_queue(monkeypatch: pytest.MonkeyPatch) -> None:
    release, started = threading.Event(), threading.Semaphore(0)

    def held(password_hash: str | None, password: str) -> bool:
        started.release()
        release.wait(timeout=10)
        return True

    monkeypatch.setattr(credentials, "check_password", held)
    pool = PasswordWorkers(threads=1, waiting=1)
    jobs = [asyncio.create_task(pool.verify("h", "p")) for _ in range(2)]
    await asyncio.sleep(0)
    assert pool.full()
    with pytest.raises(SignInBusy):
        await pool.verify("h", "p")
    release.set()
    assert await asyncio.gather(*jobs) == [True, True]
    assert pool.in_flight == 0 and not pool.full()
