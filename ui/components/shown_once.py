"""Secrets shown once (a new API token, a webhook's signing secret), held in the browser only.

Reflex stores every state var of a tab on disk (`.states/`) or in Redis; a secret put there would outlive its
showing in a store many people can read. These client-side vars are set by an event the handler returns
(`NEW_API_TOKEN.push(token)`), shown on the page, and gone when the tab is.
"""

from __future__ import annotations

from reflex.experimental.client_state import ClientStateVar

NEW_API_TOKEN = ClientStateVar.create("new_api_token", default="")
NEW_WEBHOOK_SECRET = ClientStateVar.create("new_webhook_secret", default="")
