"""What workers need from a consumed Kafka record, independent of the client library."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Record:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: dict[str, str]

    @property
    def key_text(self) -> str | None:
        """The key as text PostgreSQL can store (undecodable bytes and NUL become U+FFFD)."""
        return storable_text(self.key.decode("utf-8", errors="replace")) if self.key is not None else None

    def value_for_humans(self) -> tuple[str, str]:
        """(text, encoding): the value as UTF-8 text, or base64 when it is not valid UTF-8 or holds a NUL."""
        try:
            text = self.value.decode("utf-8")
        except UnicodeDecodeError:
            text = "\x00"
        if "\x00" in text:  # PostgreSQL text and jsonb cannot hold NUL
            return base64.b64encode(self.value).decode("ascii"), "base64"
        return text, "utf-8"


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable_text(text: str) -> str:
    """`text` as PostgreSQL text and jsonb accept it: NUL and lone surrogates (from JSON escapes) become U+FFFD."""
    return _UNSTORABLE.sub("\ufffd", text)


def from_consumer_record(r: Any) -> Record:
    """From an aiokafka ConsumerRecord (typed loosely: the library's record type is generic)."""
    headers = {k: (v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v))
               for k, v in (getattr(r, "headers", None) or ())}
    value = r.value
    return Record(r.topic, r.partition, r.offset, r.key,
                  value if isinstance(value, bytes) else bytes(value or b""), headers)
