"""`seconde-vie audit verify|digest`: the operator's door to the trail checks (see `audit.py`)."""

from __future__ import annotations

import argparse
import sys
from datetime import date

import asyncpg

from marketplace.audit import parallel
from marketplace.audit.service import AuditReport, AuditService
from marketplace.cli.words import say
from marketplace.runtime.operator_db import run_on_database
from marketplace.settings import Settings

MAX_LISTED = 100


def print_report(report: AuditReport) -> None:
    print(say("cli.audit.checked", devices=report.devices, events=report.events))
    if not report.full:
        print(say("cli.audit.unchanged", devices=report.unchanged))
    for broken in report.broken[:MAX_LISTED]:
        print(say("cli.audit.broken", code=broken.code, sequence=broken.sequence, reason=broken.reason),
              file=sys.stderr)
    if len(report.broken) > MAX_LISTED:
        print(say("cli.audit.more_broken", count=len(report.broken) - MAX_LISTED), file=sys.stderr)
    print(say("cli.audit.digests_checked", count=report.digests_checked))
    for m in report.mismatches:
        print(say("cli.audit.mismatch", day=m.day.isoformat(), recorded=m.recorded, recorded_devices=m.recorded_devices,
                  recomputed=m.recomputed, devices=m.devices), file=sys.stderr)
    print(say("cli.audit.result_ok") if report.ok else
          say("cli.audit.result_broken", chains=len(report.broken), digests=len(report.mismatches)))


def run_audit(settings: Settings, args: argparse.Namespace) -> int:
    """0 when every chain and digest verifies, 1 otherwise."""
    if args.action == "digest":
        async def digest(pool: asyncpg.Pool) -> int:
            service = AuditService(pool)
            if args.day:
                value, stored = await service.record_digest(date.fromisoformat(args.day))
                print(say("cli.audit.day_recorded" if stored else "cli.audit.day_kept", day=args.day, digest=value))
            else:
                days = await service.record_missing_digests()
                print(say("cli.audit.recorded", days=", ".join(d.isoformat() for d in days)) if days
                      else say("cli.audit.recorded_none"))
            return 0

        return run_on_database(settings, digest)

    async def verify(pool: asyncpg.Pool) -> int:
        service = AuditService(pool)
        # From each chain's last verified head (the daily run), or every chain from its first event (--full).
        report = await parallel.verify(service, args.days, full=getattr(args, "full", True),
                                       jobs=getattr(args, "jobs", 1) or 1)
        if report.ok and args.record:
            # Only a verified trail is anchored: a digest of a broken chain would vouch for the break.
            await service.record_missing_digests()
        print_report(report)
        return 0 if report.ok else 1

    return run_on_database(settings, verify)
