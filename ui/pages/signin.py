"""/connexion: sign in with email and password, or with ProConnect when it is on (docs/production.md)."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from marketplace.i18n import catalogues
from marketplace.services.proconnect import ProConnectRefused
from marketplace.services.proconnect_admin import is_domain
from ui import routes
from ui.action_inputs import require_filled
from ui.components.fields import text_field
from ui.components.layout import page_shell
from ui.components.notice import error_notice, success_notice
from ui.components.proconnect_button import proconnect_button
from ui.i18n import t
from ui.services import explain, marketplace
from ui.state import SessionState


class SignInState(SessionState):
    error: str = ""
    proconnect_on: bool = False

    async def load(self) -> None:
        """The page's load: who is signed in, whether ProConnect is on, and a ProConnect refusal to explain
        (`?refus=<key>` from the return; only a ProConnect key is read, nothing else of the address)."""
        await self.refresh_user()
        services = await marketplace()
        self.proconnect_on = services.proconnect_enabled
        key = str(self.router.url.query_parameters.get("refus", ""))
        self.error = ""
        if key.startswith("proconnect.") and catalogues.has(f"refusal.{key}"):
            domain = str(self.router.url.query_parameters.get("domaine", ""))
            self.error = explain(ProConnectRefused(key, domain=domain if is_domain(domain) else "?"), self.lang)

    async def submit(self, form: dict[str, Any]) -> EventSpec | None:
        self.error = ""
        try:
            require_filled(form, (("email", "signin.email"), ("password", "signin.password")), self.lang)
            # The address counts attempts: behind a reverse proxy set REFLEX_TRUSTED_PROXY_HOPS, so that
            # Reflex takes it from X-Forwarded-For rather than seeing the proxy's for everyone.
            signed = await (await marketplace()).sign_in(
                str(form.get("email", "")).strip(), str(form.get("password", "")),
                client_ip=self.router.session.client_ip,
            )
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
            return None
        if self._token and self._token != signed.token:
            # Signing in over a live session (another user at the same screen): the earlier session ends
            # on the server too, not only in this page's memory.
            try:
                await (await marketplace()).sign_out(self._token)
            except Exception as err:  # noqa: BLE001 (the new sign-in stands; the old session expires anyway)
                explain(err, self.lang)
        self._remember(signed.token, signed.user)
        return rx.redirect(routes.HOME)


def sign_in_page() -> rx.Component:
    return page_shell(
        "signin.title",
        rx.cond(SessionState.signed_in, success_notice(t("signin.already"))),
        error_notice(SignInState.error),
        rx.el.form(
            text_field(t("signin.email"), "email", type_="email", required=True, autocomplete="username"),
            text_field(t("signin.password"), "password", type_="password", required=True,
                       autocomplete="current-password"),
            rx.el.button(t("signin.submit"), type="submit", class_name="button"),
            no_validate=True,
            on_submit=SignInState.submit,
            # Before the page is interactive a submit must not put the password in the URL.
            method="post",
            class_name="form narrow",
        ),
        rx.el.p(rx.el.a(t("signin.forgot"), href=routes.FORGOTTEN)),
        rx.cond(SignInState.proconnect_on, proconnect_choice()),
    )


def proconnect_choice() -> rx.Component:
    """"ou", then ProConnect's official button (ui/components/proconnect_button.py)."""
    return rx.el.div(
        rx.el.p(t("signin.or"), class_name="proconnect-or"),
        proconnect_button(routes.PROCONNECT_START, t("signin.proconnect_with"), t("signin.proconnect_what"),
                          t("signin.proconnect_what_title")),
        class_name="proconnect-choice",
    )
