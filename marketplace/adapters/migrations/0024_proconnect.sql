-- Issue 18: signing in with ProConnect (OpenID Connect).
-- oidc_flows: what one sign-in attempt must remember between the redirect to the provider and its return.
-- Keyed by a SHA-256 of `state` (a copy of the table names no attempt one could finish); taken once
-- (DELETE ... RETURNING), so a replayed `state` finds nothing; short-lived (expires_at).
CREATE TABLE oidc_flows (
    state_hash     text PRIMARY KEY,
    nonce          text NOT NULL,
    code_verifier  text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL
);
CREATE INDEX oidc_flows_expires_idx ON oidc_flows (expires_at);

-- An identity at a provider, linked to an account the first time by its verified professional e-mail and by
-- (issuer, sub) afterwards: ProConnect's `sub` differs per service, so it is only known after a first match.
CREATE TABLE user_identities (
    issuer        text NOT NULL,
    subject       text NOT NULL,
    user_id       uuid NOT NULL REFERENCES users(id),
    acr           text NOT NULL DEFAULT '',
    amr           text[] NOT NULL DEFAULT '{}',
    linked_at     timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX user_identities_user_idx ON user_identities (user_id);

-- Who may get an account by ProConnect alone: the e-mail domains and SIRETs an organisation's admin allowed.
ALTER TABLE organisations ADD COLUMN proconnect_domains text[] NOT NULL DEFAULT '{}',
                          ADD COLUMN proconnect_sirets text[] NOT NULL DEFAULT '{}';

-- How a session was opened, and the ID token that ends it at the provider too (id_token_hint).
ALTER TABLE sessions ADD COLUMN method text NOT NULL DEFAULT 'password' CHECK (method IN ('password', 'proconnect')),
                     ADD COLUMN id_token text;
