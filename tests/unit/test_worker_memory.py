"""Workers ask glibc to give large buffers back to the system (the router's resident memory stays bounded)."""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

import pytest

from workers.memory import return_large_buffers_to_the_system


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_glibc_accepts_the_fixed_mmap_threshold() -> None:
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    if getattr(libc, "mallopt", None) is None:
        pytest.skip("not glibc")
    assert return_large_buffers_to_the_system() is True
    assert return_large_buffers_to_the_system(128 * 1024) is True  # may be set again
