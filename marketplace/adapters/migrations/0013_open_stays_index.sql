-- Issue 9 (latency): the report trigger closes each device's open stay (`left_at IS NULL`) at every event.
-- Without an index on open stays, the planner, whose statistics lag behind a table that grows by a row per
-- event, chose a sequential scan of all stays for each batch: ~35 ms at 60,000 devices, growing with the
-- trail. A partial index holds one entry per device and keeps that step a handful of index probes.
CREATE INDEX IF NOT EXISTS state_stays_open_idx ON state_stays (asset_id) WHERE left_at IS NULL;
