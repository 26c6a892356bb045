"""The rules the compliance report applies (pure): the yearly reuse target, a delivery's donation checks.

The regulation they come from is quoted in the report's notes (`note.compliance.*` in the catalogues).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def target_for(year: int, targets: Mapping[int, float]) -> float | None:
    """The target (%) in force in `year`: the latest one set at or before it; None before the first."""
    years = [y for y in targets if y <= year]
    return float(targets[max(years)]) if years else None


def share(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def donation_verdict(checks: list[dict[str, Any]] | None, claimer_kind: str | None, unit_value: float | None,
                     recipient_kinds: list[str], ceiling: float) -> tuple[bool, str]:
    """Whether a delivery's donation was eligible, and why, from the checks recorded on the accepted offer.

    Without recorded checks (offers made before they were recorded) the rule is applied again to the facts.
    """
    relevant = [c for c in checks or [] if c.get("rule") in ("cession", "plafond_valeur")]
    if relevant:
        failed = [c for c in relevant if not c.get("passed")]
        detail = " ; ".join(str(c.get("detail", "")) for c in relevant)
        return not failed, detail
    if claimer_kind is None:
        return False, "aucune réclamation trouvée dans l'historique"
    kind_ok = claimer_kind in recipient_kinds
    value_ok = unit_value is None or unit_value <= ceiling
    value_text = "valeur non déclarée" if unit_value is None else f"valeur unitaire {unit_value:g} €"
    return kind_ok and value_ok, (f"bénéficiaire de type {claimer_kind} ({'éligible' if kind_ok else 'non éligible'}) ; "
                                  f"{value_text} {'≤' if value_ok else '>'} plafond {ceiling:g} € (recalculé)")
