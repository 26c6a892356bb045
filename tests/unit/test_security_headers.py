"""The headers middleware on a stand-in app: added to every response, a route's own value kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ui.security_headers import SecurityHeaders, content_security_policy


async def answer(app: Any, path: str, route_headers: list[tuple[bytes, bytes]] | None = None) -> dict[str, str]:
    async def inner(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": route_headers or []})
        await send({"type": "http.response.body", "body": b"ok"})

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    scope = {"type": "http", "path": path, "scheme": "http", "headers": [(b"host", b"127.0.0.1:3000")]}
    await app(inner)(scope, receive, send)
    return {k.decode(): v.decode() for k, v in sent[0]["headers"]}


def middleware(inner: Any) -> SecurityHeaders:
    return SecurityHeaders(inner, static_dir=Path("/nonexistent-build"), public_url="https://reemploi.example.bzh")


class TestSecurityHeaders:
    async def test_every_response_gets_them(self) -> None:
        headers = await answer(middleware, "/api/devices")
        assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "connect-src 'self' ws://127.0.0.1:3000 wss://reemploi.example.bzh;" in headers["content-security-policy"]

    async def test_device_pages_send_no_referrer_and_a_routes_own_header_is_kept(self) -> None:
        assert (await answer(middleware, "/d/ABCDEFGHJKMN"))["referrer-policy"] == "no-referrer"
        own = await answer(middleware, "/labels/t.pdf", [(b"referrer-policy", b"no-referrer")])
        assert own["referrer-policy"] == "no-referrer"

    def test_inline_scripts_only_by_hash_and_no_eval(self) -> None:
        policy = content_security_policy(("'sha256-abc='",), [])
        assert "script-src 'self' 'sha256-abc='" in policy
        assert "unsafe-eval" not in policy and "script-src 'self' 'unsafe-inline'" not in policy
        assert "connect-src 'self';" in policy

    async def test_a_forged_host_cannot_add_directives(self) -> None:
        async def inner(scope: Any, receive: Any, send: Any) -> None:
            await send({"type": "http.response.start", "status": 200, "headers": []})

        sent: list[Any] = []

        async def send(message: Any) -> None:
            sent.append(message)

        scope = {"type": "http", "path": "/", "scheme": "http", "headers": [(b"host", b"x; script-src *")]}
        await middleware(inner)(scope, None, send)
        policy = dict(sent[0]["headers"])[b"content-security-policy"].decode()
        assert "script-src *" not in policy and "connect-src 'self' wss://reemploi.example.bzh;" in policy
