"""/appareils (auditors, admins): every device, filtered by state, donor and pays (chosen by name) and the dates it
was retired between; read only. The filters are checked by the service."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from marketplace.domain.device_filters import day
from schemas.views import DeviceSummary
from ui import i18n, routes
from ui.components.action_forms import choice
from ui.components.device_table import device_row, device_table
from ui.components.filter_fields import field_errors, filter_field
from ui.components.layout import page_shell
from ui.components.notice import error_notice
from ui.i18n import t
from ui.services import explain, marketplace
from ui.state import SessionState

DATES = ("retired_from", "retired_to")
FILTERS = ("state", "donor", "pays", *DATES)


class AllDevicesState(SessionState):
    error: str = ""
    field_errors: dict[str, str] = {}  # noqa: RUF012
    allowed: bool = True
    _filters: dict[str, str] = {}  # noqa: RUF012 (Reflex copies defaults per session)
    _devices: list[DeviceSummary] = []  # noqa: RUF012
    _donors: list[tuple[str, str]] = []  # noqa: RUF012
    _pays: list[tuple[str, str]] = []  # noqa: RUF012

    @rx.var
    def rows(self) -> list[dict[str, str]]:
        return [device_row(d, self.lang) for d in self._devices]

    @rx.var
    def state_filter(self) -> list[list[str]]:
        return [["", i18n.text("cat.any", self.lang)], *[[v, s] for v, s in i18n.options("state", self.lang)]]

    @rx.var
    def donor_filter(self) -> list[list[str]]:
        return [["", i18n.text("cat.any", self.lang)], *[[slug, name] for slug, name in self._donors]]

    @rx.var
    def pays_filter(self) -> list[list[str]]:
        return [["", i18n.text("cat.any", self.lang)], *[[code, name] for code, name in self._pays]]

    async def load(self) -> EventSpec | None:
        self.error = ""
        self.field_errors = {}
        self._filters = {}
        self._donors = []  # read again: an organisation may have been created since
        return await self._reload()

    async def apply(self, form: dict[str, Any]) -> EventSpec | None:
        self.error = ""
        self._filters = f = {k: str(form.get(k, "")).strip()[:100] for k in FILTERS}
        # Each date checked on its own and named under itself; the service checks them all again.
        self.field_errors = field_errors({k: (lambda k=k: day(k, f[k])) for k in DATES}, self.lang)  # type: ignore[misc]
        if self.field_errors:
            self._devices = []
            self.error = " ".join(self.field_errors[k] for k in DATES if k in self.field_errors)
            return None
        return await self._reload()

    async def _reload(self) -> EventSpec | None:
        user = await self._current_user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        self.allowed = user.role == "auditor" or user.is_admin
        if not self.allowed:
            return None
        f = self._filters
        try:
            service = await marketplace()
            if not self._donors:
                self._donors, self._pays = await service.device_list_choices(self._token)
            self._devices = await service.all_devices(
                self._token, f.get("state") or None, f.get("donor") or None, limit=200, pays=f.get("pays") or None,
                retired_from=f.get("retired_from") or None, retired_to=f.get("retired_to") or None)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self._devices = []
            self.error = explain(err, self.lang)
        return None


def all_devices_page() -> rx.Component:
    s = AllDevicesState
    return page_shell(
        "all.title",
        rx.cond(
            s.allowed,
            rx.fragment(
                rx.el.p(t("all.intro")),
                rx.el.form(
                    rx.el.fieldset(
                        rx.el.legend(t("cat.filters")),
                        choice(t("col.state"), "all-state", "state", s.state_filter),
                        choice(t("all.donor_choice"), "all-donor", "donor", s.donor_filter),
                        choice(t("all.pays"), "all-pays", "pays", s.pays_filter),
                        filter_field(t("all.retired_from"), "all-from", "retired_from", s.field_errors, type="date"),
                        filter_field(t("all.retired_to"), "all-to", "retired_to", s.field_errors, type="date"),
                        rx.el.button(t("cat.apply"), type="submit", class_name="button"),
                        class_name="inline-form",
                    ),
                    on_submit=s.apply, reset_on_submit=False, method="post",
                    no_validate=True,  # the service checks each field and answers in the page's language
                ),
                error_notice(s.error),
                rx.el.h2(t("all.title"), id="all-devices", class_name="visually-hidden"),
                rx.cond(
                    s.rows.length() > 0,
                    device_table("all-devices", s.rows, ["device", "state", "donor", "custodian", "updated_at"]),
                    rx.el.p(t("all.none")),
                ),
            ),
            error_notice(t("role.required")),
        ),
    )
