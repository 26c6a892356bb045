"""Bulk reads and writes for the workers' batches: one round trip per table per batch.

COPY is PostgreSQL's fastest way in; it fires the outbox's statement trigger like an INSERT does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from events.topics import LIFECYCLE
from marketplace.adapters.pool import JsonText
from marketplace.domain.chain import SealedEvent
from marketplace.domain.hashchain import payload_of_canonical

ASSET_COLUMNS = (
    "id", "code", "donor_org_id", "request_id", "category", "brand", "model", "serial", "inventory_number", "year",
    "condition", "has_storage", "site", "specs", "weight_kg", "unit_value_eur", "notes", "pays_code",
    "custodian_org_id", "state", "version", "last_hash", "retired_at", "updated_at",
)
EVENT_COLUMNS = ("asset_id", "sequence", "event_id", "type", "schema_version", "occurred_at", "actor",
                 "correlation_id", "causation_id", "payload", "prev_hash", "hash")
OFFER_COLUMNS = ("id", "asset_id", "org_id", "round", "score", "reasons", "reason_codes", "status", "created_at",
                 "expires_at")

DONORS = "SELECT slug, id, kind, pays_code FROM organisations WHERE slug = ANY($1::text[])"
EXISTING_REQUESTS = """
SELECT a.donor_org_id, a.request_id, a.id, a.code FROM assets a
JOIN unnest($1::uuid[], $2::text[]) AS r(donor, request_id) ON a.donor_org_id = r.donor AND a.request_id = r.request_id
"""
EXISTING_SERIALS = """
SELECT a.donor_org_id, a.serial FROM assets a
JOIN unnest($1::uuid[], $2::text[]) AS r(donor, serial) ON a.donor_org_id = r.donor AND a.serial = r.serial
"""
RECORD_INBOX = """
INSERT INTO inbox (consumer, event_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING RETURNING event_id
"""
LOCK_FOR_ROUTING = """
SELECT id, category, pays_code, year, condition, unit_value_eur, has_storage, state, version, last_hash, routing_round
FROM assets WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE
"""
EXCLUSIONS = """
SELECT f.asset_id, array_agg(DISTINCT o.slug) AS slugs FROM offers f JOIN organisations o ON o.id = f.org_id
WHERE f.asset_id = ANY($1::uuid[]) AND f.status IN ('declined', 'no_show') GROUP BY f.asset_id
"""
ORG_IDS = "SELECT slug, id FROM organisations"
ADVANCE_ROUTED = """
UPDATE assets a SET version = u.version, last_hash = u.last_hash, state = u.state, routing_round = u.round,
                    updated_at = u.at
FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::int[], $6::timestamptz[])
     AS u(id, version, last_hash, state, round, at)
WHERE a.id = u.id AND a.version = u.version - 1
"""


def event_record(sealed: SealedEvent) -> tuple[Any, ...]:
    e = sealed.event
    return (e["asset_id"], e["sequence"], e["event_id"], e["type"], e["schema_version"],
            datetime.fromisoformat(e["occurred_at"]), e["actor"], e["correlation_id"], e["causation_id"],
            JsonText(payload_of_canonical(sealed.json)), e["prev_hash"], e["hash"])


async def copy_events(conn: asyncpg.Connection, events: list[SealedEvent]) -> None:
    """The events and their outbox copies (keyed by device, `type` as a header), from their canonical
    JSON: each event is encoded once, when it is built."""
    if not events:
        return
    await conn.copy_records_to_table("asset_events", records=[event_record(e) for e in events], columns=EVENT_COLUMNS)
    await conn.copy_records_to_table(
        "outbox", columns=("topic", "key", "headers", "value"),
        records=[(LIFECYCLE.name, e.event["asset_id"], {"type": e.event["type"]}, e.json.encode("utf-8"))
                 for e in events],
    )


async def copy_assets(conn: asyncpg.Connection, rows: list[tuple[Any, ...]]) -> None:
    await conn.copy_records_to_table("assets", records=rows, columns=ASSET_COLUMNS)


async def copy_offers(conn: asyncpg.Connection, rows: list[tuple[Any, ...]]) -> None:
    await conn.copy_records_to_table("offers", records=rows, columns=OFFER_COLUMNS)


async def donors(conn: asyncpg.Connection, slugs: list[str]) -> dict[str, asyncpg.Record]:
    return {r["slug"]: r for r in await conn.fetch(DONORS, slugs)}


async def existing_requests(conn: asyncpg.Connection, donor_ids: list[Any], request_ids: list[str]) -> dict[
        tuple[str, str], asyncpg.Record]:
    rows = await conn.fetch(EXISTING_REQUESTS, donor_ids, request_ids)
    return {(str(r["donor_org_id"]), r["request_id"]): r for r in rows}


async def existing_serials(conn: asyncpg.Connection, donor_ids: list[Any], serials: list[str]) -> set[tuple[str, str]]:
    return {(str(r["donor_org_id"]), r["serial"]) for r in await conn.fetch(EXISTING_SERIALS, donor_ids, serials)}


async def record_inbox(conn: asyncpg.Connection, consumer: str, event_ids: list[str]) -> set[str]:
    """Record the events for `consumer`; returns those seen for the first time."""
    return {r["event_id"] for r in await conn.fetch(RECORD_INBOX, consumer, event_ids)}


async def lock_for_routing(conn: asyncpg.Connection, asset_ids: list[str]) -> list[asyncpg.Record]:
    """Lock in id order, so two routers never wait on each other in a cycle."""
    return await conn.fetch(LOCK_FOR_ROUTING, asset_ids)


async def exclusions(conn: asyncpg.Connection, asset_ids: list[str]) -> dict[str, frozenset[str]]:
    return {str(r["asset_id"]): frozenset(r["slugs"]) for r in await conn.fetch(EXCLUSIONS, asset_ids)}


async def org_ids(conn: asyncpg.Connection) -> dict[str, Any]:
    return {r["slug"]: r["id"] for r in await conn.fetch(ORG_IDS)}


async def advance_routed(conn: asyncpg.Connection, heads: list[tuple[str, int, str, str, int, datetime]]) -> int:
    """Move routed devices' read rows; returns how many moved (a version check guards each one)."""
    if not heads:
        return 0
    columns = list(zip(*heads, strict=True))
    status = await conn.execute(ADVANCE_ROUTED, *[list(c) for c in columns])
    return int(status.split()[-1])
