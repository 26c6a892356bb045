"""SQL for the sign-in counters (`sign_in_throttles`, migration 0016; the policy is marketplace/auth/throttle.py).

Subjects are stored as `sign_in_subject(text)`, a SHA-256 of the lower-cased e-mail or address: the table
never holds what someone typed, and an e-mail is counted under the same key as the account that
`lower(u.email) = lower($1)` finds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import asyncpg

Kind = Literal["account", "address"]

# One statement, so that parallel attempts are counted one after the other on the row's lock. A window or
# lock that is over starts again from one; reaching the limit starts the lock; later refused attempts
# still add one but leave `until` alone, so they never extend the lock.
CHARGE = """
INSERT INTO sign_in_throttles AS t (kind, subject, attempts, until)
VALUES ($1, sign_in_subject($2), 1, now() + make_interval(mins => $4))
ON CONFLICT (kind, subject) DO UPDATE SET
    attempts = CASE WHEN t.until <= now() THEN 1 ELSE t.attempts + 1 END,
    until = CASE WHEN t.until <= now() OR t.attempts + 1 = $3 THEN now() + make_interval(mins => $4)
                 ELSE t.until END
RETURNING attempts, greatest(ceil(extract(epoch FROM until - now()) / 60), 1)::int AS minutes_left
"""
GIVE_BACK = """
UPDATE sign_in_throttles SET attempts = greatest(attempts - 1, 0)
WHERE kind = $1 AND subject = sign_in_subject($2) AND until > now()
"""
FORGET = "DELETE FROM sign_in_throttles WHERE kind = $1 AND subject = sign_in_subject($2)"
# Expired rows mean the same as no row. Each attempt removes a few, so the table holds about one window of
# attempts however long an attack lasts; `until < now()` is checked again on rows changed meanwhile.
PRUNE = """
DELETE FROM sign_in_throttles WHERE until < now() AND (kind, subject) IN (
    SELECT kind, subject FROM sign_in_throttles WHERE until < now() LIMIT 20)
"""
UNLOCK_USER = """
WITH u AS (SELECT email FROM users WHERE id = $1),
     gone AS (DELETE FROM sign_in_throttles WHERE kind = 'account' AND subject IN (SELECT sign_in_subject(email) FROM u))
SELECT count(*) FROM u
"""


@dataclass(frozen=True)
class Charged:
    attempts: int  # this attempt included
    minutes_left: int  # until the window or the lock ends, rounded up


async def charge(conn: asyncpg.Connection, kind: Kind, subject: str, limit: int, window_minutes: int) -> Charged:
    row = await conn.fetchrow(CHARGE, kind, subject, limit, window_minutes)
    assert row is not None  # INSERT ... ON CONFLICT DO UPDATE ... RETURNING always returns the row
    return Charged(row["attempts"], row["minutes_left"])


async def give_back(conn: asyncpg.Connection, kind: Kind, subject: str) -> None:
    await conn.execute(GIVE_BACK, kind, subject)


async def forget(conn: asyncpg.Connection, kind: Kind, subject: str) -> None:
    await conn.execute(FORGET, kind, subject)


async def prune(conn: asyncpg.Connection) -> None:
    await conn.execute(PRUNE)


async def unlock_user(conn: asyncpg.Connection, user_id: str) -> bool:
    """End the user's sign-in lock (if any); False when there is no such user."""
    return bool(await conn.fetchval(UNLOCK_USER, user_id))
