"""QR label sheets as PDF: A4 sheets of 3 x 7 labels (63.5 x 38.1 mm) and 62 mm continuous roll labels.

Pure apart from the bytes it returns: label data in, PDF out. The QR is drawn as vector rectangles (one per
run of dark modules in a row, so there are no hairline seams between modules) with error correction M and
its 4-module quiet zone, so it stays sharp at any printer resolution.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import qrcode
import qrcode.constants
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

QUIET_ZONE = 4  # modules; ISO/IEC 18004 asks for 4, many phone scanners fail with less


@dataclass(frozen=True)
class Label:
    """What one label shows; `url` is what its QR encodes (`{BASE_URL}/d/{code}`)."""

    code: str  # formatted XXXX-XXXX-XXXX
    url: str
    category: str  # already in the reader's language
    model: str
    donor: str


@dataclass(frozen=True)
class Box:
    """A rectangle in mm, origin at the bottom left of the page (PDF convention)."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class SheetFormat:
    name: str
    page_w: float  # mm
    page_h: float
    cols: int
    rows: int
    label_w: float
    label_h: float
    left: float  # page margin to the first label
    top: float
    pitch_x: float  # from one label's left edge to the next one's
    pitch_y: float
    padding: float  # inside each label, kept free of ink

    @property
    def per_page(self) -> int:
        return self.cols * self.rows


# The common 21-per-sheet layout (Avery L7160 and its equivalents): 2.54 mm gutters, label grid centred.
A4_3X7 = SheetFormat("a4-3x7", 210.0, 297.0, 3, 7, 63.5, 38.1, left=7.21, top=15.15,
                     pitch_x=66.04, pitch_y=38.1, padding=2.0)
# One label per page on a 62 mm roll (Brother DK-22205 and alike): the printer cuts after each page.
ROLL_62 = SheetFormat("roll-62", 62.0, 40.0, 1, 1, 62.0, 40.0, left=0.0, top=0.0,
                      pitch_x=62.0, pitch_y=40.0, padding=3.0)
FORMATS = {f.name: f for f in (A4_3X7, ROLL_62)}


def label_boxes(fmt: SheetFormat, count: int) -> Iterator[tuple[int, Box]]:
    """(page index, label rectangle) for `count` labels, filled row by row from the top left."""
    for i in range(count):
        page, slot = divmod(i, fmt.per_page)
        row, col = divmod(slot, fmt.cols)
        x = fmt.left + col * fmt.pitch_x
        y = fmt.page_h - fmt.top - row * fmt.pitch_y - fmt.label_h
        yield page, Box(x, y, fmt.label_w, fmt.label_h)


def qr_matrix(url: str) -> list[list[bool]]:
    """The QR modules of `url` (True = dark), quiet zone included, error correction M."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE)
    qr.add_data(url)
    qr.make(fit=True)
    return [list(row) for row in qr.get_matrix()]


def qr_box(fmt: SheetFormat, label: Box) -> Box:
    """The square for the QR (quiet zone included) at the left of a label, as tall as the padding allows."""
    side = label.h - 2 * fmt.padding
    return Box(label.x + fmt.padding, label.y + fmt.padding, side, side)


def text_box(fmt: SheetFormat, label: Box) -> Box:
    qr = qr_box(fmt, label)
    x = qr.x + qr.w + 1.0
    return Box(x, label.y + fmt.padding, label.x + label.w - fmt.padding - x, label.h - 2 * fmt.padding)


def _draw_qr(canvas: Canvas, matrix: list[list[bool]], box: Box) -> None:
    module = box.w / len(matrix)
    canvas.setFillGray(1.0)
    canvas.rect(box.x * mm, box.y * mm, box.w * mm, box.h * mm, stroke=0, fill=1)
    path = canvas.beginPath()
    for r, row in enumerate(matrix):
        y = box.y + box.h - (r + 1) * module
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            path.rect((box.x + start * module) * mm, y * mm, (c - start) * module * mm, module * mm)
    canvas.setFillGray(0.0)
    canvas.drawPath(path, stroke=0, fill=1)


def _fit(text: str, font: str, size: float, width_mm: float, max_lines: int) -> list[str]:
    """Wrap to the width; the last line ends with an ellipsis when the text is too long."""
    lines = simpleSplit(text, font, size, width_mm * mm) or [""]
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    last = kept[-1]
    while last and simpleSplit(last + "…", font, size, width_mm * mm) != [last + "…"]:
        last = last[:-1]
    kept[-1] = last.rstrip() + "…"
    return kept


def _draw_text(canvas: Canvas, label: Label, box: Box) -> None:
    # The code must stay readable by a person typing it, so it gets the largest size that fits one line.
    size = 9.0
    while size > 5.0 and canvas.stringWidth(label.code, "Courier-Bold", size) > box.w * mm:
        size -= 0.25
    y = box.y + box.h - size * 0.3528  # 1 pt = 0.3528 mm
    canvas.setFont("Courier-Bold", size)
    canvas.drawString(box.x * mm, y * mm, label.code)
    y -= 2.0
    for text, font, lines in ((label.category, "Helvetica-Bold", 1), (label.model, "Helvetica", 2),
                              (label.donor, "Helvetica-Oblique", 3)):
        canvas.setFont(font, 7.0)
        for line in _fit(text, font, 7.0, box.w, lines):
            y -= 3.0
            if y < box.y:
                return
            canvas.drawString(box.x * mm, y * mm, line)


def render_labels(labels: Sequence[Label], fmt: SheetFormat = A4_3X7, title: str = "Seconde Vie") -> bytes:
    """A PDF with one label per item of `labels`, in the given sheet format."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(fmt.page_w * mm, fmt.page_h * mm), pageCompression=1)
    canvas.setTitle(title)
    canvas.setCreator("Seconde Vie")
    current = 0
    for (page, box), label in zip(label_boxes(fmt, len(labels)), labels, strict=True):
        if page != current:
            canvas.showPage()
            current = page
        _draw_qr(canvas, qr_matrix(label.url), qr_box(fmt, box))
        _draw_text(canvas, label, text_box(fmt, box))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
