"""Schemathesis (from PyPI) against the real API served on a free port: generated requests, positive and
negative, for every operation of the published OpenAPI document; no 5xx, and every status, content type
and body as the document says."""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.integration.api_server import serve_api
from tests.integration.test_api import api_tokens

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


def _schemathesis() -> str | None:
    local = Path(sys.executable).parent / "schemathesis"
    return str(local) if local.exists() else shutil.which("schemathesis")


@pytest.mark.skipif(_schemathesis() is None, reason="schemathesis is not installed (pip install -e .[test])")
async def test_generated_requests_conform_to_the_openapi_document(stack: Any, tmp_path: Path) -> None:
    tokens = await api_tokens(stack, "asset_manager")
    async with serve_api(stack.marketplace) as base:
        process = await asyncio.create_subprocess_exec(
            str(_schemathesis()), "run", f"{base}/api/openapi.json", "--checks", CHECKS,
            "--header", f"Authorization: Bearer {tokens['asset_manager']}", "--max-examples", "25",
            "--phases", "examples,coverage,fuzzing", "--seed", "6", "--generation-database", "none",
            "--workers", "1", "--no-color",
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, cwd=tmp_path,
        )
        output, _ = await asyncio.wait_for(process.communicate(), timeout=300)
    text = output.decode(errors="replace")
    assert process.returncode == 0, text[-6000:]
