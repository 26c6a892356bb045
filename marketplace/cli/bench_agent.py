"""`seconde-vie bench-agent`: run as root on a bench station, it takes a hardware snapshot with the real tools
(`bench_collect`), asks for the device code when it is not given (typed, or a USB QR scanner that types the
label's URL), uploads it with the organisation's API token and prints what was recorded.

Every snapshot is written to the spool directory first and removed once the server has recorded it: when the
network (or the server) is down it stays there, and `--send-pending` uploads what waits. A snapshot the
server refuses (not the custodian, wrong state, unreadable) is moved to `refused/` with the reason, never
retried for ever.

Environment (this is the station's configuration, not the server's): `SECONDE_VIE_URL` (the site's address),
`SECONDE_VIE_API_TOKEN` (an API token of the workshop, from Intégrations; or `--token-file`),
`BENCH_SPOOL_DIR` (default /var/spool/seconde-vie-bench).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import httpx

from marketplace.cli.words import say
from marketplace.domain.codes import format_code, normalise_code

DEFAULT_SPOOL = "/var/spool/seconde-vie-bench"
TIMEOUT_S = 30.0
ASK_TRIES = 3
# Worth trying again later: the network, the server restarting or overloaded.
_RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--code", help=say("cli.bench_agent.code"))
    p.add_argument("--send-pending", dest="send_pending", action="store_true", help=say("cli.bench_agent.pending"))
    p.add_argument("--url", default=os.environ.get("SECONDE_VIE_URL"), help=say("cli.bench_agent.url"))
    p.add_argument("--token-file", dest="token_file", help=say("cli.bench_agent.token_file"))
    p.add_argument("--spool", default=os.environ.get("BENCH_SPOOL_DIR", DEFAULT_SPOOL), help=say("cli.bench_agent.spool"))
    p.add_argument("--snapshot", help=say("cli.bench_agent.snapshot"))


def _token(args: argparse.Namespace) -> str | None:
    if args.token_file:
        return Path(args.token_file).read_text(encoding="utf-8").strip() or None
    return os.environ.get("SECONDE_VIE_API_TOKEN") or None


def code_of(typed: str) -> str | None:
    """A code typed or scanned: `XXXX-XXXX-XXXX`, or the label's URL (`.../d/XXXXXXXXXXXX`)."""
    text = typed.strip()
    if "/d/" in text:
        text = text.rsplit("/d/", 1)[1].split("?")[0].strip("/")
    return normalise_code(text)


def ask_code(stdin: TextIO, out: TextIO) -> str | None:
    for _ in range(ASK_TRIES):
        print(say("cli.bench_agent.ask_code"), end=" ", file=out, flush=True)
        line = stdin.readline()
        if not line:
            return None
        code = code_of(line)
        if code is not None:
            return code
        print(say("cli.bench_agent.bad_code", typed=line.strip()[:40]), file=out)
    return None


def spool(folder: Path, code: str, body: bytes) -> Path:
    """Written whole or not at all (a station may lose power): a temporary name, then renamed."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = folder / f"{code}_{stamp}_{uuid.uuid4().hex[:8]}.json"
    tmp = path.with_suffix(".part")
    tmp.write_bytes(body)
    tmp.replace(path)
    return path


class Unreachable(Exception):
    pass


class Refused(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def upload(url: str, token: str, code: str, body: bytes) -> dict[str, Any]:
    target = f"{url.rstrip('/')}/api/devices/{format_code(code)}/snapshots"
    try:
        r = httpx.post(target, content=body, timeout=TIMEOUT_S,
                       headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    except httpx.HTTPError as exc:
        raise Unreachable(str(exc) or type(exc).__name__) from exc
    if r.status_code in _RETRY_STATUSES:
        raise Unreachable(f"HTTP {r.status_code}")
    try:
        data = r.json()
    except ValueError as exc:
        raise Unreachable(f"HTTP {r.status_code}") from exc
    if r.status_code != 200:
        error = data.get("error", {}) if isinstance(data, dict) else {}
        raise Refused(r.status_code, str(error.get("code", "")), str(error.get("message", r.status_code)))
    return dict(data)


_KINDS = {"hdd": "HDD", "ssd": "SSD", "nvme": "NVMe"}


def _yes_no(value: Any) -> str:
    return "-" if value is None else say("cli.bench_agent.yes" if value else "cli.bench_agent.no")


def describe(recorded: dict[str, Any], out: TextIO) -> None:
    """What the server recorded, line by line."""
    reading, specs = recorded.get("reading", {}), recorded.get("specs", {})
    print(say("cli.bench_agent.recorded", code=recorded.get("code"), sha256=recorded.get("sha256")), file=out)
    for key in ("manufacturer", "model", "serial"):
        if reading.get(key):
            print(f"  {say('cli.bench_agent.' + key)} : {reading[key]}", file=out)
    for key in ("cpu", "ram_gb", "storage_gb", "storage_type", "screen_in"):
        if specs.get(key) is not None:
            value = _KINDS.get(specs[key], specs[key]) if key == "storage_type" else specs[key]
            print(f"  {say('cli.bench_agent.' + key)} : {value}", file=out)
    for m in reading.get("media", []):
        print("  " + say("cli.bench_agent.medium", device=m.get("device") or "-", model=m.get("model") or "-",
                         serial=m.get("serial") or "-", gb=m.get("capacity_gb") or "-", kind=_KINDS.get(m.get("kind") or "", "-"),
                         smart=_yes_no(m.get("smart_passed")),
                         hours=m.get("power_on_hours") if m.get("power_on_hours") is not None else "-"), file=out)
    for b in reading.get("batteries", []):
        print("  " + say("cli.bench_agent.battery", pct=b.get("health_pct") or "-", full=b.get("full_wh") or "-",
                         design=b.get("design_wh") or "-"), file=out)
    for w in recorded.get("warnings", []):
        print(say("cli.bench_agent.warning", field=say("cli.bench_agent." + w["field"]), declared=w["declared"],
                  read=w["read"]), file=out)


def send(path: Path, url: str, token: str, out: TextIO) -> bool:
    """Upload one spooled snapshot: True once recorded (the file is removed) or refused (moved aside)."""
    code = path.name.split("_", 1)[0]
    try:
        recorded = upload(url, token, code, path.read_bytes())
    except Unreachable as exc:
        print(say("cli.bench_agent.kept", path=path, reason=exc), file=out)
        return False
    except Refused as refused:
        aside = path.parent / "refused"
        aside.mkdir(exist_ok=True, mode=0o700)
        path.replace(aside / path.name)
        (aside / (path.name + ".reason")).write_text(f"{refused.status} {refused.code}: {refused.message}\n")
        print(say("cli.bench_agent.refused", code=format_code(code), reason=refused.message), file=out)
        return True
    path.unlink()
    describe(recorded, out)
    return True


def run(args: argparse.Namespace, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> int:
    from marketplace.cli import bench_collect

    token = _token(args)
    if not args.url or not token:
        print(say("cli.bench_agent.no_config"), file=sys.stderr)
        return 2
    folder = Path(args.spool)
    if args.send_pending:
        waiting = sorted(folder.glob("*.json")) if folder.is_dir() else []
        print(say("cli.bench_agent.pending_count", n=len(waiting)), file=out)
        kept = [p for p in waiting if not send(p, args.url, token, out)]
        return 1 if kept else 0
    code = code_of(args.code) if args.code else ask_code(stdin, out)
    if code is None:
        print(say("cli.bench_agent.bad_code", typed=(args.code or "")[:40]), file=sys.stderr)
        return 2
    if args.snapshot:
        body = Path(args.snapshot).read_bytes()
    else:
        print(say("cli.bench_agent.collecting"), file=out, flush=True)
        snapshot, _ = bench_collect.collect()
        body = json.dumps(snapshot, indent=1).encode("utf-8")
    path = spool(folder, code, body)
    if not send(path, args.url, token, out):
        return 0  # kept: `--send-pending` uploads it later
    return 1 if (folder / "refused" / path.name).exists() else 0
