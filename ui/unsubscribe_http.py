"""The one-click unsubscribe link of every notification e-mail (RFC 8058), outside the Reflex app.

GET shows what the link would turn off and a button (mail scanners follow links: a GET changes nothing);
POST, from that button or from the mail client's one-click (body `List-Unsubscribe=One-Click`), turns that
kind off for that person. The signed token in the URL is the only authority it needs.
"""

from __future__ import annotations

import html

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from marketplace.i18n import catalogues
from marketplace.notifications.links import UNSUBSCRIBE_PATH
from marketplace.services.notification_prefs import NotificationServices


def page_language(request: Request) -> str:
    """`?lang=` when given, else the browser's first language with a catalogue, else French."""
    asked = request.query_params.get("lang")
    if asked in catalogues.languages():
        return asked
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in catalogues.languages():
            return tag
    return catalogues.SOURCE_LANGUAGE


async def _services() -> NotificationServices:
    from ui.services import marketplace

    m = await marketplace()
    return NotificationServices(m.pool, m.settings)


def _page(lang: str, body: str, status: int = 200) -> Response:
    title = html.escape(catalogues.text("unsubscribe.title", lang))
    page = (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
            f"<body><main><h1>{title}</h1>{body}</main></body></html>")
    return HTMLResponse(page, status_code=status, headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


async def unsubscribe_page(request: Request) -> Response:
    lang = page_language(request)
    token = request.query_params.get("t", "")
    kind = (await _services()).unsubscribe_kind(token)
    if kind is None:
        return _page(lang, f"<p>{html.escape(catalogues.text('unsubscribe.invalid', lang))}</p>", 404)
    name = catalogues.text(f"notify.kind.{kind}", lang)
    question = html.escape(catalogues.formatted("unsubscribe.confirm", lang, kind=name))
    button = html.escape(catalogues.text("unsubscribe.button", lang))
    action = html.escape(f"{UNSUBSCRIBE_PATH}?t={token}")
    return _page(lang, f'<p>{question}</p><form method="post" action="{action}">'
                       f'<button type="submit">{button}</button></form>')


async def unsubscribe(request: Request) -> Response:
    lang = page_language(request)
    kind = await (await _services()).unsubscribe(request.query_params.get("t", ""))
    if kind is None:
        return _page(lang, f"<p>{html.escape(catalogues.text('unsubscribe.invalid', lang))}</p>", 404)
    done = catalogues.formatted("unsubscribe.done", lang, kind=catalogues.text(f"notify.kind.{kind}", lang))
    return _page(lang, f"<p>{html.escape(done)}</p><p><a href=\"/preferences\">/preferences</a></p>")


ROUTES = [
    Route(UNSUBSCRIBE_PATH, unsubscribe_page, methods=["GET"]),
    Route(UNSUBSCRIBE_PATH, unsubscribe, methods=["POST"]),
]
