"""`seconde-vie bench reports [--events N]`: the report queries timed over synthetic data loaded with COPY.

A fresh database (dropped afterwards) gets the demo organisations and N events across about N/7 devices,
each walking a plausible lifecycle with real hash chains, then each report runs (unfiltered, and filtered
by a donor, a pays and a one-year period) and the timings are printed. Nothing here asserts a time.
"""

from __future__ import annotations

import hashlib
import os
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg

from marketplace.adapters.pool import create_pool
from marketplace.audit import parallel
from marketplace.audit.service import AuditReport, AuditService
from marketplace.domain.chain import iso_ms
from marketplace.domain.hashchain import GENESIS_HASH, event_hash
from marketplace.reports.model import ReportFilter
from marketplace.reports.service import ReportService
from marketplace.settings import Settings

PATH = ["asset.retired", "asset.offered", "asset.claimed", "asset.collected", "asset.diagnosed", "asset.wiped",
        "asset.refurbished", "asset.reserved", "asset.delivered"]
STATE = {"asset.retired": "retired", "asset.offered": "offered", "asset.claimed": "claimed",
         "asset.collected": "collected", "asset.diagnosed": "diagnosed", "asset.wiped": "wiped",
         "asset.refurbished": "refurbished", "asset.reserved": "reserved", "asset.delivered": "delivered",
         "asset.recycled": "recycled"}
CATEGORIES = ["laptop", "desktop", "monitor", "tablet", "smartphone", "printer", "network"]


def _device(rng: random.Random, donor: asyncpg.Record, claimer: asyncpg.Record, start: datetime,
            serial: int) -> tuple[tuple[Any, ...], list[tuple[Any, ...]], tuple[Any, ...] | None]:
    asset_id = uuid.uuid4()
    depth = rng.choice([1, 2, 3, 5, 7, 8, 9, 9, 9])
    types = PATH[:depth]
    if depth == 5 and rng.random() < 0.5:
        types = [*PATH[:5], "asset.recycled"]
    at = start
    prev, events = GENESIS_HASH, []
    offer_id = str(uuid.uuid4())
    for seq, kind in enumerate(types, 1):
        payload: dict[str, Any] = {}
        if kind == "asset.offered":
            payload = {"round": 1, "offers": [{"offer_id": offer_id, "org": claimer["slug"], "score": 0.8,
                                               "reasons": [], "expires_at": iso_ms(at + timedelta(days=3)),
                                               "eligibility": [{"rule": "cession", "passed": True,
                                                                "detail": "association", "reference": None}]}]}
        elif kind == "asset.claimed":
            payload = {"offer_id": offer_id, "claimer": claimer["slug"], "withdrawn_offers": []}
        elif kind == "asset.delivered":
            payload = {"from": claimer["slug"], "to": "tiers-lieu", "scanned_by": "u", "reservation_id": "r",
                       "beneficiary_category": "students"}
        elif kind == "asset.recycled":
            payload = {"recycler": "deee", "weight_kg": round(rng.uniform(1, 12), 1), "slip_number": "S"}
        body = {"event_id": str(uuid.uuid4()), "type": kind, "schema_version": 1, "occurred_at": iso_ms(at),
                "asset_id": str(asset_id), "sequence": seq, "actor": {"org": donor["slug"], "user": None,
                                                                      "system": None},
                "correlation_id": str(asset_id), "causation_id": None, "payload": payload, "prev_hash": prev}
        digest = event_hash(prev, body)
        # The pool's jsonb codec encodes values: a json.dumps text here would be stored as a JSON string.
        events.append((asset_id, seq, uuid.UUID(str(body["event_id"])), kind, 1, at, body["actor"], asset_id,
                       None, payload, prev, digest))
        prev = digest
        at += timedelta(hours=rng.uniform(2, 200))
        # Stored times must re-serialise to what was hashed: milliseconds, as `now_ms` gives the services.
        at = at.replace(microsecond=at.microsecond // 1000 * 1000)
    at -= timedelta(hours=1)
    code = hashlib.sha1(asset_id.bytes).hexdigest()[:12].upper()
    asset = (asset_id, code, donor["id"], f"b-{serial}", rng.choice(CATEGORIES), "Dell", "Latitude", f"S{serial}",
             rng.randint(2012, 2024), "working", False, donor["pays_code"], STATE[types[-1]], len(types), prev,
             start, at, None if types[-1] in ("asset.retired", "asset.offered") else claimer["id"])
    offer: tuple[Any, ...] | None = None
    if depth >= 2:
        status = "claimed" if depth >= 3 else rng.choice(["open", "expired"])
        offer = (uuid.UUID(offer_id), asset_id, claimer["id"], 1, 0.8, [], status, start,
                 start + timedelta(days=3), None if status == "open" else start + timedelta(days=1))
    return asset, events, offer


async def load(pool: asyncpg.Pool, target_events: int, seed: int = 7) -> tuple[int, int]:
    rng = random.Random(seed)
    async with pool.acquire() as conn:
        donors = await conn.fetch("SELECT id, slug, pays_code FROM organisations WHERE kind IN ('lycee', 'region')")
        claimers = await conn.fetch("SELECT id, slug FROM organisations WHERE kind = 'association'")
    base = datetime(2023, 1, 1, tzinfo=UTC)
    devices = events = 0
    while events < target_events:
        assets, rows, offers = [], [], []
        for _ in range(5000):
            start = base + timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
            asset, evs, offer = _device(rng, rng.choice(donors), rng.choice(claimers), start, devices)
            assets.append(asset)
            rows.extend(evs)
            if offer:
                offers.append(offer)
            devices += 1
            events += len(evs)
            if events >= target_events:
                break
        async with pool.acquire() as conn, conn.transaction():
            await conn.copy_records_to_table("assets", records=assets, columns=[
                "id", "code", "donor_org_id", "request_id", "category", "brand", "model", "serial", "year",
                "condition", "has_storage", "pays_code", "state", "version", "last_hash", "retired_at", "updated_at",
                "custodian_org_id"])
            await conn.copy_records_to_table("asset_events", records=rows, columns=[
                "asset_id", "sequence", "event_id", "type", "schema_version", "occurred_at", "actor",
                "correlation_id", "causation_id", "payload", "prev_hash", "hash"])
            await conn.copy_records_to_table("offers", records=offers, columns=[
                "id", "asset_id", "org_id", "round", "score", "reasons", "status", "created_at", "expires_at",
                "closed_at"])
    async with pool.acquire() as conn:
        # What autovacuum does after a bulk load: statistics, and the visibility map index-only scans need.
        await conn.execute("VACUUM (ANALYZE)")
    return devices, events


async def _timed(fn: Callable[[], Awaitable[Any]]) -> float:
    began = time.perf_counter()
    await fn()
    return time.perf_counter() - began


async def run_bench(dsn: str, settings: Settings, target_events: int) -> list[tuple[str, float | str]]:
    from marketplace.demo.loader import load_demo_data
    from marketplace.runtime.database_setup import prepare_database
    from marketplace.services import Marketplace

    await prepare_database(dsn, demo=False)
    pool = await create_pool(dsn, 3)
    try:
        await load_demo_data(pool, devices=0)
        began = time.perf_counter()
        devices, events = await load(pool, target_events)
        results: list[tuple[str, float | str]] = [
            (f"load {devices} devices / {events} events (COPY)", time.perf_counter() - began)]
        async with pool.acquire() as conn:
            donor = await conn.fetchval("SELECT slug FROM organisations WHERE kind = 'lycee' ORDER BY slug LIMIT 1")
        service = ReportService(Marketplace(pool, settings))
        filters = {"all": ReportFilter(), f"donor {donor}": ReportFilter(donor=donor), "pays BREST": ReportFilter(
            pays="BREST"), "2024": ReportFilter(date(2024, 1, 1), date(2024, 12, 31))}
        for name in ("flows", "compliance", "impact"):
            for label, f in filters.items():
                began = time.perf_counter()
                await service.build(name, f)
                results.append((f"{name} [{label}]", time.perf_counter() - began))
        results.append(("audit heads digest (one day)",
                        await _timed(lambda: AuditService(pool).heads_digest(datetime.now(UTC)))))
    finally:
        await pool.close()
    results += await verify_rates(dsn)
    return results


def _process_cpu(pid: int) -> float | None:
    """User + system CPU seconds of a process of this machine (a PostgreSQL backend), None if unreadable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _walk(dsn: str, full: bool) -> tuple[AuditReport, float, float, float | None]:
    """One walk on one connection: its report, seconds, the bench's CPU and its PostgreSQL backend's CPU."""
    pool = await create_pool(dsn, 1)
    try:
        async with pool.acquire() as conn:
            backend = int(await conn.fetchval("SELECT pg_backend_pid()"))
        server, cpu, began = _process_cpu(backend), time.process_time(), time.perf_counter()
        report = AuditReport()
        await AuditService(pool).verify_chains(report, full=full)
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        after = _process_cpu(backend)
        return report, seconds, cpu, None if server is None or after is None else after - server
    finally:
        await pool.close()


async def verify_rates(dsn: str) -> list[tuple[str, float | str]]:
    """`audit verify` over the loaded chains: the full walk (which records each head), the walk from those
    heads, and the full walk in two processes; with the rate and CPU per 1,000 events."""
    rows: list[tuple[str, float | str]] = []
    for label, full in (("audit verify --full", True), ("audit verify (from the verified heads)", False)):
        report, seconds, cpu, server = await _walk(dsn, full)
        per_k = f"CPU {cpu * 1e6 / max(report.events, 1):.2f} ms" + (
            "" if server is None else f" + PostgreSQL {server * 1e6 / max(report.events, 1):.2f} ms")
        walked = f"{label}: {report.devices:,} devices, {report.events:,} events, {len(report.broken):,} broken"
        rows.append((walked, seconds))
        if report.events:
            rows.append((f"  {report.events / seconds:,.0f} events/s, {per_k} per 1,000 events", ""))
    pool = await create_pool(dsn, 1)
    try:
        began = time.perf_counter()
        report = await parallel.verify(AuditService(pool), last_days=None, full=True, jobs=2)
        seconds = time.perf_counter() - began
    finally:
        await pool.close()
    rows.append((f"audit verify --full --jobs 2: {report.events:,} events, {len(report.broken):,} broken", seconds))
    rows.append((f"  {report.events / seconds:,.0f} events/s", ""))
    return rows


def print_table(results: list[tuple[str, float | str]]) -> None:
    width = max(len(name) for name, _ in results)
    print(f"{'step'.ljust(width)}  seconds")
    for name, seconds in results:
        print(f"{name.ljust(width)}  {seconds:8.3f}" if isinstance(seconds, float) else name)


def bench_reports(settings: Settings, target_events: int) -> int:
    """Run in a fresh database (embedded under DATA_DIR unless DATABASE_URL is set), dropped afterwards."""
    import asyncio

    name = f"sv_bench_{uuid.uuid4().hex[:8]}"
    if settings.database_url:
        async def create() -> str:
            conn = await asyncpg.connect(settings.database_url)
            try:
                await conn.execute(f'CREATE DATABASE "{name}"')
            finally:
                await conn.close()
            return settings.database_url.rsplit("/", 1)[0] + "/" + name  # type: ignore[union-attr]

        dsn = asyncio.run(create())
        try:
            print_table(asyncio.run(run_bench(dsn, settings, target_events)))
        finally:
            async def drop() -> None:
                conn = await asyncpg.connect(settings.database_url)
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                await conn.close()
            asyncio.run(drop())
        return 0
    from marketplace.runtime.embedded import EmbeddedPostgres

    pg = EmbeddedPostgres(settings.data_dir)
    pg.start()
    try:
        dsn = pg.create_database(name)
        print_table(asyncio.run(run_bench(dsn, settings, target_events)))
        pg.drop_database(name)
    finally:
        pg.stop()
    return 0
