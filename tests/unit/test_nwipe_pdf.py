"""nwipe's PDF certificate read as the same facts as its log: the real PDFs nwipe 0.38 wrote
(tests/fixtures/nwipe/*-0.38.pdf, scripts/nwipe-pdf-fixtures.sh), agreeing with the logs of the same runs, and
every PDF that is not nwipe's, damaged or too large refused with a reason (never another exception)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfgen import canvas

from marketplace.domain.erasure_rules import accept
from marketplace.domain.errors import DomainError
from marketplace.domain.nwipe_pdf import MAX_PDF_BYTES, is_pdf, parse_pdf, read_any
from marketplace.domain.nwipe_report import ReportUnreadable, parse

FIXTURES = Path(__file__).parent.parent / "fixtures" / "nwipe"


def pdf(name: str) -> bytes:
    return (FIXTURES / f"{name}-0.38.pdf").read_bytes()


def other_pdf(*lines: str) -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    for i, line in enumerate(lines):
        page.drawString(40, 800 - 14 * i, line)
    page.save()
    return out.getvalue()


def test_a_verified_zero_wipe_reads_as_its_log_does() -> None:
    report = parse_pdf(pdf("zero-verify-last"))
    from_log = parse((FIXTURES / "zero-verify-last-0.38.log").read_text())
    assert (report.tool_version, report.method, report.passes, report.rounds) == ("0.38", "Fill With Zeros", 1, 1)
    assert (report.verification, report.blanking, report.outcome) == ("last", True, "completed")
    [disk] = report.disks
    assert (disk.model, disk.serial, disk.size, disk.status, disk.result) == (
        "Loopback device", "SV-LOOP-ZERO-DISK", "16 MB", "Erased", "erased")
    assert (report.method, report.verification, report.outcome) == (from_log.method, from_log.verification,
                                                                      from_log.outcome)
    assert [d.serial for d in report.disks] == [d.serial for d in from_log.disks]
    assert from_log.started_at <= report.started_at <= report.ended_at <= from_log.ended_at


def test_a_failed_verification_is_a_failed_disk() -> None:
    report = parse_pdf(pdf("failed-verification"))
    [disk] = report.disks
    assert (disk.serial, disk.result, disk.verify_errors, report.outcome) == ("SV-LOOP-RANDOM", "failed", 32768, "errors")


def test_an_interrupted_wipe_is_interrupted() -> None:
    report = parse_pdf(pdf("interrupted"))
    assert (report.method, report.passes, report.verification, report.outcome) == ("Gutmann Wipe", 35, "all", "aborted")
    assert report.disks[0].result == "interrupted"


@pytest.mark.parametrize(("name", "key"), [("failed-verification", "erasure.failed"),
                                           ("interrupted", "erasure.interrupted")])
def test_the_rules_refuse_them_as_they_refuse_the_logs(name: str, key: str) -> None:
    from zoneinfo import ZoneInfo

    report = parse_pdf(pdf(name))
    with pytest.raises(DomainError) as err:
        accept(report, frozenset(), None, ZoneInfo("UTC"), 10**13)
    assert err.value.message_key == key


def test_content_tells_a_pdf_from_a_log() -> None:
    assert is_pdf(pdf("zero-verify-last")) and not is_pdf((FIXTURES / "zero-verify-last.log").read_bytes())
    assert read_any((FIXTURES / "zero-verify-last.log").read_bytes())[1].tool_version == "0.33"
    assert read_any(pdf("zero-verify-last"))[1].tool_version == "0.38"


@pytest.mark.parametrize(("raw", "key"), [
    (other_pdf("Facture 2026-0042", "Total : 120 EUR"), "erasure.pdf_not_nwipe"),
    (other_pdf("Disc Erasure by NWIPE version 0.38", "Disk Erasure Report", "Status: ERASED"), "erasure.pdf_missing"),
    (b"%PDF-1.4\n%garbage\x00\x01 not a pdf", "erasure.pdf_damaged"),
    (pdf("zero-verify-last")[:5000], "erasure.pdf_damaged"),
    (b"%PDF-1.4\n" + b"0" * (MAX_PDF_BYTES + 1), "erasure.pdf_too_large"),
])
def test_pdfs_that_are_not_a_complete_nwipe_certificate_are_refused(raw: bytes, key: str) -> None:
    with pytest.raises(ReportUnreadable) as err:
        read_any(raw)
    assert err.value.message_key == key


def test_a_missing_line_is_named() -> None:
    with pytest.raises(ReportUnreadable) as err:
        read_any(other_pdf("Disc Erasure by NWIPE version 0.38", "Disk Erasure Report", "Status: ERASED"))
    assert "Make/Model" in str(err.value.params)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=4096))
def test_arbitrary_bytes_after_the_pdf_header_never_crash(tail: bytes) -> None:
    try:
        read_any(b"%PDF-1.7\n" + tail)
    except ReportUnreadable:
        pass


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=220_000), st.binary(min_size=1, max_size=64))
def test_a_damaged_real_certificate_never_crashes(at: int, junk: bytes) -> None:
    raw = pdf("zero-verify-last")
    try:
        read_any(raw[:at] + junk + raw[at + len(junk):])
    except (ReportUnreadable, DomainError):
        pass
