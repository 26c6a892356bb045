"""Hardware snapshots (issue 20): who may post one, in which states, and what it contradicts. Pure.

A snapshot is taken on the bench of the organisation that holds the device; posting one records
`asset.inspected` in the trail without moving the device. What the donor declared (model, serial) is never
overwritten: a snapshot that reads otherwise is flagged, naming both values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from marketplace.domain.errors import Forbidden, TransitionRefused
from marketplace.domain.lifecycle import STAYING
from marketplace.domain.permissions import ActorFacts, DeviceFacts
from marketplace.domain.visibility import READ_ALL_ROLES

EVENT = "asset.inspected"
# The device is on a workshop's bench: picked up, and not yet handed over or gone for good.
INSPECTABLE = STAYING[EVENT]


def check_may_post(device: DeviceFacts, actor: ActorFacts) -> None:
    """Only the custodian posts a snapshot, while the device is in its hands; refused otherwise."""
    if device.state not in INSPECTABLE:
        raise TransitionRefused("inspection.wrong_state", state=device.state.value)
    if actor.org != device.custodian:
        raise Forbidden("custody.not_custodian", custodian=device.custodian or "-")


def may_read(actor: ActorFacts, donor: str, custodian: str | None, posters: frozenset[str]) -> bool:
    """The raw snapshots and what they read (serials): the donor, the custodian, who posted one, auditors, admins."""
    if actor.is_admin or actor.role in READ_ALL_ROLES:
        return True
    return actor.org in {donor, custodian} or actor.org in posters


@dataclass(frozen=True)
class Mismatch:
    field: str  # "serial" or "model"
    declared: str
    read: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "declared": self.declared, "read": self.read}


def _plain(value: str) -> str:
    return re.sub(r"[^0-9a-z]", "", value.casefold())


def mismatches(declared_model: str, declared_serial: str, read_model: str | None,
               read_serial: str | None) -> list[Mismatch]:
    """What the snapshot read that contradicts the donor's declaration. Serials must match once case, spaces and
    dashes are ignored; a model matches when one names the other (firmware adds codes: "Latitude 5480 (07A8)")."""
    out = []
    if read_serial and _plain(read_serial) != _plain(declared_serial):
        out.append(Mismatch("serial", declared_serial, read_serial))
    if read_model:
        ours, theirs = _plain(declared_model), _plain(read_model)
        if ours and theirs and ours not in theirs and theirs not in ours:
            out.append(Mismatch("model", declared_model, read_model))
    return out
