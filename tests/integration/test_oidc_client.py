"""The OpenID Connect client against a real provider on loopback: what it believes and what it refuses."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from marketplace.auth.oidc_client import (
    FlowSecrets,
    Identity,
    Provider,
    authorization_url,
    discover,
    end_session_url,
    identity_from_code,
    jwks_cache,
)
from marketplace.auth.oidc_tokens import JwksCache, OidcTokenError
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, OpenIdProvider, serve_provider

REDIRECT = "http://127.0.0.1:1/connexion/proconnect/retour"
AGENT = {"sub": "sub-agent-1", "email": "Agent@Bretagne.bzh", "given_name": "Anne", "usual_name": "Le Goff",
         "siret": "23350001600040"}


@pytest.fixture
async def op() -> AsyncIterator[OpenIdProvider]:
    async with serve_provider({"agent": AGENT}) as provider:
        yield provider


async def _sign_in(http: httpx.AsyncClient, op: OpenIdProvider, meta: Provider, jwks: JwksCache,
                   flow: FlowSecrets | None = None, returned_state: str | None = None) -> Identity:
    """The browser's part (the login page, choosing an identity) then the client's checks."""
    flow = flow or FlowSecrets.draw()
    page = await http.get(authorization_url(meta, client_id=CLIENT_ID, redirect_uri=REDIRECT,
                                            scopes="openid email", flow=flow))
    assert page.status_code == 200 and "Se connecter" in page.text
    params = {k: v[0] for k, v in parse_qs(urlsplit(str(page.request.url)).query).items()}
    back = await http.post(meta.authorization_endpoint, data={**params, "identity": "agent"})
    query = parse_qs(urlsplit(back.headers["location"]).query)
    assert query["state"] == [flow.state]
    return await identity_from_code(http, meta, jwks, client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                                    redirect_uri=REDIRECT, code=query["code"][0], flow=flow)


class TestOidcClient:
    async def test_a_genuine_sign_in_yields_the_verified_identity_with_acr_and_amr(self, op: OpenIdProvider) -> None:
        async with httpx.AsyncClient() as http:
            meta = await discover(http, op.issuer)
            who = await _sign_in(http, op, meta, jwks_cache(http, meta))
        assert (who.issuer, who.sub, who.email, who.siret) == (op.issuer, "sub-agent-1", "agent@bretagne.bzh",
                                                               AGENT["siret"])
        assert (who.acr, who.amr) == ("eidas1", ("pwd", "mfa"))
        url = end_session_url(meta, id_token=who.id_token, post_logout_redirect_uri="http://x/", state="s")
        assert url is not None and "id_token_hint=" in url

    @pytest.mark.parametrize(("forge", "expected"), [
        ({"claims": {"nonce": "another-sign-in"}}, "nonce"),
        ({"claims": {"aud": "another-service"}}, "aud"),
        ({"claims": {"iss": "http://127.0.0.1:1"}}, "iss"),
        ({"claims": {"exp": int(time.time()) - 3600}}, "Expired"),
        ({"sign": "other-key"}, "BadSignature"),
        ({"sign": "none"}, "'none' refused"),
        ({"sign": "hs256"}, "'HS256' refused"),
    ], ids=["wrong-nonce", "wrong-audience", "wrong-issuer", "expired", "other-key", "alg-none", "hs256-public"])
    async def test_a_forged_id_token_is_refused(self, op: OpenIdProvider, forge: dict[str, object],
                                          expected: str) -> None:
        op.forge = forge
        async with httpx.AsyncClient() as http:
            meta = await discover(http, op.issuer)
            with pytest.raises(OidcTokenError, match=expected):
                await _sign_in(http, op, meta, jwks_cache(http, meta))

    async def test_a_code_works_once(self, op: OpenIdProvider) -> None:
        async with httpx.AsyncClient() as http:
            meta = await discover(http, op.issuer)
            flow = FlowSecrets.draw()
            page = await http.get(authorization_url(meta, client_id=CLIENT_ID, redirect_uri=REDIRECT,
                                                    scopes="openid", flow=flow))
            params = {k: v[0] for k, v in parse_qs(urlsplit(str(page.request.url)).query).items()}
            back = await http.post(meta.authorization_endpoint, data={**params, "identity": "agent"})
            code = parse_qs(urlsplit(back.headers["location"]).query)["code"][0]
            jwks = jwks_cache(http, meta)
            await identity_from_code(http, meta, jwks, client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                                     redirect_uri=REDIRECT, code=code, flow=flow)
            with pytest.raises(OidcTokenError, match="token endpoint answered 400"):
                await identity_from_code(http, meta, jwks, client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                                         redirect_uri=REDIRECT, code=code, flow=flow)

    async def test_the_jwks_is_fetched_again_when_the_provider_rotates_its_keys(self, op: OpenIdProvider) -> None:
        async with httpx.AsyncClient() as http:
            meta = await discover(http, op.issuer)
            jwks = jwks_cache(http, meta)
            await _sign_in(http, op, meta, jwks)
            op.rotate()
            jwks._fetched_at = float("-inf")  # the refresh pause has passed
            who = await _sign_in(http, op, meta, jwks)
        assert who.sub == "sub-agent-1"

    async def test_an_unknown_kid_right_after_a_fetch_does_not_refetch(self, op: OpenIdProvider) -> None:
        fetches = 0
        async with httpx.AsyncClient() as http:
            meta = await discover(http, op.issuer)
            inner = jwks_cache(http, meta)

            async def counting() -> dict[str, object]:
                nonlocal fetches
                fetches += 1
                return await inner._fetch()

            jwks = JwksCache(counting)
            await _sign_in(http, op, meta, jwks)
            op.rotate()
            with pytest.raises(OidcTokenError, match="no key 'k2'"):
                await _sign_in(http, op, meta, jwks)
        assert fetches == 1
