"""Label sheets on the real database: every printed label decodes back to its device's URL
(PDF -> pdftoppm -> zbarimg), and asset managers get only their own devices, once per ticket."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from PIL import Image

from marketplace.adapters.pool import create_pool
from marketplace.cli.main import main
from marketplace.demo.loader import DEMO_ACCOUNTS
from marketplace.domain.codes import format_code
from marketplace.domain.errors import Forbidden, NotFound
from marketplace.labels.service import LabelSelection, LabelService
from marketplace.labels.sheets import FORMATS, label_boxes
from marketplace.runtime.database_setup import prepare_database
from marketplace.services import Marketplace
from marketplace.settings import Settings

pytestmark = pytest.mark.integration

BASE = "https://seconde-vie.example.bzh"
DPI = 300
needs_tools = pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
                                 reason="pdftoppm (poppler-utils) and zbarimg (zbar-tools) are needed")


@pytest.fixture
def demo_dsn(fresh_dsn: str) -> Iterator[str]:
    asyncio.run(prepare_database(fresh_dsn, demo=True))
    yield fresh_dsn


async def _codes_by_donor(dsn: str) -> dict[str, list[str]]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch("SELECT d.slug, a.code FROM assets a JOIN organisations d ON d.id = a.donor_org_id "
                                "ORDER BY a.retired_at, a.code")
    finally:
        await conn.close()
    out: dict[str, list[str]] = {}
    for r in rows:
        out.setdefault(r["slug"], []).append(r["code"])
    return out


def _decode_labels(pdf: Path, fmt: str, count: int, tmp: Path) -> list[str]:
    """Render each page, cut out each label by the sheet geometry, decode its QR; '' when unreadable."""
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(pdf), str(tmp / "page")], check=True,
                   capture_output=True)
    pages = sorted(tmp.glob("page-*.png"))
    sheet = FORMATS[fmt]
    scale = DPI / 25.4
    decoded = []
    for i, (page, box) in enumerate(label_boxes(sheet, count)):
        with Image.open(pages[page]) as image:
            top = image.height - (box.y + box.h) * scale
            crop = image.crop((int(box.x * scale), int(top), int((box.x + box.w) * scale), int(top + box.h * scale)))
            crop.save(tmp / f"label-{i}.png")
        done = subprocess.run(["zbarimg", "-q", "--raw", str(tmp / f"label-{i}.png")], capture_output=True,
                              text=True, check=False)
        lines = done.stdout.split()
        assert len(lines) <= 1, f"label {i} holds more than one symbol: {lines}"
        decoded.append(lines[0] if lines else "")
    return decoded


@needs_tools
class TestPrintedLabelsDecode:
    @pytest.mark.parametrize("fmt", ["a4-3x7", "roll-62"])
    def test_every_label_of_a_donors_sheet_decodes_to_its_device_url(
        self, demo_dsn: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
    ) -> None:
        donor, codes = max(asyncio.run(_codes_by_donor(demo_dsn)).items(), key=lambda kv: len(kv[1]))
        if fmt == "roll-62":
            codes = codes[:4]
        assert fmt == "roll-62" or len(codes) > 21, "the demo donor should fill more than one A4 sheet"
        monkeypatch.setenv("DATABASE_URL", demo_dsn)
        out = tmp_path / "labels.pdf"
        argv = ["labels", "--out", str(out), "--format", fmt, "--donor", donor, "--base-url", BASE]
        if fmt == "roll-62":
            argv += ["--codes", ",".join(format_code(c) for c in codes)]
        assert main(argv) == 0
        assert _decode_labels(out, fmt, len(codes), tmp_path) == [f"{BASE}/d/{c}" for c in codes]

    def test_a_selection_matching_nothing_writes_no_file(
        self, demo_dsn: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        monkeypatch.setenv("DATABASE_URL", demo_dsn)
        out = tmp_path / "none.pdf"
        assert main(["labels", "--out", str(out), "--state", "written_off"]) == 2
        assert not out.exists()
        assert "Aucun appareil" in capsys.readouterr().err


class TestLabelDownloads:
    async def test_an_asset_manager_downloads_its_own_labels_once(self, fresh_dsn: str) -> None:
        await prepare_database(fresh_dsn, demo=True)
        pool = await create_pool(fresh_dsn, 2)
        try:
            marketplace = Marketplace(pool, Settings(database_url=fresh_dsn, base_url=BASE))
            service = LabelService(marketplace)
            email, password, _, org, _ = DEMO_ACCOUNTS["asset_manager"]
            token = (await marketplace.sign_in(email, password)).token
            codes = await _codes_by_donor(fresh_dsn)
            others = [c for slug, cs in codes.items() if slug != org for c in cs]

            ticket = await service.create_download(token, LabelSelection(), "a4-3x7")
            pdf, filename = await service.redeem_download(ticket)
            assert pdf.startswith(b"%PDF-") and filename.startswith(f"etiquettes-{org}-")
            with pytest.raises(NotFound):
                await service.redeem_download(ticket)  # one time only
            with pytest.raises(NotFound):
                await service.redeem_download("not-a-ticket")
            # Another donor's codes are simply not among this donor's devices.
            with pytest.raises(NotFound):
                await service.create_download(token, LabelSelection(codes=others[:3]), "a4-3x7")
        finally:
            await pool.close()

    async def test_other_roles_cannot_print_labels(self, fresh_dsn: str) -> None:
        await prepare_database(fresh_dsn, demo=True)
        pool = await create_pool(fresh_dsn, 2)
        try:
            marketplace = Marketplace(pool, Settings(database_url=fresh_dsn, base_url=BASE))
            email, password = DEMO_ACCOUNTS["refurbisher"][:2]
            token = (await marketplace.sign_in(email, password)).token
            with pytest.raises(Forbidden):
                await LabelService(marketplace).create_download(token, LabelSelection(), "a4-3x7")
        finally:
            await pool.close()


