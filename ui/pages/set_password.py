"""/mot-de-passe/definir: choosing a password through an invitation or reset link, then signed in.

The e-mailed link is /mot-de-passe/definir/<token>. Its page reads the token once, checks it, keeps it
sealed in the page state (like the session token) and replaces the address by /mot-de-passe/definir, so
the token stays neither in the address bar nor in the browser's history. The link is spent when the
password is chosen.
"""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from marketplace.auth.sealing import seal, unseal
from marketplace.settings import get_settings
from ui import i18n, routes
from ui.action_inputs import require_filled
from ui.components.action_forms import field
from ui.components.layout import page_shell
from ui.components.notice import error_notice
from ui.i18n import t
from ui.services import explain, marketplace
from ui.state import SessionState


class SetPasswordState(SessionState):
    error: str = ""
    link_kind: str = ""
    link_email: str = ""
    link_name: str = ""
    _sealed_link: str = ""

    @rx.var
    def has_link(self) -> bool:
        return self.link_email != ""

    async def open_link(self) -> EventSpec | None:
        """On the e-mailed link: check it, keep it (sealed), and take it out of the address."""
        await self._current_user()
        self.error = ""
        link = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        try:
            opened = await (await marketplace()).open_link(link)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self._clear()
            self.error = explain(err, self.lang)
        else:
            self._sealed_link = seal(link, get_settings().ui_state_secret)
            self.link_kind, self.link_email, self.link_name = opened.kind, opened.user.email, opened.user.display_name
        return rx.redirect(routes.LINK_PAGE, replace=True)

    async def submit(self, form: dict[str, Any]) -> EventSpec | None:
        self.error = ""
        password, again = str(form.get("password", "")), str(form.get("password_again", ""))
        if password != again:
            self.error = i18n.text("password.mismatch", self.lang)
            return None
        link = unseal(self._sealed_link, get_settings().ui_state_secret)
        try:
            require_filled(form, (("password", "password.new"),), self.lang)
            signed = await (await marketplace()).set_password_with_link(link, password,
                                                                        client_ip=self.router.session.client_ip)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
            return None
        self._clear()
        self._remember(signed.token, signed.user)
        return rx.redirect(routes.HOME)

    def _clear(self) -> None:
        self._sealed_link = ""
        self.link_kind = self.link_email = self.link_name = ""


def set_password_page() -> rx.Component:
    s = SetPasswordState
    return page_shell(
        "password.title",
        error_notice(s.error),
        rx.cond(
            s.has_link,
            rx.el.form(
                rx.el.p(t("password.for"), " ", rx.el.strong(s.link_name), " (", s.link_email, ")"),
                rx.el.p(t("password.rules"), id="password-rules"),
                # The e-mail for password managers, which file the new password under it.
                rx.el.input(type="hidden", name="username", value=s.link_email, auto_complete="username"),
                field(t("password.new"), "new-password", "password", type_="password", required=True,
                      min_length=12, auto_complete="new-password", aria_describedby="password-rules"),
                field(t("password.again"), "new-password-again", "password_again", type_="password", required=True,
                      min_length=12, auto_complete="new-password"),
                rx.el.button(t("password.submit"), type="submit", class_name="button"),
                no_validate=True,
                on_submit=s.submit, method="post", class_name="form narrow",
            ),
            rx.el.p(t("password.open_link"), " ", rx.el.a(t("password.forgot_link"), href=routes.FORGOTTEN)),
        ),
    )
