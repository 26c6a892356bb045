"""Hardware snapshots (issue 20): the custodian posts one (UI upload, API, bench agent); the device's donor,
custodian, the organisations that posted one, auditors and admins read them. Nobody else, and never the
passport or the open data: they hold serial numbers.
"""

from __future__ import annotations

from typing import Any

import asyncpg

from marketplace.adapters import read_models
from marketplace.adapters import snapshot_queries as q
from marketplace.bench import read_snapshot
from marketplace.domain.codes import format_code, normalise_code
from marketplace.domain.errors import Forbidden, NotFound, TransitionRefused
from marketplace.domain.inspection import check_may_post, may_read
from marketplace.handlers.actions import load_facts, locate
from marketplace.handlers.inspect import record_snapshot
from marketplace.services.base import ServiceBase, actor_of
from marketplace.unit_of_work import UnitOfWork
from schemas.snapshots import SnapshotList, SnapshotPanel, SnapshotView
from schemas.views import UserView


class SnapshotServices(ServiceBase):
    async def post_snapshot(self, token: str | None, code: str, raw: bytes) -> SnapshotView:
        return await self.post_snapshot_as(await self._require(token), code, raw)

    async def check_may_post_snapshot(self, user: UserView, code: str) -> None:
        """Refuses (not found, not the custodian, wrong state) before the body is even read."""
        async with UnitOfWork(self.pool) as uow:
            _, facts = await load_facts(uow, await locate(uow, code))
        check_may_post(facts, actor_of(user))

    async def post_snapshot_as(self, user: UserView, code: str, raw: bytes) -> SnapshotView:
        """Read `raw` (refused, naming what is wrong, before anything is written), then record it: the event,
        the evidence and the specs, in one transaction."""
        await self.check_may_post_snapshot(user, code)
        reading = read_snapshot(raw)
        async with UnitOfWork(self.pool) as uow:
            done = await record_snapshot(uow, code, actor_of(user), user.id, raw, reading)
            rows = await q.of_asset(uow.conn, done.asset_id, limit=1)
        return _view(rows[0], code)

    async def snapshot_panel(self, token: str | None, code: str) -> SnapshotPanel:
        """For the device page: its specs (not identifying: everyone), and for a signed-in reader whether they may
        post a snapshot now and, if they may read them, the latest one with its warnings."""
        normalised = normalise_code(code)
        if normalised is None:
            raise NotFound("device.code_malformed", code=code[:40])
        async with self.pool.acquire() as conn:
            specs = await q.specs_of_code(conn, normalised)
        user = await self.user_for_session(token)
        if user is None:
            return SnapshotPanel(specs=specs)
        try:
            await self.check_may_post_snapshot(user, code)
            may_post = True
        except (Forbidden, TransitionRefused):
            may_post = False
        try:
            latest = (await self.snapshots_as(user, code, limit=1)).items
        except Forbidden:
            latest = []
        return SnapshotPanel(specs=specs, may_post=may_post, latest=latest[0] if latest else None)

    async def snapshots(self, token: str | None, code: str) -> SnapshotList:
        return await self.snapshots_as(await self._require(token), code)

    async def snapshots_as(self, user: UserView, code: str, limit: int = 20) -> SnapshotList:
        async with self.pool.acquire() as conn:
            asset_id, _ = await self._readable(conn, user, code)
            rows = await q.of_asset(conn, asset_id, limit)
        return SnapshotList(items=[_view(r, code) for r in rows])

    async def snapshot_raw_as(self, user: UserView, code: str, snapshot_id: str) -> bytes:
        """The evidence exactly as posted (its SHA-256 is the event's)."""
        async with self.pool.acquire() as conn:
            asset_id, _ = await self._readable(conn, user, code)
            try:
                row = await q.raw(conn, asset_id, snapshot_id)
            except asyncpg.DataError:  # not a uuid
                row = None
        if row is None:
            raise NotFound("inspection.not_found")
        return bytes(row["raw"])

    @staticmethod
    async def _readable(conn: asyncpg.Connection, user: UserView, code: str) -> tuple[str, asyncpg.Record]:
        normalised = normalise_code(code)
        if normalised is None:
            raise NotFound("device.code_malformed", code=code[:40])
        row = await read_models.device_by_code(conn, normalised)
        if row is None:
            raise NotFound(code=code[:40])
        asset_id = str(row["id"])
        if not may_read(actor_of(user), row["donor_slug"], row["custodian_slug"], await q.posters(conn, asset_id)):
            raise Forbidden("inspection.not_reader")
        return asset_id, row


def _view(r: asyncpg.Record, code: str) -> SnapshotView:
    reading: dict[str, Any] = r["reading"]
    specs = reading.get("specs") or {}
    return SnapshotView(id=str(r["id"]), code=format_code(normalise_code(code) or code), sha256=r["sha256"],
                        byte_size=r["byte_size"], posted_by_org=r["org_slug"], created_at=r["created_at"],
                        specs=specs, reading=reading, warnings=r["warnings"])
