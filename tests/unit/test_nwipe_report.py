"""nwipe's log read as facts: the real logs of tests/fixtures/nwipe (scripts/nwipe-fixtures.sh), and every
broken or hostile upload refused with a reason that names what is wrong (never another exception)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marketplace.domain.nwipe_report import MAX_REPORT_BYTES, ReportUnreadable, decode, parse

FIXTURES = Path(__file__).parent.parent / "fixtures" / "nwipe"


def log(name: str) -> str:
    return (FIXTURES / f"{name}.log").read_text()


def test_a_verified_zero_wipe() -> None:
    report = parse(log("zero-verify-last"))
    assert (report.tool_version, report.method, report.passes, report.rounds) == ("0.33", "Fill With Zeros", 1, 1)
    assert report.verification == "last" and report.blanking and report.outcome == "completed"
    assert report.started_at <= report.ended_at and report.started_at.year >= 2026
    [disk] = report.disks
    assert (disk.device, disk.model, disk.serial, disk.size) == ("/dev/loop0", "Loopback device", "SV-LOOP-ZERO-DISK",
                                                               "16 MB")
    assert (disk.status, disk.result, disk.verify_errors) == ("Erased", "erased", 0)


def test_methods_passes_and_verification_are_read_from_the_run() -> None:
    dod = parse(log("dod-verify-all"))
    assert (dod.method, dod.passes, dod.verification) == ("DoD 5220.22-M", 7, "all")
    prng = parse(log("prng-two-disks"))
    assert (prng.method, prng.prng) == ("PRNG Stream", "Isaac64")
    assert [(d.serial, d.size, d.result) for d in prng.disks] == [("SV-LOOP-PRNG-A", "16 MB", "erased"),
                                                                  ("SV-LOOP-PRNG-B", "25 MB", "erased")]
    assert parse(log("zero-verify-off")).verification == "off"


def test_interrupted_failed_and_serial_less_wipes_say_so() -> None:
    interrupted = parse(log("interrupted"))
    assert interrupted.outcome == "aborted" and interrupted.disks[0].status == "UABORTED"
    assert interrupted.disks[0].result == "interrupted" and interrupted.passes == 35
    failed = parse(log("failed-verification"))
    assert failed.outcome == "errors" and failed.disks[0].result == "failed"
    assert failed.disks[0].verify_errors == 32768 and failed.disks[0].status == "-FAILED-"
    assert parse(log("zero-no-serial")).disks[0].serial is None


def test_windows_line_ends_read_the_same() -> None:
    assert parse(log("dod-verify-all").replace("\n", "\r\n")) == parse(log("dod-verify-all"))


@pytest.mark.parametrize(("text", "key"), [
    ("", "erasure.not_nwipe"),
    ("%PDF-1.7 certificate", "erasure.not_nwipe"),
    ("id;brand;model\n1;Dell;Latitude\n", "erasure.not_nwipe"),
])
def test_what_is_not_an_nwipe_log_is_refused(text: str, key: str) -> None:
    with pytest.raises(ReportUnreadable) as refused:
        parse(text)
    assert refused.value.message_key == key


def test_a_log_cut_before_its_tables_is_refused_as_unfinished() -> None:
    text = log("zero-verify-last")
    with pytest.raises(ReportUnreadable) as refused:
        parse(text[: text.index("*****")])
    assert refused.value.message_key == "erasure.no_drive_status"


def test_an_impossible_date_names_its_line() -> None:
    lines = log("zero-verify-last").split("\n")
    lines[3] = "[2026/02/31" + lines[3][11:]
    with pytest.raises(ReportUnreadable) as refused:
        parse("\n".join(lines))
    assert refused.value.message_key == "erasure.bad_date" and refused.value.params["line"] == 4
    assert "2026/02/31" in refused.value.params["value"]


def test_time_going_backwards_is_refused_with_its_line() -> None:
    lines = log("zero-verify-last").split("\n")
    lines[5] = "[2020/01/01 00:00:00]" + lines[5][21:]
    with pytest.raises(ReportUnreadable) as refused:
        parse("\n".join(lines))
    assert (refused.value.message_key, refused.value.params["line"]) == ("erasure.time_backwards", 6)


def test_two_runs_in_one_file_are_refused() -> None:
    with pytest.raises(ReportUnreadable) as refused:
        parse(log("zero-verify-last") + "\n" + log("dod-verify-all"))
    assert refused.value.message_key == "erasure.several_runs"


def test_a_status_row_for_a_disk_never_found_is_refused() -> None:
    text = log("zero-verify-last").replace("Found /dev/loop0", "Found /dev/sdz")
    with pytest.raises(ReportUnreadable) as refused:
        parse(text)
    assert (refused.value.message_key, refused.value.params["device"]) == ("erasure.disk_unlisted", "/dev/loop0")


def test_binary_and_oversized_uploads_are_refused_before_parsing() -> None:
    with pytest.raises(ReportUnreadable) as binary:
        decode(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert binary.value.message_key == "erasure.not_text"
    with pytest.raises(ReportUnreadable) as large:
        decode(b"a" * (MAX_REPORT_BYTES + 1))
    assert large.value.message_key == "erasure.too_large"
    assert decode(log("zero-verify-last").encode("latin-1")) == log("zero-verify-last")


LINES = log("dod-verify-all").split("\n")


@given(st.lists(st.integers(0, len(LINES) - 1), max_size=30), st.text(max_size=80), st.integers(0, len(LINES)))
def test_fuzz_any_damaged_real_log_is_read_or_refused_with_a_key(dropped: list[int], junk: str, at: int) -> None:
    lines = [line for i, line in enumerate(LINES) if i not in set(dropped)]
    lines.insert(min(at, len(lines)), junk)
    try:
        report = parse("\n".join(lines))
    except ReportUnreadable as refused:
        assert refused.message_key.startswith("erasure.")
        return
    assert report.disks and isinstance(report.started_at, datetime)


@given(st.binary(max_size=400))
def test_fuzz_any_bytes_are_read_or_refused_with_a_key(raw: bytes) -> None:
    try:
        parse(decode(raw))
    except ReportUnreadable as refused:
        assert refused.message_key.startswith("erasure.")
