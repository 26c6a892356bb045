"""`seconde-vie docs asyncapi`: the AsyncAPI document of every worker, generated from the FastStream app."""

from __future__ import annotations

from pathlib import Path

from faststream.kafka import KafkaBroker

from events.asyncapi import add_contract_publishers, render_asyncapi
from marketplace.settings import Settings
from workers.app import WORKERS, build_app

DOCUMENT = Path(__file__).resolve().parent.parent / "docs" / "asyncapi.json"
# The server named in the document: the embedded broker's default address, fixed so that the
# committed document does not depend on the environment it was generated in.
DOCUMENTED_SERVER = "127.0.0.1:9092"


def asyncapi_document() -> str:
    """All workers' subscribers and the topics' message contracts, as JSON."""
    app, _ = build_app(Settings(kafka_bootstrap_servers=DOCUMENTED_SERVER, database_url=None), list(WORKERS))
    assert isinstance(app.broker, KafkaBroker)
    add_contract_publishers(app.broker)
    return render_asyncapi(app)


def write_asyncapi(path: Path = DOCUMENT) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(asyncapi_document(), encoding="utf-8")
    return path
