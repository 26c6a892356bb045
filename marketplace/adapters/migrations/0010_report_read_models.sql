-- Issue 7 (speed): read models the reports read instead of walking asset_events, kept up to date by a
-- trigger on asset_events in the same transaction as the events, so every write path (services, API,
-- intake COPY batches, timers) is covered. One trigger call per statement, over its transition table:
-- a COPY of 5,000 events costs three set-based statements, not 5,000 calls.

-- The state each event type leads to: a copy of the domain's transition table
-- (marketplace.domain.lifecycle.TRANSITIONS, plus `asset.retired`); a test checks that they agree.
CREATE TABLE IF NOT EXISTS event_states (
    type   text PRIMARY KEY,
    state  text NOT NULL
);
INSERT INTO event_states (type, state) VALUES
    ('asset.retired', 'retired'),
    ('asset.offered', 'offered'),
    ('asset.offer_declined', 'offered'),
    ('asset.offers_expired', 'retired'),
    ('asset.claimed', 'claimed'),
    ('asset.claim_lapsed', 'offered'),
    ('asset.collected', 'collected'),
    ('asset.diagnosed', 'diagnosed'),
    ('asset.wiped', 'wiped'),
    ('asset.refurbished', 'refurbished'),
    ('asset.reserved', 'reserved'),
    ('asset.reservation_released', 'refurbished'),
    ('asset.delivered', 'delivered'),
    ('asset.returned', 'returned'),
    ('asset.harvested', 'harvested'),
    ('asset.recycled', 'recycled'),
    ('asset.written_off', 'written_off')
ON CONFLICT (type) DO UPDATE SET state = EXCLUDED.state;

-- One row per stay: from the event that led to a state to the next event that changes it. A declined
-- offer leaves the device `offered`, so it opens no stay. `seconds` is the stay's length once it is over
-- (NULL while it lasts). Donor, pays and retirement are copied from the device (fixed at retirement) so
-- the report filters without a join.
CREATE TABLE IF NOT EXISTS state_stays (
    asset_id      uuid NOT NULL,
    sequence      integer NOT NULL,
    state         text,
    entered_at    timestamptz NOT NULL,
    left_at       timestamptz,
    seconds       double precision,
    donor_org_id  uuid NOT NULL,
    pays_code     text NOT NULL,
    retired_at    timestamptz NOT NULL,
    PRIMARY KEY (asset_id, sequence)
);
-- Time in state over everything: read in order from this index, no sort. An index-only scan needs the
-- visibility map, so autovacuum visits this table after 2 % of new or changed rows, not the default 20 %.
CREATE INDEX IF NOT EXISTS state_stays_state_seconds_idx ON state_stays (state, seconds);
ALTER TABLE state_stays SET (autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_vacuum_scale_factor = 0.02,
                             autovacuum_analyze_scale_factor = 0.02);

-- The device's first delivery (reuse is proven by a delivery in the trail; a later return does not undo it).
ALTER TABLE assets ADD COLUMN IF NOT EXISTS delivered_at timestamptz;
CREATE INDEX IF NOT EXISTS assets_delivered_idx ON assets (delivered_at) WHERE delivered_at IS NOT NULL;

-- The statements run through EXECUTE so that each call is planned for the tables' current sizes: a plan
-- cached when the tables were small (a sequential scan) would otherwise stay with the session for good.
CREATE OR REPLACE FUNCTION project_report_models() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The open stay of each device ends at its first state-changing event of this statement.
    EXECUTE $q$
    UPDATE state_stays s SET left_at = f.occurred_at,
                             seconds = extract(epoch FROM f.occurred_at - s.entered_at)::double precision
    FROM (SELECT DISTINCT ON (asset_id) asset_id, occurred_at FROM new_events
          WHERE type <> 'asset.offer_declined' ORDER BY asset_id, sequence) f
    WHERE s.asset_id = f.asset_id AND s.left_at IS NULL
    $q$;
    EXECUTE $q$
    INSERT INTO state_stays (asset_id, sequence, state, entered_at, left_at, seconds, donor_org_id, pays_code,
                             retired_at)
    SELECT asset_id, sequence, state, occurred_at, left_at,
           extract(epoch FROM left_at - occurred_at)::double precision, donor_org_id, pays_code, retired_at
    FROM (SELECT n.asset_id, n.sequence, es.state, n.occurred_at,
                 lead(n.occurred_at) OVER (PARTITION BY n.asset_id ORDER BY n.sequence) AS left_at,
                 a.donor_org_id, a.pays_code, a.retired_at
          FROM new_events n JOIN assets a ON a.id = n.asset_id LEFT JOIN event_states es ON es.type = n.type
          WHERE n.type <> 'asset.offer_declined') stays
    $q$;
    IF EXISTS (SELECT 1 FROM new_events WHERE type = 'asset.delivered') THEN
        EXECUTE $q$
        UPDATE assets a SET delivered_at = d.occurred_at
        FROM (SELECT DISTINCT ON (asset_id) asset_id, occurred_at FROM new_events
              WHERE type = 'asset.delivered' ORDER BY asset_id, sequence) d
        WHERE a.id = d.asset_id AND a.delivered_at IS NULL
        $q$;
    END IF;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS asset_events_report_models ON asset_events;
CREATE TRIGGER asset_events_report_models AFTER INSERT ON asset_events
    REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION project_report_models();

-- Backfill from the trail (a fresh table: nothing to merge).
INSERT INTO state_stays (asset_id, sequence, state, entered_at, left_at, seconds, donor_org_id, pays_code,
                         retired_at)
SELECT asset_id, sequence, state, occurred_at, left_at,
       extract(epoch FROM left_at - occurred_at)::double precision, donor_org_id, pays_code, retired_at
FROM (SELECT e.asset_id, e.sequence, es.state, e.occurred_at,
             lead(e.occurred_at) OVER (PARTITION BY e.asset_id ORDER BY e.sequence) AS left_at,
             a.donor_org_id, a.pays_code, a.retired_at
      FROM asset_events e JOIN assets a ON a.id = e.asset_id LEFT JOIN event_states es ON es.type = e.type
      WHERE e.type <> 'asset.offer_declined') stays
ON CONFLICT DO NOTHING;
UPDATE assets a SET delivered_at = d.occurred_at
FROM (SELECT DISTINCT ON (asset_id) asset_id, occurred_at FROM asset_events
      WHERE type = 'asset.delivered' ORDER BY asset_id, sequence) d
WHERE a.id = d.asset_id AND a.delivered_at IS NULL;
