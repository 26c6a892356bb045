"""Eligibility of one organisation for one device: each rule is a recorded check, pass or fail.

The checks run before any scoring (LIFECYCLE.md, routing step 1) and all of them run, so a rejected
organisation's record says every reason at once. An offer carries its checks: they are the proof,
for the auditor, that the donation rules were applied to that device and that recipient.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from marketplace.domain.reasons import Reason
from marketplace.domain.routing_rules import (
    CG3P_DONATION,
    DONATION_CEILING_TEXT,
    REUSE_AGE_TEXT,
    RoutingRules,
)


@dataclass(frozen=True)
class Device:
    """The facts about a device that routing needs."""

    category: str
    pays_code: str
    year: int | None = None
    condition: str = "unknown"
    unit_value_eur: float | None = None
    has_storage: bool = False


@dataclass(frozen=True)
class Candidate:
    """An organisation that might receive the device, with its load and record over the fairness window.

    `load` counts devices it holds now plus devices it claimed and has not collected yet."""

    slug: str
    kind: str
    pays_code: str
    accepted_categories: frozenset[str]
    capacity: int = 0
    load: int = 0
    received: int = 0
    no_shows: int = 0

    @property
    def free(self) -> int:
        return self.capacity - self.load


@dataclass(frozen=True)
class Check:
    rule: str
    passed: bool
    detail: str
    reference: str | None = None
    # The detail as data, for the checks an offer quotes among its reasons (the channel); not compared.
    reason: Reason | None = field(default=None, compare=False)


def reusable(device: Device, rules: RoutingRules, today: date) -> bool:
    """Fit for the reuse channel: not declared broken and not over the age limit (unknown age: the
    refurbisher's diagnosis decides, so it stays in reuse)."""
    if device.condition == "broken":
        return False
    return device.year is None or today.year - device.year <= rules.reuse_max_age_years


def eligibility_checks(device: Device, org: Candidate, rules: RoutingRules, today: date) -> list[Check]:
    """Category, channel (reuse or end of life), legal basis of the transfer, value ceiling, capacity."""
    checks = [_category(device, org), _channel(device, org, rules, today), _basis(org, rules)]
    if org.kind in rules.donation_kinds:
        checks.append(_ceiling(device, rules))
    checks.append(_capacity(org))
    return checks


def _category(device: Device, org: Candidate) -> Check:
    if device.category in org.accepted_categories:
        return Check("categorie", True, f"accepte la catégorie {device.category}")
    return Check("categorie", False, f"n'accepte pas la catégorie {device.category}")


def _channel(device: Device, org: Candidate, rules: RoutingRules, today: date) -> Check:
    if reusable(device, rules, today):
        ok = org.kind in rules.refurbisher_kinds
        code = "channel.reuse" if ok else "channel.reuse_only"
    else:
        ok = org.kind in rules.end_of_life_kinds
        code = "channel.end_of_life" if ok else "channel.end_of_life_only"
    age = None if device.year is None else today.year - device.year
    why, detail = _channel_reason(code, device.year, age, device.condition, rules.reuse_max_age_years)
    return Check("filiere", ok, detail, REUSE_AGE_TEXT, why)


@lru_cache(maxsize=1024)
def _channel_reason(code: str, year: int | None, age: int | None, condition: str,
                    max_age: int) -> tuple[Reason, str]:
    """Every candidate's channel check of one device says one of four things: written once each."""
    why = Reason(code, (year, age, condition, max_age))
    return why, why.french()


def _basis(org: Candidate, rules: RoutingRules) -> Check:
    if org.kind in rules.donation_kinds:
        return Check("cession", True, f"don gratuit à un bénéficiaire éligible ({org.kind})", CG3P_DONATION)
    if org.kind in rules.weee_kinds:
        # Taking a device into the WEEE channel is a take-back, not a donation: no ceiling applies.
        return Check("cession", True, "reprise par la filière DEEE (pas un don)", "décret 2023-266")
    return Check("cession", False, f"type d'organisation « {org.kind} » non éligible au don", CG3P_DONATION)


def _ceiling(device: Device, rules: RoutingRules) -> Check:
    ceiling = rules.donation_ceiling_eur
    if device.unit_value_eur is None:
        # Retired stock is mostly far below the ceiling; the check says plainly that it was presumed.
        return Check("plafond_valeur", True,
                     f"valeur unitaire non déclarée, présumée sous le plafond de {ceiling:.0f} €",
                     DONATION_CEILING_TEXT)
    ok = device.unit_value_eur <= ceiling
    sign = "≤" if ok else ">"
    return Check("plafond_valeur", ok, f"valeur unitaire {device.unit_value_eur:.0f} € {sign} plafond {ceiling:.0f} €",
                 DONATION_CEILING_TEXT)


def _capacity(org: Candidate) -> Check:
    if org.free > 0:
        return Check("capacite", True, f"capacité libre : {org.free} sur {org.capacity}")
    return Check("capacite", False, f"complet : {org.load} appareils pour une capacité de {org.capacity}")
