"""One lifecycle step for several devices at once (issue 19): the workshop's batch, the offers of one site.

Each device still goes through `perform_as` on its own, in its own transaction, with its own event, its own
certificate and its own refusal: a device that is not in the right state (or not the caller's, or not found)
is refused and named, and the others go through. Nothing is shared between the devices but the input the
form or the API call gives once (`shared`), under each device's own part (`own`, e.g. its wiped media).
Handovers (collect, deliver) are not here: they are proven device by device at the pickup's scanning session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marketplace.domain.codes import format_code, normalise_code
from marketplace.domain.errors import DomainError, InvalidInput
from marketplace.services.devices import DeviceServices
from schemas.views import DeviceSummary, UserView

MAX_BATCH = 100
BATCH_ACTIONS = ("claim", "decline", "diagnose", "wipe", "refurbish", "reserve", "harvest", "recycle", "return")


@dataclass(frozen=True)
class BatchItem:
    code: str  # as the caller wrote or scanned it
    own: dict[str, Any]  # this device's part of the input, over the shared part


@dataclass(frozen=True)
class BatchOutcome:
    code: str  # formatted when the code is well formed, else as given (shortened)
    device: DeviceSummary | None  # after the step, when it went through
    refusal: DomainError | None  # why not, when it did not


def merged(shared: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """A device's input: the shared fields, then its own (its own win)."""
    return {**shared, **own}


class BulkActionServices(DeviceServices):
    async def perform_batch_as(self, user: UserView, action: str, shared: dict[str, Any],
                               items: list[BatchItem]) -> list[BatchOutcome]:
        """Run `action` on every device of `items`, in order, each on its own; one outcome per item."""
        if action not in BATCH_ACTIONS:
            raise InvalidInput("batch.action_not_batched", action=action[:40])
        if not items:
            raise InvalidInput("batch.empty")
        if len(items) > MAX_BATCH:
            raise InvalidInput("batch.too_many", most=MAX_BATCH, given=len(items))
        outcomes: list[BatchOutcome] = []
        seen: set[str] = set()
        for item in items:
            code = normalise_code(item.code)
            shown = format_code(code) if code else item.code.strip()[:40]
            if code is None:
                outcomes.append(BatchOutcome(shown, None, InvalidInput("batch.code_malformed", code=shown)))
                continue
            if code in seen:
                outcomes.append(BatchOutcome(shown, None, InvalidInput("batch.code_twice", code=shown)))
                continue
            seen.add(code)
            try:
                device = await self.perform_as(user, code, action, merged(shared, item.own))
            except DomainError as refused:
                outcomes.append(BatchOutcome(shown, None, refused))
                continue
            outcomes.append(BatchOutcome(shown, device, None))
        return outcomes

    async def perform_batch(self, token: str | None, action: str, shared: dict[str, Any],
                            items: list[BatchItem]) -> list[BatchOutcome]:
        return await self.perform_batch_as(await self._require(token), action, shared, items)
