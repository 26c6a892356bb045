-- Issue 22: the assets trigger of 0028_3 writes only what changes: a step that leaves the custodian and whether
-- the device is out of its hands alone (retired -> offered, collected -> diagnosed...) touches no slot, where
-- 0028_3 took one off and put one back.
CREATE OR REPLACE FUNCTION routing_figures_assets() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    done constant text[] := ARRAY['delivered', 'harvested', 'recycled', 'written_off'];
    old_holder uuid;
    new_holder uuid;
    claimer uuid;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND NOT OLD.state = ANY(done) THEN
        old_holder := OLD.custodian_org_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NOT NEW.state = ANY(done) THEN
        new_holder := NEW.custodian_org_id;
    END IF;
    IF old_holder IS DISTINCT FROM new_holder THEN
        IF old_holder IS NOT NULL THEN PERFORM routing_figures_load(old_holder, -1); END IF;
        IF new_holder IS NOT NULL THEN PERFORM routing_figures_load(new_holder, 1); END IF;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.state = 'claimed'
       AND NOT (TG_OP = 'UPDATE' AND NEW.state = 'claimed' AND NEW.id = OLD.id) THEN
        SELECT org_id INTO claimer FROM offers WHERE asset_id = OLD.id AND status = 'claimed';
        IF claimer IS NOT NULL THEN PERFORM routing_figures_load(claimer, -1); END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.state = 'claimed'
       AND NOT (TG_OP = 'UPDATE' AND OLD.state = 'claimed' AND NEW.id = OLD.id) THEN
        SELECT org_id INTO claimer FROM offers WHERE asset_id = NEW.id AND status = 'claimed';
        IF claimer IS NOT NULL THEN PERFORM routing_figures_load(claimer, 1); END IF;
    END IF;
    RETURN NULL;
END $$;
