"""Vocabularies shared by every contract."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


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


def is_valid_unicode(text: str) -> bool:
    """False for text holding a lone surrogate (from a JSON escape such as \\ud800), which UTF-8 cannot encode."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def storable(value: Any) -> Any:
    """A validator for any text a client sends: PostgreSQL keeps neither NUL nor lone surrogates (which JSON's
    "\\u0000" and "\\ud800" escapes produce), so such text is refused here, naming its field, not at the insert."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("must not contain the NUL character (\\u0000)")
        if not is_valid_unicode(value):
            raise ValueError("is not valid Unicode (a lone surrogate escape such as \\ud800)")
    elif isinstance(value, (list, tuple)):
        for item in value:
            storable(item)
    return value
