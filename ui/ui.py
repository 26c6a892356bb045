"""The app module: builds `rx.App` and adds the pages (nothing else lives here)."""

from __future__ import annotations

import reflex as rx

from ui import routes
from ui.http import build_http_app
from ui.pages.device import DeviceState, device_page
from ui.pages.home import home_page
from ui.pages.offers import OffersState, offers_page
from ui.pages.retire import RetireState, retire_page
from ui.pages.scan import scan_page
from ui.pages.signin import sign_in_page
from ui.state import SessionState

app = rx.App(
    stylesheets=["/styles.css"],
    html_lang="fr",
    api_transformer=build_http_app(),
)

app.add_page(home_page, route=routes.HOME, title="Seconde Vie", on_load=SessionState.refresh_user)
app.add_page(sign_in_page, route=routes.SIGN_IN, title="Connexion — Seconde Vie",
             on_load=SessionState.refresh_user)
app.add_page(retire_page, route=routes.RETIRE, title="Retirer un appareil — Seconde Vie",
             on_load=RetireState.load)
app.add_page(offers_page, route=routes.OFFERS, title="Offres — Seconde Vie", on_load=OffersState.load)
app.add_page(device_page, route=routes.DEVICE, title="Fiche appareil — Seconde Vie", on_load=DeviceState.load)
app.add_page(scan_page, route=routes.SCAN, title="Scanner une étiquette — Seconde Vie",
             on_load=SessionState.refresh_user)
