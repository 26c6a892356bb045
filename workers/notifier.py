"""Notifier worker: lifecycle events -> pending notifications (idempotent through the inbox)."""

from __future__ import annotations

from typing import Any

from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from events.broker import raw_records
from events.records import from_consumer_record
from events.topics import LIFECYCLE, NOTIFIER_GROUP
from marketplace.consumers.notify import NOTIFIER_CONSUMER, process_lifecycle_for_notifications
from marketplace.consumers.poison import process_isolating_poison
from workers.context import WorkerContext


def register_notifier(broker: KafkaBroker, ctx: WorkerContext) -> None:
    @broker.subscriber(
        LIFECYCLE.name, **ctx.consumer_options(NOTIFIER_GROUP), decoder=raw_records,
        title="notifier",
        description="Tells people what needs them: offers made to their organisation, lapsed claims, "
                    "cancelled reservations (one e-mail per person and cause).",
    )
    async def on_lifecycle_event(body: Any, message: KafkaMessage) -> None:
        raw = message.raw_message
        records = [from_consumer_record(r) for r in (raw if isinstance(raw, tuple) else (raw,))]
        await process_isolating_poison(
            ctx.db, records, lambda batch: process_lifecycle_for_notifications(ctx.db, batch), NOTIFIER_CONSUMER)
