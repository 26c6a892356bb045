"""Routing settings that admins change in the UI, on top of the environment's defaults.

The router and the timers read the effective settings at every batch, so a change applies within
seconds in every process without a restart; each change is kept with who made it and when.
"""

from __future__ import annotations

from typing import Any

import asyncpg
from pydantic import ValidationError

from marketplace.adapters import settings_store
from marketplace.domain.errors import InvalidInput
from marketplace.settings import Settings

EDITABLE = (
    "routing_k", "offer_ttl_hours", "routing_max_rounds", "pickup_deadline_hours",
    "routing_weight_territory", "routing_weight_fairness", "routing_weight_capacity", "routing_weight_reliability",
)


async def effective_settings(conn: asyncpg.Connection, base: Settings) -> Settings:
    found = await settings_store.overrides(conn)
    updates = {k: v for k, v in found.items() if k in EDITABLE}
    return base.model_copy(update=updates) if updates else base


def validate_changes(base: Settings, changes: dict[str, Any]) -> dict[str, Any]:
    """Coerce and check each value as the environment's would be; unknown keys are refused."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise InvalidInput(detail=f"{', '.join(unknown)}: not an editable routing setting")
    try:
        checked = Settings.model_validate({**base.model_dump(), **changes})
    except ValidationError as exc:
        raise InvalidInput(detail="; ".join(f"{e['loc'][0]}: {e['msg']}" for e in exc.errors())) from exc
    if checked.routing_k < 1:
        raise InvalidInput(detail="routing_k: must be at least 1")
    if checked.offer_ttl_hours <= 0:
        raise InvalidInput(detail="offer_ttl_hours: must be positive")
    return {k: getattr(checked, k) for k in changes}


async def change(conn: asyncpg.Connection, base: Settings, changes: dict[str, Any], user_id: str) -> list[str]:
    """Apply changes that differ from the current value; returns the keys changed."""
    current = await effective_settings(conn, base)
    changed = []
    async with conn.transaction():
        for key, value in validate_changes(base, changes).items():
            old = getattr(current, key)
            if old != value:
                await settings_store.save(conn, key, old, value, user_id)
                changed.append(key)
    return changed
