"""/donnees-personnelles: what is kept about people, why, and for how long (GDPR art. 13), for anyone.

The durations are the settings the timers purge by (marketplace/timers/retention.py), so the page says
what the product really does.
"""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx

from marketplace.settings import get_settings
from ui import i18n
from ui.components.layout import page_shell
from ui.components.table import data_table
from ui.i18n import t
from ui.state import SessionState

KINDS = ("accounts", "sessions", "throttles", "links", "mails")


def _retention(kind: str) -> dict[str, int]:
    s = get_settings()
    return {"accounts": {}, "sessions": {"hours": round(s.session_ttl_hours), "days": round(s.session_retention_days)},
            "throttles": {"minutes": 15},
            "links": {"hours": round(s.invitation_ttl_hours), "minutes": round(s.reset_link_ttl_minutes),
                      "days": round(s.account_link_retention_days)},
            "mails": {"days": round(s.mail_retention_days)}}[kind]


class PersonalDataState(SessionState):
    @rx.var
    def kept(self) -> list[dict[str, str]]:
        lang = self.lang
        return [{"what": i18n.text(f"privacy.{k}.what", lang), "why": i18n.text(f"privacy.{k}.why", lang),
                 "how_long": i18n.text(f"privacy.{k}.how_long", lang).format(**_retention(k))} for k in KINDS]


def _row(r: Any) -> rx.Component:
    return rx.el.tr(rx.el.td(r["what"]), rx.el.td(r["why"]), rx.el.td(r["how_long"]))


def personal_data_page() -> rx.Component:
    return page_shell(
        "privacy.title",
        rx.el.p(t("privacy.intro")),
        rx.el.h2(t("privacy.kept"), id="kept"),
        data_table("kept", ["privacy.col.what", "privacy.col.why", "privacy.col.how_long"], PersonalDataState.kept,
                   _row),
        rx.el.h2(t("privacy.rights"), id="rights"),
        rx.el.p(t("privacy.rights_text")),
        rx.el.p(t("privacy.trail")),
    )
