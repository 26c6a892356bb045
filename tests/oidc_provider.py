"""A real OpenID Connect provider for the tests, like ProConnect: discovery, JWKS, authorize, token, userinfo as a
signed JWT, end_session. Starlette serves it, joserfc signs.

Its login page lets the browser (or a test's HTTP client) choose one of the identities it knows. A test can make
it misbehave the way an attacker would (`forge`: sign with another key, with `alg: none`, with HS256 and the
public key as secret, or alter claims), and rotate its keys.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import html
import json
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import uvicorn
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from marketplace.runtime.embedded import free_port

CLIENT_ID = "seconde-vie-test"
CLIENT_SECRET = "test-secret-not-for-production"


@dataclass
class OpenIdProvider:
    """The provider's state: its keys, identities, codes, and what a test asked it to forge."""

    issuer: str = ""
    identities: dict[str, dict[str, str]] = field(default_factory=dict)
    keys: list[RSAKey] = field(default_factory=lambda: [RSAKey.generate_key(2048, {"kid": "k1"}, private=True)])
    forge: dict[str, Any] = field(default_factory=dict)
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    access: dict[str, dict[str, str]] = field(default_factory=dict)
    ended: list[str] = field(default_factory=list)

    def rotate(self) -> None:
        """A new signing key with a new kid, published in the JWKS from now on."""
        self.keys.insert(0, RSAKey.generate_key(2048, {"kid": f"k{len(self.keys) + 1}"}, private=True))

    def sign(self, claims: dict[str, Any]) -> str:
        key = self.keys[0]
        how = self.forge.get("sign")
        if how == "none":
            parts = [{"alg": "none", "typ": "JWT"}, claims]
            return ".".join(_b64(json.dumps(p).encode()) for p in parts) + "."
        if how == "hs256":  # by hand: joserfc rightly refuses to make an HMAC key of a public key
            head = ".".join(_b64(json.dumps(p).encode()) for p in [{"alg": "HS256", "kid": key.kid}, claims])
            mac = hmac.new(key.as_pem(private=False), head.encode(), hashlib.sha256).digest()
            return head + "." + _b64(mac)
        if how == "other-key":
            key = RSAKey.generate_key(2048, {"kid": key.kid}, private=True)
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)

    def app(self) -> Starlette:
        return Starlette(routes=[
            Route("/.well-known/openid-configuration", self._discovery),
            Route("/jwks", self._jwks),
            Route("/authorize", self._authorize, methods=["GET", "POST"]),
            Route("/token", self._token, methods=["POST"]),
            Route("/userinfo", self._userinfo),
            Route("/session/end", self._end_session),
        ])

    async def _discovery(self, request: Request) -> Response:
        return JSONResponse({
            "issuer": self.issuer, "authorization_endpoint": self.issuer + "/authorize",
            "token_endpoint": self.issuer + "/token", "userinfo_endpoint": self.issuer + "/userinfo",
            "jwks_uri": self.issuer + "/jwks", "end_session_endpoint": self.issuer + "/session/end",
            "response_types_supported": ["code"], "id_token_signing_alg_values_supported": ["RS256"],
            "userinfo_signing_alg_values_supported": ["RS256"], "code_challenge_methods_supported": ["S256"]})

    async def _jwks(self, request: Request) -> Response:
        return JSONResponse(KeySet(list(self.keys)).as_dict(private=False))

    async def _authorize(self, request: Request) -> Response:
        source = request.query_params if request.method == "GET" else await request.form()
        params = {key: str(value) for key, value in source.items()}
        if params.get("client_id") != CLIENT_ID or params.get("code_challenge_method") != "S256":
            return PlainTextResponse("invalid_request", status_code=400)
        if request.method == "GET":
            return HTMLResponse(self._login_page(params))
        who = self.identities[str(params["identity"])]
        code = secrets.token_urlsafe(24)
        self.codes[code] = {**params, "identity": who}
        back = {"code": code, **({"state": params["state"]} if params.get("state") else {})}
        return RedirectResponse(str(params["redirect_uri"]) + "?" + urlencode(back), status_code=303)

    def _login_page(self, params: dict[str, str]) -> str:
        hidden = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                         for k, v in params.items())
        choices = "".join(
            f'<label><input type="radio" name="identity" value="{html.escape(name)}" required> '
            f'{html.escape(who["email"])}</label><br>' for name, who in self.identities.items())
        return (f'<!doctype html><html lang="fr"><head><title>Fournisseur d\'identité de test</title></head>'
                f'<body><h1>Fournisseur d\'identité de test</h1><form method="post" action="/authorize">'
                f'{hidden}<fieldset><legend>Identité</legend>{choices}</fieldset>'
                f'<button type="submit">Se connecter</button></form></body></html>')

    async def _token(self, request: Request) -> Response:
        form = await request.form()
        grant = self.codes.pop(str(form.get("code", "")), None)  # a code works once
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET or grant is None:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        challenge = _b64(hashlib.sha256(str(form.get("code_verifier", "")).encode()).digest())
        if challenge != grant["code_challenge"] or form.get("redirect_uri") != grant["redirect_uri"]:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        who: dict[str, str] = grant["identity"]
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": CLIENT_ID, "sub": who["sub"], "iat": now, "exp": now + 60,
                  "nonce": grant.get("nonce", ""), "acr": "eidas1", "amr": ["pwd", "mfa"],
                  **self.forge.get("claims", {})}
        access_token = secrets.token_urlsafe(24)
        self.access[access_token] = who
        return JSONResponse({"access_token": access_token, "token_type": "Bearer", "expires_in": 60,
                             "id_token": self.sign(claims)})

    async def _userinfo(self, request: Request) -> Response:
        who = self.access.get(request.headers.get("authorization", "").removeprefix("Bearer "))
        if who is None:
            return JSONResponse({"error": "invalid_token"}, status_code=401)
        claims = {"iss": self.issuer, "aud": CLIENT_ID, **who}
        return Response(self.sign(claims), media_type="application/jwt")

    async def _end_session(self, request: Request) -> Response:
        self.ended.append(request.query_params.get("id_token_hint", ""))
        back = request.query_params.get("post_logout_redirect_uri", "")
        if not back:
            return PlainTextResponse("Vous êtes déconnecté du fournisseur d'identité.")
        return RedirectResponse(back + "?" + urlencode({"state": request.query_params.get("state", "")}),
                                status_code=303)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@asynccontextmanager
async def serve_provider(identities: dict[str, dict[str, str]]) -> AsyncIterator[OpenIdProvider]:
    """The provider served by uvicorn on a free loopback port inside the test's event loop."""
    port = free_port()
    provider = OpenIdProvider(issuer=f"http://127.0.0.1:{port}", identities=identities)
    server = uvicorn.Server(uvicorn.Config(provider.app(), host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    try:
        yield provider
    finally:
        server.should_exit = True
        await task
