"""What an import needs to know before writing: which of its requests and serials the donor already has."""

from __future__ import annotations

import asyncpg

EXISTING_REQUESTS = """
SELECT a.request_id, a.code FROM assets a JOIN organisations d ON d.id = a.donor_org_id
WHERE d.slug = $1 AND a.request_id = ANY($2::text[])
"""
EXISTING_SERIALS = """
SELECT a.serial, a.request_id FROM assets a JOIN organisations d ON d.id = a.donor_org_id
WHERE d.slug = $1 AND a.serial = ANY($2::text[])
"""


async def existing_requests(conn: asyncpg.Connection, donor: str, request_ids: list[str]) -> dict[str, str]:
    """request id -> device code, for the requests this donor already retired."""
    return {r["request_id"]: r["code"] for r in await conn.fetch(EXISTING_REQUESTS, donor, request_ids)}


async def existing_serials(conn: asyncpg.Connection, donor: str, serials: list[str]) -> dict[str, str]:
    """serial -> request id, for the serials this donor already registered."""
    return {r["serial"]: r["request_id"] for r in await conn.fetch(EXISTING_SERIALS, donor, serials)}
