"""The matching policy's settings the Région changes at run time, kept like the routing settings: in the same
store (`routing_settings`, each change in `routing_settings_changes` with who and when), read at every batch.

Defaults are in code (`MatchPolicy`): nothing to set in the environment.
"""

from __future__ import annotations

from typing import Any

import asyncpg

from marketplace.adapters import need_queries, settings_store
from marketplace.domain.errors import InvalidInput
from marketplace.domain.matching import MatchPolicy
from marketplace.domain.territory import load_pays

KEYS = ("matching_band_km", "matching_max_km", "matching_priority_pays", "matching_priority_orgs")
MAX_PRIORITY = 10


async def policy(conn: asyncpg.Connection) -> MatchPolicy:
    found = {k: v for k, v in (await settings_store.overrides(conn)).items() if k in KEYS}
    base = MatchPolicy()
    return MatchPolicy(band_km=float(found.get("matching_band_km", base.band_km)),
                       max_km=found.get("matching_max_km", base.max_km),
                       priority_pays=dict(found.get("matching_priority_pays", {})),
                       priority_orgs=dict(found.get("matching_priority_orgs", {})))


def current(p: MatchPolicy) -> dict[str, Any]:
    return {"matching_band_km": p.band_km, "matching_max_km": p.max_km,
            "matching_priority_pays": dict(p.priority_pays), "matching_priority_orgs": dict(p.priority_orgs)}


def _priorities(key: str, value: Any, known: set[str] | None) -> dict[str, int]:
    if not isinstance(value, dict):
        raise InvalidInput("setting.refused", field=key)
    out: dict[str, int] = {}
    for name, level in value.items():
        if not isinstance(name, str) or (known is not None and name not in known):
            raise InvalidInput("setting.refused", field=f"{key}.{str(name)[:40]}")
        if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= MAX_PRIORITY:
            raise InvalidInput("setting.refused", field=f"{key}.{name}")
        if level:
            out[name] = level
    return out


def validate(changes: dict[str, Any], org_slugs: set[str]) -> dict[str, Any]:
    """Each value checked (a band of 1 to 500 km, a reach of 1 to 1,000 km or none, priorities 0 to 10 of known pays
    and organisations); an unknown key is refused naming it."""
    read: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "matching_band_km":
            if isinstance(value, bool) or not isinstance(value, int | float) or not 1 <= value <= 500:
                raise InvalidInput("setting.refused", field=key)
            read[key] = float(value)
        elif key == "matching_max_km":
            if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)
                                      or not 1 <= value <= 1000):
                raise InvalidInput("setting.refused", field=key)
            read[key] = None if value is None else float(value)
        elif key == "matching_priority_pays":
            read[key] = _priorities(key, value, set(load_pays()))
        elif key == "matching_priority_orgs":
            read[key] = _priorities(key, value, org_slugs)
        else:
            raise InvalidInput("setting.refused", field=str(key)[:60])
    return read


async def change(conn: asyncpg.Connection, changes: dict[str, Any], user_id: str) -> list[str]:
    """Apply the changes that differ from the value in force; returns the keys changed."""
    slugs = await need_queries.org_slugs(conn)
    before = current(await policy(conn))
    changed = []
    async with conn.transaction():
        for key, value in validate(changes, slugs).items():
            if before[key] != value:
                await settings_store.save(conn, key, before[key], value, user_id)
                changed.append(key)
    return changed
