"""The verifier's fast path (`verify_rows`) agrees with the reference (`verify_chain`) on what is sound and
where a chain breaks, and `canonical_of_text` encodes as `canonical_json` does."""

from __future__ import annotations

import json
from typing import Any

import pytest

from marketplace.domain.chain import ChainHead, build_sealed_event
from marketplace.domain.hashchain import (
    GENESIS_HASH,
    StoredRow,
    canonical_json,
    canonical_of_text,
    verify_chain,
    verify_rows,
)

VALUES: list[Any] = [{}, {"b": 1, "a": [1.5, -0.0, 1e-07, 12345678901234567890]}, {"é": "café ☕ \u2028 \"q\" \\"},
                     {"z": {"y": None, "x": True}}, [], "texte", 0.1, {"emoji": "\U0001f600", "tab": "\t\x01"}]


@pytest.mark.parametrize("value", VALUES)
def test_canonical_of_text_is_canonical_json(value: Any) -> None:
    assert canonical_of_text(json.dumps(value, indent=2)) == canonical_json(value)


def _row(event: dict[str, Any]) -> StoredRow:
    actor = event["actor"]
    return (event["asset_id"], event["sequence"], event["event_id"], event["type"], event["schema_version"],
            event["occurred_at"], actor["org"], actor["user"], actor["system"], event["correlation_id"],
            event["causation_id"], json.dumps(event["payload"]), event["prev_hash"], event["hash"])


def _chain(length: int) -> list[dict[str, Any]]:
    head, events = ChainHead("0b0e6f2e-3a8c-4a86-9d53-8d1f9a1a2b3c"), []
    for n in range(length):
        payload = {"request": {"donor": "lycee-kerichen", "model": "Latitude «5490»", "year": 2019}} if n == 0 \
            else {"by": "atelier", "notes": f"étape {n}", "weight_kg": 2.5}
        event = build_sealed_event(head, "asset.retired" if n == 0 else "asset.collected", payload,
                                   {"org": "lycee-kerichen", "user": "u1", "system": None},
                                   causation_id=head.asset_id).event
        events.append(event)
        head = ChainHead(head.asset_id, event["sequence"], event["hash"])
    return events


def test_a_sound_chain_verifies_from_the_start_and_from_any_head() -> None:
    events = _chain(4)
    rows = [_row(e) for e in events]
    assert verify_chain(events) is None and verify_rows(rows) is None
    assert verify_rows(rows[2:], events[1]["hash"], 3) is None


@pytest.mark.parametrize("edit", ["payload", "sequence", "prev_hash", "actor", "time"])
def test_each_kind_of_tampering_breaks_where_the_reference_breaks(edit: str) -> None:
    events = _chain(4)
    victim = dict(events[2])
    if edit == "payload":
        victim["payload"] = dict(victim["payload"], notes="autre")
    elif edit == "sequence":
        victim["sequence"] = 7
    elif edit == "prev_hash":
        victim["prev_hash"] = GENESIS_HASH
    elif edit == "actor":
        victim["actor"] = dict(victim["actor"], org="autre-org")
    else:
        victim["occurred_at"] = "2020-01-01T00:00:00.000Z"
    tampered = [*events[:2], victim, events[3]]
    reference = verify_chain(tampered)
    assert reference is not None
    assert verify_rows([_row(e) for e in tampered]) == reference


def test_a_wrong_start_is_a_break() -> None:
    rows = [_row(e) for e in _chain(3)]
    assert verify_rows(rows[1:]) is not None  # the chain does not start at sequence 1 from the genesis hash
    assert verify_rows(rows[2:], GENESIS_HASH, 3) is not None
