"""Composition of the FastStream workers: `seconde-vie worker intake router` runs the ones named."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable, Iterable
from datetime import timedelta

from faststream import FastStream
from faststream.kafka import KafkaBroker

from events.broker import make_app, make_broker
from marketplace.settings import Settings
from workers.context import WorkerContext
from workers.intake import register_intake
from workers.matcher import register_matcher
from workers.memory import return_large_buffers_to_the_system, trim_free_memory_every
from workers.notifier import register_notifier
from workers.router import register_router

WORKERS: dict[str, Callable[[KafkaBroker, WorkerContext], None]] = {
    "intake": register_intake,
    "router": register_router,
    "notifier": register_notifier,
    "matcher": register_matcher,
}


def build_app(settings: Settings, names: Iterable[str]) -> tuple[FastStream, WorkerContext]:
    """The FastStream app with the named workers' subscribers (all of them for the AsyncAPI document)."""
    broker = make_broker(settings.bootstrap_servers)
    ctx = WorkerContext(settings)
    for name in names:
        if name not in WORKERS:
            raise SystemExit(f"unknown worker {name!r}; known: {', '.join(WORKERS)}")
        WORKERS[name](broker, ctx)
    app = make_app(broker)
    app.on_startup(ctx.start)
    app.after_shutdown(ctx.stop)
    return app, ctx


def _prepare_process() -> None:
    """What every long-running worker process sets up first: its logging and its allocator."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # aiokafka narrates every rebalance at INFO; operators need its warnings only.
    logging.getLogger("aiokafka").setLevel(logging.WARNING)
    return_large_buffers_to_the_system()


async def run_workers(settings: Settings, names: Iterable[str]) -> None:
    _prepare_process()
    app, _ = build_app(settings, list(names))
    trimming = asyncio.create_task(trim_free_memory_every(1.0))
    try:
        await app.run()
    finally:
        trimming.cancel()


async def run_relay(settings: Settings) -> None:
    from workers.relay import Relay

    _prepare_process()
    relay = Relay(settings)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, relay.stop)
    await relay.run()


async def run_timers(settings: Settings) -> None:
    from marketplace.timers.worker import TimerWorker

    _prepare_process()
    worker = TimerWorker(settings)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, worker.stop)
    await worker.run()


async def run_notifier(settings: Settings) -> None:
    """The notifier process: its consumer of the lifecycle topic, and the mailer beside it."""
    from marketplace.consumers.notify import reconcile_notifications
    from marketplace.notifications.mailer import Mailer

    _prepare_process()
    app, _ = build_app(settings, ["notifier"])
    # Events the broker lost before the consumer read them (Tansu keeps messages in memory) are read from
    # PostgreSQL once RECONCILE_AFTER_SECONDS old, as the routing reconciler does for devices left waiting.
    grace = timedelta(seconds=settings.reconcile_after_seconds)
    mailer = Mailer(settings, reconcile=lambda pool: reconcile_notifications(pool, grace))
    mailing = asyncio.create_task(mailer.run())
    try:
        await app.run()
    finally:
        mailer.stop()
        await mailing
