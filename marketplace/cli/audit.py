"""`seconde-vie audit verify|digest`: the operator's door to the trail checks (see `audit.py`)."""

from __future__ import annotations

import argparse
import sys
from datetime import date

import asyncpg

from marketplace.audit.service import AuditReport, AuditService
from marketplace.runtime.operator_db import run_on_database
from marketplace.settings import Settings

MAX_LISTED = 100


def print_report(report: AuditReport) -> None:
    print(f"chaînes vérifiées : {report.devices} appareil(s), {report.events} événement(s)")
    for broken in report.broken[:MAX_LISTED]:
        print(f"RUPTURE appareil {broken.code} séquence {broken.sequence} : {broken.reason}", file=sys.stderr)
    if len(report.broken) > MAX_LISTED:
        print(f"... et {len(report.broken) - MAX_LISTED} autre(s) appareil(s) rompu(s)", file=sys.stderr)
    print(f"empreintes journalières vérifiées : {report.digests_checked}")
    for m in report.mismatches:
        print(f"EMPREINTE DIVERGENTE du {m.day.isoformat()} : enregistrée {m.recorded} "
              f"({m.recorded_devices} appareils), recalculée {m.recomputed} ({m.devices} appareils)", file=sys.stderr)
    print("résultat : " + ("intègre" if report.ok else
                            f"{len(report.broken)} chaîne(s) rompue(s), {len(report.mismatches)} empreinte(s) divergente(s)"))


def run_audit(settings: Settings, args: argparse.Namespace) -> int:
    """0 when every chain and digest verifies, 1 otherwise."""
    if args.action == "digest":
        async def digest(pool: asyncpg.Pool) -> int:
            service = AuditService(pool)
            if args.day:
                value, stored = await service.record_digest(date.fromisoformat(args.day))
                print(f"{args.day} {value} " + ("enregistrée" if stored else "déjà enregistrée (inchangée)"))
            else:
                days = await service.record_missing_digests()
                print("empreintes enregistrées : " + (", ".join(d.isoformat() for d in days) or "aucune à ajouter"))
            return 0

        return run_on_database(settings, digest)

    async def verify(pool: asyncpg.Pool) -> int:
        service = AuditService(pool)
        report = await service.verify(args.days)
        if report.ok and args.record:
            # Only a verified trail is anchored: a digest of a broken chain would vouch for the break.
            await service.record_missing_digests()
        print_report(report)
        return 0 if report.ok else 1

    return run_on_database(settings, verify)
