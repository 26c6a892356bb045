"""The lifecycle event envelope of `assets.lifecycle.v1` (EVENTS.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

GENESIS_HASH = "0" * 64


class Actor(BaseModel):
    """Who caused an event: a user of an organisation, or a system component."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    org: str | None = Field(default=None, description="Slug of the actor's organisation.")
    user: str | None = Field(default=None, description="Id of the user, when a person acted.")
    system: str | None = Field(default=None, description="Name of the system component, when no person acted.")


class EnvelopeBase(BaseModel):
    """Fields every lifecycle event carries; `type` and `payload` are set by each event model."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event_id: str = Field(description="UUIDv7 of the event.")
    schema_version: int = Field(default=1)
    occurred_at: datetime
    asset_id: str = Field(description="UUIDv7 of the device.")
    sequence: int = Field(ge=1, description="Position in the device's chain, from 1.")
    actor: Actor
    correlation_id: str
    causation_id: str | None = None
    prev_hash: str = Field(min_length=64, max_length=64)
    hash: str = Field(min_length=64, max_length=64)

    def body_for_hash(self) -> dict[str, Any]:
        """The event as hashed: everything but `hash`, in JSON mode."""
        return self.model_dump(mode="json", exclude={"hash"})
