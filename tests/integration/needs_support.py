"""Needs in integration tests: more people in the demo organisations, refurbished devices with specs, and the
matcher fed an event as the worker would be."""

from __future__ import annotations

import json
from typing import Any

import asyncpg

from events.records import Record
from marketplace.adapters.views import event_wire
from marketplace.auth.credentials import hash_password
from marketplace.consumers.batches import BatchResult
from marketplace.consumers.matching import process_lifecycle_for_matching
from marketplace.domain.ids import new_id
from tests.integration.journeys import Journeys
from tests.integration.stack import Stack

PASSWORD = "integration-test-password"
REDON = "tiers-lieu-l-escale-redon"
SAINT_BRIEUC = "deuxieme-souffle-saint-brieuc"


async def person_in(stack: Stack, org: str) -> str:
    """A new person in the demo organisation `org`; returns their session token."""
    email = f"{org}-{new_id()[:8]}@test.example"
    async with stack.pool.acquire() as conn:
        await conn.execute("INSERT INTO users (id, org_id, email, display_name, password_hash) "
                           "SELECT $1, id, $2, $2, $3 FROM organisations WHERE slug = $4",
                           new_id(), email, hash_password(PASSWORD), org)
    return (await stack.marketplace.sign_in(email, PASSWORD)).token


def laptop_need(**change: Any) -> dict[str, Any]:
    return {"category": "laptop", "quantity": 3, "min_ram_gb": 8, "beneficiary_category": "job_seekers"} | change


async def refurbished(j: Journeys, ram_gb: float = 8, **specs: Any) -> str:
    """A laptop refurbished by the demo refurbisher (Brest) with these specs; the matcher not fed yet."""
    code = await j.retire()
    async with j.stack.pool.acquire() as conn:
        await conn.execute("UPDATE assets SET specs = $2 WHERE code = $1", code.replace("-", ""),
                           {"ram_gb": ram_gb, **specs})
    return await _walk(j, code)


async def _walk(j: Journeys, code: str) -> str:
    from tests.integration.journeys import PATH, STEPS, step_data

    await j.route(code)
    for step in PATH[: PATH.index("refurbished") + 1]:
        if step == "wiped":
            continue
        role, action, kind = STEPS[step]
        await j.act(role, code, action, step_data(kind, code))
    return code


async def last_event(pool: asyncpg.Pool, code: str, event_type: str) -> Record:
    async with pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT e.* FROM asset_events e JOIN assets a ON a.id = e.asset_id WHERE a.code = $1 AND e.type = $2 "
            "ORDER BY e.sequence DESC LIMIT 1", code.replace("-", ""), event_type)
    wire = event_wire(row)
    return Record("assets.lifecycle.v1", 0, 0, wire["asset_id"].encode(), json.dumps(wire).encode(),
                  {"type": event_type})


async def feed_matcher(stack: Stack, *codes: str, event_type: str = "asset.refurbished") -> BatchResult:
    records = [await last_event(stack.pool, code, event_type) for code in codes]
    return await process_lifecycle_for_matching(stack.pool, records)


async def proposals_of(pool: asyncpg.Pool, code: str) -> list[tuple[str, str]]:
    """(need's organisation, status) of every proposal of the device, oldest first."""
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT o.slug, p.status FROM need_proposals p JOIN needs n ON n.id = p.need_id "
            "JOIN organisations o ON o.id = n.org_id JOIN assets a ON a.id = p.asset_id WHERE a.code = $1 "
            "ORDER BY p.created_at, p.id", code.replace("-", ""))
    return [(r["slug"], r["status"]) for r in rows]
