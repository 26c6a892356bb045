-- Issue 22: where `seconde-vie audit verify` last found each chain sound, so the daily run walks only what
-- was appended since (docs/audit.md). Written by the verifier only; `audit verify --full` trusts none of it.
CREATE TABLE audit_verified_heads (
    asset_id     uuid PRIMARY KEY REFERENCES assets(id),
    sequence     integer NOT NULL CHECK (sequence >= 1),
    hash         text NOT NULL,
    verified_at  timestamptz NOT NULL DEFAULT now()
);
