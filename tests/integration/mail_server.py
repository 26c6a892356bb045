"""A real SMTP server for the tests (aiosmtpd, on a loopback port): it keeps every message it receives,
and can be stopped and started again on the same port to play an SMTP outage."""

from __future__ import annotations

import asyncio
import email
import threading
from email import policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from marketplace.notifications.catcher import free_port


class _Keep:
    def __init__(self, server: MailServer) -> None:
        self.server = server

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address.startswith("nobody"):  # a mailbox that does not exist: a permanent refusal
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self.server.lock:
            self.server.messages.append(msg)  # type: ignore[arg-type]
            self.server.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


class MailServer:
    def __init__(self) -> None:
        self.host, self.port = "127.0.0.1", free_port()
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.lock = threading.Lock()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(_Keep(self), hostname=self.host, port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def received(self) -> list[EmailMessage]:
        with self.lock:
            return list(self.messages)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.received() if m["To"] == address]

    async def wait_for(self, n: int, timeout: float = 20.0) -> list[EmailMessage]:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.received()) < n:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"{len(self.received())} messages received, {n} expected")
            await asyncio.sleep(0.1)
        return self.received()


def text_of(msg: EmailMessage) -> str:
    body = msg.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def html_of(msg: EmailMessage) -> str:
    body = msg.get_body(("html",))
    assert body is not None
    return str(body.get_content())
