"""When an nwipe report may certify a device's wipe, and the certificate fields it fills. Pure.

Refused, with the reason: a wipe that nwipe did not finish (interrupted, aborted, the log cut short), a
failed one (any pass, verification or sync error), one nwipe did not verify, a disk without a serial
number, a disk that is not one of the device's known media, a report older than the device's collection
(or later than now). The device's known media are what its record knows (`known` serials); when it knows
none yet, the report's disks are taken as they are and the certificate says so (`media_checked` false).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from marketplace.domain.errors import DomainError
from marketplace.domain.nwipe_report import NwipeReport
from marketplace.domain.permissions import ActorFacts
from marketplace.domain.visibility import READ_ALL_ROLES

CLOCK_SLACK = timedelta(minutes=10)  # a station's clock a little ahead of the server's


class ReportRefused(DomainError):
    message_key = "erasure.refused"


def same_serial(a: str, b: str) -> bool:
    """Serials compared as firmware and labels write them: case, spaces and dashes aside."""
    def norm(s: str) -> str:
        return "".join(c for c in s.upper() if c.isalnum())
    return bool(norm(a)) and norm(a) == norm(b)


@dataclass(frozen=True)
class Accepted:
    report: NwipeReport
    started_at: datetime  # aware, in UTC
    ended_at: datetime
    media_checked: bool


def accept(report: NwipeReport, known: frozenset[str], collected_at: datetime | None, station_tz: ZoneInfo,
           now: datetime) -> Accepted:
    """The report as evidence for this device, or `ReportRefused` naming the first reason."""
    for disk in report.disks:
        if disk.result == "failed":
            raise ReportRefused("erasure.failed", device=disk.device, serial=disk.serial or "?",
                                status=disk.status, pass_errors=disk.pass_errors, verify_errors=disk.verify_errors,
                                sync_errors=disk.sync_errors)
    if report.outcome in ("aborted", "unfinished") or any(d.result == "interrupted" for d in report.disks):
        disk = next((d for d in report.disks if d.result != "erased"), report.disks[0])
        raise ReportRefused("erasure.interrupted", device=disk.device, serial=disk.serial or "?", status=disk.status)
    if report.outcome != "completed":
        raise ReportRefused("erasure.failed", device=report.disks[0].device, serial=report.disks[0].serial or "?",
                            status=report.outcome, pass_errors=0, verify_errors=0, sync_errors=0)
    if report.verification == "off":
        raise ReportRefused("erasure.not_verified")
    for disk in report.disks:
        if disk.serial is None:
            raise ReportRefused("erasure.disk_without_serial", device=disk.device, model=disk.model)
        if known and not any(same_serial(disk.serial, k) for k in known):
            raise ReportRefused("erasure.unknown_disk", model=disk.model, serial=disk.serial,
                                known=", ".join(sorted(known)))
    started = report.started_at.replace(tzinfo=station_tz).astimezone(ZoneInfo("UTC"))
    ended = report.ended_at.replace(tzinfo=station_tz).astimezone(ZoneInfo("UTC"))
    # nwipe writes whole seconds: a wipe started in the collection's second is not before it.
    if collected_at is not None and started < collected_at.replace(microsecond=0):
        raise ReportRefused("erasure.before_collection", started=_shown(started, station_tz),
                            collected=_shown(collected_at, station_tz))
    if ended > now + CLOCK_SLACK:
        raise ReportRefused("erasure.in_future", ended=_shown(ended, station_tz))
    return Accepted(report, started, ended, media_checked=bool(known))


def _shown(at: datetime, tz: ZoneInfo) -> str:
    return at.astimezone(tz).strftime("%d/%m/%Y %H:%M:%S")


def make_of(model: str) -> str:
    """nwipe names a disk's model, not its maker: the model's first word stands for it (Samsung, WDC, ST…)."""
    return model.split()[0] if model.split() else model


def certificate_fields(accepted: Accepted, technique: str, station_tz: ZoneInfo) -> dict[str, Any]:
    """What the report fills in a `WipeCertificate` (the person adds operator, signature, destination)."""
    report = accepted.report
    return {
        "method": "Clear",  # an overwrite is NIST SP 800-88's Clear
        "technique": technique[:200],
        "tool": "nwipe",
        "tool_version": report.tool_version or "?",
        "verification": "full",  # nwipe reads the whole disk back
        "sanitised_on": accepted.ended_at.astimezone(station_tz).date(),
        "started_at": accepted.started_at,
        "ended_at": accepted.ended_at,
        "passes": report.passes,
        "media": [{"make": make_of(d.model)[:100], "model": d.model[:100], "serial": (d.serial or "")[:100],
                   "result": d.result} for d in report.disks],
    }


def may_read(actor: ActorFacts, donor: str, custodian: str | None, uploaders: frozenset[str]) -> bool:
    """Erasure reports name disk serials: the device's donor, its custodian, who uploaded one, auditors, admins."""
    if actor.is_admin or actor.role in READ_ALL_ROLES:
        return True
    return actor.org in {donor, custodian} or actor.org in uploaders
