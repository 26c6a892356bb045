"""What every page shares: the language (inherited from `ui.language.LanguageState`) and the signed-in user.

The session token lives only here, in a backend-only var (leading underscore): it never reaches the
browser or the URL, and Reflex's state store (files under `.states/`, or Redis) holds it sealed with
UI_STATE_SECRET (`marketplace.auth.sealing`), so whoever reads that store finds no token to use. Every
handler asks the marketplace who the token belongs to before acting, and the services check the role again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import reflex as rx
from reflex.event import EventSpec

from marketplace.auth.sealing import seal, unseal
from marketplace.settings import get_settings
from ui import i18n, routes
from ui.language import LanguageState
from ui.services import explain, marketplace

if TYPE_CHECKING:
    from schemas.views import UserView


def _state_secret() -> str | None:
    return get_settings().ui_state_secret


class SessionState(LanguageState):
    """The signed-in user (and, from its base, the language), shared by every page state (they subclass it)."""

    user_name: str = ""
    user_email: str = ""
    user_role: str = ""
    org_name: str = ""
    is_admin: bool = False
    _sealed_session: str = ""

    @property
    def _token(self) -> str:
        """The session token, opened from its sealed form ("" when signed out or no longer openable)."""
        return unseal(self._sealed_session, _state_secret())

    @_token.setter
    def _token(self, token: str) -> None:
        self._sealed_session = seal(token, _state_secret())

    @rx.var
    def signed_in(self) -> bool:
        return self.user_email != ""

    @rx.var
    def role_label(self) -> str:
        return i18n.label("role", self.user_role, self.lang)

    @rx.var
    def can_retire(self) -> bool:
        return self.user_role == "asset_manager"

    @rx.var
    def can_claim(self) -> bool:
        return self.user_role in ("refurbisher", "maker", "recycler")

    @rx.var
    def works_on_devices(self) -> bool:
        """Refurbishers, makers and recyclers hold devices ("Mes appareils")."""
        return self.user_role in ("refurbisher", "maker", "recycler")

    @rx.var
    def takes_part_in_pickups(self) -> bool:
        """Donors' asset managers and the workshops that claim ("Enlèvements")."""
        return self.user_role in ("asset_manager", "refurbisher", "maker", "recycler")

    @rx.var
    def is_third_place(self) -> bool:
        return self.user_role == "third_place"

    @rx.var
    def can_read_all(self) -> bool:
        return self.user_role == "auditor" or self.is_admin

    @rx.var
    def role_intro(self) -> str:
        """What this role does here, in one sentence (the home page)."""
        if not self.user_role:
            return ""
        return i18n.text(f"home.intro_{self.user_role}", self.lang)

    async def refresh_user(self) -> None:
        """On every page load: forget a session the marketplace no longer knows (expired, signed out), and
        note when and from where a live one was last used (/mon-compte lists them)."""
        if await self._current_user() is not None:
            await (await marketplace()).session_seen(self._token, self.router.session.client_ip)

    async def sign_out(self) -> EventSpec:
        """Ends the session here and, for a ProConnect session, at the provider too (its end_session page,
        which sends the browser back to /connexion)."""
        token = self._token
        self._forget()
        provider_end: str | None = None
        if token:
            try:
                services = await marketplace()
                back = services.settings.public_base_url + routes.SIGN_IN
                provider_end = await services.proconnect_sign_out_url(token, back)
                await services.sign_out(token)
            except Exception as err:  # noqa: BLE001 (signing out locally is what matters to the user)
                explain(err, self.lang)
        return rx.redirect(provider_end or routes.SIGN_IN)

    async def _current_user(self) -> UserView | None:
        if not self._token:
            self._forget()
            return None
        user = await (await marketplace()).user_for_session(self._token)
        if user is None:
            self._forget()
        else:
            self._remember(self._token, user)
        return user

    def _remember(self, token: str, user: UserView) -> None:
        if token != self._token and user.lang in i18n.languages():
            self.lang = user.lang  # a new sign-in: the account's own language (/mon-compte)
        self._token = token
        self.user_name = user.display_name
        self.user_email = user.email
        self.user_role = user.role
        self.org_name = user.org_name
        self.is_admin = user.is_admin

    def _forget(self) -> None:
        self._token = ""
        self.user_name = ""
        self.user_email = ""
        self.user_role = ""
        self.org_name = ""
        self.is_admin = False
