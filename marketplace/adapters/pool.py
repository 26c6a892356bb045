"""The asyncpg pool, with JSON codecs so jsonb columns come back as Python values."""

from __future__ import annotations

import json

import asyncpg


class JsonText(str):
    """JSON already encoded (a worker's event payload): written to a jsonb column as is."""


def _jsonb_encode(value: object) -> bytes:
    text = value if isinstance(value, JsonText) else json.dumps(value)
    return b"\x01" + text.encode("utf-8")  # jsonb's binary format: version 1, then the text


def _jsonb_decode(data: bytes) -> object:
    return json.loads(data[1:])


async def _init_connection(conn: asyncpg.Connection) -> None:
    # Binary, so that COPY (which only speaks binary) can write jsonb columns too.
    await conn.set_type_codec("jsonb", encoder=_jsonb_encode, decoder=_jsonb_decode, schema="pg_catalog",
                              format="binary")
    await conn.set_type_codec("json", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


# The DSN each pool was opened with (asyncpg's Pool has slots and no weak references), for the work that
# opens connections of its own in other processes (`audit verify --jobs`).
_DSNS: dict[int, str] = {}


async def create_pool(dsn: str, size: int = 5) -> asyncpg.Pool:
    pool = await asyncpg.create_pool(dsn, min_size=1, max_size=size, init=_init_connection)
    assert pool is not None
    _DSNS[id(pool)] = dsn
    return pool


def dsn_of(pool: asyncpg.Pool) -> str | None:
    """The DSN `create_pool` opened `pool` with (None for a pool made elsewhere)."""
    return _DSNS.get(id(pool))
