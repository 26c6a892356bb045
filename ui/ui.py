"""The app module: builds `rx.App` and adds the pages (nothing else lives here)."""

from __future__ import annotations

import reflex as rx

from ui import i18n, routes
from ui.http import build_http_app
from ui.pages.admin_accounts import AdminAccountsState, admin_accounts_page
from ui.pages.admin_dead_letters import AdminDeadLettersState, admin_dead_letters_page
from ui.pages.admin_mails import AdminMailsState, admin_mails_page
from ui.pages.admin_orgs import AdminOrgsState, admin_orgs_page
from ui.pages.admin_routing import AdminRoutingState, admin_routing_page
from ui.pages.admin_unclaimed import AdminUnclaimedState, admin_unclaimed_page
from ui.pages.all_devices import AllDevicesState, all_devices_page
from ui.pages.batch_steps import BatchState, batch_page
from ui.pages.catalogue import CatalogueState, catalogue_page
from ui.pages.deliveries import DeliveriesState, deliveries_page
from ui.pages.device import device_page
from ui.pages.device_actions import DeviceActionsState
from ui.pages.device_state import DeviceState
from ui.pages.forgot_password import forgot_password_page
from ui.pages.home import home_page
from ui.pages.import_csv import ImportState, import_page
from ui.pages.integrations import IntegrationsState, integrations_page
from ui.pages.my_account import MyAccountState, my_account_page
from ui.pages.my_devices import MyDevicesState, my_devices_page
from ui.pages.offers import OffersState, offers_page
from ui.pages.personal_data import personal_data_page
from ui.pages.pickup_scan import PickupScanState, pickup_scan_page
from ui.pages.pickups import PickupsState, PickupState, pickup_page, pickups_page
from ui.pages.preferences import PreferencesState, preferences_page
from ui.pages.proconnect_handoff import ProConnectHandoffState, proconnect_handoff_page
from ui.pages.reports import ReportsState, reports_page
from ui.pages.reservations import ReservationsState, reservations_page
from ui.pages.retire import RetireState, retire_page
from ui.pages.scan import scan_page
from ui.pages.set_password import SetPasswordState, set_password_page
from ui.pages.signin import SignInState, sign_in_page
from ui.security_headers import SecurityHeaders
from ui.state import SessionState

app = rx.App(
    stylesheets=["/styles.css"],
    html_lang="fr",
    # Our routes first (Reflex's are mounted inside them), then the headers around everything.
    api_transformer=[build_http_app(), SecurityHeaders],
)

app.add_page(home_page, route=routes.HOME, title=i18n.title("tab.home"), on_load=SessionState.refresh_user)
app.add_page(sign_in_page, route=routes.SIGN_IN, title=i18n.title("tab.signin"), on_load=SignInState.load)
app.add_page(proconnect_handoff_page, route=routes.PROCONNECT_HANDOFF, title=i18n.title("tab.signin"),
             on_load=ProConnectHandoffState.redeem)
app.add_page(retire_page, route=routes.RETIRE, title=i18n.title("tab.retire"),
             on_load=RetireState.load)
app.add_page(offers_page, route=routes.OFFERS, title=i18n.title("tab.offers"), on_load=OffersState.load)
app.add_page(device_page, route=routes.DEVICE, title=i18n.title("tab.device"),
             on_load=[DeviceState.load, DeviceActionsState.load])
app.add_page(my_devices_page, route=routes.MY_DEVICES, title=i18n.title("tab.my_devices"),
             on_load=MyDevicesState.load)
app.add_page(batch_page, route=routes.BATCH, title=i18n.title("tab.batch"), on_load=BatchState.load)
app.add_page(catalogue_page, route=routes.CATALOGUE, title=i18n.title("tab.catalogue"), on_load=CatalogueState.load)
app.add_page(reservations_page, route=routes.RESERVATIONS, title=i18n.title("tab.reservations"),
             on_load=ReservationsState.load)
app.add_page(all_devices_page, route=routes.ALL_DEVICES, title=i18n.title("tab.all_devices"),
             on_load=AllDevicesState.load)
app.add_page(admin_orgs_page, route=routes.ADMIN_ORGS, title=i18n.title("tab.admin_orgs"),
             on_load=AdminOrgsState.load)
app.add_page(admin_accounts_page, route=routes.ADMIN_ACCOUNTS, title=i18n.title("tab.admin_accounts"),
             on_load=AdminAccountsState.load)
app.add_page(scan_page, route=routes.SCAN, title=i18n.title("tab.scan"),
             on_load=SessionState.refresh_user)
app.add_page(admin_dead_letters_page, route=routes.ADMIN_DEAD_LETTERS, title=i18n.title("tab.dead_letters"),
             on_load=AdminDeadLettersState.load)
app.add_page(admin_unclaimed_page, route=routes.ADMIN_UNCLAIMED, title=i18n.title("tab.unclaimed"),
             on_load=AdminUnclaimedState.load)
app.add_page(admin_routing_page, route=routes.ADMIN_ROUTING, title=i18n.title("tab.routing"),
             on_load=AdminRoutingState.load)
app.add_page(import_page, route=routes.IMPORT_CSV, title=i18n.title("tab.import"),
             on_load=ImportState.load)
app.add_page(integrations_page, route=routes.INTEGRATIONS, title=i18n.title("tab.integrations"),
             on_load=IntegrationsState.load)
app.add_page(reports_page, route=routes.REPORTS, title=i18n.title("tab.reports"), on_load=ReportsState.load)
app.add_page(set_password_page, route=routes.LINK_OPENED, title=i18n.title("tab.password"),
             on_load=SetPasswordState.open_link)
app.add_page(set_password_page, route=routes.LINK_PAGE, title=i18n.title("tab.password"),
             on_load=SessionState.refresh_user)
app.add_page(forgot_password_page, route=routes.FORGOTTEN, title=i18n.title("tab.forgot"),
             on_load=SessionState.refresh_user)
app.add_page(my_account_page, route=routes.MY_ACCOUNT, title=i18n.title("tab.account"), on_load=MyAccountState.load)
app.add_page(personal_data_page, route=routes.PERSONAL_DATA, title=i18n.title("tab.privacy"),
             on_load=SessionState.refresh_user)
app.add_page(preferences_page, route=routes.PREFERENCES, title=i18n.title("tab.preferences"),
             on_load=PreferencesState.load)
app.add_page(admin_mails_page, route=routes.ADMIN_MAILS, title=i18n.title("tab.mails"), on_load=AdminMailsState.load)
app.add_page(pickups_page, route=routes.PICKUPS, title=i18n.title("tab.pickups"), on_load=PickupsState.load)
app.add_page(pickup_page, route=routes.PICKUP, title=i18n.title("tab.pickup"), on_load=PickupState.load)
app.add_page(pickup_scan_page, route=routes.PICKUP_SCAN, title=i18n.title("tab.pickup_scan"),
             on_load=PickupScanState.load)
app.add_page(deliveries_page, route=routes.DELIVERIES, title=i18n.title("tab.deliveries"),
             on_load=DeliveriesState.load)
app.add_page(pickup_scan_page, route=routes.DELIVERY_SCAN, title=i18n.title("tab.delivery_scan"),
             on_load=PickupScanState.load)
