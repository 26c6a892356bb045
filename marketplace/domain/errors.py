"""One hierarchy of domain errors, translated at the edges (UI message, HTTP status, dead letter)."""

from __future__ import annotations

from typing import Any

# French first: these are the messages users read. English lives in the UI catalogue under the same keys.
MESSAGES_FR: dict[str, str] = {
    "auth.failed": "Adresse e-mail ou mot de passe incorrect.",
    "auth.locked": "Trop de tentatives : compte verrouillé jusqu'à {until}.",
    "auth.required": "Veuillez vous connecter.",
    "auth.forbidden_role": "Action réservée au rôle {needed} ; vous êtes {role}.",
    "device.not_found": "Aucun appareil ne porte le code {code}.",
    "device.code_malformed": "Le code {code} n'est pas un code d'appareil valide (format XXXX-XXXX-XXXX).",
    "device.duplicate_serial": "Le numéro de série {serial} est déjà enregistré pour ce donateur.",
    "donor.unknown": "Organisation donatrice inconnue : {donor}.",
    "donor.not_a_donor": "L'organisation {donor} ne peut pas donner de matériel (type {kind}).",
    "transition.refused": "Impossible de passer de l'état « {state} » à « {target} ».",
    "offer.not_found": "Offre introuvable.",
    "offer.not_yours": "Cette offre n'est pas adressée à votre organisation.",
    "offer.closed": "Cette offre n'est plus ouverte ({status}).",
    "offer.expired": "Cette offre a expiré.",
    "device.already_claimed": "Cet appareil a déjà été réclamé par une autre organisation.",
    "input.invalid": "Donnée invalide : {detail}",
    "auth.admin_only": "Action réservée aux administrateurs.",
    "auth.disabled": "Ce compte est désactivé.",
    "custody.not_party": "Seules les organisations {donor} et {claimer} peuvent confirmer cette remise.",
    "custody.not_custodian": "Votre organisation n'a pas l'appareil en garde (gardien : {custodian}).",
    "custody.recycler_only": "Seul le recycleur qui a l'appareil en garde peut le recycler directement.",
    "reservation.not_yours": "Cette réservation n'est pas celle de votre organisation.",
    "reservation.expired": "La réservation a expiré : l'appareil n'est plus réservé pour vous.",
    "reservation.hold_invalid": "La date de fin de réservation doit être dans le futur et dans moins de {days} jours.",
    "device.already_reserved": "Cet appareil est déjà réservé par un autre tiers-lieu.",
    "refurbish.not_refurbishable": "Le diagnostic ({outcome}) ne permet pas le reconditionnement.",
    "wipe.certificate_required": "Cet appareil contient des données : un certificat d'effacement est obligatoire.",
    "wipe.certificate_or_destruction_required": (
        "Cet appareil contient des données : il faut un certificat d'effacement ou la destruction certifiée du support."
    ),
    "handover.code_mismatch": "Le code saisi ({typed}) ne correspond pas à cet appareil : vérifiez l'étiquette.",
    "recycle.not_a_recycler": "{org} n'est pas un recycleur agréé de la plateforme.",
    "org.unknown": "Organisation inconnue : {org}.",
    "org.slug_taken": "L'identifiant {slug} est déjà utilisé.",
    "user.email_taken": "L'adresse {email} est déjà utilisée.",
    "user.not_found": "Utilisateur introuvable.",
    "deadletter.not_found": "Lettre morte introuvable.",
    "deadletter.already_resolved": "Cette lettre morte a déjà été traitée ({status}).",
    "password.too_short": "Le mot de passe doit contenir au moins {min} caractères.",
    "labels.no_selection": "Choisissez les appareils à étiqueter : un donateur, un état ou une liste de codes.",
    "labels.too_many": "Trop d'étiquettes demandées (plus de {limit}) : affinez la sélection.",
    "labels.none": "Aucun appareil ne correspond à cette sélection.",
    "labels.ticket_invalid": "Ce lien de téléchargement n'est plus valable : relancez l'impression.",
    "lookup.rate_limited": "Trop de codes inconnus essayés : réessayez dans {seconds} s.",
    "token.not_found": "Jeton d'API introuvable pour votre organisation.",
    "webhook.not_found": "Webhook introuvable pour votre organisation.",
    "report.not_found": "Rapport inconnu.",
}


class DomainError(Exception):
    """A refused command. Carries a message key and parameters so each edge can render it."""

    message_key = "input.invalid"

    def __init__(self, message_key: str | None = None, **params: Any) -> None:
        if message_key is not None:
            self.message_key = message_key
        self.params = params
        super().__init__(self.render())

    def render(self, catalogue: dict[str, str] | None = None) -> str:
        template = (catalogue or MESSAGES_FR).get(self.message_key, self.message_key)
        try:
            return template.format(**self.params)
        except (KeyError, IndexError):
            return template


class InvalidInput(DomainError):
    message_key = "input.invalid"


class AuthenticationFailed(DomainError):
    message_key = "auth.failed"


class NotAuthenticated(DomainError):
    message_key = "auth.required"


class Forbidden(DomainError):
    message_key = "auth.forbidden_role"


class NotFound(DomainError):
    message_key = "device.not_found"


class TransitionRefused(DomainError):
    message_key = "transition.refused"


class Conflict(DomainError):
    """Lost a race or hit a uniqueness rule (already claimed, duplicate serial...)."""

    message_key = "device.already_claimed"
