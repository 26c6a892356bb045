"""Show a one-time handover code: the handing party of a pending handover asks for it on its own screen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from marketplace.adapters import handover_codes as codes
from marketplace.domain.chain import now_ms
from marketplace.domain.codes import format_code
from marketplace.domain.errors import DomainError, Forbidden
from marketplace.domain.handover import CODE_TTL, digest, new_code, parties, pending_handover
from marketplace.domain.permissions import Action, ActorFacts, decide
from marketplace.handlers.actions import load_facts, locate
from marketplace.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ShowHandoverCode:
    code: str  # the device's public code
    actor: ActorFacts
    user_id: str


@dataclass(frozen=True)
class ShownCode:
    code: str  # the six digits, returned once and never stored
    action: Action
    device: str
    receiver: str
    expires_at: datetime


async def show_handover_code(cmd: ShowHandoverCode, uow: UnitOfWork) -> ShownCode:
    """A new code for the device's pending handover, replacing any earlier one. Only the handing party may ask:
    the receiving party would otherwise prove its own handover, and any other organisation has no part in it."""
    asset_id = await locate(uow, cmd.code)
    row, facts = await load_facts(uow, asset_id)
    action = pending_handover(facts.state)
    if action is None:
        raise DomainError("handover.none_pending", state=facts.state.value)
    at = now_ms()
    # The same rules as the handover itself (role, custody, a lapsed hold, a missing wipe certificate).
    decide(action, facts, cmd.actor, at)
    who = parties(action, facts)
    if cmd.actor.org != who.giver or who.receiver is None:
        raise Forbidden("handover.giver_shows", giver=who.giver or "-")
    code = new_code()
    expires_at = at + CODE_TTL
    await codes.show(uow.conn, asset_id, action.value, digest(asset_id, code), who.giver, who.receiver,
                     cmd.user_id, at, expires_at)
    return ShownCode(code, action, format_code(row["code"]), who.receiver, expires_at)
