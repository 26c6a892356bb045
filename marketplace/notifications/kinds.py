"""The kinds of notification, and what each person gets of them unless they chose otherwise.

Every notification goes through a pending row (migration 0021) that the fold job turns into e-mails: one
e-mail per person and kind gathers what arrived within NOTIFY_GROUP_MINUTES ("at once"), within a day
("daily digest") or a week ("weekly"). "never" queues nothing.
"""

from __future__ import annotations

from typing import Literal

Mode = Literal["now", "daily", "weekly", "never"]
MODES: tuple[Mode, ...] = ("now", "daily", "weekly", "never")

# In the order the preferences page lists them.
OFFERS_NEW = "offers_new"
OFFERS_EXPIRING = "offers_expiring"
PICKUP_DUE = "pickup_due"
CLAIM_LAPSED = "claim_lapsed"
HOLD_ENDING = "hold_ending"
RESERVATION_CANCELLED = "reservation_cancelled"
SECOND_LIFE = "second_life"
ADMIN_DAILY = "admin_daily"

KINDS: tuple[str, ...] = (OFFERS_NEW, OFFERS_EXPIRING, PICKUP_DUE, CLAIM_LAPSED, HOLD_ENDING,
                          RESERVATION_CANCELLED, SECOND_LIFE, ADMIN_DAILY)

# Which organisation kinds each notification concerns, and its default mode for them: offers concern
# those who receive offers; pickups both sides of a claim; reservations the tiers-lieux.
_RECEIVERS = frozenset({"association", "fablab", "recycler"})
CONCERNS: dict[str, frozenset[str]] = {
    OFFERS_NEW: _RECEIVERS,
    OFFERS_EXPIRING: _RECEIVERS,
    PICKUP_DUE: _RECEIVERS | {"lycee", "region"},
    CLAIM_LAPSED: _RECEIVERS | {"lycee", "region"},
    HOLD_ENDING: frozenset({"tiers_lieu"}),
    RESERVATION_CANCELLED: frozenset({"tiers_lieu"}),
    SECOND_LIFE: frozenset({"lycee", "region"}),
    ADMIN_DAILY: frozenset(),  # admins, whatever their organisation
}
DEFAULTS: dict[str, Mode] = {**{kind: "now" for kind in KINDS}, SECOND_LIFE: "weekly", ADMIN_DAILY: "daily"}


def concerns(kind: str, org_kind: str, is_admin: bool = False) -> bool:
    return (is_admin and kind == ADMIN_DAILY) or org_kind in CONCERNS.get(kind, frozenset())


def default_mode(kind: str, org_kind: str, is_admin: bool = False) -> Mode:
    """What a person of an `org_kind` organisation gets of `kind` before choosing."""
    return DEFAULTS.get(kind, "now") if concerns(kind, org_kind, is_admin) else "never"


def effective_mode(kind: str, org_kind: str, chosen: str | None, is_admin: bool = False) -> Mode:
    """The person's choice when they made one, else the default for their organisation's kind."""
    if chosen in MODES:
        return chosen
    return default_mode(kind, org_kind, is_admin)
