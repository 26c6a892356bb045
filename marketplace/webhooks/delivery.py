"""The webhook delivery worker: lease due deliveries, POST them signed, retry with exponential backoff.

Every POST goes through `guard.WebhookSender`: the URL's host is resolved and checked when it is sent, so
a URL that names the inside (whatever registration let through, or what its name resolves to today) is
refused without a byte sent. A failure is stored as its class (`failures.py`), never as its error text.

At-least-once: a delivery is marked delivered only after a 2xx answer, so a crash between sending and
marking sends it again; receivers deduplicate on `X-SecondeVie-Delivery` (or the event's `event_id`).
Several workers can run: leases (`FOR UPDATE SKIP LOCKED`, then a pushed-back `next_attempt_at`) keep
them from sending the same delivery at the same time.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx

from marketplace.adapters import webhook_queries as q
from marketplace.adapters.views import event_wire
from marketplace.domain.hashchain import canonical_json
from marketplace.i18n import catalogues
from marketplace.webhooks import failures
from marketplace.webhooks.guard import RefusedAddress, WebhookSender
from marketplace.webhooks.signing import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    signature,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    """Attempt n (from 1) that fails waits base * 2**(n-1), at most `cap`; after `max_attempts`, failed."""

    base_seconds: float = 30.0
    cap_seconds: float = 6 * 3600.0
    max_attempts: int = 10
    timeout_seconds: float = 10.0
    lease_seconds: float = 60.0

    def delay(self, attempts: int) -> float:
        return float(min(self.cap_seconds, self.base_seconds * 2 ** max(attempts - 1, 0)))


async def deliver_due(pool: asyncpg.Pool, sender: WebhookSender, policy: RetryPolicy, limit: int = 50) -> int:
    """Send what is due now; returns how many deliveries were attempted."""
    async with pool.acquire() as conn, conn.transaction():
        due = await q.lease_due(conn, limit, policy.lease_seconds)
    if due:
        await asyncio.gather(*(_deliver(pool, sender, policy, row) for row in due))
    return len(due)


async def _deliver(pool: asyncpg.Pool, sender: WebhookSender, policy: RetryPolicy, row: asyncpg.Record) -> None:
    attempts = row["attempts"] + 1
    status: int | None = None
    error = ""
    if not row["active"]:
        error = failures.REMOVED
    else:
        body = canonical_json(event_wire(row)).encode("utf-8")
        stamp = int(time.time())
        headers = {"Content-Type": "application/json", TIMESTAMP_HEADER: str(stamp),
                   SIGNATURE_HEADER: signature(row["secret"], stamp, body), EVENT_HEADER: row["type"],
                   DELIVERY_HEADER: str(row["id"]), "User-Agent": "SecondeVie-Webhooks/1"}
        try:
            status = await sender.post(row["url"], body, headers, policy.timeout_seconds)
            if 200 <= status < 300:
                async with pool.acquire() as conn:
                    await q.mark_delivered(conn, row["id"], status)
                return
            error = failures.of_status(status)
        except (httpx.HTTPError, httpx.InvalidURL, RefusedAddress) as exc:
            error = failures.of_error(exc)
            log.info("webhook delivery %s to %s failed (%s): %s", row["id"], row["url"], error, exc)
    final = attempts >= policy.max_attempts or not row["active"]
    next_at = datetime.now(UTC) + timedelta(seconds=policy.delay(attempts))
    async with pool.acquire() as conn:
        await q.mark_failed_attempt(conn, row["id"], status, error, final, next_at)


async def run_webhooks(dsn: str, policy: RetryPolicy, poll_seconds: float = 1.0,
                       stop: asyncio.Event | None = None) -> None:
    """The `seconde-vie webhooks` loop: until `stop` is set (or forever)."""
    from marketplace.adapters.pool import create_pool

    stop = stop or asyncio.Event()
    pool = await create_pool(dsn, 3)
    try:
        async with WebhookSender() as sender:
            while not stop.is_set():
                try:
                    sent = await deliver_due(pool, sender, policy)
                except (OSError, asyncpg.PostgresError) as exc:  # database restarting: try again shortly
                    log.warning("webhook delivery pass failed: %s", exc)
                    sent = 0
                if not sent:
                    try:
                        await asyncio.wait_for(stop.wait(), poll_seconds)
                    except TimeoutError:
                        pass
    finally:
        await pool.close()


def run_from_cli(database_url: str | None) -> int:
    """`seconde-vie webhooks`. WEBHOOK_RETRY_BASE_SECONDS and WEBHOOK_MAX_ATTEMPTS tune the retries."""
    import os

    if not database_url:
        print(catalogues.text("cli.no_database_url", catalogues.language_from_environment()))
        return 2
    policy = RetryPolicy(base_seconds=float(os.environ.get("WEBHOOK_RETRY_BASE_SECONDS", "30")),
                         max_attempts=int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", "10")))
    try:
        asyncio.run(run_webhooks(database_url, policy))
    except KeyboardInterrupt:
        pass
    return 0
