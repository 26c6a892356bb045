"""/enlevements and /enlevements/<id>: the pickups of my organisation (donor or claimer side), the date the two
sides agree on, the handing party's code, the devices; the scanning session is its own page (pickup_scan.py)."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from datetime import date
from typing import Any

import reflex as rx
from reflex.event import EventSpec

from schemas.pickups import PickupView
from ui import i18n, routes
from ui.components.fields import text_field
from ui.components.layout import nav_link, page_shell
from ui.components.notice import error_notice, success_notice
from ui.i18n import t
from ui.services import explain, marketplace
from ui.state import SessionState

PICKUP_ROLES = ("asset_manager", "refurbisher", "maker", "recycler")


def day(value: date, lang: str) -> str:
    return value.strftime(i18n.text("format.date", lang))


def summary(p: PickupView, lang: str) -> dict[str, str]:
    """What a list or a page says of one pickup, as text in the reader's language."""
    other = p.claimer_name if p.side == "donor" else p.donor_name
    key = "pickup.date_agreed" if p.agreed else (
        "pickup.date_yours" if p.proposed_by == p.side else "pickup.date_theirs")
    return {
        "id": p.id,
        "href": routes.pickup(p.id),
        "scan_href": routes.pickup_scan(p.id),
        "other": other,
        "donor": p.donor_name,
        "claimer": p.claimer_name,
        "site": p.site or "—",
        "expected": i18n.count(p.expected, lang),
        "date": day(p.proposed_on, lang),
        "date_status": i18n.text(key, lang),
        "lapses_at": i18n.when(p.lapses_at, lang),
        "side": i18n.text(f"pickup.side_{p.side}", lang),
    }


class PickupsState(SessionState):
    error: str = ""
    allowed: bool = True
    _pickups: list[PickupView] = []  # noqa: RUF012 (Reflex copies defaults per session)

    @rx.var
    def rows(self) -> list[dict[str, str]]:
        return [summary(p, self.lang) for p in self._pickups]

    async def load(self) -> EventSpec | None:
        self.error = ""
        self._pickups = []
        user = await self._current_user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        self.allowed = user.role in PICKUP_ROLES
        if self.allowed:
            try:
                self._pickups = await (await marketplace()).my_pickups(self._token)
            except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
                self.error = explain(err, self.lang)
        return None


def _pickup_row(r: Any) -> rx.Component:
    return rx.el.tr(
        rx.el.td(nav_link(r["other"], r["href"])),
        rx.el.td(r["side"]),
        rx.el.td(r["site"]),
        rx.el.td(r["expected"]),
        rx.el.td(r["date"], " ", rx.el.span(r["date_status"], class_name="hint")),
        rx.el.td(r["lapses_at"]),
    )


def pickups_page() -> rx.Component:
    s = PickupsState
    headers = ["pickup.col_other", "pickup.col_side", "pickup.col_site", "pickup.col_expected", "pickup.col_date",
               "pickup.col_lapses"]
    return page_shell(
        "pickup.list_title",
        rx.cond(
            s.allowed,
            rx.fragment(
                rx.el.p(t("pickup.list_hint")),
                error_notice(s.error),
                rx.el.h2(t("pickup.open_title"), id="pickups"),
                rx.cond(
                    s.rows.length() > 0,
                    rx.el.div(
                        rx.el.table(
                            rx.el.thead(rx.el.tr(*[rx.el.th(t(h), scope="col") for h in headers])),
                            rx.el.tbody(rx.foreach(s.rows, _pickup_row)),
                            aria_labelledby="pickups",
                            class_name="table",
                        ),
                        class_name="table-wrap",
                    ),
                    rx.el.p(t("pickup.none")),
                ),
            ),
            error_notice(t("role.required")),
        ),
    )


class PickupState(SessionState):
    error: str = ""
    done: str = ""
    found: bool = False
    side: str = ""
    can_accept: bool = False
    shown_code: str = ""
    shown_until: str = ""
    _pickup: PickupView | None = None

    @rx.var
    def facts(self) -> dict[str, str]:
        return summary(self._pickup, self.lang) if self._pickup is not None else {}

    @rx.var
    def devices(self) -> list[dict[str, str]]:
        if self._pickup is None:
            return []
        lang = self.lang
        return [{"code": d.code, "href": routes.device(d.code),
                 "device": f"{i18n.label('category', d.category, lang)} {d.brand} {d.model}",
                 "serial": d.serial, "status": i18n.text(f"pickup.device_{d.status}", lang)}
                for d in self._pickup.devices]

    def _id(self) -> str:
        return self.router.url.path.rstrip("/").rsplit("/", 1)[-1]

    async def load(self) -> EventSpec | None:
        self.error = self.done = self.shown_code = self.shown_until = ""
        return await self._reload()

    async def _reload(self) -> EventSpec | None:
        self._pickup = None
        self.found = False
        if await self._current_user() is None:
            return rx.redirect(routes.SIGN_IN)
        try:
            p = await (await marketplace()).pickup(self._token, self._id())
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
            return None
        self._pickup, self.found, self.side = p, True, p.side
        self.can_accept = p.open and not p.agreed and p.proposed_by != p.side
        return None

    async def _run(self, call: Any, done_key: str) -> EventSpec | None:
        self.error = self.done = ""
        if await self._current_user() is None:
            return rx.redirect(routes.SIGN_IN)
        try:
            await call
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
            return None
        self.done = i18n.text(done_key, self.lang)
        return await self._reload()

    async def accept(self) -> EventSpec | None:
        return await self._run((await marketplace()).accept_pickup_date(self._token, self._id()), "pickup.accepted")

    async def propose(self, form: dict[str, Any]) -> EventSpec | None:
        chosen = str(form.get("pickup_date", ""))
        return await self._run((await marketplace()).propose_pickup_date(self._token, self._id(), chosen),
                               "pickup.proposed")

    async def show_code(self) -> EventSpec | None:
        self.error = self.shown_code = ""
        try:
            shown = await (await marketplace()).show_pickup_code(self._token, self._id())
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
            return None
        self.shown_code, self.shown_until = shown.code, i18n.when(shown.expires_at, self.lang)
        return None


def _device_row(r: Any) -> rx.Component:
    return rx.el.tr(rx.el.td(nav_link(r["code"], r["href"]), class_name="code"), rx.el.td(r["device"]),
                    rx.el.td(r["serial"]), rx.el.td(r["status"]))


def _date_section() -> rx.Component:
    s = PickupState
    return rx.el.section(
        rx.el.h2(t("pickup.date_title"), id="pickup-date"),
        rx.el.p(t("pickup.date_label"), " ", rx.el.strong(s.facts["date"]), " — ", s.facts["date_status"]),
        rx.el.p(t("pickup.lapses_label"), " ", s.facts["lapses_at"], class_name="hint"),
        rx.cond(s.can_accept, rx.el.button(t("pickup.accept"), type="button", on_click=s.accept, class_name="button")),
        rx.el.form(
            text_field(t("pickup.other_date"), "pickup_date", type_="date", required=True),
            rx.el.button(t("pickup.propose"), type="submit", class_name="button button-quiet"),
            on_submit=s.propose,
            reset_on_submit=True,
            class_name="form",
        ),
        aria_labelledby="pickup-date",
    )


def _handover_section() -> rx.Component:
    s = PickupState
    return rx.el.section(
        rx.el.h2(t("pickup.handover_title"), id="pickup-handover"),
        rx.el.p(t("pickup.handover_hint")),
        rx.el.p(nav_link(t("pickup.start_scan"), s.facts["scan_href"]), class_name="button-link"),
        rx.cond(
            s.side == "donor",
            rx.el.div(
                rx.el.p(t("pickup.code_hint"), class_name="hint"),
                rx.el.button(t("act.show_code"), type="button", on_click=s.show_code, class_name="button"),
                rx.cond(s.shown_code != "", rx.el.div(
                    rx.el.p(t("act.code_for"), " ", rx.el.strong(s.facts["claimer"])),
                    rx.el.p(s.shown_code, class_name="handover-code"),
                    rx.el.p(t("pickup.code_valid"), " ", s.shown_until, class_name="hint"),
                    role="status",
                )),
            ),
        ),
        aria_labelledby="pickup-handover",
    )


def pickup_page() -> rx.Component:
    s = PickupState
    return page_shell(
        "pickup.title",
        error_notice(s.error),
        rx.cond(s.done != "", success_notice(rx.el.p(s.done))),
        rx.cond(
            s.found,
            rx.fragment(
                rx.el.p(t("pickup.from"), " ", rx.el.strong(s.facts["donor"]), " (", s.facts["site"], ") ",
                        t("pickup.to"), " ", rx.el.strong(s.facts["claimer"])),
                _date_section(),
                _handover_section(),
                rx.el.h2(t("pickup.devices_title"), " (", s.facts["expected"], ")", id="pickup-devices"),
                rx.el.div(
                    rx.el.table(
                        rx.el.thead(rx.el.tr(*[rx.el.th(t(h), scope="col") for h in
                                               ["col.code", "col.device", "pickup.col_serial", "pickup.col_status"]])),
                        rx.el.tbody(rx.foreach(s.devices, _device_row)),
                        aria_labelledby="pickup-devices",
                        class_name="table",
                    ),
                    class_name="table-wrap",
                ),
            ),
        ),
    )
