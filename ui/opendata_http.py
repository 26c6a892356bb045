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

from marketplace.i18n import catalogues
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


def page_text(lang: str) -> dict[str, str]:
    """The page's words in `lang` (`opendata.*` in the catalogues), and its link to the other language."""
    text = {part: catalogues.text(f"opendata.{part}", lang)
            for part in ("title", "h1", "intro", "files", "digest", "check")}
    other = next((o for o in catalogues.languages() if o != lang), catalogues.SOURCE_LANGUAGE)
    return {**text, "other": catalogues.name(other), "other_href": f"?lang={other}", "other_lang": other}


def page_language(request: Request) -> str:
    """`?lang=` when given, else the browser's first choice between French and English, else French."""
    asked = request.query_params.get("lang")
    if asked in catalogues.languages():
        return asked
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in catalogues.languages():
            return tag
    return catalogues.SOURCE_LANGUAGE


async def opendata_page(request: Request) -> Response:
    lang = page_language(request)
    text = page_text(lang)
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
