"""Label sheet geometry and PDF output (no rendering to images here: the integration test decodes them)."""

from __future__ import annotations

import pytest

from marketplace.labels.sheets import (
    A4_3X7,
    FORMATS,
    QUIET_ZONE,
    ROLL_62,
    Label,
    SheetFormat,
    label_boxes,
    qr_box,
    qr_matrix,
    render_labels,
    text_box,
)

pytestmark = pytest.mark.unit

URL = "https://seconde-vie.bretagne.bzh/d/7K3M9QW2X4PZ"


def _label(i: int) -> Label:
    return Label(f"7K3M-9QW2-X{i:03d}", URL, "ordinateur portable", "Dell Latitude 5490", "Lycée Chateaubriand")


class TestSheetGeometry:
    def test_an_a4_sheet_holds_21_labels_of_63_5_by_38_1_mm_inside_the_page(self) -> None:
        boxes = [box for page, box in label_boxes(A4_3X7, 21)]
        assert {page for page, _ in label_boxes(A4_3X7, 21)} == {0}
        assert all((b.w, b.h) == (63.5, 38.1) for b in boxes)
        assert all(b.x >= 0 and b.y >= 0 and b.x + b.w <= 210 and b.y + b.h <= 297 for b in boxes)
        # The grid is centred on the sheet, as label stock is cut.
        assert min(b.x for b in boxes) == pytest.approx(210 - max(b.x + b.w for b in boxes), abs=0.05)
        assert min(b.y for b in boxes) == pytest.approx(297 - max(b.y + b.h for b in boxes), abs=0.05)

    def test_labels_never_overlap(self) -> None:
        boxes = [box for _, box in label_boxes(A4_3X7, 21)]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert a.x + a.w <= b.x + 1e-9 or b.x + b.w <= a.x + 1e-9 or \
                    a.y + a.h <= b.y + 1e-9 or b.y + b.h <= a.y + 1e-9

    def test_the_22nd_label_starts_a_new_sheet_at_the_top_left(self) -> None:
        placed = list(label_boxes(A4_3X7, 22))
        assert placed[21][0] == 1
        assert placed[21][1] == placed[0][1]

    def test_a_roll_has_one_62_mm_label_per_page(self) -> None:
        placed = list(label_boxes(ROLL_62, 3))
        assert [page for page, _ in placed] == [0, 1, 2]
        assert placed[0][1].w == 62.0

    @pytest.mark.parametrize("fmt", list(FORMATS.values()), ids=list(FORMATS))
    def test_the_qr_and_the_text_stay_inside_the_label_and_apart(self, fmt: SheetFormat) -> None:
        for _, label in label_boxes(fmt, fmt.per_page):
            qr, text = qr_box(fmt, label), text_box(fmt, label)
            assert qr.w == qr.h
            assert label.x < qr.x and qr.x + qr.w < text.x and text.x + text.w < label.x + label.w
            assert label.y < qr.y and qr.y + qr.h < label.y + label.h
            assert text.w >= 20  # room for XXXX-XXXX-XXXX in a readable size

    @pytest.mark.parametrize("fmt", list(FORMATS.values()), ids=list(FORMATS))
    def test_modules_are_large_enough_for_a_phone_camera(self, fmt: SheetFormat) -> None:
        _, label = next(label_boxes(fmt, 1))
        assert qr_box(fmt, label).w / len(qr_matrix(URL)) >= 0.5  # mm per module


class TestQrMatrix:
    def test_the_matrix_keeps_a_4_module_quiet_zone(self) -> None:
        matrix = qr_matrix(URL)
        n = len(matrix)
        assert all(len(row) == n for row in matrix)
        edge = [matrix[r][c] for r in range(n) for c in range(n)
                if min(r, c) < QUIET_ZONE or max(r, c) >= n - QUIET_ZONE]
        assert not any(edge)
        assert matrix[QUIET_ZONE][QUIET_ZONE]  # the finder pattern starts right after it


class TestPdf:
    def test_23_labels_make_a_two_page_a4_pdf(self) -> None:
        pdf = render_labels([_label(i) for i in range(23)], A4_3X7)
        assert pdf.startswith(b"%PDF-")
        assert b"/Count 2" in pdf

    def test_the_qr_is_vector_not_an_image(self) -> None:
        pdf = render_labels([_label(1)], ROLL_62)
        assert b"/Subtype /Image" not in pdf and b"/XObject" not in pdf
