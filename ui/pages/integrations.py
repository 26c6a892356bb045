"""/integrations (every signed-in organisation): API tokens (created, shown once, revoked) and webhooks."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import reflex as rx
from reflex.event import EventSpec

from schemas.api import DEFAULT_TOKEN_LIFETIME_DAYS, TOKEN_LIFETIMES_DAYS
from ui import i18n, routes
from ui.action_inputs import require_filled
from ui.components.layout import page_shell
from ui.components.notice import error_notice
from ui.components.shown_once import FIELD_FOR_API, FIELD_FOR_WEBHOOK, reveal, shown_once
from ui.i18n import t
from ui.pages.webhooks_panel import WebhooksState, webhooks_panel
from ui.services import explain, marketplace


async def _tokens() -> Any:
    from marketplace.api.tokens import TokenServices  # late: compiling the frontend never wires the services

    return TokenServices(await marketplace())


class IntegrationsState(WebhooksState):
    token_error: str = ""
    token_shown: bool = False  # the token itself is in the page's field only (ui/components/shown_once.py)
    tokens: list[dict[str, str]] = []  # noqa: RUF012 (Reflex copies defaults per session)

    async def load(self) -> EventSpec | list[EventSpec]:
        if await self._current_user() is None:
            return rx.redirect(routes.SIGN_IN)
        await self._load_tokens()
        await self.load_webhooks()
        self.token_shown = self.secret_shown = False
        return [reveal(FIELD_FOR_API, ""), reveal(FIELD_FOR_WEBHOOK, "")]

    async def create_token(self, form: dict[str, Any]) -> EventSpec | None:
        """The new token goes to the browser once, never into the state (which Reflex stores on disk or in Redis)."""
        self.token_error = ""
        try:
            require_filled(form, (("name", "tokens.name"),), self.lang)
            created = await (await _tokens()).create(self._token, str(form.get("name", "")),
                                                     _days(form.get("lifetime")))
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.token_error = explain(err, self.lang)
            return reveal(FIELD_FOR_API, "")
        await self._load_tokens()
        self.token_shown = True
        return reveal(FIELD_FOR_API, created.token)

    async def revoke_token(self, token_id: str) -> EventSpec:
        self.token_error = ""
        try:
            await (await _tokens()).revoke(self._token, token_id)
        except Exception as err:  # noqa: BLE001
            self.token_error = explain(err, self.lang)
        await self._load_tokens()
        self.token_shown = False
        return reveal(FIELD_FOR_API, "")

    async def _load_tokens(self) -> None:
        try:
            rows = await (await _tokens()).list(self._token)
        except Exception as err:  # noqa: BLE001
            self.token_error = explain(err, self.lang)
            return
        now = datetime.now(UTC)
        self.tokens = [{
            "id": r.id, "name": r.name, "prefix": f"{r.prefix}…", "created": i18n.when(r.created_at, self.lang),
            "expires": i18n.when(r.expires_at, self.lang),
            "last_used": i18n.when(r.last_used_at, self.lang) or i18n.text("tokens.never_used", self.lang),
            "active": "" if r.revoked_at else "1",
            "status": i18n.text("tokens.revoked" if r.revoked_at else "tokens.expired" if r.expired(now)
                                else "tokens.active", self.lang),
        } for r in rows]


def _days(value: object) -> int:
    """The lifetime chosen in the form (the service refuses anything but its choices)."""
    text = str(value or DEFAULT_TOKEN_LIFETIME_DAYS)
    return int(text) if text.isdigit() and len(text) < 6 else 0


def _token_row(row: Any) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["name"]), rx.el.td(row["prefix"], class_name="code"), rx.el.td(row["created"]),
        rx.el.td(row["expires"]), rx.el.td(row["last_used"]), rx.el.td(row["status"]),
        rx.el.td(rx.cond(row["active"] != "", rx.el.button(
            t("tokens.revoke"), type="button", class_name="button button-quiet",
            on_click=IntegrationsState.revoke_token(row["id"])))),
    )


def _tokens_section() -> rx.Component:
    s = IntegrationsState
    return rx.el.section(
        rx.el.h2(t("tokens.title"), id="tokens-title"),
        error_notice(s.token_error),
        shown_once(FIELD_FOR_API, s.token_shown, t("tokens.shown_once"), t("tokens.new_label")),
        rx.el.form(
            rx.el.label(t("tokens.name"), html_for="token-name"),
            rx.el.input(id="token-name", name="name", required=True, max_length=100, class_name="input"),
            rx.el.label(t("tokens.lifetime"), html_for="token-lifetime"),
            rx.el.select(*[rx.el.option(t(f"tokens.lifetime_{days}"), value=str(days)) for days in TOKEN_LIFETIMES_DAYS],
                         id="token-lifetime", name="lifetime", default_value=str(DEFAULT_TOKEN_LIFETIME_DAYS)),
            rx.el.button(t("tokens.create"), type="submit", class_name="button"),
            no_validate=True,
            on_submit=s.create_token, reset_on_submit=True, class_name="form",
        ),
        rx.cond(s.tokens.length() > 0, rx.el.table(
            rx.el.thead(rx.el.tr(*[rx.el.th(t(k), scope="col") for k in (
                "col.name", "col.prefix", "col.created", "col.expires", "col.last_used", "col.status",
                "col.actions")])),
            rx.el.tbody(rx.foreach(s.tokens, _token_row)),
            aria_labelledby="tokens-title", class_name="table",
        ), rx.el.p(t("tokens.none"))),
        aria_labelledby="tokens-title",
    )


def integrations_page() -> rx.Component:
    return page_shell(
        "integrations.title",
        rx.el.p(t("integrations.intro")),
        _tokens_section(),
        webhooks_panel(),
    )
