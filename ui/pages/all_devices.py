"""/appareils (auditors, admins): every device, filtered by state and donor; read only."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from schemas.views import DeviceSummary
from ui import i18n, routes
from ui.components.action_forms import choice, field
from ui.components.device_table import device_row, device_table
from ui.components.layout import page_shell
from ui.components.notice import error_notice
from ui.i18n import t
from ui.services import explain, marketplace
from ui.state import SessionState


class AllDevicesState(SessionState):
    error: str = ""
    allowed: bool = True
    _filters: dict[str, str] = {}  # noqa: RUF012 (Reflex copies defaults per session)
    _devices: list[DeviceSummary] = []  # noqa: RUF012

    @rx.var
    def rows(self) -> list[dict[str, str]]:
        return [device_row(d, self.lang) for d in self._devices]

    @rx.var
    def state_filter(self) -> list[list[str]]:
        return [["", i18n.text("cat.any", self.lang)], *[[v, s] for v, s in i18n.options("state", self.lang)]]

    async def load(self) -> EventSpec | None:
        self.error = ""
        self._filters = {}
        return await self._reload()

    async def apply(self, form: dict[str, Any]) -> EventSpec | None:
        self.error = ""
        self._filters = {k: str(form.get(k, "")).strip() for k in ("state", "donor")}
        return await self._reload()

    async def _reload(self) -> EventSpec | None:
        user = await self._current_user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        self.allowed = user.role == "auditor" or user.is_admin
        if not self.allowed:
            return None
        try:
            self._devices = await (await marketplace()).all_devices(
                self._token, self._filters.get("state") or None, self._filters.get("donor") or None, limit=200)
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
                        field(t("all.donor"), "all-donor", "donor"),
                        rx.el.button(t("cat.apply"), type="submit", class_name="button"),
                        class_name="inline-form",
                    ),
                    on_submit=s.apply, reset_on_submit=False, method="post",
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
