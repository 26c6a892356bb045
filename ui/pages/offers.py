"""/offres (refurbishers, makers, recyclers): the open offers for my organisation, and claiming one."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from schemas.views import OfferView
from ui import i18n, routes
from ui.action_inputs import require_filled
from ui.components.layout import nav_link, page_shell
from ui.components.notice import error_notice, success_notice
from ui.i18n import t
from ui.i18n_reasons import reasons_text
from ui.services import explain, marketplace
from ui.state import SessionState

CLAIMING_ROLES = ("refurbisher", "maker", "recycler")


class OffersState(SessionState):
    error: str = ""
    claimed_code: str = ""
    declined_code: str = ""
    allowed: bool = True
    _offers: list[OfferView] = []  # noqa: RUF012 (Reflex copies defaults per session)

    @rx.var
    def claimed_href(self) -> str:
        return routes.device(self.claimed_code)

    @rx.var
    def offer_rows(self) -> list[dict[str, str]]:
        rows = []
        for offer in self._offers:
            d = offer.device
            device = f"{i18n.label('category', d.category, self.lang)} {d.brand} {d.model}"
            # The router's reasons in the reader's language; an older offer has them in French only.
            reasons = reasons_text(offer.reason_codes, self.lang)
            rows.append({
                "id": offer.id,
                "code": d.code,
                "href": routes.device(d.code),
                "device": device,
                "donor": d.donor_name,
                "score": f"{offer.score:.2f}".replace(".", "," if self.lang == "fr" else "."),
                "reasons": " ; ".join(offer.reasons if reasons is None else reasons),
                "reasons_lang": "fr" if reasons is None else self.lang,
                "expires": i18n.when(offer.expires_at, self.lang),
                "claim_label": f"{i18n.text('offers.claim_label', self.lang)} {device} ({d.code})",
                "reason_label": f"{i18n.text('offers.decline_reason', self.lang)} {device} ({d.code})",
            })
        return rows

    async def load(self) -> EventSpec | None:
        self.error = ""
        self.claimed_code = ""
        return await self._reload()

    async def refresh(self) -> EventSpec | None:
        self.error = ""
        return await self._reload()

    async def claim(self, offer_id: str) -> EventSpec | None:
        self.error = ""
        self.claimed_code = ""
        if await self._current_user() is None:
            return rx.redirect(routes.SIGN_IN)
        try:
            summary = await (await marketplace()).claim_offer(self._token, offer_id)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
        else:
            self.claimed_code = summary.code
        await self._load_offers()
        return None

    async def decline(self, form: dict[str, Any]) -> EventSpec | None:
        """Decline the offer of one device, with a reason; the router then looks further."""
        self.error = ""
        self.declined_code = ""
        if await self._current_user() is None:
            return rx.redirect(routes.SIGN_IN)
        code = str(form.get("code", ""))[:40]
        try:
            require_filled(form, (("reason", "offers.decline_reason"),), self.lang)
            await (await marketplace()).perform(self._token, code, "decline",
                                                {"reason": str(form.get("reason", ""))})
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
        else:
            self.declined_code = code
        await self._load_offers()
        return None

    async def _reload(self) -> EventSpec | None:
        user = await self._current_user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        self.allowed = user.role in CLAIMING_ROLES
        if self.allowed:
            await self._load_offers()
        return None

    async def _load_offers(self) -> None:
        try:
            self._offers = await (await marketplace()).open_offers(self._token)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self._offers = []
            self.error = explain(err, self.lang)


def _offer_row(row: Any) -> rx.Component:
    return rx.el.tr(
        rx.el.td(nav_link(row["code"], row["href"]), class_name="code"),
        rx.el.td(row["device"]),
        rx.el.td(row["donor"]),
        rx.el.td(row["score"]),
        # Offers made before reasons had codes show the French the router wrote, marked as French so that
        # screen readers pronounce it right when the page is in English.
        rx.el.td(row["reasons"], lang=row["reasons_lang"]),
        rx.el.td(row["expires"]),
        rx.el.td(rx.el.button(
            t("offers.claim"),
            type="button",
            aria_label=row["claim_label"],
            on_click=OffersState.claim(row["id"]),  # type: ignore[call-arg]  # bound with a var, at render
            class_name="button",
        )),
        rx.el.td(rx.el.form(
            rx.el.input(type="hidden", name="code", default_value=row["code"]),
            rx.el.label(row["reason_label"], html_for="reason-" + row["id"], class_name="visually-hidden"),
            rx.el.input(id="reason-" + row["id"], name="reason", required=True, min_length=3,
                        placeholder=t("act.reason")),
            rx.el.button(t("offers.decline"), type="submit", class_name="button button-quiet"),
            no_validate=True,
            on_submit=OffersState.decline, reset_on_submit=True, method="post", class_name="row-form",
        )),
    )


def _table() -> rx.Component:
    headers = ["col.code", "col.device", "col.donor", "col.score", "col.reasons", "col.expires", "col.action", "offers.decline"]
    return rx.el.table(
        rx.el.caption(t("offers.title"), class_name="visually-hidden"),
        rx.el.thead(rx.el.tr(*[rx.el.th(t(key), scope="col") for key in headers])),
        rx.el.tbody(rx.foreach(OffersState.offer_rows, _offer_row)),
        class_name="table",
    )


def offers_page() -> rx.Component:
    return page_shell(
        "offers.title",
        rx.cond(
            OffersState.allowed,
            rx.fragment(
                rx.el.p(t("offers.intro")),
                error_notice(OffersState.error),
                rx.cond(
                    OffersState.claimed_code != "",
                    success_notice(rx.el.p(
                        t("offers.claimed"), " ",
                        nav_link(OffersState.claimed_code, OffersState.claimed_href),
                    )),
                ),
                rx.cond(
                    OffersState.declined_code != "",
                    success_notice(rx.el.p(t("offers.declined"), " ", OffersState.declined_code)),
                ),
                rx.el.p(rx.el.button(t("offers.refresh"), type="button", on_click=OffersState.refresh,
                                     class_name="button button-quiet")),
                rx.cond(OffersState.offer_rows.length() > 0, _table(), rx.el.p(t("offers.none"))),
            ),
            error_notice(t("role.required")),
        ),
    )
