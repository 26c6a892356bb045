-- Issue 17: notifications. What each person chose per kind of notification, and the notifications
-- waiting to be folded into one e-mail (the offers of a few minutes, the daily digests).
--
-- The notifier worker writes one pending row per person and cause in its batch's transaction (unique,
-- so a redelivered event adds nothing); the mailer's fold job turns a person's due rows into one
-- mail_queue row (migration 0019) and marks them folded in the same transaction.

CREATE TABLE notification_preferences (
    user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind        text NOT NULL,
    mode        text NOT NULL CHECK (mode IN ('now', 'daily', 'never')),
    changed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, kind)
);

CREATE TABLE pending_notifications (
    id          bigserial PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind        text NOT NULL,
    cause       text NOT NULL,
    mode        text NOT NULL CHECK (mode IN ('now', 'daily')),
    facts       jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    folded_at   timestamptz,
    UNIQUE (user_id, kind, cause)
);
-- The fold job's scan: rows not yet folded, by age.
CREATE INDEX pending_notifications_due_idx ON pending_notifications (created_at) WHERE folded_at IS NULL;

-- The deadlines already announced (an offer expiring, a pickup due, a hold ending), by cause: the
-- deadline job looks for deadlines without a row here, so each is announced once.
CREATE TABLE notified_deadlines (
    cause       text PRIMARY KEY,
    noticed_at  timestamptz NOT NULL DEFAULT now()
);
