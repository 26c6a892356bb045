"""Reflex configuration for the Seconde Vie web app (package `ui`).

Frontend and backend share one port: `reflex run --env prod --frontend-port P --backend-port P`.
The only origins allowed to open the event socket are the app's own public address (and, when that is
the loopback default, the same port under `localhost`, which is how a developer's browser often calls it).
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex_base.plugins.sitemap import SitemapPlugin

from marketplace.settings import get_settings


def _allowed_origins() -> list[str]:
    settings = get_settings()
    origins = [settings.public_base_url]
    if settings.base_url is None:
        origins.append(f"http://localhost:{settings.ui_port}")
    return origins


_settings = get_settings()
# Without an explicit BASE_URL the built frontend calls "localhost:PORT", which Reflex rewrites in the
# browser to the page's own host name; with one (behind a proxy) it calls that address.
_url_overrides: dict[str, Any] = {"api_url": _settings.public_base_url} if _settings.base_url else {}

config = rx.Config(
    app_name="ui",
    telemetry_enabled=False,
    frontend_port=_settings.ui_port,
    backend_port=_settings.ui_port,
    backend_host=_settings.ui_host,
    cors_allowed_origins=_allowed_origins(),
    show_built_with_reflex=False,
    default_color_mode="light",
    # A sitemap of a signed-in tool helps nobody.
    disable_plugins=[SitemapPlugin],
    # With Redis (REDIS_URL), every tab's state lives there and UI_PROCESSES workers share the port
    # (marketplace/runtime/ui_server.py); a tab's state outlives an idle tab as long as a session does.
    redis_url=_settings.redis_url,
    redis_token_expiration=max(3600, int(_settings.session_ttl_hours * 3600)),
    **_url_overrides,
)
