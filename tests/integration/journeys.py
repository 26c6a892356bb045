"""Putting devices in any lifecycle state through the real services (for integration tests)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from events.records import Record
from marketplace.adapters.views import event_wire
from marketplace.consumers.batches import process_lifecycle_for_routing
from marketplace.demo.catalogue import DEMO_ACCOUNTS
from schemas.forms import RetireDeviceForm
from tests.integration.stack import Stack

RECYCLER = "deee-ouest-recyclage-vitre"
# Which account does each step, with what. Handovers are confirmed by the handing party (the donor collects, the
# custodian delivers): the receiving party would need the one-time code it shows (`Journeys.handover_code`).
STEPS: dict[str, tuple[str, str, Any]] = {
    "claimed": ("refurbisher", "claim", {}),
    "collected": ("asset_manager", "collect", "CODE"),
    "diagnosed": ("refurbisher", "diagnose", {"outcome": "refurbishable", "findings": "tout fonctionne"}),
    "wiped": ("refurbisher", "wipe", "CERT"),
    "refurbished": ("refurbisher", "refurbish", {"grade": "B", "os_installed": "Linux Mint 22"}),
    "reserved": ("third_place", "reserve", {}),
    "delivered": ("refurbisher", "deliver", "DELIVER"),
    "returned": ("third_place", "return", {"reason": "fin du prêt"}),
}
PATH = ["claimed", "collected", "diagnosed", "wiped", "refurbished", "reserved", "delivered", "returned"]
SIDE_EXITS: dict[str, tuple[str, str, str, Any]] = {
    "harvested": ("diagnosed", "refurbisher", "harvest", {"parts": [{"name": "barrette RAM 8 Go", "quantity": 2}]}),
    "recycled": ("diagnosed", "refurbisher", "recycle",
                 {"recycler": RECYCLER, "weight_kg": 2.3, "slip_number": "BSD-2026-0001"}),
    "written_off": ("retired", "admin", "write_off", {"reason": "volé lors du déménagement"}),
}


def certificate(serial: str = "S1") -> dict[str, Any]:
    return {"method": "Purge", "technique": "ATA Secure Erase", "tool": "nwipe", "tool_version": "0.36",
            "verification": "full", "operator": "Yann Kerjean, bénévole", "sanitised_on": date.today().isoformat(),
            "media": [{"make": "Samsung", "model": "PM871", "serial": serial}], "signature": "Yann Kerjean"}


def step_data(kind: Any, code: str) -> dict[str, Any]:
    if kind == "CODE":
        return {"confirm_code": code}
    if kind == "CERT":
        return certificate()
    if kind == "DELIVER":
        return {"confirm_code": code, "beneficiary_category": "students"}
    return dict(kind)


class Journeys:
    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.tokens: dict[str, str] = {}
        self.serial = 0

    async def token(self, role: str) -> str:
        if role not in self.tokens:
            email, password, *_ = DEMO_ACCOUNTS[role]
            self.tokens[role] = (await self.stack.marketplace.sign_in(email, password)).token
        return self.tokens[role]

    async def retire(self, category: str = "laptop", has_storage: bool = False) -> str:
        self.serial += 1
        form = RetireDeviceForm(category=category, brand="Dell", model="Latitude 5490", serial=f"J{self.serial:05d}",
                                year=2019, condition="working", has_storage=has_storage)
        return (await self.stack.marketplace.retire_device(await self.token("asset_manager"), form)).code

    async def route(self, code: str) -> None:
        async with self.stack.pool.acquire() as conn:
            row = await conn.fetchrow(
                "SELECT e.* FROM asset_events e JOIN assets a ON a.id = e.asset_id "
                "WHERE a.code = $1 AND e.type = 'asset.retired'", code.replace("-", ""))
        wire = event_wire(row)
        record = Record("assets.lifecycle.v1", 0, 0, wire["asset_id"].encode(), json.dumps(wire).encode(),
                        {"type": "asset.retired"})
        await process_lifecycle_for_routing(self.stack.pool, [record], self.stack.settings)

    async def handover_code(self, role: str, code: str) -> str:
        """The one-time code the handing party (`role`'s account) shows for the device's pending handover."""
        return (await self.stack.marketplace.show_handover_code(await self.token(role), code)).code

    async def act(self, role: str, code: str, action: str, data: dict[str, Any]) -> str:
        return (await self.stack.marketplace.perform(await self.token(role), code, action, data)).state

    async def device_in(self, state: str, has_storage: bool = False) -> str:
        """A new device brought to `state` by the demo accounts."""
        code = await self.retire(has_storage=has_storage)
        if state == "retired":
            return code
        if state in SIDE_EXITS:
            before, role, action, data = SIDE_EXITS[state]
            code = await self.device_in(before, has_storage)
            await self.act(role, code, action, data)
            return code
        await self.route(code)
        for step in PATH[: PATH.index(state) + 1] if state != "offered" else []:
            if step == "wiped" and not has_storage and state != "wiped":
                continue
            role, action, kind = STEPS[step]
            await self.act(role, code, action, step_data(kind, code))
        return code
