"""Keeping the flow healthy (admins): dead letters, unclaimed devices, routing settings."""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

from marketplace.adapters import dead_letters as dl
from marketplace.adapters import read_models, settings_store
from marketplace.adapters.timer_queries import excluded_from_routing
from marketplace.adapters.views import device_summary
from marketplace.commands import RouteDevice
from marketplace.domain.errors import DomainError
from marketplace.handlers.actions import locate
from marketplace.handlers.route import route_device
from marketplace.routing_settings import EDITABLE, change, effective_settings
from marketplace.services import routing_preview
from marketplace.services.base import ServiceBase
from marketplace.unit_of_work import UnitOfWork
from schemas.views import DeadLetterView, DeviceSummary, RoutingPreviewView, SettingChangeView


def _letter_view(r: Any) -> DeadLetterView:
    raw = bytes(r["original"])
    try:
        text, encoding = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = base64.b64encode(raw).decode("ascii"), "base64"
    return DeadLetterView(id=r["id"], topic=r["topic"], partition=r["partition"], offset=r["offset"], key=r["key"],
                          original=text, original_encoding=encoding, error=r["error"], consumer=r["consumer"],
                          failed_at=r["failed_at"], status=r["status"])


class OperationsServices(ServiceBase):
    async def dead_letters(self, token: str | None, status: str | None = "new", limit: int = 100) -> list[DeadLetterView]:
        await self._require_admin(token)
        async with self.pool.acquire() as conn:
            return [_letter_view(r) for r in await dl.list_dead_letters(conn, status or None, min(limit, 500))]

    async def resolve_dead_letter(self, token: str | None, letter_id: int, replay: bool) -> None:
        """Replay (send the original message again to its topic) or discard; each letter is resolved once."""
        user = await self._require_admin(token)
        if not 0 < int(letter_id) < 2**63:  # not a bigserial id: no such letter (not a database error)
            raise DomainError("deadletter.not_found")
        async with UnitOfWork(self.pool) as uow:
            letter = await dl.lock_dead_letter(uow.conn, int(letter_id))
            if letter is None:
                raise DomainError("deadletter.not_found")
            if letter["status"] != "new":
                raise DomainError("deadletter.already_resolved", status=letter["status"])
            if replay:
                await dl.requeue_original(uow.conn, letter["topic"], letter["key"], bytes(letter["original"]))
            await dl.resolve(uow.conn, letter["id"], "replayed" if replay else "discarded", user.id)

    async def unclaimed_devices(self, token: str | None, limit: int = 200) -> list[DeviceSummary]:
        await self._require_admin(token)
        async with self.pool.acquire() as conn:
            settings = await effective_settings(conn, self.settings)
            rows = await read_models.unclaimed(conn, settings.routing_max_rounds, limit)
        return [device_summary(r) for r in rows]

    async def route_again(self, token: str | None, code: str) -> int:
        """An admin sends an unclaimed device to one more round (region-wide); returns the offers made."""
        await self._require_admin(token)
        async with UnitOfWork(self.pool) as uow:
            asset_id = await locate(uow, code)
            settings = await effective_settings(uow.conn, self.settings)
            cmd = RouteDevice(asset_id, exclude=await excluded_from_routing(uow.conn, asset_id), actor_system="admin")
            routed = await route_device(cmd, uow, settings.routing_k, timedelta(hours=settings.offer_ttl_hours),
                                        settings=settings)
        return routed.offers

    async def routing_settings(self, token: str | None) -> dict[str, Any]:
        await self._require_admin(token)
        async with self.pool.acquire() as conn:
            current = await effective_settings(conn, self.settings)
        return {key: getattr(current, key) for key in EDITABLE}

    async def change_routing_settings(self, token: str | None, changes: dict[str, Any]) -> list[str]:
        user = await self._require_admin(token)
        async with self.pool.acquire() as conn:
            return await change(conn, self.settings, changes, user.id)

    async def preview_routing_settings(self, token: str | None, changes: dict[str, Any]) -> RoutingPreviewView:
        """What `change_routing_settings(changes)` would do to the offers of recent devices; saves nothing."""
        await self._require_admin(token)
        return await routing_preview.preview(self.pool, self.settings, changes)

    async def routing_settings_history(self, token: str | None, limit: int = 50) -> list[SettingChangeView]:
        await self._require_admin(token)
        async with self.pool.acquire() as conn:
            rows = await settings_store.history(conn, limit)
        return [SettingChangeView(**dict(r)) for r in rows]
