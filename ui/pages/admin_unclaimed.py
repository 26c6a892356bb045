"""/admin/non-reclames (admins): devices nobody took after the last routing round; route again or write off."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from schemas.views import DeviceSummary
from ui import i18n, routes
from ui.action_inputs import require_filled
from ui.components.admin_gate import GRANTED, REFUSED, admin_only
from ui.components.layout import nav_link, page_shell
from ui.components.notice import error_notice, success_notice
from ui.components.table import data_table
from ui.i18n import t
from ui.services import explain, marketplace
from ui.state import SessionState


def unclaimed_row(d: DeviceSummary, lang: str) -> dict[str, str]:
    return {
        "code": d.code,
        "href": routes.device(d.code),
        "category": i18n.label("category", d.category, lang),
        "model": f"{d.brand} {d.model}",
        "donor": d.donor_name,
        "pays": d.pays_code,
        # The device's last event is the end of its last round: it has been waiting since then.
        "since": i18n.when(d.updated_at, lang),
        "route_label": f"{i18n.text('unc.route_label', lang)} {d.code}",
        "reason_label": f"{i18n.text('unc.reason_label', lang)} {d.code}",
        "write_off_label": f"{i18n.text('unc.write_off', lang)} {d.code}",
    }


class AdminUnclaimedState(SessionState):
    access: str = ""
    error: str = ""
    done: str = ""
    _devices: list[DeviceSummary] = []  # noqa: RUF012 (Reflex copies defaults per session)

    @rx.var
    def rows(self) -> list[dict[str, str]]:
        return [unclaimed_row(d, self.lang) for d in self._devices]

    async def load(self) -> EventSpec | None:
        self.error = ""
        self.done = ""
        return await self._reload()

    async def refresh(self) -> EventSpec | None:
        self.error = ""
        return await self._reload()

    async def route_again(self, code: str) -> EventSpec | None:
        self.error = ""
        self.done = ""
        code = str(code)[:40]
        try:
            offers = await (await marketplace()).route_again(self._token, code)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
        else:
            self.done = i18n.text("unc.routed" if offers else "unc.routed_none", self.lang).format(
                code=code, offers=offers)
        return await self._reload()

    async def write_off(self, form: dict[str, Any]) -> EventSpec | None:
        self.error = ""
        self.done = ""
        code = str(form.get("code", ""))[:40]
        try:
            require_filled(form, (("reason", "act.reason"),), self.lang)
            await (await marketplace()).perform(self._token, code, "write_off",
                                                {"reason": str(form.get("reason", "")).strip()})
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
        else:
            self.done = i18n.text("unc.written_off", self.lang).format(code=code)
        return await self._reload()

    async def _reload(self) -> EventSpec | None:
        user = await self._current_user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        self.access = GRANTED if user.is_admin else REFUSED
        if not user.is_admin:
            self._devices = []
            return None
        try:
            self._devices = await (await marketplace()).unclaimed_devices(self._token)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self._devices = []
            self.error = explain(err, self.lang)
        return None


def _row(r: Any) -> rx.Component:
    s = AdminUnclaimedState
    return rx.el.tr(
        rx.el.th(nav_link(r["code"], r["href"]), scope="row", class_name="code"),
        rx.el.td(r["category"]),
        rx.el.td(r["model"]),
        rx.el.td(r["donor"]),
        rx.el.td(r["pays"]),
        rx.el.td(r["since"]),
        rx.el.td(rx.el.button(
            t("unc.route_again"), type="button", aria_label=r["route_label"],
            on_click=s.route_again(r["code"]),  # type: ignore[call-arg]  # bound with a var, at render
            class_name="button",
        )),
        rx.el.td(rx.el.form(
            rx.el.input(type="hidden", name="code", default_value=r["code"]),
            rx.el.label(r["reason_label"], html_for="write-off-" + r["code"], class_name="visually-hidden"),
            rx.el.input(id="write-off-" + r["code"], name="reason", required=True, min_length=3, max_length=500,
                        placeholder=t("unc.reason_placeholder"), auto_complete="off"),
            rx.el.button(t("unc.write_off"), type="submit", aria_label=r["write_off_label"],
                         class_name="button button-quiet"),
            no_validate=True,
            on_submit=s.write_off, reset_on_submit=True, method="post", class_name="row-form",
        )),
    )


def _table() -> rx.Component:
    cols = ["col.code", "unc.col_category", "unc.col_model", "col.donor", "unc.col_pays", "unc.col_since",
            "unc.col_route", "unc.col_write_off"]
    return data_table("unc-list", cols, AdminUnclaimedState.rows, _row)


def admin_unclaimed_page() -> rx.Component:
    s = AdminUnclaimedState
    return page_shell(
        "unc.title",
        admin_only(
            s.access,
            rx.el.p(t("unc.intro")),
            error_notice(s.error),
            rx.cond(s.done != "", success_notice(rx.el.p(s.done))),
            rx.el.p(rx.el.button(t("ops.refresh"), type="button", on_click=s.refresh,
                                 class_name="button button-quiet")),
            rx.el.h2(t("unc.list"), id="unc-list"),
            rx.cond(s.rows.length() > 0, _table(), rx.el.p(t("unc.none"))),
        ),
    )
