"""The AsyncAPI document: the FastStream app's channels plus the message contracts of each topic.

The workers read raw bytes (so that a bad message becomes a dead letter instead of a framework error),
which leaves their subscribers without a typed payload. The contracts are therefore declared as
publishers carrying the pydantic models of `schemas/`: the document then shows, for every topic, who
writes it, what each message holds (from the models' Field descriptions) and who consumes it.
"""

from __future__ import annotations

import json
from typing import Any

from faststream import FastStream
from faststream.kafka import KafkaBroker

from events.topics import DEADLETTER, LIFECYCLE, RETIREMENTS
from schemas.deadletter import DeadLetter
from schemas.intake import RetirementRequest
from schemas.payloads import LifecycleEvent

CONTRACTS: list[tuple[str, str, str, Any]] = [
    (RETIREMENTS.name, "retirements",
     ("Intake: one JSON message per retired device, written by any donor system (CSV import, REST API, "
     "GLPI export, any Kafka client). Key: the donor organisation's slug. Unknown fields are refused; "
     "`request_id` makes intake idempotent. Invalid messages go to `assets.deadletter.v1`."),
     RetirementRequest),
    (LIFECYCLE.name, "lifecycle",
     ("Every lifecycle event of every device, published by the outbox relay once PostgreSQL committed it. "
     "Key: the asset id (a device's events stay in order); the `type` header repeats the event type. "
     "Each event is hash-chained to the previous one of the same device. `asset.offered` carries each "
     "offer's score, reasons and eligibility checks."),
     LifecycleEvent),
    (DEADLETTER.name, "dead-letters",
     ("Messages that failed validation or processing, with the original bytes (base64 when not UTF-8), "
     "where they came from, the reason and the consumer. Admins replay or discard each one."),
     DeadLetter),
]


def add_contract_publishers(broker: KafkaBroker) -> None:
    """Declare what each topic carries (documentation only: nothing publishes through these)."""
    for topic, title, description, model in CONTRACTS:
        broker.publisher(topic, title=title, description=description, schema=model)


def render_asyncapi(app: FastStream) -> str:
    """The app's AsyncAPI 3.0 document as stable, readable JSON (keys sorted, so diffs stay small)."""
    spec = app.schema.to_specification()
    return json.dumps(spec.to_jsonable(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
