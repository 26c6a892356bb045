-- Issue 19: one-time download tickets for documents made from the trail (a device's wipe certificate PDF),
-- like label_downloads: a signed-in handler checks who may have the document and makes a ticket; the browser
-- fetches /documents/<ticket>.pdf once, within minutes. Only the ticket's SHA-256 is stored.
CREATE TABLE document_tickets (
    token_hash  text PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id),
    kind        text NOT NULL CHECK (kind IN ('wipe_certificate')),
    asset_id    uuid NOT NULL REFERENCES assets (id),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX document_tickets_expiry ON document_tickets (expires_at);
