"""Router worker: `asset.retired` on `assets.lifecycle.v1` -> offers (idempotent through the inbox)."""

from __future__ import annotations

from typing import Any

from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from events.broker import raw_records
from events.records import from_consumer_record
from events.topics import LIFECYCLE, ROUTER_GROUP
from marketplace.consumers.batches import ROUTER_CONSUMER, process_lifecycle_for_routing
from marketplace.consumers.poison import process_isolating_poison
from workers.context import WorkerContext


def register_router(broker: KafkaBroker, ctx: WorkerContext) -> None:
    @broker.subscriber(
        LIFECYCLE.name, **ctx.consumer_options(ROUTER_GROUP), decoder=raw_records,
        title="router",
        description="Offers each retired device (and each device whose round of offers ended) to the best candidates.",
    )
    async def on_asset_retired(body: Any, message: KafkaMessage) -> None:
        raw = message.raw_message
        records = [from_consumer_record(r) for r in (raw if isinstance(raw, tuple) else (raw,))]
        await process_isolating_poison(
            ctx.db, records, lambda batch: process_lifecycle_for_routing(ctx.db, batch, ctx.settings), ROUTER_CONSUMER)
