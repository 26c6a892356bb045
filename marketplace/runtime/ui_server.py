"""`seconde-vie ui`: Reflex's production server, as UI_PROCESSES Granian workers when Redis holds the state.

Reflex serves the compiled frontend and the backend (pages, `/_event` socket, `/_upload`, the API) from one
Granian server on UI_PORT. With `REDIS_URL` set, every tab's state lives in Redis (Reflex's Redis state
manager), so any worker can serve any tab: the workers share the listening socket and the kernel hands each
new connection (an event socket, a page, an API call) to one of them. A tab whose worker dies reconnects to
another and finds its state, its sealed session included, in Redis.

Reflex starts Granian without `respawn_failed_workers`, and a Granian that does not respawn stops every
worker when one dies. This launcher turns respawning on (the only change to Reflex's own `reflex run`), so
one worker killed (out of memory, a crash) is replaced within a second or two while the others go on; and
it makes Reflex's token manager tell a tab reconnecting from a dead worker from a duplicated tab (below),
so that the tab keeps its state and its person stays signed in.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from typing import Any

log = logging.getLogger(__name__)


def respawn_failed_workers() -> None:
    """Make every Granian server of this process replace a worker that dies instead of stopping."""
    import granian.server as granian_server

    base: Any = granian_server.Server
    if getattr(base, "respawns", False):
        return

    class Respawning(base):  # type: ignore[misc]
        respawns = True

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("respawn_failed_workers", True)
            kwargs.setdefault("respawn_interval", 1.0)
            super().__init__(*args, **kwargs)

    granian_server.Server = Respawning


ALIVE_PREFIX = "sv:ui-worker-alive:"
ALIVE_SECONDS = 3  # a worker's mark lives this long; it renews it every third of that


def reconnect_tabs_of_dead_workers() -> None:
    """Let a tab whose worker died keep its token, hence its state and its session, on another worker.

    Reflex's Redis token manager records, per tab token, which worker holds its socket, and treats a second
    socket for a token already recorded as a duplicated tab: it gives it a new token, a fresh state, and
    the person is signed out. A worker killed without closing its sockets leaves its records behind (for
    the token expiration), so every one of its tabs would be signed out when it reconnects. Here each
    worker keeps a short-lived mark in Redis while it runs (ALIVE_SECONDS); a record whose worker has no
    mark, or loses it within ALIVE_SECONDS (it died a moment ago: its last mark is still there), is dropped
    before Reflex looks, so the reconnecting tab is taken for what it is. A duplicated tab whose worker is
    alive is still detected, after that wait.
    """
    import asyncio
    import pickle

    from reflex.utils import token_manager

    base: Any = token_manager.RedisTokenManager
    if getattr(base, "knows_dead_workers", False):
        return

    class AliveAwareTokenManager(base):  # type: ignore[misc]
        knows_dead_workers = True
        _alive_task: asyncio.Task[None] | None = None

        async def _mark_alive(self) -> None:
            await self.redis.set(ALIVE_PREFIX + self.instance_id, b"1", ex=ALIVE_SECONDS)

        async def _keep_alive(self) -> None:
            while True:
                await asyncio.sleep(ALIVE_SECONDS / 3)
                try:
                    await self._mark_alive()
                except Exception as exc:  # noqa: BLE001 -- Redis away for a moment: try again at the next beat
                    log.warning("cannot mark this UI worker alive in Redis: %s", exc)

        async def _gone(self, instance: str) -> bool:
            """Whether worker `instance` is dead: no mark, or its last mark runs out without renewal."""
            loop = asyncio.get_running_loop()
            deadline = loop.time() + ALIVE_SECONDS + 0.5
            while await self.redis.exists(ALIVE_PREFIX + instance):
                if loop.time() > deadline:
                    return False
                await asyncio.sleep(0.2)
            return True

        async def link_token_to_sid(self, token: str, sid: str) -> str | None:
            if self._alive_task is None or self._alive_task.done():
                await self._mark_alive()
                self._alive_task = asyncio.create_task(self._keep_alive())
            key = self._get_redis_key(token)
            try:
                held = await self.redis.get(key)
                owner = pickle.loads(held).instance_id if held else None
                if owner and owner != self.instance_id and await self._gone(owner):
                    await self.redis.delete(key)
            except Exception as exc:  # noqa: BLE001 -- Reflex's own path below copes with Redis errors
                log.warning("cannot check the worker of a reconnecting tab: %s", exc)
            result: str | None = await super().link_token_to_sid(token, sid)
            return result

    token_manager.RedisTokenManager = AliveAwareTokenManager  # type: ignore[misc]


def worker_count(redis_url: str | None, processes: int) -> int:
    """Several workers only with Redis: without it each worker would keep its own tabs' state."""
    return processes if redis_url else 1


def main(argv: Sequence[str]) -> None:
    respawn_failed_workers()
    reconnect_tabs_of_dead_workers()  # before the app is built: the workers are forked from this process
    from reflex.reflex import cli

    sys.argv = ["reflex", *argv]
    cli(list(argv))


if __name__ == "__main__":
    os.environ.setdefault("REFLEX_USE_SYSTEM_BUN", "1")
    main(sys.argv[1:])
