"""What a change of the routing settings would do, before it is saved: the real scorer, on real devices.

The latest retired devices (whatever their state now) are routed twice as if they were retired now, round
1, with the settings in force and with the proposed ones, against the organisations' current load. Only
the devices whose offers change (other organisations, or another order) are listed. Nothing is written.
"""

from __future__ import annotations

from typing import Any

import asyncpg

from marketplace.adapters import routing_queries as rq
from marketplace.domain.chain import now_ms
from marketplace.domain.codes import format_code
from marketplace.domain.routing import route
from marketplace.handlers.route import device_facts, load_candidates, rules_from_settings
from marketplace.routing_settings import effective_settings, validate_changes
from marketplace.settings import Settings
from marketplace.unit_of_work import UnitOfWork
from schemas.views import RoutingPreviewRow, RoutingPreviewView

SAMPLE_SIZE = 40


async def preview(pool: asyncpg.Pool, base: Settings, changes: dict[str, Any],
                  sample_size: int = SAMPLE_SIZE) -> RoutingPreviewView:
    """Refused like the change itself when a value is (same reading, same bounds)."""
    async with UnitOfWork(pool) as uow:  # one snapshot of the load; nothing is written
        current = await effective_settings(uow.conn, base)
        proposed = current.model_copy(update=validate_changes(current, changes))
        before_rules, after_rules = rules_from_settings(current), rules_from_settings(proposed)
        candidates = await load_candidates(uow, before_rules)
        devices = await rq.routing_sample(uow.conn, sample_size)
        names = await rq.organisation_names(uow.conn, [c.slug for c in candidates])
    today = now_ms().date()
    changed = []
    for row in devices:
        facts = device_facts(row)
        before = [o.org_slug for o in route(facts, candidates, before_rules, today).offers]
        after = [o.org_slug for o in route(facts, candidates, after_rules, today).offers]
        if before != after:
            changed.append(RoutingPreviewRow(
                code=format_code(row["code"]), brand=row["brand"], model=row["model"],
                before=[names.get(s, s) for s in before], after=[names.get(s, s) for s in after]))
    return RoutingPreviewView(sampled=len(devices), changed=changed)
