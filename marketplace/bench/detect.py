"""Which tool wrote a snapshot, and reading it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from marketplace.bench import battery, dmidecode, lsblk, lshw, smart, workbench
from marketplace.bench.reading import Reading
from marketplace.domain.errors import InvalidInput

MAX_BYTES = 5 * 1024 * 1024


def read_snapshot(raw: bytes) -> Reading:
    """What `raw` (any of the formats the package reads) says about the device. Refused, naming what is wrong:
    empty, over MAX_BYTES, not UTF-8, an unknown format, a field of the wrong kind, nothing readable in it."""
    if not raw.strip():
        raise InvalidInput("bench.empty")
    if len(raw) > MAX_BYTES:
        raise InvalidInput("bench.too_large", limit=MAX_BYTES // 1_048_576)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput("bench.not_text", position=exc.start) from exc
    reading = _read(text)
    if reading.is_empty():
        said = " ; ".join(n for n in reading.notes if n) or "-"
        raise InvalidInput("bench.nothing_read", source=reading.sources[0] if reading.sources else "?", said=said[:300])
    return reading


def _read(text: str) -> Reading:
    start = text.lstrip()[:1]
    if start in ("{", "["):
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise InvalidInput("bench.bad_json", detail=str(exc)[:120]) from exc
        return _read_json(data, text)
    if dmidecode.looks_like(text):
        return dmidecode.read(text)
    if battery.looks_like_upower(text):
        return battery.read_upower(text)
    raise InvalidInput("bench.unknown_format", start=_start(text))


def _read_json(data: Any, text: str) -> Reading:
    readers: list[tuple[Callable[[Any], bool], Callable[[Any], Reading]]] = [
        (workbench.looks_like, workbench.read), (smart.looks_like, smart.read), (lsblk.looks_like, lsblk.read),
        (lshw.looks_like, lshw.read)]
    for looks_like, read in readers:
        if looks_like(data):
            return read(data)
    raise InvalidInput("bench.unknown_format", start=_start(text))


def _start(text: str) -> str:
    return " ".join(text.split())[:40]
