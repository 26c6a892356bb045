"""When an nwipe report may certify a device's wipe (the real logs of tests/fixtures/nwipe)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from marketplace.domain.erasure_rules import ReportRefused, accept, certificate_fields, same_serial
from marketplace.domain.nwipe_report import NwipeReport, parse

FIXTURES = Path(__file__).parent.parent / "fixtures" / "nwipe"
UTC_TZ = ZoneInfo("UTC")
PARIS = ZoneInfo("Europe/Paris")


def report(name: str) -> NwipeReport:
    return parse((FIXTURES / f"{name}.log").read_text())


def station_time(name: str) -> datetime:
    return report(name).started_at.replace(tzinfo=UTC)


def refusal(name: str, known: frozenset[str] = frozenset(), collected: datetime | None = None) -> ReportRefused:
    with pytest.raises(ReportRefused) as refused:
        accept(report(name), known, collected, UTC_TZ, station_time(name) + timedelta(hours=1))
    return refused.value


def test_a_verified_wipe_of_a_known_disk_fills_the_certificate() -> None:
    r = report("prng-two-disks")
    collected = station_time("prng-two-disks") - timedelta(days=1)
    accepted = accept(r, frozenset({"sv-loop-prng-a", "SV LOOP PRNG B"}), collected, UTC_TZ,
                      collected + timedelta(days=2))
    assert accepted.media_checked
    fields = certificate_fields(accepted, "technique", UTC_TZ)
    assert (fields["method"], fields["tool"], fields["tool_version"], fields["verification"]) == (
        "Clear", "nwipe", "0.33", "full")
    assert [(m["make"], m["model"], m["serial"], m["result"]) for m in fields["media"]] == [
        ("Loopback", "Loopback device", "SV-LOOP-PRNG-A", "erased"),
        ("Loopback", "Loopback device", "SV-LOOP-PRNG-B", "erased")]
    assert fields["started_at"] <= fields["ended_at"] and fields["sanitised_on"] == fields["ended_at"].date()


def test_with_no_known_media_the_report_is_taken_unchecked() -> None:
    r = report("zero-verify-last")
    assert not accept(r, frozenset(), None, UTC_TZ, station_time("zero-verify-last") + timedelta(hours=1)).media_checked


def test_a_disk_that_is_not_the_devices_is_refused_naming_it() -> None:
    refused = refusal("prng-two-disks", frozenset({"SV-LOOP-PRNG-A"}))
    assert refused.message_key == "erasure.unknown_disk" and refused.params["serial"] == "SV-LOOP-PRNG-B"
    assert "SV-LOOP-PRNG-B" in refused.render() and "SV-LOOP-PRNG-A" in refused.render()


def test_interrupted_failed_unverified_and_serial_less_wipes_are_refused() -> None:
    assert refusal("interrupted").message_key == "erasure.interrupted"
    failed = refusal("failed-verification")
    assert failed.message_key == "erasure.failed" and "32768" in failed.render()
    assert refusal("zero-verify-off").message_key == "erasure.not_verified"
    assert refusal("zero-no-serial").message_key == "erasure.disk_without_serial"


def test_a_report_older_than_the_collection_is_refused_with_both_dates() -> None:
    collected = station_time("zero-verify-last") + timedelta(minutes=5)
    refused = refusal("zero-verify-last", collected=collected)
    assert refused.message_key == "erasure.before_collection"
    assert refused.params["collected"] == collected.strftime("%d/%m/%Y %H:%M:%S")



def test_a_wipe_started_in_the_collections_second_is_not_before_it() -> None:
    """nwipe writes whole seconds; the collection is recorded to the millisecond (a bench that wipes at once)."""
    at = station_time("zero-verify-last")
    assert accept(report("zero-verify-last"), frozenset(), at + timedelta(milliseconds=700), UTC_TZ,
                  at + timedelta(hours=1))
    assert refusal("zero-verify-last", collected=at + timedelta(seconds=1)).message_key == "erasure.before_collection"

def test_the_stations_timezone_places_the_report_in_time() -> None:
    r = report("zero-verify-last")
    at = r.started_at.replace(tzinfo=UTC)
    # A Paris station's clock reads an hour or two ahead of UTC: the same lines happened earlier.
    with pytest.raises(ReportRefused):
        accept(r, frozenset(), at - timedelta(minutes=30), PARIS, at + timedelta(hours=1))
    assert accept(r, frozenset(), at - timedelta(minutes=30), UTC_TZ, at + timedelta(hours=1))


def test_a_report_from_the_future_is_refused() -> None:
    r = report("zero-verify-last")
    with pytest.raises(ReportRefused) as refused:
        accept(r, frozenset(), None, UTC_TZ, r.started_at.replace(tzinfo=UTC) - timedelta(days=1))
    assert refused.value.message_key == "erasure.in_future"


def test_serials_match_as_labels_write_them() -> None:
    assert same_serial("S3Z1-NB0K 123", "s3z1nb0k123") and not same_serial("", "") and not same_serial("A1", "A2")
