"""Issue 21 through the REST API: a need posted, devices proposed, one accepted and one declined, a loan lent
and returned, with every response checked against the OpenAPI document; and the attacks refused."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.integration.api_server import ContractClient, serve_api
from tests.integration.journeys import Journeys
from tests.integration.needs_support import feed_matcher, laptop_need, refurbished
from tests.integration.test_api import api_tokens


@pytest.fixture
async def api(stack: Any) -> Any:
    import httpx

    async with serve_api(stack.marketplace) as base, httpx.AsyncClient() as client:
        document = (await client.get(f"{base}/api/openapi.json")).json()
        yield ContractClient(base, document)


class TestNeedsByApi:
    async def test_a_need_met_by_api_then_a_loan(self, stack: Any, api: ContractClient) -> None:
        t = await api_tokens(stack, "third_place", "refurbisher", "asset_manager")
        r = await api.call("POST", "/api/needs", t["third_place"], json=laptop_need())
        assert r.status_code == 200 and r.json()["status"] == "open"
        need_id = r.json()["id"]
        j = Journeys(stack)
        a, b = await refurbished(j), await refurbished(j)
        await feed_matcher(stack, a, b)  # the matcher worker's job
        proposals = (await api.call("GET", "/api/proposals?status=open", t["third_place"])).json()["items"]
        assert {p["device_code"] for p in proposals} == {a, b}
        by_code = {p["device_code"]: p["id"] for p in proposals}
        assert (await api.call("POST", f"/api/proposals/{by_code[b]}/accept", t["refurbisher"],
                               json={})).status_code == 403  # not the refurbisher's need
        r = await api.call("POST", f"/api/proposals/{by_code[a]}/accept", t["third_place"], json={})
        assert r.status_code == 200 and r.json()["device_code"] == a
        r = await api.call("POST", f"/api/proposals/{by_code[b]}/decline", t["third_place"], json={"reason": "non"})
        assert r.status_code == 200 and r.json()["proposed_again"] is False
        assert (await api.call("POST", f"/api/proposals/{by_code[b]}/decline", t["third_place"],
                               json={})).status_code == 409
        r = await api.call("POST", f"/api/needs/{need_id}/pause", t["third_place"])
        assert r.status_code == 200 and r.json()["status"] == "paused"
        r = await api.call("PUT", f"/api/needs/{need_id}", t["third_place"], json=laptop_need(quantity=2))
        assert r.status_code == 200 and r.json()["quantity"] == 2
        listed = (await api.call("GET", "/api/needs", t["refurbisher"])).json()["items"]
        assert listed == []  # Brest's workshop does not read a Guingamp need

        await j.act("refurbisher", a, "deliver", {"confirm_code": a, "beneficiary_category": "job_seekers"})
        due = (date.today() + timedelta(30)).isoformat()
        r = await api.call("POST", f"/api/devices/{a}/loans", t["third_place"],
                           json={"beneficiary_category": "job_seekers", "due_on": due})
        assert r.status_code == 200 and r.json()["loan_id"]
        loans = (await api.call("GET", "/api/loans", t["third_place"])).json()["items"]
        assert [(x["device_code"], x["overdue"]) for x in loans] == [(a, False)]
        r = await api.call("POST", f"/api/devices/{a}/loans/return", t["third_place"], json={"condition": "broken"})
        assert r.status_code == 200 and r.json()["state"] == "returned"

    async def test_refusals_are_statuses_with_a_reason(self, stack: Any, api: ContractClient) -> None:
        t = await api_tokens(stack, "third_place", "asset_manager")
        assert (await api.call("POST", "/api/needs", t["asset_manager"], json=laptop_need())).status_code == 403
        r = await api.call("POST", "/api/needs", t["third_place"], json=laptop_need(quantity=0))
        assert r.status_code == 422 and "quantity" in r.json()["error"]["message"]
        assert (await api.call("POST", "/api/needs/not-an-id/pause", t["third_place"])).status_code == 404
        assert (await api.call("POST", "/api/proposals/x/accept", t["third_place"], json={})).status_code == 404
        assert (await api.call("GET", "/api/needs?status=bogus", t["third_place"])).status_code == 422
        assert (await api.call("GET", "/api/loans?overdue=maybe", t["third_place"])).status_code == 422
        assert (await api.call("GET", "/api/needs")).status_code == 401
        assert await stack.pool.fetchval("SELECT count(*) FROM needs") == 0
