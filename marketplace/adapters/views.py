"""Turning database records into the read models of `schemas.views`."""

from __future__ import annotations

from typing import Any

import asyncpg

from marketplace.domain.chain import iso_ms
from marketplace.domain.codes import format_code
from schemas.common import ROLE_OF_KIND, OrgKind
from schemas.views import DeviceSummary, EventView, OfferView, UserView


def user_view(r: asyncpg.Record) -> UserView:
    return UserView(
        id=str(r["id"]), email=r["email"], display_name=r["display_name"],
        role=ROLE_OF_KIND[OrgKind(r["org_kind"])].value, org_slug=r["org_slug"], org_name=r["org_name"],
        org_kind=r["org_kind"], is_admin=r["is_admin"], lang=r["lang"],
    )


def device_summary(r: asyncpg.Record) -> DeviceSummary:
    return DeviceSummary(
        id=str(r["id"]), code=format_code(r["code"]), category=r["category"], brand=r["brand"], model=r["model"],
        year=r["year"], condition=r["condition"], state=r["state"], donor_slug=r["donor_slug"],
        donor_name=r["donor_name"], pays_code=r["pays_code"], custodian_slug=r["custodian_slug"],
        retired_at=r["retired_at"], updated_at=r["updated_at"], grade=r["grade"],
        ram_gb=(r["specs"] or {}).get("ram_gb"), cpu=(r["specs"] or {}).get("cpu"),
        storage_gb=(r["specs"] or {}).get("storage_gb"), screen_in=(r["specs"] or {}).get("screen_in"),
    )


def offer_view(r: asyncpg.Record) -> OfferView:
    return OfferView(
        id=str(r["offer_id"]), device=device_summary(r), org_slug=r["org_slug"], score=r["score"],
        reasons=list(r["reasons"]), reason_codes=r["reason_codes"], round=r["round"], status=r["status"], expires_at=r["expires_at"],
    )


def event_wire(r: asyncpg.Record) -> dict[str, Any]:
    """The event exactly as it was hashed and published."""
    return {
        "event_id": str(r["event_id"]), "type": r["type"], "schema_version": r["schema_version"],
        "occurred_at": iso_ms(r["occurred_at"]), "asset_id": str(r["asset_id"]), "sequence": r["sequence"],
        "actor": r["actor"], "correlation_id": str(r["correlation_id"]),
        "causation_id": str(r["causation_id"]) if r["causation_id"] else None,
        "payload": r["payload"], "prev_hash": r["prev_hash"], "hash": r["hash"],
    }


# What the public may see of each payload: no serial numbers, no people (issue 5 widens the passport).
_PUBLIC_PAYLOAD_KEYS = {"round", "claimer", "outcome", "grade"}


def event_view(wire: dict[str, Any], public: bool,
               offer_reasons: dict[str, list[dict[str, Any]]] | None = None) -> EventView:
    """`offer_reasons` (offer id -> structured reasons, from the offers table) lets a reader see an offer's
    reasons in their language; the event itself only has them in French."""
    actor = wire["actor"]
    payload = wire["payload"]
    summary = {k: v for k, v in payload.items() if k in _PUBLIC_PAYLOAD_KEYS} if public else payload
    if wire["type"] == "asset.offered" and not public:
        codes = offer_reasons or {}
        summary = {"round": payload["round"], "offers": [
            {"org": o["org"], "score": o["score"], "reasons": o["reasons"], "expires_at": o["expires_at"],
             "eligibility": o.get("eligibility", [])}
            | ({"reason_codes": codes[o["offer_id"]]} if o.get("offer_id") in codes else {})
            for o in payload["offers"]]}
    if wire["type"] == "asset.retired" and not public:
        summary = {k: payload["request"].get(k) for k in ("request_id", "donor", "category", "brand", "model")}
    return EventView(
        sequence=wire["sequence"], type=wire["type"],
        occurred_at=wire["occurred_at"], actor_org=actor.get("org"),
        actor_user=None if public else actor.get("user"), actor_system=actor.get("system"),
        summary=summary, hash=wire["hash"],
    )
