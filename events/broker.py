"""Broker factory and the consumer settings every worker shares."""

from __future__ import annotations

import logging
from typing import Any

from faststream import FastStream
from faststream.kafka import KafkaBroker
from faststream.middlewares import AckPolicy


def make_broker(bootstrap_servers: str, client_id: str = "seconde-vie") -> KafkaBroker:
    # No compression: Tansu (the embedded broker) does not support it, and messages are small.
    # Per-message "Received/Processed" lines at DEBUG: at regional volumes they would drown the logs.
    return KafkaBroker(bootstrap_servers, client_id=client_id, graceful_timeout=10.0, log_level=logging.DEBUG)


DESCRIPTION = (
    "Seconde Vie: the circular marketplace for the retired IT equipment of the Région Bretagne and its "
    "lycées. Donor systems retire devices on `assets.retirements.v1`; every lifecycle event (retired, "
    "offered, claimed, collected...) is published on `assets.lifecycle.v1`, keyed by device; messages that "
    "cannot be processed go to `assets.deadletter.v1`. All messages are UTF-8 JSON; delivery is "
    "at-least-once and every consumer is idempotent."
)


def make_app(broker: KafkaBroker, title: str = "Seconde Vie") -> FastStream:
    from faststream.specification import AsyncAPI

    return FastStream(broker, specification=AsyncAPI(title=title, version="1.0.0", description=DESCRIPTION))


def raw_records(body: Any) -> Any:
    """Keep bodies as bytes: workers validate them themselves, so a bad message becomes a dead letter
    instead of an exception inside the framework's decoder."""
    return body


FETCH_MAX_BYTES = 2 << 20
PARTITION_FETCH_MAX_BYTES = 512 << 10


def batch_consumer_options(group_id: str, session_timeout_ms: int, heartbeat_interval_ms: int,
                           max_records: int = 500) -> dict[str, Any]:
    """At-least-once batches: offsets are committed only after the handler's transaction commits; an
    unexpected error rewinds the batch (nack) so it is delivered again."""
    return {
        "group_id": group_id,
        "batch": True,
        "max_records": max_records,
        "batch_timeout_ms": 20,
        # The broker answers a fetch as soon as data arrives, or after this long when none does; the
        # default 500 ms sits in the latency of every quiet moment (p99 target: 250 ms end to end).
        "fetch_max_wait_ms": 50,
        # What one fetch may bring back: the consumer holds a fetched response (and the records decoded from
        # it) until the handler has taken them all. The 50 MB default let a worker that fell behind hold
        # tens of megabytes of backlog; batches of `max_records` need far less.
        "fetch_max_bytes": FETCH_MAX_BYTES,
        "max_partition_fetch_bytes": PARTITION_FETCH_MAX_BYTES,
        "auto_offset_reset": "earliest",
        "ack_policy": AckPolicy.NACK_ON_ERROR,
        "session_timeout_ms": session_timeout_ms,
        "heartbeat_interval_ms": heartbeat_interval_ms,
    }
