"""The unit of work: one PostgreSQL transaction per command (or per batch of commands)."""

from __future__ import annotations

from types import TracebackType
from typing import Self

import asyncpg


class UnitOfWork:
    """`async with UnitOfWork(pool) as uow:` opens a transaction on `uow.conn`; leaving commits it,
    an exception rolls it back. Events, read rows and outbox rows are written on that one connection,
    which is what makes the outbox a single atomic write instead of a dual write."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool
        self.conn: asyncpg.Connection

    async def __aenter__(self) -> Self:
        self.conn = await self._pool.acquire()
        self._tx = self.conn.transaction()
        await self._tx.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if exc_type is None:
                await self._tx.commit()
            else:
                await self._tx.rollback()
        finally:
            await self._pool.release(self.conn)
