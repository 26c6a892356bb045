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
from marketplace.domain.routing_bounds import read_changes
from marketplace.settings import Settings

EDITABLE = (
    "routing_k", "offer_ttl_hours", "routing_max_rounds", "pickup_deadline_hours",
    "routing_weight_territory", "routing_weight_fairness", "routing_weight_capacity", "routing_weight_reliability",
)


async def effective_settings(conn: asyncpg.Connection, base: Settings) -> Settings:
    found = await settings_store.overrides(conn)
    updates = {k: v for k, v in found.items() if k in EDITABLE}
    return base.model_copy(update=updates) if updates else base


def validate_changes(current: Settings, changes: dict[str, Any]) -> dict[str, Any]:
    """Read and check each value (`domain.routing_bounds`: French or English decimals, a range per setting, not
    every weight 0); unknown keys are refused. `current` is the effective settings the changes apply to."""
    in_force = {key: getattr(current, key) for key in EDITABLE}
    read = read_changes(changes, in_force)
    try:  # the environment's own rules too (they are wider; this keeps the two from ever disagreeing)
        Settings.model_validate({**current.model_dump(), **read})
    except ValidationError as exc:
        raise InvalidInput("setting.refused", field=str(exc.errors()[0]["loc"][0])) from exc
    return read


async def change(conn: asyncpg.Connection, base: Settings, changes: dict[str, Any], user_id: str) -> list[str]:
    """Apply changes that differ from the current value; returns the keys changed."""
    current = await effective_settings(conn, base)
    changed = []
    async with conn.transaction():
        for key, value in validate_changes(current, changes).items():
            old = getattr(current, key)
            if old != value:
                await settings_store.save(conn, key, old, value, user_id)
                changed.append(key)
    return changed
