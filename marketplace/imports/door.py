"""The two doors to an import: a signed-in asset manager (UI), and the operator's shell (CLI).

In the UI the donor is always the caller's own organisation, re-checked from the session on each call;
the file is parsed again at confirmation, so nothing the browser kept between preview and confirm is trusted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from marketplace.commands import Actor
from marketplace.imports.rows import parse_import
from marketplace.imports.service import ImportOutcome, ImportPreview, Progress, apply_import, preview_import

if TYPE_CHECKING:
    from marketplace.services import Marketplace

ASSET_MANAGERS = frozenset({"asset_manager"})


class ImportDoor:
    def __init__(self, marketplace: Marketplace) -> None:
        self.marketplace = marketplace

    async def preview(self, token: str | None, data: bytes) -> ImportPreview:
        user = await self.marketplace._require(token, ASSET_MANAGERS)
        return await preview_import(self.marketplace.pool, parse_import(data, user.org_slug))

    async def confirm(self, token: str | None, data: bytes, skip_invalid: bool,
                      progress: Progress | None = None) -> ImportOutcome:
        user = await self.marketplace._require(token, ASSET_MANAGERS)
        preview = await preview_import(self.marketplace.pool, parse_import(data, user.org_slug))
        actor = Actor(org=user.org_slug, user=user.id, system="import")
        return await apply_import(self.marketplace.pool, preview, actor, skip_invalid, progress)
