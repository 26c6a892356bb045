"""/: who you are and what you can do, or an invitation to sign in."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

import reflex as rx

from ui import routes
from ui.components.layout import nav_link, page_shell, role_links
from ui.i18n import t
from ui.state import SessionState


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
