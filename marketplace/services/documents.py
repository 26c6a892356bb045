"""Documents made from the trail, for the people allowed to hold them: a device's wipe certificate (PDF).

The PDF is made again from the device's latest `asset.wiped` event each time it is asked for, and its SHA-256
must be the one that event recorded: a document that would differ from the trail is never handed out (the
refusal says so). Who may have it: the donor, the custodian, the organisation that sanitised the device,
auditors and admins (`domain.visibility.reads_wipe_certificate`). The UI gets a one-time ticket for it
(the session token never leaves the server), the API answers the token's organisation directly.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from asyncpg import Record

from marketplace.adapters import document_queries, party_queries
from marketplace.adapters.lifecycle_store import asset_id_by_code
from marketplace.adapters.views import user_view
from marketplace.auth.credentials import new_session_token, token_hash
from marketplace.documents import wipe_certificate
from marketplace.domain.codes import format_code, normalise_code
from marketplace.domain.errors import DomainError, Forbidden, NotFound
from marketplace.domain.visibility import reads_wipe_certificate
from marketplace.services.base import ServiceBase, actor_of
from schemas.actions import WipeCertificate
from schemas.views import UserView

TICKET_TTL = timedelta(minutes=5)


class DocumentServices(ServiceBase):
    async def wipe_certificate_pdf_as(self, user: UserView, code: str) -> tuple[bytes, str]:
        """(the PDF, its file name) of the device's latest wipe certificate, for a reader allowed to hold it."""
        wipe, formatted = await self._wipe_for(user, code)
        return self._certificate(wipe), f"certificat-effacement-{formatted}.pdf"

    async def has_wipe_certificate(self, token: str | None, code: str) -> bool:
        """Whether the signed-in person may download a wipe certificate of this device now (for the page)."""
        user = await self.user_for_session(token)
        if user is None:
            return False
        try:
            await self._wipe_for(user, code)
        except DomainError:
            return False
        return True

    async def _wipe_for(self, user: UserView, code: str) -> tuple[Record, str]:
        normalised = normalise_code(code)
        if normalised is None:
            raise NotFound("device.code_malformed", code=code[:40])
        async with self.pool.acquire() as conn:
            asset_id = await asset_id_by_code(conn, normalised)
            if asset_id is None:
                raise NotFound(code=code[:40])
            wipe = await document_queries.latest_wipe(conn, asset_id)
            parties = await party_queries.device_parties(conn, asset_id)
        if wipe is None or parties is None:
            raise NotFound("document.no_wipe_certificate", code=format_code(normalised))
        if not reads_wipe_certificate(parties, actor_of(user), wipe["wiped_by"] or ""):
            raise Forbidden("document.not_yours")
        return wipe, format_code(normalised)

    @staticmethod
    def _certificate(wipe: Record) -> bytes:
        payload = wipe["payload"]
        assert isinstance(payload, dict)
        cert = WipeCertificate.model_validate(payload["certificate"])
        organisation = str(payload.get("organisation_name") or wipe["wiped_by"] or "")
        pdf = wipe_certificate.render(wipe_certificate.device_of(wipe, organisation), cert)
        recorded = payload.get("certificate_pdf_sha256")
        if recorded is not None and wipe_certificate.sha256(pdf) != recorded:
            raise DomainError("document.differs_from_trail")
        return pdf

    async def wipe_certificate_ticket(self, token: str | None, code: str) -> str:
        """UI door, step 1: check now (the person reads why not), then a one-time ticket for the download."""
        user = await self._require(token)
        await self.wipe_certificate_pdf_as(user, code)
        normalised = normalise_code(code)
        assert normalised is not None
        ticket = new_session_token()
        async with self.pool.acquire() as conn:
            asset_id = await asset_id_by_code(conn, normalised)
            assert asset_id is not None
            await document_queries.insert_ticket(conn, token_hash(ticket), user.id, "wipe_certificate", asset_id,
                                                 datetime.now(UTC) + TICKET_TTL)
        return ticket

    async def redeem_document(self, ticket: str) -> tuple[bytes, str]:
        """UI door, step 2: the document of a ticket, once, checked again for the ticket's holder now."""
        async with self.pool.acquire() as conn:
            row = await document_queries.redeem_ticket(conn, token_hash(ticket))
        if row is None:
            raise NotFound("document.ticket_invalid")
        return await self.wipe_certificate_pdf_as(user_view(row), row["asset_code"])
