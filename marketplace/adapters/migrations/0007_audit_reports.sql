-- Issue 7: the daily digest of all chain heads, report downloads, and the indexes the reports read.

-- One row per day: sha256 over the sorted (asset_id, last sequence, last hash) of every device as of the
-- end of that day (UTC). See docs/audit.md. A consistent rewrite of a device's whole chain still verifies
-- link by link; it cannot match a digest recorded before the rewrite.
CREATE TABLE IF NOT EXISTS chain_digests (
    day          date PRIMARY KEY,
    digest       text NOT NULL CHECK (digest ~ '^[0-9a-f]{64}$'),
    devices      integer NOT NULL,
    events       bigint NOT NULL,
    computed_at  timestamptz NOT NULL DEFAULT now()
);

-- One-time report downloads (like label_downloads): the UI's signed-in handler makes a ticket, the browser
-- fetches it once; only the hash is stored and the user's role is checked again when it is redeemed.
CREATE TABLE IF NOT EXISTS report_downloads (
    token_hash   text PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users(id),
    request      jsonb NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz
);

-- Reports filter devices by retirement period, donor and pays, and group the result.
CREATE INDEX IF NOT EXISTS assets_retired_at_idx ON assets (retired_at);
CREATE INDEX IF NOT EXISTS assets_pays_retired_idx ON assets (pays_code, retired_at);
-- Offers claimed vs expired and no-shows, by period of creation.
CREATE INDEX IF NOT EXISTS offers_created_idx ON offers (created_at) INCLUDE (status, org_id, asset_id);
-- Reuse is proven by a delivery in the trail: a device delivered, returned and later recycled still counts.
CREATE INDEX IF NOT EXISTS asset_events_delivered_idx ON asset_events (asset_id) INCLUDE (occurred_at)
    WHERE type = 'asset.delivered';
