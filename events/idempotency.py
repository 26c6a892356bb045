"""Idempotent consumers: a handler's effects and the record that it saw the event commit together.

A redelivered event (after a crash before the offset commit, a rebalance, a replay) finds its
`(consumer, event_id)` already recorded and is skipped. The record lives in PostgreSQL's `inbox`
table, written by `marketplace.adapters.inbox` in the handler's own transaction.
"""

from __future__ import annotations

from typing import Protocol


class Inbox(Protocol):
    async def first_time(self, consumer: str, event_id: str) -> bool:
        """Record the event for this consumer; False when it was already recorded."""
        ...
