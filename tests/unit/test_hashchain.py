"""The per-device hash chain detects edits, deletions and reordering."""

from __future__ import annotations

import copy
from typing import Any

from marketplace.domain.chain import ChainHead, build_event
from marketplace.domain.hashchain import GENESIS_HASH, canonical_json, event_hash, verify_chain
from schemas.payloads import ClaimedPayload, lifecycle_event_adapter

ACTOR = {"org": "repar-acteurs-brest", "user": "u-1", "system": None}


def chain(n: int) -> list[dict[str, Any]]:
    events, head = [], ChainHead("0193aaaa-0000-7000-8000-000000000001")
    for i in range(n):
        e = build_event(head, "asset.claimed", ClaimedPayload(offer_id=f"o{i}", claimer="x"), ACTOR)
        events.append(e)
        head = ChainHead(head.asset_id, e["sequence"], e["hash"])
    return events


class TestChain:
    def test_first_event_links_to_64_zeros_and_sequences_count_from_one(self) -> None:
        events = chain(3)
        assert events[0]["prev_hash"] == GENESIS_HASH == "0" * 64
        assert [e["sequence"] for e in events] == [1, 2, 3]
        assert verify_chain(events) is None

    def test_hash_is_sha256_of_prev_hash_and_canonical_json_without_hash(self) -> None:
        e = chain(1)[0]
        body = {k: v for k, v in e.items() if k != "hash"}
        assert e["hash"] == event_hash(GENESIS_HASH, body)
        assert canonical_json({"b": 1, "a": "é"}) == '{"a":"é","b":1}'

    def test_an_edited_payload_is_caught_at_its_sequence(self) -> None:
        events = chain(3)
        events[1] = copy.deepcopy(events[1])
        events[1]["payload"]["claimer"] = "thief"
        broken = verify_chain(events)
        assert broken is not None and broken.sequence == 2

    def test_a_deleted_event_is_caught(self) -> None:
        events = chain(3)
        broken = verify_chain([events[0], events[2]])
        assert broken is not None and broken.sequence == 2

    def test_reordered_events_are_caught(self) -> None:
        events = chain(3)
        assert verify_chain([events[1], events[0], events[2]]) is not None

    def test_built_events_match_the_published_contract(self) -> None:
        event = lifecycle_event_adapter.validate_python(chain(1)[0])
        assert event.type == "asset.claimed" and event.sequence == 1
