"""Deadlines worth a warning a day ahead: offers still open, pickups not confirmed, reservation holds.

Read from PostgreSQL at every tick of the mailer (deadlines are columns, so a stopped mailer warns late,
never never). Each deadline is announced once: its cause goes into notified_deadlines in the same
transaction as its pending notifications.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

import asyncpg

from marketplace.adapters import notification_queries as q
from marketplace.notifications import kinds as k
from marketplace.notifications.pending import Fact, device_fact, iso, notify_orgs
from marketplace.unit_of_work import UnitOfWork

AHEAD = timedelta(hours=24)


async def _expiring(conn: asyncpg.Connection, ids: list[str]) -> int:
    facts: list[Fact] = [(r["org_id"], f"expiring:{r['offer_id']}",
                          device_fact(r, km=r["km"], at=iso(r["expires_at"])))
                         for r in await q.offer_facts(conn, ids)]
    return await notify_orgs(conn, k.OFFERS_EXPIRING, facts)


def _pickups(pickup_hours: float) -> Callable[[asyncpg.Connection, list[str]], Awaitable[int]]:
    async def pickups(conn: asyncpg.Connection, ids: list[str]) -> int:
        facts: list[Fact] = []
        for r in await q.offer_facts(conn, ids):
            deadline = iso(r["closed_at"] + timedelta(hours=pickup_hours))
            cause = f"pickup:{r['offer_id']}"
            facts.append((r["org_id"], cause, device_fact(r, party=r["donor"], at=deadline)))
            facts.append((r["donor_org_id"], cause, device_fact(r, party=r["claimer"], at=deadline)))
        return await notify_orgs(conn, k.PICKUP_DUE, facts)
    return pickups


def _pickup_groups(pickup_hours: float) -> Callable[[asyncpg.Connection, list[str]], Awaitable[int]]:
    """One line per pickup for each side (however many devices it holds), not one per device."""
    async def groups(conn: asyncpg.Connection, ids: list[str]) -> int:
        facts: list[Fact] = []
        for r in await q.facts(conn, q.PICKUP_GROUP_FACTS, ids):
            if not r["expected"]:
                continue
            own = r["last_claim_at"] + timedelta(hours=pickup_hours)
            deadline = iso(max(own, r["agreed_until"]) if r["agreed_until"] else own)
            cause = f"pickupgroup:{r['pickup_id']}"
            line = {"line": "pickup", "device": "", "code": "", "donor": r["donor"], "n": r["expected"],
                    "at": deadline}
            facts.append((r["claimer_org_id"], cause, {**line, "party": r["donor"]}))
            facts.append((r["donor_org_id"], cause, {**line, "party": r["claimer"]}))
        return await notify_orgs(conn, k.PICKUP_DUE, facts)
    return groups


async def _holds(conn: asyncpg.Connection, ids: list[str]) -> int:
    facts: list[Fact] = [(r["org_id"], f"hold:{r['reservation_id']}", device_fact(r, at=iso(r["hold_until"])))
                         for r in await q.reservation_facts(conn, ids)]
    return await notify_orgs(conn, k.HOLD_ENDING, facts)


async def _dead_letters(conn: asyncpg.Connection, ids: list[str]) -> int:
    orgs = await q.admin_orgs(conn)
    facts: list[Fact] = [(org, f"deadletter:{r['id']}", {"line": "dead_letter", "device": r["consumer"],
                                                         "code": r["topic"], "party": r["error"],
                                                         "at": iso(r["failed_at"])})
                         for r in await q.facts(conn, q.DEAD_LETTER_FACTS, ids) for org in orgs]
    return await notify_orgs(conn, k.ADMIN_DAILY, facts)


async def _unclaimed(conn: asyncpg.Connection, keys: list[str]) -> int:
    orgs = await q.admin_orgs(conn)
    rounds = dict(key.split(":") for key in keys)
    facts: list[Fact] = [(org, f"unclaimed:{r['asset_id']}:{rounds[r['asset_id']]}",
                          device_fact(r, line="unclaimed", at=iso(r["updated_at"])))
                         for r in await q.facts(conn, q.UNCLAIMED_FACTS, list(rounds)) for org in orgs]
    return await notify_orgs(conn, k.ADMIN_DAILY, facts)


async def announce_deadlines(pool: asyncpg.Pool, now: datetime, pickup_hours: float, max_rounds: int = 3,
                             batch: int = 500) -> int:
    """One pass: every deadline due within a day and not announced yet, and what the admins' daily summary
    tells (new dead letters, newly unclaimed devices); returns the pending rows written."""
    pickup_cut = now + AHEAD - timedelta(hours=pickup_hours)
    jobs: list[tuple[str, str, datetime, tuple[object, ...], Callable[[asyncpg.Connection, list[str]], Awaitable[int]]]] = [
        ("expiring", q.EXPIRING_OFFERS, now + AHEAD, (), _expiring),
        ("pickup", q.PICKUPS_DUE, pickup_cut, (), _pickups(pickup_hours)),
        ("pickupgroup", q.PICKUP_GROUPS_DUE, pickup_cut, (now + AHEAD,), _pickup_groups(pickup_hours)),
        ("hold", q.HOLDS_ENDING, now + AHEAD, (), _holds),
        ("deadletter", q.NEW_DEAD_LETTERS, now, (), _dead_letters),
        ("unclaimed", q.NEWLY_UNCLAIMED, now, (max_rounds,), _unclaimed),
    ]
    written = 0
    for prefix, sql, until, more, job in jobs:
        async with UnitOfWork(pool) as uow:
            ids = await q.due_deadlines(uow.conn, sql, until, batch, *more)
            if not ids:
                continue
            fresh = await q.notice(uow.conn, [f"{prefix}:{i}" for i in ids])
            ids = [i for i in ids if f"{prefix}:{i}" in fresh]
            if ids:
                written += await job(uow.conn, ids)
    return written
