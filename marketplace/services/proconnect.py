"""Signing in with ProConnect: the flow's start and return, matching the identity to an account, the session.

The flow's secrets (state, nonce, PKCE verifier) stay in PostgreSQL, keyed by a hash of `state`, for
FLOW_MINUTES, and are taken once. A person is found by (issuer, sub) when linked before; otherwise by the
verified professional e-mail (an existing or invited account), otherwise an account is created in the
organisation whose admin allowed that e-mail's domain or that SIRET, with the organisation's role. Nobody gets
an account in an organisation that did not allow it. The session is the one password sign-in opens, marked
`proconnect` and holding the ID token so that signing out can end the provider's session too.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx

from marketplace.adapters import proconnect as store
from marketplace.adapters.views import user_view
from marketplace.auth import oidc_client as oidc
from marketplace.auth.credentials import new_session_token, token_hash
from marketplace.auth.oidc_tokens import JwksCache, OidcTokenError
from marketplace.domain.errors import DomainError
from marketplace.services.base import ServiceBase
from marketplace.services.signed_in import SignedIn

FLOW_MINUTES = 10
HANDOFF_SECONDS = 120
log = logging.getLogger(__name__)


class ProConnectRefused(DomainError):
    """A ProConnect sign-in that does not open a session; the key says why and whom to ask."""

    message_key = "proconnect.failed"


class ProConnectServices(ServiceBase):
    _provider: oidc.Provider | None = None
    _jwks: JwksCache | None = None

    @property
    def proconnect_enabled(self) -> bool:
        s = self.settings
        return bool(s.oidc_issuer and s.oidc_client_id and s.oidc_client_secret)

    def _redirect_uri(self) -> str:
        return self.settings.public_base_url.rstrip("/") + "/connexion/proconnect/retour"

    async def _discovered(self, http: httpx.AsyncClient) -> tuple[oidc.Provider, JwksCache]:
        if self._provider is None or self._jwks is None:
            assert self.settings.oidc_issuer
            self._provider = await oidc.discover(http, self.settings.oidc_issuer)
            self._jwks = JwksCache(self._fetch_jwks)
        return self._provider, self._jwks

    async def _fetch_jwks(self) -> dict[str, Any]:
        assert self._provider is not None
        async with httpx.AsyncClient(timeout=10) as http:
            response = await http.get(self._provider.jwks_uri)
            response.raise_for_status()
            keys: dict[str, Any] = response.json()
        return keys

    async def proconnect_start(self) -> str:
        """The provider's URL to send the browser to; the flow's secrets are kept here."""
        if not self.proconnect_enabled:
            raise ProConnectRefused("proconnect.off")
        flow = oidc.FlowSecrets.draw()
        async with httpx.AsyncClient(timeout=10) as http:
            provider, _ = await self._discovered(http)
        async with self.pool.acquire() as conn:
            await store.insert_flow(conn, token_hash(flow.state), flow.nonce, flow.code_verifier,
                                    datetime.now(UTC) + timedelta(minutes=FLOW_MINUTES))
        return oidc.authorization_url(provider, client_id=str(self.settings.oidc_client_id),
                                      redirect_uri=self._redirect_uri(), scopes=self.settings.oidc_scopes,
                                      flow=flow)

    async def proconnect_finish(self, state: str, code: str) -> str:
        """A one-time handoff code for the person the provider sent back, once every check held: the UI's page
        exchanges it with `proconnect_redeem` for the session (HANDOFF_SECONDS, once)."""
        if not self.proconnect_enabled:
            raise ProConnectRefused("proconnect.off")
        async with self.pool.acquire() as conn:
            row = await store.take_flow(conn, token_hash(state)) if state else None
        if row is None or not row["live"] or not code:
            raise ProConnectRefused("proconnect.expired")
        flow = oidc.FlowSecrets(state, row["nonce"], row["code_verifier"])
        try:
            async with httpx.AsyncClient(timeout=10) as http:
                provider, jwks = await self._discovered(http)
                who = await oidc.identity_from_code(
                    http, provider, jwks, client_id=str(self.settings.oidc_client_id),
                    client_secret=str(self.settings.oidc_client_secret), redirect_uri=self._redirect_uri(),
                    code=code, flow=flow)
        except (OidcTokenError, httpx.HTTPError) as error:
            log.warning("ProConnect sign-in refused: %s", error)
            raise ProConnectRefused("proconnect.failed") from error
        handoff = new_session_token()
        async with self.pool.acquire() as conn, conn.transaction():
            user = await self._match(conn, who)
            if user["blocked"]:
                raise ProConnectRefused("proconnect.disabled")
            await store.link_identity(conn, who.issuer, who.sub, user["id"], who.acr, list(who.amr))
            await store.insert_handoff(conn, token_hash(handoff), user["id"], who.id_token,
                                       datetime.now(UTC) + timedelta(seconds=HANDOFF_SECONDS))
        return handoff

    async def proconnect_redeem(self, handoff: str, client_ip: str = "") -> SignedIn:
        """The new session for a handoff code the callback made; refused when spent, expired or unknown."""
        token = new_session_token()
        expires = datetime.now(UTC) + timedelta(hours=self.settings.session_ttl_hours)
        async with self.pool.acquire() as conn, conn.transaction():
            row = await store.take_handoff(conn, token_hash(handoff)) if handoff else None
            if row is None:
                raise ProConnectRefused("proconnect.expired")
            if row["blocked"]:
                raise ProConnectRefused("proconnect.disabled")
            await store.insert_session(conn, token_hash(token), row["id"], expires, client_ip, row["id_token"])
        return SignedIn(token, user_view(row))

    async def _match(self, conn: asyncpg.Connection, who: oidc.Identity) -> asyncpg.Record:
        linked = await store.user_by_identity(conn, who.issuer, who.sub)
        if linked is not None:
            return linked
        if not who.email or "@" not in who.email:
            raise ProConnectRefused("proconnect.no_email")
        known = await store.user_by_email(conn, who.email)
        if known is not None:
            return known
        org = await store.org_allowing(conn, who.email.rsplit("@", 1)[1], who.siret)
        if org is None:
            raise ProConnectRefused("proconnect.not_allowed", domain=who.email.rsplit("@", 1)[1])
        name = " ".join(p for p in (who.given_name, who.usual_name) if p) or who.email
        await store.insert_user(conn, org["id"], who.email, name)
        created = await store.user_by_email(conn, who.email)
        assert created is not None
        return created

    async def proconnect_sign_out_url(self, token: str | None, post_logout_redirect_uri: str) -> str | None:
        """Where to send the browser so the provider ends its session too (None: not a ProConnect session).
        Call before revoking the session here: the ID token is read from it."""
        if not token or not self.proconnect_enabled:
            return None
        async with self.pool.acquire() as conn:
            id_token = await store.session_id_token(conn, token_hash(token))
        if not id_token:
            return None
        async with httpx.AsyncClient(timeout=10) as http:
            provider, _ = await self._discovered(http)
        return oidc.end_session_url(provider, id_token=id_token, post_logout_redirect_uri=post_logout_redirect_uri,
                                    state=new_session_token()[:16])
