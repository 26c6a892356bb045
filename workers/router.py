"""Router worker: `asset.retired` on `assets.lifecycle.v1` -> offers (idempotent through the inbox)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from events.broker import raw_records
from events.records import from_consumer_record
from events.topics import LIFECYCLE, ROUTER_GROUP
from marketplace.consumers import process_lifecycle_for_routing
from marketplace.handlers.route import rules_from_settings
from workers.context import WorkerContext


def register_router(broker: KafkaBroker, ctx: WorkerContext) -> None:
    @broker.subscriber(
        LIFECYCLE.name, **ctx.consumer_options(ROUTER_GROUP), decoder=raw_records,
        title="router", description="Offers each retired device to the best candidate organisations.",
    )
    async def on_asset_retired(body: Any, message: KafkaMessage) -> None:
        raw = message.raw_message
        records = [from_consumer_record(r) for r in (raw if isinstance(raw, tuple) else (raw,))]
        settings = ctx.settings
        await process_lifecycle_for_routing(
            ctx.db, records, settings.routing_k, timedelta(hours=settings.offer_ttl_hours),
            rules_from_settings(settings),
        )
