"""The pages' titles (the browser tab's `<title>`), French and English; `ui/i18n.py` merges them in.

`ui/ui.py` gives each page `i18n.title(key)`: a reactive value, so the tab follows the language toggle.
"""

from __future__ import annotations

# key -> (français, English)
STRINGS: dict[str, tuple[str, str]] = {
    "tab.home": ("Seconde Vie", "Seconde Vie"),
    "tab.signin": ("Connexion — Seconde Vie", "Sign in — Seconde Vie"),
    "tab.retire": ("Retirer un appareil — Seconde Vie", "Retire a device — Seconde Vie"),
    "tab.offers": ("Offres — Seconde Vie", "Offers — Seconde Vie"),
    "tab.device": ("Fiche appareil — Seconde Vie", "Device record — Seconde Vie"),
    "tab.my_devices": ("Mes appareils — Seconde Vie", "My devices — Seconde Vie"),
    "tab.catalogue": ("Catalogue — Seconde Vie", "Catalogue — Seconde Vie"),
    "tab.reservations": ("Mes réservations — Seconde Vie", "My reservations — Seconde Vie"),
    "tab.all_devices": ("Tous les appareils — Seconde Vie", "All devices — Seconde Vie"),
    "tab.admin_orgs": ("Organisations — Seconde Vie", "Organisations — Seconde Vie"),
    "tab.admin_accounts": ("Comptes — Seconde Vie", "Accounts — Seconde Vie"),
    "tab.scan": ("Scanner une étiquette — Seconde Vie", "Scan a label — Seconde Vie"),
    "tab.dead_letters": ("Lettres mortes — Seconde Vie", "Dead letters — Seconde Vie"),
    "tab.unclaimed": ("Appareils non réclamés — Seconde Vie", "Unclaimed devices — Seconde Vie"),
    "tab.routing": ("Réglages du routage — Seconde Vie", "Routing settings — Seconde Vie"),
    "tab.import": ("Importer un inventaire — Seconde Vie", "Import an inventory — Seconde Vie"),
    "tab.integrations": ("Intégrations — Seconde Vie", "Integrations — Seconde Vie"),
    "tab.reports": ("Rapports — Seconde Vie", "Reports — Seconde Vie"),
}
