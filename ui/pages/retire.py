"""/retirer (asset managers): retire one device by hand, and follow "Mes dons"."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx
from pydantic import ValidationError
from reflex.event import EventSpec

from marketplace.domain.errors import InvalidInput
from schemas.forms import RetireDeviceForm
from schemas.views import DeviceSummary
from ui import i18n, routes
from ui.components.fields import checkbox_field, select_field, text_field
from ui.components.layout import nav_link, page_shell
from ui.components.notice import error_notice, success_notice
from ui.i18n import t
from ui.pages.labels_panel import labels_panel
from ui.services import explain, marketplace
from ui.state import SessionState

_FORM_LABELS = {
    "category": "retire.category", "brand": "retire.brand", "model": "retire.model",
    "serial": "retire.serial", "year": "retire.year", "condition": "retire.condition",
    "inventory_number": "retire.inventory",
}


def _parse(form: dict[str, Any], lang: str) -> RetireDeviceForm:
    """The submitted fields as the services' form; a readable InvalidInput when they do not fit."""
    year_text = str(form.get("year", "")).strip()
    try:
        # Not isdigit(): "²" is a digit int() refuses, and so is a number of thousands of digits.
        year = int(year_text) if year_text else None
    except ValueError:
        raise InvalidInput(detail=i18n.text("retire.year_invalid", lang)) from None
    try:
        return RetireDeviceForm(
            category=form.get("category", ""),
            brand=form.get("brand", ""),
            model=form.get("model", ""),
            serial=form.get("serial", ""),
            year=year,
            condition=form.get("condition", "unknown"),
            has_storage=form.get("has_storage") in ("on", True, "true"),
            inventory_number=str(form.get("inventory_number", "")).strip() or None,
        )
    except ValidationError as err:
        fields = sorted({str(e["loc"][0]) for e in err.errors() if e.get("loc")})
        names = ", ".join(i18n.text(_FORM_LABELS.get(f, f), lang) for f in fields)
        raise InvalidInput(detail=names) from None


class RetireState(SessionState):
    error: str = ""
    created_code: str = ""
    allowed: bool = True
    _donations: list[DeviceSummary] = []  # noqa: RUF012 (Reflex copies defaults per session)

    @rx.var
    def created_href(self) -> str:
        return routes.device(self.created_code)

    @rx.var
    def category_options(self) -> list[list[str]]:
        return [[value, text] for value, text in i18n.options("category", self.lang)]

    @rx.var
    def condition_options(self) -> list[list[str]]:
        return [[value, text] for value, text in i18n.options("condition", self.lang)]

    @rx.var
    def donation_rows(self) -> list[dict[str, str]]:
        return [
            {
                "code": d.code,
                "href": routes.device(d.code),
                "device": f"{i18n.label('category', d.category, self.lang)} {d.brand} {d.model}",
                "state": i18n.label("state", d.state, self.lang),
                "retired_at": i18n.when(d.retired_at, self.lang),
            }
            for d in self._donations
        ]

    async def load(self) -> EventSpec | None:
        self.error = ""
        self.created_code = ""
        user = await self._current_user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        self.allowed = user.role == "asset_manager"
        if self.allowed:
            await self._load_donations()
        return None

    async def submit(self, form: dict[str, Any]) -> EventSpec | None:
        self.error = ""
        self.created_code = ""
        if await self._current_user() is None:
            return rx.redirect(routes.SIGN_IN)
        try:
            summary = await (await marketplace()).retire_device(self._token, _parse(form, self.lang))
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
            return None
        self.created_code = summary.code
        await self._load_donations()
        return None

    async def _load_donations(self) -> None:
        try:
            self._donations = await (await marketplace()).my_donations(self._token)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)


def _form() -> rx.Component:
    return rx.el.form(
        select_field(t("retire.category"), "category", RetireState.category_options, default="laptop"),
        text_field(t("retire.brand"), "brand", required=True),
        text_field(t("retire.model"), "model", required=True),
        text_field(t("retire.serial"), "serial", required=True),
        text_field(t("retire.year"), "year", input_mode="numeric"),
        select_field(t("retire.condition"), "condition", RetireState.condition_options, default="working"),
        checkbox_field(t("retire.has_storage"), "has_storage", checked=True),
        text_field(t("retire.inventory"), "inventory_number"),
        rx.el.button(t("retire.submit"), type="submit", class_name="button"),
        no_validate=True,
        on_submit=RetireState.submit,
        reset_on_submit=False,
        method="post",
        class_name="form",
    )


def _created() -> rx.Component:
    return rx.cond(
        RetireState.created_code != "",
        success_notice(
            rx.el.p(t("retire.success"), " ", rx.el.strong(RetireState.created_code, class_name="code")),
            rx.el.p(nav_link(t("retire.see_page"), RetireState.created_href)),
        ),
    )


def _donations() -> rx.Component:
    return rx.el.section(
        rx.el.h2(t("retire.my_donations"), id="my-donations"),
        rx.cond(
            RetireState.donation_rows.length() > 0,
            rx.el.table(
                rx.el.thead(rx.el.tr(
                    rx.el.th(t("col.code"), scope="col"), rx.el.th(t("col.device"), scope="col"),
                    rx.el.th(t("col.state"), scope="col"), rx.el.th(t("col.retired_at"), scope="col"),
                )),
                rx.el.tbody(rx.foreach(RetireState.donation_rows, lambda row: rx.el.tr(
                    rx.el.td(nav_link(row["code"], row["href"]), class_name="code"),
                    rx.el.td(row["device"]),
                    rx.el.td(row["state"]),
                    rx.el.td(row["retired_at"]),
                ))),
                aria_labelledby="my-donations",
                class_name="table",
            ),
            rx.el.p(t("retire.no_donations")),
        ),
        aria_labelledby="my-donations",
    )


def retire_page() -> rx.Component:
    return page_shell(
        "retire.title",
        rx.cond(
            RetireState.allowed,
            rx.fragment(
                rx.el.p(t("retire.intro")),
                error_notice(RetireState.error),
                _created(),
                _form(),
                _donations(),
                labels_panel(),
            ),
            error_notice(t("role.required")),
        ),
    )
