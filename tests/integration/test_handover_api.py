"""A handover proves that both parties were there, through the real REST API server (uvicorn on a loopback port),
every response checked against the published OpenAPI document: a partner's software holding only the public
device code cannot record the collection or the delivery it receives; with the code the handing side's token
obtained it goes through once."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.integration.api_server import ContractClient, serve_api
from tests.integration.journeys import Journeys
from tests.integration.stack import Stack
from tests.integration.test_api import api_tokens
from tests.integration.test_handover_proof import reused, trace

DELIVER = {"beneficiary_category": "job_seekers"}


@pytest.fixture
async def api(stack: Stack) -> Any:
    async with serve_api(stack.marketplace) as base, httpx.AsyncClient() as client:
        document = (await client.get(f"{base}/api/openapi.json")).json()
        yield ContractClient(base, document)


async def act(api: ContractClient, token: str, code: str, action: str, data: dict[str, Any]) -> httpx.Response:
    return await api.call("POST", f"/api/devices/{code}/actions", token, json={"action": action, "input": data})


async def show(api: ContractClient, token: str, code: str) -> httpx.Response:
    return await api.call("POST", f"/api/devices/{code}/handover-code", token)


class TestHandoverByApi:
    async def test_the_receiving_token_with_the_public_code_is_refused_for_collect_and_deliver(
        self, stack: Stack, api: ContractClient
    ) -> None:
        j = Journeys(stack)
        t = await api_tokens(stack, "refurbisher", "third_place")
        claimed, reserved = await j.device_in("claimed"), await j.device_in("reserved")
        before = {code: await trace(stack, code) for code in (claimed, reserved)}
        counted = await reused(stack, j)

        collect = await act(api, t["refurbisher"], claimed, "collect", {"confirm_code": claimed})
        deliver = await act(api, t["third_place"], reserved, "deliver", {"confirm_code": reserved} | DELIVER)
        guessed = await act(api, t["third_place"], reserved, "deliver", {"handover_code": "123456"} | DELIVER)

        for response in (collect, deliver):
            assert response.status_code == 409
            assert response.json()["error"]["code"] == "handover.code_required"
        assert guessed.status_code == 409 and guessed.json()["error"]["code"] == "handover.code_none"
        assert {code: await trace(stack, code) for code in (claimed, reserved)} == before
        assert await reused(stack, j) == counted

    async def test_the_code_the_handing_token_obtained_lets_the_receiving_token_confirm_once(
        self, stack: Stack, api: ContractClient
    ) -> None:
        j = Journeys(stack)
        t = await api_tokens(stack, "asset_manager", "refurbisher", "third_place")
        code = await j.device_in("claimed")

        shown = await show(api, t["asset_manager"], code)
        assert shown.status_code == 200
        body = shown.json()
        assert (body["action"], body["device"], body["receiver"]) == ("collect", code, "repar-acteurs-brest")
        collected = await act(api, t["refurbisher"], code, "collect", {"handover_code": body["code"]})
        assert collected.status_code == 200 and collected.json()["device"]["state"] == "collected"
        again = await act(api, t["refurbisher"], code, "collect", {"handover_code": body["code"]})
        assert again.status_code == 409 and again.json()["error"]["code"] == "transition.refused"

        reserved = await j.device_in("reserved")
        counted = await reused(stack, j)
        shown = await show(api, t["refurbisher"], reserved)
        assert shown.status_code == 200 and shown.json()["action"] == "deliver"
        delivered = await act(api, t["third_place"], reserved, "deliver", {"handover_code": shown.json()["code"]} | DELIVER)
        assert delivered.status_code == 200 and delivered.json()["device"]["state"] == "delivered"
        assert await reused(stack, j) == counted + 1

    async def test_wrong_codes_are_counted_and_the_fifth_voids_the_code(self, stack: Stack, api: ContractClient) -> None:
        j = Journeys(stack)
        t = await api_tokens(stack, "refurbisher", "third_place")
        code = await j.device_in("reserved")
        right = (await show(api, t["refurbisher"], code)).json()["code"]
        wrong = f"{(int(right) + 7) % 1_000_000:06d}"

        answers = [(await act(api, t["third_place"], code, "deliver", {"handover_code": wrong} | DELIVER)).json()
                   for _ in range(5)]
        last = await act(api, t["third_place"], code, "deliver", {"handover_code": right} | DELIVER)

        assert [a["error"]["code"] for a in answers] == ["handover.code_wrong"] * 4 + ["handover.code_wrong_void"]
        assert "Essais restants avant son annulation : 4" in answers[0]["error"]["message"]
        assert last.status_code == 409 and last.json()["error"]["code"] == "handover.code_void"
        after = await trace(stack, code)
        assert after["state"] == "reserved" and after["codes"] == [{"wrong_tries": 5, "used": False}]

    async def test_no_token_but_the_handing_sides_obtains_a_code(self, stack: Stack, api: ContractClient) -> None:
        j = Journeys(stack)
        t = await api_tokens(stack, "asset_manager", "refurbisher", "maker", "third_place", "recycler", "auditor")
        claimed, reserved = await j.device_in("claimed"), await j.device_in("reserved")

        for role in ("refurbisher", "maker", "third_place", "recycler", "auditor"):
            refused = await show(api, t[role], claimed)
            assert refused.status_code == 403, (role, refused.json())
        for role in ("asset_manager", "maker", "third_place", "recycler", "auditor"):
            refused = await show(api, t[role], reserved)
            assert refused.status_code == 403, (role, refused.json())
        assert (await show(api, t["refurbisher"], claimed)).json()["error"]["code"] == "handover.giver_shows"
        assert (await show(api, t["third_place"], reserved)).json()["error"]["code"] == "handover.giver_shows"
        assert (await api.call("POST", f"/api/devices/{claimed}/handover-code")).status_code == 401
        assert (await show(api, t["asset_manager"], "ZZZZ-ZZZZ-ZZZZ")).status_code == 404
        assert (await trace(stack, claimed))["codes"] == [] and (await trace(stack, reserved))["codes"] == []
