"""Domain refusals as HTTP statuses and JSON bodies `{"error": {"code": ..., "message": ...}}`."""

from __future__ import annotations

from marketplace.domain.errors import (
    AuthenticationFailed,
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    TransitionRefused,
)

API_MESSAGES = {
    "api.token_required": "Jeton d'API manquant : envoyez l'en-tête « Authorization: Bearer <jeton> ».",
    "api.token_invalid": "Jeton d'API inconnu ou révoqué.",
    "api.bad_json": "Le corps de la requête n'est pas du JSON valide : {detail}",
    "api.not_found": "Aucune route ne correspond à {path}.",
    "api.donor_mismatch": "Le donateur {donor} n'est pas votre organisation ({org}).",
    "rate_limited": "Trop de requêtes : réessayez dans {seconds} s.",
    "token.not_found": "Jeton introuvable.",
}

_BY_CLASS: list[tuple[type[DomainError], int]] = [
    (NotAuthenticated, 401), (AuthenticationFailed, 401), (Forbidden, 403), (NotFound, 404),
    (Conflict, 409), (TransitionRefused, 409), (InvalidInput, 422),
]


def status_of(err: DomainError) -> int:
    if err.message_key.endswith("not_found"):
        return 404
    for cls, status in _BY_CLASS:
        if isinstance(err, cls):
            return status
    return 409  # any other rule of the lifecycle (offer closed, reservation expired, wipe required...)


def error_body(code: str, message: str) -> dict[str, dict[str, str]]:
    return {"error": {"code": code, "message": message}}


def render(err: DomainError) -> dict[str, dict[str, str]]:
    from marketplace.domain.errors import MESSAGES_FR

    return error_body(err.message_key, err.render({**MESSAGES_FR, **API_MESSAGES}))
