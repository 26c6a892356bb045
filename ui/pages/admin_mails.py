"""/admin/courriels (admins): the e-mails the local SMTP catcher received (`seconde-vie up` without
SMTP_HOST), each readable, and the e-mails an SMTP server refused for good."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from marketplace.services.notification_prefs import CaughtMail, FailedMail, NotificationServices
from ui import i18n, routes
from ui.components.admin_gate import GRANTED, REFUSED, admin_only
from ui.components.layout import page_shell
from ui.components.notice import error_notice
from ui.components.table import data_table
from ui.i18n import t
from ui.services import explain, marketplace
from ui.state import SessionState


async def _services() -> NotificationServices:
    m = await marketplace()
    return NotificationServices(m.pool, m.settings)


class AdminMailsState(SessionState):
    access: str = ""
    error: str = ""
    opened_subject: str = ""
    opened_to: str = ""
    opened_text: str = ""
    opened_lang: str = "fr"
    _mails: list[CaughtMail] = []  # noqa: RUF012 (Reflex copies defaults per session)
    _failed: list[FailedMail] = []  # noqa: RUF012

    @rx.var
    def rows(self) -> list[dict[str, str]]:
        return [{"name": m.name, "subject": m.subject, "to": m.to, "date": m.date, "lang": m.lang,
                 "open_label": f"{i18n.text('mails.open', self.lang)} {m.subject}"} for m in self._mails]

    @rx.var
    def failed_rows(self) -> list[dict[str, str]]:
        return [{"to": f.to_email, "kind": f.kind, "subject": f.subject, "lang": f.lang, "attempts": str(f.attempts),
                 "error": f.error_class, "at": i18n.when(f.created_at, self.lang)} for f in self._failed]

    async def load(self) -> EventSpec | None:
        self.error = self.opened_subject = self.opened_to = self.opened_text = ""
        return await self._reload()

    async def open_mail(self, name: str) -> EventSpec | None:
        self.error = ""
        try:
            mail = await (await _services()).caught_mail(self._token, str(name)[:80])
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
            return None
        if mail is not None:
            self.opened_subject, self.opened_to, self.opened_text = mail.subject, mail.to, mail.text
            self.opened_lang = mail.lang
        return None

    async def _reload(self) -> EventSpec | None:
        user = await self._current_user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        self.access = GRANTED if user.is_admin else REFUSED
        if not user.is_admin:
            self._mails, self._failed = [], []
            return None
        try:
            services = await _services()
            self._mails = await services.caught_mails(self._token)
            self._failed = await services.failed_mails(self._token)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
        return None


def _row(r: Any) -> rx.Component:
    return rx.el.tr(
        rx.el.td(r["date"]), rx.el.td(r["to"]),
        rx.el.th(rx.el.button(rx.el.span(r["subject"], lang=r["lang"]), type="button", aria_label=r["open_label"],
                              on_click=AdminMailsState.open_mail(r["name"]),  # type: ignore[call-arg]
                              class_name="button button-quiet"), scope="row"),
    )


def _failed_row(r: Any) -> rx.Component:
    return rx.el.tr(rx.el.td(r["at"]), rx.el.td(r["to"]), rx.el.td(r["kind"]), rx.el.td(r["subject"], lang=r["lang"]),
                    rx.el.td(r["attempts"]), rx.el.td(r["error"], class_name="code"))


def admin_mails_page() -> rx.Component:
    s = AdminMailsState
    return page_shell(
        "mails.title",
        admin_only(
            s.access,
            rx.el.p(t("mails.intro")),
            error_notice(s.error),
            rx.cond(s.opened_subject != "", rx.el.section(
                rx.el.h2(s.opened_subject, id="mail-opened", lang=s.opened_lang),
                rx.el.p(t("mails.col_to"), ": ", s.opened_to),
                rx.el.pre(s.opened_text, class_name="mail-text", lang=s.opened_lang),
                aria_labelledby="mail-opened",
            )),
            rx.el.h2(t("mails.list"), id="mails-list"),
            rx.cond(s.rows.length() > 0,
                    data_table("mails-list", ["mails.col_date", "mails.col_to", "mails.col_subject"], s.rows, _row),
                    rx.el.p(t("mails.none"))),
            rx.el.h2(t("mails.failed"), id="mails-failed"),
            rx.cond(s.failed_rows.length() > 0,
                    data_table("mails-failed", ["mails.col_date", "mails.col_to", "mails.col_kind",
                                                "mails.col_subject", "mails.col_attempts", "mails.col_error"],
                               s.failed_rows, _failed_row),
                    rx.el.p(t("mails.failed_none"))),
        ),
    )
