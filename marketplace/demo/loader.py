"""Loading the Bretagne demo data on first start (demo mode only)."""

from __future__ import annotations

import random
from datetime import timedelta

import asyncpg

from marketplace.adapters import accounts
from marketplace.adapters import repositories as repo
from marketplace.auth.credentials import hash_password
from marketplace.commands import Actor, RetireDevice, RouteDevice
from marketplace.demo.catalogue import DEMO_ACCOUNTS, MODELS, ORGANISATIONS
from marketplace.demo.journeys import advance
from marketplace.domain.ids import new_id
from marketplace.domain.territory import load_pays
from marketplace.handlers.retire import retire_device
from marketplace.handlers.route import load_candidates, route_device
from marketplace.unit_of_work import UnitOfWork
from schemas.intake import RetirementRequest

__all__ = ["DEMO_ACCOUNTS", "ensure_reference_data", "load_demo_data"]


async def ensure_reference_data(pool: asyncpg.Pool) -> None:
    """The 21 pays: reference data every install needs, demo or not."""
    rows = [(p.code, p.name, list(p.department_codes), p.main_town, p.lat, p.lon) for p in load_pays().values()]
    async with pool.acquire() as conn:
        await repo.upsert_pays(conn, rows)


async def load_demo_data(pool: asyncpg.Pool, devices: int = 200, seed: int = 2026) -> bool:
    """Organisations, one account per role and about `devices` devices; False when already loaded."""
    await ensure_reference_data(pool)
    async with UnitOfWork(pool) as uow:
        if await repo.count_organisations(uow.conn) > 0:
            return False
        for slug, name, kind, pays, town, cats, capacity in ORGANISATIONS:
            await accounts.insert_org(uow.conn, (new_id(), slug, name, kind, pays, town, cats, capacity,
                                                 f"contact@{slug}.demo"))
        for email, password, display, org, admin in DEMO_ACCOUNTS.values():
            await accounts.insert_user(uow.conn, (new_id(), org, email, display, hash_password(password), admin))
    await _load_devices(pool, devices, random.Random(seed))
    return True


async def _load_devices(pool: asyncpg.Pool, count: int, rng: random.Random) -> None:
    donors = [o[0] for o in ORGANISATIONS if o[2] in ("region", "lycee")]
    categories = list(MODELS)
    async with UnitOfWork(pool) as uow:
        candidates = await load_candidates(uow)
        for n in range(count):
            category = rng.choice(categories)
            brand, model = rng.choice(MODELS[category])
            donor = rng.choice(donors)
            request = RetirementRequest(
                request_id=f"demo-{n:04d}", donor=donor, category=category, brand=brand, model=model,
                serial=f"DEMO{n:05d}{rng.randrange(10**6):06d}", year=rng.randint(2013, 2023),
                condition=rng.choice(["working", "working", "faulty", "unknown"]),
                has_storage=category in ("laptop", "desktop", "tablet", "smartphone", "server"),
                inventory_number=f"INV-{rng.randrange(10**5):05d}",
            )
            retired = await retire_device(RetireDevice(request, Actor(org=donor, system="demo")), uow)
            fate = rng.random()
            if fate < 0.15:
                continue  # stays `retired`: the router will pick it up when it runs
            await route_device(RouteDevice(retired.asset_id), uow, 3, timedelta(hours=72), candidates)
            if fate < 0.45:
                continue
            offer = await repo.best_open_offer(uow.conn, retired.asset_id)
            if offer is not None:
                await advance(uow, retired.code, offer["slug"], rng)
