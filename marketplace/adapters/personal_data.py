"""SQL for what people manage themselves (/mon-compte), the export and erasure of an account, and the
retention purges of personal data (docs/personal-data in the UI: /donnees-personnelles)."""

from __future__ import annotations

from typing import Any

import asyncpg

# A session's public id: a hash of its stored hash, so the page can name a session to end without the
# browser ever holding what the table is keyed by.
SESSION_ID = "encode(sha256(convert_to(s.token_hash, 'UTF8')), 'hex')"
LIVE_SESSIONS = f"""
SELECT {SESSION_ID} AS id, s.token_hash = $2 AS current, s.created_at, s.last_seen_at, s.client_address
FROM sessions s WHERE s.user_id = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
ORDER BY s.last_seen_at DESC
"""
END_SESSION = f"""
UPDATE sessions s SET revoked_at = now()
WHERE s.user_id = $1 AND {SESSION_ID} = $2 AND s.revoked_at IS NULL
"""
TOUCH_SESSION = """
UPDATE sessions SET last_seen_at = now(), client_address = CASE WHEN $2 = '' THEN client_address ELSE $2 END
WHERE token_hash = $1 AND last_seen_at < now() - interval '1 minute'
"""
END_OTHER_SESSIONS = "UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND token_hash <> $2 AND revoked_at IS NULL"
USER_LANG = "SELECT lang FROM users WHERE id = $1"
UPDATE_PROFILE = "UPDATE users SET display_name = $2, lang = $3 WHERE id = $1 AND erased_at IS NULL"
PASSWORD_HASH = "SELECT password_hash FROM users WHERE id = $1"

EXPORT_USER = """
SELECT u.id, u.email, u.display_name, u.lang, u.is_admin, u.disabled, u.created_at, u.erased_at,
       o.slug AS org_slug, o.name AS org_name, o.kind AS org_kind
FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.id = $1
"""
EXPORT_SESSIONS = """
SELECT created_at, last_seen_at, expires_at, revoked_at, client_address FROM sessions WHERE user_id = $1
ORDER BY created_at
"""
EXPORT_LINKS = """
SELECT kind, created_at, expires_at, used_at, revoked_at FROM account_links WHERE user_id = $1 ORDER BY created_at
"""
EXPORT_MAILS = """
SELECT kind, subject, status, created_at, sent_at FROM mail_queue WHERE to_user_id = $1 ORDER BY created_at
"""
# What the person did that names them by id (never the trail: asset events are a device's, not a person's).
EXPORT_ACTIVITY = {
    "label_downloads": "SELECT format, selection, created_at, used_at FROM label_downloads WHERE user_id = $1 "
                       "ORDER BY created_at",
    "report_downloads": "SELECT request, created_at, used_at FROM report_downloads WHERE user_id = $1 "
                        "ORDER BY created_at",
    "routing_settings_changes": "SELECT key, old_value, new_value, changed_at FROM routing_settings_changes "
                                "WHERE changed_by = $1 ORDER BY changed_at",
    "api_tokens_created": "SELECT name, created_at FROM api_tokens WHERE created_by = $1 ORDER BY created_at",
}

# Erasure: the row stays (the trail and the tables that name a user point at its id), its name and
# e-mail become a pseudonym made of the id, it can never sign in again, and what else names the person
# goes: sessions, links, e-mails, the sign-in counter of the e-mail.
ERASE_USER = """
WITH old AS (SELECT email FROM users WHERE id = $1 AND erased_at IS NULL),
     gone AS (DELETE FROM sign_in_throttles t USING old WHERE t.kind = 'account' AND t.subject = sign_in_subject(old.email))
UPDATE users SET email = 'compte-' || left(id::text, 8) || '@efface.invalid',
                 display_name = 'compte-' || left(id::text, 8), password_hash = '', disabled = true,
                 erased_at = now()
WHERE id = $1 AND erased_at IS NULL
"""
ERASE_SESSIONS = "DELETE FROM sessions WHERE user_id = $1"
ERASE_LINKS = "DELETE FROM account_links WHERE user_id = $1"
ERASE_MAILS = "DELETE FROM mail_queue WHERE to_user_id = $1"
# A ProConnect identity names the person at the provider: erased too, so that signing in again makes no link.
ERASE_IDENTITIES = "DELETE FROM user_identities WHERE user_id = $1"
ERASE_HANDOFFS = "DELETE FROM proconnect_handoffs WHERE user_id = $1"

PURGE_SESSIONS = """
DELETE FROM sessions WHERE coalesce(revoked_at, expires_at) < now() - make_interval(secs => $1)
"""
PURGE_LINKS = "DELETE FROM account_links WHERE expires_at < now() - make_interval(secs => $1)"
PURGE_MAILS = "DELETE FROM mail_queue WHERE status = 'sent' AND sent_at < now() - make_interval(secs => $1)"


async def live_sessions(conn: asyncpg.Connection, user_id: Any, current_hash: str) -> list[asyncpg.Record]:
    return await conn.fetch(LIVE_SESSIONS, user_id, current_hash)


async def end_session(conn: asyncpg.Connection, user_id: Any, session_id: str) -> bool:
    return await conn.execute(END_SESSION, user_id, session_id) == "UPDATE 1"


async def end_other_sessions(conn: asyncpg.Connection, user_id: Any, current_hash: str) -> None:
    await conn.execute(END_OTHER_SESSIONS, user_id, current_hash)


async def user_lang(conn: asyncpg.Connection, user_id: Any) -> str:
    return str(await conn.fetchval(USER_LANG, user_id) or "fr")


async def touch_session(conn: asyncpg.Connection, token_hash: str, client_address: str) -> None:
    await conn.execute(TOUCH_SESSION, token_hash, client_address)


async def update_profile(conn: asyncpg.Connection, user_id: Any, name: str, lang: str) -> bool:
    return await conn.execute(UPDATE_PROFILE, user_id, name, lang) == "UPDATE 1"


async def password_hash(conn: asyncpg.Connection, user_id: Any) -> str | None:
    value = await conn.fetchval(PASSWORD_HASH, user_id)
    return str(value) if value else None


async def export(conn: asyncpg.Connection, user_id: Any) -> dict[str, Any] | None:
    user = await conn.fetchrow(EXPORT_USER, user_id)
    if user is None:
        return None
    return {"account": dict(user), "sessions": [dict(r) for r in await conn.fetch(EXPORT_SESSIONS, user_id)],
            "links": [dict(r) for r in await conn.fetch(EXPORT_LINKS, user_id)],
            "mails": [dict(r) for r in await conn.fetch(EXPORT_MAILS, user_id)],
            "activity": {name: [dict(r) for r in await conn.fetch(sql, user_id)] for name, sql in EXPORT_ACTIVITY.items()}}


async def erase(conn: asyncpg.Connection, user_id: Any) -> bool:
    if await conn.execute(ERASE_USER, user_id) != "UPDATE 1":
        return False
    for statement in (ERASE_SESSIONS, ERASE_LINKS, ERASE_MAILS, ERASE_IDENTITIES, ERASE_HANDOFFS):
        await conn.execute(statement, user_id)
    return True


async def purge(conn: asyncpg.Connection, sessions_s: float, links_s: float, mails_s: float) -> dict[str, int]:
    """Deletes what is past its retention; how many rows of each went."""
    done = {}
    for name, statement, secs in (("sessions", PURGE_SESSIONS, sessions_s), ("links", PURGE_LINKS, links_s),
                                  ("mails", PURGE_MAILS, mails_s)):
        done[name] = int((await conn.execute(statement, secs)).split()[-1])
    return done
