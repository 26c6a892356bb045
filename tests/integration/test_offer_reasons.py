"""Issue 10: routed offers keep their reasons as codes (`offers.reason_codes`) on both write paths, the codes
render to the very French of the event, and the readers' views carry them."""

from __future__ import annotations

import json
from typing import Any

from marketplace.adapters.pool import create_pool
from marketplace.demo.catalogue import DEMO_ACCOUNTS
from marketplace.demo.loader import load_demo_data
from marketplace.domain.reasons import from_json
from marketplace.runtime.database_setup import prepare_database
from tests.integration.stack import Stack, eventually, intake_message
from ui.i18n_reasons import reasons_text

DONOR = b"lycee-des-embruns-brest"


async def offer_rows(conn: Any, where: str, *args: Any) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        "SELECT f.id, f.reasons, f.reason_codes, o.slug, a.code FROM offers f JOIN organisations o ON o.id = f.org_id "
        f"JOIN assets a ON a.id = f.asset_id WHERE {where} ORDER BY f.score DESC, o.slug", *args)
    return [dict(r) for r in rows]


def assert_codes_render_the_stored_french(row: dict[str, Any]) -> None:
    assert row["reason_codes"] and len(row["reason_codes"]) == len(row["reasons"]) == 7
    # The codes give back the French the event carries, word for word...
    assert [from_json(x).french() for x in row["reason_codes"]] == list(row["reasons"])  # type: ignore[union-attr]
    # ...and what people read is that French with the declared condition in words, not its code.
    shown = reasons_text(row["reason_codes"], "fr")
    assert shown is not None and len(shown) == len(row["reasons"])
    assert not any(f"« {c} »" in line for line in shown for c in ("working", "faulty", "broken", "unknown"))
    english = reasons_text(row["reason_codes"], "en")
    assert english and english != list(row["reasons"])


class TestReasonCodesAreStored:
    async def test_the_router_workers_batch_path_stores_codes_next_to_the_events_french(self, stack: Stack) -> None:
        await stack.start_relay()
        await stack.start_workers("intake", "router")
        await stack.produce("assets.retirements.v1", intake_message(61), key=DONOR)
        async with stack.pool.acquire() as conn:
            rows = await eventually(lambda: offer_rows(conn, "a.serial = $1", "SER000061"), bool)
            payload = await conn.fetchval(
                "SELECT e.payload FROM asset_events e JOIN assets a ON a.id = e.asset_id "
                "WHERE a.serial = $1 AND e.type = 'asset.offered'", "SER000061")
        payload = json.loads(payload) if isinstance(payload, str) else payload
        event_reasons = {o["offer_id"]: o["reasons"] for o in payload["offers"]}
        for row in rows:
            assert_codes_render_the_stored_french(row)
            assert list(row["reasons"]) == event_reasons[str(row["id"])]  # the event is unchanged: French text
            assert "reason_codes" not in payload["offers"][0]

        # The readers' views carry the codes: the refurbisher's open offers and an auditor's device trail.
        email, password, *_ = DEMO_ACCOUNTS["refurbisher"]
        token = (await stack.marketplace.sign_in(email, password)).token
        mine = [o for o in await stack.marketplace.open_offers(token) if o.device.code.replace("-", "") == rows[0]["code"]]
        assert mine and reasons_text(mine[0].reason_codes, "en")
        email, password, *_ = DEMO_ACCOUNTS["auditor"]
        token = (await stack.marketplace.sign_in(email, password)).token
        page = await stack.marketplace.device_page(rows[0]["code"], token)
        offered = next(e for e in page.events if e.type == "asset.offered")
        offers: Any = offered.summary["offers"]
        assert all(reasons_text(o["reason_codes"], "en") for o in offers)
        public = await stack.marketplace.device_page(rows[0]["code"])
        assert all("offers" not in e.summary for e in public.events)

    async def test_the_single_device_path_stores_them_too_and_older_offers_have_none(self, fresh_dsn: str) -> None:
        await prepare_database(fresh_dsn, demo=False)
        pool = await create_pool(fresh_dsn, 2)
        try:
            await load_demo_data(pool)  # routes with `route_device`, one device at a time
            async with pool.acquire() as conn:
                rows = await offer_rows(conn, "true")
                assert rows
                for row in rows:
                    assert_codes_render_the_stored_french(row)
                # An offer made before migration 0011 has no codes: the views say None, the UI shows the French.
                await conn.execute("UPDATE offers SET reason_codes = NULL WHERE id = $1", rows[0]["id"])
                old = await conn.fetchval("SELECT reason_codes FROM offers WHERE id = $1", rows[0]["id"])
            assert old is None and reasons_text(old, "en") is None
        finally:
            await pool.close()
