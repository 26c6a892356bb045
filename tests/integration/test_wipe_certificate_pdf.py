"""Issue 19: a device's wipe certificate as a PDF made from its trail, whose SHA-256 the wipe event records.

Through the real services and API on the real database: the donor, the workshop that wiped it and auditors
download it, and its hash is the one in the trail; regenerated, it is the same bytes; other organisations,
third places and strangers get nothing; a trail whose certificate was altered gives no document; the UI's
one-time ticket works once."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from typing import Any

import httpx
import pytest

from marketplace.domain.errors import Forbidden, NotFound
from tests.integration.api_server import ContractClient, serve_api
from tests.integration.journeys import Journeys
from tests.integration.test_api import api_tokens


@pytest.fixture
async def api(stack: Any) -> Any:
    async with serve_api(stack.marketplace) as base, httpx.AsyncClient() as client:
        document = (await client.get(f"{base}/api/openapi.json")).json()
        yield ContractClient(base, document)


async def recorded_hash(stack: Any, code: str) -> str:
    async with stack.pool.acquire() as conn:
        payload = await conn.fetchval(
            "SELECT e.payload FROM asset_events e JOIN assets a ON a.id = e.asset_id "
            "WHERE a.code = $1 AND e.type = 'asset.wiped'", code.replace("-", ""))
    payload = json.loads(payload) if isinstance(payload, str) else payload
    return str(payload["certificate_pdf_sha256"])


def pdf_text(pdf: bytes, tmp_path: Any) -> str:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    assert shutil.which("pdftotext"), "poppler-utils (scripts/install-system-deps.sh) gives pdftotext"
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


class TestWipeCertificatePdf:
    async def test_the_parties_download_the_pdf_whose_hash_is_in_the_trail(self, stack: Any, api: ContractClient,
                                                                          tmp_path: Any) -> None:
        code = await Journeys(stack).device_in("wiped", has_storage=True)
        t = await api_tokens(stack, "refurbisher", "asset_manager", "auditor", "maker", "third_place")
        recorded = await recorded_hash(stack, code)
        bodies = []
        for role in ("refurbisher", "asset_manager", "auditor"):
            r = await api.call("GET", f"/api/devices/{code}/wipe-certificate", t[role])
            assert r.status_code == 200 and r.headers["content-type"] == "application/pdf", (role, r.text[:200])
            assert hashlib.sha256(r.content).hexdigest() == recorded
            bodies.append(r.content)
        assert bodies[0] == bodies[1] == bodies[2]  # made again each time, the same bytes
        text = pdf_text(bodies[0], tmp_path)
        for expected in (code, "NIST SP 800-88", "Samsung PM871", "S1", "Yann Kerjean", "Purge", "nwipe 0.36"):
            assert expected in text, expected

    async def test_others_get_nothing(self, stack: Any, api: ContractClient) -> None:
        journeys = Journeys(stack)
        code = await journeys.device_in("wiped", has_storage=True)
        t = await api_tokens(stack, "maker", "third_place")
        for role in ("maker", "third_place"):  # the fab lab was never its custodian; the tiers-lieu neither yet
            r = await api.call("GET", f"/api/devices/{code}/wipe-certificate", t[role])
            assert r.status_code == 403, (role, r.status_code)
        assert (await api.call("GET", f"/api/devices/{code}/wipe-certificate", None)).status_code == 401
        never_wiped = await journeys.device_in("collected")
        t2 = await api_tokens(stack, "refurbisher")
        r = await api.call("GET", f"/api/devices/{never_wiped}/wipe-certificate", t2["refurbisher"])
        assert r.status_code == 404 and never_wiped in r.json()["error"]["message"]

    async def test_an_altered_certificate_in_the_trail_gives_no_document(self, stack: Any, api: ContractClient) -> None:
        code = await Journeys(stack).device_in("wiped", has_storage=True)
        async with stack.pool.acquire() as conn:
            await conn.execute(
                "UPDATE asset_events SET payload = jsonb_set(payload, '{certificate,operator}', '\"quelqu''un d''autre\"')"
                " WHERE type = 'asset.wiped' AND asset_id = (SELECT id FROM assets WHERE code = $1)",
                code.replace("-", ""))
        t = await api_tokens(stack, "auditor")
        r = await api.call("GET", f"/api/devices/{code}/wipe-certificate", t["auditor"])
        assert r.status_code == 409 and r.json()["error"]["code"] == "document.differs_from_trail"

    async def test_the_ui_ticket_works_once_and_only_for_a_party(self, stack: Any) -> None:
        journeys = Journeys(stack)
        code = await journeys.device_in("wiped", has_storage=True)
        ticket = await stack.marketplace.wipe_certificate_ticket(await journeys.token("asset_manager"), code)
        pdf, filename = await stack.marketplace.redeem_document(ticket)
        assert hashlib.sha256(pdf).hexdigest() == await recorded_hash(stack, code)
        assert filename == f"certificat-effacement-{code}.pdf"
        with pytest.raises(NotFound):
            await stack.marketplace.redeem_document(ticket)  # used
        with pytest.raises(Forbidden):
            await stack.marketplace.wipe_certificate_ticket(await journeys.token("maker"), code)
        assert await stack.marketplace.has_wipe_certificate(await journeys.token("refurbisher"), code)
        assert not await stack.marketplace.has_wipe_certificate(await journeys.token("maker"), code)
