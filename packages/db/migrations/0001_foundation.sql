-- Tenancy, identity, catalog and servers. The same file runs on PostgreSQL and on PGlite,
-- so it sticks to portable SQL: no extensions, no ltree (account paths are plain text).

CREATE TABLE accounts (
  id          text PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('provider', 'reseller', 'customer')),
  parent_id   text REFERENCES accounts (id),
  -- Materialised ancestry ("/acc_a/acc_b/"): a subtree is one prefix match.
  path        text NOT NULL UNIQUE,
  name        text NOT NULL,
  slug        text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'provider') = (parent_id IS NULL))
);
CREATE INDEX accounts_parent_idx ON accounts (parent_id, id);
CREATE INDEX accounts_path_idx ON accounts (path text_pattern_ops);
-- One provider per install.
CREATE UNIQUE INDEX accounts_one_provider ON accounts (kind) WHERE kind = 'provider';

CREATE TABLE users (
  id             text PRIMARY KEY,
  account_id     text NOT NULL REFERENCES accounts (id),
  email          text NOT NULL,
  name           text NOT NULL DEFAULT '',
  role           text NOT NULL CHECK (role IN ('provider-admin', 'reseller-admin', 'customer-admin', 'customer-member')),
  password_hash  text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  disabled_at    timestamptz
);
CREATE UNIQUE INDEX users_email_unique ON users (lower(email));
CREATE INDEX users_account_idx ON users (account_id, id);

-- Per-account (per email) login throttling with exponential backoff.
CREATE TABLE login_attempts (
  email          text PRIMARY KEY,
  failures       integer NOT NULL DEFAULT 0,
  locked_until   timestamptz,
  last_failure_at timestamptz
);

-- Bearer tokens: only a SHA-256 of the secret is stored. The id is public and part of the token.
CREATE TABLE api_tokens (
  id            text PRIMARY KEY,
  user_id       text NOT NULL REFERENCES users (id),
  name          text NOT NULL,
  secret_hash   text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz,
  revoked_at    timestamptz,
  last_used_at  timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id, id);

CREATE TABLE sessions (
  id            text PRIMARY KEY,
  user_id       text NOT NULL REFERENCES users (id),
  secret_hash   text NOT NULL,
  csrf_hash     text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE sites (
  id            text PRIMARY KEY,
  name          text NOT NULL UNIQUE,
  country_code  text NOT NULL CHECK (country_code ~ '^[A-Z]{2}$'),
  region_code   text NOT NULL DEFAULT '',
  jurisdiction  text NOT NULL DEFAULT '',
  time_zone     text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE hosts (
  id                 text PRIMARY KEY,
  site_id            text NOT NULL REFERENCES sites (id),
  name               text NOT NULL UNIQUE,
  state              text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'up', 'down', 'removed')),
  accelerator        text CHECK (accelerator IN ('kvm', 'tcg')),
  cpu_cores          integer NOT NULL DEFAULT 0,
  memory_mib         integer NOT NULL DEFAULT 0,
  disk_gib           integer NOT NULL DEFAULT 0,
  join_token_hash    text,
  join_expires_at    timestamptz,
  credential_hash    text,
  last_heartbeat_at  timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  removed_at         timestamptz
);
CREATE INDEX hosts_site_idx ON hosts (site_id, id);

CREATE TABLE plans (
  id                  text PRIMARY KEY,
  name                text NOT NULL UNIQUE,
  vcpus               integer NOT NULL CHECK (vcpus > 0),
  memory_mib          integer NOT NULL CHECK (memory_mib > 0),
  disk_gib            integer NOT NULL CHECK (disk_gib > 0),
  transfer_gib        integer NOT NULL CHECK (transfer_gib >= 0),
  hourly_price_minor  bigint NOT NULL CHECK (hourly_price_minor >= 0),
  monthly_cap_minor   bigint NOT NULL CHECK (monthly_cap_minor >= 0),
  currency            text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  active              boolean NOT NULL DEFAULT true,
  created_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE images (
  id                  text PRIMARY KEY,
  account_id          text NOT NULL REFERENCES accounts (id),
  name                text NOT NULL,
  visibility          text NOT NULL CHECK (visibility IN ('private', 'subtree', 'public')),
  os                  text NOT NULL DEFAULT '',
  arch                text NOT NULL DEFAULT 'x86_64',
  format              text NOT NULL DEFAULT 'qcow2',
  status              text NOT NULL DEFAULT 'available' CHECK (status IN ('pending', 'available', 'failed', 'deleted')),
  size_bytes          bigint,
  sha256              text,
  md5                 text,
  source              text NOT NULL DEFAULT '',
  created_at          timestamptz NOT NULL DEFAULT now(),
  deleted_at          timestamptz
);
CREATE INDEX images_account_idx ON images (account_id, id);
CREATE UNIQUE INDEX images_name_unique ON images (account_id, name) WHERE deleted_at IS NULL;

CREATE TABLE ssh_keys (
  id           text PRIMARY KEY,
  account_id   text NOT NULL REFERENCES accounts (id),
  user_id      text REFERENCES users (id),
  name         text NOT NULL,
  public_key   text NOT NULL,
  fingerprint  text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX ssh_keys_fingerprint_unique ON ssh_keys (account_id, fingerprint);

CREATE TABLE servers (
  id              text PRIMARY KEY,
  account_id      text NOT NULL REFERENCES accounts (id),
  name            text NOT NULL,
  site_id         text NOT NULL REFERENCES sites (id),
  host_id         text REFERENCES hosts (id),
  plan_id         text NOT NULL REFERENCES plans (id),
  image_id        text NOT NULL REFERENCES images (id),
  desired_state   text NOT NULL CHECK (desired_state IN ('running', 'stopped', 'deleted')),
  observed_state  text NOT NULL DEFAULT 'pending',
  observed_at     timestamptz,
  -- Bumped on every change of desired state, so agents can tell fresh intent from stale.
  generation      integer NOT NULL DEFAULT 1,
  -- Incremented by each reboot request; the agent resets the guest when it sees a new value.
  reboot_seq      integer NOT NULL DEFAULT 0,
  addresses       jsonb NOT NULL DEFAULT '[]',
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  deleted_at      timestamptz
);
CREATE INDEX servers_account_idx ON servers (account_id, id);
CREATE INDEX servers_host_idx ON servers (host_id, id);
CREATE UNIQUE INDEX servers_name_unique ON servers (account_id, name) WHERE deleted_at IS NULL;

CREATE TABLE server_ssh_keys (
  server_id   text NOT NULL REFERENCES servers (id),
  ssh_key_id  text NOT NULL REFERENCES ssh_keys (id),
  PRIMARY KEY (server_id, ssh_key_id)
);

CREATE TABLE audit_log (
  id              text PRIMARY KEY,
  at              timestamptz NOT NULL DEFAULT now(),
  actor_user_id   text,
  account_id      text NOT NULL,
  -- Copied so a subtree query needs no join, and the entry survives any later change.
  account_path    text NOT NULL,
  action          text NOT NULL,
  resource_type   text NOT NULL,
  resource_id     text NOT NULL,
  request_id      text,
  details         jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_path_idx ON audit_log (account_path text_pattern_ops, id);

-- The audit log is append-only: the database itself refuses to rewrite history.
CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();

CREATE TABLE idempotency_keys (
  user_id        text NOT NULL,
  key            text NOT NULL,
  method         text NOT NULL,
  path           text NOT NULL,
  request_hash   text NOT NULL,
  status_code    integer,
  response_body  text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);
