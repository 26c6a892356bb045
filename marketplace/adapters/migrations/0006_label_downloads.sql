-- One-time label-sheet downloads. The session token stays in the UI server's state, so a signed-in
-- handler checks the user and creates a ticket; the browser then fetches /labels/{ticket}.pdf once,
-- within minutes. Only a hash of the ticket is stored, and the ticket is bound to the user who asked.
CREATE TABLE IF NOT EXISTS label_downloads (
    token_hash   text PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users(id),
    selection    jsonb NOT NULL,
    format       text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz
);
CREATE INDEX IF NOT EXISTS label_downloads_expiry_idx ON label_downloads (expires_at);
