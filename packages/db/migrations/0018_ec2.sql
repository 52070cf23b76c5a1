-- The EC2 Query API at /ec2 (issue 16, docs/ec2.md).
--
-- EC2-style ids live beside ours: random (17 hex digits from an md5 of a random uuid; both are
-- core PostgreSQL and PGlite, no extension), unique, assigned by the column default so that
-- every server, image and SSH key has one however it was created, existing rows included
-- (a volatile default is evaluated once per existing row).
ALTER TABLE servers ADD COLUMN ec2_id text NOT NULL
  DEFAULT ('i-' || substr(md5(gen_random_uuid()::text), 1, 17));
CREATE UNIQUE INDEX servers_ec2_id ON servers (ec2_id);
-- The reservation of a RunInstances call; null for servers made otherwise (one per server).
ALTER TABLE servers ADD COLUMN ec2_reservation_id text;
CREATE INDEX servers_ec2_reservation_id ON servers (ec2_reservation_id)
  WHERE ec2_reservation_id IS NOT NULL;
-- Custom user-data for cloud-init (RunInstances UserData, REST user_data), base64, at most 16 KiB decoded.
ALTER TABLE servers ADD COLUMN user_data_base64 text;

ALTER TABLE images ADD COLUMN ec2_id text NOT NULL
  DEFAULT ('ami-' || substr(md5(gen_random_uuid()::text), 1, 17));
CREATE UNIQUE INDEX images_ec2_id ON images (ec2_id);

ALTER TABLE ssh_keys ADD COLUMN ec2_id text NOT NULL
  DEFAULT ('key-' || substr(md5(gen_random_uuid()::text), 1, 17));
CREATE UNIQUE INDEX ssh_keys_ec2_id ON ssh_keys (ec2_id);

-- Access keys for SigV4. SigV4 needs the secret itself on the server, so it is sealed
-- (AES-256-GCM under the controller's secret key, bound to the key id), never stored in plain.
-- A key belongs to a user and acts with that user's role, within its scopes (migration 0013).
CREATE TABLE ec2_access_keys (
  id            text PRIMARY KEY CHECK (id ~ '^AKIA[A-Z2-7]{16}$'),
  user_id       text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name          text NOT NULL,
  secret_sealed text NOT NULL,
  scopes        jsonb NOT NULL DEFAULT '["full"]',
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz,
  revoked_at    timestamptz
);
CREATE INDEX ec2_access_keys_user ON ec2_access_keys (user_id);

-- RunInstances ClientToken: one primary-key lookup decides whether a call is a retry.
CREATE TABLE ec2_client_tokens (
  account_id      text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  client_token    text NOT NULL,
  reservation_id  text NOT NULL,
  -- SHA-256 of the call's other parameters: the same token with others is a mismatch.
  parameters_hash text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, client_token)
);

-- Tags, on instances, images and key pairs, by their EC2 id. Each account tags for itself.
CREATE TABLE ec2_tags (
  account_id  text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  resource_id text NOT NULL,
  key         text NOT NULL,
  value       text NOT NULL DEFAULT '',
  PRIMARY KEY (account_id, resource_id, key)
);
CREATE INDEX ec2_tags_key_value ON ec2_tags (account_id, key, value);
