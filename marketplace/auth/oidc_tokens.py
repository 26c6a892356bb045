"""Checking what an OpenID Connect provider signs: the ID token and the userinfo answer (ProConnect signs both).

Only asymmetric algorithms are accepted. `alg: none` proves nothing, and HS256 would let whoever knows the
provider's public key (everybody) sign with it as if it were a shared secret; the algorithm list passed to the
decoder refuses both before any key is used. The provider's keys are cached; a token naming a key id the cache
lacks makes it fetch the JWKS again (the provider rotated its keys), at most once per `refresh_every` seconds so
that forged key ids cannot make us hammer the provider.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

SIGNING_ALGORITHMS = ("RS256", "ES256", "PS256")
LEEWAY_SECONDS = 60


class OidcTokenError(Exception):
    """A token from the provider that must not be believed; the message says why (for the logs, not the user)."""


class JwksCache:
    """The provider's public keys, fetched on first use and again when a token names an unknown `kid`."""

    def __init__(self, fetch: Callable[[], Awaitable[dict[str, Any]]], refresh_every: float = 30.0) -> None:
        self._fetch = fetch
        self._refresh_every = refresh_every
        self._keys: KeySet | None = None
        self._fetched_at = float("-inf")

    async def keys_for(self, kid: str | None) -> KeySet:
        """The key set, fetched again first when it lacks `kid` and was not fetched just now."""
        if self._keys is None or (not self._has(kid) and time.monotonic() - self._fetched_at >= self._refresh_every):
            self._keys = KeySet.import_key_set(await self._fetch())  # type: ignore[arg-type]
            self._fetched_at = time.monotonic()
        if not self._has(kid):
            raise OidcTokenError(f"no key {kid!r} in the provider's JWKS")
        return self._keys

    def _has(self, kid: str | None) -> bool:
        if self._keys is None:
            return False
        if kid is None:
            return len(self._keys.keys) == 1
        return any(key.kid == kid for key in self._keys.keys)


async def verified_claims(token: str, jwks: JwksCache, *, issuer: str, audience: str,
                          now: Callable[[], int] | None = None, require_exp: bool = True) -> dict[str, Any]:
    """The claims of a JWT the provider signed for us: signature, `iss`, `aud` and `exp` (if any) checked."""
    try:
        header = jws.extract_compact(token.encode("ascii")).protected
    except (JoseError, ValueError, UnicodeError) as error:
        raise OidcTokenError(f"not a compact JWS: {error}") from error
    if header.get("alg") not in SIGNING_ALGORITHMS:
        raise OidcTokenError(f"algorithm {header.get('alg')!r} refused")
    keys = await jwks.keys_for(header.get("kid"))
    try:
        decoded = jwt.decode(token, keys, algorithms=list(SIGNING_ALGORITHMS))
        registry = jwt.JWTClaimsRegistry(
            now=now, leeway=LEEWAY_SECONDS,
            iss={"essential": True, "value": issuer}, aud={"essential": True, "value": audience},
            exp={"essential": require_exp}, sub={"essential": True})
        registry.validate(decoded.claims)
    except JoseError as error:
        raise OidcTokenError(f"{type(error).__name__}: {error}") from error
    claims = dict(decoded.claims)
    if isinstance(claims.get("aud"), list) and len(claims["aud"]) > 1 and claims.get("azp") != audience:
        raise OidcTokenError("several audiences and we are not the authorised party")
    return claims


async def verified_id_token(token: str, jwks: JwksCache, *, issuer: str, audience: str, nonce: str,
                            now: Callable[[], int] | None = None) -> dict[str, Any]:
    """The ID token's claims, once its signature, issuer, audience, expiry and `nonce` hold."""
    claims = await verified_claims(token, jwks, issuer=issuer, audience=audience, now=now)
    if not nonce or claims.get("nonce") != nonce:
        raise OidcTokenError("the nonce is not the one this sign-in sent")
    return claims
