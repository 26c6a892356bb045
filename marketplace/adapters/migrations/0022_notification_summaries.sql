-- Issue 17: the summaries. Donors get a weekly summary of their devices' second lives (delivered or
-- recycled), admins a daily one of new dead letters and newly unclaimed devices: a "weekly" mode beside
-- "now", "daily" and "never".
ALTER TABLE notification_preferences DROP CONSTRAINT notification_preferences_mode_check,
    ADD CONSTRAINT notification_preferences_mode_check CHECK (mode IN ('now', 'daily', 'weekly', 'never'));
ALTER TABLE pending_notifications DROP CONSTRAINT pending_notifications_mode_check,
    ADD CONSTRAINT pending_notifications_mode_check CHECK (mode IN ('now', 'daily', 'weekly'));
