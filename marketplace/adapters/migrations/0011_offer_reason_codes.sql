-- Issue 10 (every string translated): the router's reasons as data, next to their French text.
-- `reasons` keeps the French sentences the `asset.offered` event carries (EVENTS.md); `reason_codes` holds
-- the same reasons as [{"code": ..., "params": {...}}, ...] (marketplace/domain/reasons.py), which the UI
-- renders in the reader's language. Offers made before this migration have none (NULL): the UI shows their
-- French text, marked as French.
ALTER TABLE offers ADD COLUMN IF NOT EXISTS reason_codes jsonb;
