-- API tokens end (issue 16). Each token gets an end chosen when it is made (30, 90 or 365 days, a year by
-- default); authentication refuses a token past its end, and one whose creator's account or organisation is
-- disabled (adapters/api_queries.py PRINCIPAL), so disabling either stops its tokens at once.
ALTER TABLE api_tokens ADD COLUMN IF NOT EXISTS expires_at timestamptz;
-- Tokens made before never ended: a year from their creation, but no sooner than 30 days from now, so that
-- no partner's integration stops on the day of the upgrade without a chance to see the date coming.
UPDATE api_tokens SET expires_at = greatest(created_at + interval '365 days', now() + interval '30 days')
WHERE expires_at IS NULL;
ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL;

-- Who reads a device's private trail (adapters/party_queries.py) looks up the third places that reserved it
-- or received it; reservations were indexed by device only while active.
CREATE INDEX IF NOT EXISTS reservations_asset_idx ON reservations (asset_id);
