-- Issue 22: the figures routing weighs each candidate by, kept up to date in the transactions that change them
-- instead of counted over every device on each call (marketplace/adapters/routing_queries.py):
--   load     = devices in the organisation's custody and not out of its hands (delivered, harvested,
--              recycled, written off), plus devices it claimed and has not collected yet (state 'claimed',
--              its claimed offer the organisation's);
--   received = its offers closed as claimed, per day (UTC) of closed_at; no_shows the same for 'no_show'.
-- Row triggers on assets and offers keep them, whatever writes (services, batches, timers, COPY). Load is
-- spread over 8 slots per organisation, each change landing on a random one, so concurrent transactions
-- touching the same organisation do not queue on one row; readers add the slots up.
CREATE TABLE org_load_slots (
    org_id  uuid NOT NULL REFERENCES organisations(id),
    slot    smallint NOT NULL,
    load    integer NOT NULL,
    PRIMARY KEY (org_id, slot)
);
CREATE TABLE org_outcome_days (
    org_id    uuid NOT NULL REFERENCES organisations(id),
    day       date NOT NULL,
    received  integer NOT NULL DEFAULT 0,
    no_shows  integer NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, day)
);

CREATE FUNCTION routing_figures_load(org uuid, delta integer) RETURNS void LANGUAGE sql AS $$
    INSERT INTO org_load_slots AS s (org_id, slot, load) VALUES (org, floor(random() * 8)::smallint, delta)
    ON CONFLICT (org_id, slot) DO UPDATE SET load = s.load + excluded.load;
$$;

CREATE FUNCTION routing_figures_outcome(org uuid, status text, closed timestamptz, delta integer) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO org_outcome_days AS d (org_id, day, received, no_shows)
    VALUES (org, (closed AT TIME ZONE 'UTC')::date, CASE WHEN status = 'claimed' THEN delta ELSE 0 END,
            CASE WHEN status = 'no_show' THEN delta ELSE 0 END)
    ON CONFLICT (org_id, day) DO UPDATE SET received = d.received + excluded.received,
                                            no_shows = d.no_shows + excluded.no_shows;
$$;

-- What one device adds to load: its custodian (unless it is out of its hands) and, while claimed, the
-- organisation whose offer claimed it.
CREATE FUNCTION routing_figures_assets() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    done constant text[] := ARRAY['delivered', 'harvested', 'recycled', 'written_off'];
    claimer uuid;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF OLD.custodian_org_id IS NOT NULL AND NOT OLD.state = ANY(done) THEN
            PERFORM routing_figures_load(OLD.custodian_org_id, -1);
        END IF;
        IF OLD.state = 'claimed' THEN
            SELECT org_id INTO claimer FROM offers WHERE asset_id = OLD.id AND status = 'claimed';
            IF claimer IS NOT NULL THEN PERFORM routing_figures_load(claimer, -1); END IF;
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF NEW.custodian_org_id IS NOT NULL AND NOT NEW.state = ANY(done) THEN
            PERFORM routing_figures_load(NEW.custodian_org_id, 1);
        END IF;
        IF NEW.state = 'claimed' THEN
            SELECT org_id INTO claimer FROM offers WHERE asset_id = NEW.id AND status = 'claimed';
            IF claimer IS NOT NULL THEN PERFORM routing_figures_load(claimer, 1); END IF;
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER assets_routing_figures AFTER INSERT OR DELETE OR UPDATE OF custodian_org_id, state ON assets
FOR EACH ROW EXECUTE FUNCTION routing_figures_assets();

-- An offer counts toward load while it is the claimed offer of a claimed device, and toward received or
-- no-shows on the day it was closed as such.
CREATE FUNCTION routing_figures_offers() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    device_claimed boolean;
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.status IS NOT DISTINCT FROM NEW.status AND OLD.org_id = NEW.org_id
       AND OLD.closed_at IS NOT DISTINCT FROM NEW.closed_at AND OLD.asset_id = NEW.asset_id THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF OLD.status = 'claimed' THEN
            SELECT state = 'claimed' INTO device_claimed FROM assets WHERE id = OLD.asset_id;
            IF device_claimed THEN PERFORM routing_figures_load(OLD.org_id, -1); END IF;
        END IF;
        IF OLD.status IN ('claimed', 'no_show') AND OLD.closed_at IS NOT NULL THEN
            PERFORM routing_figures_outcome(OLD.org_id, OLD.status, OLD.closed_at, -1);
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF NEW.status = 'claimed' THEN
            SELECT state = 'claimed' INTO device_claimed FROM assets WHERE id = NEW.asset_id;
            IF device_claimed THEN PERFORM routing_figures_load(NEW.org_id, 1); END IF;
        END IF;
        IF NEW.status IN ('claimed', 'no_show') AND NEW.closed_at IS NOT NULL THEN
            PERFORM routing_figures_outcome(NEW.org_id, NEW.status, NEW.closed_at, 1);
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER offers_routing_figures AFTER INSERT OR DELETE OR UPDATE ON offers
FOR EACH ROW EXECUTE FUNCTION routing_figures_offers();

-- The figures of what is already there.
INSERT INTO org_load_slots (org_id, slot, load)
SELECT org_id, 0, count(*) FROM (
    SELECT custodian_org_id AS org_id FROM assets
    WHERE custodian_org_id IS NOT NULL AND state NOT IN ('delivered', 'harvested', 'recycled', 'written_off')
    UNION ALL
    SELECT f.org_id FROM offers f JOIN assets a ON a.id = f.asset_id WHERE f.status = 'claimed' AND a.state = 'claimed'
) held GROUP BY org_id;
INSERT INTO org_outcome_days (org_id, day, received, no_shows)
SELECT org_id, (closed_at AT TIME ZONE 'UTC')::date, count(*) FILTER (WHERE status = 'claimed'),
       count(*) FILTER (WHERE status = 'no_show')
FROM offers WHERE status IN ('claimed', 'no_show') AND closed_at IS NOT NULL
GROUP BY 1, 2;
