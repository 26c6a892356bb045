"""Proposing a refurbished device to the best open need that fits it (`domain/matching.py`), one at a time.

Used by the matcher (each `asset.refurbished`, each reservation released), by the services when a proposal is
declined or withdrawn (the device goes to the next need) and by the reconciler. It is idempotent by the data:
the device row is locked, a device with an open proposal is left alone, a device is proposed to a need once
(`UNIQUE (need_id, asset_id)`), and the need's row is locked while what it still lacks is counted, so two
devices matched at once cannot both take a need's last place.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import asyncpg

from marketplace.adapters import need_queries as q
from marketplace.domain.chain import now_ms
from marketplace.domain.ids import new_id
from marketplace.domain.matching import Match, MatchPolicy, rank
from marketplace.domain.needs import NeedSpec, OpenNeed, Supply
from marketplace.handlers import match_settings
from marketplace.unit_of_work import UnitOfWork


def _open_need(r: asyncpg.Record) -> OpenNeed:
    spec = NeedSpec(category=r["category"], quantity=r["quantity"], grades=frozenset(r["grades"]),
                    beneficiary_category=r["beneficiary_category"], min_ram_gb=r["min_ram_gb"],
                    min_storage_gb=r["min_storage_gb"], min_screen_in=r["min_screen_in"], needed_by=r["needed_by"],
                    adapted=frozenset(r["adapted"]))
    return OpenNeed(str(r["id"]), r["org"], r["pays_code"], spec, r["created_at"], int(r["remaining"]))


async def propose_device(conn: asyncpg.Connection, asset_id: str, policy: MatchPolicy, at: datetime) -> Match | None:
    """Propose the device to its best need; None when it is not refurbished, already proposed, or fits none."""
    row = await q.lock_supply(conn, asset_id)
    if row is None or row["state"] != "refurbished" or await q.has_open_proposal(conn, asset_id):
        return None
    device = Supply(category=row["category"], grade=row["grade"], ram_gb=row["ram_gb"], storage_gb=row["storage_gb"],
                    screen_in=row["screen_in"], weight_kg=row["weight_kg"], os_installed=row["os_installed"],
                    pays_code=row["pays_code"])
    needs = [_open_need(r) for r in await q.candidate_needs(conn, asset_id, device.category, at.date())]
    for match in rank(device, needs, policy, at):
        # Counted again under the need's lock: another device may have taken its last place since the read.
        if await q.lock_remaining(conn, match.need.id) <= 0:
            continue
        if await q.insert_proposal(conn, new_id(), match.need.id, asset_id,
                                   [r.as_json() for r in match.reasons], at):
            return match
    return None


async def withdraw_and_repropose(conn: asyncpg.Connection, need_id: str, policy: MatchPolicy, at: datetime) -> int:
    """A need paused, cancelled or met: its open proposals are withdrawn and each device goes to its next need."""
    moved = 0
    for p in await q.open_proposals_of_need(conn, need_id):
        await q.close_proposal(conn, str(p["id"]), "withdrawn", at)
        moved += await propose_device(conn, str(p["asset_id"]), policy, at) is not None
    return moved


async def reconcile_matching(pool: asyncpg.Pool, grace: timedelta, limit: int = 200) -> int:
    """Propose the refurbished devices left without a proposal for `grace` while an open need of their category
    that they were never proposed to has changed since they were last looked at: an event the broker lost, a need
    posted, edited or resumed after the device was ready. Each device in its own short transaction (a failure on
    one never blocks the others); each look is marked, so a device that fits no need is not read again until a
    need changes."""
    async with pool.acquire() as conn:
        due = await q.unproposed_refurbished(conn, now_ms() - grace, limit)
    proposed = 0
    for asset_id in due:
        async with UnitOfWork(pool) as uow:
            at = now_ms()
            proposed += await propose_device(uow.conn, asset_id, await match_settings.policy(uow.conn), at) is not None
            await q.mark_checked(uow.conn, asset_id, at)
    return proposed
