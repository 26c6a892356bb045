"""Time-ordered UUIDv7 identifiers (RFC 9562), which keep B-tree indexes append-friendly.

The workers make several ids per device, so they are built straight into their text form from the
clock and a buffer of OS randomness read 4 KiB at a time (one system call per ~400 ids); device codes
draw from the same buffer.
"""

from __future__ import annotations

import os
import time

_RANDOM_CHUNK = 4096
_random = b""
_offset = _RANDOM_CHUNK


def _forget_random_bytes() -> None:
    """A forked child must not reuse its parent's buffered randomness."""
    global _random, _offset
    _random, _offset = b"", _RANDOM_CHUNK


os.register_at_fork(after_in_child=_forget_random_bytes)


def random_bytes(n: int) -> bytes:
    """`n` bytes of OS randomness (n at most 4 KiB), from the buffer."""
    global _random, _offset
    if _offset + n > len(_random):
        _random, _offset = os.urandom(_RANDOM_CHUNK), 0
    chunk = _random[_offset:_offset + n]
    _offset += n
    return chunk


def new_id() -> str:
    """A UUIDv7 as text: 48 bits of Unix milliseconds, version 7, 74 random bits, variant 10."""
    raw = bytearray((time.time_ns() // 1_000_000 & 0xFFFF_FFFF_FFFF).to_bytes(6, "big") + random_bytes(10))
    raw[6] = 0x70 | (raw[6] & 0x0F)
    raw[8] = 0x80 | (raw[8] & 0x3F)
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
