"""The kinds of notification, and what each person gets of them unless they chose otherwise.

Every notification goes through a pending row (migration 0021) that the fold job turns into e-mails: one
e-mail per person and kind gathers what arrived within NOTIFY_GROUP_MINUTES ("at once"), or within a day
("daily digest"). "never" queues nothing.
"""

from __future__ import annotations

from typing import Literal

Mode = Literal["now", "daily", "never"]
MODES: tuple[Mode, ...] = ("now", "daily", "never")

# In the order the preferences page lists them.
OFFERS_NEW = "offers_new"
OFFERS_EXPIRING = "offers_expiring"
PICKUP_DUE = "pickup_due"
CLAIM_LAPSED = "claim_lapsed"
HOLD_ENDING = "hold_ending"
RESERVATION_CANCELLED = "reservation_cancelled"

KINDS: tuple[str, ...] = (OFFERS_NEW, OFFERS_EXPIRING, PICKUP_DUE, CLAIM_LAPSED, HOLD_ENDING,
                          RESERVATION_CANCELLED)

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
}
DEFAULTS: dict[str, Mode] = {kind: "now" for kind in KINDS}


def default_mode(kind: str, org_kind: str) -> Mode:
    """What a person of an `org_kind` organisation gets of `kind` before choosing."""
    return DEFAULTS.get(kind, "now") if org_kind in CONCERNS.get(kind, frozenset()) else "never"


def effective_mode(kind: str, org_kind: str, chosen: str | None) -> Mode:
    """The person's choice when they made one, else the default for their organisation's kind."""
    if chosen in MODES:
        return chosen
    return default_mode(kind, org_kind)
