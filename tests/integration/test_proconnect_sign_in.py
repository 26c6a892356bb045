"""Signing in with ProConnect through the services, against the real test provider and a real database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from marketplace.auth.credentials import token_hash
from marketplace.demo.catalogue import DEMO_ACCOUNTS
from marketplace.domain.errors import DomainError
from marketplace.services import Marketplace
from marketplace.services.proconnect import ProConnectRefused
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, OpenIdProvider, serve_provider

ADMIN_EMAIL, ADMIN_PASSWORD, *_ = DEMO_ACCOUNTS["admin"]
MAKER_EMAIL, MAKER_PASSWORD, *_ = DEMO_ACCOUNTS["maker"]

IDENTITIES = {
    "agent": {"sub": "sub-agent", "email": "yann.kervella@bretagne.bzh", "given_name": "Yann",
              "usual_name": "Kervella", "siret": "23350001600040"},
    "lycee": {"sub": "sub-lycee", "email": "gestion@lycee-des-embruns.demo", "given_name": "Maëlle",
              "usual_name": "Le Gall", "siret": ""},
    "stranger": {"sub": "sub-stranger", "email": "someone@ailleurs.fr", "given_name": "Per",
                 "usual_name": "Sonne", "siret": "11111111111111"},
}


@pytest.fixture
async def op() -> AsyncIterator[OpenIdProvider]:
    async with serve_provider(IDENTITIES) as provider:
        yield provider


@pytest.fixture
async def market(stack: Any, op: OpenIdProvider) -> Marketplace:
    settings = stack.settings.model_copy(update={
        "oidc_issuer": op.issuer, "oidc_client_id": CLIENT_ID, "oidc_client_secret": CLIENT_SECRET})
    async with stack.pool.acquire() as conn:
        await conn.execute("UPDATE organisations SET proconnect_domains = '{bretagne.bzh}' "
                           "WHERE slug = 'region-bretagne-dsi'")
    return Marketplace(stack.pool, settings)


async def _return_from_provider(market: Marketplace, identity: str) -> tuple[str, str]:
    """The browser at the provider's login page, choosing `identity`: the callback's (state, code)."""
    url = await market.proconnect_start()
    async with httpx.AsyncClient() as browser:
        page = await browser.get(url)
        assert "Se connecter" in page.text
        params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        back = await browser.post(url.split("?")[0], data={**params, "identity": identity})
    query = parse_qs(urlsplit(back.headers["location"]).query)
    assert back.headers["location"].startswith(market.settings.public_base_url.rstrip("/")
                                               + "/connexion/proconnect/retour?")
    return query["state"][0], query["code"][0]


async def _counts(stack: Any) -> tuple[int, int, int]:
    async with stack.pool.acquire() as conn:
        return (await conn.fetchval("SELECT count(*) FROM users"), await conn.fetchval("SELECT count(*) FROM sessions"),
                await conn.fetchval("SELECT count(*) FROM user_identities"))


class TestProConnectSignIn:
    async def test_an_allowed_domain_creates_the_account_in_that_organisation_with_its_role(
            self, market: Marketplace, stack: Any) -> None:
        state, code = await _return_from_provider(market, "agent")
        signed = await market.proconnect_redeem(await market.proconnect_finish(state, code))
        assert (signed.user.org_slug, signed.user.role, signed.user.is_admin) == (
            "region-bretagne-dsi", "asset_manager", False)
        assert (await market.user_for_session(signed.token)) == signed.user
        async with stack.pool.acquire() as conn:
            session = await conn.fetchrow("SELECT method, id_token FROM sessions WHERE token_hash = $1",
                                          token_hash(signed.token))
            link = await conn.fetchrow("SELECT acr, amr FROM user_identities WHERE subject = 'sub-agent'")
        assert session["method"] == "proconnect" and session["id_token"]
        assert (link["acr"], link["amr"]) == ("eidas1", ["pwd", "mfa"])

    async def test_an_existing_account_is_found_by_email_then_by_sub(self, market: Marketplace, stack: Any,
                                                                      op: OpenIdProvider) -> None:
        state, code = await _return_from_provider(market, "lycee")
        first = await market.proconnect_redeem(await market.proconnect_finish(state, code))
        assert (first.user.email, first.user.role) == ("gestion@lycee-des-embruns.demo", "asset_manager")
        op.identities["lycee"] = {**IDENTITIES["lycee"], "email": "maelle.legall@ac-rennes.fr"}
        state, code = await _return_from_provider(market, "lycee")
        again = await market.proconnect_redeem(await market.proconnect_finish(state, code))
        assert again.user.id == first.user.id

    async def test_a_domain_nobody_allowed_gets_no_account_and_is_told_whom_to_ask(
            self, market: Marketplace, stack: Any) -> None:
        before = await _counts(stack)
        state, code = await _return_from_provider(market, "stranger")
        with pytest.raises(ProConnectRefused) as refused:
            await market.proconnect_redeem(await market.proconnect_finish(state, code))
        assert refused.value.message_key == "proconnect.not_allowed"
        assert "Région" in refused.value.render("fr")
        assert await _counts(stack) == before

    async def test_a_replayed_or_missing_state_is_refused_and_changes_nothing(
            self, market: Marketplace, stack: Any) -> None:
        state, code = await _return_from_provider(market, "agent")
        await market.proconnect_redeem(await market.proconnect_finish(state, code))
        before = await _counts(stack)
        for replay in [(state, code), ("", code), ("made-up-state", code)]:
            with pytest.raises(ProConnectRefused) as refused:
                await market.proconnect_finish(*replay)
            assert refused.value.message_key == "proconnect.expired"
        assert await _counts(stack) == before

    @pytest.mark.parametrize("forge", [{"claims": {"nonce": "another"}}, {"sign": "other-key"}, {"sign": "none"},
                                       {"claims": {"aud": "another-service"}}, {"claims": {"exp": 1}}])
    async def test_a_forged_id_token_opens_no_session(self, market: Marketplace, stack: Any, op: OpenIdProvider,
                                                      forge: dict[str, Any]) -> None:
        before = await _counts(stack)
        state, code = await _return_from_provider(market, "agent")
        op.forge = forge
        with pytest.raises(ProConnectRefused) as refused:
            await market.proconnect_redeem(await market.proconnect_finish(state, code))
        assert refused.value.message_key == "proconnect.failed"
        assert await _counts(stack) == before

    async def test_sign_out_sends_the_browser_to_the_providers_end_session_with_the_id_token(
            self, market: Marketplace) -> None:
        state, code = await _return_from_provider(market, "agent")
        signed = await market.proconnect_redeem(await market.proconnect_finish(state, code))
        url = await market.proconnect_sign_out_url(signed.token, "http://127.0.0.1:1/connexion")
        assert url is not None and "/session/end?id_token_hint=" in url
        async with httpx.AsyncClient() as browser:
            ended = await browser.get(url)
        assert ended.status_code == 303

    async def test_a_handoff_code_opens_one_session_only(self, market: Marketplace, stack: Any) -> None:
        state, code = await _return_from_provider(market, "agent")
        handoff = await market.proconnect_finish(state, code)
        await market.proconnect_redeem(handoff)
        before = await _counts(stack)
        for spent in (handoff, "", "made-up"):
            with pytest.raises(ProConnectRefused):
                await market.proconnect_redeem(spent)
        assert await _counts(stack) == before


class TestProConnectAdmin:
    async def test_an_admin_allows_a_siret_and_an_agent_of_that_establishment_gets_in(
            self, market: Marketplace, stack: Any) -> None:
        admin = (await market.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)).token
        await market.set_proconnect_allowance(admin, "lycee-des-embruns-brest", "", "111 111 111 11111")
        assert (await market.proconnect_allowances(admin))["lycee-des-embruns-brest"] == ([], ["11111111111111"])
        state, code = await _return_from_provider(market, "stranger")
        signed = await market.proconnect_redeem(await market.proconnect_finish(state, code))
        assert (signed.user.org_slug, signed.user.is_admin) == ("lycee-des-embruns-brest", False)
        methods = await market.sign_in_methods(admin)
        assert methods[signed.user.id] == ["proconnect"]
        admin_id = next(a.id for a in await market.list_accounts(admin) if a.email == ADMIN_EMAIL)
        assert methods[admin_id] == ["password"]

    async def test_only_admins_change_what_is_allowed(self, market: Marketplace) -> None:
        maker = (await market.sign_in(MAKER_EMAIL, MAKER_PASSWORD)).token
        with pytest.raises(DomainError):
            await market.set_proconnect_allowance(maker, "fablab-du-leon-morlaix", "gmail.com", "")
