"""What each person chooses to be told, the one-click unsubscribe links, and the e-mails admins can read
(the local catcher's folder and the permanent failures of the mail queue)."""

from __future__ import annotations

import email
import re
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage

from marketplace.adapters import mail_sending
from marketplace.adapters import notification_queries as q
from marketplace.domain.errors import InvalidInput
from marketplace.notifications.kinds import KINDS, MODES, concerns, effective_mode
from marketplace.notifications.links import read_token
from marketplace.services.base import ServiceBase

_CAUGHT_NAME = re.compile(r"^[0-9T-]+\.eml$")


@dataclass(frozen=True)
class Choice:
    kind: str
    mode: str


@dataclass(frozen=True)
class CaughtMail:
    name: str
    subject: str
    to: str
    date: str
    text: str
    lang: str  # the e-mail's own language (Content-Language), which the page marks


@dataclass(frozen=True)
class FailedMail:
    to_email: str
    kind: str
    subject: str
    attempts: int
    error_class: str
    created_at: datetime
    lang: str


def _read(path_bytes: bytes, name: str) -> CaughtMail:
    msg = email.message_from_bytes(path_bytes, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    body = msg.get_body(("plain",))
    return CaughtMail(name, str(msg["Subject"] or ""), str(msg["To"] or ""), str(msg["Date"] or ""),
                      str(body.get_content()) if body is not None else "", str(msg["Content-Language"] or "fr"))


class NotificationServices(ServiceBase):
    async def preferences(self, token: str | None) -> list[Choice]:
        """The kinds that concern the signed-in person, each with their mode (their choice, else the default)."""
        user = await self._require(token)
        async with self.pool.acquire() as conn:
            chosen = await q.choices(conn, user.id)
        return [Choice(kind, effective_mode(kind, user.org_kind, chosen.get(kind), user.is_admin)) for kind in KINDS
                if concerns(kind, user.org_kind, user.is_admin) or kind in chosen]

    async def set_preference(self, token: str | None, kind: str, mode: str) -> None:
        user = await self._require(token)
        if kind not in KINDS or mode not in MODES:
            raise InvalidInput(detail=f"{kind}/{mode}")
        async with self.pool.acquire() as conn:
            await q.set_choice(conn, user.id, kind, mode)

    def _link(self, link_token: str) -> tuple[str, str] | None:
        secret = self.settings.ui_state_secret
        found = read_token(secret, link_token) if secret else None
        return (found.user_id, found.kind) if found is not None and found.kind in KINDS else None

    def unsubscribe_kind(self, link_token: str) -> str | None:
        """The kind a genuine unsubscribe link turns off (nothing changes yet), else None."""
        found = self._link(link_token)
        return found[1] if found else None

    async def unsubscribe(self, link_token: str) -> str | None:
        """Turn off the kind a genuine link names, for the person it names only; returns the kind, else None."""
        found = self._link(link_token)
        if found is None:
            return None
        async with self.pool.acquire() as conn:
            if await q.person(conn, found[0], found[1]) is None:
                return None
            await q.set_choice(conn, found[0], found[1], "never")
        return found[1]

    async def caught_mails(self, token: str | None) -> list[CaughtMail]:
        """Admins: the messages the local SMTP catcher of `seconde-vie up` received, newest first."""
        await self._require_admin(token)
        folder = self.settings.data_dir / "mail"
        names = sorted((p.name for p in folder.glob("*.eml")), reverse=True)[:500] if folder.is_dir() else []
        return [_read((folder / n).read_bytes(), n) for n in names]

    async def caught_mail(self, token: str | None, name: str) -> CaughtMail | None:
        await self._require_admin(token)
        path = self.settings.data_dir / "mail" / name
        if not _CAUGHT_NAME.match(name) or not path.is_file():
            return None
        return _read(path.read_bytes(), name)

    async def failed_mails(self, token: str | None) -> list[FailedMail]:
        """Admins: e-mails the SMTP server refused for good (never retried), newest first."""
        await self._require_admin(token)
        async with self.pool.acquire() as conn:
            rows = await mail_sending.failed(conn)
        return [FailedMail(r["to_email"], r["kind"], r["subject"], r["attempts"], r["last_error_class"] or "",
                           r["created_at"], r["lang"]) for r in rows]
