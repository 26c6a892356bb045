"""The one door into the mail queue: every e-mail is a row written in the transaction of its cause.

The notifier worker sends what is queued (SMTP, retries with backoff). Queueing in the caller's
transaction means an e-mail exists exactly when its cause committed: an invitation rolled back mails
nobody, and an SMTP server that is down loses nothing. (to_email, kind, cause) is unique, so queueing the
same cause twice mails once.
"""

from __future__ import annotations

import asyncpg

from marketplace.adapters import mail_queue

# Kinds sent whatever the person's notification preferences say: they are answers to the person's own
# request or an administrator's, not notifications.
ALWAYS_SENT = frozenset({"invitation", "password_reset"})


async def queue_mail(conn: asyncpg.Connection, *, to_user_id: str | None, to_email: str, kind: str, cause: str,
                     lang: str, subject: str, text: str, html: str) -> None:
    """Queue one e-mail in the caller's transaction; nothing happens if this person and cause already have one."""
    await mail_queue.insert_mail(conn, to_user_id, to_email, kind, cause, lang, subject, text, html)
