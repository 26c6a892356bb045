"""Route constants: every link and redirect in the UI uses these."""

from __future__ import annotations

HOME = "/"
SIGN_IN = "/connexion"
RETIRE = "/retirer"
IMPORT_CSV = "/importer"
INTEGRATIONS = "/integrations"
OFFERS = "/offres"
DEVICE = "/d/[code]"
MY_DEVICES = "/mes-appareils"
BATCH = "/mes-appareils/lot"  # one workshop step for several devices
CATALOGUE = "/catalogue"
RESERVATIONS = "/mes-reservations"
ALL_DEVICES = "/appareils"
ADMIN_ORGS = "/admin/organisations"
ADMIN_ACCOUNTS = "/admin/comptes"
SCAN = "/scan"
ADMIN_DEAD_LETTERS = "/admin/lettres-mortes"
ADMIN_UNCLAIMED = "/admin/non-reclames"
ADMIN_ROUTING = "/admin/routage"
REPORTS = "/rapports"
PREFERENCES = "/preferences"
ADMIN_MAILS = "/admin/courriels"
LINK_PAGE = "/mot-de-passe/definir"
LINK_OPENED = "/mot-de-passe/definir/[token]"  # the e-mailed link: read once, then the page state
FORGOTTEN = "/mot-de-passe/oublie"
PROCONNECT_START = "/connexion/proconnect"  # ui/proconnect_http.py
PROCONNECT_HANDOFF = "/connexion/proconnect/ouverture/[code]"  # the return's one-time code: read once
MY_ACCOUNT = "/mon-compte"
PERSONAL_DATA = "/donnees-personnelles"
PICKUPS = "/enlevements"
PICKUP = "/enlevements/[pickup]"
PICKUP_SCAN = "/enlevements/[pickup]/remise"  # the scanning session of the pickup's handover
DELIVERIES = "/livraisons"
DELIVERY_SCAN = "/livraisons/[organisation]/remise"  # a delivery's scanning session (the other party's slug)


def device(code: str) -> str:
    """The public page of one device (the address its QR label encodes)."""
    return f"/d/{code}"


def pickup(pickup_id: str) -> str:
    return f"/enlevements/{pickup_id}"


def pickup_scan(pickup_id: str) -> str:
    return f"/enlevements/{pickup_id}/remise"


def delivery_scan(other_org: str) -> str:
    return f"/livraisons/{other_org}/remise"
