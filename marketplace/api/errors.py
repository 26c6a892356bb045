"""Domain refusals as HTTP statuses and JSON bodies `{"error": {"code": ..., "message": ...}}`.

The API's own refusals (token missing, body not JSON...) are the catalogues' `api.*` entries, in French.
"""

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
    render_message,
)
from marketplace.i18n import catalogues

_BY_CLASS: list[tuple[type[DomainError], int]] = [
    (NotAuthenticated, 401), (AuthenticationFailed, 401), (Forbidden, 403), (NotFound, 404),
    (Conflict, 409), (TransitionRefused, 409), (InvalidInput, 422),
]


# Requests the API cannot read at all (the body's JSON is refused where it is parsed): 400, not 422.
_BAD_REQUEST = {"api.bad_cursor", "api.cursor_other_query"}


def status_of(err: DomainError) -> int:
    if err.message_key in _BAD_REQUEST:
        return 400
    if err.message_key.endswith("not_found"):
        return 404
    for cls, status in _BY_CLASS:
        if isinstance(err, cls):
            return status
    return 409  # any other rule of the lifecycle (offer closed, reservation expired, wipe required...)


def error_body(code: str, message: str) -> dict[str, dict[str, str]]:
    return {"error": {"code": code, "message": message}}


def api_message(message_key: str, **params: object) -> str:
    """The API's own sentence for `message_key` (`api.<key>` in the catalogues), in French."""
    return render_message(_api_key(message_key), message_key, catalogues.SOURCE_LANGUAGE, params)


def _api_key(message_key: str) -> str:
    return "api." + message_key.removeprefix("api.")


def render(err: DomainError) -> dict[str, dict[str, str]]:
    """A refusal as the API's JSON body: the API's own sentence when it has one, else the domain's, in French."""
    if catalogues.has(_api_key(err.message_key)):
        return error_body(err.message_key, api_message(err.message_key, **err.params))
    return error_body(err.message_key, err.render())
