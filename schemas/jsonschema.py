"""JSON Schema files generated from the pydantic models (never written by hand)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from schemas.deadletter import DeadLetter
from schemas.intake import RetirementRequest
from schemas.payloads import LifecycleEvent

CONTRACTS: dict[str, Any] = {
    "assets.retirements.v1.json": TypeAdapter(RetirementRequest),
    "assets.lifecycle.v1.json": TypeAdapter(LifecycleEvent),
    "assets.deadletter.v1.json": TypeAdapter(DeadLetter),
}


def render_json_schemas() -> dict[str, str]:
    return {name: json.dumps(adapter.json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
            for name, adapter in CONTRACTS.items()}


def write_json_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_json_schemas().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
