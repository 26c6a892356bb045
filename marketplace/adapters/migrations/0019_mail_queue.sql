-- Issue 17: the mail queue. Every e-mail the product sends is first a row here, written in the
-- transaction of its cause (an invitation, a reset link, a notification), so that an e-mail is never lost
-- when the SMTP server is down and never sent twice: (to_email, kind, cause) is unique, and queueing the
-- same cause again does nothing. The notifier worker sends the queued rows and retries with backoff.
-- The SQL is in marketplace/adapters/mail_queue.py; callers use marketplace/notifications/outbox.py.

CREATE TABLE mail_queue (
    id                uuid PRIMARY KEY,
    to_user_id        uuid REFERENCES users(id) ON DELETE SET NULL,
    to_email          text NOT NULL,
    kind              text NOT NULL,             -- 'invitation', 'password_reset', a notification kind...
    cause             text NOT NULL,             -- what this e-mail is about: one e-mail per person and cause
    lang              text NOT NULL,
    subject           text NOT NULL,
    text_body         text NOT NULL,
    html_body         text NOT NULL,
    status            text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts          integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at   timestamptz NOT NULL DEFAULT now(),
    last_error_class  text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    sent_at           timestamptz,
    UNIQUE (to_email, kind, cause)
);
-- The sender's scan: due rows still queued, oldest first.
CREATE INDEX mail_queue_due_idx ON mail_queue (next_attempt_at) WHERE status = 'queued';
-- The retention purge: sent rows by age.
CREATE INDEX mail_queue_sent_idx ON mail_queue (sent_at) WHERE status = 'sent';
CREATE INDEX mail_queue_user_idx ON mail_queue (to_user_id);
