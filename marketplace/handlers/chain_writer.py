"""Writing one or more consecutive events of a device whose row the caller has locked."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg
from pydantic import BaseModel

from marketplace.adapters.event_log import advance_head, append_events
from marketplace.domain.chain import ChainHead, build_event
from marketplace.domain.lifecycle import State, next_state

Step = tuple[str, BaseModel, dict[str, str | None]]


def system_actor(name: str) -> dict[str, str | None]:
    return {"org": None, "user": None, "system": name}


async def write_events(conn: asyncpg.Connection, row: asyncpg.Record, steps: list[Step], at: datetime,
                       causation_id: str | None = None) -> tuple[State, list[dict[str, Any]]]:
    """Check each step against the state machine, chain the events (each caused by the one before),
    write them with their outbox copies and move the read row. `row` has id, state, version, last_hash."""
    state = State(row["state"])
    head = ChainHead(str(row["id"]), row["version"], row["last_hash"])
    events: list[dict[str, Any]] = []
    for event_type, payload, actor in steps:
        state = next_state(state, event_type)
        event = build_event(head, event_type, payload, actor, occurred_at=at,
                            causation_id=events[-1]["event_id"] if events else causation_id,
                            correlation_id=events[0]["correlation_id"] if events else None)
        events.append(event)
        head = ChainHead(head.asset_id, event["sequence"], event["hash"])
    await append_events(conn, events)
    await advance_head(conn, events[-1], state.value, appended=len(events))
    return state, events
