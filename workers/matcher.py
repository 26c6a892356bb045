"""Matcher worker: `asset.refurbished` on `assets.lifecycle.v1` -> a proposal to the best open need (idempotent
through the inbox, like the router)."""

from __future__ import annotations

from typing import Any

from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from events.broker import raw_records
from events.records import from_consumer_record
from events.topics import LIFECYCLE, MATCHER_GROUP
from marketplace.consumers.matching import MATCHER_CONSUMER, process_lifecycle_for_matching
from marketplace.consumers.poison import process_isolating_poison
from workers.context import WorkerContext


def register_matcher(broker: KafkaBroker, ctx: WorkerContext) -> None:
    @broker.subscriber(
        LIFECYCLE.name, **ctx.consumer_options(MATCHER_GROUP), decoder=raw_records,
        title="matcher",
        description="Proposes each refurbished device (and each device freed from a reservation) to the open need "
                    "of a tiers-lieu or an association that fits it best: nearest first, then the Région's "
                    "priority, then the longest waiting.",
    )
    async def on_asset_refurbished(body: Any, message: KafkaMessage) -> None:
        raw = message.raw_message
        records = [from_consumer_record(r) for r in (raw if isinstance(raw, tuple) else (raw,))]
        await process_isolating_poison(
            ctx.db, records, lambda batch: process_lifecycle_for_matching(ctx.db, batch), MATCHER_CONSUMER)
