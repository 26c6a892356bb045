"""Keep a long-running worker's resident memory near its working set.

glibc serves large allocations (a batch's COPY buffer, a fetched Kafka response) from the heap once its
adaptive mmap threshold has risen, and a heap fragmented by them rarely shrinks: the router's resident
memory crept from 55 MB to 250 MB over 200,000 devices while its live Python objects stayed flat. A fixed
threshold gives every allocation of 64 KiB or more its own mapping, returned to the system when freed
(measured: router peak 182 MB -> 138 MB over 60,000 devices, throughput unchanged).
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import sys
from functools import cache

M_MMAP_THRESHOLD = -3  # glibc's <malloc.h>
LARGE_ALLOCATION_BYTES = 64 * 1024


@cache
def _glibc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None  # musl has neither


def return_large_buffers_to_the_system(threshold: int = LARGE_ALLOCATION_BYTES) -> bool:
    """Set glibc's mmap threshold (which also turns its adaptive raising off); False where there is no glibc."""
    libc = _glibc()
    return libc is not None and bool(libc.mallopt(ctypes.c_int(M_MMAP_THRESHOLD), ctypes.c_int(threshold)))


async def trim_free_memory_every(seconds: float) -> None:
    """Give the heap's free pages back to the system now and then (glibc `malloc_trim`, a few ms)."""
    libc = _glibc()
    while libc is not None:
        await asyncio.sleep(seconds)
        libc.malloc_trim(ctypes.c_size_t(0))
