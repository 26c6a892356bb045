"""What workers need from a consumed Kafka record, independent of the client library."""

from __future__ import annotations

import base64
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
        return self.key.decode("utf-8", errors="replace") if self.key is not None else None

    def value_for_humans(self) -> tuple[str, str]:
        """(text, encoding): the value as UTF-8 text, or base64 when it is not valid UTF-8."""
        try:
            return self.value.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            return base64.b64encode(self.value).decode("ascii"), "base64"


def from_consumer_record(r: Any) -> Record:
    """From an aiokafka ConsumerRecord (typed loosely: the library's record type is generic)."""
    headers = {k: (v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v))
               for k, v in (getattr(r, "headers", None) or ())}
    value = r.value
    return Record(r.topic, r.partition, r.offset, r.key,
                  value if isinstance(value, bytes) else bytes(value or b""), headers)
