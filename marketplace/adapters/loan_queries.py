"""SQL behind loans (migration 0030)."""

from __future__ import annotations

from datetime import date, datetime

import asyncpg

INSERT_LOAN = """
INSERT INTO loans (id, asset_id, org_id, beneficiary_category, reference, lent_on, due_on, lent_by, created_at)
SELECT $1, $2, o.id, $4, $5, $6, $7, $8, $9 FROM organisations o WHERE o.slug = $3
"""
OPEN_LOAN = "SELECT id, due_on FROM loans WHERE asset_id = $1 AND returned_at IS NULL"
CLOSE_LOAN = "UPDATE loans SET returned_at = $2, returned_by = $3, condition = $4 WHERE id = $1 AND returned_at IS NULL"
# $1 the organisation's slug (None: every organisation, for admins), $2 only overdue ones as of $3.
LOANS = """
SELECT l.id, a.code, o.slug AS org, l.beneficiary_category, l.reference, l.lent_on, l.due_on, l.returned_at,
       l.condition
FROM loans l JOIN assets a ON a.id = l.asset_id JOIN organisations o ON o.id = l.org_id
WHERE ($1::text IS NULL OR o.slug = $1) AND (NOT $2 OR (l.returned_at IS NULL AND l.due_on < $3))
ORDER BY l.returned_at IS NOT NULL, l.due_on, l.id LIMIT $4
"""


async def insert_loan(conn: asyncpg.Connection, loan_id: str, asset_id: str, org: str, beneficiary: str,
                      reference: str | None, lent_on: date, due_on: date, user_id: str | None, at: datetime) -> None:
    await conn.execute(INSERT_LOAN, loan_id, asset_id, org, beneficiary, reference, lent_on, due_on, user_id, at)


async def open_loan(conn: asyncpg.Connection, asset_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(OPEN_LOAN, asset_id)


async def close_loan(conn: asyncpg.Connection, loan_id: str, at: datetime, user_id: str | None, condition: str) -> None:
    await conn.execute(CLOSE_LOAN, loan_id, at, user_id, condition)


async def loans(conn: asyncpg.Connection, org: str | None, overdue_only: bool, today: date,
                limit: int) -> list[asyncpg.Record]:
    return list(await conn.fetch(LOANS, org, overdue_only, today, limit))
