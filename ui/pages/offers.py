"""/offres (refurbishers, makers, recyclers): the open offers for my organisation, by donor site, and claiming.

Offers are grouped by donor site (one pickup trip), each device a card with what it is, its specs, how far,
until when, and the router's reasons in one line (the whole score explanation on demand). People filter
(category, donor, distance, expiry) and sort, then claim one device, a selection, or a whole site in one
action: each claim still wins or loses on its own (`services.bulk_actions`) and the page says which.
"""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from marketplace.services.bulk_actions import BatchItem
from schemas.views import OfferView
from ui import i18n, routes
from ui.components.layout import nav_link, page_shell
from ui.components.notice import error_notice, success_notice
from ui.i18n import t
from ui.offer_groups import (
    EXPIRY_WINDOWS,
    SORTS,
    OfferCard,
    OfferFilters,
    OfferGroup,
    donor_choices,
    groups,
    parse_max_km,
)
from ui.services import explain, marketplace
from ui.state import SessionState

CLAIMING_ROLES = ("refurbisher", "maker", "recycler")


class OffersState(SessionState):
    error: str = ""
    claimed_code: str = ""
    declined_code: str = ""
    allowed: bool = True
    selected: list[str] = []  # noqa: RUF012 (Reflex copies defaults per session)  # device codes
    claim_results: list[dict[str, str]] = []  # noqa: RUF012
    f_category: str = ""
    f_donor: str = ""
    f_km: str = ""
    f_expiring: str = ""
    f_sort: str = "expiry"
    km_error: str = ""
    _offers: list[OfferView] = []  # noqa: RUF012

    @rx.var
    def claimed_href(self) -> str:
        return routes.device(self.claimed_code)

    @rx.var
    def offer_groups(self) -> list[OfferGroup]:
        try:
            km = parse_max_km(self.f_km)
        except ValueError:
            km = None
        filters = OfferFilters(self.f_category, self.f_donor, km, self.f_expiring, self.f_sort)
        return groups(self._offers, filters, self.lang)

    @rx.var
    def has_offers(self) -> bool:
        return bool(self._offers)

    @rx.var
    def category_options(self) -> list[list[str]]:
        present = {o.device.category for o in self._offers}
        return [[value, text] for value, text in i18n.options("category", self.lang) if value in present]

    @rx.var
    def donor_options(self) -> list[list[str]]:
        return donor_choices(self._offers)

    @rx.var
    def expiring_options(self) -> list[list[str]]:
        keys = {"": "any", "24h": "24h", "3d": "3d", "7d": "7d"}
        return [[value, i18n.text(f"offers.expiring_{keys[value]}", self.lang)] for value in EXPIRY_WINDOWS]

    @rx.var
    def sort_options(self) -> list[list[str]]:
        return [[value, i18n.text(f"offers.sort_{value}", self.lang)] for value in SORTS]

    @rx.var
    def selected_count(self) -> str:
        return i18n.text("offers.selected_count", self.lang).format(n=i18n.count(len(self.selected), self.lang))

    async def load(self) -> EventSpec | None:
        self.error = ""
        self.claimed_code = ""
        self.claim_results = []
        self.selected = []
        return await self._reload()

    async def refresh(self) -> EventSpec | None:
        self.error = ""
        return await self._reload()

    def apply_filters(self, form: dict[str, Any]) -> None:
        self.f_category = str(form.get("category", ""))[:40]
        self.f_donor = str(form.get("donor", ""))[:100]
        self.f_expiring = str(form.get("expiring", ""))[:8]
        self.f_sort = str(form.get("sort", "expiry"))[:20]
        self.f_km = str(form.get("max_km", ""))[:20]
        self.km_error = ""
        try:
            parse_max_km(self.f_km)
        except ValueError:
            self.km_error = i18n.text("offers.filter_km_invalid", self.lang)

    def toggle(self, code: str) -> None:
        self.selected = [c for c in self.selected if c != code] if code in self.selected else [*self.selected, code]

    async def claim(self, offer_id: str) -> EventSpec | None:
        self.error = ""
        self.claimed_code = ""
        self.claim_results = []
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

    async def claim_selected(self) -> EventSpec | None:
        if not self.selected:
            self.error = i18n.text("offers.nothing_selected", self.lang)
            return None
        return await self._claim_many(list(self.selected))

    async def claim_site(self, donor: str) -> EventSpec | None:
        return await self._claim_many([o.device.code for o in self._offers if o.device.donor_slug == donor])

    async def _claim_many(self, codes: list[str]) -> EventSpec | None:
        """Each claim on its own: the first organisation to claim a device wins it, the page says which."""
        self.error = ""
        self.claimed_code = ""
        self.claim_results = []
        if await self._current_user() is None:
            return rx.redirect(routes.SIGN_IN)
        try:
            outcomes = await (await marketplace()).perform_batch(self._token, "claim", {},
                                                                 [BatchItem(code, {}) for code in codes])
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
            return None
        self.claim_results = [{
            "code": o.code, "href": routes.device(o.code), "ok": "1" if o.device is not None else "",
            "text": "" if o.refusal is None else explain(o.refusal, self.lang),
        } for o in outcomes]
        self.selected = []
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
        still = {o.device.code for o in self._offers}
        self.selected = [c for c in self.selected if c in still]


def _select(label: Any, id_: str, name: str, options: Any, value: Any, *, any_label: Any = None) -> rx.Component:
    return rx.el.div(
        rx.el.label(label, html_for=id_),
        rx.el.select(
            *([rx.el.option(any_label, value="")] if any_label is not None else []),
            rx.foreach(options, lambda pair: rx.el.option(pair[1], value=pair[0])),
            id=id_, name=name, default_value=value,
        ),
        class_name="field",
    )


def _filters() -> rx.Component:
    s = OffersState
    return rx.el.details(
        rx.el.summary(t("offers.filters")),
        rx.el.form(
            _select(t("offers.filter_category"), "offers-category", "category", s.category_options, s.f_category,
                    any_label=t("offers.filter_all")),
            _select(t("offers.filter_donor"), "offers-donor", "donor", s.donor_options, s.f_donor,
                    any_label=t("offers.filter_all")),
            rx.el.div(
                rx.el.label(t("offers.filter_km"), html_for="offers-km"),
                rx.el.input(id="offers-km", name="max_km", input_mode="decimal", default_value=s.f_km,
                            auto_complete="off", aria_invalid=rx.cond(s.km_error != "", "true", "false"),
                            aria_describedby="offers-km-error"),
                rx.el.p(s.km_error, id="offers-km-error", class_name="field-error"),
                class_name="field",
            ),
            _select(t("offers.filter_expiring"), "offers-expiring", "expiring", s.expiring_options, s.f_expiring),
            _select(t("offers.sort"), "offers-sort", "sort", s.sort_options, s.f_sort),
            rx.el.button(t("offers.apply"), type="submit", class_name="button button-quiet"),
            on_submit=s.apply_filters, reset_on_submit=False, class_name="form filters",
        ),
        class_name="offers-filters",
    )


def _card(c: OfferCard) -> rx.Component:
    box_id = "pick-" + c.id
    return rx.el.article(
        rx.el.div(
            # Not controlled: the box ticks at once, the state follows (a controlled box waits for the server).
            rx.el.input(type="checkbox", id=box_id, default_checked=OffersState.selected.contains(c.code),
                        on_change=OffersState.toggle(c.code)),  # type: ignore[call-arg]
            rx.el.label(c.select_label, html_for=box_id, class_name="visually-hidden"),
            rx.el.h3(nav_link(c.code, c.href), " ", c.title, class_name="offer-title"),
            class_name="offer-head",
        ),
        rx.el.p(c.facts),
        rx.el.p(c.specs),
        rx.el.p(c.where),
        rx.el.p(rx.el.strong(t("offers.why")), " ", rx.el.span(c.short_reasons, lang=c.reasons_lang)),
        rx.el.details(
            rx.el.summary(t("offers.details")),
            rx.el.ul(rx.foreach(c.reasons, lambda r: rx.el.li(r)), lang=c.reasons_lang),
            rx.el.p(c.score, class_name="hint"),
        ),
        rx.el.div(
            rx.el.button(t("offers.claim"), type="button", aria_label=c.claim_label,
                         on_click=OffersState.claim(c.id),  # type: ignore[call-arg]  # bound with a var, at render
                         class_name="button"),
            rx.el.form(
                rx.el.input(type="hidden", name="code", default_value=c.code),
                rx.el.label(c.reason_label, html_for="reason-" + c.id, class_name="visually-hidden"),
                rx.el.input(id="reason-" + c.id, name="reason", placeholder=t("act.reason")),
                rx.el.button(t("offers.decline"), type="submit", class_name="button button-quiet"),
                on_submit=OffersState.decline, reset_on_submit=True, method="post", class_name="row-form",
            ),
            class_name="offer-actions",
        ),
        class_name="offer-card",
    )


def _group(g: OfferGroup) -> rx.Component:
    heading_id = "site-" + g.donor
    return rx.el.section(
        rx.el.h2(g.heading, id=heading_id),
        rx.el.p(g.summary, " ",
                rx.el.button(t("offers.claim_site_button"), type="button", aria_label=g.claim_all_label,
                             on_click=OffersState.claim_site(g.donor),  # type: ignore[call-arg]
                             class_name="button button-quiet")),
        rx.foreach(g.offers, _card),
        aria_labelledby=heading_id,
        class_name="offer-site",
    )


def _claim_result(r: Any) -> rx.Component:
    return rx.el.li(
        nav_link(r["code"], r["href"]), " : ",
        rx.cond(r["ok"] != "", rx.el.strong(t("offers.claim_won")), rx.el.strong(t("offers.claim_lost"))),
        rx.cond(r["text"] != "", rx.fragment(" — ", r["text"])),
        class_name=rx.cond(r["ok"] != "", "result-done", "result-refused"),
    )


def offers_page() -> rx.Component:
    s = OffersState
    return page_shell(
        "offers.title",
        rx.cond(
            s.allowed,
            rx.fragment(
                rx.el.p(t("offers.intro")),
                error_notice(s.error),
                rx.cond(
                    s.claimed_code != "",
                    success_notice(rx.el.p(t("offers.claimed"), " ", nav_link(s.claimed_code, s.claimed_href))),
                ),
                rx.cond(
                    s.claim_results.length() > 0,  # type: ignore[attr-defined]
                    success_notice(rx.el.h2(t("offers.claims_result")),
                                   rx.el.ul(rx.foreach(s.claim_results, _claim_result), class_name="plain-list")),
                ),
                rx.cond(
                    s.declined_code != "",
                    success_notice(rx.el.p(t("offers.declined"), " ", s.declined_code)),
                ),
                rx.el.p(rx.el.button(t("offers.refresh"), type="button", on_click=s.refresh,
                                     class_name="button button-quiet")),
                rx.cond(
                    s.has_offers,
                    rx.fragment(
                        _filters(),
                        rx.cond(s.offer_groups.length() > 0,  # type: ignore[attr-defined]
                                rx.foreach(s.offer_groups, _group), rx.el.p(t("offers.none_filtered"))),
                        rx.el.div(
                            rx.el.span(s.selected_count),
                            rx.el.button(t("offers.claim_selected"), type="button", on_click=s.claim_selected,
                                         class_name="button"),
                            class_name="selection-bar",
                        ),
                    ),
                    rx.el.p(t("offers.none")),
                ),
            ),
            error_notice(t("role.required")),
        ),
    )
