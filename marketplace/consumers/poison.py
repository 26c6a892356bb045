"""Keeping one bad message from blocking a partition (a "poison" message).

A worker's batch runs in one transaction. When it fails with an error that is not a passing outage
(the database or the network going away, which a retry of the whole batch cures), retrying the same
batch would fail forever and stop everything behind it. Instead the batch is split: each record is
processed on its own, and a record that still fails is recorded as a dead letter with the error, in
its own transaction, so the others go through and the partition moves on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import asyncpg

from events.records import Record
from marketplace.adapters.dead_letters import record_dead_letter
from marketplace.consumers.batches import BatchResult
from marketplace.unit_of_work import UnitOfWork

log = logging.getLogger("seconde_vie.poison")

# Errors that say "try again later", not "this message is bad".
TRANSIENT = (OSError, asyncpg.PostgresConnectionError, asyncpg.InterfaceError, asyncpg.CannotConnectNowError,
             asyncpg.TooManyConnectionsError, asyncpg.SerializationError, asyncpg.DeadlockDetectedError)

# Of those, the ones that say "the database is away": the batch is redelivered after a pause, not twenty
# times a second (each time with a traceback in the log) until PostgreSQL is back.
CONTENTION = (asyncpg.SerializationError, asyncpg.DeadlockDetectedError)
OUTAGE_PAUSE_SECONDS = 1.0

Process = Callable[[list[Record]], Awaitable[BatchResult]]


async def _pause_if_outage(exc: BaseException, consumer: str, records: int) -> None:
    if not isinstance(exc, CONTENTION):
        log.warning("%s: batch of %d not processed (%s: %s); redelivered in %.0f s", consumer, records,
                    type(exc).__name__, exc, OUTAGE_PAUSE_SECONDS)
        await asyncio.sleep(OUTAGE_PAUSE_SECONDS)


async def process_isolating_poison(pool: asyncpg.Pool, records: list[Record], process: Process,
                                   consumer: str) -> BatchResult:
    try:
        return await process(records)
    except TRANSIENT as exc:
        await _pause_if_outage(exc, consumer, len(records))
        raise
    except Exception:
        log.exception("%s: batch of %d failed; retrying record by record", consumer, len(records))
    total = BatchResult()
    for record in records:
        try:
            one = await process([record])
        except TRANSIENT as exc:
            await _pause_if_outage(exc, consumer, len(records))
            raise
        except Exception as exc:  # noqa: BLE001 - this record is the poison
            reason = f"processing failed: {type(exc).__name__}: {exc}"[:2000]
            async with UnitOfWork(pool) as uow:
                await record_dead_letter(uow.conn, record, reason, consumer)
            total.dead_letters.append(reason)
            continue
        total.done += one.done
        total.duplicates += one.duplicates
        total.dead_letters += one.dead_letters
    return total
