-- Issue 21: the needs tiers-lieux and associations post, and the matcher's proposals of refurbished devices.
CREATE TABLE needs (
    id                    uuid PRIMARY KEY,
    org_id                uuid NOT NULL REFERENCES organisations(id),
    category              text NOT NULL,
    quantity              integer NOT NULL CHECK (quantity BETWEEN 1 AND 500),
    met_count             integer NOT NULL DEFAULT 0 CHECK (met_count >= 0),
    min_ram_gb            integer CHECK (min_ram_gb >= 0),
    min_storage_gb        integer CHECK (min_storage_gb >= 0),
    min_screen_in         numeric CHECK (min_screen_in >= 0),
    grades                text[] NOT NULL CHECK (cardinality(grades) >= 1),
    needed_by             date,
    beneficiary_category  text NOT NULL,
    adapted               text[] NOT NULL DEFAULT '{}',
    status                text NOT NULL CHECK (status IN ('open', 'paused', 'met', 'cancelled')),
    created_by            uuid REFERENCES users(id),
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    met_at                timestamptz
);
-- The matcher reads the open needs of one category for every refurbished device.
CREATE INDEX needs_open_category_idx ON needs (category, created_at) WHERE status = 'open';
CREATE INDEX needs_org_idx ON needs (org_id, created_at);

-- A device is proposed to one need at a time (one open proposal per device), and to a need once:
-- a redelivered event, a second matcher or the reconciler cannot propose it twice.
CREATE TABLE need_proposals (
    id              uuid PRIMARY KEY,
    need_id         uuid NOT NULL REFERENCES needs(id),
    asset_id        uuid NOT NULL REFERENCES assets(id),
    status          text NOT NULL CHECK (status IN ('open', 'accepted', 'declined', 'withdrawn')),
    reason_codes    jsonb NOT NULL,
    created_at      timestamptz NOT NULL,
    closed_at       timestamptz,
    closed_by       uuid REFERENCES users(id),
    decline_reason  text,
    reservation_id  uuid,
    UNIQUE (need_id, asset_id)
);
CREATE UNIQUE INDEX need_proposals_one_open_per_asset ON need_proposals (asset_id) WHERE status = 'open';
CREATE INDEX need_proposals_need_idx ON need_proposals (need_id, status);

-- When the reconciler last looked at a refurbished device with no proposal: it looks again only once a need of
-- the device's category changed since (posted, edited, resumed), not at every tick.
CREATE TABLE matching_checks (
    asset_id    uuid PRIMARY KEY REFERENCES assets(id),
    checked_at  timestamptz NOT NULL
);
