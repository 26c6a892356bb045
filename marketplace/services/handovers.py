"""Handover codes: the handing party shows one on its screen, and the device page asks each party for its proof."""

from __future__ import annotations

from marketplace.domain.handover import parties, pending_handover
from marketplace.handlers.actions import load_facts, locate
from marketplace.handlers.handover import ShowHandoverCode, show_handover_code
from marketplace.services.base import ServiceBase, actor_of
from marketplace.unit_of_work import UnitOfWork
from schemas.api import HandoverCode
from schemas.views import UserView


class HandoverServices(ServiceBase):
    async def show_handover_code(self, token: str | None, code: str) -> HandoverCode:
        """A one-time code for the device's pending handover, for the handing party's signed-in user."""
        return await self.show_handover_code_as(await self._require(token), code)

    async def show_handover_code_as(self, user: UserView, code: str) -> HandoverCode:
        """`show_handover_code` for a caller already authenticated (a session, or an API token's organisation)."""
        async with UnitOfWork(self.pool) as uow:
            shown = await show_handover_code(ShowHandoverCode(code, actor_of(user), user.id), uow)
        return HandoverCode(code=shown.code, action=shown.action.value, device=shown.device, receiver=shown.receiver,
                            expires_at=shown.expires_at)

    async def handover_side(self, token: str | None, code: str) -> str:
        """`giver` or `receiver` when the signed-in user's organisation is a party to the device's pending
        handover, else empty: the device page shows each side the form of its proof (the rules are checked
        again when the form comes back)."""
        user = await self.user_for_session(token)
        if user is None:
            return ""
        async with UnitOfWork(self.pool) as uow:
            _, facts = await load_facts(uow, await locate(uow, code))
        action = pending_handover(facts.state)
        if action is None:
            return ""
        who = parties(action, facts)
        return "giver" if user.org_slug == who.giver else "receiver" if user.org_slug == who.receiver else ""
