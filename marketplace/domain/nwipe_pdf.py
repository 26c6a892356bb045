"""Reading the PDF certificate nwipe 0.35+ writes (`-P DIR`, `nwipe_report_<date>_Model_…_Serial_….pdf`):
the same facts as its log (`nwipe_report.NwipeReport`), so the same rules and certificate filling apply.

Page 1, « Disk Erasure Details », as nwipe 0.38 lays it out (text extracted with pypdf):
`Disc Erasure by NWIPE version 0.38`, `Make/Model: … Serial: …`, `Start time: YYYY/MM/DD HH:MM:SS End time: …`,
`Status: ERASED|FAILED|ABORTED`, `Method: … PRNG algorithm: …`, `Final Pass(…): Zeros`,
`Verify Pass(Last/All/None): Verify Last`, `Rounds(completed/requested): 1/1`, `Errors(pass/sync/verify): 0/0/0`.
One certificate per disk. Pure apart from pypdf's parsing of the bytes given (no file, no network).
"""

from __future__ import annotations

import io
import logging
import re
from datetime import datetime

from marketplace.domain.nwipe_report import (
    MAX_REPORT_BYTES,
    Disk,
    NwipeReport,
    Outcome,
    ReportUnreadable,
    decode,
    parse,
)

MAX_PDF_BYTES = 3 * 1024 * 1024  # nwipe's certificate is ~220 KiB (its logo and the SMART page); base64 fits the API's 5 MiB
MAX_PAGES = 8

# The passes of one round of each of nwipe's methods, by the name it prints (its log counts them; the PDF does not).
PASSES = {"Fill With Zeros": 1, "Fill With Ones": 1, "PRNG Stream": 1, "DoD Short": 3, "DoD 5220.22-M": 7,
          "RCMP TSSIT OPS-II": 8, "Gutmann Wipe": 35, "Bruce Schneier Wipe": 7, "HMG IS5 Enhanced": 3,
          "Verify Zeros (0x00)": None, "Verify Ones  (0xFF)": None, "Verify Ones (0xFF)": None}
_STATUS: dict[str, tuple[str, Outcome]] = {"ERASED": ("Erased", "completed"), "FAILED": ("-FAILED-", "errors"),
                                           "ABORTED": ("UABORTED", "aborted")}
_FIELDS = {
    "version": r"Disc Erasure by NWIPE version (\d+(?:\.\d+)+)",
    "model_serial": r"Make/Model: ?(.*?) Serial: ?(.*)",
    "times": r"Start time: (\d{4}/\d\d/\d\d \d\d:\d\d:\d\d) End time: (\d{4}/\d\d/\d\d \d\d:\d\d:\d\d)",
    "status": r"Status: (\w+)",
    "method": r"Method: (.*?) PRNG algorithm: (.*)",
    "final": r"Final Pass\([^)]*\): (\w+)",
    "verify": r"Verify Pass\([^)]*\): (?:Verify )?(\w+)",
    "rounds": r"Rounds\(completed/requested\): (\d+)/(\d+)",
    "errors": r"Errors\(pass/sync/verify\): (\d+)/(\d+)/(\d+)",
    "size": r"Size\(Real\): +(\d+ [KMGTP]?B)",
    "duration": r"Duration: (\d+:\d\d:\d\d)",
}

_LABELS = {"model_serial": "Make/Model … Serial", "times": "Start time … End time", "status": "Status",
           "method": "Method … PRNG algorithm", "verify": "Verify Pass", "rounds": "Rounds(completed/requested)",
           "errors": "Errors(pass/sync/verify)"}


def is_pdf(raw: bytes) -> bool:
    return raw[:1024].lstrip().startswith(b"%PDF-")


def text_of(raw: bytes) -> str:
    """Page 1's text; `ReportUnreadable` for a file too large or one pypdf cannot read."""
    if len(raw) > MAX_PDF_BYTES:
        raise ReportUnreadable("erasure.pdf_too_large", limit_kib=MAX_PDF_BYTES // 1024)
    from pypdf import PdfReader  # the PDF library stays out of the log reader's import

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged files are refused below, not logged
    try:
        reader = PdfReader(io.BytesIO(raw), strict=False)
        if len(reader.pages) == 0 or len(reader.pages) > MAX_PAGES:
            raise ReportUnreadable("erasure.pdf_not_nwipe")
        text = reader.pages[0].extract_text() or ""
    except ReportUnreadable:
        raise
    except Exception as exc:  # pypdf raises many kinds on damaged input (PdfReadError, ValueError, KeyError…)
        raise ReportUnreadable("erasure.pdf_damaged") from exc
    if len(text) > MAX_REPORT_BYTES:
        raise ReportUnreadable("erasure.pdf_not_nwipe")
    return text


def parse_pdf(raw: bytes) -> NwipeReport:
    return parse_certificate_text(text_of(raw))


def read_any(raw: bytes) -> tuple[str, NwipeReport]:
    """nwipe's log or its PDF certificate, told apart by the content (`%PDF-`): the text read and its facts."""
    if is_pdf(raw):
        text = text_of(raw)
        return text, parse_certificate_text(text)
    text = decode(raw)
    return text, parse(text)


def parse_certificate_text(text: str) -> NwipeReport:
    """The facts of nwipe's certificate page; `ReportUnreadable` naming the missing line."""
    found: dict[str, re.Match[str]] = {}
    if not re.search(_FIELDS["version"], text) or "Disk Erasure" not in text:
        raise ReportUnreadable("erasure.pdf_not_nwipe")
    for name, pattern in _FIELDS.items():
        match = re.search(pattern, text)
        if match is None and name not in ("size", "duration", "final"):
            raise ReportUnreadable("erasure.pdf_missing", field=_LABELS.get(name, name))
        if match is not None:
            found[name] = match
    try:
        started = datetime.strptime(found["times"].group(1), "%Y/%m/%d %H:%M:%S")
        ended = datetime.strptime(found["times"].group(2), "%Y/%m/%d %H:%M:%S")
    except ValueError as exc:
        raise ReportUnreadable("erasure.bad_date", line=0, value=found["times"].group(0)[:60]) from exc
    if ended < started:
        raise ReportUnreadable("erasure.time_backwards", line=0, value=found["times"].group(2))
    status, outcome = _STATUS.get(found["status"].group(1).upper(), (found["status"].group(1)[:20], "unfinished"))
    verification = {"last": "last", "all": "all", "none": "off", "off": "off"}.get(found["verify"].group(1).lower())
    if verification is None:
        raise ReportUnreadable("erasure.no_verification_option")
    method = found["method"].group(1).strip()
    serial = found["model_serial"].group(2).strip()
    pass_errors, sync_errors, verify_errors = (int(found["errors"].group(i)[:9]) for i in (1, 2, 3))
    disk = Disk(device="/dev/?", model=found["model_serial"].group(1).strip()[:120],
                serial=None if serial in ("", "Unknown") else serial[:120],
                size=found["size"].group(1) if "size" in found else "?", status=status,
                pass_errors=pass_errors, verify_errors=verify_errors, sync_errors=sync_errors,
                duration=found["duration"].group(1) if "duration" in found else "?")
    prng = found["method"].group(2).strip()
    return NwipeReport(
        tool_version=found["version"].group(1), method=method[:120], passes=PASSES.get(method),
        rounds=int(found["rounds"].group(2)[:6]), blanking="final" in found and found["final"].group(1) != "None",
        verification=verification,  # type: ignore[arg-type]
        prng=None if prng.startswith("Not applicable") else prng[:60], started_at=started, ended_at=ended,
        disks=(disk,), outcome=outcome)
