"""The bench fixtures are what scripts/make-bench-fixtures.sh makes with this machine's real tools: running
it again writes the same files, with the same structure, read the same way."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from marketplace.bench import read_snapshot

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "bench"


def _shape(value: Any, depth: int = 0) -> Any:
    """Keys and kinds, not values (timestamps, uuids and free memory change between runs)."""
    if depth > 3:
        return type(value).__name__
    if isinstance(value, dict):
        return {k: _shape(v, depth + 1) for k, v in sorted(value.items()) if k not in ("local_time", "time_t")}
    if isinstance(value, list):
        return [_shape(value[0], depth + 1)] if value else []
    return type(value).__name__


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("lshw") is None, reason="the bench tools need root")
def test_the_script_regenerates_the_committed_fixtures(tmp_path: Path) -> None:
    script = ROOT / "scripts" / "make-bench-fixtures.sh"
    text = script.read_text().replace("tests/fixtures/bench", str(tmp_path))
    (tmp_path / "make.sh").write_text(text)
    subprocess.run(["sh", str(tmp_path / "make.sh")], check=True, cwd=ROOT, timeout=300,
                   env={**os.environ, "PYTHON": sys.executable})
    made = sorted(p.name for p in tmp_path.iterdir() if p.name != "make.sh")
    assert made == sorted(p.name for p in FIXTURES.iterdir())
    for name in made:
        if name.endswith(".json"):
            assert _shape(json.loads((tmp_path / name).read_text())) == _shape(json.loads((FIXTURES / name).read_text())), name
    fresh, committed = (read_snapshot((d / "workbench-snapshot.json").read_bytes()) for d in (tmp_path, FIXTURES))
    assert (fresh.cpu, fresh.ram_gb, [m.device for m in fresh.media]) == (
        committed.cpu, committed.ram_gb, [m.device for m in committed.media])


def test_the_workbench_snapshot_holds_each_tool_output_it_was_made_from() -> None:
    snapshot = json.loads((FIXTURES / "workbench-snapshot.json").read_text())
    assert snapshot["type"] == "Snapshot" and snapshot["schema_api"] == "1.0.0"
    data = snapshot["data"]
    assert data["lshw"] == json.loads((FIXTURES / "lshw.json").read_text())
    assert data["lsblk"] == json.loads((FIXTURES / "lsblk.json").read_text())
    assert data["dmidecode"] == (FIXTURES / "dmidecode.txt").read_text()
    assert json.loads((FIXTURES / "smartctl-vda.json").read_text()) in data["smart"]
