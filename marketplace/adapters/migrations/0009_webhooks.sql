-- Webhooks (issue 6): an organisation registers URLs that receive the lifecycle events concerning it.
-- Deliveries are queued by a trigger on asset_events, so each one is written in the same transaction
-- as its event: an event that commits always has its deliveries, a rolled-back one never does.
CREATE TABLE IF NOT EXISTS webhooks (
    id          uuid PRIMARY KEY,
    org_id      uuid NOT NULL REFERENCES organisations(id),
    url         text NOT NULL CHECK (url ~ '^https?://'),
    secret      text NOT NULL,  -- kept to sign deliveries (HMAC-SHA256); shown to the organisation once
    active      boolean NOT NULL DEFAULT true,
    created_by  uuid REFERENCES users(id),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS webhooks_org_idx ON webhooks (org_id) WHERE active;

CREATE TABLE IF NOT EXISTS webhook_deliveries (
    id               bigserial PRIMARY KEY,
    webhook_id       uuid NOT NULL REFERENCES webhooks(id),
    event_id         uuid NOT NULL,
    event_type       text NOT NULL,
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_status      integer,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    delivered_at     timestamptz,
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS webhook_deliveries_recent_idx ON webhook_deliveries (webhook_id, created_at DESC);

-- The organisations an event concerns: the device's donor, custodian and claimer, the actor, and every
-- organisation the payload names (offers made to it, the claimer, both sides of a handover, the third
-- place, the recycler). The custodian is read before the event's projection update, hence the payload.
CREATE OR REPLACE FUNCTION queue_webhook_deliveries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM webhooks WHERE active) THEN
        RETURN NULL;  -- the common case costs one index probe
    END IF;
    INSERT INTO webhook_deliveries (webhook_id, event_id, event_type)
    SELECT w.id, NEW.event_id, NEW.type
    FROM webhooks w JOIN organisations o ON o.id = w.org_id
    WHERE w.active AND NOT o.disabled AND (
        o.id IN (SELECT unnest(ARRAY[a.donor_org_id, a.custodian_org_id, a.claimer_org_id])
                 FROM assets a WHERE a.id = NEW.asset_id)
        OR o.slug IN (NEW.actor->>'org', NEW.payload->>'org', NEW.payload->>'claimer', NEW.payload->>'from',
                      NEW.payload->>'to', NEW.payload->>'third_place', NEW.payload->>'recycler')
        OR o.slug IN (SELECT x->>'org' FROM jsonb_array_elements(
                          CASE WHEN jsonb_typeof(NEW.payload->'offers') = 'array' THEN NEW.payload->'offers'
                               ELSE '[]'::jsonb END) AS x))
    ON CONFLICT (webhook_id, event_id) DO NOTHING;
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS asset_events_webhooks ON asset_events;
CREATE TRIGGER asset_events_webhooks AFTER INSERT ON asset_events
    FOR EACH ROW EXECUTE FUNCTION queue_webhook_deliveries();
