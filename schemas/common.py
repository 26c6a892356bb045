"""Vocabularies shared by every contract."""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    laptop = "laptop"
    desktop = "desktop"
    monitor = "monitor"
    tablet = "tablet"
    smartphone = "smartphone"
    printer = "printer"
    network = "network"
    server = "server"
    peripheral = "peripheral"
    other = "other"


class Condition(StrEnum):
    working = "working"
    faulty = "faulty"
    broken = "broken"
    unknown = "unknown"


class OrgKind(StrEnum):
    region = "region"
    lycee = "lycee"
    association = "association"
    fablab = "fablab"
    tiers_lieu = "tiers_lieu"
    recycler = "recycler"
    auditor = "auditor"


class Role(StrEnum):
    asset_manager = "asset_manager"
    refurbisher = "refurbisher"
    maker = "maker"
    third_place = "third_place"
    recycler = "recycler"
    auditor = "auditor"


ROLE_OF_KIND: dict[OrgKind, Role] = {
    OrgKind.region: Role.asset_manager,
    OrgKind.lycee: Role.asset_manager,
    OrgKind.association: Role.refurbisher,
    OrgKind.fablab: Role.maker,
    OrgKind.tiers_lieu: Role.third_place,
    OrgKind.recycler: Role.recycler,
    OrgKind.auditor: Role.auditor,
}
