"""/mon-compte: each person changes their name, language and password, and sees and ends their sessions.

Only the signed-in person's own account: the user comes from the session token, never from the page.
"""

from __future__ import annotations

from marketplace.adapters import accounts, personal_data
from marketplace.auth.credentials import token_hash
from marketplace.auth.hashing import PASSWORDS
from marketplace.auth.password_policy import check_new_password
from marketplace.domain.errors import AuthenticationFailed, DomainError, InvalidInput, NotAuthenticated
from marketplace.i18n import catalogues
from marketplace.services.base import ServiceBase
from schemas.views import MyAccountView, SessionInfo


class MyAccountServices(ServiceBase):
    async def my_account(self, token: str | None) -> MyAccountView:
        user = await self._require(token)
        assert token is not None
        async with self.pool.acquire() as conn:
            rows = await personal_data.live_sessions(conn, user.id, token_hash(token))
            lang = await personal_data.user_lang(conn, user.id)
        return MyAccountView(display_name=user.display_name, email=user.email, lang=lang, org_name=user.org_name,
                             sessions=[SessionInfo(**dict(r)) for r in rows])

    async def update_profile(self, token: str | None, display_name: str, lang: str) -> None:
        user = await self._require(token)
        name = display_name.strip()
        if not 2 <= len(name) <= 200:
            raise InvalidInput("account.name_length", min=2, max=200)
        if lang not in catalogues.languages():
            raise InvalidInput("account.unknown_language", lang=lang)
        async with self.pool.acquire() as conn:
            if not await personal_data.update_profile(conn, user.id, name, lang):
                raise DomainError("user.not_found")

    async def change_password(self, token: str | None, current: str, new: str) -> None:
        """The current password is asked again (a session left open is not enough); every other session ends."""
        user = await self._require(token)
        assert token is not None
        async with self.pool.acquire() as conn:
            stored = await personal_data.password_hash(conn, user.id)
        if not await PASSWORDS.verify(stored, current):
            raise AuthenticationFailed("account.wrong_password")
        check_new_password(new, email=user.email, name=user.display_name)
        new_hash = await PASSWORDS.hash(new)
        async with self.pool.acquire() as conn, conn.transaction():
            await accounts.set_password(conn, user.id, new_hash)
            await personal_data.end_other_sessions(conn, user.id, token_hash(token))

    async def end_session(self, token: str | None, session_id: str) -> None:
        """End one of the person's own sessions (this one included: it signs them out)."""
        user = await self._require(token)
        async with self.pool.acquire() as conn:
            if not await personal_data.end_session(conn, user.id, session_id):
                raise DomainError("account.session_unknown")

    async def session_seen(self, token: str | None, client_ip: str) -> None:
        """Record when and from where a session was last used (at most once a minute)."""
        if not token:
            raise NotAuthenticated()
        async with self.pool.acquire() as conn:
            await personal_data.touch_session(conn, token_hash(token), client_ip)
