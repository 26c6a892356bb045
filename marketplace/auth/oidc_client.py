"""The client side of an OpenID Connect sign-in (ProConnect): discovery, the authorization URL, the code exchange.

The authorization code flow with PKCE (S256), `state` and `nonce`. What the flow must remember between the
redirect to the provider and its return (state, nonce, PKCE verifier) is the caller's to keep server-side; this
module only builds and checks. The userinfo answer is accepted only as a JWT signed by the provider, as
ProConnect sends it, and only when it names the same `sub` as the ID token.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

from marketplace.auth.oidc_tokens import JwksCache, OidcTokenError, verified_claims, verified_id_token


@dataclass(frozen=True)
class Provider:
    """The endpoints the provider's discovery document names."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    end_session_endpoint: str | None


@dataclass(frozen=True)
class FlowSecrets:
    """What one sign-in attempt must keep server-side until the provider sends the person back."""

    state: str
    nonce: str
    code_verifier: str

    @classmethod
    def draw(cls) -> FlowSecrets:
        return cls(secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(64))

    @property
    def code_challenge(self) -> str:
        digest = hashlib.sha256(self.code_verifier.encode("ascii")).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class Identity:
    """A person as the provider vouches for them, once every check held."""

    issuer: str
    sub: str
    email: str
    given_name: str
    usual_name: str
    siret: str
    acr: str
    amr: tuple[str, ...]
    id_token: str


async def discover(http: httpx.AsyncClient, issuer: str) -> Provider:
    """The provider's metadata; refused when the document names another issuer (a mix-up)."""
    response = await http.get(issuer.rstrip("/") + "/.well-known/openid-configuration")
    response.raise_for_status()
    doc = response.json()
    if doc.get("issuer") != issuer:
        raise OidcTokenError(f"the discovery document names issuer {doc.get('issuer')!r}, not {issuer!r}")
    return Provider(issuer, doc["authorization_endpoint"], doc["token_endpoint"], doc["userinfo_endpoint"],
                    doc["jwks_uri"], doc.get("end_session_endpoint"))


def jwks_cache(http: httpx.AsyncClient, provider: Provider) -> JwksCache:
    """A key cache that fetches `provider`'s JWKS with `http`."""

    async def fetch() -> dict[str, Any]:
        response = await http.get(provider.jwks_uri)
        response.raise_for_status()
        keys: dict[str, Any] = response.json()
        return keys

    return JwksCache(fetch)


def authorization_url(provider: Provider, *, client_id: str, redirect_uri: str, scopes: str,
                      flow: FlowSecrets) -> str:
    """Where to send the person's browser to sign in at the provider."""
    query = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri, "scope": scopes,
             "state": flow.state, "nonce": flow.nonce, "code_challenge": flow.code_challenge,
             "code_challenge_method": "S256", "acr_values": "eidas1"}
    return provider.authorization_endpoint + "?" + urlencode(query)


def end_session_url(provider: Provider, *, id_token: str, post_logout_redirect_uri: str, state: str) -> str | None:
    """Where to send the browser so the provider ends its session too (None: it has no such endpoint)."""
    if not provider.end_session_endpoint:
        return None
    query = {"id_token_hint": id_token, "post_logout_redirect_uri": post_logout_redirect_uri, "state": state}
    return provider.end_session_endpoint + "?" + urlencode(query)


async def identity_from_code(http: httpx.AsyncClient, provider: Provider, jwks: JwksCache, *, client_id: str,
                             client_secret: str, redirect_uri: str, code: str, flow: FlowSecrets) -> Identity:
    """Exchanges the code, checks the ID token and the signed userinfo, and says who signed in."""
    response = await http.post(provider.token_endpoint, data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
        "code_verifier": flow.code_verifier, "client_id": client_id, "client_secret": client_secret})
    if response.status_code != 200:
        raise OidcTokenError(f"the token endpoint answered {response.status_code}")
    tokens = response.json()
    id_token, access_token = str(tokens.get("id_token", "")), str(tokens.get("access_token", ""))
    claims = await verified_id_token(id_token, jwks, issuer=provider.issuer, audience=client_id, nonce=flow.nonce)
    info = await _userinfo(http, provider, jwks, access_token, client_id)
    if info.get("sub") != claims["sub"]:
        raise OidcTokenError("the userinfo answer is about another person")
    amr = claims.get("amr") or []
    return Identity(provider.issuer, str(claims["sub"]), str(info.get("email", "")).strip().lower(),
                    str(info.get("given_name", "")), str(info.get("usual_name", "")), str(info.get("siret", "")),
                    str(claims.get("acr", "")), tuple(str(a) for a in amr), id_token)


async def _userinfo(http: httpx.AsyncClient, provider: Provider, jwks: JwksCache, access_token: str,
                    client_id: str) -> dict[str, Any]:
    response = await http.get(provider.userinfo_endpoint, headers={"Authorization": f"Bearer {access_token}"})
    if response.status_code != 200:
        raise OidcTokenError(f"the userinfo endpoint answered {response.status_code}")
    if not response.headers.get("content-type", "").startswith("application/jwt"):
        raise OidcTokenError("the userinfo answer is not a signed JWT")
    return await verified_claims(response.text.strip(), jwks, issuer=provider.issuer, audience=client_id,
                                 require_exp=False)
