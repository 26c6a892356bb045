"""The digest of a set of chain heads (docs/audit.md): anyone can recompute it from the open data.

digest = sha256 over the lines "asset_id:last_sequence:last_hash\n", sorted by asset_id (lowercase UUID
text), UTF-8. An empty set of heads digests to sha256 of the empty string.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


def head_line(asset_id: str, sequence: int, hash_: str) -> str:
    return f"{asset_id.lower()}:{sequence}:{hash_}\n"


@dataclass
class HeadsDigest:
    """Incremental digest: feed heads in asset_id order (checked, since the order is part of the scheme)."""

    _sha: Any = field(default_factory=hashlib.sha256)
    devices: int = 0
    events: int = 0
    _last: str = ""

    def add(self, asset_id: str, sequence: int, hash_: str) -> None:
        key = asset_id.lower()
        if key <= self._last and self.devices:
            raise ValueError(f"chain heads must come sorted by asset id: {key} after {self._last}")
        self._last = key
        self._sha.update(head_line(key, sequence, hash_).encode("utf-8"))
        self.devices += 1
        self.events += sequence

    def hexdigest(self) -> str:
        return str(self._sha.hexdigest())


def heads_digest(heads: Iterable[tuple[str, int, str]]) -> str:
    """The digest of (asset_id, last sequence, last hash) triples, in any order."""
    digest = HeadsDigest()
    for asset_id, sequence, hash_ in sorted(heads, key=lambda h: h[0].lower()):
        digest.add(asset_id, sequence, hash_)
    return digest.hexdigest()
