"""Moving demo devices along the lifecycle through the real handlers, so the demo trail is genuine."""

from __future__ import annotations

import random
from datetime import date

from pydantic import BaseModel

from marketplace.adapters import lifecycle_store as store
from marketplace.demo.catalogue import ORGANISATIONS
from marketplace.domain.permissions import Action, ActorFacts
from marketplace.handlers.actions import PerformAction, perform_action
from marketplace.unit_of_work import UnitOfWork
from schemas import actions as inp
from schemas.common import ROLE_OF_KIND, OrgKind

KIND = {slug: kind for slug, _name, kind, *_ in ORGANISATIONS}
THIRD_PLACES = [slug for slug, kind in KIND.items() if kind == "tiers_lieu"]
RECYCLER = next(slug for slug, kind in KIND.items() if kind == "recycler")


def _actor(org: str) -> ActorFacts:
    return ActorFacts(role=ROLE_OF_KIND[OrgKind(KIND[org])].value, org=org)


async def _do(uow: UnitOfWork, code: str, action: Action, org: str, data: BaseModel | None = None) -> None:
    await perform_action(PerformAction(code, action, _actor(org), None, data or inp.NoInput()), uow)


def _certificate(code: str) -> inp.WipeCertificate:
    return inp.WipeCertificate(
        method="Purge", technique="ATA Secure Erase, then verification read", tool="nwipe", tool_version="0.36",
        verification="full", operator="Bénévole de l'atelier (démo)", sanitised_on=date.today(),
        media=[inp.Medium(make="Samsung", model="PM871", serial=f"S-{code}")], signature="Atelier (démo)",
    )


async def advance(uow: UnitOfWork, code: str, claimer: str, rng: random.Random) -> None:
    """Claim, then go as far as a random point of a realistic journey."""
    await _do(uow, code, Action.claim, claimer)
    if rng.random() < 0.35:
        return
    row = await store.lock_facts(uow.conn, await store.asset_id_by_code(uow.conn, code) or "")
    assert row is not None
    # Handovers are confirmed by the handing party, device code in hand: the donor here, the workshop below.
    await _do(uow, code, Action.collect, row["donor"], inp.HandoverInput(confirm_code=code))
    if rng.random() < 0.2:
        return
    outcome = "refurbishable" if rng.random() < 0.8 else "end_of_life"
    await _do(uow, code, Action.diagnose, claimer, inp.DiagnoseInput(outcome=outcome, findings="Essais de démo."))
    if outcome == "end_of_life":
        await _do(uow, code, Action.recycle, claimer, inp.RecycleInput(
            recycler=RECYCLER, weight_kg=2.5, slip_number=f"BSD-{code[:6]}", storage_destruction_certified=True))
        return
    if row["has_storage"]:
        await _do(uow, code, Action.wipe, claimer, _certificate(code))
    if rng.random() < 0.2 or KIND[claimer] != "association":
        return
    await _do(uow, code, Action.refurbish, claimer, inp.RefurbishInput(grade=rng.choice("ABC"),
                                                                         os_installed="Linux Mint 22"))
    if rng.random() < 0.5:
        return  # in the catalogue
    third_place = rng.choice(THIRD_PLACES)
    await _do(uow, code, Action.reserve, third_place, inp.ReserveInput())
    if rng.random() < 0.5:
        return
    await _do(uow, code, Action.deliver, claimer,
              inp.DeliverInput(confirm_code=code, beneficiary_category=rng.choice(["students", "job_seekers", "seniors"])))
