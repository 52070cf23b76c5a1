-- Sessions and two-factor login (issue 12; docs/security.md, "Accounts, sessions and two-factor").

-- A user's TOTP (RFC 6238) secret. It must be recoverable to check codes, so it is sealed
-- (AES-256-GCM, bound to the user id) with the controller's secret key, never stored plain.
-- enabled_at stays null until the first code confirms the enrolment; last_step is the
-- newest 30-second step a code was accepted for, so a code works once (no replay).
CREATE TABLE user_two_factor (
  user_id       text PRIMARY KEY REFERENCES users (id),
  secret_sealed text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  enabled_at    timestamptz,
  last_step     bigint
);

-- Single-use recovery codes. 80 random bits each, so a SHA-256 is enough (as for tokens).
CREATE TABLE recovery_codes (
  user_id    text NOT NULL REFERENCES users (id),
  code_hash  text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  used_at    timestamptz,
  PRIMARY KEY (user_id, code_hash)
);

-- The step between a correct password and a correct code: short-lived and single-use, and
-- not a session. It remembers what the login was for (a portal session or an API token).
CREATE TABLE pending_logins (
  id               text PRIMARY KEY,
  user_id          text NOT NULL REFERENCES users (id),
  secret_hash      text NOT NULL,
  purpose          text NOT NULL CHECK (purpose IN ('session', 'token')),
  token_name       text,
  token_expires_at timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  expires_at       timestamptz NOT NULL,
  attempts         integer NOT NULL DEFAULT 0,
  used_at          timestamptz
);
CREATE INDEX pending_logins_user_idx ON pending_logins (user_id);

-- An account admin's choice that every user of the account must use two-factor login.
-- A row only for accounts that ever set it.
CREATE TABLE two_factor_policies (
  account_id  text PRIMARY KEY REFERENCES accounts (id),
  required    boolean NOT NULL,
  changed_at  timestamptz NOT NULL DEFAULT now()
);
