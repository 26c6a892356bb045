"""The ProConnect routes served for real (uvicorn on loopback) and driven like a browser, against the real
test provider: the start, the provider's login page, the return, the handoff code."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette

from marketplace.runtime.embedded import free_port
from marketplace.services import Marketplace
from marketplace.services.proconnect import ProConnectRefused
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, OpenIdProvider, serve_provider
from ui.proconnect_http import HANDOFF_PATH, proconnect_routes

IDENTITIES = {
    "agent": {"sub": "sub-agent", "email": "yann.kervella@bretagne.bzh", "given_name": "Yann",
              "usual_name": "Kervella", "siret": ""},
    "stranger": {"sub": "sub-stranger", "email": "someone@ailleurs.fr", "given_name": "Per",
                 "usual_name": "Sonne", "siret": ""},
}


@pytest.fixture
async def app(stack: Any) -> AsyncIterator[tuple[str, Marketplace, OpenIdProvider]]:
    async with serve_provider(IDENTITIES) as op:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        market = Marketplace(stack.pool, stack.settings.model_copy(update={
            "base_url": base, "oidc_issuer": op.issuer, "oidc_client_id": CLIENT_ID,
            "oidc_client_secret": CLIENT_SECRET}))
        async with stack.pool.acquire() as conn:
            await conn.execute("UPDATE organisations SET proconnect_domains = '{bretagne.bzh}' "
                               "WHERE slug = 'region-bretagne-dsi'")

        async def services() -> Marketplace:
            return market

        server = uvicorn.Server(uvicorn.Config(Starlette(routes=proconnect_routes(services)), host="127.0.0.1",
                                               port=port, log_level="warning", lifespan="off"))
        task = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.02)
        try:
            yield base, market, op
        finally:
            server.should_exit = True
            await task


async def _browse(base: str, identity: str) -> tuple[httpx.Response, str]:
    """Start, choose `identity` on the provider's page; the app's answer to the return, and the return URL."""
    async with httpx.AsyncClient() as browser:
        to_provider = await browser.get(base + "/connexion/proconnect")
        assert to_provider.status_code == 303
        page = await browser.get(to_provider.headers["location"])
        assert "Se connecter" in page.text
        params = {k: v[0] for k, v in parse_qs(urlsplit(str(page.url)).query).items()}
        back = await browser.post(str(page.url).split("?")[0], data={**params, "identity": identity})
        returned = back.headers["location"]
        return await browser.get(returned), returned


class TestProConnectRoutes:
    async def test_the_return_hands_a_one_time_code_to_the_page_which_opens_the_session(
            self, app: tuple[str, Marketplace, OpenIdProvider]) -> None:
        base, market, _ = app
        answer, _ = await _browse(base, "agent")
        assert answer.status_code == 303 and answer.headers["referrer-policy"] == "no-referrer"
        location = answer.headers["location"]
        assert location.startswith(HANDOFF_PATH + "/")
        signed = await market.proconnect_redeem(location.rsplit("/", 1)[1])
        assert (signed.user.org_slug, signed.user.role) == ("region-bretagne-dsi", "asset_manager")

    async def test_a_replayed_return_is_sent_back_to_the_sign_in_page(
            self, app: tuple[str, Marketplace, OpenIdProvider]) -> None:
        base, _, _ = app
        _, returned = await _browse(base, "agent")
        async with httpx.AsyncClient() as browser:
            again = await browser.get(returned)
            no_state = await browser.get(base + "/connexion/proconnect/retour?code=x")
        assert again.headers["location"] == "/connexion?refus=proconnect.expired"
        assert no_state.headers["location"] == "/connexion?refus=proconnect.expired"

    async def test_a_domain_nobody_allowed_is_sent_back_with_the_reason(
            self, app: tuple[str, Marketplace, OpenIdProvider]) -> None:
        base, market, _ = app
        answer, _ = await _browse(base, "stranger")
        assert answer.headers["location"] == "/connexion?refus=proconnect.not_allowed&domaine=ailleurs.fr"
        with pytest.raises(ProConnectRefused):
            await market.proconnect_redeem("")

    async def test_off_by_default(self, stack: Any) -> None:
        async def services() -> Marketplace:
            return Marketplace(stack.pool, stack.settings)

        port = free_port()
        server = uvicorn.Server(uvicorn.Config(Starlette(routes=proconnect_routes(services)), host="127.0.0.1",
                                               port=port, log_level="warning", lifespan="off"))
        task = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.02)
        try:
            async with httpx.AsyncClient() as browser:
                answer = await browser.get(f"http://127.0.0.1:{port}/connexion/proconnect")
        finally:
            server.should_exit = True
            await task
        assert answer.headers["location"] == "/connexion?refus=proconnect.off"
