"""One readable line of what an event says, for signed-in readers of a device's trail (auditors first).

Pure: takes the event's type and its (already filtered) summary, returns text in the reader's language.
An offer's reasons come from its structured form (`reason_codes`, added to the summary from the offers
table) when it has one; an older offer only has the event's French sentences: in English they are left out
of the line and returned by `french_quote`, for the page to show marked as French.
"""

from __future__ import annotations

from typing import Any

from marketplace.i18n import catalogues
from ui.i18n_reasons import reasons_text, system_text


def _w(key: str, lang: str) -> str:
    """A word of the line (`trail.<key>` in the catalogues)."""
    return catalogues.text(f"trail.{key}", lang)


def _number(value: Any, lang: str) -> str:
    """A decimal figure with the language's decimal mark (anything else as it is)."""
    if isinstance(value, float):
        text = f"{value:g}"
        return text.replace(".", ",") if lang == "fr" else text
    return str(value)


def _day(iso: str, lang: str) -> str:
    """An ISO day (YYYY-MM-DD) the way the language writes it (DD/MM/YYYY in French)."""
    parts = iso.split("-")
    return "/".join(reversed(parts)) if lang == "fr" and len(parts) == 3 else iso


def _reasons(offer: dict[str, Any], lang: str) -> list[str] | None:
    """The offer's reasons in `lang`, or None when only the French of an older offer exists and lang is not French."""
    rendered = reasons_text(offer.get("reason_codes"), lang)
    if rendered is not None:
        return rendered
    return [str(r) for r in offer.get("reasons", [])] if lang == "fr" else None


def _offers(summary: dict[str, Any], lang: str) -> str:
    parts = []
    for offer in summary.get("offers", []):
        if isinstance(offer, dict):
            score = f"{offer.get('org')} ({_w('score', lang)} {_number(offer.get('score'), lang)}"
            reasons = _reasons(offer, lang)
            parts.append(f"{score})" if reasons is None else f"{score}: {' ; '.join(reasons)})")
        else:
            parts.append(str(offer))
    return f"{_w('round', lang)} {summary.get('round', '')} — " + " | ".join(parts)


def french_quote(event_type: str, summary: dict[str, Any], lang: str) -> str:
    """What `details` could not translate (older offers' reasons, in French), to show marked lang="fr"."""
    if event_type != "asset.offered" or lang == "fr":
        return ""
    quotes = [f"{offer.get('org')} : {' ; '.join(str(r) for r in offer.get('reasons', []))}"
              for offer in summary.get("offers", [])
              if isinstance(offer, dict) and offer.get("reasons") and _reasons(offer, lang) is None]
    return " | ".join(quotes)


def details(event_type: str, summary: dict[str, Any], lang: str) -> str:
    """A short line; empty when the event carries nothing a reader needs beyond its type."""
    s = summary
    match event_type:
        case "asset.offered":
            return _offers(s, lang)
        case "asset.claimed":
            return f"{_w('claimer', lang)} : {s.get('claimer', '')}"
        case "asset.offer_declined":
            return f"{s.get('org', '')} — {_w('reason', lang)} : {s.get('reason', '')}"
        case "asset.offers_expired":
            return f"{_w('next_round', lang)} : {s.get('next_round', '')}"
        case "asset.claim_lapsed":
            return f"{s.get('claimer', '')} — {system_text(str(s.get('reason', '')), lang)}"
        case "asset.collected" | "asset.delivered":
            line = f"{_w('from', lang)} {s.get('from', '')} {_w('to', lang)} {s.get('to', '')}"
            if s.get("beneficiary_category"):
                line += f" — {_w('beneficiary', lang)} : {s['beneficiary_category']}"
            if s.get("proof") in ("handing_party", "handover_code"):
                colon = catalogues.text("punct.colon", lang)
                line += f" — {_w('proof', lang)}{colon}{_w('proof_' + str(s['proof']), lang)}"
            return line
        case "asset.diagnosed":
            return f"{_w('outcome', lang)} : {s.get('outcome', '')} {s.get('findings', '')}".strip()
        case "asset.wiped":
            c = s.get("certificate", {}) if isinstance(s.get("certificate"), dict) else {}
            return (f"{c.get('method', '')} — {c.get('technique', '')} — {c.get('tool', '')} {c.get('tool_version', '')}"
                    f" — {_w('verification', lang)} {c.get('verification', '')}")
        case "asset.refurbished":
            return f"{_w('grade', lang)} {s.get('grade', '')} — {_w('os', lang)} : {s.get('os_installed', '')}"
        case "asset.reserved":
            return f"{s.get('third_place', '')} {_w('until', lang)} {_day(str(s.get('hold_until', ''))[:10], lang)}"
        case "asset.returned" | "asset.written_off":
            return f"{_w('reason', lang)} : {s.get('reason', '')}"
        case "asset.harvested":
            names = ", ".join(f"{p.get('name')} ×{p.get('quantity', 1)}" for p in s.get("parts", []) if isinstance(p, dict))
            return f"{_w('parts', lang)} : {names}"
        case "asset.inspected":
            line = f"{', '.join(str(x) for x in s.get('sources', []))} — {_w('snapshot_sha', lang)} {str(s.get('sha256', ''))[:16]}…"
            if s.get("mismatches"):
                named = ", ".join(_w(f"snapshot_{m}", lang) for m in s["mismatches"] if m in ("serial", "model"))
                line += f" — {named} : {_w('snapshot_mismatch', lang)}"
            return line
        case "asset.recycled":
            return (f"{s.get('recycler', '')} — {_w('weight', lang)} {_number(s.get('weight_kg', ''), lang)} kg — "
                    f"{_w('slip', lang)} {s.get('slip_number', '')}")
    return ""
