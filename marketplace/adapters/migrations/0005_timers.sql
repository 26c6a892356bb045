-- Timers live in PostgreSQL (deadlines are columns), so they survive any restart; these indexes make
-- each tick of the timer worker an index range scan.
CREATE INDEX offers_open_expiry_idx ON offers (expires_at) WHERE status = 'open';
CREATE INDEX offers_claimed_at_idx ON offers (closed_at) WHERE status = 'claimed';
CREATE INDEX reservations_active_hold_idx ON reservations (hold_until) WHERE status = 'active';

-- When the reconciler last looked at a device it found stuck, so it retries at its own pace.
ALTER TABLE assets ADD COLUMN reconciled_at timestamptz;
CREATE INDEX assets_retired_idx ON assets (updated_at) WHERE state = 'retired';

-- Routing settings edited by admins in the UI (they override the environment's defaults), and
-- the record of every change.
CREATE TABLE routing_settings (
    key         text PRIMARY KEY,
    value       jsonb NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE routing_settings_changes (
    id           bigserial PRIMARY KEY,
    key          text NOT NULL,
    old_value    jsonb,
    new_value    jsonb NOT NULL,
    changed_by   uuid REFERENCES users(id),
    changed_at   timestamptz NOT NULL DEFAULT now()
);

-- Who replayed or discarded a dead letter, and when.
ALTER TABLE dead_letters ADD COLUMN resolved_by uuid REFERENCES users(id), ADD COLUMN resolved_at timestamptz;
CREATE INDEX dead_letters_status_idx ON dead_letters (status, id DESC);
