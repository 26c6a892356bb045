"""/admin/routage (admins): the routing settings (k, expiry, rounds, deadlines, weights) and who changed them."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from marketplace.domain.errors import Forbidden, InvalidInput
from marketplace.domain.numbers import written
from marketplace.domain.routing_bounds import BOUNDS, ROUTING_KEYS, WEIGHT_KEYS, read_changes
from schemas.views import SettingChangeView
from ui import i18n, routes
from ui.components.admin_gate import GRANTED, REFUSED, admin_only
from ui.components.layout import page_shell
from ui.components.notice import error_notice, success_notice
from ui.components.table import data_table
from ui.i18n import t
from ui.services import explain, marketplace
from ui.state import SessionState

ROUNDS = ("routing_k", "offer_ttl_hours", "routing_max_rounds", "pickup_deadline_hours")
WEIGHTS = WEIGHT_KEYS
KEYS = (*ROUNDS, *WEIGHTS)


def shown(value: object, lang: str = "fr") -> str:
    """A setting's value as typed in the form, in the reader's decimals: 72.0 reads 72, 0.25 reads 0,25."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return written(float(value), i18n.text("format.decimal_mark", lang))
    return "—" if value is None else str(value)


def read_form(form: dict[str, Any], lang: str) -> tuple[dict[str, float | int], dict[str, str]]:
    """Every field read as the service will read it: (values, field -> the sentence saying what is wrong)."""
    values: dict[str, float | int] = {}
    errors: dict[str, str] = {}
    for key in KEYS:
        try:
            values[key] = BOUNDS[key].read(str(form.get(key, "")).strip(), key)
        except InvalidInput as err:
            errors[key] = i18n.error_message(err, lang)
    if not errors:
        try:
            read_changes(values, {})
        except InvalidInput as err:
            errors[str(err.params["field"])] = i18n.error_message(err, lang)
    return values, errors


class AdminRoutingState(SessionState):
    access: str = ""
    error: str = ""
    done: str = ""
    values: dict[str, str] = {}  # noqa: RUF012 (Reflex copies defaults per session)
    field_errors: dict[str, str] = {}  # noqa: RUF012
    form_key: int = 0
    preview_shown: bool = False
    preview_intro: str = ""
    preview_summary: str = ""
    preview_rows: list[dict[str, str]] = []  # noqa: RUF012
    _pending: dict[str, str] = {}  # noqa: RUF012 (the change the admin is asked to confirm)
    _current: dict[str, float] = {}  # noqa: RUF012
    _history: list[SettingChangeView] = []  # noqa: RUF012

    @rx.var
    def history_rows(self) -> list[dict[str, str]]:
        return [{
            "when": i18n.when(c.changed_at, self.lang),
            "setting": i18n.text(f"rs.{c.key}", self.lang),
            "old": shown(c.old_value, self.lang),
            "new": shown(c.new_value, self.lang),
            "by": c.changed_by or "—",
        } for c in self._history]

    async def load(self) -> EventSpec | None:
        self.error = ""
        self.done = ""
        self.field_errors = {}
        self._end_preview()
        return await self._reload()

    async def save(self, form: dict[str, Any]) -> EventSpec | None:
        """Read every field here first (each refusal under its field), then show what a change of k or of a
        weight would do to the offers before saving it; the service reads and checks every value again."""
        self.error = ""
        self.done = ""
        self._end_preview()
        # Who asks comes first: a non-admin's forged save learns nothing from the form's checks.
        user = await self._current_user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        if not user.is_admin:
            self.error = explain(Forbidden("auth.admin_only"), self.lang)
            return None
        values, self.field_errors = read_form(form, self.lang)
        if self.field_errors:
            labels = ", ".join(i18n.text(f"rs.{k}", self.lang) for k in KEYS if k in self.field_errors)
            self.error = f"{i18n.text('rs.fix_fields', self.lang)} {labels}."
            return None
        changes = {k: str(form[k]).strip() for k in KEYS if values[k] != self._current.get(k)}
        if not changes:
            self.done = i18n.text("rs.unchanged", self.lang)
            return None
        if not ROUTING_KEYS & set(changes):
            return await self._save(changes)
        try:
            preview = await (await marketplace()).preview_routing_settings(self._token, changes)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
            return None
        none = i18n.text("rs.no_offer", self.lang)
        self._pending = changes
        self.preview_shown = True
        self.preview_intro = i18n.text("rs.preview_intro", self.lang).format(n=preview.sampled)
        self.preview_summary = (i18n.text("rs.preview_changed", self.lang).format(count=len(preview.changed),
                                                                                  n=preview.sampled)
                                if preview.changed else i18n.text("rs.preview_none", self.lang))
        self.preview_rows = [{"code": r.code, "device": f"{r.brand} {r.model}",
                              "before": " → ".join(r.before) or none, "after": " → ".join(r.after) or none}
                             for r in preview.changed]
        return rx.scroll_to("rs-preview")  # the effect and the confirm button, where the admin is looking

    async def confirm(self) -> EventSpec | None:
        changes = dict(self._pending)
        self._end_preview()
        if not changes:
            return None
        return await self._save(changes)

    async def cancel(self) -> EventSpec | None:
        self._end_preview()
        self.error = ""
        self.done = i18n.text("rs.cancelled", self.lang)
        return await self._reload()

    def _end_preview(self) -> None:
        self._pending = {}
        self.preview_shown = False
        self.preview_rows = []

    async def _save(self, changes: dict[str, str]) -> EventSpec | None:
        try:
            changed = await (await marketplace()).change_routing_settings(self._token, changes)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            # The form keeps what the admin typed, so the refused value can be corrected in place.
            if isinstance(err, InvalidInput) and err.params.get("field") in KEYS:
                self.field_errors = {str(err.params["field"]): explain(err, self.lang)}
            self.error = explain(err, self.lang)
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
        self._current = {k: current[k] for k in KEYS}
        self.values = {k: shown(current.get(k), self.lang) for k in KEYS}
        self.field_errors = {}
        # A new key remounts the form, so its fields show the values just saved.
        self.form_key += 1
        return None


def _number(key: str, hint_id: str) -> rx.Component:
    """A number typed as text (no browser validation and its English bubbles): the handler reads it, and its
    refusal is shown under it, tied to it for screen readers."""
    s = AdminRoutingState
    field_id, error_id = f"rs-{key}", f"rs-{key}-error"
    wrong = s.field_errors.contains(key)  # type: ignore[attr-defined]
    return rx.el.div(
        rx.el.label(t(f"rs.{key}"), html_for=field_id),
        rx.el.input(id=field_id, name=key, type="text", inputmode="numeric" if BOUNDS[key].whole else "decimal",
                    default_value=s.values[key], auto_complete="off", spell_check=False,
                    aria_invalid=rx.cond(wrong, "true", "false"),
                    aria_describedby=rx.cond(wrong, f"{error_id} {hint_id}", hint_id)),
        rx.cond(wrong, rx.el.p(s.field_errors[key], id=error_id, class_name="field-error")),
        class_name="field",
    )


def _form() -> rx.Component:
    s = AdminRoutingState
    return rx.el.form(
        rx.el.fieldset(
            rx.el.legend(t("rs.rounds")),
            rx.el.p(t("rs.rounds_how"), id="rs-rounds-how", class_name="hint"),
            *[_number(k, "rs-rounds-how") for k in ROUNDS],
            class_name="fieldset",
        ),
        rx.el.fieldset(
            rx.el.legend(t("rs.weights")),
            rx.el.p(t("rs.weights_how"), id="rs-weights-how", class_name="hint"),
            *[_number(k, "rs-weights-how") for k in WEIGHTS],
            class_name="fieldset",
        ),
        rx.el.button(t("rs.save"), type="submit", class_name="button"),
        key=s.form_key,
        on_submit=s.save, reset_on_submit=False, method="post", no_validate=True, class_name="form",
    )


def _preview() -> rx.Component:
    s = AdminRoutingState
    cols = ["rs.col_device", "rs.col_before", "rs.col_after"]
    return rx.cond(s.preview_shown, rx.el.section(
        rx.el.h2(t("rs.preview_title"), id="rs-preview"),
        rx.el.p(s.preview_intro),
        rx.el.p(s.preview_summary, id="rs-preview-table"),
        rx.cond(s.preview_rows.length() > 0,  # type: ignore[attr-defined]
                data_table("rs-preview-table", cols, s.preview_rows, lambda r: rx.el.tr(
            rx.el.th(rx.el.span(r["device"]), rx.el.br(), rx.el.span(r["code"], class_name="code"), scope="row"),
            rx.el.td(r["before"]), rx.el.td(r["after"]),
        ))),
        rx.el.div(
            rx.el.button(t("rs.confirm"), type="button", on_click=s.confirm, class_name="button"),
            rx.el.button(t("rs.cancel"), type="button", on_click=s.cancel, class_name="button button-quiet"),
            class_name="actions",
        ),
        aria_labelledby="rs-preview", class_name="action-card",
    ))


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
            _preview(),
            rx.el.h2(t("rs.history"), id="rs-history"),
            _history(),
        ),
    )
