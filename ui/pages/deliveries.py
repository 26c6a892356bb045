"""/livraisons: the deliveries a workshop owes tiers-lieux, or a tiers-lieu awaits (its reservations among one
workshop's devices, handed over at once); the workshop shows the one-time code for one; the scanning session
is the pickups' page (`pickup_scan.py`, at /livraisons/<organisation>/remise)."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from schemas.pickups import DeliveryView
from ui import i18n, routes
from ui.components.layout import nav_link, page_shell
from ui.components.notice import error_notice
from ui.i18n import t
from ui.services import explain, marketplace
from ui.state import SessionState

DELIVERY_ROLES = ("refurbisher", "maker", "recycler", "third_place")


class DeliveriesState(SessionState):
    error: str = ""
    allowed: bool = True
    giving: bool = False
    shown_code: str = ""
    shown_for: str = ""
    shown_until: str = ""
    _deliveries: list[DeliveryView] = []  # noqa: RUF012 (Reflex copies defaults per session)

    @rx.var
    def rows(self) -> list[dict[str, str]]:
        lang = self.lang
        rows = []
        for d in self._deliveries:
            other = d.receiver if d.side == "giver" else d.giver
            rows.append({"other": other, "other_name": d.receiver_name if d.side == "giver" else d.giver_name,
                         "expected": i18n.count(d.expected, lang), "hold": i18n.when(d.first_hold_ends, lang),
                         "scan_href": routes.delivery_scan(other)})
        return rows

    async def load(self) -> EventSpec | None:
        self.error = self.shown_code = self.shown_for = self.shown_until = ""
        self._deliveries = []
        user = await self._current_user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        self.allowed = user.role in DELIVERY_ROLES
        self.giving = user.role != "third_place"
        if self.allowed:
            try:
                self._deliveries = await (await marketplace()).my_deliveries(self._token)
            except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
                self.error = explain(err, self.lang)
        return None

    async def show_code(self, other: str) -> None:
        self.error = self.shown_code = ""
        try:
            shown = await (await marketplace()).show_delivery_code(self._token, other)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
            return
        names = {r["other"]: r["other_name"] for r in self.rows}
        self.shown_code, self.shown_for = shown.code, names.get(other, other)
        self.shown_until = i18n.when(shown.expires_at, self.lang)


def _row(r: Any) -> rx.Component:
    s = DeliveriesState
    return rx.el.tr(
        rx.el.td(r["other_name"]),
        rx.el.td(r["expected"]),
        rx.el.td(r["hold"]),
        rx.el.td(
            nav_link(t("delivery.start_scan"), r["scan_href"]),
            rx.cond(s.giving, rx.el.button(
                t("act.show_code"), type="button", class_name="button button-quiet",
                on_click=s.show_code(r["other"]),  # type: ignore[call-arg]  # bound with a var, at render
            )),
        ),
    )


def deliveries_page() -> rx.Component:
    s = DeliveriesState
    headers = ["delivery.col_other", "delivery.col_expected", "delivery.col_hold", "col.action"]
    return page_shell(
        "delivery.list_title",
        rx.cond(
            s.allowed,
            rx.fragment(
                rx.el.p(t("delivery.list_hint")),
                error_notice(s.error),
                rx.cond(s.shown_code != "", rx.el.div(
                    rx.el.p(t("act.code_for"), " ", rx.el.strong(s.shown_for)),
                    rx.el.p(s.shown_code, class_name="handover-code"),
                    rx.el.p(t("pickup.code_valid"), " ", s.shown_until, class_name="hint"),
                    role="status",
                )),
                rx.el.h2(t("delivery.open_title"), id="deliveries"),
                rx.cond(
                    s.rows.length() > 0,
                    rx.el.div(
                        rx.el.table(
                            rx.el.thead(rx.el.tr(*[rx.el.th(t(h), scope="col") for h in headers])),
                            rx.el.tbody(rx.foreach(s.rows, _row)),
                            aria_labelledby="deliveries",
                            class_name="table",
                        ),
                        class_name="table-wrap",
                    ),
                    rx.el.p(t("delivery.none")),
                ),
            ),
            error_notice(t("role.required")),
        ),
    )
