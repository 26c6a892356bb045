"""`audit verify` walks each chain from the head it last verified (the daily run), or every chain with `--full`,
in one process or several: tampering done directly in PostgreSQL is caught where each walk says it looks."""

from __future__ import annotations

import itertools

import asyncpg
import pytest

from marketplace.audit import parallel
from marketplace.audit.parallel import id_ranges
from marketplace.audit.service import AuditService
from marketplace.domain.codes import format_code
from marketplace.domain.hashchain import event_hash
from tests.integration.journeys import Journeys
from tests.integration.stack import Stack


async def _id(conn: asyncpg.Connection, code: str) -> str:
    return str(await conn.fetchval("SELECT id FROM assets WHERE code = $1", code.replace("-", "")))


def _code(code: str) -> str:
    return format_code(code.replace("-", ""))


async def _tamper(stack: Stack, code: str, sequence: int) -> None:
    async with stack.pool.acquire() as conn:
        await conn.execute("UPDATE asset_events SET payload = payload || '{\"tampered\": true}' "
                           "WHERE asset_id = $1 AND sequence = $2", await _id(conn, code), sequence)


class TestIncrementalWalk:
    async def test_a_second_run_walks_only_what_moved_and_records_each_sound_head(self, stack: Stack) -> None:
        journeys = Journeys(stack)
        moving = await journeys.device_in("retired")
        still = await journeys.device_in("claimed")
        service = AuditService(stack.pool)
        first = await service.verify(full=False)
        assert first.ok and first.devices == 2 and first.unchanged == 0
        async with stack.pool.acquire() as conn:
            heads = {r["code"]: (r["sequence"], r["hash"]) for r in await conn.fetch(
                "SELECT a.code, h.sequence, h.hash FROM audit_verified_heads h JOIN assets a ON a.id = h.asset_id")}
            recorded = {r["code"]: (r["version"], r["last_hash"]) for r in await conn.fetch(
                "SELECT code, version, last_hash FROM assets")}
        assert heads == recorded

        await journeys.route(moving)  # appends asset.offered (sequence 2) to one chain
        second = await service.verify(full=False)
        assert second.ok and (second.devices, second.events, second.unchanged) == (1, 1, 1)
        assert (await service.verify(full=False)).devices == 0
        assert still  # untouched, counted as unchanged above

    async def test_a_tampered_event_after_the_verified_head_is_caught(self, stack: Stack) -> None:
        journeys = Journeys(stack)
        code = await journeys.device_in("retired")
        service = AuditService(stack.pool)
        assert (await service.verify(full=False)).ok
        await journeys.route(code)
        await _tamper(stack, code, 2)
        report = await service.verify(full=False)
        assert [(b.code, b.sequence) for b in report.broken] == [(_code(code), 2)]
        # A broken chain keeps its old head: the next run reports it again.
        assert [(b.code, b.sequence) for b in (await service.verify(full=False)).broken] == [(_code(code), 2)]

    async def test_a_tampered_event_in_the_verified_part_is_left_to_the_full_walk(self, stack: Stack) -> None:
        code = await Journeys(stack).device_in("claimed")
        service = AuditService(stack.pool)
        assert (await service.verify(full=False)).ok
        await _tamper(stack, code, 2)
        assert (await service.verify(full=False)).ok  # the daily walk trusts what it verified...
        full = await service.verify(full=True)  # ...the full walk trusts nothing
        assert [(b.code, b.sequence) for b in full.broken] == [(_code(code), 2)]

    async def test_a_chain_rewritten_with_fresh_hashes_no_longer_reaches_its_verified_head(self, stack: Stack) -> None:
        code = await Journeys(stack).device_in("claimed")
        service = AuditService(stack.pool)
        assert (await service.verify(full=False)).ok
        async with stack.pool.acquire() as conn:
            asset = await _id(conn, code)
            rows = await conn.fetch("SELECT * FROM asset_events WHERE asset_id = $1 ORDER BY sequence", asset)
            from marketplace.adapters.views import event_wire

            prev = rows[0]["hash"]
            for row in rows[1:]:
                wire = event_wire(row)
                wire["payload"] = dict(wire["payload"], rewritten=True)
                wire["prev_hash"] = prev
                wire.pop("hash")
                prev = event_hash(prev, wire)
                await conn.execute("UPDATE asset_events SET payload = $3, prev_hash = $4, hash = $5 "
                                   "WHERE asset_id = $1 AND sequence = $2", asset, row["sequence"], wire["payload"],
                                   wire["prev_hash"], prev)
            await conn.execute("UPDATE assets SET last_hash = $2 WHERE id = $1", asset, prev)
            last = rows[-1]["sequence"]
        # Every link verifies again, but the head verified before is gone: both walks say so, run after run.
        for full in (True, False, True):
            report = await service.verify(full=full)
            assert [(b.code, b.sequence) for b in report.broken] == [(_code(code), last)]
            assert "no longer the one verified" in report.broken[0].reason


class TestStoredEventsAsTheyWere:
    async def test_an_actor_with_another_member_is_hashed_as_stored(self, stack: Stack) -> None:
        """The fast path assembles actors of org, user and system; any other event is checked as stored."""
        code = await Journeys(stack).device_in("retired")
        async with stack.pool.acquire() as conn:
            asset = await _id(conn, code)
            from marketplace.adapters.views import event_wire

            wire = event_wire(await conn.fetchrow("SELECT * FROM asset_events WHERE asset_id = $1", asset))
            wire["actor"] = dict(wire["actor"], via="import")
            wire.pop("hash")
            fresh = event_hash(wire["prev_hash"], wire)
            await conn.execute("UPDATE asset_events SET actor = $2, hash = $3 WHERE asset_id = $1", asset,
                               wire["actor"], fresh)
            await conn.execute("UPDATE assets SET last_hash = $2 WHERE id = $1", asset, fresh)
        assert (await AuditService(stack.pool).verify(full=True)).ok
        await _tamper(stack, code, 1)
        assert [b.sequence for b in (await AuditService(stack.pool).verify(full=True)).broken] == [1]


class TestParallelWalk:
    def test_the_ranges_cover_every_id_once(self) -> None:
        ranges = id_ranges(3)
        assert ranges[0][0] == "00000000-0000-0000-0000-000000000000"
        assert ranges[-1][1] == "ffffffff-ffff-ffff-ffff-ffffffffffff"
        assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))

    async def test_two_processes_report_what_one_does(self, stack: Stack) -> None:
        journeys = Journeys(stack)
        codes = [await journeys.device_in("claimed") for _ in range(4)]
        await _tamper(stack, codes[1], 3)
        await _tamper(stack, codes[3], 2)
        service = AuditService(stack.pool)
        one = await parallel.verify(service, full=True, jobs=1)
        two = await parallel.verify(service, full=True, jobs=2)
        assert [(b.code, b.sequence) for b in two.broken] == [(b.code, b.sequence) for b in one.broken]
        assert sorted((b.code, b.sequence) for b in one.broken) == sorted([(_code(codes[1]), 3), (_code(codes[3]), 2)])
        assert (two.devices, two.events) == (one.devices, one.events) == (4, one.events)


class TestCommand:
    async def test_the_daily_command_says_what_it_left_unchanged_and_full_finds_an_old_tampering(
            self, stack: Stack, capsys: pytest.CaptureFixture[str]) -> None:
        import argparse
        import asyncio

        from marketplace.cli.audit import run_audit

        code = await Journeys(stack).device_in("claimed")

        def run(full: bool, jobs: int = 1) -> int:
            args = argparse.Namespace(action="verify", day=None, days=None, record=False, full=full, jobs=jobs)
            return run_audit(stack.settings, args)

        assert await asyncio.to_thread(run, False) == 0
        assert await asyncio.to_thread(run, False) == 0
        assert "chaînes inchangées depuis leur dernière vérification : 1 appareil(s)" in capsys.readouterr().out
        await _tamper(stack, code, 2)
        assert await asyncio.to_thread(run, False) == 0
        assert await asyncio.to_thread(run, True, 2) == 1
        assert f"RUPTURE appareil {_code(code)} séquence 2" in capsys.readouterr().err
