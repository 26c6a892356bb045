"""The ProConnect sign-in's two HTTP legs, outside the Reflex app: the start and the provider's return.

/connexion/proconnect sends the browser to the provider (the flow's secrets stay in PostgreSQL).
/connexion/proconnect/retour checks everything and sends the browser to the Reflex page
/connexion/proconnect/ouverture/<code> with a one-time, two-minute handoff code, which that page exchanges
for the session through a Reflex event and then takes out of the address bar. A refusal goes back to
/connexion with its key only (`?refus=proconnect.not_allowed`): nothing secret, nothing the page echoes as HTML.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from marketplace.domain.errors import DomainError

START_PATH = "/connexion/proconnect"
RETURN_PATH = "/connexion/proconnect/retour"
HANDOFF_PATH = "/connexion/proconnect/ouverture"
SIGN_IN_PATH = "/connexion"
_PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
log = logging.getLogger(__name__)

Provider = Callable[[], Awaitable[Any]]


def _to(url: str) -> Response:
    return RedirectResponse(url, status_code=303, headers=_PRIVATE)


def _refused(error: DomainError) -> Response:
    domain = error.params.get("domain")  # the person's own e-mail domain, for "no organisation allows <domain>"
    return _to(f"{SIGN_IN_PATH}?refus={error.message_key}" + (f"&domaine={quote(domain)}" if domain else ""))


def proconnect_routes(provider: Provider) -> list[Route]:
    """The two routes, over the services `provider` gives (the UI's marketplace, or a test's)."""

    async def start(request: Request) -> Response:
        try:
            return _to(await (await provider()).proconnect_start())
        except DomainError as error:
            return _refused(error)

    async def back(request: Request) -> Response:
        q = request.query_params
        if q.get("error"):  # the person cancelled at the provider, or it refused
            log.info("ProConnect returned an error: %s", q.get("error"))
        try:
            handoff = await (await provider()).proconnect_finish(q.get("state", ""), q.get("code", ""))
        except DomainError as error:
            return _refused(error)
        return _to(f"{HANDOFF_PATH}/{handoff}")

    return [Route(START_PATH, start, methods=["GET"]), Route(RETURN_PATH, back, methods=["GET"])]
