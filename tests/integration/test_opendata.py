"""The open-data export: no serial, inventory number, user or e-mail; the digest recomputes from the files."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

from marketplace.audit.service import AuditService
from marketplace.reports.opendata import write_opendata
from tests.integration.journeys import Journeys
from tests.integration.stack import Stack


async def test_export_is_anonymous_and_its_digest_checks_out(stack: Stack, tmp_path: Path) -> None:
    journeys = Journeys(stack)
    await journeys.device_in("delivered", has_storage=True)  # wiped: a certificate naming its operator
    await journeys.device_in("recycled")
    async with stack.pool.acquire() as conn:
        await conn.execute("UPDATE assets SET inventory_number = 'GLPI-' || code")
        secrets = [str(v) for r in await conn.fetch("SELECT serial, inventory_number FROM assets") for v in r]
        secrets += [str(v) for r in await conn.fetch("SELECT id, email, display_name FROM users") for v in r]
        secrets += ["Yann Kerjean", "BSD-2026-0001"]  # the wipe operator, the WEEE slip
    done = await write_opendata(stack.pool, tmp_path)
    assert done["devices"] == 3 and done["events"] > 10

    text = "".join(p.read_text(encoding="utf-8") for p in tmp_path.iterdir())
    leaked = [s for s in secrets if s in text]
    assert leaked == [] and "@" not in (tmp_path / "events.json").read_text(encoding="utf-8")

    # Recompute the digest from events.csv alone: the last event of each device, sorted, hashed.
    with (tmp_path / "events.csv").open(encoding="utf-8") as f:
        events = list(csv.DictReader(f))
    heads: dict[str, tuple[int, str]] = {}
    previous: dict[str, str] = {}
    for e in events:
        assert e["prev_hash"] == previous.get(e["asset_id"], "0" * 64)
        previous[e["asset_id"]] = e["hash"]
        heads[e["asset_id"]] = (int(e["sequence"]), e["hash"])
    lines = "".join(f"{a}:{s}:{h}\n" for a, (s, h) in sorted(heads.items()))
    published = (tmp_path / "digest.txt").read_text(encoding="utf-8").split()[0]
    assert hashlib.sha256(lines.encode()).hexdigest() == published == done["digest"]
    # ...and it is the digest `audit` computes over the database's chain heads now.
    from datetime import UTC, datetime, timedelta

    assert (await AuditService(stack.pool).heads_digest(datetime.now(UTC) + timedelta(seconds=1))).hexdigest() == published
    assert len(json.loads((tmp_path / "devices.json").read_text(encoding="utf-8"))) == 3
    assert "files" in json.loads((tmp_path / "schema.json").read_text(encoding="utf-8"))
