"""One hierarchy of domain errors, translated at the edges (UI message, HTTP status, dead letter).

Each refusal's sentence is the catalogues' `refusal.<message_key>` (marketplace/i18n/locale): French for
the REST API, the dead letters and the logs, the reader's language in the UI.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marketplace.i18n import catalogues


class DomainError(Exception):
    """A refused command. Carries a message key and parameters so each edge can render it."""

    message_key = "input.invalid"

    def __init__(self, message_key: str | None = None, **params: Any) -> None:
        if message_key is not None:
            self.message_key = message_key
        self.params = params
        super().__init__(self.render())

    def render(self, lang: str = catalogues.SOURCE_LANGUAGE, params: Mapping[str, Any] | None = None) -> str:
        """The refusal as a sentence in `lang` (French by default), with `params` (its own unless given)."""
        return render_message(f"refusal.{self.message_key}", self.message_key, lang,
                              self.params if params is None else params)


def render_message(key: str, fallback: str, lang: str, params: Mapping[str, Any]) -> str:
    """A catalogue sentence filled in; `fallback` when no catalogue has `key`, the bare sentence when the
    parameters do not fit it (a refusal must always read as something)."""
    template = catalogues.text(key, lang) if catalogues.has(key) else fallback
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
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


class CountedRefusal(DomainError):
    """A refusal that must leave one trace: the try it counts (a wrong handover code). The command wrote that
    count and nothing else, and the caller commits its transaction before raising it again, so the count
    holds even though the command was refused (see `DeviceServices.perform_as`)."""
