-- Issue 22: GET /api/devices pages by keyset on (updated_at, id), newest first, each source of visibility
-- read through its own index in that order (marketplace/adapters/api_queries.py). The indexes on the
-- custodian, the claimer and the state are widened with the order, replacing the narrower ones, so each
-- write to assets updates two indexes more than before, not five.
CREATE INDEX assets_updated_idx ON assets (updated_at DESC, id DESC);
CREATE INDEX assets_donor_updated_idx ON assets (donor_org_id, updated_at DESC, id DESC);
CREATE INDEX assets_custodian_updated_idx ON assets (custodian_org_id, updated_at DESC, id DESC)
    WHERE custodian_org_id IS NOT NULL;
DROP INDEX assets_custodian_idx;
CREATE INDEX assets_claimer_updated_idx ON assets (claimer_org_id, updated_at DESC, id DESC)
    WHERE claimer_org_id IS NOT NULL;
DROP INDEX assets_claimer_idx;
CREATE INDEX assets_state_updated_idx ON assets (state, updated_at DESC, id DESC);
DROP INDEX assets_state_idx;
