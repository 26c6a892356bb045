"""Composition root: wires settings, the pool and the services. Nothing connects at import time."""

from __future__ import annotations

import asyncio

from marketplace.adapters.pool import create_pool
from marketplace.services import Marketplace
from marketplace.settings import Settings, get_settings

_instance: Marketplace | None = None
_lock = asyncio.Lock()


async def build_marketplace(settings: Settings) -> Marketplace:
    if not settings.database_url:
        raise RuntimeError("DATABASE_URL is not set: start the product with `seconde-vie up` or set it.")
    return Marketplace(await create_pool(settings.database_url, settings.db_pool_size), settings)


async def get_marketplace() -> Marketplace:
    """The process-wide marketplace, created on first use."""
    global _instance
    async with _lock:
        if _instance is None:
            _instance = await build_marketplace(get_settings())
        return _instance
