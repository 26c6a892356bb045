-- Issue 18: handing a ProConnect sign-in to the UI's tab. The callback checks everything and leaves here a
-- one-time code (only its SHA-256 is stored) that the page exchanges, within two minutes and once, for a
-- new session: the session token itself is drawn at that moment and never travels in a URL.
CREATE TABLE proconnect_handoffs (
    code_hash   text PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users(id),
    id_token    text NOT NULL,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX proconnect_handoffs_expires_idx ON proconnect_handoffs (expires_at);
