"""The webhooks part of /integrations: register a URL (secret shown once), remove it, recent deliveries."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from ui import i18n
from ui.action_inputs import require_filled
from ui.components.notice import error_notice
from ui.components.shown_once import FIELD_FOR_WEBHOOK, reveal, shown_once
from ui.i18n import t
from ui.services import explain, marketplace
from ui.state import SessionState


async def _webhooks() -> Any:
    from marketplace.webhooks.service import WebhookServices  # late: compiling the frontend wires nothing

    return WebhookServices(await marketplace())


class WebhooksState(SessionState):
    webhook_error: str = ""
    secret_shown: bool = False  # the secret itself is in the page's field only (ui/components/shown_once.py)
    hooks: list[dict[str, str]] = []  # noqa: RUF012 (Reflex copies defaults per session)
    deliveries: list[dict[str, str]] = []  # noqa: RUF012

    async def load_webhooks(self) -> None:
        try:
            service = await _webhooks()
            hooks = await service.webhooks(self._token)
            sent = await service.deliveries(self._token)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.webhook_error = explain(err, self.lang)
            return
        self.hooks = [{"id": h.id, "url": h.url, "active": "1" if h.active else "",
                       "created": i18n.when(h.created_at, self.lang)} for h in hooks]
        self.deliveries = [{
            "url": d.url, "event": d.event_type, "status": d.status, "attempts": str(d.attempts),
            "error": i18n.text(f"webhooks.failure.{d.failure}", self.lang) if d.failure else "", "created": i18n.when(d.created_at, self.lang),
            "next": i18n.when(d.next_attempt_at, self.lang) if d.status == "pending" else "",
        } for d in sent]

    async def add_webhook(self, form: dict[str, Any]) -> EventSpec:
        """The signing secret goes to the browser once, never into the state (stored on disk or in Redis)."""
        self.webhook_error = ""
        try:
            require_filled(form, (("url", "webhooks.url"),), self.lang)
            created = await (await _webhooks()).register(self._token, str(form.get("url", "")))
        except Exception as err:  # noqa: BLE001
            self.webhook_error = explain(err, self.lang)
            return reveal(FIELD_FOR_WEBHOOK, "")
        await self.load_webhooks()
        self.secret_shown = True
        return reveal(FIELD_FOR_WEBHOOK, created.secret)

    async def remove_webhook(self, webhook_id: str) -> EventSpec:
        self.webhook_error = ""
        try:
            await (await _webhooks()).remove(self._token, webhook_id)
        except Exception as err:  # noqa: BLE001
            self.webhook_error = explain(err, self.lang)
        await self.load_webhooks()
        self.secret_shown = False
        return reveal(FIELD_FOR_WEBHOOK, "")


def _hook_row(row: Any) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["url"], class_name="code"), rx.el.td(row["created"]),
        rx.el.td(rx.cond(row["active"] != "", rx.el.button(
            t("webhooks.remove"), type="button", class_name="button button-quiet",
            on_click=WebhooksState.remove_webhook(row["id"])), "—")),
    )


def _delivery_row(row: Any) -> rx.Component:
    return rx.el.tr(*[rx.el.td(row[k]) for k in ("created", "event", "url", "status", "attempts", "error", "next")])


def webhooks_panel() -> rx.Component:
    s = WebhooksState
    return rx.el.section(
        rx.el.h2(t("webhooks.title"), id="webhooks-title"),
        rx.el.p(t("webhooks.intro")),
        error_notice(s.webhook_error),
        shown_once(FIELD_FOR_WEBHOOK, s.secret_shown, t("webhooks.secret_once"), t("webhooks.new_secret_label")),
        rx.el.form(
            rx.el.label(t("webhooks.url"), html_for="webhook-url"),
            rx.el.input(id="webhook-url", name="url", type="url", required=True, class_name="input"),
            rx.el.button(t("webhooks.add"), type="submit", class_name="button"),
            no_validate=True,
            on_submit=s.add_webhook, reset_on_submit=True, class_name="form",
        ),
        rx.cond(s.hooks.length() > 0, rx.el.table(
            rx.el.thead(rx.el.tr(*[rx.el.th(t(k), scope="col") for k in ("col.url", "col.created", "col.actions")])),
            rx.el.tbody(rx.foreach(s.hooks, _hook_row)), aria_labelledby="webhooks-title", class_name="table",
        ), rx.el.p(t("webhooks.none"))),
        rx.el.h3(t("webhooks.deliveries"), id="deliveries-title"),
        rx.cond(s.deliveries.length() > 0, rx.el.table(
            rx.el.thead(rx.el.tr(*[rx.el.th(t(k), scope="col") for k in (
                "col.created", "col.event", "col.url", "col.status", "col.attempts", "col.last_error",
                "col.next_attempt")])),
            rx.el.tbody(rx.foreach(s.deliveries, _delivery_row)), aria_labelledby="deliveries-title",
            class_name="table",
        ), rx.el.p(t("webhooks.no_deliveries"))),
        aria_labelledby="webhooks-title",
    )
