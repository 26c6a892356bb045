-- Seconde Vie: the first schema. PostgreSQL is the source of truth; Kafka only carries copies.

CREATE TABLE pays (
    code              text PRIMARY KEY,
    name              text NOT NULL,
    department_codes  text[] NOT NULL,
    main_town         text NOT NULL,
    lat               double precision NOT NULL,
    lon               double precision NOT NULL
);

CREATE TABLE organisations (
    id                   uuid PRIMARY KEY,
    slug                 text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name                 text NOT NULL,
    kind                 text NOT NULL CHECK (kind IN ('region','lycee','association','fablab','tiers_lieu','recycler','auditor')),
    pays_code            text NOT NULL REFERENCES pays(code),
    town                 text NOT NULL,
    accepted_categories  text[] NOT NULL DEFAULT '{}',
    capacity             integer NOT NULL DEFAULT 0 CHECK (capacity >= 0),
    contact_email        text,
    created_at           timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id             uuid PRIMARY KEY,
    org_id         uuid NOT NULL REFERENCES organisations(id),
    email          text NOT NULL,
    display_name   text NOT NULL,
    password_hash  text NOT NULL,
    is_admin       boolean NOT NULL DEFAULT false,
    disabled       boolean NOT NULL DEFAULT false,
    failed_logins  integer NOT NULL DEFAULT 0,
    locked_until   timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- Only a hash of the session token is stored: a leaked table does not leak sessions.
CREATE TABLE sessions (
    token_hash   text PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users(id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- The read row of each device: a projection of its events, with the chain head for appending.
CREATE TABLE assets (
    id                 uuid PRIMARY KEY,
    code               text NOT NULL UNIQUE,
    donor_org_id       uuid NOT NULL REFERENCES organisations(id),
    request_id         text NOT NULL,
    category           text NOT NULL,
    brand              text NOT NULL,
    model              text NOT NULL,
    serial             text NOT NULL,
    inventory_number   text,
    year               integer,
    condition          text NOT NULL,
    has_storage        boolean NOT NULL,
    site               text,
    specs              jsonb,
    weight_kg          numeric,
    unit_value_eur     numeric,
    notes              text,
    pays_code          text NOT NULL REFERENCES pays(code),
    custodian_org_id   uuid REFERENCES organisations(id),
    state              text NOT NULL,
    grade              text,
    routing_round      integer NOT NULL DEFAULT 0,
    version            integer NOT NULL,
    last_hash          text NOT NULL,
    retired_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    -- Intake idempotency: one device per (donor, request id), however often the message arrives.
    UNIQUE (donor_org_id, request_id),
    -- LIFECYCLE.md: duplicate serial + donor refused.
    UNIQUE (donor_org_id, serial)
);
CREATE INDEX assets_state_idx ON assets (state, updated_at);
CREATE INDEX assets_donor_idx ON assets (donor_org_id, retired_at DESC);
CREATE INDEX assets_custodian_idx ON assets (custodian_org_id) WHERE custodian_org_id IS NOT NULL;

-- Append-only lifecycle log, hash-chained per device.
CREATE TABLE asset_events (
    asset_id        uuid NOT NULL REFERENCES assets(id),
    sequence        integer NOT NULL CHECK (sequence >= 1),
    event_id        uuid NOT NULL UNIQUE,
    type            text NOT NULL,
    schema_version  integer NOT NULL,
    occurred_at     timestamptz NOT NULL,
    actor           jsonb NOT NULL,
    correlation_id  uuid NOT NULL,
    causation_id    uuid,
    payload         jsonb NOT NULL,
    prev_hash       text NOT NULL,
    hash            text NOT NULL,
    PRIMARY KEY (asset_id, sequence)
);
CREATE INDEX asset_events_type_time_idx ON asset_events (type, occurred_at);

CREATE TABLE offers (
    id          uuid PRIMARY KEY,
    asset_id    uuid NOT NULL REFERENCES assets(id),
    org_id      uuid NOT NULL REFERENCES organisations(id),
    round       integer NOT NULL,
    score       double precision NOT NULL,
    reasons     jsonb NOT NULL,
    status      text NOT NULL CHECK (status IN ('open','claimed','withdrawn','expired','declined','no_show')),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    closed_at   timestamptz,
    UNIQUE (asset_id, round, org_id)
);
-- A double claim is impossible at the database level: at most one live claim per device.
CREATE UNIQUE INDEX offers_one_claim_per_asset ON offers (asset_id) WHERE status = 'claimed';
CREATE INDEX offers_open_by_org_idx ON offers (org_id, expires_at) WHERE status = 'open';
CREATE INDEX offers_asset_idx ON offers (asset_id);

-- Transactional outbox: written in the same transaction as the event, published by the relay.
CREATE TABLE outbox (
    id            bigserial PRIMARY KEY,
    topic         text NOT NULL,
    key           text,
    headers       jsonb NOT NULL DEFAULT '{}',
    value         bytea NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    published_at  timestamptz
);
CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;

-- Idempotent consumers: (consumer, event id) recorded in the same transaction as the effects.
CREATE TABLE inbox (
    consumer      text NOT NULL,
    event_id      text NOT NULL,
    processed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

CREATE TABLE dead_letters (
    id                 bigserial PRIMARY KEY,
    topic              text NOT NULL,
    partition          integer NOT NULL,
    "offset"           bigint NOT NULL,
    key                text,
    original           bytea NOT NULL,
    error              text NOT NULL,
    consumer           text NOT NULL,
    attempts           integer NOT NULL,
    failed_at          timestamptz NOT NULL DEFAULT now(),
    status             text NOT NULL DEFAULT 'new' CHECK (status IN ('new','replayed','discarded')),
    UNIQUE (consumer, topic, partition, "offset")
);
