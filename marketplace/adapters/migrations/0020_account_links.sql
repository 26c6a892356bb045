-- Issue 17: accounts that people manage themselves.
-- account_links: invitations (72 h) and password-reset links (1 h). Only a SHA-256 of the link's random
-- token is stored, so a copy of the table opens no account. A link is used once (used_at); a new link of
-- the same kind for the same person revokes the previous ones (revoked_at). Rows are purged after
-- ACCOUNT_LINK_RETENTION_DAYS past their expiry (marketplace/timers/jobs.py).
CREATE TABLE account_links (
    token_hash   text PRIMARY KEY,
    kind         text NOT NULL CHECK (kind IN ('invitation', 'password_reset')),
    user_id      uuid NOT NULL REFERENCES users(id),
    created_by   uuid REFERENCES users(id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX account_links_user_idx ON account_links (user_id, kind);
CREATE INDEX account_links_expires_idx ON account_links (expires_at);

-- The person's language for the UI and e-mails (a language with a catalogue), and erasure: an erased
-- account keeps its id (the trail names it) but not its name or e-mail.
ALTER TABLE users ADD COLUMN lang text NOT NULL DEFAULT 'fr',
                  ADD COLUMN erased_at timestamptz;
-- An invited person has no password yet: '' never verifies (argon2 refuses it as a hash).

-- What /mon-compte shows of each session: when it was last used and from which address.
ALTER TABLE sessions ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now(),
                     ADD COLUMN client_address text NOT NULL DEFAULT '';
CREATE INDEX sessions_expires_idx ON sessions (expires_at);
