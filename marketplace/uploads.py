"""Reading what a client uploads, never more than a limit: the doors check who is calling first, then read.

A door that reads the whole body before it looks at the caller or the size lets anyone make the server
hold (or spool to disk) whatever they send. Here a body is pulled chunk by chunk and abandoned as soon
as it passes the limit: at most `limit + 1` bytes are kept, and no further chunk is pulled.
"""

from __future__ import annotations

from collections.abc import AsyncIterable


class TooLarge(Exception):
    """The body passed `limit` bytes; the rest was not read. Each door says it in its own terms."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} bytes")
        self.limit = limit


async def read_at_most(chunks: AsyncIterable[bytes], limit: int) -> bytes:
    """Every chunk, joined, when they come to at most `limit` bytes; TooLarge as soon as they pass it."""
    body = bytearray()
    async for chunk in chunks:
        body += chunk[: limit + 1 - len(body)]
        if len(body) > limit:
            raise TooLarge(limit)
    return bytes(body)
