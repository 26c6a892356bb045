-- The notifier's reconciler (marketplace/consumers/notify.py): how far it has read asset_events for events the
-- broker never delivered (Tansu keeps messages in memory). Starts now, so that a deployment's history is not
-- announced again.
CREATE TABLE notifier_reconcile_marks (
    name  text PRIMARY KEY,
    mark  timestamptz NOT NULL
);
INSERT INTO notifier_reconcile_marks (name, mark) VALUES ('notifier', now()) ON CONFLICT DO NOTHING;
