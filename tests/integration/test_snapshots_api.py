"""Hardware snapshots through the real API server (issue 20): the custodian's token posts the real fixtures of
this machine's tools; the specs fill in, the trail holds the evidence's SHA-256, a serial or model that
differs from the donor's is warned about and kept, never written over. The attacks: another organisation's
token posts or reads, a signed-out reader and the open data look for the serials, bad bodies."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from marketplace.api.tokens import TokenServices
from marketplace.reports.opendata import write_opendata
from tests.integration.api_server import ContractClient, serve_api
from tests.integration.journeys import Journeys
from tests.unit.test_bench_parsers import fixture, fixture_json, laptop_lshw

READ_SERIAL = "5CG7331XYZ"  # laptop_lshw(): the real lshw fixture with a Latitude 5480's identity and disks


def laptop_snapshot() -> bytes:
    snapshot = fixture_json("workbench-snapshot.json")
    snapshot["data"]["lshw"] = laptop_lshw()
    return json.dumps(snapshot, indent=1).encode()


async def api_tokens(stack: Any, *roles: str) -> dict[str, str]:
    journeys = Journeys(stack)
    tokens = TokenServices(stack.marketplace)
    return {role: (await tokens.create(await journeys.token(role), f"banc {role}")).token for role in roles}


@pytest.fixture
async def api(stack: Any) -> Any:
    async with serve_api(stack.marketplace) as base, httpx.AsyncClient() as client:
        yield ContractClient(base, (await client.get(f"{base}/api/openapi.json")).json())


async def _counts(stack: Any, code: str) -> tuple[int, int, Any]:
    async with stack.pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT a.version, (SELECT count(*) FROM asset_snapshots s WHERE s.asset_id = a.id) AS n, a.specs "
            "FROM assets a WHERE a.code = $1", code.replace("-", ""))
    return row["version"], row["n"], row["specs"]


async def test_the_custodian_posts_a_snapshot_that_fills_the_specs_and_warns(stack: Any, api: ContractClient) -> None:
    code = await Journeys(stack).device_in("diagnosed")
    t = await api_tokens(stack, "refurbisher", "asset_manager", "auditor")
    body = laptop_snapshot()
    r = await api.call("POST", f"/api/devices/{code}/snapshots", t["refurbisher"], content=body)
    assert r.status_code == 200, r.json()
    got = r.json()
    assert got["sha256"] == hashlib.sha256(body).hexdigest() and got["byte_size"] == len(body)
    assert got["reading"]["serial"] == READ_SERIAL and got["specs"]["ram_gb"] > 0
    assert {(w["field"], w["declared"], w["read"]) for w in got["warnings"]} == {
        ("serial", "J00001", READ_SERIAL), ("model", "Latitude 5490", "Latitude 5480")}

    detail = (await api.call("GET", f"/api/devices/{code}", t["auditor"])).json()
    assert detail["device"]["state"] == "diagnosed" and detail["chain_ok"]
    assert detail["device"]["model"] == "Latitude 5490"  # the donor's declaration, not overwritten
    inspected = detail["events"][-1]
    assert inspected["type"] == "asset.inspected" and inspected["summary"]["sha256"] == got["sha256"]
    assert sorted(inspected["summary"]["mismatches"]) == ["model", "serial"]
    assert READ_SERIAL not in json.dumps(inspected)  # the trail holds the hash, the evidence holds the serials
    assert detail["device"]["ram_gb"] == got["specs"]["ram_gb"]
    _, _, specs = await _counts(stack, code)
    assert specs["storage_gb"] == got["specs"]["storage_gb"] and specs["cpu"] == got["specs"]["cpu"]
    async with stack.pool.acquire() as conn:
        serial = await conn.fetchval("SELECT serial FROM assets WHERE code = $1", code.replace("-", ""))
        raw = await conn.fetchval("SELECT raw FROM asset_snapshots")
    assert serial == "J00001" and bytes(raw) == body
    async with stack.pool.acquire() as conn:  # the report read models: the snapshot ends no stay
        stays = await conn.fetch("SELECT s.state, s.left_at FROM state_stays s JOIN assets a ON a.id = s.asset_id "
                                 "WHERE a.code = $1 ORDER BY s.sequence", code.replace("-", ""))
    assert [r["state"] for r in stays if r["left_at"] is None] == ["diagnosed"] and None not in [r["state"] for r in stays]

    for reader in ("asset_manager", "auditor", "refurbisher"):
        listed = await api.call("GET", f"/api/devices/{code}/snapshots", t[reader])
        assert listed.status_code == 200 and listed.json()["items"][0]["reading"]["serial"] == READ_SERIAL, reader


@pytest.mark.parametrize("intruder", ["maker", "third_place", "recycler"])
async def test_another_organisation_may_neither_post_nor_read(stack: Any, api: ContractClient, intruder: str) -> None:
    code = await Journeys(stack).device_in("diagnosed")
    t = await api_tokens(stack, "refurbisher", intruder)
    await api.call("POST", f"/api/devices/{code}/snapshots", t["refurbisher"], content=laptop_snapshot())
    before = await _counts(stack, code)
    r = await api.call("POST", f"/api/devices/{code}/snapshots", t[intruder], content=laptop_snapshot())
    assert r.status_code == 403 and r.json()["error"]["code"] == "custody.not_custodian"
    assert await _counts(stack, code) == before
    read = await api.call("GET", f"/api/devices/{code}/snapshots", t[intruder])
    assert read.status_code == 403 and READ_SERIAL not in read.text


async def test_the_public_passport_and_the_open_data_hold_no_serial(stack: Any, api: ContractClient,
                                                                     tmp_path: Path) -> None:
    code = await Journeys(stack).device_in("diagnosed")
    t = await api_tokens(stack, "refurbisher")
    assert (await api.call("POST", f"/api/devices/{code}/snapshots", t["refurbisher"],
                           content=laptop_snapshot())).status_code == 200
    passport = await stack.marketplace.device_page(code, None)
    text = passport.model_dump_json()
    assert "asset.inspected" in text and READ_SERIAL not in text and "S3TANX0K" not in text
    assert hashlib.sha256(laptop_snapshot()).hexdigest() not in text
    await write_opendata(stack.pool, tmp_path)
    exported = "".join(p.read_text(encoding="utf-8") for p in tmp_path.iterdir())
    assert "asset.inspected" in exported
    assert READ_SERIAL not in exported and "S3TANX0K" not in exported and "NS81N" not in exported


async def test_bad_bodies_are_refused_naming_what_is_wrong_and_change_nothing(stack: Any, api: ContractClient) -> None:
    journeys = Journeys(stack)
    code = await journeys.device_in("collected")
    t = await api_tokens(stack, "refurbisher", "asset_manager")
    before = await _counts(stack, code)
    cases = [(b"", "bench.empty"), (b"hello", "bench.unknown_format"), (b"{oops", "bench.bad_json"),
             (fixture("smartctl-loop.json"), "bench.nothing_read"),
             (b'{"blockdevices": [{"name": "sda", "type": "disk", "size": "256G"}]}', "bench.bad_value")]
    for body, key in cases:
        r = await api.call("POST", f"/api/devices/{code}/snapshots", t["refurbisher"], content=body)
        assert (r.status_code, r.json()["error"]["code"]) == (422, key), body
    big = await api.call("POST", f"/api/devices/{code}/snapshots", t["refurbisher"], content=b" " * (5 * 2**20 + 1))
    assert big.status_code == 413
    assert await _counts(stack, code) == before
    # The donor holds a retired device: not on a bench yet.
    retired = await journeys.device_in("retired")
    wrong = await api.call("POST", f"/api/devices/{retired}/snapshots", t["asset_manager"], content=laptop_snapshot())
    assert wrong.status_code == 409 and wrong.json()["error"]["code"] == "inspection.wrong_state"
    missing = await api.call("POST", "/api/devices/ZZZZ-ZZZZ-ZZZZ/snapshots", t["refurbisher"], content=b"{}")
    assert missing.status_code == 404


async def test_the_device_page_panel_shows_specs_to_all_and_the_snapshot_to_its_readers(stack: Any) -> None:
    journeys = Journeys(stack)
    code = await journeys.device_in("diagnosed")
    market = stack.marketplace
    await market.post_snapshot(await journeys.token("refurbisher"), code, laptop_snapshot())
    public = await market.snapshot_panel(None, code)
    assert public.specs["ram_gb"] > 0 and public.latest is None and not public.may_post
    custodian = await market.snapshot_panel(await journeys.token("refurbisher"), code)
    assert custodian.may_post and custodian.latest is not None
    assert {w.field for w in custodian.latest.warnings} == {"serial", "model"}
    for reader in ("asset_manager", "auditor"):
        panel = await market.snapshot_panel(await journeys.token(reader), code)
        assert panel.latest is not None and not panel.may_post, reader
    for outsider in ("third_place", "maker"):
        panel = await market.snapshot_panel(await journeys.token(outsider), code)
        assert panel.latest is None and not panel.may_post and READ_SERIAL not in panel.model_dump_json(), outsider
