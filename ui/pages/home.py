"""/: who you are, what needs your attention now (with counts) and what you can do; or an invitation to sign in."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx

from ui import i18n, routes
from ui.components.layout import nav_link, page_shell, role_links
from ui.components.notice import error_notice
from ui.i18n import t
from ui.services import explain, marketplace
from ui.state import SessionState

# Each count of the attention panel, in display order, and the page where it is dealt with.
ATTENTION_PAGES = {
    "offers_expiring": routes.OFFERS,
    "pickups_to_collect": routes.PICKUPS,
    "devices_waiting": routes.MY_DEVICES,
    "reservations_to_collect": routes.RESERVATIONS,
    "donations_awaiting_pickup": routes.PICKUPS,
    "dead_letters": routes.ADMIN_DEAD_LETTERS,
    "unclaimed_devices": routes.ADMIN_UNCLAIMED,
}


class HomeState(SessionState):
    """The counts of what needs the signed-in user's attention (only those that concern the role)."""

    counts: dict[str, int] = {}  # noqa: RUF012 (Reflex copies defaults per session)
    loaded: bool = False
    error: str = ""

    async def load(self) -> None:
        user = await self._current_user()
        self.counts, self.loaded, self.error = {}, False, ""
        if user is None:
            return
        try:
            view = await (await marketplace()).attention(self._token)
        except Exception as err:  # noqa: BLE001 (the sentence is for the user; explain() logs the rest)
            self.error = explain(err, self.lang)
            return
        self.counts = {name: value for name, value in view.model_dump().items() if value is not None}
        self.loaded = True

    @rx.var
    def attention_items(self) -> list[dict[str, str]]:
        """One line per count: its label, the number written in the user's language, where to act."""
        return [
            {"label": i18n.text(f"attention.{name}", self.lang), "count": i18n.count(self.counts[name], self.lang),
             "href": href, "name": name}
            for name, href in ATTENTION_PAGES.items() if name in self.counts
        ]


def _attention_line(item: Any) -> rx.Component:
    content = rx.fragment(rx.el.span(item["label"]), t("punct.colon"), rx.el.strong(item["count"]))
    return rx.el.li(
        rx.cond(item["href"] != "", nav_link(content, item["href"]), content),
        data_attention=item["name"],
    )


def _attention() -> rx.Component:
    return rx.el.section(
        rx.el.h2(t("attention.title"), id="attention-title"),
        error_notice(HomeState.error),
        rx.cond(
            HomeState.loaded,
            rx.cond(HomeState.attention_items.length() > 0,
                    rx.el.ul(rx.foreach(HomeState.attention_items, _attention_line), class_name="attention"),
                    rx.el.p(t("attention.nothing"))),
            rx.cond(HomeState.error == "", rx.el.p(t("attention.loading"), role="status")),
        ),
        aria_labelledby="attention-title",
        on_mount=HomeState.load,
    )


def _signed_in() -> rx.Component:
    return rx.el.section(
        rx.el.p(t("home.signed_in_as"), " ", rx.el.strong(SessionState.user_name),
                " (", SessionState.user_email, ")"),
        rx.el.dl(
            rx.el.dt(t("home.role")), rx.el.dd(SessionState.role_label),
            rx.el.dt(t("home.org")), rx.el.dd(SessionState.org_name),
            class_name="facts",
        ),
        rx.cond(SessionState.role_intro != "", rx.el.p(SessionState.role_intro)),
        rx.cond(SessionState.is_admin, rx.el.p(t("home.intro_admin"))),
        _attention(),
        rx.el.h2(t("home.what_next")),
        rx.el.ul(
            rx.cond(SessionState.can_retire, rx.el.li(nav_link(t("nav.retire"), routes.RETIRE))),
            rx.cond(SessionState.can_claim, rx.el.li(nav_link(t("nav.offers"), routes.OFFERS))),
            *role_links(),
            class_name="actions",
        ),
    )


def _signed_out() -> rx.Component:
    return rx.el.section(
        rx.el.p(t("home.please_sign_in")),
        rx.el.p(nav_link(t("nav.signin"), routes.SIGN_IN)),
        rx.el.h2(t("home.lookup")),
        rx.el.p(t("home.lookup_hint")),
    )


def home_page() -> rx.Component:
    return page_shell(
        "home.title",
        rx.el.p(t("app.tagline"), class_name="lead"),
        rx.cond(SessionState.signed_in, _signed_in(), _signed_out()),
    )
