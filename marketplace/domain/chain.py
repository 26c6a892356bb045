"""Building the next event of a device's chain (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from marketplace.domain.hashchain import (
    GENESIS_HASH,
    canonical_event_body,
    canonical_json,
    hash_of_canonical,
    seal_canonical,
)
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
    return build_sealed_event(head, event_type, payload, actor, correlation_id, causation_id, occurred_at).event


@dataclass(frozen=True)
class SealedEvent:
    """An event (JSON-mode dict, with its hash) and its canonical JSON text, which is also its wire form."""

    event: dict[str, Any]
    json: str


def build_sealed_event(
    head: ChainHead,
    event_type: str,
    payload: BaseModel | dict[str, Any],
    actor: dict[str, str | None],
    correlation_id: str | None = None,
    causation_id: str | None = None,
    occurred_at: datetime | None = None,
    payload_json: str | None = None,
) -> SealedEvent:
    """The next event and its canonical JSON, encoded once (the workers' batches write both).

    `payload` is a contract model, or its JSON-mode dump when a batch reuses one for many devices;
    `payload_json`, when given, is that dump's canonical JSON, so it is not encoded again."""
    event_id = new_id()
    payload_dict = payload.model_dump(mode="json") if isinstance(payload, BaseModel) else payload
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
        "payload": payload_dict,
        "prev_hash": head.hash,
    }
    body_json = canonical_event_body(
        event_id=event_id, event_type=event_type, schema_version=1, occurred_at=body["occurred_at"],
        asset_id=head.asset_id, sequence=body["sequence"], actor=body["actor"], correlation_id=body["correlation_id"],
        causation_id=causation_id, payload_json=canonical_json(payload_dict) if payload_json is None else payload_json,
        prev_hash=head.hash)
    body["hash"] = hash_of_canonical(head.hash, body_json)
    return SealedEvent(body, seal_canonical(body_json, body["hash"]))
