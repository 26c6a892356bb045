"""Every user-facing string of the UI, French first, English available.

Static text is rendered with `t(key)` (a reactive value that follows the language toggle); text computed on
the server (dates, vocabulary, error messages) goes through `text`, `label` and `error_message`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import reflex as rx

from marketplace.domain.errors import MESSAGES_FR, DomainError

LANGS = ("fr", "en")

# key -> (français, English)
STRINGS: dict[str, tuple[str, str]] = {
    "app.name": ("Seconde Vie", "Seconde Vie"),
    "punct.colon": ("\u202f: ", ": "),  # French puts a narrow no-break space before the colon
    "app.tagline": (
        "Une seconde vie pour le matériel informatique de la Région Bretagne et de ses lycées.",
        "A second life for the IT equipment of the Région Bretagne and its lycées.",
    ),
    "nav.label": ("Navigation principale", "Main navigation"),
    "nav.home": ("Accueil", "Home"),
    "nav.retire": ("Retirer un appareil", "Retire a device"),
    "nav.offers": ("Offres", "Offers"),
    "nav.signin": ("Se connecter", "Sign in"),
    "nav.signout": ("Se déconnecter", "Sign out"),
    "nav.skip": ("Aller au contenu", "Skip to content"),
    "lang.switch": ("English", "Français"),
    "lang.switch_label": ("Switch to English", "Passer en français"),
    "footer.opendata": ("Données ouvertes", "Open data"),
    "footer.text": (
        "Seconde Vie — Région Bretagne. Chaque appareil porte une étiquette QR qui mène à son historique.",
        "Seconde Vie — Région Bretagne. Every device carries a QR label that leads to its history.",
    ),
    "home.title": ("Accueil", "Home"),
    "home.signed_in_as": ("Vous êtes connecté·e en tant que", "You are signed in as"),
    "home.role": ("Rôle", "Role"),
    "home.org": ("Organisation", "Organisation"),
    "home.what_next": ("Que voulez-vous faire ?", "What would you like to do?"),
    "home.please_sign_in": (
        "Connectez-vous pour retirer du matériel ou réclamer des appareils.",
        "Sign in to retire equipment or claim devices.",
    ),
    "home.lookup": ("Consulter un appareil", "Look up a device"),
    "home.lookup_hint": (
        "Scannez l'étiquette QR d'un appareil pour voir son historique, sans connexion.",
        "Scan a device's QR label to see its history, no sign-in needed.",
    ),
    "home.no_action": ("Aucune action n'est encore disponible pour votre rôle ici.",
                       "No action is available for your role here yet."),
    "signin.title": ("Connexion", "Sign in"),
    "signin.email": ("Adresse e-mail", "Email address"),
    "signin.password": ("Mot de passe", "Password"),
    "signin.submit": ("Se connecter", "Sign in"),
    "signin.already": ("Vous êtes déjà connecté·e.", "You are already signed in."),
    "retire.title": ("Retirer un appareil", "Retire a device"),
    "retire.intro": (
        ("Déclarez un appareil retiré de votre parc : il sera proposé automatiquement à une association, "
        "un fab lab ou un recycleur."),
        ("Declare a device retired from your stock: it will be offered automatically to an association, "
        "a fab lab or a recycler."),
    ),
    "retire.category": ("Catégorie", "Category"),
    "retire.brand": ("Marque", "Brand"),
    "retire.model": ("Modèle", "Model"),
    "retire.serial": ("Numéro de série", "Serial number"),
    "retire.year": ("Année d'achat", "Year of purchase"),
    "retire.condition": ("État déclaré", "Declared condition"),
    "retire.has_storage": ("Contient un support de stockage (disque, SSD…)",
                           "Contains a storage medium (disk, SSD…)"),
    "retire.inventory": ("Numéro d'inventaire (facultatif)", "Inventory number (optional)"),
    "retire.submit": ("Retirer l'appareil", "Retire the device"),
    "retire.success": ("Appareil retiré. Son code :", "Device retired. Its code:"),
    "retire.see_page": ("Voir la fiche de l'appareil", "See the device page"),
    "retire.year_invalid": ("L'année d'achat doit être un nombre (par exemple 2019).",
                            "The year of purchase must be a number (for example 2019)."),
    "retire.my_donations": ("Mes dons", "My donations"),
    "retire.no_donations": ("Aucun appareil donné pour l'instant.", "No device donated yet."),
    "col.code": ("Code", "Code"),
    "col.device": ("Appareil", "Device"),
    "col.state": ("État", "State"),
    "col.retired_at": ("Retiré le", "Retired on"),
    "col.score": ("Score", "Score"),
    "col.reasons": ("Raisons", "Reasons"),
    "col.expires": ("Expire le", "Expires on"),
    "col.donor": ("Donateur", "Donor"),
    "col.action": ("Action", "Action"),
    "offers.title": ("Offres ouvertes", "Open offers"),
    "offers.intro": ("Appareils proposés à votre organisation. Le premier qui réclame l'emporte.",
                     "Devices offered to your organisation. The first to claim wins."),
    "offers.none": ("Aucune offre ouverte pour votre organisation.", "No open offer for your organisation."),
    "offers.claim": ("Réclamer", "Claim"),
    "offers.claim_label": ("Réclamer l'appareil", "Claim device"),
    "offers.claimed": ("Appareil réclamé :", "Device claimed:"),
    "offers.refresh": ("Actualiser", "Refresh"),
    "device.title": ("Fiche appareil", "Device page"),
    "device.code": ("Code", "Code"),
    "device.state": ("État", "State"),
    "device.category": ("Catégorie", "Category"),
    "device.brand_model": ("Marque et modèle", "Brand and model"),
    "device.year": ("Année", "Year"),
    "device.donor": ("Donateur", "Donor"),
    "device.timeline": ("Historique", "History"),
    "device.event": ("Événement", "Event"),
    "device.date": ("Date", "Date"),
    "device.actor": ("Acteur", "Actor"),
    "device.details": ("Détails", "Details"),
    "device.qr_alt": ("Code QR menant à la fiche de l'appareil", "QR code leading to the device page"),
    "device.qr_title": ("Étiquette QR", "QR label"),
    "device.chain_ok": ("Historique vérifié : la chaîne d'empreintes est intacte.",
                        "History verified: the hash chain is intact."),
    "device.chain_broken": ("Attention : la chaîne d'empreintes est rompue.",
                            "Warning: the hash chain is broken."),
    "device.loading": ("Chargement…", "Loading…"),
    "device.system": ("système", "system"),
    "nav.scan": ("Scanner une étiquette", "Scan a label"),
    "scan.title": ("Scanner une étiquette", "Scan a label"),
    "scan.intro": ("Présentez l'étiquette QR d'un appareil à la caméra : sa fiche s'ouvre.",
                   "Hold a device's QR label up to the camera: its page opens."),
    "scan.video": ("Image de la caméra", "Camera view"),
    "scan.starting": ("Ouverture de la caméra…", "Opening the camera…"),
    "scan.running": ("Caméra active : visez l'étiquette QR.", "Camera on: point it at the QR label."),
    "scan.unavailable": ("Caméra indisponible : saisissez le code imprimé sous le QR.",
                         "Camera unavailable: type the code printed under the QR."),
    "scan.type_title": ("Ou saisissez le code", "Or type the code"),
    "scan.code": ("Code de l'appareil (XXXX-XXXX-XXXX)", "Device code (XXXX-XXXX-XXXX)"),
    "scan.open": ("Ouvrir la fiche", "Open the device page"),
    "device.grade": ("Grade", "Grade"),
    "device.grade_none": ("pas encore évalué", "not graded yet"),
    "device.impact": ("Émissions évitées", "Avoided emissions"),
    "device.impact_na": ("non disponible", "not available"),
    "device.impact_not_reused": ("sans objet : l'appareil n'a pas eu de seconde vie",
                                 "not applicable: the device had no second life"),
    "device.impact_assumption": (
        ("Hypothèse : un appareil réemployé remplace l'achat d'un appareil neuf de la même catégorie ; "
         "on compte sa fabrication ({manufacturing} kg CO₂e) et son assemblage-distribution ({assembly} kg CO₂e). "
         "Source : {source}."),
        ("Assumption: a reused device replaces the purchase of a new one of the same category; we count its "
         "manufacturing ({manufacturing} kg CO2e) and assembly-distribution ({assembly} kg CO2e). Source: {source}."),
    ),
    "device.impact_no_factor": ("Aucun facteur d'émission publié pour cette catégorie.",
                                "No published emission factor for this category."),
    "device.public_note": ("Fiche publique : ni numéro de série, ni donnée personnelle.",
                           "Public page: no serial number, no personal data."),
    "labels.title": ("Étiquettes QR", "QR labels"),
    "labels.intro": ("Imprimez les étiquettes de vos appareils donnés, à coller sur chacun.",
                     "Print the labels of your donated devices, to stick on each one."),
    "labels.format": ("Format", "Format"),
    "labels.state": ("Appareils", "Devices"),
    "labels.state_all": ("tous mes dons", "all my donations"),
    "labels.codes": ("Codes précis (facultatif, séparés par des virgules)",
                     "Specific codes (optional, comma-separated)"),
    "labels.print": ("Imprimer les étiquettes (PDF)", "Print labels (PDF)"),
    "labels.ready": ("Le PDF des étiquettes se télécharge.", "The label PDF is downloading."),
    "role.required": ("Cette page est réservée à un autre rôle.", "This page is for another role."),
    "error.auth_required": ("Veuillez vous connecter.", "Please sign in."),
    "error.unexpected": ("Une erreur inattendue est survenue. Réessayez dans un instant.",
                         "Something went wrong. Please try again in a moment."),
    "error.unavailable": ("Le service est momentanément indisponible.", "The service is unavailable for now."),
}

VOCABULARY: dict[str, dict[str, tuple[str, str]]] = {
    "category": {
        "laptop": ("ordinateur portable", "laptop"),
        "desktop": ("ordinateur fixe", "desktop"),
        "monitor": ("écran", "monitor"),
        "tablet": ("tablette", "tablet"),
        "smartphone": ("smartphone", "smartphone"),
        "printer": ("imprimante", "printer"),
        "network": ("matériel réseau", "network equipment"),
        "server": ("serveur", "server"),
        "peripheral": ("périphérique", "peripheral"),
        "other": ("autre", "other"),
    },
    "offer_status": {
        "open": ("ouverte", "open"),
        "claimed": ("réclamée", "claimed"),
        "withdrawn": ("retirée (appareil réclamé par une autre organisation)", "withdrawn (claimed by another organisation)"),
        "expired": ("expirée", "expired"),
        "declined": ("déclinée", "declined"),
        "no_show": ("non honorée (appareil non enlevé)", "no-show (device not collected)"),
    },
    "condition": {
        "working": ("fonctionne", "working"),
        "faulty": ("défaillant", "faulty"),
        "broken": ("hors d'usage", "broken"),
        "unknown": ("inconnu", "unknown"),
    },
    "state": {
        "retired": ("retiré", "retired"),
        "offered": ("proposé", "offered"),
        "claimed": ("réclamé", "claimed"),
        "collected": ("collecté", "collected"),
        "diagnosed": ("diagnostiqué", "diagnosed"),
        "wiped": ("effacé", "wiped"),
        "refurbished": ("reconditionné", "refurbished"),
        "reserved": ("réservé", "reserved"),
        "delivered": ("remis", "delivered"),
        "returned": ("revenu", "returned"),
        "harvested": ("démonté pour pièces", "harvested"),
        "recycled": ("recyclé", "recycled"),
        "written_off": ("sorti de l'inventaire", "written off"),
    },
    "event": {
        "asset.retired": ("retiré", "retired"),
        "asset.offered": ("proposé", "offered"),
        "asset.claimed": ("réclamé", "claimed"),
        "asset.offers_expired": ("offres expirées", "offers expired"),
        "asset.offer_declined": ("offre déclinée", "offer declined"),
        "asset.collected": ("collecté", "collected"),
        "asset.diagnosed": ("diagnostiqué", "diagnosed"),
        "asset.wiped": ("effacé", "wiped"),
        "asset.refurbished": ("reconditionné", "refurbished"),
        "asset.reserved": ("réservé", "reserved"),
        "asset.reservation_released": ("réservation levée", "reservation released"),
        "asset.delivered": ("remis", "delivered"),
        "asset.returned": ("revenu", "returned"),
        "asset.harvested": ("démonté pour pièces", "harvested"),
        "asset.recycled": ("recyclé", "recycled"),
        "asset.written_off": ("sorti de l'inventaire", "written off"),
    },
    "label_format": {
        "a4-3x7": ("A4, 3 × 7 étiquettes de 63,5 × 38,1 mm", "A4, 3 × 7 labels of 63.5 × 38.1 mm"),
        "roll-62": ("rouleau continu de 62 mm", "62 mm continuous roll"),
    },
    "role": {
        "asset_manager": ("gestionnaire de parc", "asset manager"),
        "refurbisher": ("reconditionneur", "refurbisher"),
        "maker": ("fab lab", "maker"),
        "third_place": ("tiers-lieu", "third place"),
        "recycler": ("recycleur", "recycler"),
        "auditor": ("auditeur", "auditor"),
    },
}

# English renderings of the domain's French messages, under the same keys.
MESSAGES_EN: dict[str, str] = {
    "auth.failed": "Wrong email address or password.",
    "auth.locked": "Too many attempts: account locked until {until}.",
    "auth.required": "Please sign in.",
    "auth.forbidden_role": "This action is for the {needed} role; you are {role}.",
    "device.not_found": "No device has the code {code}.",
    "device.code_malformed": "{code} is not a valid device code (format XXXX-XXXX-XXXX).",
    "device.duplicate_serial": "Serial number {serial} is already registered for this donor.",
    "donor.unknown": "Unknown donor organisation: {donor}.",
    "donor.not_a_donor": "Organisation {donor} cannot donate equipment (kind {kind}).",
    "transition.refused": "Cannot go from state “{state}” to “{target}”.",
    "offer.not_found": "Offer not found.",
    "offer.not_yours": "This offer is not addressed to your organisation.",
    "offer.closed": "This offer is no longer open ({status}).",
    "offer.expired": "This offer has expired.",
    "device.already_claimed": "Another organisation has already claimed this device.",
    "input.invalid": "Invalid input: {detail}",
    "labels.no_selection": "Choose the devices to label: a donor, a state or a list of codes.",
    "labels.too_many": "Too many labels requested (more than {limit}): narrow the selection.",
    "labels.none": "No device matches this selection.",
    "labels.ticket_invalid": "This download link is no longer valid: print again.",
    "lookup.rate_limited": "Too many unknown codes tried: try again in {seconds} s.",
}

# The lifecycle pages keep their strings in their own module; this catalogue's entries win on a clash.
from ui import i18n_lifecycle as _lifecycle

STRINGS = {**_lifecycle.STRINGS, **STRINGS}
VOCABULARY = {**_lifecycle.VOCABULARY, **VOCABULARY}
MESSAGES_EN = {**_lifecycle.MESSAGES_EN, **MESSAGES_EN}

# The home page's attention panel (merged like the lifecycle ones).
from ui import i18n_attention as _attention

for _key, _pair in _attention.STRINGS.items():
    STRINGS.setdefault(_key, _pair)

# The admin operations pages (dead letters, unclaimed devices, routing settings) keep theirs apart too.
from ui import i18n_operations as _operations

for _key, _pair in _operations.STRINGS.items():
    STRINGS.setdefault(_key, _pair)
for _key, _words in _operations.VOCABULARY.items():
    VOCABULARY.setdefault(_key, _words)
for _key, _message in _operations.MESSAGES_EN.items():
    MESSAGES_EN.setdefault(_key, _message)

# The import and integrations pages (CSV import, API tokens, webhooks) keep theirs apart too.
from ui import i18n_integrations as _integrations

for _key, _pair in _integrations.STRINGS.items():
    STRINGS.setdefault(_key, _pair)

# The reports page (flows, compliance, impact) keeps its own too.
from ui import i18n_reports as _reports

for _key, _pair in _reports.STRINGS.items():
    STRINGS.setdefault(_key, _pair)

# The pages' titles (browser tab) too.
from ui import i18n_titles as _titles

for _key, _pair in _titles.STRINGS.items():
    STRINGS.setdefault(_key, _pair)


def _index(lang: str) -> int:
    return 1 if lang == "en" else 0


def text(key: str, lang: str) -> str:
    """The string for `key` in `lang` (server side)."""
    pair = STRINGS.get(key)
    return pair[_index(lang)] if pair else key


def label(vocabulary: str, value: str | None, lang: str) -> str:
    """A vocabulary value (category, state, event type, role...) as users read it."""
    if value is None:
        return ""
    pair = VOCABULARY.get(vocabulary, {}).get(value)
    return pair[_index(lang)] if pair else value


def options(vocabulary: str, lang: str) -> list[tuple[str, str]]:
    """(value, label) pairs of a vocabulary, in its declared order."""
    return [(value, pair[_index(lang)]) for value, pair in VOCABULARY[vocabulary].items()]


# Parameters of refusals that are vocabulary codes (a state, a role...): shown as words of the reader's language.
_PARAM_VOCABULARY = {"state": "state", "target": "state", "role": "role", "kind": "org_kind", "outcome": "outcome"}
_STATUS_VOCABULARY = {"offer.closed": "offer_status", "deadletter.already_resolved": "letter_status"}


def error_message(err: DomainError, lang: str) -> str:
    """A refused command as a sentence for the user (never a stack trace), its codes in words."""
    params = dict(err.params)
    for name, vocabulary in _PARAM_VOCABULARY.items():
        if isinstance(params.get(name), str):
            params[name] = label(vocabulary, params[name], lang)
    if isinstance(params.get("needed"), str):
        params["needed"] = " / ".join(label("role", role, lang) for role in params["needed"].split(" / "))
    if (vocabulary := _STATUS_VOCABULARY.get(err.message_key)) and isinstance(params.get("status"), str):
        params["status"] = label(vocabulary, params["status"], lang)
    template = (MESSAGES_EN if lang == "en" else MESSAGES_FR).get(err.message_key, err.message_key)
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


def kg(value: float, lang: str) -> str:
    """A mass in kg with one decimal, French decimal comma."""
    number = f"{value:,.1f}"
    return number.replace(",", "\u202f").replace(".", ",") if lang == "fr" else number


def count(value: int, lang: str) -> str:
    """A whole number with the language's thousands separator (narrow no-break space in French)."""
    return f"{value:,}".replace(",", "\u202f") if lang == "fr" else f"{value:,}"


def when(moment: datetime | None, lang: str) -> str:
    """A date and time, written the way each language writes it."""
    if moment is None:
        return ""
    local = moment.astimezone()
    return local.strftime("%d/%m/%Y %H:%M") if lang == "fr" else local.strftime("%Y-%m-%d %H:%M")


def title(key: str) -> Any:
    """A page's `<title>`, following the language toggle (Reflex 0.10 takes a Var as a page title)."""
    return t(key)


def t(key: str) -> Any:
    """Static text that follows the language toggle (a reactive value for components)."""
    from ui.state import SessionState  # the state module needs this one; import late to avoid a cycle

    fr, en = STRINGS[key]
    return rx.cond(SessionState.lang == "en", en, fr)
