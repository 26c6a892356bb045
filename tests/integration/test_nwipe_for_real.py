"""nwipe run for real on a small file-backed loop device, its log imported through the API (issue 20).

Needs root (losetup) and nwipe (scripts/install-system-deps.sh); skipped, saying which, when the machine
does not allow it. As in scripts/nwipe-fixtures.sh, a `smartctl` stand-in first in PATH gives the loop
device a serial number (loop devices have none); everything else in the log is nwipe's.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integration.api_server import serve_api
from tests.integration.journeys import Journeys
from tests.integration.test_erasure_reports_api import Api, api_tokens

SERIAL = "SV-REAL-LOOP-1"
SHIM = """#!/bin/sh
for a in "$@"; do dev="$a"; done
case "$dev" in
  /dev/loop*) echo "Serial Number:    {serial}"; exit 0;;
esac
exec {real} "$@"
"""


@pytest.fixture
async def api(stack: Any) -> Any:
    async with serve_api(stack.marketplace) as base, httpx.AsyncClient() as client:
        yield Api(base, (await client.get(f"{base}/api/openapi.json")).json())


def _why_not() -> str | None:
    if os.geteuid() != 0:
        return "not root: losetup needs root"
    for tool in ("losetup", "nwipe"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (scripts/install-system-deps.sh)"
    return None


def run_nwipe(folder: Path, serial: str = SERIAL) -> str:
    """Wipe a fresh 16 MiB loop device with zeros, verified, and return nwipe's log."""
    image, log, shim = folder / "disk.img", folder / "nwipe.log", folder / "bin"
    shim.mkdir()
    (shim / "smartctl").write_text(SHIM.format(serial=serial, real=shutil.which("smartctl") or "/usr/sbin/smartctl"))
    (shim / "smartctl").chmod(0o755)
    image.write_bytes(b"")
    os.truncate(image, 16 * 1024 * 1024)
    attached = subprocess.run(["losetup", "-f", "--show", str(image)], capture_output=True, text=True, check=False)
    if attached.returncode != 0:
        pytest.skip(f"losetup is impossible here: {attached.stderr.strip()}")
    device = attached.stdout.strip()
    try:
        env = os.environ | {"PATH": f"{shim}:{os.environ.get('PATH', '')}", "TZ": "UTC"}
        subprocess.run(["nwipe", "--autonuke", "--nogui", "--nowait", "--method=zero", "--verify=last",
                        f"--logfile={log}", device], env=env, capture_output=True, timeout=120, check=False)
    finally:
        subprocess.run(["losetup", "-d", device], check=False)
    return log.read_text()


async def test_a_real_nwipe_run_certifies_the_wipe_through_the_api(stack: Any, api: Api, tmp_path: Path) -> None:
    if (reason := _why_not()) is not None:
        pytest.skip(reason)
    code = await Journeys(stack).device_in("diagnosed", has_storage=True)  # collected before the wipe below
    t = await api_tokens(stack, "refurbisher")
    log = run_nwipe(tmp_path)
    assert "Nwipe successfully completed" in log and f"S/N={SERIAL}" in log

    done = await api.send(code, t["refurbisher"], log)
    assert done.status_code == 200, done.json()
    cert = done.json()["certified"]
    assert cert["media"] == [{"make": "Loopback", "model": "Loopback device", "serial": SERIAL, "result": "erased"}]
    assert (cert["tool"], cert["method"], cert["verification"], cert["passes"]) == ("nwipe", "Clear", "full", 1)
    assert cert["report_sha256"] == hashlib.sha256(log.encode()).hexdigest()
    assert done.json()["recorded"]["disks"][0]["status"] == "Erased"
    async with stack.pool.acquire() as conn:
        assert await conn.fetchval("SELECT state FROM assets WHERE code = $1", code.replace("-", "")) == "wiped"
