-- Issue 16: a handover proves that both parties were there (marketplace/domain/handover.py).
-- The device code is public (label, catalogue, open data), so the receiving party of a handover (the claimer
-- for `collect`, the reserving third place for `deliver`) confirms it with a one-time code that the handing
-- party shows on its own screen. One live code per device and handover: a new one replaces the old.
CREATE TABLE handover_codes (
    asset_id         uuid NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    handover         text NOT NULL CHECK (handover IN ('collect', 'deliver')),
    code_hash        text NOT NULL,                 -- sha256(asset id || ':' || code), hex; never the code
    giver_org_id     uuid NOT NULL REFERENCES organisations(id),
    receiver_org_id  uuid NOT NULL REFERENCES organisations(id),
    shown_by         text NOT NULL,                 -- the handing party's user (or API token principal)
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    wrong_tries      integer NOT NULL DEFAULT 0 CHECK (wrong_tries >= 0),
    used_at          timestamptz,
    PRIMARY KEY (asset_id, handover)
);
