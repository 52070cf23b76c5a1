-- Invitations: how an account's admin adds a user without learning whether the address is
-- already taken (docs/security.md, "Creating users"). The invitee chooses their own password
-- with the mailed token; the user row exists only from then on.

CREATE TABLE invitations (
  id            text PRIMARY KEY,
  account_id    text NOT NULL REFERENCES accounts (id),
  email         text NOT NULL,
  name          text NOT NULL DEFAULT '',
  role          text NOT NULL,
  invited_by    text NOT NULL REFERENCES users (id),
  -- SHA-256 of the mailed secret: a leaked table must not let anyone join an account.
  secret_hash   text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  accepted_at   timestamptz,
  -- The user the acceptance created.
  user_id       text REFERENCES users (id),
  revoked_at    timestamptz
);
-- Listing an account's invitations, and counting its pending ones against the quota.
CREATE INDEX invitations_account_idx ON invitations (account_id, id);
-- A new invitation of an address to an account replaces the pending one.
CREATE INDEX invitations_email_idx ON invitations (account_id, lower(email));
