"""The device page's erasure reports (issue 20): for those who read them (the device's donor, its custodian,
the organisations that uploaded one, auditors, admins), each nwipe report kept as evidence: when, how, each
disk's model, serial and result, and its SHA-256 (the one in the wipe certificate). Nobody else gets a row:
the service refuses them, and the panel then shows nothing."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

import reflex as rx

from marketplace.domain.errors import DomainError
from marketplace.services.erasure_reports import ErasureReports
from ui import i18n
from ui.i18n import t
from ui.services import explain, marketplace
from ui.state import SessionState


class ErasureState(SessionState):
    reports: list[dict[str, str]] = []  # noqa: RUF012 (Reflex copies defaults per session)

    def _code(self) -> str:
        return self.router.url.path.rstrip("/").rsplit("/", 1)[-1]

    async def load(self) -> None:
        self.reports = []
        if await self._current_user() is None:
            return
        lang = self.lang
        try:
            m = await marketplace()
            listed = await ErasureReports(m.pool, m.settings).reports(self._token, self._code())
        except DomainError as err:  # not a reader of this device's reports (or no such device): nothing to show
            explain(err, lang)
            return
        self.reports = [{
            "when": i18n.when(r.ended_at, lang),
            "how": f"{r.tool} — {r.method}"
                   + (f" — {i18n.text('erasure.passes', lang).format(n=r.passes)}" if r.passes else "")
                   + f" — {i18n.text(f'erasure.verification.{r.verification}', lang)}",
            "disks": " ; ".join(f"{d.model} {d.serial or '—'} ({i18n.text(f'erasure.result.{d.result}', lang)})"
                                for d in r.disks),
            "sha256": r.sha256,
            "checked": i18n.text("erasure.media_checked" if r.media_checked else "erasure.media_unchecked", lang),
        } for r in listed.items]


def erasure_panel() -> rx.Component:
    s = ErasureState
    return rx.el.div(
        rx.cond(
            s.reports.length() > 0,  # type: ignore[attr-defined]
            rx.el.section(
                rx.el.h2(t("erasure.title"), id="erasure-reports"),
                rx.el.ul(rx.foreach(s.reports, lambda r: rx.el.li(
                    rx.el.p(rx.el.strong(r["when"]), " — ", r["how"]),
                    rx.el.p(t("erasure.disks"), " ", r["disks"]),
                    rx.el.p(r["checked"]),
                    rx.el.p(t("erasure.sha256"), " ", rx.el.code(r["sha256"], class_name="code")),
                ))),
                aria_labelledby="erasure-reports",
            ),
        ),
        on_mount=s.load,
    )
