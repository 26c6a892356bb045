"""The words of a notification e-mail, in the person's language, from the catalogues (pure).

A folded e-mail is one kind for one person: a greeting, the kind's introduction, one line per fact
(a device offered, a deadline...), a link to the page where they act, and the footer with the
preferences page and the one-click link that turns this kind off.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from marketplace.domain.codes import format_code
from marketplace.i18n import catalogues as i18n
from marketplace.notifications import kinds as k

PARIS = ZoneInfo("Europe/Paris")
PREFERENCES_PATH = "/preferences"
# Where each kind's reader acts.
ACTION_PATHS: dict[str, str] = {
    k.OFFERS_NEW: "/offres", k.OFFERS_EXPIRING: "/offres", k.PICKUP_DUE: "/enlevements",
    k.CLAIM_LAPSED: "/mes-appareils", k.HOLD_ENDING: "/mes-reservations", k.RESERVATION_CANCELLED: "/mes-reservations",
    k.SECOND_LIFE: "/mes-appareils", k.ADMIN_DAILY: "/admin/lettres-mortes",
}


@dataclass(frozen=True)
class Written:
    subject: str
    text: str
    html: str


def when(value: str | None, lang: str) -> str:
    if not value:
        return ""
    at = datetime.fromisoformat(value).astimezone(PARIS)
    return at.strftime(i18n.text("format.datetime", lang))


def _code(code: str) -> str:
    """A stored code as people read it on labels (XXXX-XXXX-XXXX)."""
    return format_code(code) if len(code) == 12 and code.isalnum() else code


def line(kind: str, fact: dict[str, Any], lang: str) -> str:
    km = fact.get("km")
    distance = i18n.formatted("notify.distance", lang, km=f"{float(km):.0f}") if km is not None else ""
    params = {"device": fact.get("device", ""), "code": _code(str(fact.get("code", ""))), "donor": fact.get("donor", ""),
              "party": fact.get("party", ""), "distance": distance, "at": when(fact.get("at"), lang),
              "n": fact.get("n", "")}
    key = f"notify.{kind}.line" + (f".{fact['line']}" if fact.get("line") else "")
    return i18n.formatted(key, lang, **params)


def write(kind: str, lang: str, name: str, facts: list[dict[str, Any]], base_url: str,
          unsubscribe_url: str) -> Written:
    """Subject, plain text and HTML of one e-mail of `kind` listing `facts`."""
    base = base_url.rstrip("/")
    action = base + ACTION_PATHS.get(kind, "/")
    prefs = base + PREFERENCES_PATH
    n = len(facts)
    subject = i18n.formatted(f"notify.{kind}.subject", lang, n=n)
    greeting = i18n.formatted("notify.greeting", lang, name=name)
    intro = i18n.formatted(f"notify.{kind}.intro", lang, n=n)
    lines = [line(kind, fact, lang) for fact in facts]
    go = i18n.text(f"notify.{kind}.action", lang)
    why = i18n.text("notify.footer.why", lang)
    prefs_label = i18n.text("notify.footer.preferences", lang)
    stop_label = i18n.formatted("notify.footer.unsubscribe", lang, kind=i18n.text(f"notify.kind.{kind}", lang))
    text = "\n".join([greeting, "", intro, "", *[f"- {li}" for li in lines], "",
                      i18n.formatted("notify.action_line", lang, label=go, url=action), "", "-- ", why,
                      f"{prefs_label} {prefs}", f"{stop_label} {unsubscribe_url}", ""])
    def e(text: str) -> str:
        return html.escape(text, quote=False)

    def a(url: str) -> str:  # an attribute value
        return html.escape(url, quote=True)

    body = "".join(f"<li>{e(li)}</li>" for li in lines)
    page = (f'<!DOCTYPE html><html lang="{a(lang)}"><head><meta charset="utf-8"><title>{e(subject)}</title></head>'
            f"<body><p>{e(greeting)}</p><p>{e(intro)}</p><ul>{body}</ul>"
            f'<p><a href="{a(action)}">{e(go)}</a></p><hr><p><small>{e(why)}<br>'
            f'<a href="{a(prefs)}">{e(prefs_label)}</a><br>'
            f'<a href="{a(unsubscribe_url)}">{e(stop_label)}</a></small></p></body></html>')
    return Written(subject, text, page)
