"""The per-device hash chain: hash = sha256(prev_hash + canonical_json(event without hash))."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from hashlib import sha256
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


_DECODER = json.JSONDecoder()


def _not_json(value: Any) -> Any:
    raise TypeError(f"not a JSON value: {type(value).__name__}")


# `canonical_json`'s encoder, built once: json.dumps builds one per call, and JSONEncoder.encode builds the C
# iterator per call too. No circular check: what a JSON text decodes to has no cycles.
_C_ENCODER = getattr(json.encoder, "c_make_encoder", None)
_ITERENCODE = (_C_ENCODER(None, _not_json, encode_basestring, None, ":", ",", True, False, True)
               if _C_ENCODER is not None else None)


def canonical_of_text(json_text: str) -> str:
    """`canonical_json` of the value a JSON text holds (the verifier's hot path)."""
    value = _DECODER.raw_decode(json_text)[0]
    return "".join(_ITERENCODE(value, 0)) if _ITERENCODE is not None else canonical_json(value)


def _stored_body(asset_id: str, seq: int, event_id: str, event_type: str, schema_version: int, occurred_at: str,
                 org: str | None, user: str | None, system: str | None, correlation_id: str,
                 causation_id: str | None, payload_json: str, prev_hash: str) -> str:
    """`canonical_event_body` for a stored row whose ids and time are PostgreSQL's own text of a uuid and of a
    timestamp (no character JSON escapes), so those are quoted as they are."""
    return (f'{{"actor":{{"org":{_json_value(org)},"system":{_json_value(system)},"user":{_json_value(user)}}},'
            f'"asset_id":"{asset_id}","causation_id":{"null" if causation_id is None else chr(34) + causation_id + chr(34)},'
            f'"correlation_id":"{correlation_id}","event_id":"{event_id}","occurred_at":"{occurred_at}",'
            f'"payload":{payload_json},"prev_hash":{encode_basestring(prev_hash)},'
            f'"schema_version":{schema_version},"sequence":{seq},"type":{encode_basestring(event_type)}}}')


# One stored event as the verifier reads it, every member already text: asset_id, sequence, event_id, type,
# schema_version, occurred_at (ISO, milliseconds), the actor's org, user and system, correlation_id,
# causation_id, payload (any JSON text), prev_hash, hash.
StoredRow = tuple[str, int, str, str, int, str, str | None, str | None, str | None, str, str | None, str, str, str]


def verify_rows(rows: Iterable[StoredRow], prev: str = GENESIS_HASH, sequence: int = 1) -> ChainBreak | None:
    """`verify_chain` over stored rows, from a head already verified (`prev`, the next `sequence`).

    The body is assembled as `canonical_event_body` does when the events are written, so a row it rejects may
    still be sound if its actor holds other members than org, user and system: the caller checks a rejected
    chain again with `verify_chain`, which hashes the event exactly as stored."""
    for (asset_id, seq, event_id, event_type, schema_version, occurred_at, org, user, system, correlation_id,
         causation_id, payload_text, prev_hash, hash_) in rows:
        if seq != sequence:
            return ChainBreak(sequence, f"missing or reordered event: found sequence {seq}")
        if prev_hash != prev:
            return ChainBreak(seq, "prev_hash does not match the previous event's hash")
        body = _stored_body(asset_id, seq, event_id, event_type, schema_version, occurred_at, org, user, system,
                            correlation_id, causation_id, canonical_of_text(payload_text), prev_hash)
        if sha256((prev + body).encode("utf-8")).hexdigest() != hash_:
            return ChainBreak(seq, "hash does not match the event's content")
        prev = hash_
        sequence += 1
    return None
