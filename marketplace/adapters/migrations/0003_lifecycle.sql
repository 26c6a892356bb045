-- The whole lifecycle: what the rules need on the read row, reservations, and handover parties.

ALTER TABLE assets
    ADD COLUMN claimer_org_id      uuid REFERENCES organisations(id),
    ADD COLUMN refurbisher_org_id  uuid REFERENCES organisations(id),
    ADD COLUMN diagnosis           text CHECK (diagnosis IN ('refurbishable', 'parts_only', 'end_of_life')),
    ADD COLUMN wiped               boolean NOT NULL DEFAULT false,
    ADD COLUMN storage_destroyed   boolean NOT NULL DEFAULT false,
    ADD COLUMN os_installed        text,
    ADD COLUMN beneficiary         text,
    ADD CONSTRAINT assets_grade_check CHECK (grade IN ('A', 'B', 'C'));
CREATE INDEX assets_claimer_idx ON assets (claimer_org_id) WHERE claimer_org_id IS NOT NULL;
CREATE INDEX assets_catalogue_idx ON assets (category, grade, pays_code) WHERE state = 'refurbished';

CREATE TABLE reservations (
    id          uuid PRIMARY KEY,
    asset_id    uuid NOT NULL REFERENCES assets(id),
    org_id      uuid NOT NULL REFERENCES organisations(id),
    status      text NOT NULL CHECK (status IN ('active', 'cancelled', 'expired', 'delivered')),
    hold_until  timestamptz NOT NULL,
    created_at  timestamptz NOT NULL,
    closed_at   timestamptz
);
-- A double booking is impossible at the database level: one active reservation per device.
CREATE UNIQUE INDEX reservations_one_active_per_asset ON reservations (asset_id) WHERE status = 'active';
CREATE INDEX reservations_active_by_org_idx ON reservations (org_id, hold_until) WHERE status = 'active';

ALTER TABLE organisations ADD COLUMN disabled boolean NOT NULL DEFAULT false;
