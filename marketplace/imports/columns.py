"""Which column holds which intake field: the project's template and GLPI's computer export.

GLPI exports its computer list (Parc > Ordinateurs > Exporter, CSV) with the column titles of the
displayed search options, in the user's language: "Nom", "Statut", "Fabricant", "Numéro de série",
"Type", "Modèle", "Lieu", "Numéro d'inventaire", "Date d'achat", "Composants - Processeur", "Mémoire (Mio)",
"Disque dur - Capacité (Mio)", "Système d'exploitation - Nom"... (in English: "Name", "Serial number",
"Memory (MiB)", "Hard drive - Capacity (MiB)", "Operating system - Name"...). Headers are matched without
case, accents or punctuation, so "Numero de serie" and "NUMÉRO DE SÉRIE" both fit. Columns that hold people
("Usager", "Utilisateur") are never read: a device's record names no person.
"""

from __future__ import annotations

import re
import unicodedata

# field -> header spellings (normalised by `normalise`). Template names come first.
ALIASES: dict[str, tuple[str, ...]] = {
    "category": ("category", "categorie", "type", "type de materiel", "computer type"),
    "brand": ("brand", "marque", "fabricant", "manufacturer"),
    "model": ("model", "modele", "computer model"),
    "serial": ("serial", "numero de serie", "n de serie", "serial number", "no de serie"),
    "inventory_number": ("inventory number", "inventory", "numero d inventaire", "n d inventaire",
                         "inventaire", "asset tag", "otherserial"),
    "year": ("year", "annee", "annee d achat"),
    "purchase_date": ("date d achat", "purchase date", "date of purchase",
                      "informations financieres et administratives date d achat",
                      "financial and administrative information date of purchase"),
    "condition": ("condition", "etat", "statut", "status"),
    "has_storage": ("has storage", "stockage", "support de donnees", "donnees"),
    "site": ("site", "lieu", "location", "localisation"),
    "name": ("nom", "name"),
    "cpu": ("cpu", "processeur", "composants processeur", "processor", "components processor"),
    "ram_gb": ("ram gb", "ram go", "memoire go", "ram"),
    # Sizes in Mio (GLPI writes "Mio" since 9.5, "Mo" before: both mean 1,048,576 bytes).
    "ram_mb": ("memoire", "memoire mo", "memoire mio", "composants memoire", "composants memoire mio",
               "memoire vive", "memoire vive mo", "memoire vive mio", "ram mo", "ram mio", "memory", "memory mib",
               "memory mb", "components memory", "components memory mib"),
    "storage_gb": ("storage gb", "stockage go", "disque go", "capacite go"),
    "storage_mb": ("disque dur capacite mio", "disque dur capacite mo", "disques durs capacite mio",
                   "composants disque dur capacite mio", "composants disque dur capacite", "disque dur capacite",
                   "hard drive capacity mib", "hard drive capacity mb", "hard drive capacity",
                   "components hard drive capacity mib", "components hard drive capacity"),
    "os": ("os", "systeme d exploitation nom", "systeme d exploitation", "operating system name",
           "operating system"),
    "os_version": ("systeme d exploitation version", "operating system version"),
    "storage_type": ("storage type", "type de stockage", "type de disque"),
    "screen_in": ("screen in", "ecran pouces", "taille ecran", "pouces", "taille", "taille pouces", "size",
                  "size inches"),  # GLPI's monitors: "Taille" (inches)
    "weight_kg": ("weight kg", "poids kg", "poids"),
    "unit_value_eur": ("unit value eur", "valeur eur", "valeur unitaire", "valeur", "valeur nette comptable",
                       "informations financieres et administratives valeur",
                       "financial and administrative information value", "value"),
    "notes": ("notes", "commentaires", "commentaire", "comments", "remarques"),
}
_FIELD_OF = {alias: field for field, names in ALIASES.items() for alias in names}

REQUIRED = ("category", "brand", "model", "serial")
# How each required field is called in messages (the names a GLPI user sees).
SHOWN = {"category": "Type / category", "brand": "Fabricant / brand", "model": "Modèle / model",
         "serial": "Numéro de série / serial"}

# The project's own template: one header line, English names of the intake contract.
TEMPLATE_HEADER = ("category;brand;model;serial;inventory_number;year;condition;has_storage;site;cpu;ram_gb;"
                   "storage_gb;storage_type;screen_in;weight_kg;unit_value_eur;notes")


def normalise(header: str) -> str:
    """Lower case, no accents, punctuation as single spaces: "Numéro d'inventaire" -> "numero d inventaire"."""
    plain = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def map_columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """(field -> column index, headers not used). The first column for a field wins."""
    mapping: dict[str, int] = {}
    unused: list[str] = []
    for index, title in enumerate(header):
        field = _FIELD_OF.get(normalise(title))
        if field is None or field in mapping:
            if title:
                unused.append(title)
            continue
        mapping[field] = index
    return mapping, unused


def guess_format(mapping: dict[str, int], header: list[str]) -> str:
    """"glpi" when the headers are GLPI's French titles, else "template"."""
    glpi = {"fabricant", "numero de serie", "numero d inventaire", "lieu", "statut"}
    return "glpi" if len(glpi & {normalise(h) for h in header}) >= 2 else "template"
