"""Verifying the trail: every device's hash chain, and the daily digests of all chain heads.

Operators run it as `seconde-vie audit verify` (trusted like any holder of DATABASE_URL). It walks the
devices by keyset pages of their primary key, so memory stays flat however many devices there are, and
checks each chain against the device's read row too: deleting the *last* event leaves a chain that
verifies link by link, but it no longer reaches the version and hash the read row recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import groupby
from typing import Any

import asyncpg

from marketplace.adapters import audit_queries as q
from marketplace.adapters.views import event_wire
from marketplace.domain.codes import format_code
from marketplace.domain.digest import HeadsDigest
from marketplace.domain.hashchain import ChainBreak, verify_chain

PAGE = 1000


@dataclass(frozen=True)
class BrokenChain:
    code: str  # formatted device code, XXXX-XXXX-XXXX
    asset_id: str
    sequence: int
    reason: str


@dataclass(frozen=True)
class DigestMismatch:
    day: date
    recorded: str
    recomputed: str
    recorded_devices: int
    devices: int


@dataclass
class AuditReport:
    devices: int = 0
    events: int = 0
    broken: list[BrokenChain] = field(default_factory=list)
    digests_checked: int = 0
    mismatches: list[DigestMismatch] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.broken and not self.mismatches


def end_of_day(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


def check_device(device: asyncpg.Record, wires: list[dict[str, Any]]) -> ChainBreak | None:
    """The first broken link of one device, its read row's head included."""
    found = verify_chain(wires)
    if found is not None:
        return found
    last_sequence: int = wires[-1]["sequence"] if wires else 0
    last_hash = wires[-1]["hash"] if wires else None
    if last_sequence < device["version"]:
        return ChainBreak(last_sequence + 1, f"missing event: the device record is at sequence {device['version']}")
    if last_sequence > device["version"] or last_hash != device["last_hash"]:
        return ChainBreak(last_sequence, "the chain head does not match the device record")
    return None


def _by_asset(rows: list[asyncpg.Record]) -> Iterator[tuple[str, list[asyncpg.Record]]]:
    for asset_id, group in groupby(rows, key=lambda r: str(r["asset_id"])):
        yield asset_id, list(group)


class AuditService:
    def __init__(self, pool: asyncpg.Pool, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.pool = pool
        self.clock = clock

    async def verify_chains(self, report: AuditReport, page: int = PAGE) -> None:
        after = q.ZERO_UUID
        async with self.pool.acquire() as conn:
            while devices := await q.devices_page(conn, after, page):
                after = str(devices[-1]["id"])
                events = dict(_by_asset(await q.events_of_devices(conn, [str(d["id"]) for d in devices])))
                for device in devices:
                    wires = [event_wire(r) for r in events.get(str(device["id"]), [])]
                    report.devices += 1
                    report.events += len(wires)
                    if (found := check_device(device, wires)) is not None:
                        report.broken.append(BrokenChain(format_code(device["code"]), str(device["id"]),
                                                         found.sequence, found.reason))

    async def heads_digest(self, cutoff: datetime) -> HeadsDigest:
        """The digest of every chain head as of `cutoff`, streamed through a cursor."""
        digest = HeadsDigest()
        async with self.pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
            async for row in q.heads_before(conn, cutoff):
                digest.add(row["asset_id"], row["sequence"], row["hash"])
        return digest

    async def record_digest(self, day: date) -> tuple[str, bool]:
        """Compute and store the digest of `day` (UTC); never overwrites one already recorded."""
        if day >= self.clock().date():
            raise ValueError("only a day that has ended can be digested")
        digest = await self.heads_digest(end_of_day(day))
        async with self.pool.acquire() as conn:
            stored = await q.insert_digest(conn, day, digest.hexdigest(), digest.devices, digest.events)
        return digest.hexdigest(), stored

    async def record_missing_digests(self) -> list[date]:
        """Record every ended day since the first event that has no digest yet (a daily job catches up)."""
        async with self.pool.acquire() as conn:
            first = await q.first_event_at(conn)
            done = {r["day"] for r in await q.digests(conn)}
        if first is None:
            return []
        day, yesterday, recorded = first.astimezone(UTC).date(), self.clock().date() - timedelta(days=1), []
        while day <= yesterday:
            if day not in done and (await self.record_digest(day))[1]:
                recorded.append(day)
            day += timedelta(days=1)
        return recorded

    async def verify_digests(self, report: AuditReport, last_days: int | None = None) -> None:
        """Recompute recorded digests (each is one pass over the events: `last_days` bounds the work)."""
        async with self.pool.acquire() as conn:
            stored = await q.digests(conn)
        for row in stored[-last_days:] if last_days else stored:
            digest = await self.heads_digest(end_of_day(row["day"]))
            report.digests_checked += 1
            if digest.hexdigest() != row["digest"]:
                report.mismatches.append(DigestMismatch(row["day"], row["digest"], digest.hexdigest(),
                                                        row["devices"], digest.devices))

    async def verify(self, last_days: int | None = None) -> AuditReport:
        report = AuditReport()
        await self.verify_chains(report)
        await self.verify_digests(report, last_days)
        return report
