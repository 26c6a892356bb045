"""Hostile and broken intake messages, on the real database: every message ends in a retired device
(its row and its `asset.retired` event agree with the message) or in a dead letter whose reason names
what is wrong, never in an exception that would make the worker redeliver the batch for ever, and
never in a half-written batch."""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from events.records import Record
from marketplace.consumers.batches import process_retirements
from schemas.intake import RetirementRequest
from tests.fuzz import DB_FUZZ, JSON, NASTY, TEXT, FuzzDb, counts, fuzz_db

DONOR = "lycee-des-embruns-brest"
TOPIC = "assets.retirements.v1"
OFFSETS = itertools.count()
FIELDS = ["request_id", "donor", "category", "brand", "model", "serial", "year", "condition", "has_storage",
          "inventory_number", "site", "specs", "weight_kg", "unit_value_eur", "notes"]
SPECS = ["cpu", "ram_gb", "storage_gb", "storage_type", "screen_in"]


SEEN_REQUESTS: set[str] = set()  # what the database holds already (the examples share it)
SEEN_SERIALS: set[str] = set()


def valid_message() -> dict[str, Any]:
    tag = uuid.uuid4().hex[:12]
    return {"request_id": f"fuzz-{tag}", "donor": DONOR, "category": "laptop", "brand": "Dell",
            "model": "Latitude 5480", "serial": f"SN{tag}", "year": 2019, "condition": "working",
            "has_storage": True, "inventory_number": f"INV-{tag}", "site": "Salle 12",
            "specs": {"cpu": "i5-7300U", "ram_gb": 8, "storage_gb": 256, "storage_type": "ssd", "screen_in": 14},
            "weight_kg": 1.8, "unit_value_eur": 120.0, "notes": "RAS"}


# One field of a valid message removed, of the wrong type, huge, odd Unicode, or an unknown field added.
MUTATION = st.tuples(
    st.sampled_from(FIELDS + [f"specs.{s}" for s in SPECS] + ["<extra>"]),
    st.sampled_from(["remove", "json", "huge", "text", "number"]),
    st.one_of(JSON, TEXT, st.integers(-10**30, 10**30), st.floats(), st.sampled_from(["a-b", "autre-lycee", "laptop"])),
)


def mutate(message: dict[str, Any], field: str, how: str, value: Any) -> tuple[dict[str, Any], str]:
    """The mutated message and the name its dead letter must mention (the field)."""
    target, name = message, field
    if field.startswith("specs."):
        target, name = message["specs"], field.split(".", 1)[1]
    if field == "<extra>":
        name = value if isinstance(value, str) and value not in message else "colour"
        message[name] = "blue"
        # A key holding an unpaired surrogate cannot be written as it is: the dead letter names it escaped.
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:
            return message, json.dumps(name)[1:-1]
        return message, name
    if how == "remove":
        target.pop(name, None)
    elif how == "huge":
        target[name] = "x" * 100_000
    elif how == "number":
        target[name] = value if isinstance(value, (int, float)) else 10**40
    else:
        target[name] = value
    return message, name


def near_valid(field: str, how: str, value: Any) -> tuple[bytes, str]:
    message, name = mutate(valid_message(), field, how, value)
    return encode(message), name


def encode(message: Any) -> bytes:
    # allow_nan: Python's json writes NaN and Infinity (some senders do); the intake must cope.
    return json.dumps(message).encode()


INPUTS = st.one_of(
    st.binary(max_size=300).map(lambda b: (b, None)),
    JSON.map(lambda v: (encode(v), None)),
    st.builds(lambda: (encode(valid_message()), "")),
    MUTATION.map(lambda m: near_valid(*m)),
)
KEYS = st.one_of(st.none(), st.binary(max_size=20), st.just(b"\x00"), st.just(b"\xff\xfe"))


def expected(value: bytes) -> RetirementRequest | None:
    """The request a correct intake reads from these bytes, or None when it must refuse them."""
    try:
        data = json.loads(value.decode("utf-8"))
        return RetirementRequest.model_validate(data) if isinstance(data, dict) else None
    except (UnicodeDecodeError, ValueError, ValidationError):
        return None


async def check_created(pool: Any, request: RetirementRequest) -> None:
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            """SELECT a.serial, a.brand, a.model, a.category, a.state, o.slug AS donor, e.type, e.payload
               FROM assets a JOIN organisations o ON o.id = a.donor_org_id JOIN asset_events e ON e.asset_id = a.id
               WHERE a.id = (SELECT asset_id FROM asset_events
                             WHERE type = 'asset.retired' AND payload->'request'->>'request_id' = $1)""",
            request.request_id)
    assert len(rows) == 1, rows
    row = rows[0]
    assert (row["serial"], row["brand"], row["model"], row["category"], row["donor"], row["type"]) == (
        request.serial, request.brand, request.model, request.category.value, request.donor, "asset.retired")
    assert row["state"] == "retired"
    assert RetirementRequest.model_validate(row["payload"]["request"]) == request


@pytest.fixture
async def db(fresh_dsn: str) -> AsyncIterator[FuzzDb]:
    SEEN_REQUESTS.clear()
    SEEN_SERIALS.clear()
    async with fuzz_db(fresh_dsn) as found:
        yield found


@DB_FUZZ
@given(batch=st.lists(st.tuples(INPUTS, KEYS), min_size=1, max_size=4))
async def test_every_message_is_retired_or_dead_lettered_naming_the_field(
        db: FuzzDb, batch: list[tuple[tuple[bytes, str | None], bytes | None]]) -> None:
    records = [Record(TOPIC, 0, next(OFFSETS), key, value, {}) for (value, _), key in batch]
    before = await counts(db.pool)
    result = await process_retirements(db.pool, records)  # must not raise
    after = await counts(db.pool)
    delta = {t: after[t] - before[t] for t in after if after[t] != before[t]}

    # What a correct intake does with each record, in order: "created", "duplicate", or the text its dead
    # letter must contain ("" when any reason will do: bytes or JSON that is not a retirement at all).
    wanted = [expected(r.value) for r in records]
    fates: list[str] = []
    for ((_, field), _), want in zip(batch, wanted, strict=True):
        if want is None:
            fates.append(field or "")
        elif want.donor != DONOR:
            fates.append(want.donor)  # "Organisation donatrice inconnue : <donor>"
        elif want.request_id in SEEN_REQUESTS:
            fates.append("duplicate")  # the same request again: retired once (idempotent)
        elif want.serial in SEEN_SERIALS:
            fates.append(want.serial)  # "Le numéro de série <serial> est déjà enregistré"
        else:
            fates.append("created")
            SEEN_REQUESTS.add(want.request_id)
            SEEN_SERIALS.add(want.serial)

    assert result.done == fates.count("created"), (result, fates)
    assert result.duplicates == fates.count("duplicate"), (result, fates)
    assert len(result.dead_letters) == len(records) - result.done - result.duplicates
    assert delta.get("assets", 0) == result.done
    assert delta.get("asset_events", 0) == result.done
    assert delta.get("dead_letters", 0) == len(result.dead_letters)
    assert delta.get("outbox", 0) == result.done + len(result.dead_letters)  # event or dead letter, once each
    # org_load_slots: the routing figures' read model, kept by a trigger in the same transaction (the donor
    # holds what it retires until it is collected).
    assert set(delta) <= {"assets", "asset_events", "outbox", "dead_letters", "inbox", "event_states",
                          "state_stays", "org_load_slots"}, delta
    for fate, want in zip(fates, wanted, strict=True):
        if fate == "created":
            assert want is not None
            await check_created(db.pool, want)
    # Dead letters come in two passes: unreadable messages first, then the refusals of readable ones.
    must_say = [f for f, w in zip(fates, wanted, strict=True) if w is None] + [
        f for f, w in zip(fates, wanted, strict=True) if w is not None and f not in ("created", "duplicate")]
    for fate, reason in zip(must_say, result.dead_letters, strict=True):
        assert reason.strip(), "a dead letter says why"
        assert fate in reason, (fate, reason)


async def test_the_nastiest_strings_in_every_text_field(db: FuzzDb) -> None:
    """Deterministic companion of the property: each hostile string in each text field, one batch."""
    if True:
        records = []
        for i, (name, text) in enumerate(itertools.product(
                ["request_id", "brand", "model", "serial", "inventory_number", "site", "notes", "specs.cpu"],
                NASTY.elements)):  # type: ignore[attr-defined]
            message, _ = mutate(valid_message(), name, "text", text)
            records.append(Record(TOPIC, 1, i, text.encode("utf-8", "surrogatepass")[:50], encode(message), {}))
        before = await counts(db.pool)
        result = await process_retirements(db.pool, records)
        after = await counts(db.pool)
        assert result.done + len(result.dead_letters) == len(records)
        assert after["assets"] - before["assets"] == result.done
        assert after["dead_letters"] - before["dead_letters"] == len(result.dead_letters)


def test_an_unpaired_surrogate_escape_is_refused_naming_where_it_is() -> None:
    """Found by the long profile: `{"\\ud800": ...}` is valid JSON but no UTF-8 store (nor pydantic) can hold it."""
    from marketplace.consumers.batches import parse_retirement
    from marketplace.domain.errors import DomainError

    for body, where in [(b'{"\\ud800": "blue"}', "\\ud800"), (b'{"brand": "Dell\\udc00"}', "brand"),
                        (b'{"specs": {"cpu": ["i5", "\\ud83d"]}}', "specs.cpu.1")]:
        with pytest.raises(DomainError) as refused:
            parse_retirement(Record(TOPIC, 0, 0, None, body, {}))
        assert str(refused.value).startswith(f"Donnée invalide : {where}: text is not valid Unicode"), refused.value
        str(refused.value).encode("utf-8")  # storable as the dead letter's reason
