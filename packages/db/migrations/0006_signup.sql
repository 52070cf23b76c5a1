-- Public signup with email verification, password reset, and the mailing-list opt-in.

-- Null only for users who signed up themselves and have not opened the mailed link yet.
-- Users an admin creates (and every user from before signup existed) count as verified, so
-- the default is now(); adding the column fills existing rows with it.
ALTER TABLE users ADD COLUMN email_verified_at timestamptz DEFAULT now();

ALTER TABLE users ADD COLUMN mailing_list_opt_in boolean NOT NULL DEFAULT false;
-- When the opt-in last changed: the consent record an export carries.
ALTER TABLE users ADD COLUMN mailing_list_changed_at timestamptz;

-- One-time tokens mailed to a user. Only the SHA-256 of the secret is stored: a leaked
-- table (backup, replica) must not let anyone verify an address or reset a password.
CREATE TABLE user_tokens (
  id           text PRIMARY KEY,
  user_id      text NOT NULL REFERENCES users (id),
  purpose      text NOT NULL CHECK (purpose IN ('verify-email', 'password-reset')),
  secret_hash  text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  used_at      timestamptz
);
CREATE INDEX user_tokens_user_idx ON user_tokens (user_id, purpose);
