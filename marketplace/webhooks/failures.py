"""Why a delivery failed, as a class the organisation may read: never the error text of the attempt.

The raw text (a resolver's answer, `Connection refused` against one port and a timeout against another)
would make the deliveries panel a port scanner of whatever the URL can name; a class tells the
organisation what to fix on its receiver and nothing more. The worker logs the details for operators. Pure.
"""

from __future__ import annotations

import ssl

import httpx

from marketplace.webhooks.guard import RefusedAddress

INTERNAL_ADDRESS = "internal_address"
TIMEOUT = "timeout"
CONNECT = "connect"
TLS = "tls"
HTTP_3XX = "http_3xx"  # a redirect, not followed
HTTP_4XX = "http_4xx"
HTTP_5XX = "http_5xx"
PROTOCOL = "protocol"  # the other side did not answer HTTP
REMOVED = "webhook_removed"
OTHER = "other"
CLASSES = (INTERNAL_ADDRESS, TIMEOUT, CONNECT, TLS, HTTP_3XX, HTTP_4XX, HTTP_5XX, PROTOCOL, REMOVED, OTHER)


def of_status(status: int) -> str:
    """A non-2xx answer's class."""
    if 300 <= status < 400:
        return HTTP_3XX
    if 400 <= status < 500:
        return HTTP_4XX
    if 500 <= status < 600:
        return HTTP_5XX
    return PROTOCOL


def _caused_by_tls(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def of_error(exc: Exception) -> str:
    """A failed attempt's class."""
    if isinstance(exc, RefusedAddress):
        return INTERNAL_ADDRESS
    if isinstance(exc, httpx.TimeoutException):
        return TIMEOUT
    if _caused_by_tls(exc):
        return TLS
    if isinstance(exc, httpx.ConnectError):
        return CONNECT
    if isinstance(exc, httpx.RemoteProtocolError | httpx.DecodingError):
        return PROTOCOL
    return OTHER


def shown(last_error: str | None, last_status: int | None) -> str | None:
    """The class of a stored failure, also for rows written before classes (their text is never shown)."""
    if last_error is None:
        return None
    if last_error in CLASSES:
        return last_error
    if last_error == "webhook supprimé":
        return REMOVED
    if last_status is not None:
        return of_status(last_status)
    return OTHER
