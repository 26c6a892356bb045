"""/connexion/proconnect/ouverture/<code>: where the ProConnect return lands, signed in a moment later.

The return (ui/proconnect_http.py) checked everything and left a one-time, two-minute handoff code in this
address. The page's load event exchanges it for a new session, kept sealed in the page state like any
session token, and replaces the address, so the code stays neither in the address bar nor in the history.
"""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec

from marketplace.domain.errors import DomainError
from ui import routes
from ui.components.layout import page_shell
from ui.i18n import t
from ui.services import explain, marketplace
from ui.state import SessionState


class ProConnectHandoffState(SessionState):
    async def redeem(self) -> EventSpec:
        """Exchange the address's code for a session, then leave the address."""
        code = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        try:
            signed = await (await marketplace()).proconnect_redeem(code, client_ip=self.router.session.client_ip)
        except DomainError as err:
            return rx.redirect(f"{routes.SIGN_IN}?refus={err.message_key}", replace=True)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            explain(err, self.lang)
            return rx.redirect(f"{routes.SIGN_IN}?refus=proconnect.failed", replace=True)
        if self._token and self._token != signed.token:
            try:
                await (await marketplace()).sign_out(self._token)
            except Exception as err:  # noqa: BLE001 (the new sign-in stands; the old session expires anyway)
                explain(err, self.lang)
        self._remember(signed.token, signed.user)
        return rx.redirect(routes.HOME, replace=True)


def proconnect_handoff_page() -> rx.Component:
    return page_shell("signin.title", rx.el.p(t("proconnect.opening")))
