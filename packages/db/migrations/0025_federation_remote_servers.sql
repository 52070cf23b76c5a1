-- Remote servers (issue 17, docs/federation.md "Remote servers"): a customer of installation A
-- runs a server at peer B's site. Both halves live in every installation, since each can be A to
-- one peer and B to another.

-- B's side. The customer account that represents a peer here: the servers B runs for A belong to
-- it, under B's normal placement, capacity and isolation. Made at the peer's first remote create.
ALTER TABLE federation_peers ADD COLUMN represented_by_account_id text REFERENCES accounts (id);

-- B's side. A server this installation runs for a peer: the create's idempotency key (A's id for
-- the server), the digest of the create's parameters (the same key with other parameters is a
-- mismatch), and the wholesale price the offer version it was created under gives it.
CREATE TABLE federation_served_servers (
  server_id                   text PRIMARY KEY REFERENCES servers (id),
  peer_id                     text NOT NULL REFERENCES federation_peers (id),
  idempotency_key             text NOT NULL,
  request_digest              text NOT NULL,
  offer_version               integer NOT NULL CHECK (offer_version > 0),
  currency                    text NOT NULL,
  wholesale_hourly_minor      bigint NOT NULL CHECK (wholesale_hourly_minor >= 0),
  wholesale_monthly_cap_minor bigint NOT NULL CHECK (wholesale_monthly_cap_minor >= wholesale_hourly_minor),
  -- Bumped on every change the peer should hear of (desired or observed state, addresses):
  -- the order of state messages; the peer ignores one older than what it holds.
  state_version               bigint NOT NULL DEFAULT 1,
  -- The newest state_version the peer acknowledged (0: none): what is left to push.
  pushed_version              bigint NOT NULL DEFAULT 0,
  created_at                  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (peer_id, idempotency_key)
);
CREATE INDEX federation_served_servers_unpushed ON federation_served_servers (peer_id)
  WHERE pushed_version < state_version;

-- B's side. An image a peer sent for its servers, imported through the normal pipeline into the
-- peer's account, found again by the blob's SHA-256 so it travels once.
CREATE TABLE federation_served_images (
  peer_id    text NOT NULL REFERENCES federation_peers (id),
  sha256     text NOT NULL,
  image_id   text REFERENCES images (id),
  job_id     text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (peer_id, sha256)
);

-- A's side. A customer's server at a partner's site. Its id is the idempotency key of the create
-- sent to the partner, so a retried create job never makes a second server there.
CREATE TABLE remote_servers (
  id                          text PRIMARY KEY,
  account_id                  text NOT NULL REFERENCES accounts (id),
  name                        text NOT NULL,
  peer_id                     text NOT NULL REFERENCES federation_peers (id),
  -- The offer version the price comes from (immutable), and the partner's site and plan in it.
  offer_version_id            text NOT NULL REFERENCES federation_offer_received_versions (id),
  remote_site_id              text NOT NULL,
  remote_plan_id              text NOT NULL,
  image_id                    text NOT NULL REFERENCES images (id),
  currency                    text NOT NULL,
  retail_hourly_minor         bigint NOT NULL CHECK (retail_hourly_minor >= 0),
  retail_monthly_cap_minor    bigint NOT NULL CHECK (retail_monthly_cap_minor >= retail_hourly_minor),
  wholesale_hourly_minor      bigint NOT NULL CHECK (wholesale_hourly_minor >= 0),
  wholesale_monthly_cap_minor bigint NOT NULL CHECK (wholesale_monthly_cap_minor >= wholesale_hourly_minor),
  desired_state               text NOT NULL CHECK (desired_state IN ('running', 'stopped', 'deleted')),
  -- What the partner last said: its id for the server (null until the create answered), its
  -- observed state, addresses, and the state_version that message carried.
  remote_server_id            text,
  remote_state                text NOT NULL DEFAULT 'creating',
  remote_addresses            jsonb NOT NULL DEFAULT '[]',
  remote_state_version        bigint NOT NULL DEFAULT 0,
  -- When the partner last answered about it (a push, a read or an action), and the last failure.
  last_seen_at                timestamptz,
  last_error                  text,
  created_at                  timestamptz NOT NULL DEFAULT now(),
  updated_at                  timestamptz NOT NULL DEFAULT now(),
  deleted_at                  timestamptz
);
CREATE INDEX remote_servers_account_idx ON remote_servers (account_id, id);
CREATE INDEX remote_servers_peer_idx ON remote_servers (peer_id, id);
CREATE UNIQUE INDEX remote_servers_name_unique ON remote_servers (account_id, name) WHERE deleted_at IS NULL;
