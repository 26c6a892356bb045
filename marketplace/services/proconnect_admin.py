"""What admins decide about ProConnect: which e-mail domains and SIRETs may get an account in an organisation by
ProConnect alone, and how each person signs in (password, ProConnect, or both)."""

from __future__ import annotations

import re

from marketplace.adapters import proconnect as store
from marketplace.domain.errors import DomainError, InvalidInput
from marketplace.services.base import ServiceBase

_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_SIRET = re.compile(r"^[0-9]{14}$")


def is_domain(text: str) -> bool:
    """Whether `text` is a DNS domain name (lower case)."""
    return bool(_DOMAIN.match(text))


def parse_domains(text: str) -> list[str]:
    """The domains of a comma- or space-separated list, lower case, each checked (`@` in front tolerated)."""
    domains = sorted({d.strip().lower().lstrip("@") for d in re.split(r"[,\s;]+", text) if d.strip()})
    for domain in domains:
        if not _DOMAIN.match(domain):
            raise InvalidInput(detail=f"domain: {domain}")
    return domains


def parse_sirets(text: str) -> list[str]:
    """The SIRETs of a comma-separated list (spaces inside a number tolerated), fourteen digits each."""
    sirets = sorted({s.replace(" ", "") for s in re.split(r"[,;\n]+", text) if s.strip()})
    for siret in sirets:
        if not _SIRET.match(siret):
            raise InvalidInput(detail=f"SIRET: {siret}")
    return sirets


class ProConnectAdminServices(ServiceBase):
    async def proconnect_allowances(self, token: str | None) -> dict[str, tuple[list[str], list[str]]]:
        """Per organisation slug: the domains and SIRETs its admins allowed."""
        await self._require_admin(token)
        async with self.pool.acquire() as conn:
            rows = await store.allowances(conn)
        return {r["slug"]: (list(r["proconnect_domains"]), list(r["proconnect_sirets"])) for r in rows}

    async def set_proconnect_allowance(self, token: str | None, slug: str, domains: str, sirets: str) -> None:
        """Replaces what `slug` allows; an empty list allows nobody by ProConnect alone (invitations still work)."""
        await self._require_admin(token)
        parsed_domains, parsed_sirets = parse_domains(domains), parse_sirets(sirets)
        async with self.pool.acquire() as conn:
            if not await store.set_allowance(conn, slug, parsed_domains, parsed_sirets):
                raise DomainError("org.unknown", org=slug)

    async def sign_in_methods(self, token: str | None) -> dict[str, list[str]]:
        """Per account id: how the person signs in, `password` and/or `proconnect` (empty: invited, not yet)."""
        await self._require_admin(token)
        async with self.pool.acquire() as conn:
            rows = await store.sign_in_methods(conn)
        return {str(r["id"]): [m for m, on in (("password", r["password"]), ("proconnect", r["proconnect"])) if on]
                for r in rows}
