"""The device page's state: the device, its facts, its avoided emissions and its trail, in the reader's language.

Apart from the page's components so that the actions panel (`device_actions.py`) and the page can both use it
without importing each other.
"""

from __future__ import annotations

import reflex as rx

from marketplace.domain.impact import avoided_emissions, default_factors
from marketplace.services.lookup import Client, open_device
from schemas.views import DevicePage
from ui import i18n
from ui.event_details import details, french_quote
from ui.services import explain, marketplace
from ui.state import SessionState


class DeviceState(SessionState):
    error: str = ""
    _page: DevicePage | None = None

    @rx.var
    def found(self) -> bool:
        return self._page is not None

    @rx.var
    def facts(self) -> dict[str, str]:
        if self._page is None:
            return {}
        d = self._page.device
        lang = self.lang
        return {
            "code": d.code,
            "state": i18n.label("state", d.state, lang),
            "category": i18n.label("category", d.category, lang),
            "brand_model": f"{d.brand} {d.model}",
            "year": str(d.year) if d.year else "—",
            "grade": d.grade or i18n.text("device.grade_none", lang),
            # Computed vars reach the browser even when not rendered: keep the public payload public.
            "donor": d.donor_name if self.user_email else "",
            "qr_png": f"/d/{d.code}/qr.png",
            "qr_url": self._page.qr_url,
        }

    @rx.var
    def impact(self) -> dict[str, str]:
        """The avoided-emissions figure and the sentence that says how it was obtained."""
        if self._page is None:
            return {}
        lang = self.lang
        figure = avoided_emissions(self._page.device.category, self._page.device.state, default_factors())
        if figure.kg is not None:
            value = f"{i18n.kg(figure.kg, lang)} kg CO₂e"
        elif figure.reason == "not_reused":
            value = i18n.text("device.impact_not_reused", lang)
        else:
            value = i18n.text("device.impact_na", lang)
        if figure.factor is None:
            note = i18n.text("device.impact_no_factor", lang)
        else:
            note = i18n.text("device.impact_assumption", lang).format(
                manufacturing=i18n.kg(figure.factor.manufacturing_kg, lang),
                assembly=i18n.kg(figure.factor.assembly_kg, lang), source=figure.factor.source,
            )
        return {"value": value, "note": note}

    @rx.var
    def chain_ok(self) -> bool:
        return self._page is not None and self._page.chain_ok

    @rx.var
    def timeline(self) -> list[dict[str, str]]:
        if self._page is None:
            return []
        lang = self.lang
        return [
            {
                "type": i18n.label("event", e.type, lang),
                "date": i18n.when(e.occurred_at, lang),
                "iso": e.occurred_at.isoformat(),
                "actor": (e.actor_org or e.actor_system or i18n.text("device.system", lang)) if self.user_email else "",
                "details": details(e.type, dict(e.summary), lang) if self.user_email else "",
                # Older offers' reasons exist in French only: shown apart, marked as French.
                "quote_fr": french_quote(e.type, dict(e.summary), lang) if self.user_email else "",
            }
            for e in self._page.events
        ]

    async def load(self) -> None:
        self.error = ""
        self._page = None
        code = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        user = await self._current_user()
        client = Client(self.router.session.client_ip, self.router.session.client_token)
        try:
            self._page = await open_device(await marketplace(), code, self._token if user else None, client)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
