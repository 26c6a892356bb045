"""Payloads of lifecycle events, one model per `type`, and the discriminated union over them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from schemas.envelope import EnvelopeBase
from schemas.intake import RetirementRequest


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RetiredPayload(_Payload):
    """The intake fields, the donor and the request id."""

    request: RetirementRequest
    code: str = Field(description="Public device code (12 Crockford base32 characters, unformatted).")
    pays_code: str = Field(description="Territory (pays) of the donor.")


class OfferMade(_Payload):
    offer_id: str
    org: str = Field(description="Slug of the organisation the device is offered to.")
    score: float
    reasons: list[str] = Field(description="Human-readable reasons for the score.")
    expires_at: datetime


class OfferedPayload(_Payload):
    round: int = Field(ge=1, description="Routing round, from 1.")
    offers: list[OfferMade] = Field(min_length=1)


class ClaimedPayload(_Payload):
    offer_id: str
    claimer: str = Field(description="Slug of the claiming organisation.")
    withdrawn_offers: list[str] = Field(default_factory=list, description="Other offers closed by this claim.")


class AssetRetired(EnvelopeBase):
    type: Literal["asset.retired"] = "asset.retired"
    payload: RetiredPayload


class AssetOffered(EnvelopeBase):
    type: Literal["asset.offered"] = "asset.offered"
    payload: OfferedPayload


class AssetClaimed(EnvelopeBase):
    type: Literal["asset.claimed"] = "asset.claimed"
    payload: ClaimedPayload


LifecycleEvent = Annotated[AssetRetired | AssetOffered | AssetClaimed, Field(discriminator="type")]
PAYLOAD_OF_TYPE: dict[str, type[_Payload]] = {
    "asset.retired": RetiredPayload,
    "asset.offered": OfferedPayload,
    "asset.claimed": ClaimedPayload,
}
lifecycle_event_adapter: TypeAdapter[AssetRetired | AssetOffered | AssetClaimed] = TypeAdapter(LifecycleEvent)
