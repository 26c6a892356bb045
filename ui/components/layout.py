"""The page shell: skip link, header (brand, navigation, language, session), main landmark, footer."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex_components_core.react_router.dom import ReactRouterLink

from marketplace.i18n import catalogues
from ui import routes
from ui.components.html_lang import html_lang
from ui.i18n import t
from ui.state import SessionState


def nav_link(label: Any, href: Any) -> rx.Component:
    """An internal link that navigates without reloading the page."""
    return ReactRouterLink.create(label, to=href, class_name="link")


def role_links() -> list[rx.Component]:
    """The lifecycle pages of the signed-in role (the header and the home page show the same)."""
    s = SessionState
    return [
        rx.cond(s.works_on_devices, rx.el.li(nav_link(t("nav.my_devices"), routes.MY_DEVICES))),
        rx.cond(s.takes_part_in_pickups, rx.el.li(nav_link(t("nav.pickups"), routes.PICKUPS))),
        rx.cond(s.works_on_devices | s.is_third_place, rx.el.li(nav_link(t("nav.deliveries"), routes.DELIVERIES))),
        rx.cond(s.is_third_place, rx.el.li(nav_link(t("nav.catalogue"), routes.CATALOGUE))),
        rx.cond(s.is_third_place, rx.el.li(nav_link(t("nav.reservations"), routes.RESERVATIONS))),
        rx.cond(s.can_read_all, rx.el.li(nav_link(t("nav.all_devices"), routes.ALL_DEVICES))),
        rx.cond(s.can_read_all, rx.el.li(nav_link(t("nav.reports"), routes.REPORTS))),
        rx.cond(s.signed_in, rx.el.li(nav_link(t("nav.integrations"), routes.INTEGRATIONS))),
        rx.cond(s.signed_in, rx.el.li(nav_link(t("nav.preferences"), routes.PREFERENCES))),
        rx.cond(s.is_admin, rx.el.li(nav_link(t("nav.admin_orgs"), routes.ADMIN_ORGS))),
        rx.cond(s.is_admin, rx.el.li(nav_link(t("nav.admin_accounts"), routes.ADMIN_ACCOUNTS))),
        rx.cond(s.is_admin, rx.el.li(nav_link(t("nav.admin_dead_letters"), routes.ADMIN_DEAD_LETTERS))),
        rx.cond(s.is_admin, rx.el.li(nav_link(t("nav.admin_unclaimed"), routes.ADMIN_UNCLAIMED))),
        rx.cond(s.is_admin, rx.el.li(nav_link(t("nav.admin_routing"), routes.ADMIN_ROUTING))),
        rx.cond(s.is_admin, rx.el.li(nav_link(t("nav.admin_mails"), routes.ADMIN_MAILS))),
    ]


def _navigation() -> rx.Component:
    return rx.el.nav(
        rx.el.ul(
            rx.el.li(nav_link(t("nav.home"), routes.HOME)),
            rx.el.li(nav_link(t("nav.scan"), routes.SCAN)),
            rx.cond(SessionState.can_retire, rx.el.li(nav_link(t("nav.retire"), routes.RETIRE))),
            rx.cond(SessionState.can_retire, rx.el.li(nav_link(t("nav.import"), routes.IMPORT_CSV))),
            rx.cond(SessionState.can_claim, rx.el.li(nav_link(t("nav.offers"), routes.OFFERS))),
            *role_links(),
            class_name="nav-list",
        ),
        aria_label=t("nav.label"),
    )


def language_switcher() -> list[rx.Component]:
    """One button per catalogue present, shown while another language is read: named in its own language
    ("English", "Switch to English"), marked with it (`lang`), so that it reads right to those who need it."""
    return [
        rx.cond(
            SessionState.lang != lang,
            rx.el.button(
                catalogues.name(lang),
                type="button",
                on_click=SessionState.set_language(lang),
                aria_label=catalogues.text("lang.switch_to", lang),
                lang=lang,
                class_name="button button-quiet",
            ),
        )
        for lang in catalogues.languages()
    ]


def _session_controls() -> rx.Component:
    return rx.el.div(
        *language_switcher(),
        rx.cond(
            SessionState.signed_in,
            rx.el.div(
                nav_link(SessionState.user_name, routes.MY_ACCOUNT),
                rx.el.button(
                    t("nav.signout"),
                    type="button",
                    on_click=SessionState.sign_out,
                    class_name="button button-quiet",
                ),
                class_name="session",
            ),
            nav_link(t("nav.signin"), routes.SIGN_IN),
        ),
        class_name="session-controls",
    )


def page_shell(title_key: str, *content: rx.Component, subtitle: Any = None) -> rx.Component:
    """Every page: landmarks in order, one h1 (with an optional subtitle), the content inside `main`."""
    return rx.el.div(
        rx.el.a(t("nav.skip"), href="#main", class_name="skip-link"),
        rx.el.header(
            rx.el.div(
                nav_link(t("app.name"), routes.HOME),
                class_name="brand",
            ),
            _navigation(),
            _session_controls(),
            class_name="site-header",
        ),
        rx.el.main(
            rx.el.h1(t(title_key), *([" ", rx.el.span(subtitle, class_name="subtitle")] if subtitle is not None else [])),
            *content,
            id="main",
            tab_index=-1,
            class_name="site-main",
        ),
        rx.el.footer(
            rx.el.p(t("footer.text")),
            # A page served outside the app: the browser must load it, not the app's router.
            rx.el.p(rx.el.a(t("footer.opendata"),
                            href=rx.cond(SessionState.lang == "en", "/donnees-ouvertes?lang=en", "/donnees-ouvertes"),
                            custom_attrs={"reloadDocument": True})),
            rx.el.p(nav_link(t("footer.personal_data"), routes.PERSONAL_DATA)),
            class_name="site-footer",
        ),
        html_lang(SessionState.lang),
        class_name="page",
        lang=SessionState.lang,
    )
