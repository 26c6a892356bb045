"""/preferences: per kind of notification, at once, in a daily digest, or never."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from marketplace.notifications.kinds import MODES
from marketplace.services.notification_prefs import Choice, NotificationServices
from ui import i18n, routes
from ui.components.layout import page_shell
from ui.components.notice import error_notice, success_notice
from ui.i18n import t
from ui.services import explain, marketplace
from ui.state import SessionState


async def _services() -> NotificationServices:
    m = await marketplace()
    return NotificationServices(m.pool, m.settings)


class PreferencesState(SessionState):
    error: str = ""
    saved: str = ""
    _choices: list[Choice] = []  # noqa: RUF012 (Reflex copies defaults per session)

    @rx.var
    def rows(self) -> list[dict[str, str]]:
        lang = self.lang
        return [{"kind": c.kind, "id": f"pref-{c.kind}", "key": f"{c.kind}-{c.mode}",
                 "label": i18n.text(f"notify.kind.{c.kind}", lang), "mode": c.mode} for c in self._choices]

    @rx.var
    def mode_options(self) -> list[list[str]]:
        return [[m, i18n.text(f"prefs.mode.{m}", self.lang)] for m in MODES]

    async def load(self) -> EventSpec | None:
        self.error = self.saved = ""
        return await self._reload()

    async def save(self, form: dict[str, Any]) -> EventSpec | None:
        self.error = self.saved = ""
        if await self._current_user() is None:
            return rx.redirect(routes.SIGN_IN)
        try:
            services = await _services()
            for c in self._choices:
                mode = str(form.get(c.kind, c.mode))
                if mode != c.mode:
                    await services.set_preference(self._token, c.kind, mode)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
            return None
        self.saved = i18n.text("prefs.saved", self.lang)
        return await self._reload()

    async def _reload(self) -> EventSpec | None:
        if await self._current_user() is None:
            return rx.redirect(routes.SIGN_IN)
        try:
            self._choices = await (await _services()).preferences(self._token)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
        return None


def _kind(r: Any) -> rx.Component:
    return rx.el.div(
        rx.el.label(r["label"], html_for=r["id"]),
        rx.el.select(
            rx.foreach(PreferencesState.mode_options, lambda pair: rx.el.option(pair[1], value=pair[0])),
            id=r["id"], name=r["kind"], default_value=r["mode"], key=r["key"],
        ),
        class_name="field",
    )


def preferences_page() -> rx.Component:
    s = PreferencesState
    return page_shell(
        "prefs.title",
        rx.el.p(t("prefs.intro")),
        error_notice(s.error),
        rx.cond(s.saved != "", success_notice(rx.el.p(s.saved))),
        rx.el.form(
            rx.foreach(s.rows, _kind),
            rx.el.button(t("prefs.save"), type="submit", class_name="button"),
            no_validate=True,
            on_submit=s.save, method="post", class_name="form",
        ),
    )
