"""`seconde-vie bench-agent` run for real on this machine (its real lshw, smartctl, dmidecode, lsblk, upower)
against the real API server: the snapshot is recorded and fills the device's specs; the code can be typed
or scanned (the label's URL); with the network down it is kept in the spool and `--send-pending` sends it
later; a refused snapshot is set aside with its reason, never retried."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from marketplace.api.tokens import TokenServices
from marketplace.runtime.embedded import free_port
from tests.integration.api_server import serve_api
from tests.integration.journeys import Journeys

pytestmark = pytest.mark.skipif(os.geteuid() != 0 or shutil.which("lshw") is None,
                                reason="the bench agent runs as root with the bench tools")


async def agent(*args: str, token: str, stdin: bytes = b"", lang: str = "en_GB.UTF-8") -> tuple[int, str]:
    env = {**os.environ, "SECONDE_VIE_API_TOKEN": token, "LC_ALL": lang}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "marketplace.cli.main", "bench-agent", *args, env=env, stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await asyncio.wait_for(proc.communicate(stdin), timeout=300)
    return proc.returncode or 0, out.decode()


async def workshop_token(stack: Any, journeys: Journeys, role: str = "refurbisher") -> str:
    return (await TokenServices(stack.marketplace).create(await journeys.token(role), "banc 1")).token


async def specs_and_snapshots(stack: Any, code: str) -> tuple[Any, int]:
    async with stack.pool.acquire() as conn:
        row = await conn.fetchrow("SELECT a.specs, (SELECT count(*) FROM asset_snapshots s WHERE s.asset_id = a.id) n "
                                  "FROM assets a WHERE a.code = $1", code.replace("-", ""))
    return row["specs"], row["n"]


async def test_the_agent_reads_this_machine_and_records_it(stack: Any, tmp_path: Path) -> None:
    journeys = Journeys(stack)
    code = await journeys.device_in("collected")
    token = await workshop_token(stack, journeys)
    async with serve_api(stack.marketplace) as base:
        status, out = await agent("--code", code, "--url", base, "--spool", str(tmp_path), token=token,
                                  lang="fr_FR.UTF-8")
    assert status == 0, out
    specs, snapshots = await specs_and_snapshots(stack, code)
    assert snapshots == 1 and specs["ram_gb"] > 0 and specs["cpu"]
    assert f"Relevé enregistré pour {code}" in out and f"Processeur : {specs['cpu']}" in out
    assert list(tmp_path.glob("*.json")) == []  # sent: nothing waits


async def test_the_code_is_asked_for_and_a_scanned_label_url_works(stack: Any, tmp_path: Path) -> None:
    journeys = Journeys(stack)
    code = await journeys.device_in("diagnosed")
    token = await workshop_token(stack, journeys)
    async with serve_api(stack.marketplace) as base:
        status, out = await agent("--url", base, "--spool", str(tmp_path), token=token,
                                  stdin=f"pas un code\nhttps://seconde-vie.example/d/{code.replace('-', '')}\n".encode())
    assert status == 0, out
    assert "Device code" in out and "“pas un code” is not a device code" in out
    assert (await specs_and_snapshots(stack, code))[1] == 1


async def test_offline_it_keeps_the_snapshot_and_sends_it_later(stack: Any, tmp_path: Path) -> None:
    journeys = Journeys(stack)
    code = await journeys.device_in("collected")
    token = await workshop_token(stack, journeys)
    down = f"http://127.0.0.1:{free_port()}"  # nothing listens there: the network is down
    status, out = await agent("--code", code, "--url", down, "--spool", str(tmp_path), token=token)
    assert status == 0 and "send it later with --send-pending" in out, out
    kept = list(tmp_path.glob("*.json"))
    assert len(kept) == 1 and b'"lshw"' in kept[0].read_bytes()
    assert (await specs_and_snapshots(stack, code))[1] == 0

    status, out = await agent("--send-pending", "--url", down, "--spool", str(tmp_path), token=token)
    assert status == 1 and len(list(tmp_path.glob("*.json"))) == 1, out  # still down: still kept
    async with serve_api(stack.marketplace) as base:
        status, out = await agent("--send-pending", "--url", base, "--spool", str(tmp_path), token=token)
    assert status == 0 and "Snapshots waiting: 1" in out and f"Snapshot recorded for {code}" in out, out
    assert list(tmp_path.glob("*.json")) == []
    specs, snapshots = await specs_and_snapshots(stack, code)
    assert snapshots == 1 and specs["ram_gb"] > 0


async def test_a_snapshot_another_organisation_sends_is_refused_and_set_aside(stack: Any, tmp_path: Path) -> None:
    journeys = Journeys(stack)
    code = await journeys.device_in("collected")
    maker = await workshop_token(stack, journeys, "maker")
    async with serve_api(stack.marketplace) as base:
        status, out = await agent("--code", code, "--url", base, "--spool", str(tmp_path), token=maker)
    assert status == 1 and f"Snapshot refused for {code}" in out, out
    assert list(tmp_path.glob("*.json")) == []
    reason = next((tmp_path / "refused").glob("*.reason")).read_text()
    assert reason.startswith("403 custody.not_custodian")
    assert (await specs_and_snapshots(stack, code))[1] == 0


async def test_without_a_token_it_says_what_is_missing(tmp_path: Path) -> None:
    status, out = await agent("--code", "ABCD-EFGH-JKMN", "--url", "http://127.0.0.1:9", "--spool", str(tmp_path),
                              token="")
    assert status == 2 and "SECONDE_VIE_API_TOKEN" in out
