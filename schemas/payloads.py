"""Payloads of lifecycle events, one model per `type`, and the discriminated union over them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from schemas.actions import BeneficiaryCategory, Grade, Outcome, Part, WipeCertificate
from schemas.envelope import EnvelopeBase
from schemas.intake import RetirementRequest, Specs


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RetiredPayload(_Payload):
    """The intake fields, the donor and the request id."""

    request: RetirementRequest
    code: str = Field(description="Public device code (12 Crockford base32 characters, unformatted).")
    pays_code: str = Field(description="Territory (pays) of the donor.")


class EligibilityCheck(_Payload):
    """One rule applied to this device and this recipient before the offer was made."""

    rule: str = Field(
        description="Which rule: `categorie`, `filiere` (reuse or end of life), `cession` (legal basis), "
                    "`plafond_valeur` (donation ceiling), `capacite`, `territoire`.",
        examples=["plafond_valeur"],
    )
    passed: bool = Field(description="Whether the rule was satisfied (an offer is only made when all pass).")
    detail: str = Field(description="What was checked, in French.",
                        examples=["valeur unitaire 120 € ≤ plafond 300 €"])
    reference: str | None = Field(default=None, description="The text the rule applies, when it is a legal one.",
                                  examples=["arrêté du 6 mai 2022 (plafond de valeur unitaire)"])


class OfferMade(_Payload):
    offer_id: str
    org: str = Field(description="Slug of the organisation the device is offered to.")
    score: float
    reasons: list[str] = Field(description="Human-readable reasons for the score.")
    expires_at: datetime
    eligibility: list[EligibilityCheck] = Field(
        default_factory=list,
        description="The eligibility checks of this offer (category, channel, donation rules, capacity, "
                    "territory) and their results; empty on offers made before they were recorded.",
    )


class OfferedPayload(_Payload):
    round: int = Field(ge=1, description="Routing round, from 1.")
    offers: list[OfferMade] = Field(min_length=1)


class ClaimedPayload(_Payload):
    offer_id: str
    claimer: str = Field(description="Slug of the claiming organisation.")
    withdrawn_offers: list[str] = Field(default_factory=list, description="Other offers closed by this claim.")


class OfferDeclinedPayload(_Payload):
    offer_id: str
    org: str
    reason: str


class OffersExpiredPayload(_Payload):
    expired_offers: list[str] = Field(description="Offers closed by expiry in this round.")
    declined_by: list[str] = Field(default_factory=list, description="Organisations that declined this round.")
    next_round: int = Field(ge=2)


class ClaimLapsedPayload(_Payload):
    offer_id: str
    claimer: str
    reason: str = Field(description="Why the claim lapsed (pickup not confirmed in time: a no-show).")


class Handover(_Payload):
    from_org: str = Field(alias="from", description="Organisation handing the device over.")
    to: str = Field(description="Organisation receiving it.")
    scanned_by: str = Field(description="User who confirmed the handover by scanning or typing the code.")
    proof: Literal["handing_party", "handover_code"] | None = Field(
        default=None,
        description="How the handover was proven: `handing_party`, the handing organisation confirmed it with the "
                    "device code in hand; `handover_code`, the receiving organisation typed the one-time code the "
                    "handing organisation showed. Absent from events recorded before it was required.")
    code_shown_by: str | None = Field(
        default=None, description="With proof `handover_code`: the handing organisation's user who showed the code.")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, serialize_by_alias=True)


class CollectedPayload(Handover):
    pickup_id: str | None = Field(
        default=None, description="The pickup (enlèvement) whose scanning session collected the device, when it "
                                  "was collected with the others of its donor site at once.")


class DiagnosedPayload(_Payload):
    outcome: Outcome
    findings: str = ""


class WipedPayload(_Payload):
    certificate: WipeCertificate
    organisation_name: str | None = Field(
        default=None, description="The sanitising organisation's name when it signed (the certificate's).")
    certificate_pdf_sha256: str | None = Field(
        default=None, pattern=r"^[0-9a-f]{64}$",
        description="SHA-256 of the certificate's PDF, made from this event (regenerated identically at any time).")


class RefurbishedPayload(_Payload):
    grade: Grade
    os_installed: str
    tests_passed: list[str] = Field(default_factory=list)


class ReservedPayload(_Payload):
    reservation_id: str
    third_place: str
    hold_until: datetime


class ReservationReleasedPayload(_Payload):
    reservation_id: str
    why: Literal["cancelled", "expired"]
    cancelled_by: Literal["reserver", "admin"] | None = Field(
        default=None, description="Who cancelled (when `why` is cancelled): the third place itself, or an admin.")
    reason: str | None = Field(default=None, max_length=500, description="Why an admin cancelled the reservation.")


class DeliveredPayload(Handover):
    reservation_id: str
    beneficiary_category: BeneficiaryCategory


class ReturnedPayload(_Payload):
    reason: str
    to: str = Field(description="Organisation that takes the device back for diagnosis.")


class HarvestedPayload(_Payload):
    parts: list[Part]


class RecycledPayload(_Payload):
    recycler: str
    weight_kg: float
    slip_number: str
    storage_destruction_certified: bool = False


class InspectedPayload(_Payload):
    """A hardware snapshot taken on the custodian's bench (issue 20). The raw snapshot is kept as evidence
    (`sha256` of its exact bytes); the payload holds what was read that is not identifying (no serials:
    those stay with the evidence, for the donor, the custodian and auditors)."""

    snapshot_id: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the raw snapshot, as posted.")
    sources: list[str] = Field(default_factory=list, description="The tools read: lshw, smartctl, dmidecode...")
    specs: Specs = Field(default_factory=Specs, description="What the snapshot read (cpu, ram_gb, storage...).")
    media: int = Field(default=0, ge=0, description="How many storage media it found.")
    battery_health_pct: float | None = Field(default=None, ge=0, description="Full charge against design.")
    mismatches: list[Literal["serial", "model"]] = Field(
        default_factory=list, description="Declared values the snapshot contradicts (kept, never overwritten).")


class WrittenOffPayload(_Payload):
    reason: str


class LentPayload(_Payload):
    """A delivered device lent by its tiers-lieu to a person (issue 21). No one is named: the beneficiary's
    category only (a pseudonymous reference, when the tiers-lieu keeps one, stays in its own loan record)."""

    loan_id: str
    org: str = Field(description="Slug of the lending organisation (the device's custodian).")
    beneficiary_category: BeneficiaryCategory
    due_on: date = Field(description="When the device is due back.")


class LoanReturnedPayload(_Payload):
    """A lent device back at its tiers-lieu; `faulty` or `broken` is followed by `asset.returned` (back to its
    refurbisher for a new diagnosis)."""

    loan_id: str
    org: str
    condition: Literal["working", "faulty", "broken"]
    overdue_days: int = Field(default=0, ge=0, description="Days past the due date when it came back.")


class AssetRetired(EnvelopeBase):
    type: Literal["asset.retired"] = "asset.retired"
    payload: RetiredPayload


class AssetOffered(EnvelopeBase):
    type: Literal["asset.offered"] = "asset.offered"
    payload: OfferedPayload


class AssetClaimed(EnvelopeBase):
    type: Literal["asset.claimed"] = "asset.claimed"
    payload: ClaimedPayload


class AssetOfferDeclined(EnvelopeBase):
    type: Literal["asset.offer_declined"] = "asset.offer_declined"
    payload: OfferDeclinedPayload


class AssetOffersExpired(EnvelopeBase):
    type: Literal["asset.offers_expired"] = "asset.offers_expired"
    payload: OffersExpiredPayload


class AssetClaimLapsed(EnvelopeBase):
    type: Literal["asset.claim_lapsed"] = "asset.claim_lapsed"
    payload: ClaimLapsedPayload


class AssetCollected(EnvelopeBase):
    type: Literal["asset.collected"] = "asset.collected"
    payload: CollectedPayload


class AssetDiagnosed(EnvelopeBase):
    type: Literal["asset.diagnosed"] = "asset.diagnosed"
    payload: DiagnosedPayload


class AssetWiped(EnvelopeBase):
    type: Literal["asset.wiped"] = "asset.wiped"
    payload: WipedPayload


class AssetRefurbished(EnvelopeBase):
    type: Literal["asset.refurbished"] = "asset.refurbished"
    payload: RefurbishedPayload


class AssetReserved(EnvelopeBase):
    type: Literal["asset.reserved"] = "asset.reserved"
    payload: ReservedPayload


class AssetReservationReleased(EnvelopeBase):
    type: Literal["asset.reservation_released"] = "asset.reservation_released"
    payload: ReservationReleasedPayload


class AssetDelivered(EnvelopeBase):
    type: Literal["asset.delivered"] = "asset.delivered"
    payload: DeliveredPayload


class AssetReturned(EnvelopeBase):
    type: Literal["asset.returned"] = "asset.returned"
    payload: ReturnedPayload


class AssetHarvested(EnvelopeBase):
    type: Literal["asset.harvested"] = "asset.harvested"
    payload: HarvestedPayload


class AssetRecycled(EnvelopeBase):
    type: Literal["asset.recycled"] = "asset.recycled"
    payload: RecycledPayload


class AssetInspected(EnvelopeBase):
    type: Literal["asset.inspected"] = "asset.inspected"
    payload: InspectedPayload


class AssetWrittenOff(EnvelopeBase):
    type: Literal["asset.written_off"] = "asset.written_off"
    payload: WrittenOffPayload


class AssetLent(EnvelopeBase):
    type: Literal["asset.lent"] = "asset.lent"
    payload: LentPayload


class AssetLoanReturned(EnvelopeBase):
    type: Literal["asset.loan_returned"] = "asset.loan_returned"
    payload: LoanReturnedPayload


AnyLifecycleEvent = AssetRetired | AssetOffered | AssetClaimed | AssetOfferDeclined | AssetOffersExpired | AssetClaimLapsed | AssetCollected | AssetDiagnosed | AssetWiped | AssetRefurbished | AssetReserved | AssetReservationReleased | AssetDelivered | AssetReturned | AssetHarvested | AssetRecycled | AssetWrittenOff | AssetInspected | AssetLent | AssetLoanReturned
LifecycleEvent = Annotated[AnyLifecycleEvent, Field(discriminator="type")]
PAYLOAD_OF_TYPE: dict[str, type[_Payload]] = {
    "asset.retired": RetiredPayload,
    "asset.offered": OfferedPayload,
    "asset.claimed": ClaimedPayload,
    "asset.offer_declined": OfferDeclinedPayload,
    "asset.offers_expired": OffersExpiredPayload,
    "asset.claim_lapsed": ClaimLapsedPayload,
    "asset.collected": CollectedPayload,
    "asset.diagnosed": DiagnosedPayload,
    "asset.wiped": WipedPayload,
    "asset.refurbished": RefurbishedPayload,
    "asset.reserved": ReservedPayload,
    "asset.reservation_released": ReservationReleasedPayload,
    "asset.delivered": DeliveredPayload,
    "asset.returned": ReturnedPayload,
    "asset.harvested": HarvestedPayload,
    "asset.recycled": RecycledPayload,
    "asset.written_off": WrittenOffPayload,
    "asset.lent": LentPayload,
    "asset.loan_returned": LoanReturnedPayload,
    "asset.inspected": InspectedPayload,
}
lifecycle_event_adapter: TypeAdapter[AnyLifecycleEvent] = TypeAdapter(LifecycleEvent)
