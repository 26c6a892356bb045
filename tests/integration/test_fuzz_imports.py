"""Generated CSV files through the import service, on the real database, as an asset manager imports them:
a preview writes nothing; confirming imports exactly the previewed devices, or is refused with a message
and writes nothing at all (an import only inserts: the row count of every table shows it)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marketplace.demo.catalogue import DEMO_ACCOUNTS
from marketplace.domain.errors import InvalidInput
from marketplace.imports.door import ImportDoor
from tests.fuzz import DB_FUZZ, FuzzDb, counts, fuzz_db
from tests.unit.test_fuzz_imports import Row, files


@pytest.fixture
async def db(fresh_dsn: str) -> AsyncIterator[tuple[FuzzDb, str]]:
    async with fuzz_db(fresh_dsn) as found:
        email, password, *_ = DEMO_ACCOUNTS["asset_manager"]
        yield found, (await found.marketplace.sign_in(email, password)).token


@DB_FUZZ
@given(generated=st.one_of(files(), st.binary(max_size=400).map(lambda b: (b, [], [], []))),
       fresh_serials=st.booleans(), skip_invalid=st.booleans())
async def test_confirming_imports_exactly_the_preview_or_writes_nothing(
        db: tuple[FuzzDb, str], generated: tuple[bytes, list[str], list[Row], list[int]], fresh_serials: bool,
        skip_invalid: bool) -> None:
    found, token = db
    door = ImportDoor(found.marketplace)
    data = generated[0].replace(b"SN-", f"{uuid.uuid4().hex[:8]}-".encode()) if fresh_serials else generated[0]

    before = await counts(found.pool)
    try:
        preview = await door.preview(token, data)
    except InvalidInput as exc:  # the whole file refused: it says why, and nothing was written
        assert str(exc).strip()
        assert await counts(found.pool) == before
        return
    assert await counts(found.pool) == before, "a preview writes nothing"

    try:
        outcome = await door.confirm(token, data, skip_invalid)
    except InvalidInput as exc:
        assert preview.errors and not skip_invalid, exc
        assert "rien n'a été importé" in str(exc)
        assert await counts(found.pool) == before, "a refused import writes nothing"
        return
    after = await counts(found.pool)
    created = len(outcome.created)
    assert created == len(preview.to_create)
    assert outcome.already_imported == len(preview.already_imported)
    assert {e.line for e in outcome.skipped} == {e.line for e in preview.errors}
    for table in ("assets", "asset_events", "outbox"):
        assert after[table] - before[table] == created, table
    async with found.pool.acquire() as conn:
        states = await conn.fetch("SELECT state FROM assets WHERE code = ANY($1::text[])",
                                  [c.replace("-", "") for c in outcome.created])
    assert [s["state"] for s in states] == ["retired"] * created
