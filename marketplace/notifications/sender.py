"""Sending the mail queue over SMTP, one row at a time, with retries that never give up on an outage.

Each row is claimed with FOR UPDATE SKIP LOCKED in its own transaction and marked in it: sent; retried
later with exponential backoff when the server is unreachable, times out or answers 4xx (the row waits
in PostgreSQL, never lost); failed when the server refuses this message for good (5xx for its sender,
recipient or content), kept with the error's class for admins to see.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import aiosmtplib
import asyncpg

from marketplace.adapters import mail_sending as q
from marketplace.notifications.kinds import KINDS
from marketplace.notifications.links import unsubscribe_url
from marketplace.notifications.message import Outgoing, build_message
from marketplace.settings import Settings
from marketplace.unit_of_work import UnitOfWork

log = logging.getLogger("seconde_vie.mailer")

BACKOFF_FIRST_SECONDS = 10.0
BACKOFF_MAX_SECONDS = 3600.0


def backoff(attempts: int, first: float = BACKOFF_FIRST_SECONDS) -> timedelta:
    """Delay before the next try after `attempts` failed ones: 10 s, 20 s, 40 s... at most an hour."""
    return timedelta(seconds=min(first * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS))


def is_permanent(exc: BaseException) -> bool:
    """A 5xx about this message (not the connection or the login, which a fix of the server cures)."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        return all(500 <= r.code < 600 for r in exc.recipients)
    if isinstance(exc, aiosmtplib.SMTPConnectResponseError | aiosmtplib.SMTPAuthenticationError | aiosmtplib.SMTPHeloError):
        return False
    return isinstance(exc, aiosmtplib.SMTPResponseException) and 500 <= exc.code < 600


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str = "none"
    user: str | None = None
    password: str | None = None

    @classmethod
    def from_settings(cls, s: Settings) -> SmtpConfig:
        assert s.smtp_host, "SMTP_HOST is required"
        return cls(s.smtp_host, s.smtp_port, s.smtp_security, s.smtp_user or None, s.smtp_password or None)

    def client(self) -> aiosmtplib.SMTP:
        return aiosmtplib.SMTP(hostname=self.host, port=self.port, username=self.user, password=self.password,
                               use_tls=self.security == "tls", start_tls=self.security == "starttls",
                               timeout=30)


class Sender:
    def __init__(self, pool: asyncpg.Pool, settings: Settings, smtp: SmtpConfig,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 first_backoff: float = BACKOFF_FIRST_SECONDS) -> None:
        self.pool, self.settings, self.smtp, self.clock = pool, settings, smtp, clock
        self.first_backoff = first_backoff

    def _outgoing(self, row: asyncpg.Record) -> Outgoing:
        url = None
        if row["kind"] in KINDS and row["to_user_id"] and self.settings.ui_state_secret:
            url = unsubscribe_url(self.settings.public_base_url, self.settings.ui_state_secret,
                                  row["to_user_id"], row["kind"])
        return Outgoing(row["id"], row["to_email"], row["subject"], row["text_body"], row["html_body"], row["lang"], url)

    async def send_due(self, limit: int = 100) -> int:
        """Send up to `limit` due rows over one SMTP connection; returns how many were sent."""
        sent = 0
        client: aiosmtplib.SMTP | None = None
        try:
            for _ in range(limit):
                async with UnitOfWork(self.pool) as uow:
                    row = await q.claim_due(uow.conn, self.clock())
                    if row is None:
                        break
                    try:
                        if client is None:
                            client = self.smtp.client()
                            await client.connect()
                        message = build_message(self._outgoing(row), mail_from=self.settings.mail_from,
                                                reply_to=self.settings.mail_reply_to, now=self.clock())
                        await client.send_message(message)
                    except (aiosmtplib.SMTPException, OSError) as exc:
                        name = type(exc).__name__
                        if is_permanent(exc):
                            log.warning("mail %s refused for good (%s)", row["id"], name)
                            await q.mark_failed(uow.conn, row["id"], name)
                            continue
                        retry_at = self.clock() + backoff(row["attempts"] + 1, self.first_backoff)
                        await q.mark_retry(uow.conn, row["id"], retry_at, name)
                        log.warning("mail %s not sent (%s); retried later", row["id"], name)
                        break  # the server is away: the other rows wait for the next tick
                    await q.mark_sent(uow.conn, row["id"], self.clock())
                    sent += 1
        finally:
            if client is not None and client.is_connected:
                try:
                    await client.quit()
                except (aiosmtplib.SMTPException, OSError):
                    client.close()
        return sent
