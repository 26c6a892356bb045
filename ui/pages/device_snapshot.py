"""The device page's hardware part (issue 20): the specs (everyone reads them), and for the device's custodian
an upload of a hardware snapshot (lshw, smartctl, dmidecode, lsblk, upower output or a Workbench snapshot);
for those who read snapshots (donor, custodian, auditors) what the latest one read and its warnings."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx

from marketplace.bench.detect import MAX_BYTES
from schemas.snapshots import SnapshotPanel
from ui import i18n
from ui.components.notice import error_notice
from ui.i18n import t
from ui.pages.device_state import DeviceState
from ui.services import explain, marketplace
from ui.state import SessionState

UPLOAD_ID = "snapshot-upload"
_KINDS = {"hdd": "HDD", "ssd": "SSD", "nvme": "NVMe"}


def _num(value: Any, lang: str) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = f"{value:g}"
        return text.replace(".", i18n.text("format.decimal_mark", lang))
    return "—" if value in (None, "") else str(value)


class SnapshotState(SessionState):
    error: str = ""
    recorded: bool = False
    _panel: SnapshotPanel | None = None

    def _code(self) -> str:
        return self.router.url.path.rstrip("/").rsplit("/", 1)[-1]

    @rx.var
    def may_post(self) -> bool:
        return self._panel is not None and self._panel.may_post

    @rx.var
    def specs(self) -> list[list[str]]:
        """[label, value] of each spec the device has, read or declared."""
        if self._panel is None:
            return []
        s, lang = self._panel.specs, self.lang
        def unit(key: str, value: Any) -> str | None:
            return i18n.text(key, lang).format(n=_num(value, lang)) if value else None

        kind = _KINDS.get(s.get("storage_type") or "", "")
        storage = unit("snap.gb_value", s.get("storage_gb"))
        rows = [("snap.cpu", s.get("cpu")), ("snap.ram", unit("snap.gb_value", s.get("ram_gb"))),
                ("snap.storage", f"{storage} {kind}".strip() if storage else None),
                ("snap.screen", unit("snap.inch_value", s.get("screen_in")))]
        return [[i18n.text(k, lang), str(v)] for k, v in rows if v]

    @rx.var
    def has_latest(self) -> bool:
        return self._panel is not None and self._panel.latest is not None

    @rx.var
    def latest(self) -> dict[str, str]:
        if self._panel is None or self._panel.latest is None:
            return {}
        snap, lang = self._panel.latest, self.lang
        r = snap.reading
        return {"when": i18n.when(snap.created_at, lang), "by": snap.posted_by_org, "sha256": snap.sha256,
                "sources": ", ".join(r.sources), "identity": " · ".join(x for x in (r.manufacturer, r.model) if x) or "—",
                "serial": r.serial or "—", "cpu": r.cpu or "—", "ram": _num(r.ram_gb, lang),
                "screen": _num(r.screen_in, lang)}

    @rx.var
    def media(self) -> list[str]:
        if self._panel is None or self._panel.latest is None:
            return []
        lang = self.lang
        out = []
        for m in self._panel.latest.reading.media:
            health = "—" if m.smart_passed is None else i18n.text("snap.smart_ok" if m.smart_passed else "snap.smart_bad", lang)
            out.append(i18n.text("snap.medium", lang).format(
                device=m.device or "—", model=m.model or "—", serial=m.serial or "—", gb=_num(m.capacity_gb, lang),
                kind=_KINDS.get(m.kind or "", "—"), health=health, hours=_num(m.power_on_hours, lang)))
        return out

    @rx.var
    def batteries(self) -> list[str]:
        if self._panel is None or self._panel.latest is None:
            return []
        lang = self.lang
        return [i18n.text("snap.battery", lang).format(pct=_num(b.health_pct, lang), full=_num(b.full_wh, lang),
                                                       design=_num(b.design_wh, lang))
                for b in self._panel.latest.reading.batteries]

    @rx.var
    def warnings(self) -> list[str]:
        if self._panel is None or self._panel.latest is None:
            return []
        lang = self.lang
        return [i18n.text("snap.warning", lang).format(field=i18n.text(f"snap.field_{w.field}", lang),
                                                       read=w.read, declared=w.declared)
                for w in self._panel.latest.warnings]

    async def load(self) -> None:
        self.error, self.recorded, self._panel = "", False, None
        try:
            self._panel = await (await marketplace()).snapshot_panel(self._token, self._code())
        except Exception:  # noqa: BLE001 (the device page says why it cannot show the device)
            self._panel = None

    @rx.event(background=True)
    async def upload(self, chunks: rx.UploadChunkIterator):  # type: ignore[no-untyped-def]
        """The file as it streams in, read up to the limit; the server checks custody before reading it."""
        async with self:
            token, lang, code = self._token, self.lang, self._code()
            self.error, self.recorded = "", False
        data, name = bytearray(), ""
        async for chunk in chunks:
            if name and chunk.filename != name:
                break
            name = chunk.filename
            data += chunk.data
            if len(data) > MAX_BYTES:
                break
        if not name:
            return None
        try:
            await (await marketplace()).post_snapshot(token, code, bytes(data))
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            async with self:
                self.error = explain(err, lang)
            return None
        panel = await (await marketplace()).snapshot_panel(token, code)
        async with self:
            self.recorded, self._panel = True, panel
        return DeviceState.load  # the trail now ends with the snapshot's event


def _upload_zone() -> rx.Component:
    zone = rx.upload(
        rx.el.p(t("snap.drop"), id="snapshot-drop-label"),
        id=UPLOAD_ID, max_files=1, multiple=False, class_name="upload-zone",
    )
    zone.children[0].children[0].custom_attrs["aria-labelledby"] = "snapshot-drop-label"  # see import_csv.py
    return rx.el.div(
        rx.el.p(t("snap.upload_hint")),
        zone,
        rx.el.p(rx.foreach(rx.selected_files(UPLOAD_ID), lambda n: rx.el.span(n, " "))),
        rx.el.button(t("snap.send"), type="button", class_name="button", id="snapshot-send",
                     on_click=SnapshotState.upload(rx.upload_files_chunk(upload_id=UPLOAD_ID))),  # type: ignore[misc]
        class_name="form",
    )


def _latest() -> rx.Component:
    s = SnapshotState.latest
    return rx.el.div(
        rx.foreach(SnapshotState.warnings, lambda w: rx.el.p(w, role="alert", class_name="notice notice-error")),
        rx.el.h3(t("snap.latest")),
        rx.el.dl(
            rx.el.dt(t("snap.when")), rx.el.dd(s["when"], " — ", s["by"]),
            rx.el.dt(t("snap.sources")), rx.el.dd(s["sources"]),
            rx.el.dt(t("snap.identity")), rx.el.dd(s["identity"]),
            rx.el.dt(t("snap.serial")), rx.el.dd(s["serial"], class_name="code"),
            rx.el.dt(t("snap.cpu")), rx.el.dd(s["cpu"]),
            rx.el.dt(t("snap.ram_read")), rx.el.dd(s["ram"]),
            rx.el.dt(t("snap.sha256")), rx.el.dd(s["sha256"], class_name="code"),
            class_name="facts",
        ),
        rx.el.ul(rx.foreach(SnapshotState.media, lambda m: rx.el.li(m)),
                 rx.foreach(SnapshotState.batteries, lambda b: rx.el.li(b))),
        id="snapshot-latest",
    )


def snapshot_panel() -> rx.Component:
    """Specs for everyone; the upload for the custodian; the latest snapshot for its readers."""
    return rx.el.section(
        rx.el.h2(t("snap.title"), id="hardware"),
        rx.cond(SnapshotState.specs.length() > 0,
                rx.el.dl(rx.foreach(SnapshotState.specs, lambda row: rx.fragment(rx.el.dt(row[0]), rx.el.dd(row[1]))),
                         class_name="facts", id="device-specs"),
                rx.el.p(t("snap.no_specs"))),
        error_notice(SnapshotState.error),
        rx.cond(SnapshotState.recorded, rx.el.p(t("snap.recorded"), role="status", class_name="notice notice-success")),
        rx.cond(SnapshotState.has_latest, _latest()),
        rx.cond(SnapshotState.may_post, _upload_zone()),
        aria_labelledby="hardware",
        on_mount=SnapshotState.load,
    )
