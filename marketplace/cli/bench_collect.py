"""Collecting a hardware snapshot with the bench station's real tools (run as root: dmidecode and smartctl
read the firmware and the disks).

The snapshot has eReuse Workbench's shape (`{"type": "Snapshot", ..., "data": {"lshw", "dmidecode",
"smart": [...]}}`, see `marketplace/bench/workbench.py`) with the other tools' outputs added to `data`, so
what Workbench users already send and what the bench agent sends are read by the same code. A tool that is
missing or fails leaves what it said in `data.errors` instead of stopping the collection.

`python -m marketplace.cli.bench_collect --fixtures DIR` writes each tool's raw output and the snapshot as
test fixtures (scripts/make-bench-fixtures.sh).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SOFTWARE = "seconde-vie-bench-agent"
VERSION = "1"
TIMEOUT_S = 120
_ENV = {**os.environ, "LC_ALL": "C", "LANG": "C"}
POWER_SUPPLY = Path("/sys/class/power_supply")
DRM = Path("/sys/class/drm")
_SUPPLY_FILES = ("type", "scope", "manufacturer", "model_name", "serial_number", "technology", "energy_full",
                 "energy_full_design", "charge_full", "charge_full_design", "voltage_min_design", "cycle_count")


def run(argv: list[str]) -> tuple[int | None, str, str]:
    """(exit code, stdout, stderr); exit code None when the tool is not installed or timed out."""
    if shutil.which(argv[0]) is None:
        return None, "", f"{argv[0]}: not installed"
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT_S, env=_ENV, check=False)
    except subprocess.TimeoutExpired:
        return None, "", f"{argv[0]}: timed out after {TIMEOUT_S} s"
    return done.returncode, done.stdout, done.stderr


def _json_of(out: str) -> Any:
    try:
        return json.loads(out)
    except json.JSONDecodeError:
        return None


def disks(lsblk: Any) -> list[str]:
    """The device paths of the machine's disks (not RAM disks or loop files)."""
    out = []
    for dev in (lsblk or {}).get("blockdevices", []):
        name = str(dev.get("name", ""))
        if dev.get("type") == "disk" and not name.startswith(("zram", "loop", "ram")):
            out.append(str(dev.get("path") or f"/dev/{name}"))
    return out


def power_supplies(root: Path = POWER_SUPPLY) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for supply in sorted(root.glob("*")) if root.is_dir() else []:
        files = {f: (supply / f).read_text(errors="replace").strip() for f in _SUPPLY_FILES if (supply / f).is_file()}
        out[supply.name] = files
    return out


def edids(root: Path = DRM) -> list[dict[str, str]]:
    out = []
    for connector in sorted(root.glob("card*-*")) if root.is_dir() else []:
        edid = connector / "edid"
        try:
            data = edid.read_bytes() if edid.is_file() else b""
        except OSError:
            data = b""
        if data:
            out.append({"connector": connector.name, "edid": data.hex()})
    return out


def collect(extra_disks: list[str] | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """The snapshot, and each tool's raw output by file name (for fixtures and for a look when it fails)."""
    raw: dict[str, str] = {}
    errors: list[str] = []

    def tool(name: str, argv: list[str]) -> str:
        code, out, err = run(argv)
        raw[name] = out
        if code is None or (code != 0 and not out.strip()):
            errors.append(f"{' '.join(argv)}: {err.strip()[:300] or f'exit {code}'}")
        return out

    lshw = _json_of(tool("lshw.json", ["lshw", "-json", "-quiet"]))
    dmi = tool("dmidecode.txt", ["dmidecode"])
    lsblk = _json_of(tool("lsblk.json", ["lsblk", "--json", "-b", "-O"]))
    smart = []
    for path in [*disks(lsblk), *(extra_disks or [])]:
        out = tool(f"smartctl-{Path(path).name}.json", ["smartctl", "--json", "-a", path])
        if (parsed := _json_of(out)) is not None:
            smart.append(parsed)  # smartctl's exit code is a bit mask (1: could not open...): its JSON says why
    upower = tool("upower.txt", ["upower", "-d"]) if shutil.which("upower") else ""
    supplies, screens = power_supplies(), edids()
    raw["power_supply.json"] = json.dumps(supplies, indent=1, sort_keys=True)
    raw["edid.json"] = json.dumps(screens, indent=1)
    data: dict[str, Any] = {"lshw": lshw, "dmidecode": dmi, "smart": smart, "lsblk": lsblk, "upower": upower,
                            "power_supply": supplies, "edid": screens, "errors": errors}
    snapshot = {"type": "Snapshot", "uuid": str(uuid.uuid4()), "software": SOFTWARE, "version": VERSION,
                "schema_api": "1.0.0", "timestamp": datetime.now(UTC).isoformat(timespec="seconds"), "data": data}
    return snapshot, raw


@contextmanager
def loop_device(size_mb: int = 16) -> Iterator[str | None]:
    """A small file-backed loop device (None if the machine does not allow one), detached afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        backing = Path(tmp) / "disk.img"
        with backing.open("wb") as f:
            f.truncate(size_mb * 1024 * 1024)
        code, out, _ = run(["losetup", "--find", "--show", str(backing)])
        device = out.strip() if code == 0 and out.strip() else None
        try:
            yield device
        finally:
            if device:
                run(["losetup", "--detach", device])


def write_fixtures(target: Path, with_loop: bool = True) -> list[str]:
    """Each tool's output and the snapshot into `target`; returns the file names written."""
    target.mkdir(parents=True, exist_ok=True)
    with loop_device() if with_loop else _nothing() as loop:
        snapshot, raw = collect([loop] if loop else [])
    if loop:  # its name changes from run to run: keep it under a stable one
        name = f"smartctl-{Path(loop).name}.json"
        raw["smartctl-loop.json"] = raw.pop(name)
    raw["workbench-snapshot.json"] = json.dumps(snapshot, indent=1)
    for name, content in raw.items():
        (target / name).write_text(content)
    return sorted(raw)


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m marketplace.cli.bench_collect")
    parser.add_argument("--fixtures", type=Path, required=True)
    parser.add_argument("--no-loop", action="store_true")
    args = parser.parse_args(argv)
    for name in write_fixtures(args.fixtures, with_loop=not args.no_loop):
        print(args.fixtures / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
