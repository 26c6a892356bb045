"""/mes-appareils (refurbishers, makers, recyclers): the devices my organisation holds or has claimed."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec

from schemas.views import DeviceSummary
from ui import routes
from ui.components.device_table import device_row, device_table
from ui.components.layout import nav_link, page_shell
from ui.components.notice import error_notice
from ui.i18n import t
from ui.services import explain, marketplace
from ui.state import SessionState

WORKSHOP_ROLES = ("refurbisher", "maker", "recycler")


class MyDevicesState(SessionState):
    error: str = ""
    allowed: bool = True
    _devices: list[DeviceSummary] = []  # noqa: RUF012 (Reflex copies defaults per session)

    @rx.var
    def rows(self) -> list[dict[str, str]]:
        return [device_row(d, self.lang) for d in self._devices]

    async def load(self) -> EventSpec | None:
        self.error = ""
        self._devices = []
        user = await self._current_user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        self.allowed = user.role in WORKSHOP_ROLES
        if self.allowed:
            try:
                self._devices = await (await marketplace()).my_devices(self._token)
            except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
                self.error = explain(err, self.lang)
        return None


def my_devices_page() -> rx.Component:
    return page_shell(
        "mine.title",
        rx.cond(
            MyDevicesState.allowed,
            rx.el.section(
                rx.el.p(t("mine.intro"), id="mine-intro"),
                rx.el.p(nav_link(t("mine.batch_link"), routes.BATCH)),
                error_notice(MyDevicesState.error),
                rx.el.h2(t("mine.title"), id="mine", class_name="visually-hidden"),
                rx.cond(
                    MyDevicesState.rows.length() > 0,
                    device_table("mine", MyDevicesState.rows, ["device", "state", "donor", "updated_at"]),
                    rx.el.p(t("mine.none")),
                ),
            ),
            error_notice(t("role.required")),
        ),
    )
