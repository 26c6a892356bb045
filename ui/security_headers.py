"""What browsers are told they may do with our responses: an ASGI middleware around the whole app.

`reflex run --env prod` serves the compiled pages, their assets, Reflex's own routes (event socket,
upload, ping) and ours from one Starlette app; `rx.App(api_transformer=[..., SecurityHeaders])` wraps all
of it, so every response carries the headers whichever part answered. A header a route sets itself (the
downloads' `Referrer-Policy: no-referrer`) is kept.

The policy allows scripts from our origin and, inline, only the scripts of the compiled pages: their
SHA-256 hashes are read from the build (`.web/build/client/**/*.html`), never from the response being
sent, so HTML that some route would echo could not bless its own script. Reflex's pages need no
`'unsafe-inline'` for scripts and, since the language switch no longer uses `rx.call_script`, no
`'unsafe-eval'`. Styles keep `'unsafe-inline'`: Emotion, which Reflex styles components with, writes
`<style>` elements at run time.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_INLINE_SCRIPT = re.compile(rb"<script\b([^>]*)>(.*?)</script>", re.DOTALL | re.IGNORECASE)
_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")

HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    # One document serves every page (client-side navigation), so the scan page's camera is allowed to our
    # origin on all of them; no other origin (no frame, none is allowed) and no other device.
    "permissions-policy": "camera=(self), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
                          "bluetooth=(), display-capture=()",
}


def inline_script_hashes(static_dir: Path) -> tuple[str, ...]:
    """`'sha256-…'` sources for every inline script of the compiled pages, sorted, once each."""
    found: set[str] = set()
    for page in static_dir.rglob("*.html"):
        for match in _INLINE_SCRIPT.finditer(page.read_bytes()):
            if b"src=" not in match.group(1).lower():
                found.add("'sha256-" + base64.b64encode(hashlib.sha256(match.group(2)).digest()).decode() + "'")
    return tuple(sorted(found))


def content_security_policy(script_hashes: tuple[str, ...], socket_origins: list[str]) -> str:
    connect = " ".join(["'self'", *socket_origins])
    return "; ".join([
        "default-src 'self'",
        " ".join(["script-src 'self'", *script_hashes]),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        f"connect-src {connect}",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def _default_static_dir() -> Path:
    from reflex.utils import prerequisites
    from reflex_base import constants

    return prerequisites.get_web_dir() / constants.Dirs.STATIC


class _BuildHashes:
    """The build's hashes, read again when the build changes (its index.html is rewritten by each build)."""

    def __init__(self, static_dir: Path | None) -> None:
        self._dir = static_dir
        self._stamp: float | None = None
        self._hashes: tuple[str, ...] = ()

    def current(self) -> tuple[str, ...]:
        folder = self._dir if self._dir is not None else _default_static_dir()
        try:
            stamp = (folder / "index.html").stat().st_mtime
        except OSError:
            return ()  # no compiled frontend here (the dev server serves it): no inline script is allowed
        if stamp != self._stamp:
            self._hashes, self._stamp = inline_script_hashes(folder), stamp
        return self._hashes


def _socket_origin(scheme: str, host: str) -> str | None:
    """ws(s)://host: where a page served from scheme://host opens Reflex's event socket."""
    if not _HOST.match(host):
        return None  # a forged Host header must not write directives into the policy
    return ("wss://" if scheme == "https" else "ws://") + host


def _socket_origins(scope: Scope, public_url: str) -> list[str]:
    """The request's own host, and BASE_URL's (behind a TLS proxy the app sees http, the browser wss)."""
    host = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"host"), "")
    scheme, _, public_host = public_url.partition("://")
    found = [_socket_origin(str(scope.get("scheme", "http")), host), _socket_origin(scheme, public_host.split("/")[0])]
    return list(dict.fromkeys(o for o in found if o))


class SecurityHeaders:
    """Adds the headers above and a Content-Security-Policy to every HTTP response of `app`."""

    def __init__(self, app: ASGIApp, static_dir: Path | None = None, public_url: str | None = None) -> None:
        self.app = app
        self._hashes = _BuildHashes(static_dir)
        self._public_url = public_url

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        if self._public_url is None:
            from marketplace.settings import get_settings

            self._public_url = get_settings().public_base_url
        policy = content_security_policy(self._hashes.current(), _socket_origins(scope, self._public_url))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                extra = {**HEADERS, "content-security-policy": policy}
                if path.startswith("/d/"):
                    extra["referrer-policy"] = "no-referrer"  # a device's code stays out of other sites' logs
                headers += [(k.encode(), v.encode()) for k, v in extra.items() if k.encode() not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
