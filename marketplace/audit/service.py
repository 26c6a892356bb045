"""Verifying the trail: every device's hash chain, and the daily digests of all chain heads.

Operators run it as `seconde-vie audit verify` (trusted like any holder of DATABASE_URL). It walks the
devices by keyset pages of their primary key, so memory stays flat however many devices there are, and
checks each chain against the device's read row too: deleting the *last* event leaves a chain that
verifies link by link, but it no longer reaches the version and hash the read row recorded.

Each sound chain's head is recorded (`audit_verified_heads`); the incremental walk verifies each chain from
there and skips the devices whose read row has not moved since, the full walk (`full=True`) trusts none of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import groupby
from typing import Any

import asyncpg

from marketplace.adapters import audit_queries as q
from marketplace.adapters.views import event_wire
from marketplace.domain.codes import format_code
from marketplace.domain.digest import HeadsDigest
from marketplace.domain.hashchain import GENESIS_HASH, ChainBreak, StoredRow, verify_chain, verify_rows

PAGE = 2000
HASH_MISMATCH = "hash does not match the event's content"


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
    unchanged: int = 0  # devices the incremental walk skipped: their read row is where it was last verified
    full: bool = True

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


def _rows_by_asset(rows: list[asyncpg.Record]) -> dict[str, list[StoredRow]]:
    return {asset_id: list(group) for asset_id, group in groupby(rows, key=lambda r: r[0])}


LOST_HEAD = "the event at the last verified head is no longer the one verified"


def kept_verified_head(device: asyncpg.Record, hashes: list[str]) -> ChainBreak | None:
    """After a sound full walk of the chain whose hashes (sequence 1 first) are `hashes`: the head verified
    before is still in it (a chain rewritten with fresh hashes verifies link by link, but loses that head)."""
    verified = device["verified_sequence"]
    if verified is not None and (len(hashes) < verified or hashes[verified - 1] != device["verified_hash"]):
        return ChainBreak(verified, LOST_HEAD)
    return None


def check_rows(device: asyncpg.Record, rows: list[StoredRow], head: tuple[int, str] | None) -> ChainBreak | None:
    """The first broken link of one device's stored rows, from `head` (the sequence and hash it was last
    verified at, its row first in `rows`) or from the start, then against its read row."""
    prev, sequence, walk = GENESIS_HASH, 1, rows
    if head is not None:
        if not rows or rows[0][1] != head[0] or rows[0][13] != head[1]:
            return ChainBreak(head[0], LOST_HEAD)
        prev, sequence, walk = head[1], head[0] + 1, rows[1:]
    if (found := verify_rows(walk, prev, sequence)) is not None:
        return found
    last_sequence, last_hash = (rows[-1][1], rows[-1][13]) if rows else (0, None)
    if last_sequence < device["version"]:
        return ChainBreak(last_sequence + 1, f"missing event: the device record is at sequence {device['version']}")
    if last_sequence > device["version"] or last_hash != device["last_hash"]:
        return ChainBreak(last_sequence, "the chain head does not match the device record")
    return kept_verified_head(device, [r[13] for r in rows]) if head is None else None


class AuditService:
    def __init__(self, pool: asyncpg.Pool, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.pool = pool
        self.clock = clock

    async def verify_chains(self, report: AuditReport, page: int = PAGE, full: bool = True,
                            after: str = q.ZERO_UUID, until: str = q.LAST_UUID) -> None:
        """Every chain (`full`), or each from the head it was last verified at; records the sound heads.
        `after` and `until` bound the device ids walked (exclusive, inclusive): one job's share."""
        report.full = full
        async with self.pool.acquire() as conn:
            if not full:
                report.unchanged += await q.unchanged_devices(conn, after, until)
            while True:
                # One snapshot per page: a device's read row and its events as of the same moment.
                async with conn.transaction(isolation="repeatable_read", readonly=True):
                    if full:
                        devices = await q.devices_page(conn, after, page, until)
                        heads: dict[str, tuple[int, str]] = {}
                        rows = await q.rows_in_range(conn, after, devices[-1]["id"]) if devices else []
                    else:
                        devices = await q.changed_devices_page(conn, after, page, until)
                        heads = {d["id"]: (d["verified_sequence"], d["verified_hash"]) for d in devices
                                 if d["verified_sequence"] is not None}
                        rows = await q.rows_from_heads(conn, [d["id"] for d in devices],
                                                       [heads.get(d["id"], (1, ""))[0] for d in devices])
                if not devices:
                    return
                after = devices[-1]["id"]
                await q.record_heads(conn, await self._check_page(conn, report, devices, rows, heads))

    async def _check_page(self, conn: asyncpg.Connection, report: AuditReport, devices: list[asyncpg.Record],
                          rows: list[asyncpg.Record], heads: dict[str, tuple[int, str]]) -> list[tuple[str, int, str]]:
        """Check one page's devices; the heads of the sound chains, to record."""
        by_asset, sound = _rows_by_asset(rows), []
        for device in devices:
            device_rows = by_asset.get(device["id"], [])
            head = heads.get(device["id"])
            report.devices += 1
            report.events += len(device_rows) - (1 if head is not None and device_rows else 0)
            found = check_rows(device, device_rows, head)
            if found is not None and found.reason == HASH_MISMATCH:
                # The fast path assembles the body from known members: hash the event exactly as stored.
                wires = [event_wire(r) for r in await q.events_of_devices(conn, [device["id"]])]
                found = check_device(device, wires) or kept_verified_head(device, [w["hash"] for w in wires])
            if found is None:
                sound.append((device["id"], device["version"], device["last_hash"]))
            else:
                report.broken.append(BrokenChain(format_code(device["code"]), device["id"], found.sequence,
                                                 found.reason))
        return sound

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

    async def verify(self, last_days: int | None = None, full: bool = True) -> AuditReport:
        """Chains then digests, in this process (`audit.parallel.verify` splits the chains between processes)."""
        report = AuditReport()
        await self.verify_chains(report, full=full)
        await self.verify_digests(report, last_days)
        return report
