"""The per-device hash chain: hash = sha256(prev_hash + canonical_json(event without hash))."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from json.encoder import encode_basestring  # what json.dumps(ensure_ascii=False) uses for text
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    """Keys sorted, no spaces, UTF-8 characters kept as is (EVENTS.md)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _json_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return str(encode_basestring(value))
    return canonical_json(value)


def canonical_event_body(*, event_id: str, event_type: str, schema_version: int, occurred_at: str, asset_id: str,
                         sequence: int, actor: Mapping[str, str | None], correlation_id: str,
                         causation_id: str | None, payload_json: str, prev_hash: str) -> str:
    """`canonical_json` of an event body (without `hash`) whose payload is already canonical JSON: the same
    text, byte for byte, assembled member by member in key order instead of encoding the payload again
    (a router batch encodes one payload per routing decision, not one per device)."""
    actor_json = (f'{{"org":{_json_value(actor.get("org"))},"system":{_json_value(actor.get("system"))},'
                  f'"user":{_json_value(actor.get("user"))}}}')
    return (f'{{"actor":{actor_json},"asset_id":{_json_value(asset_id)},"causation_id":{_json_value(causation_id)},'
            f'"correlation_id":{_json_value(correlation_id)},"event_id":{_json_value(event_id)},'
            f'"occurred_at":{_json_value(occurred_at)},"payload":{payload_json},"prev_hash":{_json_value(prev_hash)},'
            f'"schema_version":{int(schema_version)},"sequence":{int(sequence)},"type":{_json_value(event_type)}}}')


def event_hash(prev_hash: str, body_without_hash: Mapping[str, Any]) -> str:
    return hash_of_canonical(prev_hash, canonical_json(body_without_hash))


def hash_of_canonical(prev_hash: str, body_json: str) -> str:
    """The hash of an event whose body (without `hash`) is already in canonical JSON."""
    return hashlib.sha256((prev_hash + body_json).encode("utf-8")).hexdigest()


def seal_canonical(body_json: str, hash_: str) -> str:
    """The canonical JSON of the whole event, from that of its body and its hash, without encoding it again.

    Keys are sorted, so `hash` goes right before `occurred_at`. That key is found by its first
    occurrence: the members before it are ids and the actor's names, JSON strings in which a quote is
    always escaped, so `,"occurred_at":` cannot occur inside them.
    """
    at = body_json.index(',"occurred_at":')
    return f'{body_json[:at]},"hash":"{hash_}"{body_json[at:]}'


def payload_of_canonical(event_json: str) -> str:
    """The `payload` member's JSON text inside an event's canonical JSON: it runs from the first
    `"payload":` (only ids, names and the time come before it) to the last `,"prev_hash":` (only the
    hash, two numbers and the type come after it)."""
    start = event_json.index(',"payload":') + len(',"payload":')
    return event_json[start:event_json.rindex(',"prev_hash":"')]


@dataclass(frozen=True)
class ChainBreak:
    """The first link that does not verify, and why."""

    sequence: int
    reason: str


def verify_chain(events: Iterable[Mapping[str, Any]]) -> ChainBreak | None:
    """Check sequences, links and hashes of one device's events (JSON-mode dicts in sequence order)."""
    prev = GENESIS_HASH
    expected_sequence = 1
    for event in events:
        sequence = int(event["sequence"])
        if sequence != expected_sequence:
            return ChainBreak(expected_sequence, f"missing or reordered event: found sequence {sequence}")
        if event["prev_hash"] != prev:
            return ChainBreak(sequence, "prev_hash does not match the previous event's hash")
        body = {k: v for k, v in event.items() if k != "hash"}
        if event_hash(prev, body) != event["hash"]:
            return ChainBreak(sequence, "hash does not match the event's content")
        prev = event["hash"]
        expected_sequence += 1
    return None
