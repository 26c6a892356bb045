"""/admin/lettres-mortes (admins): messages the workers refused, with the reason; replay or discard each one."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from schemas.views import DeadLetterView
from ui import i18n, routes
from ui.components.action_forms import choice
from ui.components.admin_gate import GRANTED, REFUSED, admin_only
from ui.components.layout import page_shell
from ui.components.notice import error_notice, success_notice
from ui.components.table import data_table
from ui.i18n import t
from ui.services import explain, marketplace
from ui.state import SessionState

FILTERS = ("new", "replayed", "discarded", "all")


def letter_row(letter: DeadLetterView, lang: str) -> dict[str, str]:
    """What the table shows of one letter, as text (React escapes it: the original is never markup)."""
    key = f"{i18n.text('dl.key', lang)} {letter.key}" if letter.key is not None else i18n.text("dl.no_key", lang)
    return {
        "id": str(letter.id),
        "failed_at": i18n.when(letter.failed_at, lang),
        "error": letter.error,
        "consumer": letter.consumer,
        "topic": letter.topic,
        "where": (f"{i18n.text('dl.partition', lang)} {letter.partition}, "
                  f"{i18n.text('dl.offset', lang)} {letter.offset}, {key}"),
        "original": letter.original,
        "encoding_note": i18n.text("dl.base64", lang) if letter.original_encoding == "base64" else "",
        "status": i18n.label("letter_status", letter.status, lang),
        "is_new": "yes" if letter.status == "new" else "",
        "original_label": f"{i18n.text('dl.original_label', lang)} {letter.id}",
        "replay_label": f"{i18n.text('dl.replay_label', lang)} {letter.id}",
        "discard_label": f"{i18n.text('dl.discard_label', lang)} {letter.id}",
    }


class AdminDeadLettersState(SessionState):
    access: str = ""
    error: str = ""
    done: str = ""
    status_filter: str = "new"
    _letters: list[DeadLetterView] = []  # noqa: RUF012 (Reflex copies defaults per session)

    @rx.var
    def rows(self) -> list[dict[str, str]]:
        return [letter_row(letter, self.lang) for letter in self._letters]

    @rx.var
    def filter_options(self) -> list[list[str]]:
        return [[v, s] for v, s in i18n.options("letter_filter", self.lang)]

    async def load(self) -> EventSpec | None:
        self.error = ""
        self.done = ""
        self.status_filter = "new"
        return await self._reload()

    async def apply(self, form: dict[str, Any]) -> EventSpec | None:
        self.error = ""
        self.done = ""
        chosen = str(form.get("status", "new"))
        self.status_filter = chosen if chosen in FILTERS else "new"
        return await self._reload()

    async def replay(self, letter_id: str) -> EventSpec | None:
        return await self._resolve(letter_id, replay=True)

    async def discard(self, letter_id: str) -> EventSpec | None:
        return await self._resolve(letter_id, replay=False)

    async def _resolve(self, letter_id: str, replay: bool) -> EventSpec | None:
        self.error = ""
        self.done = ""
        letter = next((x for x in self._letters if str(x.id) == str(letter_id)), None)
        # The id comes back from the browser: anything but a number is simply a letter that does not exist.
        number = int(letter_id) if str(letter_id).isdigit() else -1
        try:
            await (await marketplace()).resolve_dead_letter(self._token, number, replay)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
        else:
            topic = letter.topic if letter is not None else ""
            self.done = i18n.text("dl.replayed" if replay else "dl.discarded", self.lang).format(
                id=number, topic=topic)
        return await self._reload()

    async def _reload(self) -> EventSpec | None:
        user = await self._current_user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        self.access = GRANTED if user.is_admin else REFUSED
        if not user.is_admin:
            self._letters = []
            return None
        status = None if self.status_filter == "all" else self.status_filter
        try:
            self._letters = await (await marketplace()).dead_letters(self._token, status, limit=200)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self._letters = []
            self.error = explain(err, self.lang)
        return None


def _actions(r: Any) -> rx.Component:
    s = AdminDeadLettersState
    return rx.cond(
        r["is_new"] != "",
        rx.el.div(
            rx.el.button(t("dl.replay"), type="button", aria_label=r["replay_label"],
                         on_click=s.replay(r["id"]),  # type: ignore[call-arg]  # bound with a var, at render
                         class_name="button"),
            rx.el.button(t("dl.discard"), type="button", aria_label=r["discard_label"],
                         on_click=s.discard(r["id"]),  # type: ignore[call-arg]
                         class_name="button button-quiet"),
            class_name="row-form",
        ),
        rx.el.span(t("dl.resolved")),
    )


def _row(r: Any) -> rx.Component:
    return rx.el.tr(
        rx.el.th(r["id"], scope="row"),
        rx.el.td(r["failed_at"]),
        rx.el.td(r["error"]),
        rx.el.td(r["consumer"], class_name="code"),
        rx.el.td(rx.el.span(r["topic"], class_name="code"), rx.el.br(), r["where"]),
        rx.el.td(
            # Focusable so that a keyboard user can scroll a long message.
            rx.el.pre(r["original"], tab_index=0, aria_label=r["original_label"], class_name="letter-original"),
            rx.cond(r["encoding_note"] != "", rx.el.p(r["encoding_note"], class_name="hint")),
        ),
        rx.el.td(r["status"]),
        rx.el.td(_actions(r)),
    )


def _table() -> rx.Component:
    cols = ["dl.col_id", "dl.col_failed_at", "dl.col_error", "dl.col_consumer", "dl.col_origin", "dl.col_original",
            "dl.col_status", "col.action"]
    return data_table("dl-list", cols, AdminDeadLettersState.rows, _row)


def admin_dead_letters_page() -> rx.Component:
    s = AdminDeadLettersState
    return page_shell(
        "dl.title",
        admin_only(
            s.access,
            rx.el.p(t("dl.intro")),
            rx.el.form(
                rx.el.fieldset(
                    rx.el.legend(t("dl.filters")),
                    choice(t("dl.status"), "dl-status", "status", s.filter_options, default=s.status_filter),
                    rx.el.button(t("dl.show"), type="submit", class_name="button"),
                    class_name="inline-form",
                ),
                no_validate=True,
                on_submit=s.apply, reset_on_submit=False, method="post",
            ),
            error_notice(s.error),
            rx.cond(s.done != "", success_notice(rx.el.p(s.done))),
            rx.el.h2(t("dl.list"), id="dl-list"),
            rx.cond(s.rows.length() > 0, _table(), rx.el.p(t("dl.none"))),
        ),
    )
