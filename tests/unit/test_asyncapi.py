"""The committed AsyncAPI document is the one the FastStream app generates (EVENTS.md: never by hand)."""

from __future__ import annotations

import json

from workers.asyncapi import DOCUMENT, asyncapi_document


class TestAsyncApiDocument:
    def test_the_committed_document_is_up_to_date(self) -> None:
        assert DOCUMENT.read_text(encoding="utf-8") == asyncapi_document(), (
            "docs/asyncapi.json is out of date: run `seconde-vie docs asyncapi` and commit it"
        )

    def test_every_topic_is_documented_with_its_message_contract(self) -> None:
        doc = json.loads(asyncapi_document())
        addresses = {c["address"]: c for c in doc["channels"].values()}
        assert set(addresses) == {"assets.retirements.v1", "assets.lifecycle.v1", "assets.deadletter.v1"}
        assert all(c.get("description") for c in doc["channels"].values())
        schemas = doc["components"]["schemas"]
        assert {"RetirementRequest", "DeadLetter", "AssetOffered", "EligibilityCheck"} <= set(schemas)
        assert "request_id" in schemas["RetirementRequest"]["properties"]

    def test_the_workers_consumers_are_in_the_document(self) -> None:
        operations = json.loads(asyncapi_document())["operations"]
        assert operations["intake"]["action"] == "receive" and operations["router"]["action"] == "receive"
