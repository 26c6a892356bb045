"""API tokens end, on the real stack and HTTP server: past its end a token is refused with a clear error,
disabling the account that made it or its organisation stops it at once, and each token's end and last use
are recorded and listed (by the service and on the integrations page)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from marketplace.api.tokens import TokenServices
from marketplace.domain.errors import InvalidInput
from tests.integration.api_server import ContractClient, serve_api
from tests.integration.journeys import Journeys
from ui.pages import (
    integrations,  # at collection: Reflex registers its states in the context of the first import
)

PASSWORD = "mot-de-passe-du-logiciel"


@pytest.fixture
async def api(stack: Any) -> Any:
    async with serve_api(stack.marketplace) as base, httpx.AsyncClient() as client:
        yield ContractClient(base, (await client.get(f"{base}/api/openapi.json")).json())


async def new_member(stack: Any, journeys: Journeys, org: str = "repar-acteurs-brest") -> tuple[str, str]:
    """(session, user id) of a new account of `org`, made by the admin."""
    admin = await journeys.token("admin")
    email = f"integration-{org}@example.org"
    await stack.marketplace.create_account(admin, {"email": email, "display_name": "Intégratrice",
                                                   "org_slug": org, "password": PASSWORD})
    user_id = next(a.id for a in await stack.marketplace.list_accounts(admin) if a.email == email)
    return (await stack.marketplace.sign_in(email, PASSWORD)).token, user_id


class TestExpiry:
    async def test_a_token_past_its_end_is_refused_with_a_clear_error(self, stack: Any, api: ContractClient) -> None:
        tokens = TokenServices(stack.marketplace)
        created = await tokens.create(await Journeys(stack).token("asset_manager"), "GLPI", lifetime_days=30)
        assert (await api.call("GET", "/api/devices", created.token)).status_code == 200
        async with stack.pool.acquire() as conn:  # 30 days later
            await conn.execute("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1",
                               created.id)
        r = await api.call("GET", "/api/devices", created.token)
        assert r.status_code == 401 and r.headers["WWW-Authenticate"] == "Bearer"
        assert r.json()["error"]["code"] == "api.token_expired" and "expiré le" in r.json()["error"]["message"]

    async def test_the_lifetime_is_chosen_among_a_few_and_a_year_by_default(self, stack: Any) -> None:
        session = await Journeys(stack).token("asset_manager")
        tokens = TokenServices(stack.marketplace)
        for days in (30, 90, 365):
            made = await tokens.create(session, f"{days} jours", lifetime_days=days)
            assert abs(made.expires_at - made.created_at - timedelta(days=days)) < timedelta(seconds=1)
        default = await tokens.create(session, "par défaut")
        assert default.expires_at - default.created_at == timedelta(days=365)
        for days in (0, 7, 3650, -1):
            with pytest.raises(InvalidInput) as refused:
                await tokens.create(session, "trop long", lifetime_days=days)
            assert refused.value.message_key == "token.lifetime_invalid"


class TestDisabling:
    async def test_disabling_the_account_that_made_it_stops_the_token_at_once(self, stack: Any,
                                                                             api: ContractClient) -> None:
        journeys = Journeys(stack)
        session, user_id = await new_member(stack, journeys)
        token = (await TokenServices(stack.marketplace).create(session, "logiciel d'atelier")).token
        assert (await api.call("GET", "/api/devices", token)).status_code == 200
        await stack.marketplace.set_account_disabled(await journeys.token("admin"), user_id, True)
        r = await api.call("GET", "/api/devices", token)
        assert r.status_code == 401 and r.json()["error"]["code"] == "api.token_disabled"
        other = (await TokenServices(stack.marketplace).create(await journeys.token("refurbisher"), "autre")).token
        assert (await api.call("GET", "/api/devices", other)).status_code == 200  # the organisation's others work

    async def test_disabling_its_organisation_stops_the_token_at_once(self, stack: Any, api: ContractClient) -> None:
        journeys = Journeys(stack)
        token = (await TokenServices(stack.marketplace).create(await journeys.token("refurbisher"), "GLPI")).token
        assert (await api.call("GET", "/api/devices", token)).status_code == 200
        admin = await journeys.token("admin")
        org = next(o for o in await stack.marketplace.list_organisations(admin) if o.slug == "repar-acteurs-brest")
        await stack.marketplace.save_organisation(admin, {**org.model_dump(mode="json"), "disabled": True}, create=False)
        r = await api.call("GET", "/api/devices", token)
        assert r.status_code == 401 and r.json()["error"]["code"] == "api.token_disabled"


class FakePage:
    """The integrations page's state without Reflex around it: what its handlers read and write."""

    def __init__(self, session: str) -> None:
        self._token, self.lang, self.token_error, self.new_token = session, "fr", "", ""
        self.tokens: list[dict[str, str]] = []
        self._load_tokens = integrations.IntegrationsState._load_tokens.__get__(self)  # type: ignore[attr-defined]


class TestListing:
    async def test_last_use_is_recorded_and_listed_with_the_end(self, stack: Any, api: ContractClient,
                                                                 monkeypatch: Any) -> None:
        async def marketplace() -> Any:
            return stack.marketplace

        monkeypatch.setattr(integrations, "marketplace", marketplace)
        session = await Journeys(stack).token("asset_manager")
        page = FakePage(session)
        await integrations.IntegrationsState.create_token.fn(page, {"name": "GLPI", "lifetime": "90"})
        assert page.token_error == ""
        [row] = page.tokens
        assert row["last_used"] == "jamais" and row["status"] == "actif" and row["expires"]
        [listed] = await TokenServices(stack.marketplace).list(session)
        assert listed.last_used_at is None
        assert abs(listed.expires_at - datetime.now(UTC) - timedelta(days=90)) < timedelta(minutes=1)

        token = (await TokenServices(stack.marketplace).create(session, "logiciel d'atelier")).token
        before = datetime.now(UTC)
        assert (await api.call("GET", "/api/devices", token)).status_code == 200
        used = {t.name: t.last_used_at for t in await TokenServices(stack.marketplace).list(session)}
        assert used["GLPI"] is None and used["logiciel d'atelier"] is not None
        assert used["logiciel d'atelier"] >= before - timedelta(seconds=1)
        await page._load_tokens()
        shown = {r["name"]: r["last_used"] for r in page.tokens}
        assert shown["GLPI"] == "jamais" and shown["logiciel d'atelier"] not in ("", "jamais")

        async with stack.pool.acquire() as conn:
            await conn.execute("UPDATE api_tokens SET expires_at = now() - interval '1 day'")
        await page._load_tokens()
        assert {r["status"] for r in page.tokens} == {"expiré"}

    async def test_a_refused_or_expired_token_records_no_use(self, stack: Any, api: ContractClient) -> None:
        session = await Journeys(stack).token("asset_manager")
        tokens = TokenServices(stack.marketplace)
        created = await tokens.create(session, "GLPI")
        async with stack.pool.acquire() as conn:
            await conn.execute("UPDATE api_tokens SET expires_at = now() - interval '1 second'")
        assert (await api.call("GET", "/api/devices", created.token)).status_code == 401
        assert (await tokens.list(session))[0].last_used_at is None
