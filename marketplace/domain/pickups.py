"""Pickups (enlèvements, LIFECYCLE.md "Demand, pickups and loans"): the claimed devices of one donor site for
one claimer, collected in one trip. Pure: the date the two sides agree on, the deadline it sets, who may do
what, and the scanning session's verdict on each label read.

The date: the claimer's proposal stands from the first claim (two days later); either side may propose
another, and the other side accepts it. The devices still expected lapse together, PICKUP_DEADLINE_HOURS
after the last claim that joined the pickup, or at the end of the agreed day when that is later; a date is
at most `MAX_DAYS_AHEAD` days ahead, so no one holds devices off the market by proposing a far date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from marketplace.domain.errors import DomainError

PARIS = ZoneInfo("Europe/Paris")
FIRST_PROPOSAL = timedelta(days=2)
MAX_DAYS_AHEAD = 30


class Side(StrEnum):
    donor = "donor"
    claimer = "claimer"


@dataclass(frozen=True)
class PickupFacts:
    donor: str  # organisation slugs
    claimer: str
    proposed_on: date
    proposed_by: Side
    agreed: bool
    last_claim_at: datetime
    agreed_until: datetime | None = None
    open: bool = True


def lapses_at(pickup: PickupFacts, deadline_hours: float) -> datetime:
    """When the devices still expected lapse (a no-show for the claimer)."""
    own = pickup.last_claim_at + timedelta(hours=deadline_hours)
    return max(own, pickup.agreed_until) if pickup.agreed_until is not None else own


def side_of(pickup: PickupFacts, org: str) -> Side | None:
    """The caller's side in the pickup, or None for any other organisation (which may not even see it)."""
    return Side.donor if org == pickup.donor else Side.claimer if org == pickup.claimer else None


def first_proposal(claimed_at: datetime) -> date:
    return (claimed_at + FIRST_PROPOSAL).astimezone(PARIS).date()


def end_of_day(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=PARIS)


@dataclass(frozen=True)
class DateChange:
    proposed_on: date
    proposed_by: Side
    agreed: bool
    agreed_until: datetime | None


def propose(pickup: PickupFacts, side: Side, day: date, now: datetime) -> DateChange:
    """Either side proposes a date (the other side must then accept it)."""
    if not pickup.open:
        raise DomainError("pickup.closed")
    today = now.astimezone(PARIS).date()
    if not today <= day <= today + timedelta(days=MAX_DAYS_AHEAD):
        raise DomainError("pickup.date_out_of_range", days=MAX_DAYS_AHEAD)
    return DateChange(day, side, False, None)


def accept(pickup: PickupFacts, side: Side, now: datetime) -> DateChange:
    """The side that did not propose the date accepts it; the devices are then held until the end of that day."""
    if not pickup.open:
        raise DomainError("pickup.closed")
    if pickup.agreed:
        raise DomainError("pickup.already_agreed")
    if side is pickup.proposed_by:
        raise DomainError("pickup.own_proposal")
    if pickup.proposed_on < now.astimezone(PARIS).date():
        raise DomainError("pickup.date_past")
    return DateChange(pickup.proposed_on, pickup.proposed_by, True, end_of_day(pickup.proposed_on))


class Scan(StrEnum):
    """What a label read during the scanning session means; each is `scan.<value>` in the catalogues."""

    expected = "expected"  # in the pickup, ticked off now
    twice = "twice"  # in the pickup, already ticked off
    unexpected = "unexpected"  # a device that is not in the pickup
    unreadable = "unreadable"  # not a Seconde Vie label


@dataclass
class ScanSession:
    """The scanning session of one handover: the expected device codes and what was read so far."""

    expected: tuple[str, ...]
    ticked: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)

    def read(self, code: str | None) -> Scan:
        if code is None:
            return Scan.unreadable
        if code not in self.expected:
            if code not in self.unexpected:
                self.unexpected.append(code)
            return Scan.unexpected
        if code in self.ticked:
            return Scan.twice
        self.ticked.append(code)
        return Scan.expected

    @property
    def missing(self) -> list[str]:
        return [c for c in self.expected if c not in self.ticked]
