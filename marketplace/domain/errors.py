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
