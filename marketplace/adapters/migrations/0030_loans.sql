-- Issue 21: loans of delivered devices by tiers-lieux (and associations) to people, for weeks or months.
-- No name and no contact: the beneficiary's category, the dates, and at most a pseudonymous reference of the
-- tiers-lieu's own (its file number), checked to hold no spaces nor '@'.
CREATE TABLE loans (
    id                    uuid PRIMARY KEY,
    asset_id              uuid NOT NULL REFERENCES assets(id),
    org_id                uuid NOT NULL REFERENCES organisations(id),
    beneficiary_category  text NOT NULL,
    reference             text CHECK (reference ~ '^[A-Za-z0-9._/#-]{1,40}$'),
    lent_on               date NOT NULL,
    due_on                date NOT NULL CHECK (due_on >= lent_on),
    lent_by               uuid REFERENCES users(id),
    returned_at           timestamptz,
    returned_by           uuid REFERENCES users(id),
    condition             text CHECK (condition IN ('working', 'faulty', 'broken')),
    created_at            timestamptz NOT NULL
);
-- One loan at a time per device, even if two tabs lend it at once.
CREATE UNIQUE INDEX loans_one_open_per_asset ON loans (asset_id) WHERE returned_at IS NULL;
CREATE INDEX loans_open_due_idx ON loans (org_id, due_on) WHERE returned_at IS NULL;

-- The report read models (0010): a loan and its return keep the device `delivered`.
INSERT INTO event_states (type, state) VALUES ('asset.lent', 'delivered'), ('asset.loan_returned', 'delivered')
ON CONFLICT (type) DO UPDATE SET state = EXCLUDED.state;

-- Events that leave the device where it is (a declined offer, a hardware snapshot, a loan and its return) end
-- no stay in the read models. Same function as 0014 otherwise.
CREATE OR REPLACE FUNCTION project_report_models() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The open stay of each device ends at its first state-changing event of this statement. A statement
    -- of first events only (the intake's batches: `asset.retired`, sequence 1) has no stay to end.
    IF EXISTS (SELECT 1 FROM new_events WHERE sequence > 1) THEN
        EXECUTE $q$
        UPDATE state_stays s SET left_at = f.occurred_at,
                                 seconds = extract(epoch FROM f.occurred_at - s.entered_at)::double precision
        FROM (SELECT DISTINCT ON (asset_id) asset_id, occurred_at FROM new_events
              WHERE type NOT IN ('asset.offer_declined', 'asset.inspected', 'asset.lent', 'asset.loan_returned')
              ORDER BY asset_id, sequence) f
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
          WHERE n.type NOT IN ('asset.offer_declined', 'asset.inspected', 'asset.lent', 'asset.loan_returned')) stays
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
