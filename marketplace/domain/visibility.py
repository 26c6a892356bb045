"""Who reads a device's private trail, and who gets its public passport. Pure.

Device codes are public (printed on labels, in the open data and the catalogue), so knowing a code proves
nothing. The private trail (wipe certificates with operators and disk serials, user ids, findings, return
reasons, slip numbers) is for the organisations the device's history involves, for auditors and for
admins; everyone else, signed in or not, person or API token, reads the same public passport.
"""

from __future__ import annotations

from dataclasses import dataclass

from marketplace.domain.permissions import ActorFacts

# Roles that read every device (their job is to check the others' work).
READ_ALL_ROLES = frozenset({"auditor"})


@dataclass(frozen=True)
class DeviceParties:
    """The organisations (slugs) a device's history involves."""

    donor: str
    custodian: str | None = None
    claimer: str | None = None
    refurbisher: str | None = None
    # Every organisation it was ever offered to (any round, whatever became of the offer): an offer asks
    # the organisation to judge the device, and a past offer is part of its own history with the device.
    offered: frozenset[str] = frozenset()
    # The third place holding it now, and every third place it was delivered to (a returned device has
    # gone back to its workshop, but its last users' tiers-lieu held it).
    reservers: frozenset[str] = frozenset()

    def involves(self, org: str) -> bool:
        named = {self.donor, self.custodian, self.claimer, self.refurbisher}
        return org in named or org in self.offered or org in self.reservers


def sees_private_trail(parties: DeviceParties, reader: ActorFacts | None) -> bool:
    """Whether `reader` (None: signed out) reads the full trail of the device rather than its passport."""
    if reader is None:
        return False
    if reader.is_admin or reader.role in READ_ALL_ROLES:
        return True
    return parties.involves(reader.org)


def reads_wipe_certificate(parties: DeviceParties, reader: ActorFacts, wiped_by: str) -> bool:
    """The wipe certificate (it lists the media's serial numbers) is for the donor, the device's custodian,
    the organisation that sanitised it, auditors and admins; not for every organisation it was offered to."""
    if reader.is_admin or reader.role in READ_ALL_ROLES:
        return True
    return reader.org in {parties.donor, parties.custodian, wiped_by}
