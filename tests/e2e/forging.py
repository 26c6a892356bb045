"""Forging Reflex events from a signed-in browser, and looking at the database to see what they changed.

`Forger` sits on a page's own event socket (Playwright relays both directions unchanged): it can send an
event the page never offered, as the browser would, and read the server's answer (the state delta).
`Database` reads the stack's PostgreSQL from the test process: a fingerprint of every table a command can
write, and the demo data to aim forged events at.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections.abc import Coroutine
from typing import Any, TypeVar

import asyncpg
from playwright.sync_api import Page, WebSocketRoute

T = TypeVar("T")

SOCKET_PREFIX = "42/_event,"
FORM_ENTRIES = "__reflex_form_data__"  # how the browser sends a form to a handler typed `FormData`
# Long enough for a busy two-core machine; a refusal normally comes back in well under a second.
ANSWER_TIMEOUT_S = 30.0

# Every table a command of the UI can write (sessions aside: signing in and out writes them by design).
WRITABLE_TABLES = (
    "assets", "asset_events", "offers", "reservations", "organisations", "users", "routing_settings",
    "routing_settings_changes", "webhooks", "api_tokens", "dead_letters", "label_downloads", "report_downloads",
    "handover_codes",
)


def form_entries(fields: dict[str, Any]) -> dict[str, Any]:
    """A form as the browser sends it (ordered entries; a list value is a field submitted several times)."""
    entries: list[list[Any]] = []
    for name, value in fields.items():
        for one in value if isinstance(value, list) else [value]:
            entries.append([name, one])
    return {FORM_ENTRIES: entries}


class Forger:
    """A signed-in page whose event socket the test can write to and listen on.

    Create it before the page opens its socket (i.e. before a navigation), then call `open(path)`.
    """

    def __init__(self, page: Page) -> None:
        self.page = page
        self.answers: list[dict[str, Any]] = []
        self._server: WebSocketRoute | None = None
        page.route_web_socket(re.compile(r"/_event"), self._relay)

    def _relay(self, ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()

        def from_server(message: str | bytes) -> None:
            ws.send(message)  # the page still gets everything
            text = message.decode() if isinstance(message, bytes) else message
            if text.startswith(SOCKET_PREFIX):
                frame = json.loads(text[len(SOCKET_PREFIX):])
                if frame and frame[0] == "event" and isinstance(frame[1], dict):
                    self.answers.append(frame[1])

        server.on_message(from_server)
        self._server = server

    def open(self, path: str = "/") -> None:
        self.page.goto(path)
        self.page.wait_for_load_state("networkidle")
        assert self._server is not None, "the page opened no event socket"

    def forge(self, state: type, handler: str, payload: dict[str, Any], path: str = "/",
              query: dict[str, str] | None = None) -> None:
        """Send `state.handler(**payload)` as if the page had called it."""
        assert self._server is not None, "open() the page first"
        event = {"name": f"{state.get_full_name()}.{handler}", "payload": payload,  # type: ignore[attr-defined]
                 "router_data": {"pathname": path, "asPath": path, "query": query or {}}}
        self._server.send(SOCKET_PREFIX + json.dumps(["event", event]))

    def answer(self, state: type, var: str, since: int, *, accept_empty: bool = True) -> str:
        """The value the server gave `state.var` in its answers after index `since` (waits for it).

        With `accept_empty`, an empty value is an answer too (the handler ran and reported nothing wrong);
        without it (background handlers clear the var first, then report), only a non-empty value is.
        """
        key, field = state.get_full_name(), f"{var}_rx_state_"  # type: ignore[attr-defined]
        deadline = time.monotonic() + ANSWER_TIMEOUT_S
        while True:
            values = [a["delta"][key][field] for a in self.answers[since:]
                      if key in a.get("delta", {}) and field in a["delta"][key]]
            found = [v for v in values if v] or (values if accept_empty else [])
            if found:
                return str(found[-1])
            if time.monotonic() > deadline:
                raise AssertionError(f"no answer for {key}.{var} within {ANSWER_TIMEOUT_S}s; got "
                                     f"{json.dumps(self.answers[since:])[:2000]}")
            self.page.wait_for_timeout(50)  # lets Playwright deliver the socket's messages


class Database:
    """One connection to the stack's database, on its own thread and event loop (Playwright owns this one)."""

    def __init__(self, dsn: str) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._conn: asyncpg.Connection = self._run(asyncpg.connect(dsn))

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=60)

    def fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        return self._run(self._conn.fetch(sql, *args))

    def fetchval(self, sql: str, *args: Any) -> Any:
        return self._run(self._conn.fetchval(sql, *args))

    def execute(self, sql: str, *args: Any) -> str:
        return self._run(self._conn.execute(sql, *args))

    def fingerprint(self) -> dict[str, str]:
        """Per table: row count and a digest of every row, so any insert, update or delete shows. A device's
        `reconciled_at` is left out: the timer worker stamps it on devices still waiting for an offer every
        RECONCILE_AFTER_SECONDS, whatever anyone forges."""
        row = "(to_jsonb(x) - 'reconciled_at')::text"
        parts = [f"SELECT '{t}' AS t, count(*)::text || ':' || "
                 f"md5(coalesce(string_agg({row}, '|' ORDER BY {row}), '')) AS f FROM {t} x"
                 for t in WRITABLE_TABLES]
        return {r["t"]: r["f"] for r in self.fetch(" UNION ALL ".join(parts))}

    def wait_until_quiet(self, still_s: float = 2.0, timeout_s: float = 120.0) -> None:
        """Wait until nothing writes for `still_s` (e.g. workers still routing what an earlier test retired), so
        that a change seen around one forged event is that event's."""
        deadline = time.monotonic() + timeout_s
        last = self.fingerprint()
        while time.monotonic() < deadline:
            time.sleep(still_s)
            now = self.fingerprint()
            if now == last:
                return
            last = now
        raise AssertionError(f"the database kept changing for {timeout_s}s: {changed(last, self.fingerprint())}")

    def close(self) -> None:
        self._run(self._conn.close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return [t for t in before if before[t] != after.get(t)]
