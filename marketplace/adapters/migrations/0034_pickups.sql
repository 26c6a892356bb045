-- Issue 19: pickups (enlèvements). The claimed devices of one donor site for one claimer form one pickup,
-- with a date the two sides agree on. Its devices lapse together: PICKUP_DEADLINE_HOURS after the last claim
-- that joined it, or at the end of the agreed day when that is later (marketplace/domain/pickups.py).
-- The handing party (the donor) may show one handover code for the whole pickup (the same rules as
-- handover_codes: only its SHA-256 with the pickup id, 15 minutes, once, void after five wrong tries).
CREATE TABLE pickups (
    id                uuid PRIMARY KEY,
    donor_org_id      uuid NOT NULL REFERENCES organisations(id),
    site              text NOT NULL DEFAULT '',
    claimer_org_id    uuid NOT NULL REFERENCES organisations(id),
    status            text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
    proposed_on       date NOT NULL,
    proposed_by       text NOT NULL CHECK (proposed_by IN ('donor', 'claimer')),
    agreed            boolean NOT NULL DEFAULT false,
    last_claim_at     timestamptz NOT NULL,
    agreed_until      timestamptz,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    code_hash         text,
    code_shown_by     text,
    code_expires_at   timestamptz,
    code_wrong_tries  integer NOT NULL DEFAULT 0 CHECK (code_wrong_tries >= 0),
    code_used_at      timestamptz
);
-- One open pickup per donor site and claimer: every new claim there joins it.
CREATE UNIQUE INDEX pickups_one_open ON pickups (donor_org_id, site, claimer_org_id) WHERE status = 'open';
CREATE INDEX pickups_claimer_idx ON pickups (claimer_org_id, status);
CREATE INDEX pickups_donor_idx ON pickups (donor_org_id, status);
CREATE INDEX pickups_lapse_idx ON pickups (last_claim_at) WHERE status = 'open';

-- The devices claimed into a pickup; those still `claimed` by the pickup's claimer are the ones expected.
CREATE TABLE pickup_devices (
    pickup_id  uuid NOT NULL REFERENCES pickups(id),
    asset_id   uuid NOT NULL REFERENCES assets(id),
    joined_at  timestamptz NOT NULL,
    PRIMARY KEY (pickup_id, asset_id)
);
CREATE INDEX pickup_devices_asset_idx ON pickup_devices (asset_id);

-- Devices claimed before pickups existed join one per donor site and claimer (the group's last claim starts
-- its deadline).
WITH claimed AS (
    SELECT a.id AS asset_id, a.donor_org_id, coalesce(a.site, '') AS site, a.claimer_org_id, f.closed_at
    FROM assets a JOIN offers f ON f.asset_id = a.id AND f.status = 'claimed'
    WHERE a.state = 'claimed' AND a.claimer_org_id IS NOT NULL
), groups AS (
    SELECT gen_random_uuid() AS id, donor_org_id, site, claimer_org_id, min(closed_at) AS first_claim, max(closed_at) AS last_claim
    FROM claimed GROUP BY donor_org_id, site, claimer_org_id
), made AS (
    INSERT INTO pickups (id, donor_org_id, site, claimer_org_id, proposed_on, proposed_by, last_claim_at,
                         created_at, updated_at)
    SELECT id, donor_org_id, site, claimer_org_id, (first_claim + interval '2 days')::date, 'claimer',
           last_claim, first_claim, last_claim
    FROM groups
    RETURNING id, donor_org_id, site, claimer_org_id
)
INSERT INTO pickup_devices (pickup_id, asset_id, joined_at)
SELECT m.id, c.asset_id, c.closed_at
FROM claimed c JOIN made m USING (donor_org_id, site, claimer_org_id);
