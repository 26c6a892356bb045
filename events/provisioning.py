"""Creating the topics with kafka-python's admin client (idempotent)."""

from __future__ import annotations

import time

from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from events.topics import ALL_TOPICS


def ensure_topics(
    bootstrap_servers: str, partitions: int, timeout_s: float = 30.0, replication_factor: int = 1,
) -> list[str]:
    """Create missing topics; returns the names created. Retries while the broker is starting."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            admin = KafkaAdminClient(bootstrap_servers=bootstrap_servers, client_id="seconde-vie-admin")
            break
        except KafkaError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    try:
        existing = set(admin.list_topics())
        missing = [t.name for t in ALL_TOPICS if t.name not in existing]
        if missing:
            try:
                admin.create_topics([NewTopic(n, num_partitions=partitions, replication_factor=replication_factor) for n in missing])
            except TopicAlreadyExistsError:
                pass  # another process won the race: the topic exists, which is all we need
        return missing
    finally:
        admin.close()


def broker_unreachable(bootstrap: str) -> Exception | None:
    """None when a broker answers a metadata request at `bootstrap`, else why not (not listening yet...)."""
    try:
        admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=2000)
    except (KafkaError, OSError) as exc:
        return exc
    try:
        admin.list_topics()
    except (KafkaError, OSError) as exc:
        return exc
    finally:
        admin.close()
    return None
