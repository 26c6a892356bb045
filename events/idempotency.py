"""Idempotent consumers: a handler's effects and the record that it saw the event commit together.

A redelivered event (after a crash before the offset commit, a rebalance, a replay) finds its
`(consumer, event_id)` already recorded and is skipped. The record lives in PostgreSQL's `inbox`
table, written for a whole batch by `marketplace.adapters.bulk.record_inbox` in the handler's own
transaction.
"""

from __future__ import annotations

from typing import Protocol


class Inbox(Protocol):
    async def first_times(self, consumer: str, event_ids: list[str]) -> set[str]:
        """Record the events for this consumer; returns those it had not seen before."""
        ...
