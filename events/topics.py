"""The topic catalogue (ARCHITECTURE.md, Kafka)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    name: str
    key: str
    content: str


RETIREMENTS = Topic("assets.retirements.v1", "donor organisation slug", "intake messages, one device each")
LIFECYCLE = Topic("assets.lifecycle.v1", "asset id", "every lifecycle event, from the outbox relay")
DEADLETTER = Topic("assets.deadletter.v1", "original key", "messages that failed, with the reason")

ALL_TOPICS = (RETIREMENTS, LIFECYCLE, DEADLETTER)

# Consumer groups: one per concern, so each sees every message once per group.
INTAKE_GROUP = "seconde-vie-intake"
ROUTER_GROUP = "seconde-vie-router"
NOTIFIER_GROUP = "seconde-vie-notifier"
MATCHER_GROUP = "seconde-vie-matcher"
