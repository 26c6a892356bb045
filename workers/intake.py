"""Intake worker: `assets.retirements.v1` -> `retire` command, bad messages -> dead letters."""

from __future__ import annotations

import logging
from typing import Any

from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from events.broker import raw_records
from events.records import from_consumer_record
from events.topics import INTAKE_GROUP, RETIREMENTS
from marketplace.consumers.batches import INTAKE_CONSUMER, process_retirements
from marketplace.consumers.poison import process_isolating_poison
from workers.context import WorkerContext

log = logging.getLogger("seconde_vie.intake")


def register_intake(broker: KafkaBroker, ctx: WorkerContext) -> None:
    @broker.subscriber(
        RETIREMENTS.name, **ctx.consumer_options(INTAKE_GROUP), decoder=raw_records,
        title="intake", description="Retires one device per message (idempotent on donor + request_id).",
    )
    async def on_retirement(body: Any, message: KafkaMessage) -> None:
        raw = message.raw_message
        records = [from_consumer_record(r) for r in (raw if isinstance(raw, tuple) else (raw,))]
        result = await process_isolating_poison(
            ctx.db, records, lambda batch: process_retirements(ctx.db, batch), INTAKE_CONSUMER)
        for reason in result.dead_letters:
            log.warning("intake message refused: %s", reason)
