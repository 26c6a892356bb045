-- Issue 19: deliveries to a tiers-lieu, several reservations at once (marketplace/handlers/deliveries.py).
-- A delivery is what a tiers-lieu holds reserved among one workshop's devices (read from reservations, no
-- table of its own); its handover is proven by the workshop itself, or by one one-time code the workshop
-- shows for the whole delivery (the rules of handover_codes: only the SHA-256, 15 minutes, once, void after
-- five wrong tries). One live code per workshop and tiers-lieu: a new one replaces the old.
CREATE TABLE delivery_codes (
    giver_org_id     uuid NOT NULL REFERENCES organisations(id),
    receiver_org_id  uuid NOT NULL REFERENCES organisations(id),
    code_hash        text NOT NULL,
    shown_by         text NOT NULL,
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    wrong_tries      integer NOT NULL DEFAULT 0 CHECK (wrong_tries >= 0),
    used_at          timestamptz,
    PRIMARY KEY (giver_org_id, receiver_org_id)
);
