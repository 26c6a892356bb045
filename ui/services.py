"""The UI's only door to the marketplace: the async services facade, and how its refusals read."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from marketplace.domain.errors import DomainError
from ui import i18n

if TYPE_CHECKING:
    from marketplace.services import Marketplace

log = logging.getLogger(__name__)


async def marketplace() -> Marketplace:
    """The process-wide marketplace (its database pool is created on first use, not at import)."""
    # Imported here so that compiling the frontend never wires the composition root.
    from marketplace.runtime.bootstrap import get_marketplace

    return await get_marketplace()


def explain(err: Exception, lang: str) -> str:
    """A sentence for the user about a failed call: the domain's reason, or a generic apology."""
    if isinstance(err, DomainError):
        return i18n.error_message(err, lang)
    # Unexpected: keep the details in the server log, never in the page.
    log.exception("unexpected error in a UI handler", exc_info=err)
    return i18n.text("error.unexpected", lang)


async def perform(token: str, code: str, action: str, data: dict[str, object], lang: str) -> tuple[str, str]:
    """Run one lifecycle action; (device code, "") when done, ("", sentence) when refused."""
    try:
        summary = await (await marketplace()).perform(token, code, action, data)
    except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
        return "", explain(err, lang)
    return summary.code, ""
