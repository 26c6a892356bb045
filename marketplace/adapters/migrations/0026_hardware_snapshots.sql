-- Issue 20: hardware snapshots taken on the custodian's bench (lshw, smartctl, dmidecode, lsblk, upower, an
-- eReuse Workbench snapshot). The raw snapshot is kept here as evidence, exactly as posted; its SHA-256 is in
-- the device's trail (`asset.inspected`), so anyone with the export can check that the evidence was not
-- changed. `reading` is what Seconde Vie read from it (marketplace/bench), `warnings` the declared values
-- it contradicts (serial, model), kept with the device and never written over the donor's values.
-- Serials are in here: read only by the device's donor, its custodian, the organisation that posted the
-- snapshot, auditors and admins (marketplace/services/snapshots.py); never in the passport or open data.
CREATE TABLE IF NOT EXISTS asset_snapshots (
    id            uuid PRIMARY KEY,
    asset_id      uuid NOT NULL REFERENCES assets(id),
    org_id        uuid NOT NULL REFERENCES organisations(id),  -- the custodian that posted it
    posted_by     text NOT NULL,                               -- its user, or its API token principal
    sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    byte_size     integer NOT NULL,
    raw           bytea NOT NULL,
    reading       jsonb NOT NULL,
    warnings      jsonb NOT NULL DEFAULT '[]',
    event_id      uuid NOT NULL,
    created_at    timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS asset_snapshots_asset_idx ON asset_snapshots (asset_id, created_at DESC);

-- `asset.inspected` records a fact without moving the device (like a declined offer): it ends no stay in
-- the report read models (0010, 0014). Same function otherwise.
CREATE OR REPLACE FUNCTION project_report_models() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The open stay of each device ends at its first state-changing event of this statement. A statement
    -- of first events only (the intake's batches: `asset.retired`, sequence 1) has no stay to end.
    IF EXISTS (SELECT 1 FROM new_events WHERE sequence > 1) THEN
        EXECUTE $q$
        UPDATE state_stays s SET left_at = f.occurred_at,
                                 seconds = extract(epoch FROM f.occurred_at - s.entered_at)::double precision
        FROM (SELECT DISTINCT ON (asset_id) asset_id, occurred_at FROM new_events
              WHERE type NOT IN ('asset.offer_declined', 'asset.inspected') ORDER BY asset_id, sequence) f
        WHERE s.asset_id = f.asset_id AND s.left_at IS NULL
        $q$;
    END IF;
    EXECUTE $q$
    INSERT INTO state_stays (asset_id, sequence, state, entered_at, left_at, seconds, donor_org_id, pays_code,
                             retired_at)
    SELECT asset_id, sequence, state, occurred_at, left_at,
           extract(epoch FROM left_at - occurred_at)::double precision, donor_org_id, pays_code, retired_at
    FROM (SELECT n.asset_id, n.sequence, es.state, n.occurred_at,
                 lead(n.occurred_at) OVER (PARTITION BY n.asset_id ORDER BY n.sequence) AS left_at,
                 a.donor_org_id, a.pays_code, a.retired_at
          FROM new_events n JOIN assets a ON a.id = n.asset_id LEFT JOIN event_states es ON es.type = n.type
          WHERE n.type NOT IN ('asset.offer_declined', 'asset.inspected')) stays
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
