"""/importer (asset managers): upload a CSV inventory, preview it, confirm; with a progress bar.

The file stays in this server-side state between preview and confirmation (never re-sent by the browser),
and the services parse it again on confirmation with the caller's organisation re-checked.
"""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import reflex as rx
from reflex.event import EventSpec

from marketplace.imports.decoding import ImportFileError
from ui import routes
from ui.components.layout import nav_link, page_shell
from ui.components.notice import error_notice, success_notice
from ui.i18n import t
from ui.services import explain, marketplace
from ui.state import SessionState

if TYPE_CHECKING:
    from marketplace.imports.door import ImportDoor
    from marketplace.imports.service import ImportPreview

UPLOAD_ID = "inventory-csv"
SHOWN_ROWS = 200


async def _door() -> ImportDoor:
    # Imported late: compiling the frontend never wires the services.
    from marketplace.imports.door import ImportDoor

    return ImportDoor(await marketplace())


class ImportState(SessionState):
    error: str = ""
    allowed: bool = True
    file_name: str = ""
    detected: str = ""
    ignored_columns: str = ""
    to_create: list[dict[str, str]] = []  # noqa: RUF012 (Reflex copies defaults per session)
    already: int = 0
    errors: list[dict[str, str]] = []  # noqa: RUF012
    create_count: int = 0
    skip_invalid: bool = False
    running: bool = False
    done: int = 0
    total: int = 0
    created: int = 0
    finished: bool = False
    _data: bytes = b""

    @rx.var
    def has_preview(self) -> bool:
        return self.file_name != ""

    @rx.var
    def can_confirm(self) -> bool:
        return self.create_count > 0 and (not self.errors or self.skip_invalid) and not self.running

    async def load(self) -> EventSpec | None:
        user = await self._current_user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        self.allowed = user.role == "asset_manager"
        self._reset()
        return None

    def _reset(self) -> None:
        self.error, self.file_name, self.detected, self.ignored_columns = "", "", "", ""
        self.to_create, self.errors, self.already, self.create_count = [], [], 0, 0
        self.skip_invalid, self.running, self.finished = False, False, False
        self.done, self.total, self.created, self._data = 0, 0, 0, b""

    def toggle_skip_invalid(self) -> None:
        self.skip_invalid = not self.skip_invalid

    @rx.event(background=True)
    async def handle_upload(self, chunks: rx.UploadChunkIterator):  # type: ignore[no-untyped-def]
        """The file as it streams in (Reflex hands this task the upload before reading its body): the door
        checks the caller's role before pulling a chunk and stops at the size limit; a refused upload is
        never read further, and Reflex answers its request with an error."""
        async with self:
            self._reset()
            token, lang = self._token, self.lang
        names: list[str] = []

        async def first_file() -> AsyncIterator[bytes]:
            async for chunk in chunks:
                if names and chunk.filename != names[0]:
                    return  # one file per import: a second one is not read
                names[:1] = names[:1] or [chunk.filename]
                yield chunk.data

        try:
            preview, data = await (await _door()).preview_upload(token, first_file())
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            if names or not isinstance(err, ImportFileError):  # no file chosen: nothing to say
                async with self:
                    self.error = explain(err, lang)
            return
        if not names:
            return
        async with self:
            self._show(preview, data, names[0])

    def _show(self, preview: ImportPreview, data: bytes, file_name: str) -> None:
        p = preview.parsed
        self._data = data
        self.file_name = file_name or "inventaire.csv"
        self.detected = f"{p.format} · {p.encoding} · « {p.delimiter} »"
        self.ignored_columns = ", ".join(p.ignored_columns)
        self.create_count = len(preview.to_create)
        self.to_create = [{"line": str(r.line), "device": f"{r.request.category} {r.request.brand} {r.request.model}",
                           "serial": r.request.serial} for r in preview.to_create[:SHOWN_ROWS]]
        self.already = len(preview.already_imported)
        self.errors = [{"line": str(e.line), "column": e.column, "reason": e.reason} for e in preview.errors]

    @rx.event(background=True)
    async def confirm(self):  # type: ignore[no-untyped-def]
        async with self:
            token, data, skip = self._token, self._data, self.skip_invalid
            self.running, self.error, self.done, self.total = True, "", 0, self.create_count
            seen = [0, self.create_count]

        def progress(done: int, total: int) -> None:
            seen[0], seen[1] = done, total

        task = asyncio.create_task((await _door()).confirm(token, data, skip, progress))
        while not task.done():
            await asyncio.sleep(0.25)
            async with self:
                self.done, self.total = seen[0], seen[1]
        async with self:
            self.running = False
            try:
                outcome = task.result()
            except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
                self.error = explain(err, self.lang)
                return
            self.created, self.finished, self.done = len(outcome.created), True, self.total
            self._data = b""


def _labelled_upload() -> rx.Component:
    """The drop zone, its hidden file input named by the zone's visible text (axe: every field has a label)."""
    zone = rx.upload(
        rx.el.p(t("import.drop"), id="import-drop-label"),
        id=UPLOAD_ID, accept={"text/csv": [".csv"], "text/plain": [".txt"]}, max_files=1, multiple=False,
        class_name="upload-zone",
    )
    # rx.upload builds <div {...getRootProps()}><input {...getInputProps()}/>children</div>, with no way to pass
    # props to the input; getInputProps sets no aria attribute, so ours survives the spread.
    file_input = zone.children[0].children[0]
    file_input.custom_attrs["aria-labelledby"] = "import-drop-label"
    return zone


def _upload() -> rx.Component:
    return rx.el.div(
        _labelled_upload(),
        rx.el.p(rx.foreach(rx.selected_files(UPLOAD_ID), lambda name: rx.el.span(name, " "))),
        rx.el.button(t("import.preview"), type="button", class_name="button",
                     on_click=ImportState.handle_upload(rx.upload_files_chunk(upload_id=UPLOAD_ID))),
        rx.el.p(rx.el.a(t("import.template"), href="/import/modele.csv", class_name="link")),
        class_name="form",
    )


def _table(rows: object, columns: list[tuple[str, str]], label_id: str) -> rx.Component:
    return rx.el.table(
        rx.el.thead(rx.el.tr(*[rx.el.th(t(key), scope="col") for key, _ in columns])),
        rx.el.tbody(rx.foreach(rows, lambda row: rx.el.tr(*[rx.el.td(row[name]) for _, name in columns]))),
        aria_labelledby=label_id, class_name="table",
    )


def _preview() -> rx.Component:
    s = ImportState
    return rx.cond(s.has_preview, rx.el.section(
        rx.el.h2(t("import.summary"), " — ", s.file_name, id="import-summary"),
        rx.el.p(t("import.format"), " : ", s.detected),
        rx.cond(s.ignored_columns != "", rx.el.p(t("import.ignored_columns"), " : ", s.ignored_columns)),
        rx.el.ul(
            rx.el.li(t("import.to_create"), " : ", rx.el.strong(s.create_count)),
            rx.el.li(t("import.already"), " : ", rx.el.strong(s.already)),
            rx.el.li(t("import.errors"), " : ", rx.el.strong(s.errors.length())),
        ),
        rx.cond(s.errors.length() > 0, rx.fragment(
            rx.el.h3(t("import.errors"), id="import-errors"),
            _table(s.errors, [("col.line", "line"), ("col.column", "column"), ("col.reason", "reason")],
                   "import-errors"),
            rx.el.p(t("import.fix_or_skip"), role="alert", class_name="notice notice-error"),
            rx.el.label(rx.el.input(type="checkbox", checked=s.skip_invalid, on_change=s.toggle_skip_invalid),
                        " ", t("import.skip_invalid")),
        )),
        rx.cond(s.create_count > 0, rx.fragment(
            rx.el.h3(t("import.to_create"), id="import-create"),
            _table(s.to_create, [("col.line", "line"), ("col.device", "device"), ("col.serial", "serial")],
                   "import-create"),
        ), rx.el.p(t("import.nothing"))),
        rx.el.button(t("import.confirm"), type="button", class_name="button", disabled=~s.can_confirm,
                     on_click=s.confirm),
        aria_labelledby="import-summary",
    ))


def _progress() -> rx.Component:
    s = ImportState
    return rx.fragment(
        rx.cond(s.running, rx.el.div(
            rx.el.label(t("import.running"), html_for="import-progress"),
            rx.el.progress(id="import-progress", value=s.done, max=s.total),
            rx.el.span(s.done, " / ", s.total),
            role="status",
        )),
        rx.cond(s.finished, success_notice(
            rx.el.p(t("import.done"), " : ", rx.el.strong(s.created), " ", t("import.created")),
            rx.el.p(nav_link(t("retire.my_donations"), routes.RETIRE)),
        )),
    )


def import_page() -> rx.Component:
    return page_shell(
        "import.title",
        rx.cond(
            ImportState.allowed,
            rx.fragment(rx.el.p(t("import.intro")), error_notice(ImportState.error), _upload(), _progress(),
                        _preview()),
            error_notice(t("role.required")),
        ),
    )
