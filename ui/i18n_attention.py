"""The strings of the home page's "needs your attention now" panel; `ui/i18n.py` merges them at import."""

from __future__ import annotations

# key -> (français, English)
STRINGS: dict[str, tuple[str, str]] = {
    "attention.title": ("À traiter maintenant", "Needs your attention now"),
    "attention.nothing": ("Rien ne vous attend pour l'instant.", "Nothing is waiting for you right now."),
    "attention.loading": ("Chargement…", "Loading…"),
    "attention.offers_expiring": ("Offres qui expirent dans les 24 h", "Offers expiring within 24 h"),
    "attention.devices_waiting": ("Appareils qui attendent une étape chez vous",
                                  "Devices waiting for a step in your custody"),
    "attention.reservations_to_collect": ("Réservations à retirer", "Reservations to collect"),
    "attention.donations_awaiting_pickup": ("Dons en attente d'enlèvement", "Donations waiting for pickup"),
    "attention.dead_letters": ("Lettres mortes à traiter", "Dead letters to handle"),
    "attention.unclaimed_devices": ("Appareils non réclamés", "Unclaimed devices"),
}
