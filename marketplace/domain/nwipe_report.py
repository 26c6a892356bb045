"""Reading nwipe's log: what was wiped, how, when, and with what result. Pure: text in, facts or a refusal out.

nwipe (0.33, Debian 12; the same layout up to 0.37) writes timestamped lines `[YYYY/MM/DD HH:MM:SS] level:
text`, the options it ran with (`method = …`, `verify = …`, `rounds = …`), one `Found /dev/X, bus, model,
size, S/N=serial` line per disk, the passes, then an Error Summary table and a Drive Status table
(`Erased`, `UABORTED`, `-FAILED-`…) and a closing line (completed, aborted by the user, exited with errors).
Times are the station's clock, without an offset: they are kept as written (naive) and the caller says
which timezone the station ran in.

Every refusal is a `ReportUnreadable` whose key says what is wrong and whose parameters name the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from marketplace.domain.errors import InvalidInput

MAX_REPORT_BYTES = 2 * 1024 * 1024
Verification = Literal["off", "last", "all"]
Result = Literal["erased", "failed", "interrupted"]
Outcome = Literal["completed", "aborted", "errors", "unfinished"]

_STAMP = re.compile(r"^\[(\d{4})/(\d{2})/(\d{2}) (\d{2}):(\d{2}):(\d{2})\]\s*(.*)$")
_LEVEL = re.compile(r"^(\w+):\s?(.*)$")
_OPTION = re.compile(r"^\s+(\w+)\s+=\s+(.*?)\s*$")
_FOUND = re.compile(r"^Found (/dev/\S+), (.*?), (.*), +([\d.]+ [KMGTP]?B), S/N=(.*)$")
_PASS = re.compile(r"^Starting pass (\d+)/(\d+), round (\d+)/(\d+), on (\S+)$")
_ERRORS = re.compile(r"^!?\s+(\S+) \|\s+(\d+) \|\s+(\d+) \|\s+(\d+)\s*$")
_STATUS = re.compile(r"^!?\s+(\S+) \|([^|]{1,10})\|([^|]*)\| (\d+:\d\d:\d\d) \| (.*)$")
_VERIFY = {"0": "off", "1": "last", "2": "all"}
_OUTCOMES: tuple[tuple[str, Outcome], ...] = (
    ("Nwipe successfully completed", "completed"), ("Nwipe was aborted by the user", "aborted"),
    ("Nwipe exited with errors", "errors"), ("Nwipe exited with fatal errors", "errors"),
)


class ReportUnreadable(InvalidInput):
    """The upload is not a complete nwipe log; the key says what is missing, `line` where when it is one line."""

    message_key = "erasure.not_nwipe"


@dataclass(frozen=True)
class Disk:
    device: str  # as nwipe names it: /dev/sda
    model: str
    serial: str | None  # None when nwipe found no serial number (or ran with --quiet)
    size: str  # as nwipe writes it: "500 GB"
    status: str  # nwipe's own word in the Drive Status table: Erased, UABORTED, -FAILED-…
    pass_errors: int
    verify_errors: int
    sync_errors: int
    duration: str  # HH:MM:SS

    @property
    def result(self) -> Result:
        if self.pass_errors or self.verify_errors or self.sync_errors or "FAIL" in self.status.upper():
            return "failed"
        return "erased" if self.status == "Erased" else "interrupted"


@dataclass(frozen=True)
class NwipeReport:
    tool_version: str | None
    method: str  # nwipe's name of the method: "Fill With Zeros", "DoD 5220.22-M"…
    passes: int | None  # passes of the method in one round (None for the verify-only methods)
    rounds: int
    blanking: bool  # a final blanking pass (zeros) was written
    verification: Verification
    prng: str | None
    started_at: datetime  # the station's clock, naive
    ended_at: datetime
    disks: tuple[Disk, ...]
    outcome: Outcome


def decode(raw: bytes) -> str:
    """The log's text: UTF-8, else Latin-1 only when it has no control bytes (a binary file is refused)."""
    if len(raw) > MAX_REPORT_BYTES:
        raise ReportUnreadable("erasure.too_large", limit_kib=MAX_REPORT_BYTES // 1024)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    if "\x00" in text or re.search(r"[\x01-\x08\x0e-\x1f]", text):
        raise ReportUnreadable("erasure.not_text")
    return text


def _stamp(match: re.Match[str], number: int) -> datetime:
    try:
        y, mo, d, h, mi, sec = (int(match.group(i)) for i in range(1, 7))
        return datetime(y, mo, d, h, mi, sec)
    except ValueError as exc:
        raise ReportUnreadable("erasure.bad_date", line=number, value=match.group(0)[1:20]) from exc


@dataclass
class _Reading:
    options: dict[str, str]
    found: dict[str, tuple[str, str | None, str]]
    passes: int | None = None
    first: datetime | None = None
    last: datetime | None = None
    outcome: Outcome = "unfinished"
    runs: int = 0


def _read_line(state: _Reading, body: str, number: int) -> None:
    level = _LEVEL.match(body)
    text = level.group(2) if level else body
    option = _OPTION.match(text)
    if option and text.startswith("  "):
        if option.group(1) == "banner":
            state.runs += 1
        state.options[option.group(1)] = option.group(2)
    elif found := _FOUND.match(text):
        serial = found.group(5).strip()
        state.found[found.group(1)] = (found.group(3).strip(), serial or None, found.group(4).strip())
    elif step := _PASS.match(text):
        state.passes = max(state.passes or 0, int(step.group(2)))
    for start, outcome in _OUTCOMES:
        if text.startswith(start):
            state.outcome = outcome


def _tables(lines: list[str]) -> tuple[dict[str, tuple[int, int, int]], dict[str, tuple[str, str]], int]:
    errors: dict[str, tuple[int, int, int]] = {}
    statuses: dict[str, tuple[str, str]] = {}
    table = ""
    count = 0
    for line in lines:
        if "Error Summary" in line:
            table = "errors"
        elif "Drive Status" in line:
            table, count = "status", count + 1
        elif re.fullmatch(r"\*{20,}", line.strip()):
            table = ""
        elif table == "errors" and (row := _ERRORS.match(line)):
            errors[row.group(1)] = (int(row.group(2)), int(row.group(3)), int(row.group(4)))
        elif table == "status" and (st := _STATUS.match(line)):
            statuses[st.group(1)] = (st.group(2).strip(), st.group(4))
    return errors, statuses, count


def parse(text: str) -> NwipeReport:
    """The facts of one nwipe run; `ReportUnreadable` naming what is missing or which line is wrong."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    state = _Reading(options={}, found={})
    for number, line in enumerate(lines, start=1):
        match = _STAMP.match(line)
        if match is None:
            continue
        at = _stamp(match, number)
        if state.first is not None and state.last is not None and at < state.last:
            raise ReportUnreadable("erasure.time_backwards", line=number, value=match.group(0)[1:20])
        state.first = state.first or at
        state.last = at
        _read_line(state, match.group(7), number)
    if state.first is None or state.last is None:
        raise ReportUnreadable("erasure.not_nwipe")
    errors, statuses, tables = _tables(lines)
    if state.runs > 1 or tables > 1:
        raise ReportUnreadable("erasure.several_runs", runs=max(state.runs, tables))
    method = state.options.get("method")
    if not method:
        raise ReportUnreadable("erasure.no_method")
    if tables == 0 or not statuses:
        raise ReportUnreadable("erasure.no_drive_status")
    verify = _VERIFY.get(state.options.get("verify", "").split(" ")[0])
    if verify is None:
        raise ReportUnreadable("erasure.no_verification_option")
    return NwipeReport(
        tool_version=_version(state.options.get("banner")), method=method, passes=state.passes,
        rounds=_int(state.options.get("rounds"), 1), blanking="+B" in text or "Blanking device" in text,
        verification=verify,  # type: ignore[arg-type]
        prng=state.options.get("prng"), started_at=state.first, ended_at=state.last,
        disks=_disks(state.found, errors, statuses), outcome=state.outcome,
    )


def _disks(found: dict[str, tuple[str, str | None, str]], errors: dict[str, tuple[int, int, int]],
           statuses: dict[str, tuple[str, str]]) -> tuple[Disk, ...]:
    disks = []
    for name, (status, duration) in statuses.items():
        device = name if name.startswith("/") else f"/dev/{name}"
        if device not in found:
            raise ReportUnreadable("erasure.disk_unlisted", device=device[:60])
        model, serial, size = found[device]
        pass_errors, verify_errors, sync_errors = errors.get(name, (0, 0, 0))
        disks.append(Disk(device, model, serial, size, status, pass_errors, verify_errors, sync_errors, duration))
    return tuple(disks)


def _version(banner: str | None) -> str | None:
    found = re.search(r"(\d+(?:\.\d+)+)", banner or "")
    return found.group(1) if found else None


def _int(text: str | None, default: int) -> int:
    return int(text) if text and text.isdigit() and len(text) < 6 else default
