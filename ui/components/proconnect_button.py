"""ProConnect's official button, as the State's design system (DSFR) publishes it.

The look is not ours to draw: the markup is the DSFR "connect" component's (`fr-connect-group`, a
`fr-connect fr-connect--pro` control holding `fr-connect__login` "S'identifier avec" and `fr-connect__brand`
"ProConnect", then a paragraph with the link "Qu'est-ce que ProConnect ?" opening in a new window), and the
style is the DSFR's own standalone stylesheet for it, taken from the npm package `@gouvfr/dsfr` at a pinned
version (the logo and the Marianne letters are data URIs inside it, which the CSP's `img-src`/`font-src data:`
allow). The stylesheet is imported by this component, so only a page that shows the button loads it.

The control is a link rather than a `<button>`: the sign-in starts with a full page load of
`/connexion/proconnect` (a route served outside the app), which the DSFR styles as `a.fr-connect` too.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.utils.imports import ImportVar

DSFR_PACKAGE = "@gouvfr/dsfr@1.15.3"
DSFR = [DSFR_PACKAGE]
CONNECT_STYLESHEET = "@gouvfr/dsfr/standalone/component/connect/connect.standalone.css"
WHAT_IS_PROCONNECT_URL = "https://proconnect.gouv.fr/"


class ConnectGroup(rx.el.Div):  # type: ignore[misc, name-defined]  # Reflex element classes are untyped
    """The DSFR's `fr-connect-group` box; importing it brings the connect component's stylesheet."""

    lib_dependencies = DSFR

    def add_imports(self) -> dict[str, Any]:
        # A side-effect import of the CSS (`import "@gouvfr/dsfr/.../connect.standalone.css"`).
        return {"": ImportVar(tag=CONNECT_STYLESHEET)}


def proconnect_button(href: str, login_text: Any, what_text: Any, what_title: Any) -> rx.Component:
    """The button (a full page load of `href`) and its information link, both texts from the catalogues:
    the DSFR allows them translated, never reworded."""
    return ConnectGroup.create(
        rx.el.a(
            rx.el.span(login_text, class_name="fr-connect__login"),
            " ",
            rx.el.span("ProConnect", class_name="fr-connect__brand"),
            # A route served outside the app: the browser must load it, not the app's router.
            href=href, class_name="fr-connect fr-connect--pro", custom_attrs={"reloadDocument": True},
        ),
        rx.el.p(rx.el.a(what_text, href=WHAT_IS_PROCONNECT_URL, target="_blank", rel="noopener",
                        title=what_title)),
        class_name="fr-connect-group",
    )
