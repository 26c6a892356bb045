"""The REST API on the real stack: a partner drives a device through its whole lifecycle with tokens of
several organisations, every response checked against the published OpenAPI document; wrong roles,
bad tokens, bad input and the rate limit each give their status and a JSON error."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from marketplace.api.ratelimit import RateLimiter
from marketplace.api.tokens import TokenServices
from tests.integration.api_server import ContractClient, serve_api
from tests.integration.journeys import Journeys, certificate

DONOR = "lycee-des-embruns-brest"


def intake(n: int, **change: Any) -> dict[str, Any]:
    return {"request_id": f"workshop-{n}", "donor": DONOR, "category": "laptop", "brand": "Lenovo",
            "model": "ThinkPad T480", "serial": f"API{n:05d}", "year": 2019, "condition": "working",
            "has_storage": True} | change


async def api_tokens(stack: Any, *roles: str) -> dict[str, str]:
    journeys = Journeys(stack)
    tokens = TokenServices(stack.marketplace)
    return {role: (await tokens.create(await journeys.token(role), f"logiciel {role}")).token for role in roles}


@pytest.fixture
async def api(stack: Any) -> Any:
    async with serve_api(stack.marketplace) as base, httpx.AsyncClient() as client:
        document = (await client.get(f"{base}/api/openapi.json")).json()
        yield ContractClient(base, document)


class TestWholeLifecycleByApi:
    async def test_partners_drive_a_device_from_retired_to_returned(self, stack: Any, api: ContractClient) -> None:
        t = await api_tokens(stack, "asset_manager", "refurbisher", "third_place", "auditor")
        r = await api.call("POST", "/api/retirements", t["asset_manager"], json={"retirements": [intake(1)]})
        assert r.status_code == 200 and r.json()["created"] == 1
        code = r.json()["results"][0]["code"]
        again = await api.call("POST", "/api/retirements", t["asset_manager"], json={"retirements": [intake(1)]})
        assert again.json()["results"][0] == {"request_id": "workshop-1", "status": "existing", "code": code,
                                              "error": None}
        await Journeys(stack).route(code)  # the router worker's job

        listed = await api.call("GET", "/api/devices?state=offered", t["refurbisher"])
        assert [d["code"] for d in listed.json()["items"]] == [code]
        detail = (await api.call("GET", f"/api/devices/{code}", t["refurbisher"])).json()
        assert set(detail["allowed_actions"]) == {"claim", "decline"} and detail["chain_ok"]

        # Each handover is confirmed by its receiving side with the one-time code the handing side's token got.
        steps = [("refurbisher", "claim", {}), ("refurbisher", "collect", {"handover_code": "asset_manager"}),
                 ("refurbisher", "diagnose", {"outcome": "refurbishable", "findings": "RAS"}),
                 ("refurbisher", "wipe", certificate("API-DISK-1")),
                 ("refurbisher", "refurbish", {"grade": "A", "os_installed": "Linux Mint 22"}),
                 ("third_place", "reserve", {}),
                 ("third_place", "deliver", {"handover_code": "refurbisher", "beneficiary_category": "students"}),
                 ("third_place", "return", {"reason": "fin du prêt annuel"})]
        for role, action, data in steps:
            if "handover_code" in data:
                shown = await api.call("POST", f"/api/devices/{code}/handover-code", t[data["handover_code"]])
                assert shown.status_code == 200 and shown.json()["action"] == action, shown.json()
                data = data | {"handover_code": shown.json()["code"]}
            done = await api.call("POST", f"/api/devices/{code}/actions", t[role], json={"action": action, "input": data})
            assert done.status_code == 200, (action, done.json())
        assert done.json()["device"]["state"] == "returned"

        trail = (await api.call("GET", f"/api/devices/{code}", t["auditor"])).json()
        assert [e["type"] for e in trail["events"]] == [
            "asset.retired", "asset.offered", "asset.claimed", "asset.collected", "asset.diagnosed", "asset.wiped",
            "asset.refurbished", "asset.reserved", "asset.delivered", "asset.returned"]
        assert trail["chain_ok"] and trail["allowed_actions"] == []
        assert trail["events"][2]["actor_user"].startswith("api-token:")
        every = await api.call("GET", "/api/devices?limit=1", t["auditor"])
        assert len(every.json()["items"]) == 1 and every.json()["next_offset"] is None
        assert api.checked == 16  # every response above matched the document

    async def test_pagination_and_filters(self, stack: Any, api: ContractClient) -> None:
        t = await api_tokens(stack, "asset_manager")
        batch = [intake(n, category="desktop" if n % 2 else "laptop") for n in range(5)]
        await api.call("POST", "/api/retirements", t["asset_manager"], json={"retirements": batch})
        first = (await api.call("GET", "/api/devices?limit=2&category=laptop", t["asset_manager"])).json()
        assert len(first["items"]) == 2 and first["next_offset"] == 2
        rest = (await api.call("GET", "/api/devices?limit=2&offset=2&category=laptop", t["asset_manager"])).json()
        assert len(rest["items"]) == 1 and rest["next_offset"] is None


class TestRefusals:
    async def test_wrong_role_tokens_are_refused(self, stack: Any, api: ContractClient) -> None:
        t = await api_tokens(stack, "asset_manager", "auditor", "third_place", "refurbisher")
        r = await api.call("POST", "/api/retirements", t["auditor"], json={"retirements": [intake(1)]})
        assert r.status_code == 403 and r.json()["error"]["code"] == "auth.forbidden_role"
        code = (await api.call("POST", "/api/retirements", t["asset_manager"],
                               json={"retirements": [intake(2)]})).json()["results"][0]["code"]
        await Journeys(stack).route(code)
        claim = {"action": "claim", "input": {}}
        r = await api.call("POST", f"/api/devices/{code}/actions", t["third_place"], json=claim)
        assert r.status_code == 403
        r = await api.call("POST", f"/api/devices/{code}/actions", t["asset_manager"],
                           json={"action": "write_off", "input": {"reason": "pas admin"}})
        assert r.status_code == 403 and r.json()["error"]["code"] == "auth.admin_only"
        r = await api.call("POST", f"/api/devices/{code}/actions", t["refurbisher"],
                           json={"action": "diagnose", "input": {"outcome": "refurbishable"}})
        assert r.status_code == 409 and r.json()["error"]["code"] == "transition.refused"

    async def test_donor_must_be_the_tokens_organisation(self, stack: Any, api: ContractClient) -> None:
        t = await api_tokens(stack, "asset_manager")
        r = await api.call("POST", "/api/retirements", t["asset_manager"],
                           json={"retirements": [intake(1, donor="lycee-du-golfe-vannes"), intake(2)]})
        assert r.json()["refused"] == 1 and r.json()["created"] == 1
        assert r.json()["results"][0]["error"]["code"] == "api.donor_mismatch"

    async def test_tokens_input_and_unknown_devices(self, stack: Any, api: ContractClient) -> None:
        t = await api_tokens(stack, "asset_manager")
        assert (await api.call("GET", "/api/devices")).status_code == 401
        r = await api.call("GET", "/api/devices", "svk_not-a-real-token")
        assert r.status_code == 401 and r.json()["error"]["code"] == "api.token_invalid"
        r = await api.call("POST", "/api/retirements", t["asset_manager"], content=b"{not json")
        assert r.status_code == 400 and r.json()["error"]["code"] == "api.bad_json"
        r = await api.call("POST", "/api/retirements", t["asset_manager"], json={"retirements": [intake(1, year=1900)]})
        assert r.status_code == 422 and "year" in r.json()["error"]["message"]
        r = await api.call("GET", "/api/devices/ZZZZ-ZZZZ-ZZZZ", t["asset_manager"])
        assert r.status_code == 404
        assert (await api.call("GET", "/api/devices?limit=0", t["asset_manager"])).status_code == 422

    async def test_revoked_token_stops_working(self, stack: Any, api: ContractClient) -> None:
        journeys = Journeys(stack)
        session = await journeys.token("asset_manager")
        tokens = TokenServices(stack.marketplace)
        created = await tokens.create(session, "GLPI")
        assert (await api.call("GET", "/api/devices", created.token)).status_code == 200
        listed = await tokens.list(session)
        assert [(x.name, x.prefix) for x in listed] == [("GLPI", created.token[:10])]
        assert listed[0].last_used_at is not None
        await tokens.revoke(session, created.id)
        assert (await api.call("GET", "/api/devices", created.token)).status_code == 401
        # Another organisation cannot see or revoke it.
        assert await tokens.list(await journeys.token("refurbisher")) == []


class TestRateLimit:
    async def test_over_the_limit_answers_429_with_retry_after(self, stack: Any) -> None:
        t = await api_tokens(stack, "asset_manager", "auditor")
        async with serve_api(stack.marketplace, RateLimiter(rate=0.5, burst=3)) as base, httpx.AsyncClient() as c:
            statuses = [(await c.get(f"{base}/api/devices", headers={"Authorization": f"Bearer {t['asset_manager']}"}))
                        for _ in range(4)]
            other = await c.get(f"{base}/api/devices", headers={"Authorization": f"Bearer {t['auditor']}"})
        assert [s.status_code for s in statuses] == [200, 200, 200, 429]
        assert statuses[-1].json()["error"]["code"] == "rate_limited" and int(statuses[-1].headers["Retry-After"]) >= 1
        assert other.status_code == 200  # per token


class TestReports:
    async def test_auditor_tokens_read_reports_and_others_are_refused(self, stack: Any, api: ContractClient) -> None:
        t = await api_tokens(stack, "auditor", "asset_manager")
        await api.call("POST", "/api/retirements", t["asset_manager"], json={"retirements": [intake(1), intake(2)]})
        for name in ("flows", "compliance", "impact"):
            r = await api.call("GET", f"/api/reports/{name}?start=2020-01-01&donor={DONOR}", t["auditor"])
            assert r.status_code == 200 and r.json()["name"] == name and r.json()["tables"]
        assert (await api.call("GET", "/api/reports/flows", t["asset_manager"])).status_code == 403
        assert (await api.call("GET", "/api/reports/flows?start=hier", t["auditor"])).status_code == 422
