"""/mot-de-passe/oublie: asks for a reset link. The answer is the same whether the e-mail has an account."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx

from ui.action_inputs import require_filled
from ui.components.action_forms import field
from ui.components.layout import page_shell
from ui.components.notice import error_notice, success_notice
from ui.i18n import t
from ui.services import explain, marketplace
from ui.state import SessionState


class ForgotPasswordState(SessionState):
    error: str = ""
    sent: bool = False

    async def submit(self, form: dict[str, Any]) -> None:
        self.error = ""
        self.sent = False
        try:
            require_filled(form, (("email", "signin.email"),), self.lang)
            await (await marketplace()).request_password_reset(str(form.get("email", "")),
                                                              client_ip=self.router.session.client_ip)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
            return
        self.sent = True


def forgot_password_page() -> rx.Component:
    s = ForgotPasswordState
    return page_shell(
        "forgot.title",
        error_notice(s.error),
        rx.cond(s.sent, success_notice(rx.el.p(t("forgot.sent")))),
        rx.el.form(
            rx.el.p(t("forgot.intro")),
            field(t("signin.email"), "forgot-email", "email", type_="email", required=True, auto_complete="username"),
            rx.el.button(t("forgot.submit"), type="submit", class_name="button"),
            no_validate=True,
            on_submit=s.submit, reset_on_submit=True, method="post", class_name="form narrow",
        ),
    )
