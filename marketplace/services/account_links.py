"""Invitations and password-reset links: a random token e-mailed once, only its SHA-256 stored, used once.

An invitation (admins only) creates the account without a password, or refreshes one still waiting, and
revokes the previous invitation. "Mot de passe oublié" does the same work and gives the same answer
whether the e-mail has an account or not: one argon2 hash either way (of nothing useful), a reset link
queued only for a real, usable account. Choosing the password through a link spends the link (and every
other live link of the person), ends all the person's sessions, and signs them in.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import asyncpg
from pydantic import BaseModel, ConfigDict, EmailStr, Field

from marketplace.adapters import account_links, accounts, sign_in_throttles
from marketplace.adapters.views import user_view
from marketplace.auth.credentials import new_session_token, token_hash
from marketplace.auth.hashing import PASSWORDS
from marketplace.auth.password_policy import check_new_password
from marketplace.auth.throttle import WINDOW_MINUTES, AccountLocked, TooManyAttempts, typed_email
from marketplace.domain.errors import Conflict, DomainError
from marketplace.domain.ids import new_id
from marketplace.i18n import catalogues
from marketplace.notifications.account_mails import invitation_mail, password_reset_mail
from marketplace.notifications.outbox import queue_mail
from marketplace.services.base import ServiceBase
from marketplace.services.forms import validate
from marketplace.services.signed_in import SignedIn
from schemas.views import UserView

LINK_PATH = "/mot-de-passe/definir/"
RESET_BUCKET = "password_reset:"  # reset requests are counted apart from sign-in attempts
RESET_PER_EMAIL = 3
RESET_PER_ADDRESS = 10


class InviteForm(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: EmailStr
    display_name: str = Field(min_length=2, max_length=200)
    org_slug: str = Field(min_length=2, max_length=100)
    is_admin: bool = False
    lang: str = Field(default="fr", pattern="^[a-z]{2}$")


class OpenedLink:
    def __init__(self, kind: str, user: UserView) -> None:
        self.kind = kind
        self.user = user


class LinkServices(ServiceBase):
    def link_url(self, token: str) -> str:
        return self.settings.public_base_url + LINK_PATH + token

    async def invite(self, token: str | None, data: dict[str, object]) -> None:
        """Create (or refresh) an account waiting for its password and e-mail it an invitation. Admins only."""
        admin = await self._require_admin(token)
        form = validate(InviteForm, data)
        lang = form.lang if form.lang in catalogues.languages() else "fr"
        async with self.pool.acquire() as conn, conn.transaction():
            found = await account_links.pending_user(conn, form.email)
            if found is not None and not found["pending"]:
                raise Conflict("user.email_taken", email=form.email)
            values = (form.display_name, form.org_slug, form.is_admin, lang)
            if found is None:
                user_id = new_id()
                ok = await account_links.insert_invited_user(conn, (user_id, form.org_slug, form.email,
                                                                    form.display_name, form.is_admin, lang))
            else:
                user_id = found["id"]
                ok = await account_links.update_invited_user(conn, (user_id, *values))
            if not ok:
                raise DomainError("org.unknown", org=form.org_slug)
            await self._issue(conn, "invitation", user_id, admin.id, timedelta(hours=self.settings.invitation_ttl_hours),
                              inviter=admin.display_name)

    async def _issue(self, conn: asyncpg.Connection, kind: str, user_id: object, created_by: object,
                     ttl: timedelta, inviter: str = "") -> str:
        """A new link (revoking the previous one of its kind) and its e-mail, in the caller's transaction."""
        row = await account_links.user_by_id(conn, user_id)
        assert row is not None
        link_token = new_session_token()
        hashed = token_hash(link_token)
        await account_links.issue(conn, hashed, kind, user_id, created_by, datetime.now(UTC) + ttl)
        url = self.link_url(link_token)
        lang = row["lang"]
        if kind == "invitation":
            mail = invitation_mail(lang, name=row["display_name"], org_name=row["org_name"],
                                   inviter=inviter or catalogues.text("app.name", lang),
                                   link=url, hours=round(ttl.total_seconds() / 3600))
        else:
            mail = password_reset_mail(lang, name=row["display_name"], link=url,
                                       minutes=round(ttl.total_seconds() / 60))
        # The cause is the link (by its hash): a new link is a new e-mail, the same one never twice.
        await queue_mail(conn, to_user_id=str(user_id), to_email=row["email"], kind=kind, cause=f"link:{hashed}",
                         lang=lang, subject=mail.subject, text=mail.text, html=mail.html)
        return link_token

    async def request_password_reset(self, email: str, client_ip: str = "") -> None:
        """Queue a reset link for a usable account. Unknown, disabled or waiting accounts get exactly the same
        answer (none) after the same work: the same counters, one argon2 hash, the same lookups.

        Requests are counted per e-mail (3 in 15 minutes) and per client address (10), in buckets of their own
        (not the sign-in's), so that nobody floods a mailbox with links, or the pool with hashes."""
        email = typed_email(email)
        async with self.pool.acquire() as conn:
            if client_ip:
                by_address = await sign_in_throttles.charge(conn, "address", RESET_BUCKET + client_ip,
                                                            RESET_PER_ADDRESS, WINDOW_MINUTES)
                if by_address.attempts > RESET_PER_ADDRESS:
                    raise TooManyAttempts(minutes=by_address.minutes_left)
            by_email = await sign_in_throttles.charge(conn, "account", RESET_BUCKET + email, RESET_PER_EMAIL,
                                                      WINDOW_MINUTES)
            if by_email.attempts > RESET_PER_EMAIL:
                raise AccountLocked(minutes=by_email.minutes_left)
        await PASSWORDS.hash(new_session_token())  # the same cost, known account or not: it sets the pace
        async with self.pool.acquire() as conn, conn.transaction():
            row = await accounts.user_by_email(conn, email)
            usable = row is not None and not row["disabled"] and bool(row["password_hash"])
            if usable and row is not None:
                await self._issue(conn, "password_reset", row["id"], None,
                                  timedelta(minutes=self.settings.reset_link_ttl_minutes))

    async def open_link(self, link_token: str) -> OpenedLink:
        """Who a live link is for (its kind and the account), without spending it; refused when used,
        revoked, expired or unknown."""
        async with self.pool.acquire() as conn, conn.transaction():
            row = await account_links.live_link(conn, token_hash(link_token)) if link_token else None
        if row is None:
            raise DomainError("link.invalid")
        return OpenedLink(row["kind"], user_view(row))

    async def set_password_with_link(self, link_token: str, password: str, client_ip: str = "") -> SignedIn:
        """The password chosen through a live link: the link is spent, every session ends, a new one opens."""
        opened = await self.open_link(link_token)
        check_new_password(password, email=opened.user.email, name=opened.user.display_name)
        password_hash = await PASSWORDS.hash(password)  # no connection held while argon2 runs
        session = new_session_token()
        async with self.pool.acquire() as conn, conn.transaction():
            row = await account_links.live_link(conn, token_hash(link_token))
            if row is None:  # spent by another tab meanwhile
                raise DomainError("link.invalid")
            await account_links.use(conn, token_hash(link_token), row["id"])
            await accounts.set_password(conn, row["id"], password_hash)
            await accounts.revoke_user_sessions(conn, row["id"])
            await sign_in_throttles.unlock_user(conn, row["id"])
            expires = datetime.now(UTC) + timedelta(hours=self.settings.session_ttl_hours)
            await accounts.insert_session(conn, token_hash(session), row["id"], expires, client_ip)
        return SignedIn(session, user_view(row))
