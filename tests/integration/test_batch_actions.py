"""Issue 19: one step for several devices, through the real services and the real API (`POST /api/actions`).

A workshop wipes ten devices with one certificate form, each device with its own media; a device that is not
in the right state, another workshop's device, a malformed code and a code given twice are each refused and
named, and the others go through, each with its own event and its own certificate."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from marketplace.domain.errors import InvalidInput
from marketplace.services.bulk_actions import BatchItem
from tests.integration.api_server import ContractClient, serve_api
from tests.integration.journeys import Journeys, certificate
from tests.integration.test_api import api_tokens

SHARED = {key: value for key, value in certificate().items() if key != "media"}


def media(serial: str) -> dict[str, Any]:
    return {"media": [{"make": "Samsung", "model": "PM981", "serial": serial}]}


async def wiped_certificates(stack: Any, codes: list[str]) -> dict[str, list[str]]:
    """code -> the serials its own `asset.wiped` event certifies."""
    async with stack.pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT a.code, e.payload FROM asset_events e JOIN assets a ON a.id = e.asset_id "
            "WHERE e.type = 'asset.wiped' AND a.code = ANY($1::text[])", [c.replace("-", "") for c in codes])
    out: dict[str, list[str]] = {}
    for r in rows:
        payload = json.loads(r["payload"]) if isinstance(r["payload"], str) else r["payload"]
        out.setdefault(r["code"], []).extend(m["serial"] for m in payload["certificate"]["media"])
    return out


@pytest.fixture
async def api(stack: Any) -> Any:
    async with serve_api(stack.marketplace) as base, httpx.AsyncClient() as client:
        document = (await client.get(f"{base}/api/openapi.json")).json()
        yield ContractClient(base, document)


class TestBatchWipe:
    async def test_ten_devices_wiped_with_one_form_and_the_wrong_one_named(self, stack: Any,
                                                                             api: ContractClient) -> None:
        journeys = Journeys(stack)
        ready = [await journeys.device_in("diagnosed", has_storage=True) for _ in range(10)]
        not_yet = await journeys.device_in("claimed", has_storage=True)  # not collected: may not be wiped
        t = await api_tokens(stack, "refurbisher")
        devices = [{"code": c, "input": media(f"BATCH-{i}")} for i, c in enumerate(ready)]
        devices.insert(4, {"code": not_yet, "input": media("BATCH-X")})
        r = await api.call("POST", "/api/actions", t["refurbisher"],
                           json={"action": "wipe", "input": SHARED, "devices": devices})
        assert r.status_code == 200, r.json()
        body = r.json()
        assert (body["done"], body["refused"]) == (10, 1)
        assert [o["code"] for o in body["results"]] == [d["code"] for d in devices]  # in the order given
        refused = body["results"][4]
        assert refused["code"] == not_yet and refused["status"] == "refused" and refused["device"] is None
        assert refused["error"]["message"]  # a sentence, not a bare code
        assert all(o["status"] == "done" and o["device"]["state"] == "wiped"
                   for i, o in enumerate(body["results"]) if i != 4)
        # Each device has its own event with its own certificate and its own media; the refused one none.
        certs = await wiped_certificates(stack, [*ready, not_yet])
        assert certs == {c.replace("-", ""): [f"BATCH-{i}"] for i, c in enumerate(ready)}
        after = await api.call("GET", f"/api/devices/{not_yet}", t["refurbisher"])
        assert after.json()["device"]["state"] == "claimed"

    async def test_a_device_without_its_own_media_is_refused_by_its_field(self, stack: Any,
                                                                         api: ContractClient) -> None:
        journeys = Journeys(stack)
        one, two = [await journeys.device_in("diagnosed", has_storage=True) for _ in range(2)]
        t = await api_tokens(stack, "refurbisher")
        r = await api.call("POST", "/api/actions", t["refurbisher"], json={
            "action": "wipe", "input": SHARED, "devices": [{"code": one, "input": media("OWN-1")}, {"code": two}]})
        results = r.json()["results"]
        assert [o["status"] for o in results] == ["done", "refused"]
        assert "media" in results[1]["error"]["message"]


class TestBatchRefusals:
    async def test_another_workshops_device_a_malformed_code_and_a_repeat_are_each_named(
            self, stack: Any, api: ContractClient) -> None:
        journeys = Journeys(stack)
        mine = await journeys.device_in("collected")
        t = await api_tokens(stack, "refurbisher", "maker")
        r = await api.call("POST", "/api/actions", t["maker"], json={  # the fab lab tries the association's device
            "action": "diagnose", "input": {"outcome": "parts_only", "findings": "écran cassé"},
            "devices": [{"code": mine}, {"code": "pas-un-code"}, {"code": mine.lower()}]})
        body = r.json()
        assert (body["done"], body["refused"]) == (0, 3)
        assert [o["code"] for o in body["results"]] == [mine, "pas-un-code", mine]
        assert "pas-un-code" in body["results"][1]["error"]["message"]
        assert mine in body["results"][2]["error"]["message"]  # named twice: handled once
        detail = await api.call("GET", f"/api/devices/{mine}", t["refurbisher"])
        assert detail.json()["device"]["state"] == "collected"  # the maker's try changed nothing

    async def test_handovers_are_not_batched_and_a_batch_has_a_size(self, stack: Any, api: ContractClient) -> None:
        t = await api_tokens(stack, "refurbisher")
        handover = await api.call("POST", "/api/actions", t["refurbisher"],
                                  json={"action": "collect", "input": {}, "devices": [{"code": "ABCD-EFGH-JKMN"}]})
        assert handover.status_code == 422
        too_many = await api.call("POST", "/api/actions", t["refurbisher"], json={
            "action": "claim", "devices": [{"code": f"ABCD-EFGH-{i:04d}"} for i in range(101)]})
        assert too_many.status_code == 422
        empty = await api.call("POST", "/api/actions", t["refurbisher"], json={"action": "claim", "devices": []})
        assert empty.status_code == 422
        anonymous = await api.call("POST", "/api/actions", None, json={"action": "claim", "devices": []})
        assert anonymous.status_code == 401

    async def test_the_service_refuses_an_action_that_is_not_batched(self, stack: Any) -> None:
        journeys = Journeys(stack)
        with pytest.raises(InvalidInput) as refused:
            await stack.marketplace.perform_batch(await journeys.token("refurbisher"), "deliver", {},
                                                  [BatchItem("ABCD-EFGH-JKMN", {})])
        assert refused.value.message_key == "batch.action_not_batched"
