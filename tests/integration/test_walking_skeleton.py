"""Retire -> route -> claim on the real embedded PostgreSQL and broker, with the real relay and workers."""

from __future__ import annotations

import json

import asyncpg

from events.records import Record
from marketplace.adapters.views import event_wire
from marketplace.consumers.batches import process_lifecycle_for_routing
from marketplace.demo.catalogue import DEMO_ACCOUNTS
from marketplace.domain.hashchain import verify_chain
from schemas.forms import RetireDeviceForm
from schemas.payloads import lifecycle_event_adapter
from tests.integration.stack import Stack, eventually, intake_message

LAPTOP = RetireDeviceForm(category="laptop", brand="Lenovo", model="ThinkPad T470", serial="PF0XYZ12",
                          year=2019, condition="working", has_storage=True)


async def sign_in(stack: Stack, role: str) -> str:
    email, password, *_ = DEMO_ACCOUNTS[role]
    return (await stack.marketplace.sign_in(email, password)).token


async def device_state(pool: asyncpg.Pool, **where: str) -> asyncpg.Record | None:
    column, value = next(iter(where.items()))
    async with pool.acquire() as conn:
        return await conn.fetchrow(
            f"SELECT a.id, a.state, (SELECT count(*) FROM offers f WHERE f.asset_id = a.id) AS offers "
            f"FROM assets a WHERE a.{column} = $1", value)


class TestRetireRouteClaim:
    async def test_a_device_retired_in_the_ui_is_offered_then_claimed(self, stack: Stack) -> None:
        await stack.start_relay()
        await stack.start_workers("router")
        manager = await sign_in(stack, "asset_manager")
        device = await stack.marketplace.retire_device(manager, LAPTOP)

        row = await eventually(lambda: device_state(stack.pool, id=device.id), lambda r: r["state"] == "offered")
        assert row["offers"] == 3

        refurbisher = await sign_in(stack, "refurbisher")
        offers = [o for o in await stack.marketplace.open_offers(refurbisher) if o.device.id == device.id]
        assert len(offers) == 1 and "même pays" in " ".join(offers[0].reasons)
        claimed = await stack.marketplace.claim_offer(refurbisher, offers[0].id)
        assert claimed.state == "claimed"

        page = await stack.marketplace.device_page(device.code)
        assert [e.type for e in page.events] == ["asset.retired", "asset.offered", "asset.claimed"]
        assert page.chain_ok

    async def test_lifecycle_events_reach_kafka_in_order_keyed_by_device(self, stack: Stack) -> None:
        await stack.start_relay()
        await stack.start_workers("router")
        device = await stack.marketplace.retire_device(await sign_in(stack, "asset_manager"), LAPTOP)
        await eventually(lambda: device_state(stack.pool, id=device.id), lambda r: r["state"] == "offered")

        records = await stack.read_topic("assets.lifecycle.v1", at_least=2)
        mine = [r for r in records if r.key == device.id.encode()]
        events = [lifecycle_event_adapter.validate_json(r.value) for r in mine]
        assert [e.type for e in events] == ["asset.retired", "asset.offered"]
        assert [dict(r.headers)["type"].decode() for r in mine] == ["asset.retired", "asset.offered"]
        assert len({r.partition for r in mine}) == 1
        assert verify_chain([json.loads(r.value) for r in mine]) is None


class TestKafkaIntake:
    async def test_a_message_from_any_kafka_client_retires_the_device_once_even_when_sent_twice(
        self, stack: Stack
    ) -> None:
        await stack.start_relay()
        await stack.start_workers("intake", "router")
        for _ in range(2):
            await stack.produce("assets.retirements.v1", intake_message(1), key=b"lycee-des-embruns-brest")

        row = await eventually(lambda: device_state(stack.pool, serial="SER000001"),
                               lambda r: r is not None and r["state"] == "offered")
        assert row["offers"] == 3
        # Send a third copy after routing: still one device, still one round of offers.
        await stack.produce("assets.retirements.v1", intake_message(1), key=b"lycee-des-embruns-brest")
        await stack.produce("assets.retirements.v1", intake_message(2), key=b"lycee-des-embruns-brest")
        await eventually(lambda: device_state(stack.pool, serial="SER000002"), lambda r: r is not None)
        async with stack.pool.acquire() as conn:
            assert await conn.fetchval("SELECT count(*) FROM assets WHERE serial = 'SER000001'") == 1
            assert await conn.fetchval("SELECT count(*) FROM asset_events e JOIN assets a ON a.id = e.asset_id "
                                       "WHERE a.serial = 'SER000001'") == 2

    async def test_an_invalid_message_lands_in_the_dead_letter_topic_and_intake_keeps_working(
        self, stack: Stack
    ) -> None:
        await stack.start_relay()
        await stack.start_workers("intake", "router")
        await stack.produce("assets.retirements.v1", intake_message(3, year=1850), key=b"lycee-des-embruns-brest")
        await stack.produce("assets.retirements.v1", b"\xff not json", key=b"somebody")
        await stack.produce("assets.retirements.v1", intake_message(4, donor="nobody-we-know"), key=b"nobody")
        await stack.produce("assets.retirements.v1", intake_message(5), key=b"lycee-des-embruns-brest")

        await eventually(lambda: device_state(stack.pool, serial="SER000005"),
                         lambda r: r is not None and r["state"] == "offered")
        letters = [json.loads(r.value) for r in await stack.read_topic("assets.deadletter.v1", at_least=3)]
        errors = sorted(letter["error"] for letter in letters)
        assert len(letters) == 3
        assert any("year" in e for e in errors)
        assert any("JSON" in e or "UTF-8" in e for e in errors)
        assert any("nobody-we-know" in e for e in errors)
        not_utf8 = next(letter for letter in letters if letter["original_encoding"] == "base64")
        assert not_utf8["topic"] == "assets.retirements.v1" and not_utf8["consumer"] == "intake"
        async with stack.pool.acquire() as conn:
            assert await conn.fetchval("SELECT count(*) FROM assets WHERE serial IN ('SER000003','SER000004')") == 0
            assert await conn.fetchval("SELECT count(*) FROM dead_letters") == 3


class TestIdempotentRouter:
    async def test_a_redelivered_retired_event_creates_no_second_round_of_offers(self, stack: Stack) -> None:
        device = await stack.marketplace.retire_device(await sign_in(stack, "asset_manager"), LAPTOP)
        async with stack.pool.acquire() as conn:
            first = await conn.fetchrow("SELECT * FROM asset_events WHERE asset_id = $1 AND sequence = 1", device.id)
        wire = event_wire(first)
        record = Record("assets.lifecycle.v1", 0, 0, device.id.encode(), json.dumps(wire).encode(),
                        {"type": "asset.retired"})
        for _ in range(3):
            await process_lifecycle_for_routing(stack.pool, [record, record], stack.settings)
        row = await device_state(stack.pool, id=device.id)
        assert row is not None and row["state"] == "offered" and row["offers"] == 3
