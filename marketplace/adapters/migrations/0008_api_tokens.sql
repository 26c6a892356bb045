-- Per-organisation API tokens for the REST API (issue 6). Only a SHA-256 hash of each token is stored:
-- the token is shown once when created. A token acts as its organisation, with the role of its kind.
CREATE TABLE IF NOT EXISTS api_tokens (
    id            uuid PRIMARY KEY,
    org_id        uuid NOT NULL REFERENCES organisations(id),
    name          text NOT NULL,
    token_hash    text NOT NULL UNIQUE,
    prefix        text NOT NULL,
    created_by    uuid REFERENCES users(id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX IF NOT EXISTS api_tokens_org_idx ON api_tokens (org_id, created_at DESC);
