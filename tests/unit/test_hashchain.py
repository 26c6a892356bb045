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


class TestEncodedOnce:
    """The workers encode each event once and cut the outbox value and the stored payload from that text;
    it must be exactly what encoding the whole event (and the payload alone) would give."""

    @staticmethod
    def _awkward_text() -> Any:
        from hypothesis import strategies as st

        tricky = st.sampled_from([',"occurred_at":', ',"prev_hash":"', '"payload":', '"hash":"x"', '\\"', "é", "\u2028"])
        return st.lists(st.one_of(tricky, st.text(max_size=8)), max_size=6).map("".join)

    def test_sealed_event_text_is_the_canonical_json_of_the_event_and_of_its_payload(self) -> None:
        from hypothesis import given, settings
        from hypothesis import strategies as st

        from marketplace.domain.chain import build_sealed_event
        from marketplace.domain.hashchain import payload_of_canonical

        text = self._awkward_text()
        nested = st.recursive(st.none() | st.booleans() | st.integers() | text,
                              lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
                              max_leaves=12)

        @settings(max_examples=200, deadline=None)
        @given(org=text, user=text, system=st.none() | text, payload=st.dictionaries(text, nested, max_size=4),
               correlation=text, causation=st.none() | text, asset=text, pre_encoded=st.booleans())
        def check(org: str, user: str, system: str | None, payload: dict[str, Any], correlation: str,
                  causation: str | None, asset: str, pre_encoded: bool) -> None:
            # The event is assembled member by member around the payload's JSON (given, as a router batch
            # does, or encoded here): it must be what encoding the whole event gives.
            sealed = build_sealed_event(ChainHead(asset, 4, "f" * 64), "asset.diagnosed", payload,
                                        {"org": org, "user": user, "system": system}, correlation, causation,
                                        payload_json=canonical_json(payload) if pre_encoded else None)
            assert sealed.json == canonical_json(sealed.event)
            assert payload_of_canonical(sealed.json) == canonical_json(payload)
            body = {k: v for k, v in sealed.event.items() if k != "hash"}
            assert sealed.event["hash"] == event_hash("f" * 64, body)

        check()
