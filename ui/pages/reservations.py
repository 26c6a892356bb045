"""/mes-reservations (third places): my reservations (cancel one) and the devices we received."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from schemas.views import DeviceSummary, ReservationView
from ui import i18n, routes
from ui.components.device_table import device_row, device_table
from ui.components.layout import page_shell
from ui.components.notice import error_notice, success_notice
from ui.i18n import t
from ui.services import explain, marketplace, perform
from ui.state import SessionState


class ReservationsState(SessionState):
    error: str = ""
    allowed: bool = True
    cancelled_code: str = ""
    _reservations: list[ReservationView] = []  # noqa: RUF012 (Reflex copies defaults per session)
    _received: list[DeviceSummary] = []  # noqa: RUF012

    @rx.var
    def reservation_rows(self) -> list[dict[str, str]]:
        rows = []
        for r in self._reservations:
            row = device_row(r.device, self.lang)
            row["hold_until"] = i18n.when(r.hold_until, self.lang)
            row["cancel_label"] = f"{i18n.text('res.cancel_label', self.lang)} {row['device']} ({r.device.code})"
            rows.append(row)
        return rows

    @rx.var
    def received_rows(self) -> list[dict[str, str]]:
        return [device_row(d, self.lang) for d in self._received]

    async def load(self) -> EventSpec | None:
        self.error = ""
        self.cancelled_code = ""
        return await self._reload()

    async def cancel(self, code: str) -> EventSpec | None:
        self.error = ""
        self.cancelled_code = ""
        if await self._current_user() is None:
            return rx.redirect(routes.SIGN_IN)
        self.cancelled_code, self.error = await perform(self._token, code, "cancel_reservation", {}, self.lang)
        return await self._reload()

    async def _reload(self) -> EventSpec | None:
        user = await self._current_user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        self.allowed = user.role == "third_place"
        if not self.allowed:
            return None
        service = await marketplace()
        try:
            self._reservations = await service.my_reservations(self._token)
            self._received = await service.my_received(self._token)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
        return None


def _cancel_button(row: Any) -> rx.Component:
    return rx.el.button(
        t("res.cancel"), type="button", aria_label=row["cancel_label"],
        on_click=ReservationsState.cancel(row["code"]),  # type: ignore[call-arg]  # bound with a var, at render
        class_name="button button-quiet",
    )


def reservations_page() -> rx.Component:
    s = ReservationsState
    return page_shell(
        "res.title",
        rx.cond(
            s.allowed,
            rx.fragment(
                rx.el.p(t("res.hint")),
                error_notice(s.error),
                rx.cond(s.cancelled_code != "", success_notice(rx.el.p(t("res.cancelled"), " ", s.cancelled_code))),
                rx.el.h2(t("res.title"), id="reservations", class_name="visually-hidden"),
                rx.cond(
                    s.reservation_rows.length() > 0,
                    device_table("reservations", s.reservation_rows, ["device", "grade", "hold_until"], _cancel_button),
                    rx.el.p(t("res.none")),
                ),
                rx.el.h2(t("res.received"), id="received"),
                rx.cond(
                    s.received_rows.length() > 0,
                    device_table("received", s.received_rows, ["device", "state", "updated_at"]),
                    rx.el.p(t("res.received_none")),
                ),
            ),
            error_notice(t("role.required")),
        ),
    )
