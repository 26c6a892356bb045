"""The two doors to an import: a signed-in asset manager (UI), and the operator's shell (CLI).

In the UI the donor is always the caller's own organisation, re-checked from the session on each call;
the file is parsed again at confirmation, so nothing the browser kept between preview and confirm is trusted.
"""

from __future__ import annotations

from collections.abc import AsyncIterable
from typing import TYPE_CHECKING

from marketplace.commands import Actor
from marketplace.imports.decoding import MAX_BYTES, too_large
from marketplace.imports.rows import parse_import
from marketplace.imports.service import ImportOutcome, ImportPreview, Progress, apply_import, preview_import
from marketplace.uploads import TooLarge, read_at_most

if TYPE_CHECKING:
    from marketplace.services import Marketplace

ASSET_MANAGERS = frozenset({"asset_manager"})


class ImportDoor:
    def __init__(self, marketplace: Marketplace) -> None:
        self.marketplace = marketplace

    async def preview(self, token: str | None, data: bytes) -> ImportPreview:
        user = await self.marketplace._require(token, ASSET_MANAGERS)
        return await preview_import(self.marketplace.pool, parse_import(data, user.org_slug))

    async def preview_upload(self, token: str | None, chunks: AsyncIterable[bytes]) -> tuple[ImportPreview, bytes]:
        """An upload as it arrives: the caller's role is checked before a byte is read, and reading stops
        at MAX_BYTES + 1. Returns the preview and the file's bytes (kept by the page until confirmation)."""
        user = await self.marketplace._require(token, ASSET_MANAGERS)
        try:
            data = await read_at_most(chunks, MAX_BYTES)
        except TooLarge:
            raise too_large() from None
        return await preview_import(self.marketplace.pool, parse_import(data, user.org_slug)), data

    async def confirm(self, token: str | None, data: bytes, skip_invalid: bool,
                      progress: Progress | None = None) -> ImportOutcome:
        user = await self.marketplace._require(token, ASSET_MANAGERS)
        preview = await preview_import(self.marketplace.pool, parse_import(data, user.org_slug))
        actor = Actor(org=user.org_slug, user=user.id, system="import")
        return await apply_import(self.marketplace.pool, preview, actor, skip_invalid, progress)
