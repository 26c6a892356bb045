"""Erasure reports through the real API server (issue 20): the custodian's token sends nwipe's real log
(tests/fixtures/nwipe), the certificate is filled from it and the step recorded, the report kept as evidence
with its SHA-256 in the `asset.wiped` certificate. Refused with the reason: a disk that is not one of the
device's known media, a failed or interrupted wipe, an unverified one, a report older than the collection.
The attacks: another organisation's token sends or reads, a signed-out reader and the open data look for the
serials, a forged SHA-256 in a certificate typed by hand."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from pypdf import PdfWriter

from marketplace.api.tokens import TokenServices
from marketplace.reports.opendata import write_opendata
from tests.integration.api_server import ContractClient, serve_api
from tests.integration.journeys import Journeys, certificate

FIXTURES = Path(__file__).parent.parent / "fixtures" / "nwipe"
STAMP = re.compile(r"\[(\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2})\]")
PERSON = {"operator": "Yann Kerjean, bénévole", "signature": "Yann Kerjean"}


def real_log(name: str, ending: datetime | None = None) -> str:
    """A fixture as nwipe wrote it; with `ending`, every line moved by the same offset so the run ends then
    (the fixtures were written before the test's device was collected)."""
    text = (FIXTURES / f"{name}.log").read_text()
    if ending is None:
        return text
    stamps = [datetime.strptime(s, "%Y/%m/%d %H:%M:%S") for s in STAMP.findall(text)]
    offset = ending.replace(tzinfo=None) - max(stamps)
    return STAMP.sub(lambda m: (datetime.strptime(m.group(1), "%Y/%m/%d %H:%M:%S") + offset)
                     .strftime("[%Y/%m/%d %H:%M:%S]"), text)


PDF_STAMP = re.compile(rb"\((\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2})\)")


def real_pdf(name: str, ending: datetime) -> bytes:
    """A PDF certificate as nwipe 0.38 wrote it, its page's times moved by one offset so the run ends at
    `ending` (as `real_log` does; the PDF's text is drawn by its page's content stream)."""
    writer = PdfWriter(clone_from=io.BytesIO((FIXTURES / f"{name}-0.38.pdf").read_bytes()))
    page = writer.pages[0]
    contents = page.get_contents()
    assert contents is not None
    data = contents.get_data()
    stamps = [datetime.strptime(s.decode(), "%Y/%m/%d %H:%M:%S") for s in PDF_STAMP.findall(data)]
    offset = ending.replace(tzinfo=None) - max(stamps)
    contents.set_data(PDF_STAMP.sub(lambda m: (datetime.strptime(m.group(1).decode(), "%Y/%m/%d %H:%M:%S") + offset)
                                    .strftime("(%Y/%m/%d %H:%M:%S)").encode(), data))
    page.replace_contents(contents)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def soon() -> datetime:
    return datetime.now(UTC) + timedelta(minutes=2)


async def api_tokens(stack: Any, *roles: str) -> dict[str, str]:
    journeys = Journeys(stack)
    tokens = TokenServices(stack.marketplace)
    return {role: (await tokens.create(await journeys.token(role), f"banc {role}")).token for role in roles}


class Api:
    """Every response checked against the OpenAPI document the server publishes."""

    def __init__(self, base: str, document: dict[str, Any]) -> None:
        self.base = base
        self.contract = ContractClient(base, document)

    async def send(self, code: str, token: str | None, log: str, **extra: Any) -> httpx.Response:
        body = {"log": log, "station_timezone": "UTC", "certificate": PERSON} | extra
        return await self.call("POST", f"/api/devices/{code}/erasure-reports", token, json=body)

    async def call(self, method: str, path: str, token: str | None = None, **kwargs: Any) -> httpx.Response:
        headers = ({"Authorization": f"Bearer {token}"} if token else {}) | kwargs.pop("headers", {})
        async with httpx.AsyncClient(base_url=self.base) as client:
            response = await client.request(method, path, headers=headers, **kwargs)
        self.contract._check(method, path, response)
        return response


@pytest.fixture
async def api(stack: Any) -> Any:
    async with serve_api(stack.marketplace) as base, httpx.AsyncClient() as client:
        yield Api(base, (await client.get(f"{base}/api/openapi.json")).json())


async def _state(stack: Any, code: str) -> tuple[str, int, int]:
    async with stack.pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT a.state, a.version, (SELECT count(*) FROM erasure_reports r WHERE r.asset_id = a.id) AS n "
            "FROM assets a WHERE a.code = $1", code.replace("-", ""))
    return row["state"], row["version"], row["n"]


async def test_a_real_report_fills_and_certifies_the_wipe_and_is_kept(stack: Any, api: Api, tmp_path: Path) -> None:
    code = await Journeys(stack).device_in("diagnosed", has_storage=True)
    t = await api_tokens(stack, "refurbisher", "asset_manager", "auditor", "third_place")
    log = real_log("dod-verify-all", soon())

    preview = await api.send(code, t["refurbisher"], log, dry_run=True)
    assert preview.status_code == 200, preview.json()
    filled = preview.json()["certificate"]
    assert (filled["tool"], filled["tool_version"], filled["method"], filled["verification"], filled["passes"]) == (
        "nwipe", "0.33", "Clear", "full", 7)
    assert "DoD 5220.22-M" in filled["technique"] and "7 passe(s)" in filled["technique"]
    assert filled["media"] == [{"make": "Loopback", "model": "Loopback device", "serial": "SV-LOOP-DOD-DISK",
                                "result": "erased"}]
    assert preview.json()["recorded"] is None and (await _state(stack, code))[0] == "diagnosed"

    edited = PERSON | {"technique": "écrasement DoD, 7 passes, vérifié", "destination": "reuse",
                       "media": [{"make": "Linux", "model": "loop", "serial": "SV-LOOP-DOD-DISK"}]}
    done = await api.send(code, t["refurbisher"], log, certificate=edited)
    assert done.status_code == 200, done.json()
    sha = hashlib.sha256(log.encode()).hexdigest()
    cert = done.json()["certified"]
    assert cert["report_sha256"] == sha and cert["technique"] == "écrasement DoD, 7 passes, vérifié"
    assert cert["media"] == [{"make": "Linux", "model": "loop", "serial": "SV-LOOP-DOD-DISK", "result": "erased"}]
    assert cert["started_at"] < cert["ended_at"] and cert["operator"] == PERSON["operator"]
    recorded = done.json()["recorded"]
    assert (recorded["sha256"], recorded["method"], recorded["passes"], recorded["verification"]) == (
        sha, "DoD 5220.22-M", 7, "all")
    assert recorded["media_checked"] is False  # the device record knew no media yet
    assert (await _state(stack, code))[0] == "wiped"

    # The trail's certificate holds the evidence's SHA-256; the evidence is the bytes sent.
    trail = (await api.call("GET", f"/api/devices/{code}", t["auditor"])).json()
    wiped = next(e for e in trail["events"] if e["type"] == "asset.wiped")
    assert sha in str(wiped) and trail["chain_ok"]
    async with stack.pool.acquire() as conn:
        raw = await conn.fetchval("SELECT raw FROM erasure_reports WHERE sha256 = $1", sha)
    assert hashlib.sha256(bytes(raw)).hexdigest() == sha

    for reader in ("refurbisher", "asset_manager", "auditor"):
        listed = await api.call("GET", f"/api/devices/{code}/erasure-reports", t[reader])
        assert listed.status_code == 200 and listed.json()["items"][0]["disks"][0]["serial"] == "SV-LOOP-DOD-DISK"
    # Not the others, and never signed out, in the passport or in the open data.
    other = await api.call("GET", f"/api/devices/{code}/erasure-reports", t["third_place"])
    assert other.status_code == 403 and "SV-LOOP" not in other.text
    assert (await api.call("GET", f"/api/devices/{code}/erasure-reports")).status_code == 401
    passport = await stack.marketplace.device_page_for(code, None)
    assert "SV-LOOP-DOD-DISK" not in passport.model_dump_json() and sha not in passport.model_dump_json()
    await write_opendata(stack.pool, tmp_path)
    exported = "".join(p.read_text(encoding="utf-8") for p in tmp_path.iterdir())
    assert "asset.wiped" in exported and "SV-LOOP" not in exported and sha not in exported


@pytest.mark.parametrize(("name", "key"), [
    ("interrupted", "erasure.interrupted"), ("failed-verification", "erasure.failed"),
    ("zero-verify-off", "erasure.not_verified"), ("zero-no-serial", "erasure.disk_without_serial"),
])
async def test_unfinished_failed_unverified_or_unnamed_wipes_are_refused(stack: Any, api: Api, name: str,
                                                                          key: str) -> None:
    code = await Journeys(stack).device_in("diagnosed", has_storage=True)
    t = await api_tokens(stack, "refurbisher")
    before = await _state(stack, code)
    r = await api.send(code, t["refurbisher"], real_log(name, soon()))
    assert r.status_code in (409, 422), r.json()
    assert r.json()["error"]["code"] == key
    assert await _state(stack, code) == before  # nothing written


async def test_a_report_older_than_the_collection_is_refused_with_both_dates(stack: Any, api: Api) -> None:
    code = await Journeys(stack).device_in("diagnosed", has_storage=True)
    t = await api_tokens(stack, "refurbisher")
    r = await api.send(code, t["refurbisher"], real_log("zero-verify-last", datetime.now(UTC) - timedelta(hours=3)))
    assert r.json()["error"]["code"] == "erasure.before_collection"
    assert "collecte" in r.json()["error"]["message"] and (await _state(stack, code))[2] == 0


async def test_a_disk_that_is_not_one_of_the_devices_known_media_is_refused(stack: Any, api: Api) -> None:
    """The device was wiped once (a certificate naming its two disks), lent, returned: its media are known."""
    journeys = Journeys(stack)
    code = await journeys.device_in("diagnosed", has_storage=True)
    first = certificate("SV-LOOP-PRNG-A") | {"media": [
        {"make": "Loopback", "model": "Loopback device", "serial": "SV-LOOP-PRNG-A"},
        {"make": "Loopback", "model": "Loopback device", "serial": "sv-loop-prng-b"}]}
    await journeys.act("refurbisher", code, "wipe", first)
    for role, action, data in [("refurbisher", "refurbish", {"grade": "B", "os_installed": "Linux Mint 22"}),
                               ("third_place", "reserve", {}),
                               ("refurbisher", "deliver", {"confirm_code": code, "beneficiary_category": "students"}),
                               ("third_place", "return", {"reason": "fin du prêt"}),
                               ("refurbisher", "diagnose", {"outcome": "refurbishable", "findings": "RAS"})]:
        await journeys.act(role, code, action, data)
    t = await api_tokens(stack, "refurbisher")
    stranger = await api.send(code, t["refurbisher"], real_log("zero-verify-last", soon()))
    assert stranger.json()["error"]["code"] == "erasure.unknown_disk"
    assert "SV-LOOP-ZERO-DISK" in stranger.json()["error"]["message"]
    known = await api.send(code, t["refurbisher"], real_log("prng-two-disks", soon()))
    assert known.status_code == 200, known.json()
    assert known.json()["media_checked"] is True and known.json()["recorded"]["media_checked"] is True


async def test_another_organisation_cannot_send_a_report_and_nothing_is_read(stack: Any, api: Api) -> None:
    code = await Journeys(stack).device_in("diagnosed", has_storage=True)
    t = await api_tokens(stack, "asset_manager", "third_place", "auditor")
    before = await _state(stack, code)
    for role in ("asset_manager", "third_place", "auditor"):
        r = await api.send(code, t[role], real_log("zero-verify-last", soon()))
        assert r.status_code == 403, (role, r.json())
    assert (await api.send(code, None, real_log("zero-verify-last", soon()))).status_code == 401
    assert await _state(stack, code) == before


async def test_bad_uploads_are_refused_naming_what_is_wrong(stack: Any, api: Api) -> None:
    code = await Journeys(stack).device_in("diagnosed", has_storage=True)
    t = await api_tokens(stack, "refurbisher")
    before = await _state(stack, code)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"log": "id;brand\n1;Dell\n"}, "erasure.not_nwipe"),
        ({"log": real_log("zero-verify-last", soon()), "station_timezone": "Mars/Olympus"}, "erasure.bad_timezone"),
        ({"log": real_log("zero-verify-last", soon()), "certificate": PERSON | {"tool_version": "0.36"}},
         "erasure.fact_mismatch"),
        ({"log": real_log("zero-verify-last", soon()),
          "certificate": PERSON | {"media": [{"make": "X", "model": "Y", "serial": "OTHER"}]}}, "erasure.media_mismatch"),
        ({"log": real_log("zero-verify-last", soon()), "certificate": {"operator": "Yann"}}, "input.invalid"),
        ({"log": "[2026/02/31 10:00:00]  notice: nwipe"}, "erasure.bad_date"),
        ({"log": "\ud800 not a log"}, "input.invalid"),
        ({"log": "\x89PNG\r\n\x1a\n\x00\x00"}, "erasure.not_text"),
        ({"log": real_log("zero-verify-last", soon()), "extra": 1}, "input.invalid"),
    ]
    for extra, key in cases:
        body = json.dumps({"station_timezone": "UTC", "certificate": PERSON} | extra)  # \ud800 escaped
        r = await api.call("POST", f"/api/devices/{code}/erasure-reports", t["refurbisher"], content=body,
                           headers={"Content-Type": "application/json"})
        assert r.json()["error"]["code"] == key, (extra.keys(), r.json())
        assert r.status_code < 500
    assert await _state(stack, code) == before


async def test_a_sha256_typed_into_a_plain_certificate_is_refused(stack: Any, api: Api) -> None:
    """Only an uploaded report puts a SHA-256 in a certificate: a hand-typed one would point at no evidence."""
    code = await Journeys(stack).device_in("diagnosed", has_storage=True)
    t = await api_tokens(stack, "refurbisher")
    forged = certificate("S1") | {"report_sha256": "0" * 64}
    r = await api.call("POST", f"/api/devices/{code}/actions", t["refurbisher"],
                       json={"action": "wipe", "input": forged})
    assert r.status_code == 409 and r.json()["error"]["code"] == "erasure.sha_without_report"
    assert (await _state(stack, code))[0] == "diagnosed"


async def test_the_disks_a_hardware_snapshot_read_are_the_devices_known_media(stack: Any, api: Api) -> None:
    """Once a snapshot (lshw, smartctl... of this machine's real tools) has read the device's disks, a report
    of any other disk is refused, naming the known ones."""
    from tests.integration.test_snapshots_api import laptop_snapshot

    code = await Journeys(stack).device_in("diagnosed", has_storage=True)
    t = await api_tokens(stack, "refurbisher")
    posted = await api.call("POST", f"/api/devices/{code}/snapshots", t["refurbisher"], content=laptop_snapshot())
    assert posted.status_code == 200, posted.json()
    read = [m["serial"] for m in posted.json()["reading"]["media"] if m.get("serial")]
    assert read  # the fixture's disks have serials
    r = await api.send(code, t["refurbisher"], real_log("zero-verify-last", soon()))
    assert r.json()["error"]["code"] == "erasure.unknown_disk"
    assert all(serial in r.json()["error"]["message"] for serial in read)
    assert (await _state(stack, code))[2] == 0


async def test_the_evidence_is_downloaded_byte_for_byte_by_its_readers_only(stack: Any, api: Api) -> None:
    code = await Journeys(stack).device_in("diagnosed", has_storage=True)
    t = await api_tokens(stack, "refurbisher", "asset_manager", "third_place")
    log = real_log("zero-verify-last", soon()).replace("\n", "\r\n")  # as a Windows editor would have kept it
    done = await api.send(code, t["refurbisher"], log)
    assert done.status_code == 200, done.json()
    report_id, sha = done.json()["recorded"]["id"], done.json()["recorded"]["sha256"]
    path = f"/api/devices/{code}/erasure-reports/{report_id}/log"
    for reader in ("refurbisher", "asset_manager"):
        got = await api.call("GET", path, t[reader])
        assert got.status_code == 200 and hashlib.sha256(got.content).hexdigest() == sha == done.json()[
            "certified"]["report_sha256"]
        assert got.content == log.encode()
    assert (await api.call("GET", path, t["third_place"])).status_code == 403
    assert (await api.call("GET", path)).status_code == 401
    assert (await api.call("GET", f"/api/devices/{code}/erasure-reports/not-a-uuid/log", t["refurbisher"])
            ).status_code == 404


async def test_nwipes_pdf_certificate_fills_and_certifies_the_wipe_and_is_kept(stack: Any, api: Api) -> None:
    """The PDF nwipe 0.38 wrote, sent in base64: the same facts as its log fill the certificate; its bytes are
    the evidence (SHA-256 in the certificate), downloaded byte for byte as a PDF by the device's readers only."""
    code = await Journeys(stack).device_in("diagnosed", has_storage=True)
    t = await api_tokens(stack, "refurbisher", "asset_manager", "third_place")
    raw = real_pdf("zero-verify-last", soon())
    body = {"report_base64": base64.b64encode(raw).decode(), "station_timezone": "UTC", "certificate": PERSON}
    path = f"/api/devices/{code}/erasure-reports"
    preview = await api.call("POST", path, t["refurbisher"], json=body | {"dry_run": True})
    assert preview.status_code == 200, preview.json()
    filled = preview.json()["certificate"]
    assert (filled["tool"], filled["tool_version"], filled["method"], filled["passes"]) == ("nwipe", "0.38", "Clear", 1)
    assert filled["media"][0]["serial"] == "SV-LOOP-ZERO-DISK" and (await _state(stack, code))[2] == 0

    other = await api.call("POST", path, t["third_place"], json=body)
    assert other.status_code == 403 and (await _state(stack, code))[0] == "diagnosed"

    done = await api.call("POST", path, t["refurbisher"], json=body)
    assert done.status_code == 200, done.json()
    sha = hashlib.sha256(raw).hexdigest()
    assert done.json()["certified"]["report_sha256"] == sha == done.json()["recorded"]["sha256"]
    assert done.json()["recorded"]["method"] == "Fill With Zeros" and (await _state(stack, code))[0] == "wiped"
    download = f"{path}/{done.json()['recorded']['id']}/log"
    for reader in ("refurbisher", "asset_manager"):
        got = await api.call("GET", download, t[reader])
        assert got.status_code == 200 and got.content == raw
        assert got.headers["content-type"] == "application/pdf"
    assert (await api.call("GET", download, t["third_place"])).status_code == 403
    assert (await api.call("GET", download)).status_code == 401


@pytest.mark.parametrize(("name", "key"), [("failed-verification", "erasure.failed"),
                                           ("interrupted", "erasure.interrupted")])
async def test_a_failed_or_interrupted_wipes_pdf_is_refused(stack: Any, api: Api, name: str, key: str) -> None:
    code = await Journeys(stack).device_in("diagnosed", has_storage=True)
    t = await api_tokens(stack, "refurbisher")
    before = await _state(stack, code)
    body = {"report_base64": base64.b64encode(real_pdf(name, soon())).decode(), "station_timezone": "UTC",
            "certificate": PERSON}
    r = await api.call("POST", f"/api/devices/{code}/erasure-reports", t["refurbisher"], json=body)
    assert r.status_code in (409, 422) and r.json()["error"]["code"] == key, r.json()
    assert await _state(stack, code) == before


async def test_bad_pdf_uploads_are_refused_naming_what_is_wrong(stack: Any, api: Api) -> None:
    code = await Journeys(stack).device_in("diagnosed", has_storage=True)
    t = await api_tokens(stack, "refurbisher")
    before = await _state(stack, code)
    good = base64.b64encode(real_pdf("zero-verify-last", soon())).decode()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"report_base64": base64.b64encode(b"%PDF-1.4\n\x00 broken").decode()}, "erasure.pdf_damaged"),
        ({"report_base64": "not base64 !"}, "input.invalid"),
        ({"report_base64": good, "log": "x"}, "input.invalid"),
        ({}, "input.invalid"),
    ]
    for extra, key in cases:
        body = {"station_timezone": "UTC", "certificate": PERSON} | extra
        r = await api.call("POST", f"/api/devices/{code}/erasure-reports", t["refurbisher"], json=body)
        assert r.json()["error"]["code"] == key, (extra.keys(), r.json())
        assert r.status_code < 500
    assert await _state(stack, code) == before
