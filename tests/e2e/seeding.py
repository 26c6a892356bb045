"""Bringing devices of the running e2e stack to a lifecycle state through its real services, for the tests
whose subject comes after (a workshop's batch needs ten diagnosed devices; the steps before are tested on
their own). The real router of the stack makes the offers; nothing here writes SQL."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Coroutine
from typing import Any, TypeVar

from marketplace.adapters.pool import create_pool
from marketplace.demo.catalogue import DEMO_ACCOUNTS
from marketplace.domain.errors import DomainError
from marketplace.services import Marketplace
from marketplace.settings import get_settings
from schemas.forms import RetireDeviceForm

T = TypeVar("T")


class Seeder:
    """The stack's services on their own thread and loop (Playwright owns the test's loop)."""

    def __init__(self, dsn: str) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self.marketplace = Marketplace(self._run(create_pool(dsn, 2)), get_settings())
        self._tokens: dict[str, str] = {}
        self.created: list[str] = []  # written off at close: see `close`

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=120)

    def close(self) -> None:
        """Writes off what the test made (the admin's write-off, from any state not final), so that the demo
        workshops' load stays where the other tests find it: a workshop at capacity is offered nothing more."""
        for code in self.created:
            try:
                self.act("admin", code, "write_off", {"reason": "fin du test de bout en bout"})
            except DomainError:
                pass  # already final (collected by another test's step to the end, recycled...)
        self._run(self.marketplace.pool.close())
        self._loop.call_soon_threadsafe(self._loop.stop)

    def token(self, role: str) -> str:
        if role not in self._tokens:
            email, password, *_ = DEMO_ACCOUNTS[role]
            self._tokens[role] = self._run(self.marketplace.sign_in(email, password)).token
        return self._tokens[role]

    def act(self, role: str, code: str, action: str, data: dict[str, Any]) -> str:
        return self._run(self.marketplace.perform(self.token(role), code, action, data)).state

    def available(self, token: str, code: str) -> list[str]:
        return self._run(self.marketplace.available_actions(token, code))

    def retire(self, serial: str) -> str:
        form = RetireDeviceForm(category="laptop", brand="Dell", model="Latitude 5490", serial=serial, year=2019,
                                condition="working", has_storage=True)
        code = self._run(self.marketplace.retire_device(self.token("asset_manager"), form)).code
        self.created.append(code)
        return code

    def diagnosed(self, serial: str) -> str:
        """A data-bearing laptop retired by the demo lycée, offered by the router, claimed and collected by the
        demo association, and diagnosed refurbishable: ready to be wiped."""
        code = self.claimed(serial)
        self.act("asset_manager", code, "collect", {"confirm_code": code})
        self.act("refurbisher", code, "diagnose", {"outcome": "refurbishable", "findings": "RAS"})
        return code

    def claimed(self, serial: str) -> str:
        code = self.offered(serial)
        self.act("refurbisher", code, "claim", {})
        return code

    def offered(self, serial: str) -> str:
        """A laptop retired by the demo lycée and offered by the router to the demo association."""
        return self.wait_offered(self.retire(serial))

    def wait_offered(self, code: str) -> str:
        """`code` once the router has offered it to the demo association (a minute at most)."""
        deadline = time.monotonic() + 60
        refurbisher = self.token("refurbisher")
        while "claim" not in self._run(self.marketplace.available_actions(refurbisher, code)):
            assert time.monotonic() < deadline, f"the router offered {code} to nobody in a minute"
            time.sleep(0.3)
        return code
