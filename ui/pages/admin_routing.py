"""/admin/routage (admins): the routing settings (k, expiry, rounds, deadlines, weights) and who changed them."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from schemas.views import SettingChangeView
from ui import i18n, routes
from ui.components.admin_gate import GRANTED, REFUSED, admin_only
from ui.components.layout import page_shell
from ui.components.notice import error_notice, success_notice
from ui.components.table import data_table
from ui.i18n import t
from ui.services import explain, marketplace
from ui.state import SessionState

# key -> input attributes: the browser helps, the service decides (it validates every value again).
ROUNDS: dict[str, dict[str, str]] = {
    "routing_k": {"min": "1", "step": "1"},
    "offer_ttl_hours": {"min": "0", "step": "any"},
    "routing_max_rounds": {"min": "1", "max": "10", "step": "1"},
    "pickup_deadline_hours": {"min": "0", "step": "any"},
}
WEIGHTS: dict[str, dict[str, str]] = {
    key: {"min": "0", "step": "any"}
    for key in ("routing_weight_territory", "routing_weight_fairness", "routing_weight_capacity",
                "routing_weight_reliability")
}
KEYS = (*ROUNDS, *WEIGHTS)


def shown(value: object) -> str:
    """A setting's value as typed in the form: 72.0 reads 72, 0.25 stays 0.25."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "—" if value is None else str(value)


def name_fields(message: str, lang: str) -> str:
    """The service names a refused field by its key; the admin knows it by its label."""
    for key in KEYS:
        message = message.replace(f"{key}:", f"{i18n.text('rs.' + key, lang)}{i18n.text('punct.colon', lang)}")
    return message


class AdminRoutingState(SessionState):
    access: str = ""
    error: str = ""
    done: str = ""
    values: dict[str, str] = {}  # noqa: RUF012 (Reflex copies defaults per session)
    form_key: int = 0
    _history: list[SettingChangeView] = []  # noqa: RUF012

    @rx.var
    def history_rows(self) -> list[dict[str, str]]:
        return [{
            "when": i18n.when(c.changed_at, self.lang),
            "setting": i18n.text(f"rs.{c.key}", self.lang),
            "old": shown(c.old_value),
            "new": shown(c.new_value),
            "by": c.changed_by or "—",
        } for c in self._history]

    async def load(self) -> EventSpec | None:
        self.error = ""
        self.done = ""
        return await self._reload()

    async def save(self, form: dict[str, Any]) -> EventSpec | None:
        self.error = ""
        self.done = ""
        changes = {k: str(form[k]).strip() for k in KEYS if str(form.get(k, "")).strip() != ""}
        try:
            changed = await (await marketplace()).change_routing_settings(self._token, changes)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            # The form keeps what the admin typed, so the refused value can be corrected in place.
            self.error = name_fields(explain(err, self.lang), self.lang)
            return None
        if changed:
            labels = ", ".join(i18n.text(f"rs.{k}", self.lang) for k in changed)
            self.done = f"{i18n.text('rs.saved', self.lang)} {labels}."
        else:
            self.done = i18n.text("rs.unchanged", self.lang)
        return await self._reload()

    async def _reload(self) -> EventSpec | None:
        user = await self._current_user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        self.access = GRANTED if user.is_admin else REFUSED
        if not user.is_admin:
            self.values = {}
            self._history = []
            return None
        try:
            services = await marketplace()
            current = await services.routing_settings(self._token)
            self._history = await services.routing_settings_history(self._token, limit=50)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
            return None
        self.values = {k: shown(current.get(k)) for k in KEYS}
        # A new key remounts the form, so its fields show the values just saved.
        self.form_key += 1
        return None


def _number(key: str, attrs: dict[str, str]) -> rx.Component:
    field_id = f"rs-{key}"
    return rx.el.div(
        rx.el.label(t(f"rs.{key}"), html_for=field_id),
        rx.el.input(id=field_id, name=key, type="number", required=True, inputmode="decimal",
                    default_value=AdminRoutingState.values[key], auto_complete="off", **attrs),
        class_name="field",
    )


def _form() -> rx.Component:
    s = AdminRoutingState
    return rx.el.form(
        rx.el.fieldset(
            rx.el.legend(t("rs.rounds")),
            *[_number(k, a) for k, a in ROUNDS.items()],
            class_name="fieldset",
        ),
        rx.el.fieldset(
            rx.el.legend(t("rs.weights")),
            rx.el.p(t("rs.weights_hint"), class_name="hint"),
            *[_number(k, a) for k, a in WEIGHTS.items()],
            class_name="fieldset",
        ),
        rx.el.button(t("rs.save"), type="submit", class_name="button"),
        key=s.form_key,
        on_submit=s.save, reset_on_submit=False, method="post", class_name="form",
    )


def _history() -> rx.Component:
    s = AdminRoutingState
    cols = ["rs.col_when", "rs.col_setting", "rs.col_old", "rs.col_new", "rs.col_by"]
    return rx.cond(
        s.history_rows.length() > 0,
        data_table("rs-history", cols, s.history_rows, lambda r: rx.el.tr(
            rx.el.td(r["when"]), rx.el.th(r["setting"], scope="row"), rx.el.td(r["old"]), rx.el.td(r["new"]),
            rx.el.td(r["by"]),
        )),
        rx.el.p(t("rs.no_history")),
    )


def admin_routing_page() -> rx.Component:
    s = AdminRoutingState
    return page_shell(
        "rs.title",
        admin_only(
            s.access,
            rx.el.p(t("rs.intro")),
            error_notice(s.error),
            rx.cond(s.done != "", success_notice(rx.el.p(s.done))),
            _form(),
            rx.el.h2(t("rs.history"), id="rs-history"),
            _history(),
        ),
    )
