"""The intake contract of EVENTS.md, and the generated JSON Schemas kept in sync."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from events.records import Record
from marketplace.consumers.batches import parse_retirement
from marketplace.domain.errors import DomainError
from schemas.jsonschema import render_json_schemas

EXAMPLE = {
    "request_id": "glpi-export-2026-11-28-000123", "donor": "lycee-chateaubriand-rennes", "category": "laptop",
    "brand": "Dell", "model": "Latitude 5480", "serial": "5CG7331XYZ", "year": 2018, "condition": "working",
    "has_storage": True,
}


def record(value: bytes) -> Record:
    return Record("assets.retirements.v1", 0, 7, b"k", value, {})


class TestIntakeMessage:
    def test_the_documented_example_is_valid(self) -> None:
        request = parse_retirement(record(json.dumps(EXAMPLE).encode()))
        assert request.serial == "5CG7331XYZ" and request.category == "laptop"

    @pytest.mark.parametrize(
        ("change", "field"),
        [({"colour": "red"}, "colour"), ({"category": "toaster"}, "category"), ({"year": 1800}, "year"),
         ({"donor": "Not A Slug"}, "donor"), ({"serial": ""}, "serial")],
    )
    def test_a_bad_field_is_refused_with_its_name(self, change: dict[str, object], field: str) -> None:
        with pytest.raises(DomainError) as err:
            parse_retirement(record(json.dumps(EXAMPLE | change).encode()))
        assert field in str(err.value)

    def test_a_missing_field_is_named(self) -> None:
        with pytest.raises(DomainError, match="has_storage"):
            parse_retirement(record(json.dumps({k: v for k, v in EXAMPLE.items() if k != "has_storage"}).encode()))

    @pytest.mark.parametrize("value", [b"\xff\xfe", b"not json", b"[1,2]", b""])
    def test_unreadable_messages_get_a_clear_reason(self, value: bytes) -> None:
        with pytest.raises(DomainError, match="Donnée invalide"):
            parse_retirement(record(value))


def test_committed_json_schemas_are_up_to_date() -> None:
    folder = Path(__file__).resolve().parents[2] / "schemas" / "json"
    for name, text in render_json_schemas().items():
        assert (folder / name).read_text(encoding="utf-8") == text, f"{name} is stale: run `seconde-vie schemas`"
