"""Building the next event of a device's chain (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from marketplace.domain.hashchain import GENESIS_HASH, event_hash
from marketplace.domain.ids import new_id


@dataclass(frozen=True)
class ChainHead:
    """Where a device's chain ends: its last sequence (0 for a new device) and hash."""

    asset_id: str
    sequence: int = 0
    hash: str = GENESIS_HASH


def now_ms() -> datetime:
    """Now, truncated to milliseconds, so the stored time re-serialises to exactly what was hashed."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def iso_ms(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def build_event(
    head: ChainHead,
    event_type: str,
    payload: BaseModel,
    actor: dict[str, str | None],
    correlation_id: str | None = None,
    causation_id: str | None = None,
    occurred_at: datetime | None = None,
) -> dict[str, Any]:
    """The next event as a JSON-mode dict (the wire form), with its hash."""
    event_id = new_id()
    body: dict[str, Any] = {
        "event_id": event_id,
        "type": event_type,
        "schema_version": 1,
        "occurred_at": iso_ms(occurred_at or now_ms()),
        "asset_id": head.asset_id,
        "sequence": head.sequence + 1,
        "actor": {"org": actor.get("org"), "user": actor.get("user"), "system": actor.get("system")},
        "correlation_id": correlation_id or event_id,
        "causation_id": causation_id,
        "payload": payload.model_dump(mode="json"),
        "prev_hash": head.hash,
    }
    body["hash"] = event_hash(head.hash, body)
    return body
