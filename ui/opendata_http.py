"""The public open-data page `/donnees-ouvertes` and its files (no sign-in: the files are anonymised).

The files are written by `marketplace.reports.opendata` into DATA_DIR/opendata and rewritten when older
than an hour, so a burst of visitors costs one export.
"""

from __future__ import annotations

import asyncio
import html
import time
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from marketplace.settings import get_settings

FILES = {"devices.csv": "text/csv", "devices.json": "application/json", "events.csv": "text/csv",
         "events.json": "application/json", "chain_heads.csv": "text/csv", "digest.txt": "text/plain",
         "schema.json": "application/json", "README.md": "text/markdown"}
MAX_AGE_SECONDS = 3600
_lock = asyncio.Lock()


async def _folder() -> Path:
    from marketplace.reports.opendata import write_opendata
    from ui.services import marketplace

    folder = get_settings().data_dir.resolve() / "opendata"
    async with _lock:
        digest = folder / "digest.txt"
        if not digest.exists() or time.time() - digest.stat().st_mtime > MAX_AGE_SECONDS:
            await write_opendata((await marketplace()).pool, folder)
    return folder


PAGE_TEXT = {
    "fr": {"title": "Données ouvertes — Seconde Vie", "h1": "Données ouvertes",
           "intro": "Appareils réformés et chaque étape de leur seconde vie, sans donnée personnelle ni numéro de série.",
           "files": "Fichiers", "digest": "Empreinte des chaînes", "check": "Pour la vérifier :",
           "other": "English", "other_href": "?lang=en", "other_lang": "en"},
    "en": {"title": "Open data — Seconde Vie", "h1": "Open data",
           "intro": "Retired devices and every step of their second life, with no personal data or serial numbers.",
           "files": "Files", "digest": "Chain digest", "check": "To check it:",
           "other": "Français", "other_href": "?lang=fr", "other_lang": "fr"},
}


def page_language(request: Request) -> str:
    """`?lang=` when given, else the browser's first choice between French and English, else French."""
    asked = request.query_params.get("lang")
    if asked in PAGE_TEXT:
        return asked
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in PAGE_TEXT:
            return tag
    return "fr"


async def opendata_page(request: Request) -> Response:
    lang = page_language(request)
    text = PAGE_TEXT[lang]
    folder = await _folder()
    digest = (folder / "digest.txt").read_text(encoding="utf-8").splitlines()
    links = "".join(f'<li><a href="/donnees-ouvertes/{name}" download>{name}</a></li>' for name in FILES)
    body = f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{text["title"]}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>
<p><a href="{text["other_href"]}" lang="{text["other_lang"]}" hreflang="{text["other_lang"]}">{text["other"]}</a></p>
<main><h1>{text["h1"]}</h1>
<p>{text["intro"]}</p>
<h2>{text["files"]}</h2><ul>{links}</ul>
<h2>{text["digest"]}</h2><p><code>{html.escape(digest[0] if digest else "")}</code></p>
<p><samp lang="en">{html.escape(digest[1] if len(digest) > 1 else "")}</samp></p>
<p>{text["check"]}
<code>tail -n +2 chain_heads.csv | LC_ALL=C sort | awk -F, '{{print $1":"$2":"$3}}' | sha256sum</code></p>
</main></body></html>"""
    return HTMLResponse(body, headers={"Cache-Control": "public, max-age=300", "Content-Language": lang,
                                       "Vary": "Accept-Language"})


async def opendata_file(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in FILES:
        return PlainTextResponse("Fichier inconnu / unknown file", status_code=404)
    folder = await _folder()
    return FileResponse(folder / name, media_type=FILES[name] + "; charset=utf-8",
                        filename=name, headers={"Cache-Control": "public, max-age=300"})


ROUTES = [
    Route("/donnees-ouvertes", opendata_page, methods=["GET"]),
    Route("/donnees-ouvertes/{name}", opendata_file, methods=["GET"]),
]
