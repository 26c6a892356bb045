"""Printing QR labels: choose the devices, lay out the sheet, and hand the PDF to whoever may have it.

Two doors: the operator's shell (`seconde-vie labels`, trusted like any holder of DATABASE_URL) and the
web UI, where an asset manager prints only its own organisation's devices. The UI cannot send the session
token with a plain file download (it lives in the Reflex server state, never in the browser), so a signed-in
handler creates a one-time ticket, bound to that user, valid a few minutes, stored only as a hash; the
browser then fetches `/labels/{ticket}.pdf`, and the route checks the user's rights again when redeeming.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from marketplace.adapters import label_queries
from marketplace.auth.credentials import new_session_token, token_hash
from marketplace.domain.categories import category_name
from marketplace.domain.codes import format_code, normalise_code
from marketplace.domain.errors import Forbidden, InvalidInput, NotAuthenticated, NotFound
from marketplace.labels.sheets import FORMATS, Label, render_labels
from schemas.common import ROLE_OF_KIND, OrgKind

if TYPE_CHECKING:
    from marketplace.services import Marketplace

MAX_LABELS = 2_000  # about 95 A4 sheets: more is a mistake in the selection, not a print job
TICKET_TTL = timedelta(minutes=5)
STATES = ("retired", "offered", "claimed", "collected", "diagnosed", "wiped", "refurbished", "reserved",
          "delivered", "returned", "harvested", "recycled", "written_off")
# Labels are stuck on devices in French public buildings: they are printed in French whatever the UI language.


@dataclass(frozen=True)
class LabelSelection:
    """Which devices to label: every given criterion must hold (a donor, a state, a list of codes)."""

    donor: str | None = None
    state: str | None = None
    codes: list[str] | None = field(default=None)

    def checked(self) -> LabelSelection:
        """The same selection with codes normalised; InvalidInput when a part is malformed."""
        if self.state is not None and self.state not in STATES:
            raise InvalidInput(detail=f"état « {self.state} »")
        codes = None
        if self.codes is not None:
            codes = []
            for text in self.codes:
                code = normalise_code(text)
                if code is None:
                    raise NotFound("device.code_malformed", code=text[:40])
                codes.append(code)
        if self.donor is None and self.state is None and codes is None:
            raise InvalidInput("labels.no_selection")
        return LabelSelection(self.donor, self.state, codes)


class LabelService:
    def __init__(self, marketplace: Marketplace) -> None:
        self.pool = marketplace.pool
        self.settings = marketplace.settings
        self.marketplace = marketplace

    async def labels(self, selection: LabelSelection) -> list[Label]:
        """The labels of the selected devices, oldest retirement first (the order they were stuck on)."""
        sel = selection.checked()
        async with self.pool.acquire() as conn:
            rows = await label_queries.label_rows(conn, sel.donor, sel.state, sel.codes, MAX_LABELS + 1)
        if len(rows) > MAX_LABELS:
            raise InvalidInput("labels.too_many", limit=MAX_LABELS)
        if not rows:
            raise NotFound("labels.none")
        base = self.settings.public_base_url
        return [
            Label(code=format_code(r["code"]), url=f"{base}/d/{r['code']}",
                  category=category_name(r["category"]), model=f"{r['brand']} {r['model']}",
                  donor=r["donor_name"])
            for r in rows
        ]

    async def sheet(self, selection: LabelSelection, fmt: str = "a4-3x7") -> tuple[bytes, int]:
        """Operator door (CLI): the PDF and how many labels it holds."""
        if fmt not in FORMATS:
            raise InvalidInput(detail=f"format « {fmt} »")
        labels = await self.labels(selection)
        return render_labels(labels, FORMATS[fmt], title="Étiquettes Seconde Vie"), len(labels)

    async def create_download(self, token: str | None, selection: LabelSelection, fmt: str) -> str:
        """UI door, step 1: a one-time ticket for the signed-in asset manager's own devices."""
        user = await self.marketplace.user_for_session(token)
        if user is None:
            raise NotAuthenticated()
        if user.role != "asset_manager":
            raise Forbidden(needed="asset_manager", role=user.role)
        if fmt not in FORMATS:
            raise InvalidInput(detail=f"format « {fmt} »")
        own = LabelSelection(user.org_slug, selection.state, selection.codes)
        await self.labels(own)  # refuse an empty or oversized selection now, while the user can read why
        ticket = new_session_token()
        async with self.pool.acquire() as conn:
            await label_queries.insert_ticket(conn, token_hash(ticket), user.id, asdict(own), fmt,
                                              datetime.now(UTC) + TICKET_TTL)
        return ticket

    async def redeem_download(self, ticket: str) -> tuple[bytes, str]:
        """UI door, step 2: the PDF for a ticket, once; NotFound for unknown, used or expired tickets."""
        async with self.pool.acquire() as conn:
            row = await label_queries.redeem_ticket(conn, token_hash(ticket))
        if row is None or ROLE_OF_KIND[OrgKind(row["org_kind"])].value != "asset_manager":
            raise NotFound("labels.ticket_invalid")
        # The donor is the ticket holder's organisation now, whatever was stored.
        selection = LabelSelection(row["org_slug"], row["selection"].get("state"), row["selection"].get("codes"))
        pdf, _ = await self.sheet(selection, row["format"])
        return pdf, f"etiquettes-{row['org_slug']}-{datetime.now(UTC):%Y%m%d-%H%M}.pdf"


def parse_codes(text: str | None) -> list[str] | None:
    """A comma- or space-separated list of codes as people write them; None when empty."""
    if not text:
        return None
    parts = [p for p in text.replace(",", " ").split() if p]
    return parts or None
