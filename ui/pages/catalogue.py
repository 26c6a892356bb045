"""/catalogue (third places): refurbished devices, filtered by category, grade, RAM, storage, screen and pays (chosen
by name); reserve one. The filters are checked by the service, each refused with its own sentence."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from marketplace.domain.device_filters import minimum, pays_choices
from schemas.views import DeviceSummary
from ui import i18n, routes
from ui.components.action_forms import choice
from ui.components.device_table import device_row, device_table
from ui.components.filter_fields import field_errors, filter_field
from ui.components.layout import nav_link, page_shell
from ui.components.notice import error_notice, success_notice
from ui.i18n import t
from ui.services import explain, marketplace, perform
from ui.state import SessionState

NUMBERS = ("min_ram_gb", "min_storage_gb", "min_screen_in")
FILTERS = ("category", "grade", "pays", *NUMBERS)


class CatalogueState(SessionState):
    error: str = ""
    field_errors: dict[str, str] = {}  # noqa: RUF012
    allowed: bool = True
    reserved_code: str = ""
    _filters: dict[str, str] = {}  # noqa: RUF012 (Reflex copies defaults per session)
    _devices: list[DeviceSummary] = []  # noqa: RUF012

    @rx.var
    def rows(self) -> list[dict[str, str]]:
        rows = []
        for d in self._devices:
            row = device_row(d, self.lang)
            row["reserve_label"] = f"{i18n.text('cat.reserve_label', self.lang)} {row['device']} ({d.code})"
            rows.append(row)
        return rows

    @rx.var
    def reserved_href(self) -> str:
        return routes.device(self.reserved_code)

    @rx.var
    def category_filter(self) -> list[list[str]]:
        return [["", i18n.text("cat.any", self.lang)], *[[v, s] for v, s in i18n.options("category", self.lang)]]

    @rx.var
    def grade_filter(self) -> list[list[str]]:
        return [["", i18n.text("cat.any", self.lang)], *[[v, s] for v, s in i18n.options("grade", self.lang)]]

    @rx.var
    def pays_filter(self) -> list[list[str]]:
        return [["", i18n.text("cat.any", self.lang)], *[[code, name] for code, name in pays_choices()]]

    async def load(self) -> EventSpec | None:
        self.error = ""
        self.field_errors = {}
        self.reserved_code = ""
        self._filters = {}
        return await self._reload()

    async def apply(self, form: dict[str, Any]) -> EventSpec | None:
        self.error = ""
        self._filters = f = {k: str(form.get(k, "")).strip()[:60] for k in FILTERS}
        # Each number checked on its own, so that every wrong field is named at once under itself; the service
        # checks them all again.
        self.field_errors = field_errors({k: (lambda k=k: minimum(k, f[k])) for k in NUMBERS}, self.lang)  # type: ignore[misc]
        if self.field_errors:
            self._devices = []
            self.error = " ".join(self.field_errors[k] for k in NUMBERS if k in self.field_errors)
            return None
        return await self._reload()

    async def reserve(self, code: str) -> EventSpec | None:
        self.error = ""
        self.reserved_code = ""
        if await self._current_user() is None:
            return rx.redirect(routes.SIGN_IN)
        self.reserved_code, self.error = await perform(self._token, code, "reserve", {}, self.lang)
        return await self._reload()

    async def _reload(self) -> EventSpec | None:
        user = await self._current_user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        self.allowed = user.role == "third_place"
        if not self.allowed:
            return None
        f = self._filters
        try:
            self._devices = await (await marketplace()).catalogue(
                self._token, f.get("category") or None, f.get("grade") or None, f.get("pays") or None,
                f.get("min_ram_gb") or None, min_storage_gb=f.get("min_storage_gb") or None,
                min_screen_in=f.get("min_screen_in") or None)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self._devices = []
            self.error = explain(err, self.lang)
        return None


def _filters() -> rx.Component:
    errors = CatalogueState.field_errors
    return rx.el.form(
        rx.el.fieldset(
            rx.el.legend(t("cat.filters")),
            choice(t("retire.category"), "cat-category", "category", CatalogueState.category_filter),
            choice(t("act.grade"), "cat-grade", "grade", CatalogueState.grade_filter),
            filter_field(t("cat.min_ram"), "cat-ram", "min_ram_gb", errors, input_mode="decimal"),
            filter_field(t("cat.min_storage"), "cat-storage", "min_storage_gb", errors, input_mode="decimal"),
            filter_field(t("cat.min_screen"), "cat-screen", "min_screen_in", errors, input_mode="decimal"),
            choice(t("cat.pays"), "cat-pays", "pays", CatalogueState.pays_filter),
            rx.el.button(t("cat.apply"), type="submit", class_name="button"),
            class_name="inline-form",
        ),
        on_submit=CatalogueState.apply,
        reset_on_submit=False,
        method="post",
        no_validate=True,  # the service checks each field and answers in the page's language
    )


def _reserve_button(row: Any) -> rx.Component:
    return rx.el.button(
        t("cat.reserve"), type="button", aria_label=row["reserve_label"],
        on_click=CatalogueState.reserve(row["code"]),  # type: ignore[call-arg]  # bound with a var, at render
        class_name="button",
    )


def catalogue_page() -> rx.Component:
    s = CatalogueState
    return page_shell(
        "cat.title",
        rx.cond(
            s.allowed,
            rx.fragment(
                _filters(),
                error_notice(s.error),
                rx.cond(s.reserved_code != "", success_notice(rx.el.p(
                    t("cat.reserved"), " ", nav_link(s.reserved_code, s.reserved_href)))),
                rx.el.h2(t("cat.title"), id="catalogue", class_name="visually-hidden"),
                rx.cond(
                    s.rows.length() > 0,
                    device_table("catalogue", s.rows, ["device", "grade", "ram", "storage", "screen", "pays", "donor"],
                                 _reserve_button),
                    rx.el.p(t("cat.none")),
                ),
            ),
            error_notice(t("role.required")),
        ),
    )
