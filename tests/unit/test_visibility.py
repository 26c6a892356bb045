"""Who reads a device's private trail: its parties, auditors and admins; nobody else, whatever their role."""

from __future__ import annotations

import pytest

from marketplace.domain.permissions import ActorFacts
from marketplace.domain.visibility import DeviceParties, sees_private_trail

ROLES = ["asset_manager", "refurbisher", "maker", "third_place", "recycler", "auditor"]
DEVICE = DeviceParties(donor="lycee", custodian="atelier", claimer="atelier-claimer", refurbisher="atelier-refurb",
                       offered=frozenset({"fablab", "atelier-claimer"}), reservers=frozenset({"tiers-lieu"}))
PARTIES = ["lycee", "atelier", "atelier-claimer", "atelier-refurb", "fablab", "tiers-lieu"]


class TestPrivateTrail:
    @pytest.mark.parametrize("org", PARTIES)
    @pytest.mark.parametrize("role", ROLES)
    def test_every_party_reads_it_whatever_its_role(self, org: str, role: str) -> None:
        assert sees_private_trail(DEVICE, ActorFacts(role=role, org=org))

    @pytest.mark.parametrize("role", [r for r in ROLES if r != "auditor"])
    def test_an_unrelated_organisation_does_not(self, role: str) -> None:
        assert not sees_private_trail(DEVICE, ActorFacts(role=role, org="another-lycee"))

    def test_auditors_and_admins_read_every_device(self) -> None:
        assert sees_private_trail(DEVICE, ActorFacts(role="auditor", org="audit"))
        assert sees_private_trail(DEVICE, ActorFacts(role="asset_manager", org="region", is_admin=True))

    def test_signed_out_visitors_do_not(self) -> None:
        assert not sees_private_trail(DEVICE, None)

    def test_a_device_just_retired_involves_only_its_donor(self) -> None:
        fresh = DeviceParties(donor="lycee", custodian="lycee")
        assert sees_private_trail(fresh, ActorFacts(role="asset_manager", org="lycee"))
        assert not sees_private_trail(fresh, ActorFacts(role="refurbisher", org="atelier"))
