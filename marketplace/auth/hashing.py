"""argon2id off the event loop: a small pool of threads with a bounded number of waiting jobs.

One argon2id hash takes 64 MiB and ~0.1-0.4 s of CPU. The UI process serves every page, the REST API and
sign-in on one event loop, so hashing on the loop froze everyone for the length of each sign-in, and a
stream of sign-ins for unknown e-mails froze the product. argon2-cffi releases the GIL while it hashes, so
a thread runs it truly aside from the loop. The pool is small on purpose (two cores, 64 MiB each) and the
queue is bounded: when both are full a sign-in is refused at once (`SignInBusy`) rather than queued
behind a flood for ever, and the refusal costs no CPU and no memory.

The bound is per process, and counts jobs from submission until their thread has finished, so a caller that
gives up (a cancelled request) keeps its place counted until its hash is really done.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from marketplace.auth import credentials
from marketplace.domain.errors import AuthenticationFailed

THREADS = 2  # the machines this runs on have two cores; more threads would only share them
WAITING = 8  # jobs allowed to wait for a thread: at ~0.4 s a hash, about two seconds of queue

T = TypeVar("T")


class SignInBusy(AuthenticationFailed):
    """Every hashing thread is busy and the queue is full: try again shortly."""

    message_key = "auth.busy"


class PasswordWorkers:
    """Hashes and verifies passwords on a bounded thread pool; the event loop only awaits the result."""

    def __init__(self, threads: int = THREADS, waiting: int = WAITING) -> None:
        self.threads = threads
        self.capacity = threads + waiting
        self._lock = threading.Lock()
        self._in_flight = 0
        self._executor: ThreadPoolExecutor | None = None  # started on first use, never at import

    @property
    def in_flight(self) -> int:
        """Jobs submitted and not finished (running or waiting)."""
        return self._in_flight

    def full(self) -> bool:
        return self._in_flight >= self.capacity

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """Whether `password` matches; None (no usable account) verifies against the dummy hash, the same work."""
        return await self._run(credentials.check_password, password_hash, password)

    async def hash(self, password: str) -> str:
        return await self._run(credentials.hash_password, password)

    async def _run(self, fn: Callable[..., T], *args: str | None) -> T:
        with self._lock:
            if self._in_flight >= self.capacity:
                raise SignInBusy(minutes=1)
            self._in_flight += 1
            if self._executor is None:
                self._executor = ThreadPoolExecutor(self.threads, thread_name_prefix="argon2")
                # The dummy hash, made before the first unknown e-mail needs it: that first one would
                # otherwise take twice as long as a real account's.
                self._executor.submit(credentials.dummy_hash)
            executor = self._executor
        try:
            future: Future[T] = executor.submit(fn, *args)
        except BaseException:
            self._release()
            raise
        future.add_done_callback(self._release)
        return await asyncio.wrap_future(future)

    def _release(self, _future: object = None) -> None:
        with self._lock:
            self._in_flight -= 1


PASSWORDS = PasswordWorkers()  # one per process: the bound is on the process's CPU and memory
