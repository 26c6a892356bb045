-- Routing reads each candidate's claims and no-shows over the fairness window (30 days) for every batch;
-- without this index that is a scan of all offers per organisation.
CREATE INDEX IF NOT EXISTS offers_org_status_closed_idx ON offers (org_id, status, closed_at);
