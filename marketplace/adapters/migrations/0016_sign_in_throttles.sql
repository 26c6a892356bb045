-- Issue 16: sign-in attempts counted per e-mail (an account's or not) and per client address.
-- The counters were `users.failed_logins` / `users.locked_until`: only real accounts had them, so an unknown
-- e-mail was never locked (which told who has an account), and the counter was only reset by a successful
-- sign-in, so after one lock a single wrong password every 15 minutes locked the account again, for ever.
-- The policy is in marketplace/auth/throttle.py, the SQL in marketplace/adapters/sign_in_throttles.py.

-- What the table stores instead of the e-mail or address typed (someone's password typed in the e-mail
-- field must not end up here). lower() as in the accounts' lookup, `lower(email) = lower($1)`.
CREATE FUNCTION sign_in_subject(value text) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT encode(sha256(convert_to(lower(value), 'UTF8')), 'hex') $$;

CREATE TABLE sign_in_throttles (
    kind      text NOT NULL CHECK (kind IN ('account', 'address')),
    subject   text NOT NULL,                 -- sign_in_subject(e-mail or address)
    attempts  integer NOT NULL CHECK (attempts >= 0),
    until     timestamptz NOT NULL,          -- end of the counting window, or of the lock once at the limit
    PRIMARY KEY (kind, subject)
);
CREATE INDEX sign_in_throttles_until_idx ON sign_in_throttles (until);

-- Locks in force carry over (5 was the limit); the rest starts from zero.
INSERT INTO sign_in_throttles (kind, subject, attempts, until)
SELECT 'account', sign_in_subject(email), greatest(failed_logins, 5), locked_until
FROM users WHERE locked_until > now();

ALTER TABLE users DROP COLUMN failed_logins, DROP COLUMN locked_until;
