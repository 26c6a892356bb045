"""`seconde-vie audit verify`: tampering done directly in SQL is caught, with the device and the sequence."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta

import asyncpg

from marketplace.adapters.views import event_wire
from marketplace.audit.service import AuditService, end_of_day
from marketplace.cli.audit import run_audit
from marketplace.domain.codes import format_code
from marketplace.domain.hashchain import event_hash
from tests.integration.journeys import Journeys
from tests.integration.stack import Stack


async def _devices(stack: Stack) -> tuple[str, str]:
    journeys = Journeys(stack)
    victim = await journeys.device_in("refurbished")  # 6 events: retired .. refurbished
    other = await journeys.device_in("claimed")
    return victim, other


async def _id(conn: asyncpg.Connection, code: str) -> str:
    return str(await conn.fetchval("SELECT id FROM assets WHERE code = $1", code.replace("-", "")))


async def _broken(stack: Stack) -> list[tuple[str, int]]:
    report = await AuditService(stack.pool).verify()
    return [(b.code, b.sequence) for b in report.broken]


class TestChainVerification:
    async def test_an_untouched_trail_verifies(self, stack: Stack) -> None:
        await _devices(stack)
        report = await AuditService(stack.pool).verify()
        assert report.ok and report.devices == 2 and report.events >= 9

    async def test_an_altered_payload_is_caught_at_its_sequence(self, stack: Stack) -> None:
        victim, _ = await _devices(stack)
        async with stack.pool.acquire() as conn:
            await conn.execute(
                "UPDATE asset_events SET payload = jsonb_set(payload, '{grade}', '\"A\"') "
                "WHERE asset_id = $1 AND type = 'asset.refurbished'", await _id(conn, victim))
            seq = await conn.fetchval("SELECT sequence FROM asset_events WHERE asset_id = $1 "
                                      "AND type = 'asset.refurbished'", await _id(conn, victim))
        assert await _broken(stack) == [(format_code(victim.replace("-", "")), seq)]

    async def test_a_deleted_event_is_caught_in_the_middle_and_at_the_end(self, stack: Stack) -> None:
        victim, other = await _devices(stack)
        async with stack.pool.acquire() as conn:
            await conn.execute("DELETE FROM asset_events WHERE asset_id = $1 AND sequence = 3", await _id(conn, victim))
            last = await conn.fetchval("SELECT max(sequence) FROM asset_events WHERE asset_id = $1",
                                       await _id(conn, other))
            await conn.execute("DELETE FROM asset_events WHERE asset_id = $1 AND sequence = $2",
                               await _id(conn, other), last)
        assert sorted(await _broken(stack)) == sorted([(format_code(victim.replace("-", "")), 3),
                                                       (format_code(other.replace("-", "")), last)])

    async def test_swapped_sequences_are_caught(self, stack: Stack) -> None:
        victim, _ = await _devices(stack)
        async with stack.pool.acquire() as conn:
            asset = await _id(conn, victim)
            async with conn.transaction():
                await conn.execute("UPDATE asset_events SET sequence = 1000 WHERE asset_id = $1 AND sequence = 4", asset)
                await conn.execute("UPDATE asset_events SET sequence = 4 WHERE asset_id = $1 AND sequence = 5", asset)
                await conn.execute("UPDATE asset_events SET sequence = 5 WHERE asset_id = $1 AND sequence = 1000", asset)
        assert await _broken(stack) == [(format_code(victim.replace("-", "")), 4)]

    async def test_the_command_exits_non_zero_and_names_the_device(self, stack: Stack, capsys: object) -> None:
        victim, _ = await _devices(stack)
        async with stack.pool.acquire() as conn:
            await conn.execute("UPDATE asset_events SET payload = '{}' WHERE asset_id = $1 AND sequence = 2",
                               await _id(conn, victim))
        args = argparse.Namespace(action="verify", day=None, days=None, record=False)
        settings = stack.settings
        # The command opens its own pool and event loop: run it off this test's loop.
        import asyncio

        code = await asyncio.to_thread(run_audit, settings, args)
        err = capsys.readouterr().err  # type: ignore[attr-defined]
        assert code == 1
        assert f"RUPTURE appareil {format_code(victim.replace('-', ''))} séquence 2" in err


class TestDailyDigests:
    async def test_a_consistent_rewrite_of_a_chain_is_caught_by_the_recorded_digest(self, stack: Stack) -> None:
        victim, _ = await _devices(stack)
        tomorrow = datetime.now(UTC) + timedelta(days=1)
        service = AuditService(stack.pool, clock=lambda: tomorrow)
        today = datetime.now(UTC).date()
        digest, stored = await service.record_digest(today)
        assert stored and (await service.heads_digest(end_of_day(today))).hexdigest() == digest
        assert (await service.verify()).ok

        # Rewrite the grade and re-hash the whole chain from there: every link verifies again.
        async with stack.pool.acquire() as conn:
            asset = await _id(conn, victim)
            rows = await conn.fetch("SELECT * FROM asset_events WHERE asset_id = $1 ORDER BY sequence", asset)
            prev = rows[0]["hash"]
            for row in rows[1:]:
                wire = event_wire(row)
                if wire["type"] == "asset.refurbished":
                    wire["payload"] = dict(wire["payload"], grade="A")
                wire["prev_hash"] = prev
                wire.pop("hash")
                prev = event_hash(prev, wire)
                await conn.execute("UPDATE asset_events SET payload = $3, prev_hash = $4, hash = $5 "
                                   "WHERE asset_id = $1 AND sequence = $2", asset, row["sequence"],
                                   wire["payload"], wire["prev_hash"], prev)
            await conn.execute("UPDATE assets SET last_hash = $2 WHERE id = $1", asset, prev)

        report = await service.verify()
        # Every link verifies, but the head the first run verified is gone (audit_verified_heads), and the
        # recorded digest no longer matches.
        assert [(b.code, b.reason) for b in report.broken] == [
            (format_code(victim.replace("-", "")), "the event at the last verified head is no longer the one verified")]
        assert [m.day for m in report.mismatches] == [today]

    async def test_missing_days_are_recorded_once(self, stack: Stack) -> None:
        await _devices(stack)
        service = AuditService(stack.pool, clock=lambda: datetime.now(UTC) + timedelta(days=2))
        assert len(await service.record_missing_digests()) == 2
        assert await service.record_missing_digests() == []
        report = await service.verify()
        assert report.ok and report.digests_checked == 2
