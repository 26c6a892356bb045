"""/mon-compte: one's own name, language and password, and one's sessions (this one marked), to end."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import reflex as rx
from reflex.event import EventSpec

from marketplace.domain.errors import InvalidInput
from marketplace.i18n import catalogues
from schemas.views import MyAccountView
from ui import i18n, routes
from ui.action_inputs import require_filled
from ui.components.action_forms import choice, field
from ui.components.layout import page_shell
from ui.components.notice import error_notice, success_notice
from ui.components.table import data_table
from ui.i18n import t
from ui.services import explain, marketplace
from ui.state import SessionState


class MyAccountState(SessionState):
    error: str = ""
    saved: str = ""
    name: str = ""
    account_lang: str = "fr"
    _account: MyAccountView | None = None

    @rx.var
    def language_options(self) -> list[list[str]]:
        return [[code, catalogues.name(code)] for code in catalogues.languages()]

    @rx.var
    def sessions(self) -> list[dict[str, str]]:
        lang = self.lang
        if self._account is None:
            return []
        return [{"id": s.id, "started": i18n.when(s.created_at, lang), "seen": i18n.when(s.last_seen_at, lang),
                 "address": s.client_address or "—",
                 "current": i18n.text("account.this_session", lang) if s.current else "",
                 "end_label": f"{i18n.text('account.end_session', lang)} {i18n.when(s.created_at, lang)}"}
                for s in self._account.sessions]

    async def load(self) -> EventSpec | None:
        self.error = self.saved = ""
        return await self._reload()

    async def save_profile(self, form: dict[str, Any]) -> EventSpec | None:
        name, lang = str(form.get("display_name", "")), str(form.get("lang", ""))
        if not name.strip():
            self.error, self.saved = i18n.error_message(
                InvalidInput("form.missing", fields=i18n.text("admin.display_name", self.lang)), self.lang), ""
            return None
        done = await self._run(lambda m: m.update_profile(self._token, name, lang), "account.profile_saved")
        if self.error == "" and lang in catalogues.languages():
            self.lang = lang
        return done

    async def change_password(self, form: dict[str, Any]) -> EventSpec | None:
        new, again = str(form.get("new_password", "")), str(form.get("new_password_again", ""))
        if new != again:
            self.error, self.saved = i18n.text("password.mismatch", self.lang), ""
            return None
        current = str(form.get("current_password", ""))
        try:
            require_filled(form, (("current_password", "account.current_password"), ("new_password", "password.new")),
                           self.lang)
        except InvalidInput as err:
            self.error, self.saved = i18n.error_message(err, self.lang), ""
            return None
        return await self._run(lambda m: m.change_password(self._token, current, new), "account.password_saved")

    async def end_session(self, session_id: str) -> EventSpec | None:
        return await self._run(lambda m: m.end_session(self._token, session_id), "account.session_ended")

    async def _run(self, call: Callable[[Any], Awaitable[None]], done_key: str) -> EventSpec | None:
        self.error = self.saved = ""
        if await self._current_user() is None:
            return rx.redirect(routes.SIGN_IN)
        try:
            await call(await marketplace())
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
            return None
        self.saved = i18n.text(done_key, self.lang)
        return await self._reload()

    async def _reload(self) -> EventSpec | None:
        if await self._current_user() is None:  # this session ended: signed out
            return rx.redirect(routes.SIGN_IN)
        try:
            self._account = await (await marketplace()).my_account(self._token)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
            return None
        self.name, self.account_lang = self._account.display_name, self._account.lang
        return None


def _session_row(r: Any) -> rx.Component:
    return rx.el.tr(
        rx.el.td(r["started"]), rx.el.td(r["seen"]), rx.el.td(r["address"], class_name="code"),
        rx.el.td(r["current"]),
        rx.el.td(rx.el.button(t("account.end_session"), type="button", aria_label=r["end_label"],
                              on_click=MyAccountState.end_session(r["id"]),  # type: ignore[call-arg]
                              class_name="button button-quiet")),
    )


def my_account_page() -> rx.Component:
    s = MyAccountState
    return page_shell(
        "account.title",
        error_notice(s.error),
        rx.cond(s.saved != "", success_notice(rx.el.p(s.saved))),
        rx.el.section(
            rx.el.h2(t("account.profile"), id="profile"),
            rx.el.form(
                field(t("admin.display_name"), "account-name", "display_name", required=True, default_value=s.name,
                      key=s.name),
                choice(t("account.language"), "account-lang", "lang", s.language_options, default=s.account_lang),
                rx.el.button(t("account.save"), type="submit", class_name="button"),
                no_validate=True,
                on_submit=s.save_profile, method="post", class_name="form",
            ),
            aria_labelledby="profile",
        ),
        rx.el.section(
            rx.el.h2(t("account.password"), id="password"),
            rx.el.form(
                rx.el.p(t("password.rules"), id="account-password-rules"),
                field(t("account.current_password"), "current-password", "current_password", type_="password",
                      required=True, auto_complete="current-password"),
                field(t("password.new"), "account-new-password", "new_password", type_="password", required=True,
                      min_length=12, auto_complete="new-password", aria_describedby="account-password-rules"),
                field(t("password.again"), "account-new-password-again", "new_password_again", type_="password",
                      required=True, min_length=12, auto_complete="new-password"),
                rx.el.button(t("account.change_password"), type="submit", class_name="button"),
                no_validate=True,
                on_submit=s.change_password, reset_on_submit=True, method="post", class_name="form",
            ),
            aria_labelledby="password",
        ),
        rx.el.h2(t("account.sessions"), id="sessions"),
        data_table("sessions", ["account.started", "account.last_seen", "account.address", "account.current",
                                "col.action"], s.sessions, _session_row),
    )
