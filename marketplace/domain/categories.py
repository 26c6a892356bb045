"""Category names in French, for what the back end writes in French (labels, reports' notes)."""

from __future__ import annotations

CATEGORY_FR = {
    "laptop": "ordinateur portable", "desktop": "ordinateur fixe", "monitor": "écran", "tablet": "tablette",
    "smartphone": "smartphone", "printer": "imprimante", "network": "matériel réseau", "server": "serveur",
    "peripheral": "périphérique", "other": "autre",
}
