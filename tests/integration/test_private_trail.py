"""Object-level authorisation on the real stack: device codes are public, so an organisation that is no party
to a device reads its public passport (what a signed-out visitor reads), through the UI's services and
through the REST API alike; the device's parties, auditors and admins read the private trail."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest

from marketplace.api.tokens import TokenServices
from tests.integration.api_server import ContractClient, serve_api
from tests.integration.journeys import Journeys

DISK_SERIAL = "DISK-SECRET-4242"
OPERATOR = "Opératrice Confidentielle"
FINDINGS = "constat privé : clavier taché"
RETURN_REASON = "motif de retour confidentiel"
SECRETS = (DISK_SERIAL, OPERATOR, FINDINGS, RETURN_REASON)
OUTSIDERS = ("lycee-du-golfe-vannes", "tiers-lieu-l-escale-redon")  # a donor and a third place, never involved


def wipe_certificate() -> dict[str, Any]:
    return {"method": "Purge", "technique": "ATA Secure Erase", "tool": "nwipe", "tool_version": "0.36",
            "verification": "full", "operator": OPERATOR, "sanitised_on": date.today().isoformat(),
            "media": [{"make": "Samsung", "model": "PM871", "serial": DISK_SERIAL}], "signature": OPERATOR}


async def returned_device(journeys: Journeys) -> str:
    """A data-bearing laptop taken from retired to returned, leaving a private trail behind."""
    code = await journeys.retire(has_storage=True)
    await journeys.route(code)
    steps = [("refurbisher", "claim", {}), ("asset_manager", "collect", {"confirm_code": code}),
             ("refurbisher", "diagnose", {"outcome": "refurbishable", "findings": FINDINGS}),
             ("refurbisher", "wipe", wipe_certificate()),
             ("refurbisher", "refurbish", {"grade": "B", "os_installed": "Linux Mint 22"}),
             ("third_place", "reserve", {}),
             ("refurbisher", "deliver", {"confirm_code": code, "beneficiary_category": "students"}),
             ("third_place", "return", {"reason": RETURN_REASON})]
    for role, action, data in steps:
        await journeys.act(role, code, action, data)
    return code


async def member_of(stack: Any, journeys: Journeys, org: str) -> str:
    """A session of a new account in `org`, created by the admin."""
    email = f"membre@{org}.example.org"
    await stack.marketplace.create_account(await journeys.token("admin"), {
        "email": email, "display_name": "Membre curieux", "org_slug": org, "password": "mot-de-passe-curieux"})
    return (await stack.marketplace.sign_in(email, "mot-de-passe-curieux")).token


async def offered_elsewhere(stack: Any, code: str, claimer: str) -> str:
    """An organisation the router offered the device to that did not claim it."""
    async with stack.pool.acquire() as conn:
        orgs = await conn.fetch("SELECT o.slug FROM offers f JOIN organisations o ON o.id = f.org_id "
                                "JOIN assets a ON a.id = f.asset_id WHERE a.code = $1 AND o.slug <> $2",
                                code.replace("-", ""), claimer)
    assert orgs, "the router made a single offer: the test needs a second candidate"
    return str(orgs[0]["slug"])


def leaked(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


@pytest.fixture
async def api(stack: Any) -> Any:
    async with serve_api(stack.marketplace) as base, httpx.AsyncClient() as client:
        yield ContractClient(base, (await client.get(f"{base}/api/openapi.json")).json())


class TestDevicePageThroughTheServices:
    async def test_a_member_of_an_unrelated_organisation_reads_only_the_public_passport(self, stack: Any) -> None:
        journeys = Journeys(stack)
        code = await returned_device(journeys)
        public = await stack.marketplace.device_page(code, None)
        for org in OUTSIDERS:
            page = await stack.marketplace.device_page(code, await member_of(stack, journeys, org))
            assert leaked(page.model_dump_json()) == [], org
            assert all(e.actor_user is None for e in page.events)
            assert page.events == public.events  # exactly what a signed-out visitor reads

    async def test_the_devices_parties_auditors_and_admins_read_the_private_trail(self, stack: Any) -> None:
        journeys = Journeys(stack)
        code = await returned_device(journeys)
        readers = [await journeys.token(r) for r in ("asset_manager", "refurbisher", "third_place", "auditor", "admin")]
        readers.append(await member_of(stack, journeys, await offered_elsewhere(stack, code, "repar-acteurs-brest")))
        for session in readers:
            page = await stack.marketplace.device_page(code, session)
            assert leaked(page.model_dump_json()) == list(SECRETS)
            assert any(e.actor_user for e in page.events)


class TestDeviceThroughTheApi:
    async def test_an_unrelated_organisations_token_gets_the_public_passport(self, stack: Any,
                                                                           api: ContractClient) -> None:
        journeys = Journeys(stack)
        code = await returned_device(journeys)
        public = (await stack.marketplace.device_page(code, None)).model_dump(mode="json")["events"]
        tokens = TokenServices(stack.marketplace)
        for org in OUTSIDERS:
            token = (await tokens.create(await member_of(stack, journeys, org), "curieux")).token
            r = await api.call("GET", f"/api/devices/{code}", token)
            assert r.status_code == 200 and leaked(r.text) == [], org
            assert r.json()["events"] == public and r.json()["allowed_actions"] == []
            listed = await api.call("GET", "/api/devices", token)
            assert code not in listed.text  # nor does it list the device

    async def test_the_parties_tokens_read_the_private_trail(self, stack: Any, api: ContractClient) -> None:
        journeys = Journeys(stack)
        code = await returned_device(journeys)
        tokens = TokenServices(stack.marketplace)
        for role in ("asset_manager", "refurbisher", "third_place", "auditor"):
            token = (await tokens.create(await journeys.token(role), f"logiciel {role}")).token
            r = await api.call("GET", f"/api/devices/{code}", token)
            assert r.status_code == 200 and leaked(r.text) == list(SECRETS), role
